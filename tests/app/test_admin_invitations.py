"""AppTest of the Verwaltung page's invitation codes: the switch, generating a batch, and its
one-time downloads; the database keeps hashes only and the audit log names the admin."""

from __future__ import annotations

import pytest
from sqlalchemy import text
from streamlit.testing.v1 import AppTest

from stadtraum.accounts.users import AuthUser
from stadtraum.citizen.invitations import invitation_status
from stadtraum.store.engine import make_engine
from stadtraum.store.migrate import migrate
from tests.app.conftest import ROOT
from tests.app.flow import run as _run
from tests.helpers import City, make_city


@pytest.fixture
def admin_city(app_db: str, monkeypatch: pytest.MonkeyPatch) -> tuple[str, City]:
    monkeypatch.setenv("STADTRAUM_DEMO_ON_EMPTY", "0")
    monkeypatch.setenv("STADTRAUM_PUBLIC_BASE_URL", "https://stadtraum.example.de")
    engine = make_engine(app_db)
    migrate(engine)
    city = make_city(engine, campaign="Befragung <b>Süd</b> 2025")
    with engine.begin() as conn:
        conn.execute(text("UPDATE campaigns SET public_token = :t, public_enabled = :on"),
                     {"t": "tok-" + "z" * 20, "on": True})
    engine.dispose()
    return app_db, city


def _page() -> AppTest:
    at = AppTest.from_file(str(ROOT / "pages" / "admin.py"), default_timeout=120)
    at.session_state["user"] = AuthUser(id=1, name="ada", role="admin")
    return _run(at)


def test_admin_requires_codes_and_generates_a_batch_once(admin_city: tuple[str, City]) -> None:
    url, city = admin_city
    cid = city.campaign_id
    at = _page()
    assert any(h.value == "Einladungscodes für den Online-Fragebogen" for h in at.header)
    assert not [b for b in at.download_button if b.key.startswith("inv_")]
    at.toggle(key=f"inv_req_{cid}").set_value(True)
    _run(at)
    assert any("keine unbenutzten Codes" in c.value for c in at.caption)
    at.number_input(key=f"inv_count_{cid}").set_value(7)
    at.button(key=f"inv_gen_{cid}").click()
    _run(at)
    assert any("7 neue Codes" in w.value for w in at.warning)
    csv_button = at.download_button(key=f"inv_csv_{cid}")
    sheet_button = at.download_button(key=f"inv_sheet_{cid}")
    assert csv_button.label == "Codes als CSV" and csv_button.proto.url.endswith(".csv")
    assert sheet_button.proto.url.endswith(".html")
    engine = make_engine(url)
    status = invitation_status(engine, cid)
    assert (status.required, status.total, status.used) == (True, 7, 0)
    with engine.connect() as conn:
        log = conn.execute(text("SELECT actor, action FROM audit_log WHERE action LIKE "
                                "'invitations%' ORDER BY id")).all()
    engine.dispose()
    assert [tuple(r) for r in log] == [("ada", "invitations_required_on"),
                                       ("ada", "invitations_generate")]
    assert any("7 Codes, davon 0 verwendet" in m.value for m in at.markdown)
    at.button(key=f"inv_done_{cid}").click()
    _run(at)
    assert not [b for b in at.download_button if b.key.startswith("inv_")]  # shown once
    assert not any("<b>" in m.value for m in at.markdown)  # the name shown literally
