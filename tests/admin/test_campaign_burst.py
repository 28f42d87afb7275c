"""The burst detector's controls per campaign (issue 11: "the burst detector gets its controls
on the campaigns page"), on SQLite and PostgreSQL: every bad value is refused with the field
named and nothing stored; a stale row version is a conflict; each change is audited in its
transaction; and the citizens' submit path really follows the controls (floor 3: the 4th
online response of an hour is flagged; switched off: none is; an existing campaign keeps 10
and 5)."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from sqlalchemy import select, text
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session

from stadtraum.accounts.permissions import Actor
from stadtraum.admin.audit_words import action_label, detail_text
from stadtraum.admin.campaign_burst import (
    BurstControls,
    burst_status,
    check_controls,
    set_burst_controls,
)
from stadtraum.citizen.form import NO_ANSWER, CitizenForm
from stadtraum.citizen.service import OnlineLimits, make_limits, send_form
from stadtraum.config import Settings
from stadtraum.criteria import get_catalogue
from stadtraum.errors import ValidationError
from stadtraum.store.campaigns import StaleCampaignError
from stadtraum.store.db import AuditEntry, Campaign
from stadtraum.store.engine import write_engine
from tests.helpers import City, count_rows, make_city

ADA, BEA = Actor("ada", "admin"), Actor("bea", "admin")
IDS = get_catalogue().ids
VARIED = [5, 3, 4, 6, 2, 7, 5, 4, 3, 6, 5, 2, 4, NO_ANSWER]  # plausible: no other flag
T0 = dt.datetime(2025, 6, 2, 9, 0, tzinfo=dt.UTC).timestamp()


@pytest.fixture
def city(engine: Engine) -> City:
    return make_city(engine, min_n=2)


def _campaign(engine: Engine, cid: int) -> Campaign:
    with Session(engine) as session:
        c = session.get(Campaign, cid)
        assert c is not None
        session.expunge(c)
        return c


def _send(engine: Engine, cid: int, limits: OnlineLimits, now: float, area: str = "Q1") -> bool:
    """One patient, varied online form at ``now``; True if it was flagged."""
    form = CitizenForm(campaign_id=cid, consent=True)
    form.start(now - 600, dt.date(2025, 6, 2))
    form.area_code = area
    form.ratings = dict(zip(IDS, VARIED, strict=True))
    out = send_form(engine, form, limits, "198.51.100.7", min_seconds_per_answer=2, now=now)
    assert out.result.created
    return form.flagged


def _limits() -> OnlineLimits:
    return make_limits(Settings(public_max_submissions_per_hour=10_000))


@pytest.mark.parametrize(("enabled", "floor", "factor", "field", "de"), [
    (True, 0, 5, "burst_floor", "Die Untergrenze der Häufungserkennung muss eine ganze Zahl "
     "von 1 bis 10.000 sein (nicht „0“)"),
    (True, 10_001, 5, "burst_floor", "von 1 bis 10.000 sein (nicht „10001“)"),
    (True, -3, 5, "burst_floor", "(nicht „-3“)"),
    (True, 2.5, 5, "burst_floor", "(nicht „2.5“)"),
    (True, "zehn", 5, "burst_floor", "(nicht „zehn“)"),
    (True, None, 5, "burst_floor", "(nicht „None“)"),
    (True, True, 5, "burst_floor", "(nicht „True“)"),  # a bool is no number
    (True, 10, 0, "burst_factor", "Der Faktor der Häufungserkennung muss eine ganze Zahl von "
     "1 bis 100 sein (nicht „0“)"),
    (True, 10, 101, "burst_factor", "(nicht „101“)"),
    (True, 10, 1.5, "burst_factor", "(nicht „1.5“)"),
    ("ja", 10, 5, "burst_enabled", "„Häufungserkennung eingeschaltet“ kennt nur an oder aus"),
    (1, 10, 5, "burst_enabled", "(nicht „1“)"),
])
def test_each_bad_value_is_refused_naming_the_field_and_nothing_is_stored(
        engine: Engine, city: City, enabled: object, floor: object, factor: object, field: str,
        de: str) -> None:
    before = _campaign(engine, city.campaign_id)
    with pytest.raises(ValidationError) as err:
        set_burst_controls(engine, city.campaign_id,
                           BurstControls(enabled, floor, factor),  # type: ignore[arg-type]
                           actor=ADA)
    assert err.value.field == field
    assert de in err.value.message_de
    assert err.value.message_en != err.value.message_de and "(not “" in err.value.message_en
    after = _campaign(engine, city.campaign_id)
    assert (after.burst_enabled, after.burst_floor, after.burst_factor, after.version) == \
        (before.burst_enabled, before.burst_floor, before.burst_factor, before.version)
    assert count_rows(engine, "audit_log", "action = 'burst_controls'") == 0


@pytest.mark.parametrize(("floor", "factor"), [(1, 1), (10_000, 100), (3.0, "7")])
def test_the_limits_themselves_are_accepted(floor: object, factor: object) -> None:
    c = check_controls(False, floor, factor)
    assert (c.floor, c.factor) == (int(float(str(floor))), int(str(factor)))


def test_a_change_is_stored_audited_and_bumps_the_version(engine: Engine, city: City) -> None:
    v = _campaign(engine, city.campaign_id).version
    changed = set_burst_controls(engine, city.campaign_id, BurstControls(True, 3, 8), actor=ADA,
                                 expected_version=v)
    assert changed == ["burst_floor", "burst_factor"]
    c = _campaign(engine, city.campaign_id)
    assert (c.burst_enabled, c.burst_floor, c.burst_factor, c.version) == (True, 3, 8, v + 1)
    with Session(engine) as session:
        entry = session.scalars(select(AuditEntry).where(
            AuditEntry.action == "burst_controls")).one()
    assert (entry.actor, entry.object_type, entry.object_id) == ("ada", "campaign",
                                                                 str(city.campaign_id))
    assert json.loads(entry.detail or "") == {
        "name": "Befragung 2025", "burst_floor": {"old": 10, "new": 3},
        "burst_factor": {"old": 5, "new": 8}}
    assert action_label("burst_controls", "campaign") == "Häufungserkennung eingestellt"
    assert "Untergrenze der Häufungserkennung: " in detail_text(entry.detail)
    assert "burst floor: " in detail_text(entry.detail, "en")
    # the same values again: nothing to do, no version bump, no second entry
    assert set_burst_controls(engine, city.campaign_id, BurstControls(True, 3, 8),
                              actor=ADA) == []
    assert _campaign(engine, city.campaign_id).version == v + 1
    assert count_rows(engine, "audit_log", "action = 'burst_controls'") == 1


def test_a_change_made_meanwhile_is_a_conflict_not_an_overwrite(engine: Engine,
                                                                city: City) -> None:
    shown = burst_status(engine, city.campaign_id, actor=ADA).version  # ada's form
    set_burst_controls(engine, city.campaign_id, BurstControls(True, 25, 5), actor=BEA,
                       expected_version=shown)
    with pytest.raises(StaleCampaignError) as err:
        set_burst_controls(engine, city.campaign_id, BurstControls(False, 10, 5), actor=ADA,
                           expected_version=shown)
    assert "inzwischen von jemand anderem geändert" in err.value.message_de
    c = _campaign(engine, city.campaign_id)
    assert (c.burst_enabled, c.burst_floor) == (True, 25)  # bea's change stands
    assert count_rows(engine, "audit_log", "action = 'burst_controls'") == 1


def test_an_audit_failure_leaves_the_controls_unchanged(engine: Engine, city: City,
                                                        monkeypatch: pytest.MonkeyPatch) -> None:
    """The audit entry is written in the change's transaction: when it fails, nothing is
    stored."""
    import stadtraum.admin.campaign_burst as module

    def broken(*args: object, **kwargs: object) -> None:
        raise RuntimeError("audit log unavailable")

    monkeypatch.setattr(module, "audit", broken)
    with pytest.raises(RuntimeError):
        set_burst_controls(engine, city.campaign_id, BurstControls(False, 3, 2), actor=ADA)
    c = _campaign(engine, city.campaign_id)
    assert (c.burst_enabled, c.burst_floor, c.burst_factor) == (True, 10, 5)


def test_with_floor_three_the_fourth_online_response_of_an_hour_is_flagged(
        engine: Engine, city: City) -> None:
    set_burst_controls(engine, city.campaign_id, BurstControls(True, 3, 5), actor=ADA)
    limits = _limits()
    sent = [_send(engine, city.campaign_id, limits, T0 + i * 60) for i in range(6)]
    assert sent == [False, False, False, True, True, True]
    assert not _send(engine, city.campaign_id, limits, T0 + 400, area="Q2")  # another area
    with engine.connect() as conn:
        reasons = conn.execute(text("SELECT status_reason FROM responses WHERE status = "
                                    "'flagged' ORDER BY id")).scalars().all()
    assert reasons[0] == "burst: Häufung im Gebiet: 4. Online-Antwort innerhalb einer Stunde " \
                         "(Schwelle 3)"
    status = burst_status(engine, city.campaign_id, actor=ADA, with_areas=True,
                          now=dt.datetime.fromtimestamp(T0 + 401, dt.UTC))
    assert (status.flagged, status.flagged_burst) == (3, 3)
    areas = {a.code: a for a in status.areas or ()}
    assert set(areas) == {"Q1", "Q2", "Q3"}
    assert (areas["Q1"].last_hour, areas["Q1"].median, areas["Q1"].threshold) == (6, 0.0, 3.0)
    assert (areas["Q2"].last_hour, areas["Q3"].last_hour) == (1, 0)
    # an hour later the window has moved on: the next one counts again
    assert not _send(engine, city.campaign_id, limits, T0 + 3600 + 400)


def test_a_higher_factor_lifts_a_steady_areas_threshold(engine: Engine, city: City) -> None:
    set_burst_controls(engine, city.campaign_id, BurstControls(True, 2, 2), actor=ADA)
    limits = _limits()
    start = T0 - 169 * 3600  # the week before the last hour: 1 response in each hour
    for hour in range(168):
        _send(engine, city.campaign_id, limits, start + hour * 3600 + 600)
    now = dt.datetime.fromtimestamp(T0, dt.UTC)
    q1 = next(a for a in burst_status(engine, city.campaign_id, actor=ADA, with_areas=True,
                                      now=now).areas or () if a.code == "Q1")
    assert (q1.median, q1.threshold) == (1.0, 2.0)  # max(2, 2 × 1)
    set_burst_controls(engine, city.campaign_id, BurstControls(True, 2, 4), actor=ADA)
    burst = [_send(engine, city.campaign_id, limits, T0 + i) for i in range(6)]
    assert burst == [False] * 4 + [True] * 2  # max(2, 4 × 1) = 4


def test_switched_off_nothing_is_flagged_and_on_again_the_count_includes_them(
        engine: Engine, city: City) -> None:
    set_burst_controls(engine, city.campaign_id, BurstControls(False, 3, 5), actor=ADA)
    limits = _limits()
    assert not any(_send(engine, city.campaign_id, limits, T0 + i * 10) for i in range(15))
    assert count_rows(engine, "responses", "status = 'flagged'") == 0
    assert burst_status(engine, city.campaign_id, actor=ADA).flagged == 0
    set_burst_controls(engine, city.campaign_id, BurstControls(True, 3, 5), actor=ADA)
    assert _send(engine, city.campaign_id, limits, T0 + 200)  # the 16th of the hour
    assert count_rows(engine, "responses", "status = 'flagged'") == 1


def test_an_existing_campaign_keeps_ten_and_five(engine: Engine, city: City) -> None:
    """A campaign row written without the new columns (as before migration 0011) gets the
    detector as it was: on, floor 10, factor 5; the 11th online response of an hour is the
    first flagged."""
    with Session(write_engine(engine)) as session, session.begin():
        session.execute(text(
            "INSERT INTO campaigns (name, catalogue_id, level_id, status, min_n, is_demo, "
            "public_enabled, invitation_required, created_at, version, allowed_modes) VALUES "
            "('Alte Befragung', :cat, :level, 'open', 2, :no, :no, :no, :at, 1, "
            "'street,focus_group,paper,online')"),
            {"cat": _campaign(engine, city.campaign_id).catalogue_id,
             "level": city.quarter_level_id, "no": False,
             "at": dt.datetime(2025, 1, 1, tzinfo=dt.UTC)})
        old_id = int(session.scalar(text("SELECT id FROM campaigns WHERE name = "
                                         "'Alte Befragung'")) or 0)
    status = burst_status(engine, old_id, actor=ADA)
    assert status.controls == BurstControls(True, 10, 5)
    limits = _limits()
    sent = [_send(engine, old_id, limits, T0 + i * 30) for i in range(12)]
    assert sent == [False] * 10 + [True] * 2
    assert burst_status(engine, city.campaign_id, actor=ADA).controls == \
        BurstControls(True, 10, 5)  # the other campaign, made by the library, too
