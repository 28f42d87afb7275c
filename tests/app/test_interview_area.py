"""AppTest: the ways to choose the interview's area — by street (the demo street
directory: a search by name, a street through two quarters offers both, nothing fuzzy, a
message when nothing fits) and back to the name list, which keeps the choice; without a
secure context "Mein Standort" is not offered."""

from __future__ import annotations

from streamlit.testing.v1 import AppTest

from stadtraum.accounts.permissions import SYSTEM
from stadtraum.collect.setup import open_campaigns
from stadtraum.geo.streets import import_streets, street_choices, street_key
from stadtraum.store.engine import make_engine
from tests.app.flow import click, sign_in, whole_app
from tests.app.flow import run as _run
from tests.app.test_hostile_text import markdown_problems


def _started_interview() -> AppTest:
    return click(sign_in(whole_app(), "erika"), "iv_start")


def _search(at: AppTest, iv_id: str, query: str) -> AppTest:
    at.text_input(key=f"street_{iv_id}_q").input(query)
    return _run(at)


def _found(at: AppTest, iv_id: str) -> list[str]:
    radios = [r for r in at.radio if str(r.key).startswith(f"street_{iv_id}_pick_")]
    return list(radios[0].options) if radios else []


def test_area_by_street_then_by_name(demo_db: str) -> None:
    at = _started_interview()
    iv = at.session_state["interview"]
    ways = at.button_group(key=f"area_how_{iv.response_id}")
    assert "Mein Standort" not in ways.options  # AppTest has no https/localhost URL
    ways.set_value("street")
    _run(at)
    engine = make_engine(demo_db)
    hits = street_choices(engine, open_campaigns(engine)[0].info.level_id)
    engine.dispose()
    shared = next(h for h in hits if sum(1 for x in hits if x.street == h.street) == 2)
    _search(at, iv.response_id, shared.street)
    options = _found(at, iv.response_id)
    both = [i for i, label in enumerate(options) if label.startswith(shared.street + " – ")]
    assert len(both) == 2  # a street through two quarters offers both
    radio = next(r for r in at.radio if str(r.key).startswith(f"street_{iv.response_id}_pick_"))
    pick = next(i for i in both if options[i].endswith(" – " + shared.area_name))
    radio.set_value(pick)
    _run(at)
    assert at.session_state["interview"].area_code == shared.area_code
    assert any(t.value == f"Gewähltes Gebiet: {shared.area_name}" for t in at.text)
    at.button_group(key=f"area_how_{iv.response_id}").set_value("name")
    _run(at)
    assert at.selectbox(key=f"area_{iv.response_id}").value == shared.area_code
    at.button(key="iv_next").click()
    _run(at)
    assert at.session_state["interview"].step == 1  # on to consent: the area was accepted


def test_the_search_finds_what_was_typed_and_nothing_fuzzy(demo_db: str) -> None:
    """"haupt" offered "Haselpfad" in the selectbox's own matching: now only names that start
    with or contain what was typed, and a clear message when there is none."""
    at = _started_interview()
    iv = at.session_state["interview"]
    at.button_group(key=f"area_how_{iv.response_id}").set_value("street")
    _run(at)
    engine = make_engine(demo_db)
    hits = street_choices(engine, open_campaigns(engine)[0].info.level_id)
    engine.dispose()
    word = street_key(hits[0].street)[:4]
    _search(at, iv.response_id, word.upper())  # case does not matter
    options = _found(at, iv.response_id)
    expected = [h for h in hits if street_key(h.street).startswith(word)]
    assert len(options) == min(len(expected), 12) > 0
    assert all(street_key(o.split(" – ")[0].replace("\\", "")).startswith(word)
               for o in options)
    _search(at, iv.response_id, "Qxzv")
    assert _found(at, iv.response_id) == []
    infos = [i.value.replace("\\", "") for i in at.info]  # md_literal's escapes
    assert any("Keine Straße gefunden, die mit „Qxzv“ beginnt" in i for i in infos), infos
    assert at.session_state["interview"].area_code is None


def test_a_new_street_directory_shows_at_once_and_names_stay_text(demo_db: str) -> None:
    at = _started_interview()
    iv = at.session_state["interview"]
    at.button_group(key=f"area_how_{iv.response_id}").set_value("street")
    _run(at)
    _search(at, iv.response_id, "Neue Test")
    assert _found(at, iv.response_id) == []
    engine = make_engine(demo_db)
    level_id = open_campaigns(engine)[0].info.level_id
    code = street_choices(engine, level_id)[0].area_code
    import_streets(engine, level_id, [(2, "Neue Teststraße **fett** [x](http://a.b)", code)],
                   actor=SYSTEM)
    engine.dispose()
    _run(at)
    options = _found(at, iv.response_id)
    assert len(options) == 1 and options[0].startswith("Neue Teststraße")
    assert markdown_problems(options[0]) == []  # radio labels are markdown: shown literally
