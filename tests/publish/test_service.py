"""Publishing a campaign on real SQLite and PostgreSQL: the snapshot holds the engine's
suppressed figures rounded to one decimal; a republication after fewer than min_n new ratings
changes nothing; the thank-you page reads only the snapshot, so the before/after attack on it
recovers nothing (issue 10, item 2)."""

from __future__ import annotations

import pytest
from sqlalchemy import select
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session

from stadtraum.accounts.permissions import SYSTEM, Actor
from stadtraum.analysis.cube import CubeFilter
from stadtraum.analysis.cube_store import CubeProvider
from stadtraum.analysis.results import compute_results
from stadtraum.citizen.thanks import area_profile
from stadtraum.collect.submit import submit_response
from stadtraum.errors import NotFoundError, PermissionDeniedError
from stadtraum.publish.service import publication_status, publish_results, published_area
from stadtraum.store.db import AuditEntry, PublishedCell
from tests.helpers import City, make_city, make_payload

MIN_N = 5


@pytest.fixture
def city(engine: Engine) -> City:
    return make_city(engine, min_n=MIN_N)


def _answer(engine: Engine, city: City, score: int, area: str = "Q1", n: int = 1) -> None:
    for _ in range(n):
        submit_response(engine, make_payload(city.campaign_id, area, {"moving_around": score,
                                                                       "housing": 4}))


def _publish(engine: Engine, city: City) -> None:
    publish_results(engine, CubeProvider(engine), city.campaign_id, actor=SYSTEM)


def test_the_snapshot_is_the_engines_figures_rounded_without_n(engine: Engine,
                                                               city: City) -> None:
    for score in (3, 4, 4, 5, 6, 6):
        _answer(engine, city, score)
    _answer(engine, city, 2, area="Q2", n=6)  # Q3 has no answers at all
    _publish(engine, city)
    live = compute_results(engine, CubeProvider(engine),
                           CubeFilter(campaign_ids=(city.campaign_id,)))
    public = published_area(engine, city.campaign_id, "Quartier", "Q1")
    assert public is not None
    assert public.values["moving_around"] == 4.7  # 28 / 6, rounded
    assert public.values["housing"] == 4.0 and public.values["feeling_safe"] is None
    for table in live.levels:  # every public cell is the live, suppressed cell, rounded
        for a, code in enumerate(table.areas["code"].astype(str)):
            shown = published_area(engine, city.campaign_id, table.name, code)
            assert shown is not None
            for c, crit in enumerate(live.criteria):
                hidden = bool(table.suppressed[a, c])
                expected = None if hidden else round(float(table.stats.mean[a, c]), 1)
                assert shown.values[crit.id] == expected, (table.name, code, crit.id)
    hidden = published_area(engine, city.campaign_id, "Quartier", "Q3")
    assert hidden is not None and set(hidden.values.values()) == {None}
    assert published_area(engine, city.campaign_id, "Quartier", "Q9") is None
    # what the public can read has no n anywhere
    assert set(public.__dataclass_fields__) == {"values", "index", "published_at"}


def test_one_more_answer_changes_no_public_figure(engine: Engine, city: City) -> None:
    _answer(engine, city, 4, n=5)
    _publish(engine, city)
    before = published_area(engine, city.campaign_id, "Quartier", "Q1")
    for added in range(1, MIN_N):  # the neighbour, then up to min_n - 1 more
        _answer(engine, city, 7)
        _publish(engine, city)
        now = published_area(engine, city.campaign_id, "Quartier", "Q1")
        assert now is not None and before is not None and now.values == before.values, added
    _answer(engine, city, 7)  # the min_n-th new rating: now the figure moves
    _publish(engine, city)
    after = published_area(engine, city.campaign_id, "Quartier", "Q1")
    assert after is not None and after.values["moving_around"] == 5.5  # (5*4 + 5*7) / 10


def test_the_thank_you_page_shows_only_the_snapshot(engine: Engine, city: City) -> None:
    own = {"moving_around": 7, "housing": 1}
    first = area_profile(engine, city.campaign_id, "Q1", own, "de")
    assert not first.published and first.area_shown == 0
    _answer(engine, city, 3, n=6)
    _publish(engine, city)
    seen = area_profile(engine, city.campaign_id, "Q1", own, "de")
    assert seen.published and seen.area[0] == 3.0 and seen.own[0] == 7.0
    # the attack: read, let the neighbour answer, read again -> nothing to solve for
    _answer(engine, city, 7)
    again = area_profile(engine, city.campaign_id, "Q1", own, "de")
    assert again.area == seen.area


def test_publishing_is_audited_and_for_admins_only(engine: Engine, city: City) -> None:
    _answer(engine, city, 4, n=5)
    with pytest.raises(PermissionDeniedError):
        publish_results(engine, CubeProvider(engine), city.campaign_id,
                        actor=Actor("pia", "planner"))
    with Session(engine) as session:
        assert session.scalar(select(PublishedCell.campaign_id)) is None
    report = publish_results(engine, CubeProvider(engine), city.campaign_id,
                             actor=Actor("ada", "admin"))
    assert report.cells > 0 and 0 < report.shown < report.cells and report.updated > 0
    again = publish_results(engine, CubeProvider(engine), city.campaign_id, actor=SYSTEM)
    assert again.updated == 0 and again.cells == report.cells
    with Session(engine) as session:
        actors = session.scalars(select(AuditEntry.actor)
                                 .where(AuditEntry.action == "publish_results")).all()
    assert actors == ["ada", "kommandozeile"]
    (status,) = publication_status(engine)
    assert status.campaign_id == city.campaign_id and status.published_at is not None


def test_an_unknown_campaign_is_a_german_error(engine: Engine, city: City) -> None:
    with pytest.raises(NotFoundError) as err:
        publish_results(engine, CubeProvider(engine), 999, actor=SYSTEM)
    assert "gibt es nicht" in err.value.message_de
    with pytest.raises(NotFoundError):
        area_profile(engine, 999, "Q1", {}, "de")
