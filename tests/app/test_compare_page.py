"""AppTest of the Vergleich page on the demo city: the area from the profile and its first
neighbour are preselected, a neighbour quick pick adds an area, radar and difference table
render, the two waves are compared for one area, the change map is drawn; presentation mode
shows one chart; a helper cannot open the page."""

from __future__ import annotations

from streamlit.testing.v1 import AppTest

from stadtraum.accounts.users import AuthUser
from tests.app.conftest import ROOT
from tests.app.flow import run as _run

PAGE = str(ROOT / "pages" / "compare.py")


def _page(role: str = "planner") -> AppTest:
    at = AppTest.from_file(PAGE, default_timeout=180)
    at.session_state["user"] = AuthUser(id=99, name="pia", role=role)
    at.session_state["profile_area"] = "101"
    return at


def test_areas_waves_and_change_map(demo_db: str) -> None:
    at = _run(_page())
    assert at.title[0].value == "Vergleich"
    chosen = at.multiselect(key="compare_areas").value
    assert chosen[0] == "101" and len(chosen) == 2  # the area and its first neighbour
    quick = at.selectbox(key="compare_neighbour")
    assert quick.options and quick.value is None, "the other neighbours are quick picks"
    added = quick.options[0]
    quick.select_index(0)
    _run(at)
    assert len(at.multiselect(key="compare_areas").value) == 3
    rest = at.selectbox(key="compare_neighbour")
    assert rest.value is None and added not in rest.options  # ready for the next pick
    assert len(at.get("plotly_chart")) == 2  # areas radar, before/after radar
    table = at.dataframe[0].value
    assert len(table) == 14 and table.columns[0] == "Kriterium"
    assert sum(c.startswith("Differenz") for c in table.columns) == 2
    assert at.selectbox(key="compare_wave_b").value == at.selectbox(key="compare_wave_a").value + 1
    assert at.selectbox(key="compare_wave_area").value == "101"
    waves = at.dataframe[1].value
    assert list(waves.columns[-2:]) == ["Veränderung", "Einschätzung"] and len(waves) == 14
    assert any("Veränderung" in str(getattr(h.proto, "body", "")) for h in at.get("html"))
    assert any("nicht automatisch repräsentativ" in c.value for c in at.caption)


def test_fewer_than_two_areas_and_same_wave(demo_db: str) -> None:
    at = _run(_page())
    at.multiselect(key="compare_areas").set_value(["101"])
    at.selectbox(key="compare_wave_a").set_value(at.selectbox(key="compare_wave_b").value)
    _run(at)
    assert any("mindestens zwei Gebiete" in i.value for i in at.info)
    assert any("zwei verschiedene Befragungen" in w.value for w in at.warning)


def test_presentation_one_chart(demo_db: str) -> None:
    at = _page()
    at.session_state["praesentation__on"] = True
    _run(at)
    assert len(at.get("plotly_chart")) == 1 and not at.dataframe
    at.session_state["compare_view"] = "waves_table"
    _run(at)
    assert not at.get("plotly_chart") and len(at.dataframe) == 1


def test_helper_cannot_open_the_comparison(demo_db: str) -> None:
    at = _run(_page(role="helper"))
    assert at.error and not at.get("plotly_chart")
