"""Purging a closed campaign's raw data: everything raw goes, the published cells stay, the
engine drops the campaign's rows in every process; refusals for open campaigns and roles."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from sqlalchemy import select, text, update
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session

from stadtraum.accounts.permissions import SYSTEM, Actor
from stadtraum.admin.campaigns import close_campaign
from stadtraum.analysis.cube_store import CubeProvider
from stadtraum.collect.drafts import save_draft
from stadtraum.collect.interview import Interview
from stadtraum.collect.submit import submit_response
from stadtraum.errors import NotFoundError, PermissionDeniedError, ValidationError
from stadtraum.privacy.purge import preview_purge, purge_campaign
from stadtraum.publish.service import publish_results
from stadtraum.store.db import AuditEntry, Campaign, PublishedCell, ResponseTombstone
from tests.helpers import add_campaign, count_rows, make_payload
from tests.privacy.test_deletion_fixture import CRIT, counts, plant

ADMIN = Actor("anna", "admin")


def _cells(engine: Engine, campaign_id: int) -> list[tuple[object, ...]]:
    with Session(engine) as session:
        return sorted((c.level, c.area_code, c.criterion_id, c.value) for c in session.scalars(
            select(PublishedCell).where(PublishedCell.campaign_id == campaign_id)))


def _closed_with_other(engine: Engine) -> tuple[int, int]:
    """A closed, published campaign with a draft, and another open one with one response."""
    p = plant(engine)
    save_draft(engine, Interview(campaign_id=p.city.campaign_id, entered_by="anna"),
               actor=ADMIN)
    other = add_campaign(engine, p.city, "Nachbarbefragung")
    submit_response(engine, make_payload(other, "Q2", {CRIT: 2}, comments=[
        (CRIT, "good", "bleibt")]))
    publish_results(engine, CubeProvider(engine), p.city.campaign_id, actor=SYSTEM)
    close_campaign(engine, p.city.campaign_id, actor=SYSTEM)
    return p.city.campaign_id, other


def test_purge_deletes_raw_data_keeps_published_cells_and_the_other_campaign(
        engine: Engine) -> None:
    cid, other = _closed_with_other(engine)
    warm = CubeProvider(engine, snapshot_after_rows=1)
    assert sum(counts(warm.get(), cid)) == 6
    published = _cells(engine, cid)
    assert published
    preview = preview_purge(engine, cid, actor=ADMIN)
    assert (preview.responses, preview.comments, preview.priorities, preview.drafts) == (
        7, 2, 1, 1)
    assert preview.published_cells == len(published)
    assert count_rows(engine, "responses") == 8  # a preview deletes nothing
    result = purge_campaign(engine, cid, actor=ADMIN)
    assert result.counts.responses == 7
    assert count_rows(engine, "responses", f"campaign_id = {cid}") == 0
    assert count_rows(engine, "interview_drafts") == 0
    assert count_rows(engine, "stats_snapshots") == 0
    assert count_rows(engine, "responses", f"campaign_id = {other}") == 1
    assert count_rows(engine, "comments") == 1 and count_rows(engine, "ratings") == 1
    assert _cells(engine, cid) == published
    with Session(engine) as session:
        stone = session.scalars(select(ResponseTombstone).where(
            ResponseTombstone.response_id.is_(None))).one()
        campaign = session.get(Campaign, cid)
        assert campaign is not None and campaign.purged_at is not None
        entry = session.scalars(select(AuditEntry).where(
            AuditEntry.action == "purge_campaign")).one()
    assert (stone.campaign_id, stone.uuid_hash) == (cid, None)
    assert (entry.object_type, entry.object_id) == ("campaign", str(cid))
    assert json.loads(entry.detail or "{}")["responses"] == 7
    # every engine drops the campaign: warm, and cold
    assert counts(warm.get(), cid) == [0] * 7
    assert counts(CubeProvider(engine).get(), cid) == [0] * 7
    assert sum(counts(warm.get(), other)) == 1
    assert cid not in warm.get().valid_campaigns()


@pytest.mark.parametrize("status", ["open", "draft"])
def test_an_open_or_draft_campaign_is_not_purged(engine: Engine, status: str) -> None:
    p = plant(engine, with_correction=False)
    if status == "draft":
        with Session(engine) as session, session.begin():
            session.execute(update(Campaign).values(status="draft"))
    with pytest.raises(ValidationError) as err:
        purge_campaign(engine, p.city.campaign_id, actor=ADMIN)
    assert "erst löschen, wenn sie abgeschlossen ist" in err.value.message_de
    assert count_rows(engine, "responses") == 6
    assert count_rows(engine, "response_tombstones") == 0


def test_an_unknown_campaign_is_a_german_error(engine: Engine) -> None:
    plant(engine, with_correction=False)
    with pytest.raises(NotFoundError) as err:
        purge_campaign(engine, 999, actor=ADMIN)
    assert "gibt es nicht" in err.value.message_de


@pytest.mark.parametrize("role", ["planner", "moderator", "helper"])
def test_only_admins_purge(engine: Engine, role: str) -> None:
    cid, _ = _closed_with_other(engine)
    with pytest.raises(PermissionDeniedError):
        purge_campaign(engine, cid, actor=Actor("x", role))
    with pytest.raises(PermissionDeniedError):
        preview_purge(engine, cid, actor=Actor("x", role))
    assert count_rows(engine, "responses") == 8
    assert count_rows(engine, "audit_log", "action = 'purge_campaign'") == 0
    with engine.connect() as conn:
        assert conn.execute(text("SELECT purged_at FROM campaigns WHERE id = :c"),
                            {"c": cid}).scalar() is None


def test_purging_twice_deletes_nothing_more(engine: Engine) -> None:
    cid, _ = _closed_with_other(engine)
    purge_campaign(engine, cid, actor=ADMIN, now=dt.datetime(2026, 1, 1, tzinfo=dt.UTC))
    again = purge_campaign(engine, cid, actor=ADMIN)
    assert again.counts.responses == 0 and again.counts.published_cells > 0
    assert count_rows(engine, "responses") == 1
