"""Meine Befragungen heute: the day's list, voiding with a reason, correcting as a new
version — on SQLite and PostgreSQL, checked against the stored rows and the statistics."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import text, update
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session

from stadtraum.accounts.permissions import SYSTEM, Actor
from stadtraum.analysis.cube import CubeFilter
from stadtraum.analysis.cube_store import CubeProvider
from stadtraum.analysis.results import compute_results
from stadtraum.collect.drafts import send_interview
from stadtraum.collect.interview import REVIEW, Interview
from stadtraum.collect.my_interviews import LOCAL_TZ, correction_of, interviews_of_day, local_today
from stadtraum.collect.status import change_status, void_response
from stadtraum.collect.submit import submit_response
from stadtraum.criteria import DEFAULT_CATALOGUE, get_catalogue
from stadtraum.errors import ConflictError, NotFoundError, ValidationError
from stadtraum.store.db import Response
from stadtraum.store.engine import write_engine
from tests.helpers import change_counter, count_rows, make_city, make_payload

CRITS = {"moving_around": 2, "housing": 6, "feeling_safe": 5}


def _store(engine: Engine, campaign_id: int, who: str = "erika", **kw: object) -> str:
    p = make_payload(campaign_id, "Q1", CRITS, entered_by=who,
                     comments=[("housing", "better", "Mehr Bänke")],
                     priorities=("housing",), age_band="30_44", **kw)
    submit_response(engine, p)
    return p.response_id


def _respondents(engine: Engine, campaign_id: int) -> int:
    """Respondents of the whole city as the statistics engine counts them."""
    results = compute_results(engine, CubeProvider(engine), CubeFilter(campaign_ids=(campaign_id,)))
    return int(results.levels[-1].respondents[0])


def test_list_shows_only_the_helpers_own_interviews_of_the_local_day(engine: Engine) -> None:
    city = make_city(engine)
    mine = _store(engine, city.campaign_id)
    _store(engine, city.campaign_id, who="otto")
    yesterday = _store(engine, city.campaign_id)
    # saved at 23:30 local time yesterday = 22:30 UTC (winter): not "today"
    today = local_today()
    late = dt.datetime.combine(today - dt.timedelta(days=1), dt.time(23, 30), tzinfo=LOCAL_TZ)
    with Session(write_engine(engine)) as s, s.begin():
        s.execute(update(Response).where(Response.uuid == yesterday)
                  .values(created_at=late.astimezone(dt.UTC)))
    rows = interviews_of_day(engine, "erika", today)
    assert [r.response_id for r in rows] == [mine]
    assert rows[0].answered == 3 and rows[0].status == "valid" and rows[0].version == 1
    assert rows[0].area == "Quartier Q1"
    assert rows[0].saved_at.tzinfo is not None
    assert [r.response_id for r in interviews_of_day(engine, "erika", late.date())] == [yesterday]


def test_void_needs_a_known_reason_and_only_the_own_interview(engine: Engine) -> None:
    city = make_city(engine)
    rid = _store(engine, city.campaign_id)
    with pytest.raises(ValidationError):
        void_response(engine, rid, "keine Lust", actor=Actor("erika", "helper"))
    with pytest.raises(NotFoundError):
        void_response(engine, rid, "test", actor=Actor("otto", "helper"))
    assert count_rows(engine, "responses", "status = 'valid'") == 1
    before = change_counter(engine)
    void_response(engine, rid, "wrong_area", actor=Actor("erika", "helper"))
    assert change_counter(engine) == before + 1
    with engine.connect() as conn:
        status, reason = conn.execute(text("SELECT status, status_reason FROM responses")).one()
        audit = conn.execute(text("SELECT actor, action FROM audit_log WHERE "
                                  "object_type = 'response'")).all()
    assert (status, reason) == ("voided", "wrong_area")
    assert [tuple(a) for a in audit] == [("erika", "void")]
    # a second click changes nothing and writes no second audit line
    void_response(engine, rid, "wrong_area", actor=Actor("erika", "helper"))
    assert change_counter(engine) == before + 1
    # a voided interview cannot come back as valid through this door
    with pytest.raises(ConflictError):
        change_status(engine, rid, "valid", actor=Actor("erika", "helper"), reason="doch")


def test_voided_interview_leaves_the_statistics(engine: Engine) -> None:
    city = make_city(engine)
    rid = _store(engine, city.campaign_id)
    _store(engine, city.campaign_id)
    assert _respondents(engine, city.campaign_id) == 2
    void_response(engine, rid, "consent_withdrawn", actor=Actor("erika", "helper"))
    assert _respondents(engine, city.campaign_id) == 1


def test_correction_is_prefilled_and_replaces_the_original(engine: Engine) -> None:
    city = make_city(engine)
    rid = _store(engine, city.campaign_id)
    iv = correction_of(engine, rid, "erika")
    assert iv.replaces == rid and iv.response_id != rid
    assert iv.ratings == CRITS and iv.area_code == "Q1" and iv.consent
    assert iv.comments == {"housing": {"better": "Mehr Bänke"}}
    assert iv.priorities == ["housing"] and iv.age_band == "30_44"
    assert iv.started_on == "2025-05-06"
    assert Interview.steps(get_catalogue(DEFAULT_CATALOGUE))[iv.step] == REVIEW
    iv.ratings["moving_around"] = 3
    result = send_interview(engine, iv, actor=SYSTEM)
    assert result.created
    with engine.connect() as conn:
        rows = conn.execute(text("SELECT uuid, status, version FROM responses "
                                 "ORDER BY version")).all()
        score = conn.execute(text(
            "SELECT r.score FROM ratings r JOIN responses p ON p.id = r.response_id "
            "WHERE p.uuid = :u AND r.criterion_id = 'moving_around'"), {"u": iv.response_id}
        ).scalar_one()
    assert [tuple(r) for r in rows] == [(rid, "superseded", 1), (iv.response_id, "valid", 2)]
    assert score == 3
    assert _respondents(engine, city.campaign_id) == 1
    # the replaced version cannot be corrected again; another helper cannot correct at all
    with pytest.raises(ConflictError):
        correction_of(engine, rid, "erika")
    with pytest.raises(NotFoundError):
        correction_of(engine, iv.response_id, "otto")
