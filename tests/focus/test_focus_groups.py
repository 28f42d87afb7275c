"""Focus groups end to end on SQLite and PostgreSQL: sessions, the participants grid
(idempotent re-save, corrections as new versions, voiding), the consensus rating, notes, the
group view next to the suppressed area/city results, and that focus-group responses stay out
of the survey statistics unless the filter includes that mode."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import pytest
from sqlalchemy import select
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session

from stadtraum.accounts.permissions import Actor
from stadtraum.analysis.cube import CubeFilter
from stadtraum.analysis.cube_store import CubeProvider
from stadtraum.analysis.results import compute_results
from stadtraum.collect.submit import submit_response
from stadtraum.errors import NotFoundError, ValidationError
from stadtraum.focus.group_view import group_view, view_table
from stadtraum.focus.ratings import (
    clear_consensus,
    consensus_uuid,
    load_ratings,
    row_uuid,
    save_consensus,
    save_grid,
)
from stadtraum.focus.sessions import (
    FocusGroupInfo,
    get_session,
    list_sessions,
    load_notes,
    open_session,
    save_notes,
)
from stadtraum.store.campaigns import set_campaign_status
from stadtraum.store.db import AuditEntry, Response
from stadtraum.vocab import MODES
from tests.helpers import City, change_counter, count_rows, make_city, make_payload

MONA = Actor("mona", "moderator")
MAX = Actor("max", "moderator")
ADMIN = Actor("admin", "admin")

MOVING, SAFE, HOUSING = "moving_around", "feeling_safe", "housing"
HELD = dt.date(2025, 6, 3)


@dataclass
class Setup:
    engine: Engine
    city: City
    group: FocusGroupInfo


@pytest.fixture
def fg(engine: Engine) -> Setup:
    city = make_city(engine, min_n=3)
    group = open_session(engine, campaign_id=city.campaign_id, area_code="Q1",
                         title="Abend im Stadtteilzentrum", actor=MONA, held_on=HELD)
    return Setup(engine, city, group)


def _responses(engine: Engine, group_id: str) -> list[Response]:
    with Session(engine) as session:
        return list(session.scalars(select(Response).where(Response.group_id == group_id)
                                    .order_by(Response.id)))


def _valid(engine: Engine, group_id: str) -> list[Response]:
    return [r for r in _responses(engine, group_id) if r.status == "valid"]


GRID = [{MOVING: 2, SAFE: 5}, {MOVING: 4, SAFE: None, HOUSING: 6}, {MOVING: 6, SAFE: 7}]


# --------------------------------------------------------------------------------- sessions

def test_open_session_is_audited_and_listed(fg: Setup) -> None:
    g = fg.group
    assert (g.area_code, g.area_name, g.moderator, g.held_on) == ("Q1", "Quartier Q1", "mona",
                                                                  HELD)
    assert g.participants == 0 and g.campaign_status == "open"
    with Session(fg.engine) as session:
        entry = session.scalar(select(AuditEntry).where(AuditEntry.object_id == g.id))
    assert entry is not None and entry.action == "open" and entry.actor == "mona"
    other = open_session(fg.engine, campaign_id=fg.city.campaign_id, area_code="Q3",
                         title="Zweite Runde", actor=MAX, held_on=HELD)
    assert [s.id for s in list_sessions(fg.engine, moderator="mona")] == [g.id]
    assert {s.id for s in list_sessions(fg.engine, campaign_id=fg.city.campaign_id)} == {
        g.id, other.id}
    assert get_session(fg.engine, g.id, only_moderator="mona").title == g.title


@pytest.mark.parametrize(("kwargs", "field"), [
    ({"area_code": "D1"}, "area"),  # a district, not a quarter of the campaign's level
    ({"area_code": "nope"}, "area"),
    ({"title": "   "}, "title"),
    ({"title": "x" * 201}, "title"),
])
def test_open_session_refuses_bad_input(fg: Setup, kwargs: dict[str, object], field: str) -> None:
    args = {"campaign_id": fg.city.campaign_id, "area_code": "Q2", "title": "T",
            "actor": MONA} | kwargs
    with pytest.raises(ValidationError) as err:
        open_session(fg.engine, **args)  # type: ignore[arg-type]
    assert err.value.field == field and err.value.message_de
    assert count_rows(fg.engine, "focus_groups") == 1


def test_open_session_needs_an_open_campaign(fg: Setup) -> None:
    set_campaign_status(fg.engine, fg.city.campaign_id, "closed")
    with pytest.raises(ValidationError, match="not open"):
        open_session(fg.engine, campaign_id=fg.city.campaign_id, area_code="Q2", title="T",
                     actor=MONA)
    with pytest.raises(NotFoundError):
        open_session(fg.engine, campaign_id=999, area_code="Q2", title="T", actor=MONA)


def test_another_moderator_cannot_see_or_change_a_session(fg: Setup) -> None:
    with pytest.raises(NotFoundError):
        get_session(fg.engine, fg.group.id, only_moderator="max")
    with pytest.raises(NotFoundError):
        save_grid(fg.engine, fg.group.id, GRID, actor=MAX, only_moderator="max")
    with pytest.raises(NotFoundError):
        save_notes(fg.engine, fg.group.id, {MOVING: "x"}, actor=MAX, only_moderator="max")
    assert count_rows(fg.engine, "responses") == 0
    save_grid(fg.engine, fg.group.id, GRID, actor=ADMIN)  # an admin may (no restriction)
    assert len(_valid(fg.engine, fg.group.id)) == 3


# ------------------------------------------------------------------------------------- grid

def test_grid_rows_become_focus_group_responses(fg: Setup) -> None:
    report = save_grid(fg.engine, fg.group.id, GRID, actor=MONA, only_moderator="mona")
    assert (report.created, report.corrected, report.voided) == (3, 0, 0)
    rows = _responses(fg.engine, fg.group.id)
    assert [r.uuid for r in rows] == [row_uuid(fg.group.id, i, 1) for i in range(3)]
    assert {(r.mode, r.entered_by, r.participants, r.survey_date, r.area_id) for r in rows} == {
        ("focus_group", "mona", 1, HELD, fg.city.area_id("Q1"))}
    assert count_rows(fg.engine, "ratings") == 6  # "keine Angabe" is no rating
    assert load_ratings(fg.engine, fg.group.id).rows == [
        {MOVING: 2, SAFE: 5}, {MOVING: 4, HOUSING: 6}, {MOVING: 6, SAFE: 7}]
    assert get_session(fg.engine, fg.group.id).participants == 3


def test_saving_an_unchanged_grid_again_stores_nothing(fg: Setup) -> None:
    save_grid(fg.engine, fg.group.id, GRID, actor=MONA)
    seq, audits = change_counter(fg.engine), count_rows(fg.engine, "audit_log")
    report = save_grid(fg.engine, fg.group.id, GRID, actor=MONA)
    assert (report.created, report.corrected, report.voided, report.unchanged) == (0, 0, 0, 3)
    assert count_rows(fg.engine, "responses") == 3
    assert change_counter(fg.engine) == seq and count_rows(fg.engine, "audit_log") == audits


def test_a_changed_row_is_a_correction_and_an_emptied_row_is_voided(fg: Setup) -> None:
    save_grid(fg.engine, fg.group.id, GRID, actor=MONA)
    changed = [GRID[0], {MOVING: 5, HOUSING: 6}, {MOVING: None, SAFE: ""}]
    report = save_grid(fg.engine, fg.group.id, changed, actor=MONA)
    assert (report.created, report.corrected, report.voided, report.unchanged) == (0, 1, 1, 1)
    by_uuid = {r.uuid: r for r in _responses(fg.engine, fg.group.id)}
    old, new = by_uuid[row_uuid(fg.group.id, 1, 1)], by_uuid[row_uuid(fg.group.id, 1, 2)]
    assert old.status == "superseded" and new.status == "valid"
    assert new.version == 2 and new.replaces_id == old.id
    assert by_uuid[row_uuid(fg.group.id, 2, 1)].status == "voided"
    assert load_ratings(fg.engine, fg.group.id).rows == [{MOVING: 2, SAFE: 5},
                                                         {MOVING: 5, HOUSING: 6}, {}]
    # filling the voided row again makes a new version of it; a shorter grid voids the rest
    report = save_grid(fg.engine, fg.group.id, [GRID[0], {}, {SAFE: 1}], actor=MONA)
    assert (report.corrected, report.voided) == (1, 1)
    report = save_grid(fg.engine, fg.group.id, [GRID[0]], actor=MONA)
    assert report.voided == 1
    assert [r.uuid for r in _valid(fg.engine, fg.group.id)] == [row_uuid(fg.group.id, 0, 1)]
    assert load_ratings(fg.engine, fg.group.id).rows == [{MOVING: 2, SAFE: 5}, {}, {}]


@pytest.mark.parametrize("bad", [{MOVING: 8}, {MOVING: 0}, {MOVING: "x"}, {MOVING: 2.5},
                                 {"unknown_criterion": 3}])
def test_a_bad_cell_refuses_the_whole_grid(fg: Setup, bad: dict[str, object]) -> None:
    with pytest.raises(ValidationError) as err:
        save_grid(fg.engine, fg.group.id, [GRID[0], bad], actor=MONA)
    assert err.value.message_de.startswith("Person 2: ")  # the grid's column
    assert err.value.field in (MOVING, "unknown_criterion")
    if err.value.field == MOVING:  # the theme as the moderator reads it, not its id
        assert "„Zu Fuß und mit dem Rad“" in err.value.message_de, err.value.message_de
        assert MOVING not in err.value.message_de
    assert count_rows(fg.engine, "responses") == 0  # not even the good first row


def test_too_many_rows_and_a_closed_campaign_are_refused(fg: Setup) -> None:
    with pytest.raises(ValidationError, match="too many"):
        save_grid(fg.engine, fg.group.id, [{MOVING: 3}] * 61, actor=MONA)
    save_grid(fg.engine, fg.group.id, GRID, actor=MONA)
    set_campaign_status(fg.engine, fg.city.campaign_id, "closed")
    with pytest.raises(ValidationError, match="not open"):
        save_grid(fg.engine, fg.group.id, [], actor=MONA)  # would void: refused as well
    assert len(_valid(fg.engine, fg.group.id)) == 3
    assert len(load_ratings(fg.engine, fg.group.id).rows) == 3  # reading still works


# -------------------------------------------------------------------------------- consensus

def test_consensus_is_one_response_carrying_the_participants(fg: Setup) -> None:
    report = save_consensus(fg.engine, fg.group.id, {MOVING: 3, SAFE: 6}, 7, actor=MONA)
    assert report.created == 1
    (row,) = _responses(fg.engine, fg.group.id)
    assert (row.uuid, row.participants, row.mode) == (consensus_uuid(fg.group.id, 1), 7,
                                                      "focus_group")
    assert save_consensus(fg.engine, fg.group.id, {MOVING: 3, SAFE: 6}, 7,
                          actor=MONA).unchanged == 1
    assert save_consensus(fg.engine, fg.group.id, {MOVING: 3, SAFE: 6}, 8,
                          actor=MONA).corrected == 1
    stored = load_ratings(fg.engine, fg.group.id)
    assert (stored.consensus, stored.consensus_participants) == ({MOVING: 3, SAFE: 6}, 8)
    assert get_session(fg.engine, fg.group.id).participants == 8
    assert clear_consensus(fg.engine, fg.group.id, actor=MONA).voided == 1
    assert _valid(fg.engine, fg.group.id) == []
    assert load_ratings(fg.engine, fg.group.id).consensus is None


@pytest.mark.parametrize("participants", [1, 0, -3, 501, True])
def test_consensus_needs_at_least_two_participants(fg: Setup, participants: int) -> None:
    with pytest.raises(ValidationError) as err:
        save_consensus(fg.engine, fg.group.id, {MOVING: 3}, participants, actor=MONA)
    assert err.value.field == "participants"
    assert count_rows(fg.engine, "responses") == 0


def test_grid_and_consensus_do_not_mix(fg: Setup) -> None:
    save_consensus(fg.engine, fg.group.id, {MOVING: 3}, 4, actor=MONA)
    with pytest.raises(ValidationError, match="consensus"):
        save_grid(fg.engine, fg.group.id, GRID, actor=MONA)
    with pytest.raises(ValidationError):
        save_consensus(fg.engine, fg.group.id, {}, 4, actor=MONA)
    clear_consensus(fg.engine, fg.group.id, actor=MONA)
    save_grid(fg.engine, fg.group.id, GRID, actor=MONA)
    with pytest.raises(ValidationError, match="grid rows"):
        save_consensus(fg.engine, fg.group.id, {MOVING: 3}, 4, actor=MONA)


# ------------------------------------------------------------------------------------ notes

def test_notes_are_upserted_plain_text(fg: Setup) -> None:
    evil = "<img src=x onerror=alert(1)> ${x} ![b](http://x/y.png)"
    assert save_notes(fg.engine, fg.group.id, {MOVING: "Radwege fehlen", SAFE: evil},
                      actor=MONA) == 2
    assert save_notes(fg.engine, fg.group.id, {MOVING: "Radwege fehlen am Markt", SAFE: " "},
                      actor=MONA) == 1
    assert load_notes(fg.engine, fg.group.id) == {MOVING: "Radwege fehlen am Markt"}
    save_notes(fg.engine, fg.group.id, {SAFE: evil}, actor=MONA)
    assert load_notes(fg.engine, fg.group.id)[SAFE] == evil  # stored verbatim, shown as text
    with pytest.raises(ValidationError) as err:
        save_notes(fg.engine, fg.group.id, {"nope": "x"}, actor=MONA)
    assert err.value.field == "nope"
    with pytest.raises(ValidationError, match="too long"):
        save_notes(fg.engine, fg.group.id, {MOVING: "x" * 2001}, actor=MONA)
    assert count_rows(fg.engine, "focus_group_notes") == 2


# ------------------------------------------------------------------------ view and statistics

def _street(engine: Engine, city: City, area: str, *scores: int) -> None:
    for s in scores:
        submit_response(engine, make_payload(city.campaign_id, area, {MOVING: s, SAFE: s}))


def test_group_view_is_exempt_but_the_area_is_suppressed(fg: Setup) -> None:
    provider = CubeProvider(fg.engine)
    _street(fg.engine, fg.city, "Q1", 1, 2)  # n = 2 < min_n 3: hidden
    _street(fg.engine, fg.city, "Q2", 3, 4, 5)  # shown only if no secondary suppression ...
    _street(fg.engine, fg.city, "Q3", 7, 7, 7, 7)
    save_grid(fg.engine, fg.group.id, [{MOVING: 2, SAFE: 5}, {MOVING: 5}], actor=MONA)
    view = group_view(fg.engine, provider, fg.group.id, only_moderator="mona")
    moving = next(r for r in view.rows if r.criterion.id == MOVING)
    assert (moving.group_mean, moving.group_n, moving.group_min, moving.group_max) == (
        3.5, 2, 2, 5)  # n = 2 < min_n, shown anyway: the group's own view
    assert moving.area_mean is None and moving.area_n is None  # Q1: suppressed
    assert moving.city_n == 9 and moving.city_mean == pytest.approx(43 / 9, abs=0.01)
    housing = next(r for r in view.rows if r.criterion.id == HOUSING)
    assert (housing.group_mean, housing.group_n, housing.group_min) == (None, 0, None)
    assert view.area_respondents is None and view.city_respondents == 9
    table = view_table(view)
    assert "zu wenige Antworten (n < 3)" in table.loc[0, "Hinweis"]
    assert table.loc[0, "Gruppe"] == 3.5 and table.loc[0, "Gruppe von–bis"] == "2–5"
    series = view.radar_series()
    assert [s.n for s in series] == [2, None, 9]
    assert series[0].values[0] == 3.5 and series[1].values[0] is None
    assert len(view.labels()) == 14 == len(series[2].values)


def test_consensus_counts_its_participants_in_the_group_view(fg: Setup) -> None:
    save_consensus(fg.engine, fg.group.id, {MOVING: 6}, 5, actor=MONA)
    view = group_view(fg.engine, CubeProvider(fg.engine), fg.group.id)
    moving = next(r for r in view.rows if r.criterion.id == MOVING)
    assert (moving.group_mean, moving.group_n, moving.group_min, moving.group_max) == (
        6.0, 5, 6, 6)
    assert view.info.participants == 5


def test_focus_group_responses_stay_out_of_survey_statistics(fg: Setup) -> None:
    provider = CubeProvider(fg.engine)
    _street(fg.engine, fg.city, "Q1", 4, 4, 4)
    flt = CubeFilter(campaign_ids=(fg.city.campaign_id,))
    before = compute_results(fg.engine, provider, flt)
    save_grid(fg.engine, fg.group.id, [{MOVING: 1}] * 4, actor=MONA)
    save_grid(fg.engine, fg.group.id, [{MOVING: 1}] * 3 + [{MOVING: 2}], actor=MONA)
    after = compute_results(fg.engine, provider, flt)  # the provider has caught up
    assert provider.get().n == 3 + 5  # the cube holds the rows (4 + one correction)...
    assert after.levels[0].stats.n.tolist() == before.levels[0].stats.n.tolist()  # ...unused
    assert after.levels[0].stats.mean[0, 0] == 4.0
    groups = compute_results(fg.engine, provider, CubeFilter(
        campaign_ids=(fg.city.campaign_id,), modes=("focus_group",)))
    assert int(groups.levels[0].stats.n[0, 0]) == 4  # valid rows only, once each
    assert float(groups.levels[0].stats.mean[0, 0]) == pytest.approx((3 + 2) / 4)
    # never the survey and the groups together: minus the survey, that is the groups
    with pytest.raises(ValidationError):
        compute_results(fg.engine, provider, CubeFilter(
            campaign_ids=(fg.city.campaign_id,), modes=tuple(MODES.codes)))


def test_a_consensus_is_one_rating_in_the_statistics(fg: Setup) -> None:
    """Decided rule (docs/statistik.md): with mode focus group in the filter, a consensus of
    five people is one rating, not five — it must not narrow the CI or lift a cell over
    min_n on its own. The group's own view still shows its five people."""
    save_consensus(fg.engine, fg.group.id, {MOVING: 6}, 5, actor=MONA)
    res = compute_results(fg.engine, CubeProvider(fg.engine), CubeFilter(
        campaign_ids=(fg.city.campaign_id,), modes=("focus_group",)))
    assert int(res.levels[0].stats.n[0, 0]) == 1
    assert bool(res.levels[0].suppressed[0, 0])  # one rating < min_n = 3: not shown
    view = group_view(fg.engine, CubeProvider(fg.engine), fg.group.id)
    assert next(r for r in view.rows if r.criterion.id == MOVING).group_n == 5
