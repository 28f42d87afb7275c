"""AppTest: the ways to choose the interview's area — by street (the demo street
directory, a street through two quarters offers both) and back to the name list, which keeps
the choice; without a secure context "Mein Standort" is not offered."""

from __future__ import annotations

from streamlit.testing.v1 import AppTest

from stadtraum.accounts.permissions import SYSTEM
from stadtraum.collect.setup import open_campaigns
from stadtraum.geo.streets import import_streets, street_choices
from stadtraum.store.engine import make_engine
from tests.app.flow import click, sign_in, whole_app
from tests.app.flow import run as _run


def _started_interview() -> AppTest:
    return click(sign_in(whole_app(), "erika"), "iv_start")


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
    street = at.selectbox(key=f"street_{iv.response_id}")
    shared = next(i for i, h in enumerate(hits)
                  if sum(1 for x in hits if x.street == h.street) == 2)
    assert sum(1 for label in street.options
               if label.startswith(hits[shared].street + " – ")) == 2
    street.set_value(shared)
    _run(at)
    assert at.session_state["interview"].area_code == hits[shared].area_code
    assert any(t.value == f"Gewähltes Gebiet: {hits[shared].area_name}" for t in at.text)
    at.button_group(key=f"area_how_{iv.response_id}").set_value("name")
    _run(at)
    assert at.selectbox(key=f"area_{iv.response_id}").value == hits[shared].area_code
    at.button(key="iv_next").click()
    _run(at)
    assert at.session_state["interview"].step == 1  # on to consent: the area was accepted


def test_a_new_street_directory_shows_at_once(demo_db: str) -> None:
    """The street list is cached, but a re-imported directory (or another database in the same
    process) is never served from the old cache."""
    at = _started_interview()
    iv = at.session_state["interview"]
    at.button_group(key=f"area_how_{iv.response_id}").set_value("street")
    _run(at)
    assert not any(o.startswith("Neue Teststraße") for o in
                   at.selectbox(key=f"street_{iv.response_id}").options)
    engine = make_engine(demo_db)
    level_id = open_campaigns(engine)[0].info.level_id
    code = street_choices(engine, level_id)[0].area_code
    import_streets(engine, level_id, [(2, "Neue Teststraße", code)], actor=SYSTEM)
    engine.dispose()
    _run(at)
    assert [o.split(" – ")[0] for o in
            at.selectbox(key=f"street_{iv.response_id}").options] == ["Neue Teststraße"]
