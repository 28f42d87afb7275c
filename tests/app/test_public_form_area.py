"""AppTest: citizens find their area the ways a helper can — by its name, by their street (the
street directory; only this campaign's areas; a message when nothing fits), by the map — in
German, plain German and English; "Mein Standort" only in a secure context; the chosen area
carries into the sent response."""

from __future__ import annotations

import pytest
from streamlit.testing.v1 import AppTest

from stadtraum.accounts.permissions import SYSTEM, Actor
from stadtraum.accounts.users import create_user
from stadtraum.citizen.public_link import enable_public_link
from stadtraum.geo.streets import import_streets
from stadtraum.store.engine import make_engine
from stadtraum.store.migrate import migrate
from tests.app.conftest import ROOT
from tests.app.flow import click as _click
from tests.app.flow import run as _run
from tests.helpers import make_city


@pytest.fixture
def public(app_db: str, monkeypatch: pytest.MonkeyPatch) -> str:
    """An open campaign with its public link on and a street directory; the token."""
    monkeypatch.setenv("STADTRAUM_DEMO_ON_EMPTY", "0")
    engine = make_engine(app_db)
    migrate(engine)
    city = make_city(engine, min_n=1)
    import_streets(engine, city.quarter_level_id, [
        (2, "Hauptstraße", "Q1"), (3, "Hauptstraße", "Q3"), (4, "Haselpfad", "Q2"),
        (5, "Am Hauptbahnhof", "Q2")], actor=SYSTEM)
    token = enable_public_link(engine, city.campaign_id, actor=Actor("admin", "admin"))
    create_user(engine, "ada", "admin", "Sieben-Brücken-2027", actor=SYSTEM)
    engine.dispose()
    return token


def _area_step(token: str, lang: str = "de") -> AppTest:
    at = AppTest.from_file(str(ROOT / "streamlit_app.py"), default_timeout=120)
    at.query_params["t"] = token
    _run(at)
    if lang != "de":
        at.button_group(key="pub_lang").set_value(lang)
        _run(at)
    at.checkbox(key="pub_consent").check()
    return _click(at, "pub_start")


def _street_options(at: AppTest) -> list[str]:
    radios = [r for r in at.radio if str(r.key).startswith("pub_street_pick_")]
    return list(radios[0].options) if radios else []


def test_by_street_the_citizen_sees_both_quarters_of_a_street(public: str) -> None:
    at = _area_step(public)
    ways = at.button_group(key="pub_area_how")
    assert ways.options == ["Name des Gebiets", "Ihre Straße", "Karte"]  # no https here
    assert not [c for c in at.caption if c.value.startswith("**Demo**")]  # a real city
    ways.set_value("street")
    _run(at)
    at.text_input(key="pub_street_q").input("haupt")
    _run(at)
    options = _street_options(at)
    assert options == ["Hauptstraße – Quartier Q1", "Hauptstraße – Quartier Q3"]  # no Haselpfad
    radio = next(r for r in at.radio if str(r.key).startswith("pub_street_pick_"))
    radio.set_value(1)
    _run(at)
    assert at.session_state["citizen_form"].area_code == "Q3"
    assert any(t.value == "Gewähltes Gebiet: Quartier Q3" for t in at.text)
    at.text_input(key="pub_street_q").input("bahnhof")  # "contains" when nothing starts so
    _run(at)
    assert _street_options(at) == ["Am Hauptbahnhof – Quartier Q2"]
    at.text_input(key="pub_street_q").input("Gibtsnichtweg")
    _run(at)
    assert _street_options(at) == []
    infos = [i.value.replace("\\", "") for i in at.info]  # md_literal's escapes
    assert any("Keine Straße gefunden, die mit „Gibtsnichtweg“" in i for i in infos), infos
    _click(at, "pub_next")  # the area chosen before stays
    assert at.session_state["citizen_form"].area_code == "Q3"
    assert at.session_state["citizen_form"].step == 2


def test_plain_german_and_english_words_and_the_map(public: str) -> None:
    plain = _area_step(public, "plain")
    assert plain.button_group(key="pub_area_how").options == [
        "Name vom Viertel", "Ihre Straße", "Karte"]
    plain.button_group(key="pub_area_how").set_value("map")
    _run(plain)
    assert any(c.value == "Tippen Sie auf der Karte auf Ihr Viertel." for c in plain.caption)
    assert any(t.value == "Noch kein Viertel gewählt." for t in plain.text)
    english = _area_step(public, "en")
    assert english.button_group(key="pub_area_how").options == ["its name", "your street",
                                                                "the map"]
    english.button_group(key="pub_area_how").set_value("street")
    _run(english)
    assert english.text_input(key="pub_street_q").label == "Your street"
    english.text_input(key="pub_street_q").input("zzz")
    _run(english)
    infos = [i.value.replace("\\", "") for i in english.info]
    assert any("No street starts with or contains “zzz”" in i for i in infos), infos
