"""AppTest of the planners' shared filter (sidebar) on the demo city: exactly one campaign
(several together are not offered), at most one characteristic with one category; each
choice gives its CubeFilter and words, a kept value that no longer fits falls back, the
state holds from the map to the profile, and no widget choice is refused by the statistics
engine."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from sqlalchemy import text
from streamlit.testing.v1 import AppTest

from stadtraum.analysis.cube import CubeFilter
from stadtraum.analysis.view_filter import ViewSelection
from stadtraum.store.campaigns import create_campaign
from stadtraum.store.engine import make_engine
from stadtraum.vocab import SURVEY_MODES
from tests.app.flow import run as _run
from tests.app.flow import sign_in as _sign_in
from tests.app.flow import whole_app as _app


def _script(multi: bool) -> None:
    import streamlit as st

    from stadtraum.ui.analysis.filters import view_filter

    st.session_state["_selection"] = view_filter(key="flt", multi_campaign=multi)


def _filter_app(multi: bool = True, **state: Any) -> AppTest:
    at = AppTest.from_function(_script, kwargs={"multi": multi}, default_timeout=180)
    for name, value in state.items():
        at.session_state[name] = value
    return _run(at)


def _sel(at: AppTest) -> ViewSelection:
    sel = at.session_state["_selection"]
    assert isinstance(sel, ViewSelection)
    return sel


def _flt(at: AppTest) -> CubeFilter:
    return _sel(at).flt


def _campaigns(url: str) -> dict[str, int]:
    engine = make_engine(url)
    with engine.connect() as conn:
        rows = conn.execute(text("SELECT name, id FROM campaigns ORDER BY id")).all()
    engine.dispose()
    return {str(name): int(cid) for name, cid in rows}


def _sidebar_keys(at: AppTest, kind: str) -> list[str]:
    return [str(w.key) for w in at.sidebar.get(kind) if w.key]


def _wave(url: str, n: int) -> int:
    return next(cid for name, cid in _campaigns(url).items() if f"Welle {n}" in name)


def test_default_is_the_newest_campaign_without_a_characteristic(demo_db: str) -> None:
    at = _filter_app()
    flt = _flt(at)
    assert flt.campaign_ids == (_wave(demo_db, 2),)
    assert set(flt.modes) == set(SURVEY_MODES) and flt.period is None
    assert flt.age_bands is None and flt.genders is None and flt.relations is None
    assert at.radio(key="flt_by").value == "all"
    assert _sidebar_keys(at, "selectbox") == ["flt_campaign"]  # no category to choose
    assert not at.sidebar.get("multiselect"), "no set of several categories can be built"
    assert not at.sidebar.get("checkbox"), "no campaigns together"
    assert _sel(at).description.startswith("Befragung: Beispielstadt Welle 2 (2026) · ")
    assert any("Geheimhaltung" in c.value and "einem Merkmal" in c.value
               for c in at.sidebar.caption)


@pytest.mark.parametrize(("by", "key", "category", "field", "expected", "words"), [
    ("month", "flt_month", "2026-05", "period",
     (dt.date(2026, 5, 1), dt.date(2026, 5, 31)), "Monat: Mai 2026"),
    ("mode", "flt_mode", "focus_group", "modes", ("focus_group",), "Erhebungsart: Fokusgruppe"),
    ("mode", "flt_mode", "paper", "modes", ("paper",), "Erhebungsart: Papierbogen"),
    ("age_band", "flt_age_band", "u18", "age_bands", ("u18",), "Alter: unter 18"),
    ("gender", "flt_gender", "none", "genders", ("none",), "Geschlecht: ohne Angabe"),
    ("relation", "flt_relation", "visit", "relations", ("visit",), "Bezug zum Ort: zu Besuch"),
])
def test_each_characteristic_gives_its_filter(demo_db: str, by: str, key: str, category: str,
                                              field: str, expected: object,
                                              words: str) -> None:
    at = _filter_app()
    at.radio(key="flt_by").set_value(by)
    _run(at)
    assert _sidebar_keys(at, "selectbox") == ["flt_campaign", key]  # one category widget
    at.selectbox(key=key).set_value(category)
    _run(at)
    flt = _flt(at)
    assert getattr(flt, field) == expected
    others = {"period": None, "age_bands": None, "genders": None, "relations": None}
    others.pop(field, None)
    assert all(getattr(flt, name) is None for name in others)  # only this characteristic
    if field != "modes":
        assert set(flt.modes) == set(SURVEY_MODES)
    assert words in _sel(at).description and not at.error


def test_category_lists_offer_single_categories_and_ohne_angabe(demo_db: str) -> None:
    at = _filter_app()
    at.radio(key="flt_by").set_value("mode")
    _run(at)
    mode = at.selectbox(key="flt_mode")
    assert mode.options == ["Straßenbefragung", "Papierbogen", "Online", "Fokusgruppe"]
    at.radio(key="flt_by").set_value("gender")
    _run(at)
    gender = at.selectbox(key="flt_gender")
    assert gender.options[-1] == "ohne Angabe (unbeantwortet)"
    assert "keine Angabe" in gender.options  # the answer "prefer not to say" stays apart
    at.radio(key="flt_by").set_value("month")
    _run(at)
    assert at.selectbox(key="flt_month").options == ["Mai 2026", "Juni 2026"]


def test_english_labels(demo_db: str) -> None:
    at = _filter_app(lang="English")
    assert at.radio(key="flt_by").options[0] == "nothing (all respondents)"
    at.radio(key="flt_by").set_value("month")
    _run(at)
    assert at.selectbox(key="flt_month").options == ["May 2026", "June 2026"]
    assert at.selectbox(key="flt_campaign").label == "Survey"


def test_only_ever_one_campaign_and_no_union_checkbox(demo_db: str) -> None:
    """Several campaigns together are not offered (the engine refuses their union): on the
    multi- and single-campaign views, for every campaign (also one without responses), no
    "flt_union" checkbox is drawn and the selection holds exactly the chosen campaign, with
    that campaign's months only."""
    engine = make_engine(demo_db)
    with engine.connect() as conn:  # a new campaign on the demo's level, no responses yet
        level, catalogue = conn.execute(text(
            "SELECT level_id, catalogue_id FROM campaigns ORDER BY id LIMIT 1")).one()
    empty = create_campaign(engine, name="Neue Befragung", level_id=int(level),
                            catalogue_id=str(catalogue))
    engine.dispose()
    months = {_wave(demo_db, 1): ["Mai 2025", "Juni 2025"],
              _wave(demo_db, 2): ["Mai 2026", "Juni 2026"]}
    for multi in (True, False):
        at = _filter_app(multi=multi, flt_union__saved=True)  # a kept union is not revived
        assert set(at.selectbox(key="flt_campaign").options) >= {
            "Beispielstadt Welle 1 (2025)", "Beispielstadt Welle 2 (2026)", "Neue Befragung"}
        for cid in (_wave(demo_db, 1), _wave(demo_db, 2), empty):
            at.selectbox(key="flt_campaign").set_value(cid)
            _run(at)
            assert "flt_union" not in _sidebar_keys(at, "checkbox")
            assert not at.sidebar.get("checkbox") and not at.error
            assert _flt(at).campaign_ids == (cid,)
            if cid == empty:
                assert "Monat" not in at.radio(key="flt_by").options, "no responses, no months"
                continue
            at.radio(key="flt_by").set_value("month")
            _run(at)  # this campaign's months, never the other wave's
            assert at.selectbox(key="flt_month").options == months[cid]
            assert _flt(at).campaign_ids == (cid,)
            at.radio(key="flt_by").set_value("all")
            _run(at)


def test_saved_values_that_no_longer_fit_fall_back(demo_db: str) -> None:
    wave1, wave2 = _wave(demo_db, 1), _wave(demo_db, 2)
    at = _filter_app(flt_campaign__saved=wave2, flt_by__saved="month",
                     flt_month__saved="2026-05")
    assert _flt(at).period == (dt.date(2026, 5, 1), dt.date(2026, 5, 31))
    at.selectbox(key="flt_campaign").set_value(wave1)
    _run(at)  # May 2026 is not in wave 1: its first month
    assert at.selectbox(key="flt_month").value == "2025-05"
    assert _flt(at).period == (dt.date(2025, 5, 1), dt.date(2025, 5, 31))
    at = _filter_app(flt_campaign__saved=999_999, flt_by__saved="income",
                     flt_age_band__saved="u99", flt_union__saved="ja")
    flt = _flt(at)
    assert flt.campaign_ids == (wave2,) and at.radio(key="flt_by").value == "all"
    assert not at.sidebar.get("checkbox") and not at.error
    at = _filter_app(flt_by__saved="age_band", flt_age_band__saved="u99")
    assert at.selectbox(key="flt_age_band").value == "u18"
    assert _flt(at).age_bands == ("u18",)


def test_no_widget_choice_is_refused(demo_db: str) -> None:
    """Every characteristic with every category, on each wave: a filter the engine accepts
    (no German error), with exactly one characteristic and exactly that one campaign."""
    at = _filter_app()
    for wave in (1, 2):
        cid = _wave(demo_db, wave)
        at.selectbox(key="flt_campaign").set_value(cid)
        _run(at)
        for by in at.radio(key="flt_by").options:
            code = next(c for c in ("all", "month", "mode", "age_band", "gender", "relation")
                        if at.radio(key="flt_by").format_func(c) == by)
            at.radio(key="flt_by").set_value(code)
            _run(at)
            keys = [k for k in _sidebar_keys(at, "selectbox") if k != "flt_campaign"]
            assert len(keys) == (0 if code == "all" else 1)
            categories = list(range(len(at.selectbox(key=keys[0]).options))) if keys else [0]
            for index in categories:
                if keys:
                    at.selectbox(key=keys[0]).select_index(index)
                _run(at)
                assert not at.error, (wave, code, index, [e.value for e in at.error])
                flt = _flt(at)
                chosen = [flt.period is not None, set(flt.modes) != set(SURVEY_MODES),
                          flt.age_bands is not None, flt.genders is not None,
                          flt.relations is not None]
                assert sum(chosen) == (0 if code == "all" else 1)
                assert flt.campaign_ids == (cid,)


def test_filter_from_the_map_holds_on_the_profile(demo_db: str) -> None:
    at = _sign_in(_app(), "pia")
    at.switch_page("pages/map.py")
    _run(at)
    at.radio(key="flt_by").set_value("relation")
    _run(at)
    at.selectbox(key="flt_relation").set_value("work")
    _run(at)
    wave1 = _wave(demo_db, 1)
    at.selectbox(key="flt_campaign").set_value(wave1)
    _run(at)
    at.switch_page("pages/profile.py")
    _run(at)
    assert at.title[0].value == "Gebietsprofil"
    assert at.radio(key="flt_by").value == "relation"
    assert at.selectbox(key="flt_relation").value == "work"
    assert at.selectbox(key="flt_campaign").value == wave1
    assert not at.sidebar.get("checkbox")
    notes = " ".join(c.value for c in at.caption)
    assert "Bezug zum Ort: arbeite hier" in notes.replace("\\", "")
