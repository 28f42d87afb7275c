"""AppTest of the field-work page "Feldarbeit" (issue 11, item 6): admins and moderators see the
counts of the open campaign per area ("6 von 40") and by mode, a map, today's pace and the
drafts; only admins see the helpers' names; hidden counts read like the planners' views; a
picker when several campaigns are open (the newest first); English; helpers and planners do
not reach the page; names with markup are shown literally."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

import pandas as pd
import pytest
from sqlalchemy import update
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session
from streamlit.testing.v1 import AppTest

from stadtraum.accounts.permissions import Actor
from stadtraum.accounts.users import AuthUser
from stadtraum.admin.fieldwork import clear_cache
from stadtraum.collect.drafts import save_draft
from stadtraum.collect.interview import Interview
from stadtraum.collect.submit import submit_response
from stadtraum.store.db import Area, Campaign
from stadtraum.store.engine import make_engine, write_engine
from stadtraum.store.migrate import migrate
from tests.app.conftest import ROOT
from tests.app.flow import run
from tests.helpers import City, add_campaign, make_city, make_payload

LAYOUT = {"D1": ("Q1", "Q2"), "D2": ("Q3", "Q4")}


@dataclass
class Town:
    engine: Engine
    city: City


@pytest.fixture
def town(app_db: str, monkeypatch: pytest.MonkeyPatch) -> Iterator[Town]:
    """Four quarters, one open campaign (target 40 per area): Q1 6 street by anna, Q2 none,
    Q3 5 paper by bert, Q4 7 online; a draft of erika's."""
    monkeypatch.setenv("STADTRAUM_DEMO_ON_EMPTY", "0")
    clear_cache()
    engine = make_engine(app_db)
    migrate(engine)
    city = make_city(engine, layout=LAYOUT)
    with Session(write_engine(engine)) as session, session.begin():
        session.execute(update(Campaign).values(default_target=40))
    for area, count, mode, by in [("Q1", 6, "street", "anna"), ("Q3", 5, "paper", "bert"),
                                  ("Q4", 7, "online", None)]:
        for _ in range(count):
            submit_response(engine, make_payload(city.campaign_id, area, mode=mode,
                                                 entered_by=by))
    save_draft(engine, Interview(campaign_id=city.campaign_id, entered_by="erika"),
               actor=Actor("erika", "helper"))
    yield Town(engine, city)
    engine.dispose()
    clear_cache()


def _page(role: str = "admin", name: str = "ada", en: bool = False) -> AppTest:
    at = AppTest.from_file(str(ROOT / "pages" / "fieldwork.py"), default_timeout=120)
    at.session_state["user"] = AuthUser(id=1, name=name, role=role)
    if en:
        at.session_state["lang"] = "English"
    return run(at)


def _frames(at: AppTest) -> list[pd.DataFrame]:
    return [d.value for d in at.dataframe]


def _metrics(at: AppTest) -> dict[str, str]:
    return {m.label: m.value for m in at.metric}


def _areas(at: AppTest) -> pd.DataFrame:
    return next(f for f in _frames(at) if "Stand" in f.columns or "Progress" in f.columns)


@pytest.mark.parametrize("role", ["helper", "planner"])
def test_other_roles_do_not_reach_the_page(town: Town, role: str) -> None:
    at = _page(role, "erika")
    assert any("nicht freigegeben" in e.value for e in at.error)
    assert not at.dataframe and not at.metric and not at.selectbox


def test_an_admin_sees_counts_per_area_modes_helpers_and_drafts(town: Town) -> None:
    at = _page()
    assert at.title[0].value == "Feldarbeit"
    areas = _areas(at).set_index("Code")
    assert areas.loc["Q1", "Stand"] == "6 von 40"
    assert areas.loc["Q3", "Stand"] == "5 von 40" and areas.loc["Q4", "Stand"] == "7 von 40"
    assert areas.loc["Q2", "Stand"] == "unter 5 von 40"  # no response: hidden as for planners
    assert areas.loc["Q1", "Antworten"] == 6 and areas.loc["Q1", "Anteil (%)"] == 15
    assert areas.loc["Q3", "Papierbogen"] == "5" and areas.loc["Q3", "Online"] == "unter 5"
    metrics = _metrics(at)
    assert metrics["Antworten insgesamt"] == "18 von 160"
    assert metrics["Heute"] == "18" and metrics["Letzte 60 Minuten"] == "18"
    assert metrics["Entwürfe nicht gesendet"] == "1"
    helpers = next(f for f in _frames(at) if "Name" in f.columns)
    assert list(helpers["Name"]) == ["anna", "bert", "erika"]
    assert list(helpers["Heute (Straße, Papier)"]) == ["6", "5", "0"]
    modes = next(f for f in _frames(at) if "Erhebungsart" in f.columns).set_index("Erhebungsart")
    assert modes.loc["Online", "Heute"] == "7" and modes.loc["Papierbogen", "Insgesamt"] == "5"
    assert modes.loc["Summe ohne Fokusgruppen", "Insgesamt"] == "18"
    assert any("Planungsansichten" in c.value for c in at.caption)


def test_a_moderator_sees_the_counts_but_no_names(town: Town) -> None:
    at = _page("moderator", "mona")
    assert _areas(at).set_index("Code").loc["Q1", "Stand"] == "6 von 40"
    assert not any("Name" in f.columns for f in _frames(at))
    everything = " ".join(str(f.to_dict()) for f in _frames(at)) + str(at.get("markdown"))
    assert "anna" not in everything and "erika" not in everything


def test_a_count_the_planners_hide_is_hidden_here(town: Town) -> None:
    submit_response(town.engine, make_payload(town.city.campaign_id, "Q2", entered_by="anna"))
    at = _page()
    areas = _areas(at).set_index("Code")
    # Q2 has one response; Q1 is hidden with it (else D1 minus Q1 would give Q2)
    assert areas.loc["Q2", "Stand"] == "unter 5 von 40"
    assert areas.loc["Q1", "Stand"] == "unter 5 von 40"
    assert areas[["Antworten", "Anteil (%)"]].loc["Q1"].isna().all()
    assert "6" not in set(areas.loc["Q1"].astype(str))


def test_several_open_campaigns_newest_first_and_english(town: Town) -> None:
    second = add_campaign(town.engine, town.city, "Welle 2")
    at = _page(en=True)
    pick = at.selectbox(key="fw_pick")
    assert pick.options == ["Welle 2", "Befragung 2025"] and pick.value == second
    assert _metrics(at)["Responses in total"] == "under 5"  # nothing yet, no target
    pick.set_value(town.city.campaign_id)
    run(at)
    assert _areas(at).set_index("Code").loc["Q1", "Progress"] == "6 of 40"


def test_no_open_campaign(town: Town) -> None:
    with Session(write_engine(town.engine)) as session, session.begin():
        session.execute(update(Campaign).values(status="closed"))
    at = _page()
    assert any("keine Befragung offen" in i.value for i in at.info)
    assert not at.dataframe


def test_names_with_markup_are_shown_literally(town: Town) -> None:
    hostile = "**fett** <b>x</b> [link](http://x)"
    with Session(write_engine(town.engine)) as session, session.begin():
        session.execute(update(Campaign).values(name=hostile))
        session.execute(update(Area).where(Area.code == "Q1").values(name=hostile))
    at = _page()
    assert _areas(at).set_index("Code").loc["Q1", "Gebiet"] == hostile
    assert all("<b>" not in m.value for m in at.markdown if "fett" in m.value)
