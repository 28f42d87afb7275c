"""The field-work dashboard's use cases (issue 11, item 6) on SQLite and PostgreSQL: counts per
area against the target, by mode, today (city local time) and in total; drafts not yet sent;
the last hour's pace; names only for admins; recounting only when the change counter moved;
and the small-count protection: a count the planners' views hide is hidden here too, and an
area with two responses cannot be recovered from anything the page shows (a linear
programme over every shown figure, the planners' district and city cells included)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

import numpy as np
import pytest
from scipy.optimize import linprog
from sqlalchemy import update
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session

from stadtraum.accounts.permissions import Actor
from stadtraum.admin.campaign_targets import set_area_targets
from stadtraum.admin.fieldwork import (
    AreaRow,
    Dashboard,
    clear_cache,
    dashboard,
    helpers_today,
    open_campaigns,
)
from stadtraum.admin.fieldwork_counts import progress_text
from stadtraum.admin.fieldwork_map import target_features
from stadtraum.analysis.cube import CubeFilter
from stadtraum.analysis.cube_store import CubeProvider
from stadtraum.analysis.results import compute_results
from stadtraum.collect.drafts import save_draft
from stadtraum.collect.interview import Interview
from stadtraum.collect.submit import submit_response
from stadtraum.errors import PermissionDeniedError
from stadtraum.store.db import Campaign, InterviewDraft
from stadtraum.store.engine import write_engine
from stadtraum.vocab import SURVEY_MODES
from tests.helpers import City, add_campaign, make_city, make_payload, set_status

ADA = Actor("ada", "admin")
MONA = Actor("mona", "moderator")
LAYOUT = {"D1": ("Q1", "Q2"), "D2": ("Q3", "Q4")}
# 30 June 2026, 22:30 UTC = 1 July, 00:30 in Bochum (summer time)
NOW = dt.datetime(2026, 6, 30, 22, 30, tzinfo=dt.UTC)


@pytest.fixture(autouse=True)
def _fresh_cache() -> Iterator[None]:
    clear_cache()
    yield
    clear_cache()


@pytest.fixture
def city(engine: Engine) -> City:
    city = make_city(engine, layout=LAYOUT)
    with Session(write_engine(engine)) as session, session.begin():
        session.execute(update(Campaign).values(default_target=40))
    return city


def _add(engine: Engine, city: City, area: str, count: int, *, mode: str = "street",
         by: str | None = "anna", at: dt.datetime = NOW - dt.timedelta(minutes=5),
         campaign: int | None = None) -> list[str]:
    ids = []
    for _ in range(count):
        p = make_payload(campaign or city.campaign_id, area, mode=mode,
                         entered_by=None if mode == "online" else by)
        submit_response(engine, p, created_at=at)
        ids.append(p.response_id)
    return ids


def _board(engine: Engine, actor: Actor = ADA, now: dt.datetime = NOW,
           campaign: int | None = None, city: City | None = None) -> Dashboard:
    cid = campaign if campaign is not None else (city.campaign_id if city else 1)
    return dashboard(engine, CubeProvider(engine), cid, actor=actor, now=now)


def _area(d: Dashboard, code: str) -> AreaRow:
    return next(a for a in d.areas if a.code == code)


def test_counts_per_area_against_the_target(engine: Engine, city: City) -> None:
    _add(engine, city, "Q1", 6)
    _add(engine, city, "Q2", 5)
    _add(engine, city, "Q2", 5, mode="paper", by="bert")
    _add(engine, city, "Q3", 8, mode="online")
    _add(engine, city, "Q4", 5)
    set_area_targets(engine, city.campaign_id, b"code;target\nQ2;12\n", "z.csv", actor=ADA)
    d = _board(engine, city=city)
    texts = {a.code: progress_text(a.total, a.target) for a in d.areas}
    assert texts == {"Q1": "6 von 40", "Q2": "10 von 12", "Q3": "8 von 40", "Q4": "5 von 40"}
    q2 = _area(d, "Q2")
    assert {m: c.value for m, c in q2.modes.items()} == {
        "street": 5, "paper": 5, "online": None}  # 0 < min_n: hidden like the planners'
    assert (d.total.value, d.modes["online"].value, d.level) == (29, 8, "Quartier")
    assert {m: c.value for m, c in d.today_modes.items()} == {"street": 16, "paper": 5,
                                                              "online": 8}
    assert d.today.value == 29 and d.last_hour.value == 29
    assert d.hours[-1] == (0, d.today) and len(d.hours) == 1  # 00:00-01:00 local


def test_a_voided_or_flagged_response_is_not_counted(engine: Engine, city: City) -> None:
    ids = _add(engine, city, "Q1", 7)
    _add(engine, city, "Q2", 6)
    set_status(engine, ids[0], "voided")
    set_status(engine, ids[1], "flagged")
    assert _area(_board(engine, city=city), "Q1").total.value == 5


def test_each_count_is_shown_exactly_where_the_planners_show_it(engine: Engine,
                                                                 city: City) -> None:
    _add(engine, city, "Q1", 2)
    _add(engine, city, "Q2", 9)
    _add(engine, city, "Q3", 7)
    _add(engine, city, "Q3", 3, mode="paper")
    _add(engine, city, "Q4", 6, mode="online")
    d = _board(engine, city=city)
    provider = CubeProvider(engine)
    for key, modes in [("all", SURVEY_MODES), *((m, (m,)) for m in SURVEY_MODES)]:
        res = compute_results(engine, provider, CubeFilter((city.campaign_id,), modes))
        level = res.levels[0]
        planners = {code: None if hidden else int(n) for code, n, hidden in zip(
            level.areas["code"], level.respondents, level.respondents_suppressed, strict=True)}
        ours = {a.code: (a.total if key == "all" else a.modes[key]).value for a in d.areas}
        assert ours == planners, key
    q1 = _area(d, "Q1")
    assert progress_text(q1.total, q1.target) == "unter 5 von 40"
    assert _area(d, "Q2").total.hidden  # Q1's partner


@pytest.mark.parametrize("now", [NOW, dt.datetime(2026, 1, 15, 23, 30, tzinfo=dt.UTC)],
                         ids=["summer", "winter"])
def test_today_starts_at_local_midnight(engine: Engine, city: City, now: dt.datetime) -> None:
    offset = dt.timedelta(hours=2 if now.month == 6 else 1)
    midnight = now.replace(minute=0) - dt.timedelta(hours=now.hour) + dt.timedelta(days=1) \
        - offset  # local midnight in UTC
    _add(engine, city, "Q1", 6, at=midnight - dt.timedelta(minutes=1))  # yesterday 23:59
    _add(engine, city, "Q2", 5, at=midnight)  # today 00:00
    _add(engine, city, "Q3", 5, at=midnight + dt.timedelta(minutes=20), mode="paper")
    d = _board(engine, now=now, city=city)
    assert d.total.value == 16 and d.today.value == 10
    assert {m: c.value for m, c in d.today_modes.items()} == {"street": 5, "paper": 5,
                                                              "online": 0}
    assert d.last_hour.value == 10  # 00:00 and 00:20, both within the hour before 00:30
    assert [h for h, _ in d.hours] == [0]


def test_today_modes_are_shown_all_or_none(engine: Engine, city: City) -> None:
    _add(engine, city, "Q1", 6, at=NOW - dt.timedelta(days=1))
    _add(engine, city, "Q2", 6, at=NOW - dt.timedelta(days=1), mode="online")
    _add(engine, city, "Q3", 6)
    _add(engine, city, "Q4", 2, mode="online")  # 2 online today: < min_n
    d = _board(engine, city=city)
    assert d.today.value == 8
    assert all(c.hidden for c in d.today_modes.values())  # 8 - 6 would give the 2
    assert d.helpers is not None and [h.today for h in d.helpers] == [None]  # anna's 6 too


def test_pace_last_hour_and_per_hour(engine: Engine, city: City) -> None:
    now = dt.datetime(2026, 6, 30, 9, 10, tzinfo=dt.UTC)  # 11:10 local
    _add(engine, city, "Q1", 5, at=now - dt.timedelta(minutes=90))  # 09:40 local
    _add(engine, city, "Q2", 3, at=now - dt.timedelta(minutes=59))  # 10:11
    _add(engine, city, "Q3", 2, at=now - dt.timedelta(minutes=2))  # 11:08
    d = _board(engine, now=now, city=city)
    assert d.last_hour.value == 5
    assert [(h, c.value) for h, c in d.hours if h >= 9] == [(9, 5), (10, 3), (11, 2)]
    assert sum(c.value or 0 for _, c in d.hours) == d.today.value == 10


def test_drafts_not_yet_sent(engine: Engine, city: City) -> None:
    _add(engine, city, "Q1", 5)
    drafts = [Interview(campaign_id=city.campaign_id, entered_by=name, area_code="Q1")
              for name in ("erika", "erika", "otto", "otto")]
    for iv in drafts:
        save_draft(engine, iv, actor=Actor(iv.entered_by, "helper"))
    with Session(write_engine(engine)) as session, session.begin():
        session.execute(update(InterviewDraft).values(updated_at=NOW))
        session.execute(update(InterviewDraft)
                        .where(InterviewDraft.response_uuid == drafts[2].response_id)
                        .values(frozen=True))
        session.execute(update(InterviewDraft)  # expired: older than the drafts' lifetime
                        .where(InterviewDraft.response_uuid == drafts[3].response_id)
                        .values(updated_at=NOW - dt.timedelta(hours=13)))
    d = _board(engine, city=city)
    assert (d.drafts.open, d.drafts.waiting) == (3, 1)
    assert d.helpers is not None
    assert [(h.name, h.today, h.drafts) for h in d.helpers] == [("anna", 5, 0),
                                                                ("erika", None or 0, 2),
                                                                ("otto", 0, 1)]


def test_a_moderator_sees_the_figures_but_no_names(engine: Engine, city: City) -> None:
    _add(engine, city, "Q1", 6)
    d = _board(engine, MONA, city=city)
    assert d.helpers is None and d.total.value == 6
    assert "anna" not in repr(d)
    with pytest.raises(PermissionDeniedError):
        helpers_today(engine, CubeProvider(engine), city.campaign_id, actor=MONA, now=NOW)
    assert [h.name for h in helpers_today(engine, CubeProvider(engine), city.campaign_id,
                                          actor=ADA, now=NOW)] == ["anna"]
    for role in ("helper", "planner"):
        with pytest.raises(PermissionDeniedError):
            _board(engine, Actor("x", role), city=city)
        with pytest.raises(PermissionDeniedError):
            open_campaigns(engine, actor=Actor("x", role))


def test_open_campaigns_newest_first(engine: Engine, city: City) -> None:
    second = add_campaign(engine, city, "Welle 2")
    add_campaign(engine, city, "Entwurf", status="draft")
    assert [c.id for c in open_campaigns(engine, actor=MONA)] == [second, city.campaign_id]


def test_a_refresh_recounts_only_when_the_counter_moved(engine: Engine, city: City) -> None:
    _add(engine, city, "Q1", 6)
    provider = CubeProvider(engine)
    first = dashboard(engine, provider, city.campaign_id, actor=ADA, now=NOW)
    save_draft(engine, Interview(campaign_id=city.campaign_id, entered_by="erika"),
               actor=Actor("erika", "helper"))
    again = dashboard(engine, provider, city.campaign_id, actor=ADA,
                      now=NOW + dt.timedelta(seconds=30))
    assert again.areas is first.areas  # the same counts, not recounted
    assert again.drafts.open == 1  # drafts are read at every refresh
    _add(engine, city, "Q1", 1)
    moved = dashboard(engine, provider, city.campaign_id, actor=ADA,
                      now=NOW + dt.timedelta(seconds=60))
    assert moved.areas is not first.areas and moved.total.value == 7
    assert moved.change_seq > first.change_seq


def _attacker_bounds(d: Dashboard, engine: Engine, city: City, target: str) -> tuple[float,
                                                                                     float]:
    """The least and the most responses area ``target`` can have given every figure the page
    shows, plus every respondent count of the planners' views (districts, city): unknowns
    x[area, mode] >= 0 for the survey modes."""
    codes = [a.code for a in d.areas]
    n_a, n_m = len(codes), len(SURVEY_MODES)

    def var(a: int, m: int) -> int:
        return a * n_m + m

    eq_rows: list[np.ndarray] = []
    eq_vals: list[float] = []
    ub_rows: list[np.ndarray] = []
    ub_vals: list[float] = []

    def equal(cells: list[int], value: int) -> None:
        row = np.zeros(n_a * n_m)
        row[cells] = 1
        eq_rows.append(row)
        eq_vals.append(value)

    def at_least(cells: list[int], value: int) -> None:
        row = np.zeros(n_a * n_m)
        row[cells] = -1
        ub_rows.append(row)
        ub_vals.append(-value)

    every = list(range(n_m))
    for a, row in enumerate(d.areas):  # the page's table and map
        if row.total.value is not None:
            equal([var(a, m) for m in every], row.total.value)
        for m, mode in enumerate(SURVEY_MODES):
            shown = row.modes[mode].value
            if shown is not None:
                equal([var(a, m)], shown)
    provider = CubeProvider(engine)  # the planners' views, every level
    for key, modes in [("all", SURVEY_MODES), *((mm, (mm,)) for mm in SURVEY_MODES)]:
        res = compute_results(engine, provider, CubeFilter((city.campaign_id,), modes))
        ms = every if key == "all" else [SURVEY_MODES.index(key)]
        for level in res.levels:
            members = {i: [j for j, c in enumerate(codes) if
                           level.name == "Gesamtstadt" or c == code or
                           c in LAYOUT.get(str(code), ())]
                       for i, code in enumerate(level.areas["code"])}
            for i, n in enumerate(level.respondents):
                if not level.respondents_suppressed[i]:
                    equal([var(a, m) for a in members[i] for m in ms], int(n))
    all_cells = [var(a, m) for a in range(n_a) for m in every]
    for mode, c in d.today_modes.items():  # today's figures are lower bounds
        if c.value is not None:
            at_least([var(a, SURVEY_MODES.index(mode)) for a in range(n_a)], c.value)
    for c in (d.today, d.last_hour, *(c for _, c in d.hours)):
        if c.value is not None:
            at_least(all_cells, c.value)
    if d.helpers and all(h.today is not None for h in d.helpers):
        at_least([var(a, m) for a in range(n_a) for m in (0, 1)],
                 sum(h.today or 0 for h in d.helpers))
    goal = np.zeros(n_a * n_m)
    goal[[var(codes.index(target), m) for m in every]] = 1
    kwargs = {"A_eq": np.array(eq_rows), "b_eq": eq_vals, "bounds": (0, None)}
    if ub_rows:
        kwargs |= {"A_ub": np.array(ub_rows), "b_ub": ub_vals}
    lo = linprog(goal, **kwargs)
    hi = linprog(-goal, **kwargs)
    assert lo.status == 0 and hi.status in (0, 3)
    return float(lo.fun), float("inf") if hi.status == 3 else float(-hi.fun)


@pytest.mark.parametrize("small", [1, 2])
def test_an_area_with_one_or_two_responses_cannot_be_recovered(engine: Engine, city: City,
                                                                small: int) -> None:
    _add(engine, city, "Q1", small)  # the small area, today
    _add(engine, city, "Q2", 9)
    _add(engine, city, "Q3", 7, at=NOW - dt.timedelta(days=1))
    _add(engine, city, "Q3", 5, mode="paper", by="bert")
    _add(engine, city, "Q4", 6, mode="online")
    d = _board(engine, city=city)
    q1 = _area(d, "Q1")
    assert q1.total.hidden and all(c.hidden for c in q1.modes.values())
    assert str(small) not in progress_text(q1.total, q1.target)
    lo, hi = _attacker_bounds(d, engine, city, "Q1")
    assert lo <= small <= hi
    assert hi - lo >= 1, f"Q1 pinned to [{lo}, {hi}]"
    # the same attacker against a page that showed Q1's partner would pin it: the test bites
    shown = d.areas[1]
    leaky = Dashboard(**{**d.__dict__, "areas": (d.areas[0], type(shown)(
        shown.code, shown.name, shown.target, type(shown.total)(9, 5), shown.modes,
        shown.focus), *d.areas[2:])})
    lo, hi = _attacker_bounds(leaky, engine, city, "Q1")
    assert lo == hi == small


def test_the_map_colours_shown_counts_and_hatches_hidden_ones(engine: Engine,
                                                               city: City) -> None:
    _add(engine, city, "Q1", 2)
    _add(engine, city, "Q2", 9)
    _add(engine, city, "Q3", 40)
    _add(engine, city, "Q4", 10)
    d = _board(engine, city=city)
    features = target_features(engine, city.campaign_id, d.areas)
    props = {f["properties"]["code"]: f["properties"] for f in features["features"]}
    assert props["Q3"]["label"] == "40 von 40 (100 %)" and props["Q3"]["colour"] == "#006d2c"
    assert props["Q4"]["label"] == "10 von 40 (25 %)" and props["Q4"]["value"] == 25.0
    for code in ("Q1", "Q2"):  # Q1 (two responses) and its partner
        assert props[code]["suppressed"] and props[code]["n"] is None
        assert props[code]["value"] is None and props[code]["label"] == "unter 5 von 40"
    assert "9" not in str(props["Q2"]) and target_features(
        engine, city.campaign_id, d.areas) is features  # kept while nothing changed
