"""AppTest flows of the Verwaltung page: the public link switch with QR downloads, the review
of flagged online responses, and the server-side refusal for other roles."""

from __future__ import annotations

import pytest
from sqlalchemy import text
from streamlit.testing.v1 import AppTest

from stadtraum.accounts.users import AuthUser
from stadtraum.citizen.public_link import public_link
from stadtraum.collect.submit import submit_response
from stadtraum.store.engine import make_engine
from stadtraum.store.migrate import migrate
from tests.app.conftest import ROOT
from tests.app.flow import run as _run
from tests.helpers import City, make_city, make_payload


@pytest.fixture
def admin_city(app_db: str, monkeypatch: pytest.MonkeyPatch) -> tuple[str, City, str]:
    """A small city with one valid and one flagged online response: (url, city, flagged)."""
    monkeypatch.setenv("STADTRAUM_DEMO_ON_EMPTY", "0")
    monkeypatch.setenv("STADTRAUM_PUBLIC_BASE_URL", "https://stadtraum.example.de")
    engine = make_engine(app_db)
    migrate(engine)
    city = make_city(engine, campaign="Befragung Süd 2025")
    submit_response(engine, make_payload(city.campaign_id, "Q1", {"housing": 3}, mode="online"))
    flagged = make_payload(city.campaign_id, "Q2", dict.fromkeys(("moving_around", "housing"), 4),
                           mode="online", comments=[("housing", "good", "<b>alles</b> gut")])
    submit_response(engine, flagged, status="flagged",
                    status_reason="too_fast: sehr schnell ausgefüllt (3 s für 2 Bewertungen)")
    engine.dispose()
    return app_db, city, flagged.response_id


def _page(role: str) -> AppTest:
    at = AppTest.from_file(str(ROOT / "pages" / "admin.py"), default_timeout=120)
    at.session_state["user"] = AuthUser(id=1, name="ada" if role == "admin" else "pia",
                                        role=role)
    at.run()
    assert not at.exception, [e.message for e in at.exception]
    return at


def test_admin_switches_the_link_on_and_gets_qr_downloads(
        admin_city: tuple[str, City, str]) -> None:
    url, city, _ = admin_city
    at = _page("admin")
    assert at.title[0].value == "Verwaltung"
    switch = at.toggle(key=f"pub_on_{city.campaign_id}")
    assert switch.value is False
    assert switch.label == "Bürger-Link"  # not "eingeschaltet" while it is off
    assert any("Zurzeit **ausgeschaltet**" in c.value for c in at.caption)
    assert not [b for b in at.download_button if b.key.startswith("qr_")]
    switch.set_value(True)
    _run(at)
    engine = make_engine(url)
    link = public_link(engine, city.campaign_id)
    assert link.enabled and link.token
    assert at.toggle(key=f"pub_on_{city.campaign_id}").value is True
    assert any("Zurzeit **eingeschaltet**" in c.value for c in at.caption)
    assert not any("ausgeschaltet**" in c.value for c in at.caption)
    assert at.code[0].value == f"https://stadtraum.example.de/?t={link.token}"
    png = at.download_button(key=f"qr_png_{city.campaign_id}")
    svg = at.download_button(key=f"qr_svg_{city.campaign_id}")
    assert png.label == "QR-Code als PNG" and svg.label.startswith("QR-Code als SVG")
    assert png.proto.url.endswith(".png") and svg.proto.url.endswith(".svg")
    # switching off keeps the token (posters work again when switched back on)
    at.toggle(key=f"pub_on_{city.campaign_id}").set_value(False)
    _run(at)
    again = public_link(engine, city.campaign_id)
    assert (again.enabled, again.token) == (False, link.token)
    with engine.connect() as conn:
        actions = conn.execute(text("SELECT actor, action FROM audit_log WHERE action LIKE "
                                    "'public_link%' ORDER BY id")).all()
    engine.dispose()
    assert [tuple(a) for a in actions] == [("ada", "public_link_on"), ("ada", "public_link_off")]


def test_admin_accepts_a_flagged_response(admin_city: tuple[str, City, str]) -> None:
    url, _, flagged = admin_city
    at = _page("admin")
    texts = [t.value for t in at.text]
    assert any("Quartier Q2" in t for t in texts)
    assert any(t.startswith("Grund: sehr schnell ausgefüllt") for t in texts)
    assert not any("too_fast" in t for t in texts)  # no internal codes shown to people
    assert "Bewertungen (2): 4 · · · · · · · 4 · · · · ·" in texts
    assert "Kommentar: <b>alles</b> gut" in texts  # plain text, not HTML
    at.button(key=f"accept_{flagged}").click()
    _run(at)
    assert any("Angenommen" in i.value for i in at.info)
    assert any("Keine markierten Antworten" in s.value for s in at.success)
    engine = make_engine(url)
    with engine.connect() as conn:
        status = conn.execute(text("SELECT status FROM responses WHERE uuid = :u"),
                              {"u": flagged}).scalar_one()
        audit = conn.execute(text("SELECT actor, action FROM audit_log WHERE object_type = "
                                  "'response'")).all()
    engine.dispose()
    assert status == "valid" and [tuple(a) for a in audit] == [("ada", "accept")]


def test_admin_rejects_a_flagged_response(admin_city: tuple[str, City, str]) -> None:
    url, _, flagged = admin_city
    at = _page("admin")
    at.button(key=f"reject_{flagged}").click()
    _run(at)
    engine = make_engine(url)
    with engine.connect() as conn:
        status = conn.execute(text("SELECT status FROM responses WHERE uuid = :u"),
                              {"u": flagged}).scalar_one()
    engine.dispose()
    assert status == "voided"


@pytest.mark.parametrize("role", ["planner", "helper", "moderator"])
def test_other_roles_cannot_reach_the_page(admin_city: tuple[str, City, str],
                                           role: str) -> None:
    at = _page(role)
    assert any("nicht freigegeben" in e.value for e in at.error)
    assert not at.toggle and not at.button and not at.download_button and not at.title


def test_admin_gets_a_deferred_response_export(admin_city: tuple[str, City, str]) -> None:
    """The CSV is generated only on the click (a deferred download; its content is checked
    in tests/exports/test_responses.py and, clicked in a real browser, in the browser tests)."""
    _, city, _ = admin_city
    at = _page("admin")
    assert at.multiselect(key="export_campaigns").value == [city.campaign_id]
    button = at.download_button(key="export_csv")
    assert button.label == "Antworten als CSV herunterladen"
    assert button.proto.HasField("deferred_file_id") and not button.proto.url
    at.multiselect(key="export_campaigns").set_value([])
    _run(at)
    assert not [b for b in at.download_button if b.key == "export_csv"]
    assert any("mindestens eine Befragung" in c.value for c in at.caption)
