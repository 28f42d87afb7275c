"""The citizens' online form end to end below the UI, on SQLite and PostgreSQL: a flagged
response is stored but not counted until accepted; the rate limit refuses before storing;
a double send stores one response; the area profile respects suppression."""

from __future__ import annotations

import datetime as dt
import threading
from collections.abc import Callable

import pytest
from sqlalchemy import text
from sqlalchemy.engine import Engine

from stadtraum.accounts.permissions import SYSTEM, Actor
from stadtraum.analysis.cube import CubeFilter
from stadtraum.analysis.cube_store import CubeProvider
from stadtraum.analysis.results import compute_results
from stadtraum.citizen.flagged import (
    accept_flagged,
    flagged_counts,
    flagged_responses,
    reject_flagged,
)
from stadtraum.citizen.form import NO_ANSWER, CitizenForm
from stadtraum.citizen.rate_limit import RateLimitedError, SlidingWindowLimiter
from stadtraum.citizen.service import OnlineLimits, send_form, start_form
from stadtraum.citizen.thanks import area_profile
from stadtraum.collect.status import change_status
from stadtraum.collect.submit import submit_response
from stadtraum.criteria import get_catalogue
from stadtraum.errors import ConflictError, ValidationError
from stadtraum.publish.service import publish_results
from tests.helpers import City, change_counter, count_rows, make_city, make_payload

IDS = get_catalogue().ids
VARIED = [5, 3, 4, 6, 2, 7, 5, 4, 3, 6, 5, 2, 4, NO_ANSWER]
TODAY = dt.date(2025, 6, 1)


@pytest.fixture
def city(engine: Engine) -> City:
    return make_city(engine, min_n=2)


def _limits(starts: int = 100, submissions: int = 100) -> OnlineLimits:
    return OnlineLimits(SlidingWindowLimiter(starts, 3600), SlidingWindowLimiter(submissions,
                                                                                 3600))


def _form(city: City, scores: list[int], area: str = "Q1") -> CitizenForm:
    form = CitizenForm(campaign_id=city.campaign_id, consent=True)
    form.start(1000.0, TODAY)
    form.area_code = area
    form.ratings = dict(zip(IDS, scores, strict=True))
    return form


def _moving(engine: Engine, provider: CubeProvider, city: City) -> int:
    res = compute_results(engine, provider, CubeFilter(campaign_ids=(city.campaign_id,)))
    return int(res.levels[0].counts[:, 0, :].sum())  # ratings of moving_around, all quarters


def test_flagged_response_is_stored_not_counted_until_accepted(engine: Engine,
                                                                city: City) -> None:
    provider = CubeProvider(engine)
    limits = _limits()
    ok = send_form(engine, _form(city, VARIED), limits, "a", min_seconds_per_answer=2,
                   now=1000.0 + 300)
    assert ok.flags == () and ok.result.created
    form = _form(city, [4] * 14)
    bad = send_form(engine, form, limits, "a", min_seconds_per_answer=2, now=1000.0 + 10)
    assert {f.code for f in bad.flags} == {"too_fast", "straight_lined"} and form.flagged
    assert count_rows(engine, "responses") == 2
    assert count_rows(engine, "responses", "status = 'flagged' AND mode = 'online'") == 1
    with engine.connect() as conn:
        reason = conn.execute(text("SELECT status_reason FROM responses WHERE status = "
                                   "'flagged'")).scalar_one()
    assert reason.startswith("too_fast: sehr schnell ausgefüllt")
    assert "straight_lined: alle 14 Bewertungen gleich (4)" in reason
    assert _moving(engine, provider, city) == 1  # only the valid one counts

    [listed] = flagged_responses(engine, city.campaign_id)
    assert listed.uuid == bad.result.response_id and listed.area_name == "Quartier Q1"
    assert listed.ratings == " ".join(["4"] * 14) and listed.n_ratings == 14
    assert listed.reason.startswith("sehr schnell ausgefüllt") and "alle 14" in listed.reason
    assert "too_fast" not in listed.reason  # people see German reasons, not internal codes
    assert [(c.campaign_name, c.count) for c in flagged_counts(engine)] == [("Befragung 2025", 1)]

    seq = change_counter(engine)
    accept_flagged(engine, bad.result.response_id, actor=Actor("admin", "admin"))
    assert change_counter(engine) == seq + 1
    assert _moving(engine, provider, city) == 2  # counted from now on
    assert flagged_responses(engine, city.campaign_id) == [] and flagged_counts(engine) == []
    with pytest.raises(ConflictError):  # a second admin's stale click
        reject_flagged(engine, bad.result.response_id, actor=Actor("admin2", "admin"))
    with engine.connect() as conn:
        actions = conn.execute(text("SELECT action FROM audit_log WHERE object_type = "
                                    "'response'")).scalars().all()
    assert actions == ["accept"]


def test_rejected_flagged_response_stays_out(engine: Engine, city: City) -> None:
    provider = CubeProvider(engine)
    bad = send_form(engine, _form(city, [7] * 14), _limits(), "a", min_seconds_per_answer=2,
                    now=2000.0)
    reject_flagged(engine, bad.result.response_id, actor=Actor("admin", "admin"))
    assert count_rows(engine, "responses", "status = 'voided'") == 1
    assert _moving(engine, provider, city) == 0


def test_two_admins_deciding_at_once_one_wins_the_other_is_told(engine: Engine,
                                                                  city: City) -> None:
    """Accept and reject of the same flagged response race: exactly one decision is stored
    and audited, the other admin gets a conflict — never "accepted, then voided"."""
    bad = send_form(engine, _form(city, [7] * 14), _limits(), "a", min_seconds_per_answer=2,
                    now=2000.0)
    rid = bad.result.response_id
    start = threading.Barrier(2)
    outcomes: dict[str, str] = {}

    def decide(name: str, act: Callable[..., None]) -> None:
        start.wait()
        try:
            act(engine, rid, actor=Actor(name, "admin"))
            outcomes[name] = "ok"
        except ConflictError:
            outcomes[name] = "conflict"

    threads = [threading.Thread(target=decide, args=("anna", accept_flagged)),
               threading.Thread(target=decide, args=("bert", reject_flagged))]
    for t in threads:
        t.start()
    for t in threads:
        t.join(30)
    assert sorted(outcomes.values()) == ["conflict", "ok"]
    winner = next(name for name, outcome in outcomes.items() if outcome == "ok")
    with engine.connect() as conn:
        status = conn.execute(text("SELECT status FROM responses")).scalar_one()
        actions = conn.execute(text("SELECT actor, action FROM audit_log WHERE object_type = "
                                    "'response'")).all()
    assert status == {"anna": "valid", "bert": "voided"}[winner]
    assert [tuple(a) for a in actions] == [(winner, {"anna": "accept", "bert": "reject"}[winner])]


def test_a_decision_taken_meanwhile_is_not_overridden(engine: Engine, city: City) -> None:
    """The second admin saw "flagged"; by the time they reject, it was accepted: refused."""
    bad = send_form(engine, _form(city, [7] * 14), _limits(), "a", min_seconds_per_answer=2,
                    now=2000.0)
    rid = bad.result.response_id
    accept_flagged(engine, rid, actor=Actor("anna", "admin"))
    with pytest.raises(ConflictError) as err:
        change_status(engine, rid, "voided", actor=Actor("bert", "admin"), reason="verworfen",
                      expected="flagged")
    assert "inzwischen von jemand anderem" in err.value.message_de
    assert count_rows(engine, "responses", "status = 'valid'") == 1


def test_rate_limit_refuses_before_storing_and_a_resend_does_not_count(engine: Engine,
                                                                       city: City) -> None:
    limits = _limits(submissions=2)
    first = _form(city, VARIED)
    send_form(engine, first, limits, "198.51.100.7", min_seconds_per_answer=0, now=2000.0)
    again = send_form(engine, first, limits, "198.51.100.7", min_seconds_per_answer=0,
                      now=2001.0)  # double tap: the same UUID and content
    assert not again.result.created
    send_form(engine, _form(city, VARIED), limits, "198.51.100.7", min_seconds_per_answer=0,
              now=2002.0)
    third = _form(city, VARIED)
    with pytest.raises(RateLimitedError) as exc:
        send_form(engine, third, limits, "198.51.100.7", min_seconds_per_answer=0, now=2003.0)
    assert "später noch einmal" in exc.value.message_de
    assert count_rows(engine, "responses") == 2
    send_form(engine, third, limits, "203.0.113.5", min_seconds_per_answer=0, now=2004.0)
    assert count_rows(engine, "responses") == 3  # another address is not affected


def test_a_failed_store_does_not_use_up_the_budget(engine: Engine, city: City) -> None:
    limits = _limits(submissions=1)
    broken = _form(city, VARIED, area="nowhere")
    with pytest.raises(ValidationError):
        send_form(engine, broken, limits, "a", min_seconds_per_answer=0, now=2000.0)
    assert limits.submissions.remaining("a") == 1


def test_form_starts_are_limited_and_counted_once(engine: Engine, city: City) -> None:
    limits = _limits(starts=1)
    form = CitizenForm(campaign_id=city.campaign_id, consent=True)
    start_form(form, limits, "a", now=1.0, today=TODAY)
    start_form(form, limits, "a", now=2.0, today=TODAY)  # the same form again: not counted
    assert form.started_at == 1.0 and form.step == 1
    with pytest.raises(RateLimitedError):
        start_form(CitizenForm(campaign_id=city.campaign_id, consent=True), limits, "a",
                   now=3.0, today=TODAY)


def test_frozen_payload_and_time_make_resends_identical(city: City, engine: Engine) -> None:
    form = _form(city, [4] * 14)
    p1, s1 = form.freeze(1005.0)
    form.ratings[IDS[0]] = 1  # later edits cannot change what is resent
    p2, s2 = form.freeze(5000.0)
    assert p1 == p2 and s1 == s2 == 5.0 and p1.mode == "online" and p1.entered_by is None


def test_submit_stores_the_given_status_and_refuses_others(engine: Engine, city: City) -> None:
    p = make_payload(city.campaign_id)
    submit_response(engine, p, status="flagged", status_reason="too_fast: test")
    # a resend asking for another status is the same content: idempotent, status kept
    assert not submit_response(engine, p).created
    assert count_rows(engine, "responses", "status = 'flagged'") == 1
    with pytest.raises(ValidationError):
        submit_response(engine, make_payload(city.campaign_id), status="voided")
    assert count_rows(engine, "responses") == 1


def test_area_profile_shows_own_ratings_and_only_published_area_values(engine: Engine,
                                                                       city: City) -> None:
    provider = CubeProvider(engine)
    for score in (3, 5):  # min_n = 2: moving_around in Q3 is published, housing is not
        submit_response(engine, make_payload(city.campaign_id, "Q3",
                                             {"moving_around": score, "housing": 4}
                                             if score == 3 else {"moving_around": score}))
    own = {"moving_around": 7, "housing": 1}
    unpublished = area_profile(engine, city.campaign_id, "Q3", own, "de")
    assert not unpublished.published and unpublished.area_shown == 0
    publish_results(engine, provider, city.campaign_id, actor=SYSTEM)
    profile = area_profile(engine, city.campaign_id, "Q3", own, "de")
    assert profile.labels[0] == "Zu Fuß und mit dem Rad" and len(profile.labels) == 14
    assert profile.own[0] == 7.0 and profile.own[IDS.index("housing")] == 1.0
    assert profile.own[1] is None
    assert profile.area[0] == 4.0 and profile.area[IDS.index("housing")] is None
    assert profile.published and profile.area_shown == 1
    empty = area_profile(engine, city.campaign_id, "Q1", own, "en")
    assert empty.labels[0] == "Moving around" and empty.area_shown == 0
