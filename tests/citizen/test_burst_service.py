"""The burst detector on the submit path, on SQLite and PostgreSQL: the ballot-stuffing attack
(50 addresses x 20 responses in one hour, each address within its own rate limit) ends with
everything above the threshold flagged and kept out of the statistics; concurrent sends are
counted right; a steady area has a higher threshold. The clock is the ``now`` passed in."""

from __future__ import annotations

import datetime as dt
import threading

import pytest
from sqlalchemy import text
from sqlalchemy.engine import Engine

from stadtraum.accounts.permissions import Actor
from stadtraum.analysis.cube import CubeFilter
from stadtraum.analysis.cube_store import CubeProvider
from stadtraum.analysis.results import compute_results
from stadtraum.citizen.flagged import accept_flagged, flagged_responses
from stadtraum.citizen.form import NO_ANSWER, CitizenForm
from stadtraum.citizen.service import OnlineLimits, make_limits, send_form
from stadtraum.config import Settings
from stadtraum.criteria import get_catalogue
from tests.helpers import City, count_rows, make_city

IDS = get_catalogue().ids
VARIED = [5, 3, 4, 6, 2, 7, 5, 4, 3, 6, 5, 2, 4, NO_ANSWER]  # plausible: no other flag
T0 = dt.datetime(2025, 6, 2, 9, 0, tzinfo=dt.UTC).timestamp()


@pytest.fixture
def city(engine: Engine) -> City:
    return make_city(engine, min_n=2)


def _send(engine: Engine, city: City, limits: OnlineLimits, address: str, now: float,
          area: str = "Q1") -> bool:
    """Send one patient, varied form at ``now``; True if it was flagged."""
    form = CitizenForm(campaign_id=city.campaign_id, consent=True)
    form.start(now - 600, dt.date(2025, 6, 2))
    form.area_code = area
    form.ratings = dict(zip(IDS, VARIED, strict=True))
    out = send_form(engine, form, limits, address, min_seconds_per_answer=2, now=now)
    assert out.result.created
    return form.flagged


def _counted(engine: Engine, city: City) -> int:
    res = compute_results(engine, CubeProvider(engine),
                          CubeFilter(campaign_ids=(city.campaign_id,)))
    return int(res.levels[0].counts[:, 0, :].sum())  # moving_around ratings, all quarters


def test_fifty_addresses_times_twenty_in_an_hour_are_flagged_above_ten(
        engine: Engine, city: City) -> None:
    limits = make_limits(Settings())  # the shipped limit: 20 submissions per address and hour
    assert limits.submissions.limit == 20
    flagged = []
    for i in range(1000):  # 50 addresses taking turns, one response every 3.5 s
        address = f"198.51.100.{i % 50}"
        flagged.append(_send(engine, city, limits, address, T0 + i * 3.5))
    assert not any(flagged[:10]) and all(flagged[10:])
    assert sum(flagged) == 990
    assert count_rows(engine, "responses", "status = 'valid'") == 10
    with engine.connect() as conn:
        reasons = conn.execute(text("SELECT status_reason FROM responses WHERE status = "
                                    "'flagged'")).scalars().all()
    assert all(r.startswith("burst: Häufung im Gebiet") for r in reasons)
    assert "burst: Häufung im Gebiet: 11. Online-Antwort innerhalb einer Stunde " \
           "(Schwelle 10)" in reasons
    assert _counted(engine, city) == 10  # the excess stays out of the statistics
    # the admin sees a German reason, no internal code, and can let one in
    newest = flagged_responses(engine, city.campaign_id, limit=1)[0]
    assert newest.reason == "Häufung im Gebiet: 1000. Online-Antwort innerhalb einer Stunde " \
                            "(Schwelle 10)"
    accept_flagged(engine, newest.uuid, actor=Actor("ada", "admin"))
    assert _counted(engine, city) == 11


def test_the_hour_slides_and_other_areas_are_not_affected(engine: Engine, city: City) -> None:
    limits = make_limits(Settings(public_max_submissions_per_hour=1000))
    assert [_send(engine, city, limits, "a", T0 + i) for i in range(11)] == [False] * 10 + [True]
    assert not _send(engine, city, limits, "a", T0 + 20, area="Q2")  # another area
    assert _send(engine, city, limits, "a", T0 + 3599)  # the 12th within the hour
    # an hour after the first ten, they have left the window: 2 left in it (the 11th, 12th)
    assert not _send(engine, city, limits, "a", T0 + 3600 + 11)


def test_a_steady_area_has_five_times_its_median(engine: Engine, city: City) -> None:
    limits = make_limits(Settings(public_max_submissions_per_hour=100_000))
    start = T0 - 169 * 3600  # the week before the last hour
    for hour in range(168):  # 3 responses in each of its hours
        for k in range(3):
            assert not _send(engine, city, limits, "a", start + hour * 3600 + 600 + k * 900)
    burst = [_send(engine, city, limits, "b", T0 + i) for i in range(20)]
    assert burst == [False] * 15 + [True] * 5  # threshold 5 x 3 = 15


def test_concurrent_sends_are_counted_one_after_the_other(engine: Engine, city: City) -> None:
    """20 sends into one area at the same moment from 20 addresses: exactly 10 valid."""
    limits = make_limits(Settings())
    barrier = threading.Barrier(20)
    results: list[bool] = []
    errors: list[BaseException] = []

    def one(i: int) -> None:
        barrier.wait()
        try:
            results.append(_send(engine, city, limits, f"203.0.113.{i}", T0 + 1))
        except BaseException as exc:  # reported below
            errors.append(exc)

    threads = [threading.Thread(target=one, args=(i,)) for i in range(20)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    assert not errors
    assert sorted(results) == [False] * 10 + [True] * 10
    assert count_rows(engine, "responses", "status = 'valid'") == 10
