"""AppTest of the Karte page on the demo city: a planner sees the map, legend, notes and the
table with downloads; a helper is refused on the server; the shared filter changes the
numbers; presentation mode hides everything but the map and can be left."""

from __future__ import annotations

import pandas as pd
from streamlit.testing.v1 import AppTest

from stadtraum.accounts.users import AuthUser
from tests.app.conftest import ROOT
from tests.app.flow import run as _run

PAGE = str(ROOT / "pages" / "map.py")


def _page(role: str = "planner", name: str = "pia") -> AppTest:
    at = AppTest.from_file(PAGE, default_timeout=180)
    at.session_state["user"] = AuthUser(id=3, name=name, role=role)
    return _run(at)


def _table(at: AppTest) -> pd.DataFrame:
    frame = at.dataframe[0].value
    assert isinstance(frame, pd.DataFrame)
    return frame


def _htmls(at: AppTest) -> str:
    return " ".join(str(e.proto.body) for e in at.get("html"))


def test_planner_sees_map_legend_notes_and_table(demo_db: str) -> None:
    at = _page()
    assert at.title[0].value == "Karte"
    assert at.selectbox(key="map_criterion").value == "gesamtindex"  # shown, not "choose"
    assert at.subheader[0].value == "Gesamtindex – Mittelwert"
    assert "sr-legend" in _htmls(at) and "zu wenige Antworten (n &lt; 5)" in _htmls(at)
    notes = " ".join(c.value for c in at.caption)
    assert "nicht automatisch repräsentativ" in notes and "Befragte in der Gesamtstadt" in notes
    table = _table(at)
    assert len(table) == 30 and {"Gebiet", "Code", "Mittelwert", "n", "Hinweis"} <= set(table)
    labels = [str(getattr(b, "label", "")) for b in at.get("download_button")]
    assert any("CSV" in lb for lb in labels) and any("SVG" in lb for lb in labels)


def test_helper_cannot_open_the_map(demo_db: str) -> None:
    at = _page("helper", "erika")
    assert at.error and not at.get("download_button")
    assert not at.dataframe


def test_filter_changes_the_numbers(demo_db: str) -> None:
    at = _page()
    before = _table(at)["n"].fillna(0).astype(int)
    at.radio(key="flt_by").set_value("age_band")
    at = _run(at)
    at.selectbox(key="flt_age_band").set_value("u18")
    at = _run(at)
    after = _table(at)
    assert after["n"].fillna(0).astype(int).sum() < before.sum()
    assert (after["Hinweis"].str.contains("zu wenige Antworten")).sum() > 0
    assert any("Alter" in c.value and "unter 18" in c.value for c in at.caption)


def test_metric_and_criterion_switch_and_change_map(demo_db: str) -> None:
    at = _page()
    at.selectbox(key="map_criterion").set_value("feeling_safe")
    at.selectbox(key="map_metric").set_value("share_low")
    at = _run(at)
    assert "Anteil 1–2 (%)" in _table(at).columns
    at.selectbox(key="map_metric").set_value("change")
    at = _run(at)
    assert at.selectbox(key="map_earlier").value is not None
    assert "Veränderung seit früherer Welle" in _table(at).columns


def test_presentation_mode_shows_only_the_map_and_can_be_left(demo_db: str) -> None:
    at = _page()
    at.toggle(key="praesentation").set_value(True)
    at = _run(at)
    assert not at.dataframe and not at.title
    assert "stSidebar" in _htmls(at)
    at.button(key="praesentation_leave").click()
    at = _run(at)
    assert at.title[0].value == "Karte" and at.dataframe
