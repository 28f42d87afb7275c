"""The permission table of tests/accounts/test_use_case_permissions.py, continued for data
protection and publication (issue 12): deletion, purge, drafts and maintenance; moderation
and the original text of a comment; results, comments and open-data exports, the public
results switch and the reports. Same rule: every role and the command line call each use
case (on SQLite: the check comes first, and each use case's storage is tested on both engines
in its own tests); a role without the permission is refused and nothing changes (every
table compared, the audit log included)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from sqlalchemy import text, update
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session

from stadtraum.accounts.permissions import SYSTEM, Actor
from stadtraum.admin.campaign_settings import comments_auto_release, set_comments_auto_release
from stadtraum.analysis.cube_store import CubeProvider
from stadtraum.collect.submit import submit_response
from stadtraum.exports.comments_export import export_comments
from stadtraum.exports.results_export import export_results
from stadtraum.privacy.deletion import delete_response, paper_campaigns, preview_deletion
from stadtraum.privacy.deletion_replay import reapply_tombstones, tombstone_list
from stadtraum.privacy.drafts_expiry import expire_drafts
from stadtraum.privacy.maintenance import run_maintenance
from stadtraum.privacy.moderation import (
    hide_comment,
    original_text,
    redact_comment,
    release_comment,
    reopen_comment,
)
from stadtraum.privacy.moderation_queue import comment_counts, moderation_queue
from stadtraum.privacy.purge import closed_campaigns, preview_purge, purge_campaign
from stadtraum.publish.open_data import build_open_data
from stadtraum.publish.open_data_record import Publisher
from stadtraum.publish.public_results import set_results_public
from stadtraum.publish.service import publish_results
from stadtraum.reports.area_report import build_area_report, record_report
from stadtraum.reports.city_report import build_city_report
from stadtraum.store.db import Campaign
from tests.accounts.test_use_case_permissions import (
    ACTORS,
    Case,
    World,
    _draft,
    _nothing,
    check_case,
)
from tests.helpers import make_city, make_payload

LATER = dt.datetime.now(dt.UTC) + dt.timedelta(days=30)


def _responses(w: World, a: Actor) -> None:
    """Six responses in Q1 (one with a comment), so the campaign has figures to publish."""
    for i in range(6):
        comments = [("moving_around", "good", "Schöne Wege")] if i == 0 else []
        p = make_payload(w.city.campaign_id, "Q1", {"moving_around": 3 + i % 3},
                         comments=comments)
        submit_response(w.engine, p)
        w.ids.setdefault("response", p.response_id)
    with w.engine.connect() as conn:
        w.ids["comment"] = str(conn.execute(text("SELECT min(id) FROM comments")).scalar_one())


def _released(w: World, a: Actor) -> None:
    _responses(w, a)
    release_comment(w.engine, int(w.ids["comment"]), actor=SYSTEM)


def _hidden(w: World, a: Actor) -> None:
    """Reopening a hidden comment shows its original to moderators again: admins only."""
    _responses(w, a)
    hide_comment(w.engine, int(w.ids["comment"]), "Name genannt", actor=SYSTEM)


def _closed(w: World, a: Actor) -> None:
    _responses(w, a)
    with Session(w.engine) as session, session.begin():
        session.execute(update(Campaign).values(status="closed", closed_at=LATER - dt.timedelta(
            days=3000)))


def _published(w: World, a: Actor) -> None:
    _responses(w, a)
    publish_results(w.engine, CubeProvider(w.engine), w.city.campaign_id, actor=SYSTEM)


def _cid(w: World) -> int:
    return w.city.campaign_id


def _provider(w: World) -> CubeProvider:
    return CubeProvider(w.engine)


PUBLISHER = Publisher("Teststadt", "Stadtplanung, plan@example.org", "")

CASES = [
    Case("preview_deletion", "responses.delete",
         lambda w, a: preview_deletion(w.engine, w.ids["response"], actor=a), _responses,
         changes=False),
    Case("delete_response", "responses.delete",
         lambda w, a: delete_response(w.engine, w.ids["response"], actor=a), _responses),
    Case("paper_campaigns", "responses.delete",
         lambda w, a: paper_campaigns(w.engine, actor=a), changes=False),
    Case("closed_campaigns", "responses.delete",
         lambda w, a: closed_campaigns(w.engine, actor=a), _closed, changes=False),
    Case("preview_purge", "responses.delete",
         lambda w, a: preview_purge(w.engine, _cid(w), actor=a), _closed, changes=False),
    Case("purge_campaign", "responses.delete",
         lambda w, a: purge_campaign(w.engine, _cid(w), actor=a), _closed),
    Case("expire_drafts", "responses.delete",
         lambda w, a: expire_drafts(w.engine, actor=a, now=LATER), _draft),
    Case("run_maintenance", "responses.delete",
         lambda w, a: run_maintenance(w.engine, _provider(w), actor=a, now=LATER), _closed),
    Case("tombstone_list", "responses.delete",
         lambda w, a: tombstone_list(w.engine, actor=a), _nothing, changes=False),
    Case("reapply_tombstones", "responses.delete",
         lambda w, a: reapply_tombstones(w.engine, tombstone_list(w.engine, actor=SYSTEM),
                                         actor=a), _nothing, changes=False),
    Case("moderation_queue", "comments.moderate",
         lambda w, a: moderation_queue(w.engine, actor=a), _responses, changes=False),
    Case("comment_counts", "comments.moderate",
         lambda w, a: comment_counts(w.engine, actor=a), _responses, changes=False),
    Case("release_comment", "comments.moderate",
         lambda w, a: release_comment(w.engine, int(w.ids["comment"]), actor=a), _responses),
    Case("redact_comment", "comments.moderate",
         lambda w, a: redact_comment(w.engine, int(w.ids["comment"]), actor=a,
                                     spans=[(0, 6)]), _responses),
    Case("hide_comment", "comments.moderate",
         lambda w, a: hide_comment(w.engine, int(w.ids["comment"]), "Name genannt", actor=a),
         _responses),
    Case("reopen_comment", "comments.original",
         lambda w, a: reopen_comment(w.engine, int(w.ids["comment"]), actor=a), _hidden),
    Case("original_text", "comments.original",
         lambda w, a: original_text(w.engine, int(w.ids["comment"]), actor=a), _released),
    Case("comments_auto_release", "campaigns.manage",
         lambda w, a: comments_auto_release(w.engine, _cid(w), actor=a), changes=False),
    Case("set_comments_auto_release", "campaigns.manage",
         lambda w, a: set_comments_auto_release(w.engine, _cid(w), True, actor=a)),
    Case("export_results", "results.export",
         lambda w, a: export_results(w.engine, _provider(w), _cid(w), "csv", actor=a),
         _responses),
    Case("export_comments", "results.export",
         lambda w, a: export_comments(w.engine, _provider(w), _cid(w), actor=a), _released),
    Case("build_open_data", "results.export",
         lambda w, a: build_open_data(w.engine, _cid(w), actor=a, publisher=PUBLISHER),
         _published),
    Case("set_results_public", "results.publish",
         lambda w, a: set_results_public(w.engine, _cid(w), True, actor=a), _published),
    Case("build_area_report", "results.export",
         lambda w, a: build_area_report(w.engine, _provider(w), _cid(w), "Q1", actor=a,
                                        source="live", fmt="html"), _responses),
    Case("build_city_report", "results.export",
         lambda w, a: build_city_report(w.engine, _provider(w), _cid(w), actor=a,
                                        source="live", fmt="html"), _responses),
    Case("record_report", "results.export",
         lambda w, a: record_report(w.engine, a, _cid(w), kind="area")),
]


# SQLite only: the check comes before any storage, and each use case's storage is tested on
# both engines in its own tests (the suite must stay under CI's 45 minutes)
@pytest.mark.parametrize("db_url", ["sqlite"], indirect=True)
@pytest.mark.parametrize("actor", ACTORS, ids=lambda a: a.role)
@pytest.mark.parametrize("case", CASES, ids=lambda c: c.name)
def test_each_use_case_checks_the_actor_itself(engine: Engine, tmp_path: Path, case: Case,
                                               actor: Actor) -> None:
    check_case(World(engine, make_city(engine, min_n=3), tmp_path), case, actor)
