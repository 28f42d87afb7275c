"""AppTest of "Schutz vor Massenantworten" on the campaigns page (issue 11: the burst detector
gets its controls there): the admin switches it and sets floor and factor, the rule is
explained with the numbers, a change made meanwhile is a conflict, the campaign's flagged
online responses are counted and reviewed right there; English in the English UI."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator
from dataclasses import dataclass

import pytest
from sqlalchemy import select
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session
from streamlit.testing.v1 import AppTest

from stadtraum.accounts.permissions import Actor
from stadtraum.accounts.users import AuthUser
from stadtraum.admin.campaign_burst import BurstControls, burst_status, set_burst_controls
from stadtraum.citizen.form import NO_ANSWER, CitizenForm
from stadtraum.citizen.service import make_limits, send_form
from stadtraum.config import Settings
from stadtraum.criteria import get_catalogue
from stadtraum.store.db import AuditEntry, Campaign
from stadtraum.store.engine import make_engine
from stadtraum.store.migrate import migrate
from tests.app.conftest import ROOT
from tests.app.flow import run
from tests.helpers import City, count_rows, make_city

ADA, BEA = Actor("ada", "admin"), Actor("bea", "admin")
IDS = get_catalogue().ids
VARIED = [5, 3, 4, 6, 2, 7, 5, 4, 3, 6, 5, 2, 4, NO_ANSWER]


@dataclass
class Town:
    engine: Engine
    city: City


@pytest.fixture
def town(app_db: str, monkeypatch: pytest.MonkeyPatch) -> Iterator[Town]:
    monkeypatch.setenv("STADTRAUM_DEMO_ON_EMPTY", "0")
    engine = make_engine(app_db)
    migrate(engine)
    yield Town(engine, make_city(engine))
    engine.dispose()


def _page(en: bool = False) -> AppTest:
    at = AppTest.from_file(str(ROOT / "pages" / "campaigns.py"), default_timeout=120)
    at.session_state["user"] = AuthUser(id=1, name="ada", role="admin")
    if en:
        at.session_state["lang"] = "English"
    return run(at)


def _plain(text: str) -> str:
    return re.sub(r"\\(.)", r"\1", text).replace("\u2060", "")


def _texts(at: AppTest) -> str:
    return " ".join(_plain(e.value) for e in [*at.markdown, *at.caption])


def _version(engine: Engine, cid: int) -> int:
    with Session(engine) as session:
        c = session.get(Campaign, cid)
        assert c is not None
        return c.version


def _keys(cid: int, version: int) -> tuple[str, str, str]:
    prefix = f"camp_burst_{cid}_{version}"
    return f"{prefix}_on", f"{prefix}_floor", f"{prefix}_factor"


def _save(at: AppTest, label: str = "Schutz speichern") -> AppTest:
    next(b for b in at.button if b.label == label).click()
    return run(at)


def _send_online(engine: Engine, cid: int, n: int) -> None:
    limits = make_limits(Settings(public_max_submissions_per_hour=1000))
    now = dt.datetime.now(dt.UTC).timestamp()
    for i in range(n):
        form = CitizenForm(campaign_id=cid, consent=True)
        form.start(now - 600, dt.date.today())
        form.area_code = "Q1"
        form.ratings = dict(zip(IDS, VARIED, strict=True))
        send_form(engine, form, limits, "198.51.100.9", min_seconds_per_answer=2,
                  now=now + i)


def test_the_admin_sets_floor_and_factor_and_switches_it_off(town: Town) -> None:
    cid = town.city.campaign_id
    at = _page()
    assert any(s.value == "Schutz vor Massenantworten" for s in at.subheader)
    text = _texts(at)
    assert "mehr als 10 Online-Antworten" in text and "die 11. und jede weitere" in text
    assert "beim 5-Fachen des Medians" in text
    assert "0 markierte Online-Antworten warten auf Prüfung" in text
    on, floor, factor = _keys(cid, _version(town.engine, cid))
    assert at.toggle(key=on).value is True
    at.number_input(key=floor).set_value(3)
    at.number_input(key=factor).set_value(8)
    _save(at)
    assert any("Schutz vor Massenantworten gespeichert" in _plain(s.value) for s in at.success)
    assert burst_status(town.engine, cid, actor=ADA).controls == BurstControls(True, 3, 8)
    assert "mehr als 3 Online-Antworten" in _texts(at)  # the form now shows the new state
    on, floor, factor = _keys(cid, _version(town.engine, cid))
    assert at.number_input(key=floor).value == 3
    at.toggle(key=on).set_value(False)
    _save(at)
    assert burst_status(town.engine, cid, actor=ADA).controls == BurstControls(False, 3, 8)
    assert "Ausgeschaltet: Online-Antworten dieser Befragung werden nicht" in _texts(at)
    with Session(town.engine) as session:
        actors = session.scalars(select(AuditEntry.actor).where(
            AuditEntry.action == "burst_controls")).all()
    assert actors == ["ada", "ada"]


def test_a_change_made_meanwhile_is_a_conflict(town: Town) -> None:
    cid = town.city.campaign_id
    at = _page()
    shown = _version(town.engine, cid)
    set_burst_controls(town.engine, cid, BurstControls(True, 40, 5), actor=BEA)
    _, floor, _ = _keys(cid, shown)
    at.number_input(key=floor).set_value(2)
    _save(at)
    assert any("inzwischen von jemand anderem geändert" in _plain(e.value) for e in at.error)
    assert burst_status(town.engine, cid, actor=ADA).controls.floor == 40  # bea's stands
    _, floor, _ = _keys(cid, _version(town.engine, cid))
    assert at.number_input(key=floor).value == 40  # the page shows the current state
    assert count_rows(town.engine, "audit_log", "action = 'burst_controls'") == 1


def test_flagged_responses_are_counted_and_reviewed_here(town: Town) -> None:
    cid = town.city.campaign_id
    set_burst_controls(town.engine, cid, BurstControls(True, 3, 5), actor=ADA)
    _send_online(town.engine, cid, 5)  # the 4th and 5th are flagged
    at = _page()
    assert "2 markierte Online-Antworten warten auf Prüfung (davon 2 wegen einer Häufung)" \
        in _texts(at)
    reasons = [t.value for t in at.text if t.value.startswith("Grund: ")]
    assert len(reasons) == 2 and "Häufung im Gebiet: 5. Online-Antwort" in reasons[0]
    next(b for b in at.button if b.label == "Annehmen").click()
    run(at)
    assert any("Angenommen" in _plain(i.value) for i in at.info)
    assert count_rows(town.engine, "responses", "status = 'flagged'") == 1
    assert "1 markierte Online-Antworten warten" in _texts(at)


def test_in_english(town: Town) -> None:
    cid = town.city.campaign_id
    set_burst_controls(town.engine, cid, BurstControls(True, 3, 5), actor=ADA)
    _send_online(town.engine, cid, 4)
    at = _page(en=True)
    assert any(s.value == "Protection against mass responses" for s in at.subheader)
    on, floor, _ = _keys(cid, _version(town.engine, cid))
    assert at.toggle(key=on).label == "Burst detector on"
    assert at.number_input(key=floor).label.startswith("Floor")
    text = _texts(at)
    assert "When more than 3 online responses come in for one area" in text
    assert "1 flagged online responses await review" in text
    assert any(t.value.startswith("Reason (as recorded, in German): Häufung") for t in at.text)
    assert {b.label for b in at.button} >= {"Save protection", "Accept", "Reject"}
