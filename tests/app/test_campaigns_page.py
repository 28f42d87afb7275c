"""AppTest of the campaigns page "Befragungen" (issue 11, item 3): admins list, create, set up,
open, close (after a confirmation that shows what changes) and reopen campaigns and set
targets per area from a file; refused input names the field, in German and English; a change
made meanwhile is a conflict; the other roles do not reach the page; names with markup are
shown literally."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator
from dataclasses import dataclass, replace

import pandas as pd
import pytest
from sqlalchemy import select
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session
from streamlit.proto.Common_pb2 import FileURLs
from streamlit.runtime.uploaded_file_manager import UploadedFile, UploadedFileRec
from streamlit.testing.v1 import AppTest

from stadtraum.accounts.permissions import SYSTEM, Actor
from stadtraum.accounts.users import AuthUser
from stadtraum.admin.campaign_settings import update_settings
from stadtraum.admin.campaigns import list_campaign_rows
from stadtraum.citizen.public_link import enable_public_link
from stadtraum.collect.submit import submit_response
from stadtraum.store.campaigns import area_targets
from stadtraum.store.db import AuditEntry, Campaign
from stadtraum.store.engine import make_engine
from stadtraum.store.migrate import migrate
from tests.app.conftest import ROOT
from tests.app.flow import run
from tests.app.test_hostile_text import Findings
from tests.helpers import City, make_city, make_payload

ADA = Actor("ada", "admin")


@dataclass
class Town:
    engine: Engine
    city: City


@pytest.fixture
def town(app_db: str, monkeypatch: pytest.MonkeyPatch) -> Iterator[Town]:
    """A tiny city (quarters Q1-Q3) with one open campaign; no demo."""
    monkeypatch.setenv("STADTRAUM_DEMO_ON_EMPTY", "0")
    engine = make_engine(app_db)
    migrate(engine)
    yield Town(engine, make_city(engine))
    engine.dispose()


def _page(role: str = "admin", name: str = "ada", en: bool = False) -> AppTest:
    at = AppTest.from_file(str(ROOT / "pages" / "campaigns.py"), default_timeout=120)
    at.session_state["user"] = AuthUser(id=1, name=name, role=role)
    if en:
        at.session_state["lang"] = "English"
    return run(at)


def _campaign(engine: Engine, cid: int) -> Campaign:
    with Session(engine) as session:
        c = session.get(Campaign, cid)
        assert c is not None
        session.expunge(c)
        return c


def _plain(text: str) -> str:
    return re.sub(r"\\(.)", r"\1", text).replace("\u2060", "")


def _errors(at: AppTest) -> list[str]:
    return [_plain(e.value) for e in at.error]


def _success(at: AppTest) -> list[str]:
    return [_plain(s.value) for s in at.success]


def _button(at: AppTest, label: str) -> AppTest:
    next(b for b in at.button if b.label == label).click()
    return run(at)


def _press(at: AppTest, key: str) -> AppTest:
    at.button(key=key).click()
    return run(at)


@pytest.mark.parametrize("role", ["helper", "moderator", "planner"])
def test_other_roles_do_not_reach_the_page(town: Town, role: str) -> None:
    at = _page(role, "erika")
    assert any("nicht freigegeben" in e.value for e in at.error)
    assert not at.dataframe and not at.button and not at.text_input and not at.selectbox


def test_the_list_shows_status_level_modes_and_responses(town: Town) -> None:
    submit_response(town.engine, make_payload(town.city.campaign_id))
    at = _page()
    assert at.title[0].value == "Befragungen"
    frame = at.dataframe[0].value
    assert list(frame["Name"]) == ["Befragung 2025"]
    assert list(frame["Status"]) == ["offen"]
    assert list(frame["Gebietsebene"]) == ["Quartier (Teststadt v1)"]
    assert list(frame["Antworten"]) == [1]
    assert "Straßenbefragung" in frame["Erhebungsarten"][0]


def test_create_set_up_open_close_and_reopen(town: Town) -> None:
    at = _page()
    at.text_input(key="camp_new_name").input("Welle 2027")
    at.multiselect(key="camp_new_modes_de").set_value(["street", "online"])
    at.number_input(key="camp_new_min_n").set_value(7)
    at.number_input(key="camp_new_target").set_value(40)
    _button(at, "Befragung anlegen")
    assert any("Befragung angelegt" in s for s in _success(at)), _errors(at)
    new = next(r for r in list_campaign_rows(town.engine, actor=ADA) if r.name == "Welle 2027")
    assert (new.status, new.allowed_modes, new.min_n, new.default_target) == \
        ("draft", ("street", "online"), 7, 40)
    assert at.selectbox(key="camp_pick").value == new.id  # the new one is open below
    assert area_targets(Session(town.engine), new.id) == {"Q1": 40, "Q2": 40, "Q3": 40}

    _press(at, f"camp_open_{new.id}")
    assert _campaign(town.engine, new.id).status == "open"
    enable_public_link(town.engine, new.id, actor=ADA)
    run(at)
    _press(at, f"camp_close_ask_{new.id}")  # asks first, shows what changes
    text = _plain(" ".join(m.value for m in at.markdown))
    assert "abschließen?" in text and "Bürger-Link ist eingeschaltet" in text
    assert "Erfasser*innen können keine Befragungen mehr senden" in text
    assert at.button(key=f"camp_close_{new.id}").disabled  # not before the tick
    assert _campaign(town.engine, new.id).status == "open"
    at.checkbox(key=f"camp_close_ok_{new.id}").check()
    run(at)
    _press(at, f"camp_close_{new.id}")
    assert _campaign(town.engine, new.id).status == "closed"
    assert "Befragung abgeschlossen." in _success(at)
    _press(at, f"camp_reopen_{new.id}")
    assert _campaign(town.engine, new.id).status == "open"
    with Session(town.engine) as session:
        actions = list(session.scalars(select(AuditEntry.action).where(
            AuditEntry.object_type == "campaign", AuditEntry.object_id == str(new.id))
            .order_by(AuditEntry.id)))
    assert actions == ["create", "open", "public_link_on", "close", "reopen"]


def test_settings_are_saved_and_a_bad_period_names_the_field(town: Town) -> None:
    at = _page()
    c = _campaign(town.engine, town.city.campaign_id)
    prefix = f"camp_{c.id}_{c.version}"
    at.date_input(key=f"{prefix}_start").set_value(dt.date(2027, 6, 30))
    at.date_input(key=f"{prefix}_end").set_value(dt.date(2027, 6, 1))
    _button(at, "Einstellungen speichern")
    assert _errors(at)[0].startswith("Ende: Das Ende (01.06.2027) liegt vor dem Beginn")
    assert _campaign(town.engine, c.id).ends_on is None  # nothing stored
    at.date_input(key=f"{prefix}_end").set_value(dt.date(2027, 7, 31))
    at.multiselect(key=f"{prefix}_modes_de").set_value(["paper"])
    _button(at, "Einstellungen speichern")
    assert "Einstellungen gespeichert." in _success(at)
    stored = _campaign(town.engine, c.id)
    assert (str(stored.ends_on), stored.allowed_modes, stored.version) == \
        ("2027-07-31", "paper", c.version + 1)


def test_level_and_catalogue_are_locked_once_responses_exist(town: Town) -> None:
    submit_response(town.engine, make_payload(town.city.campaign_id))
    at = _page()
    c = _campaign(town.engine, town.city.campaign_id)
    assert at.selectbox(key=f"camp_{c.id}_{c.version}_level_de").disabled
    assert at.selectbox(key=f"camp_{c.id}_{c.version}_catalogue_de").disabled


def test_a_change_made_meanwhile_is_a_conflict(town: Town) -> None:
    at = _page()
    c = _campaign(town.engine, town.city.campaign_id)
    row = next(r for r in list_campaign_rows(town.engine, actor=ADA) if r.id == c.id)
    update_settings(town.engine, c.id, replace(row.settings, min_n=9), actor=Actor("bea",
                                                                                  "admin"))
    at.number_input(key=f"camp_{c.id}_{c.version}_min_n").set_value(6)
    _button(at, "Einstellungen speichern")
    assert "inzwischen von jemand anderem geändert" in _errors(at)[0]
    assert _campaign(town.engine, c.id).min_n == 9  # not overwritten
    fresh = _campaign(town.engine, c.id)  # the page now shows the current state
    assert at.number_input(key=f"camp_{c.id}_{fresh.version}_min_n").value == 9
    _press(at, f"camp_close_ask_{c.id}")  # the refreshed panel carries the new version
    at.checkbox(key=f"camp_close_ok_{c.id}").check()
    run(at)
    _press(at, f"camp_close_{c.id}")
    assert _campaign(town.engine, c.id).status == "closed"


def _upload(at: AppTest, key: str, data: bytes, name: str) -> None:
    """Put a file into a file_uploader's state as the browser's upload would."""
    at.session_state[key] = UploadedFile(UploadedFileRec("f1", name, "text/csv", data), FileURLs())


def test_targets_from_a_file_and_a_bad_file_reported_by_row(town: Town) -> None:
    at = _page()
    c = _campaign(town.engine, town.city.campaign_id)
    _upload(at, f"camp_tfile_{c.id}_{c.version}", b"code;target\nQ1;10\nQX;5\nQ1;-2\n",
            "ziele.csv")
    _press(at, f"camp_tupload_{c.id}")
    assert _errors(at)[0].startswith("Zielzahlen-Datei: Die Datei mit Zielzahlen hat 2 "
                                     "fehlerhafte Zeilen; nichts wurde gespeichert.")
    problems = at.dataframe[2].value  # list, targets, problems
    assert list(problems["Zeile"]) == [3, 4]
    assert "QX" in problems["Problem"][0] and "schon in Zeile 2" in problems["Problem"][1]
    assert area_targets(Session(town.engine), c.id) == {}
    c = _campaign(town.engine, c.id)
    _upload(at, f"camp_tfile_{c.id}_{c.version}", b"code,target\r\nQ1,10\r\nQ3,25\r\n",
            "ziele.csv")
    _press(at, f"camp_tupload_{c.id}")
    assert any("Zielzahlen für 2 Gebiete übernommen" in s for s in _success(at))
    assert area_targets(Session(town.engine), c.id) == {"Q1": 10, "Q3": 25}
    frame = at.dataframe[1].value
    assert [None if pd.isna(v) else int(v) for v in frame["Zielzahl"]] == [10, None, 25]
    assert list(frame["Herkunft"]) == ["Datei", "", "Datei"]
    _press(at, f"camp_tclear_{c.id}")
    assert area_targets(Session(town.engine), c.id) == {}


def test_english_names_the_field(town: Town) -> None:
    at = _page(en=True)
    assert at.title[0].value == "Campaigns"
    at.text_input(key="camp_new_name").input("Befragung 2025")  # taken
    _button(at, "Create survey")
    assert _errors(at)[0].startswith("Name: A survey “Befragung 2025” exists already")
    at.text_input(key="camp_new_name").input("Neu")
    at.multiselect(key="camp_new_modes_en").set_value([])
    _button(at, "Create survey")
    assert _errors(at)[0].startswith("Modes: Please allow at least one mode")
    assert len(list_campaign_rows(town.engine, actor=SYSTEM)) == 1


def test_names_with_markup_are_shown_literally(town: Town) -> None:
    row = list_campaign_rows(town.engine, actor=ADA)[0]
    update_settings(town.engine, row.id, replace(row.settings,
                    name="Evil! **fett** [x](http://hostile.example) <b>b</b>"), actor=ADA)
    found = Findings()
    at = _page()
    found.check(at, "list")
    _press(at, f"camp_close_ask_{row.id}")
    found.check(at, "close summary")
    assert not found.problems, "\n".join(found.problems)
