"""The daily maintenance: expired drafts go; a campaign past its retention is published, then
its raw data are purged, and what remains are exactly the suppressed aggregates it shows."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import select, update
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session

from stadtraum.accounts.permissions import SYSTEM, Actor
from stadtraum.admin.campaigns import close_campaign
from stadtraum.analysis.cube import CubeFilter
from stadtraum.analysis.cube_store import CubeProvider
from stadtraum.analysis.results import compute_results
from stadtraum.collect.submit import submit_response
from stadtraum.errors import PermissionDeniedError, ValidationError
from stadtraum.privacy.maintenance import add_months, due_for_retention, run_maintenance
from stadtraum.publish.service import published_area
from stadtraum.publish.snapshot import cells_of
from stadtraum.store.db import Campaign, PublishedCell
from tests.helpers import add_campaign, count_rows, make_city, make_payload

NOW = dt.datetime(2028, 6, 15, 3, 0, tzinfo=dt.UTC)
ADMIN = Actor("anna", "admin")


def _fill(engine: Engine, campaign_id: int, n: int = 9) -> None:
    for i in range(n):
        submit_response(engine, make_payload(campaign_id, "Q1" if i % 3 else "Q2",
                                             {"moving_around": 1 + i % 7, "natural_space": 5},
                                             comments=[("moving_around", "good", f"k{i}")]))


def _close(engine: Engine, campaign_id: int, closed_at: dt.datetime | None,
           months: int | None = 24) -> None:
    close_campaign(engine, campaign_id, actor=SYSTEM)
    with Session(engine) as session, session.begin():
        session.execute(update(Campaign).where(Campaign.id == campaign_id)
                        .values(closed_at=closed_at, retention_months=months))


def _published(engine: Engine, campaign_id: int) -> dict[tuple[str, str, str], float | None]:
    with Session(engine) as session:
        return {(c.level, c.area_code, c.criterion_id): c.value for c in session.scalars(
            select(PublishedCell).where(PublishedCell.campaign_id == campaign_id))}


def test_retention_leaves_exactly_the_published_aggregates(engine: Engine) -> None:
    city = make_city(engine, min_n=3)
    due = city.campaign_id
    young = add_campaign(engine, city, "Jung", min_n=3)
    forever = add_campaign(engine, city, "Ohne Frist", min_n=3)
    unknown = add_campaign(engine, city, "Ohne Abschlussdatum", min_n=3)
    for cid in (due, young, forever, unknown):
        _fill(engine, cid)
    live = cells_of(compute_results(engine, CubeProvider(engine), CubeFilter((due,))))
    assert any(c.value is not None for c in live.values())
    _close(engine, due, dt.datetime(2026, 6, 15, 2, 0, tzinfo=dt.UTC))  # 24 months + 1 h
    _close(engine, young, dt.datetime(2026, 6, 16, tzinfo=dt.UTC))
    _close(engine, forever, dt.datetime(2020, 1, 1, tzinfo=dt.UTC), months=None)
    _close(engine, unknown, None)
    assert due_for_retention(engine, NOW) == [(due, "Befragung 2025")]
    assert _published(engine, due) == {}

    report = run_maintenance(engine, CubeProvider(engine), actor=SYSTEM, now=NOW)

    assert [(r.campaign_id, r.responses) for r in report.purged] == [(due, 9)]
    assert count_rows(engine, "responses", f"campaign_id = {due}") == 0
    assert count_rows(engine, "responses") == 27  # the other three keep theirs
    public = _published(engine, due)
    assert public == {k: c.value for k, c in live.items()}  # the same figures as before
    area = published_area(engine, due, "Quartier", "Q1")
    assert area is not None and area.values["moving_around"] is not None
    # once more: nothing due any more, nothing changes
    again = run_maintenance(engine, CubeProvider(engine), actor=SYSTEM, now=NOW)
    assert again.purged == () and _published(engine, due) == public


def test_old_drafts_expire_and_young_ones_stay(engine: Engine) -> None:
    from tests.privacy.test_drafts_expiry import make_drafts
    city = make_city(engine)
    make_drafts(engine, city.campaign_id, NOW, ages_days=(1, 6.9, 7.1, 30))
    report = run_maintenance(engine, CubeProvider(engine), actor=ADMIN, now=NOW)
    assert report.drafts == 2 and report.purged == ()
    assert count_rows(engine, "interview_drafts") == 2
    report = run_maintenance(engine, CubeProvider(engine), actor=ADMIN, draft_days=1, now=NOW)
    assert report.drafts == 1


@pytest.mark.parametrize("role", ["planner", "moderator", "helper"])
def test_only_admins_run_maintenance(engine: Engine, role: str) -> None:
    city = make_city(engine)
    _fill(engine, city.campaign_id)
    _close(engine, city.campaign_id, dt.datetime(2020, 1, 1, tzinfo=dt.UTC))
    with pytest.raises(PermissionDeniedError):
        run_maintenance(engine, CubeProvider(engine), actor=Actor("x", role), now=NOW)
    assert count_rows(engine, "responses") == 9
    assert count_rows(engine, "published_cells") == 0


@pytest.mark.parametrize("days", [0, -3, 4000])
def test_a_bad_draft_age_is_a_german_error(engine: Engine, days: int) -> None:
    make_city(engine)
    with pytest.raises(ValidationError) as err:
        run_maintenance(engine, CubeProvider(engine), actor=ADMIN, draft_days=days, now=NOW)
    assert "ganze Zahl von 1 bis 3650 Tagen" in err.value.message_de


@pytest.mark.parametrize(("start", "months", "expected"), [
    (dt.datetime(2026, 1, 31), 1, dt.datetime(2026, 2, 28)),
    (dt.datetime(2026, 11, 5), 24, dt.datetime(2028, 11, 5)),
    (dt.datetime(2024, 2, 29), 12, dt.datetime(2025, 2, 28)),
    (dt.datetime(2026, 12, 1), 1, dt.datetime(2027, 1, 1)),
])
def test_add_months(start: dt.datetime, months: int, expected: dt.datetime) -> None:
    assert add_months(start, months) == expected
