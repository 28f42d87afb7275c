"""The first start without a console (issue 11, item 1), through the whole app in AppTest:
the set-up page of an empty install, the demo's sign-in buttons and the language switch of
the sign-in page (real SQLite files)."""

from __future__ import annotations

import stat
from pathlib import Path

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from stadtraum.store.db import AuditEntry, User
from stadtraum.store.engine import make_engine
from tests.app.conftest import USERS
from tests.app.flow import run, sign_in, whole_app

PW = "Sieben-Brücken-2027"


@pytest.fixture
def fresh(app_db: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """An empty install without demo data; returns where the set-up code goes."""
    monkeypatch.setenv("STADTRAUM_DEMO_ON_EMPTY", "0")
    code_file = tmp_path / "data" / "setup-code"
    monkeypatch.setenv("STADTRAUM_SETUP_CODE_FILE", str(code_file))
    return code_file


def _submit_setup(at, code: str, name: str = "erika", pw: str = PW,  # type: ignore[no-untyped-def]
                  again: str | None = None):
    at.text_input(key="setup_code").input(code)
    at.text_input(key="setup_name").input(name)
    at.text_input(key="setup_password").input(pw)
    at.text_input(key="setup_again").input(pw if again is None else again)
    next(b for b in at.button if "Admin anlegen" in b.label).click()
    return run(at)


def _users(url: str) -> list[str]:
    engine = make_engine(url)
    with Session(engine) as session:
        names = list(session.scalars(select(User.name)))
    engine.dispose()
    return names


def test_an_empty_install_shows_only_the_set_up_page(fresh: Path, app_db: str) -> None:
    at = whole_app()
    assert at.title[0].value == "StadtRaumMonitor einrichten"
    assert not [t for t in at.text_input if t.key == "sign_in_name"]  # no sign-in form
    assert fresh.exists() and stat.S_IMODE(fresh.stat().st_mode) == 0o600
    code = fresh.read_text().strip()
    _submit_setup(at, "falsch-falsch")
    assert "Einrichtungscode stimmt nicht" in at.error[0].value and _users(app_db) == []
    _submit_setup(at, code, again="Sieben-Brücken-2028")
    assert "stimmen nicht überein" in at.error[0].value and _users(app_db) == []
    _submit_setup(at, code, pw="passwort12345")
    assert "häufiger Passwörter" in at.error[0].value and _users(app_db) == []
    _submit_setup(at, code)
    assert not at.error
    assert any("Angemeldet: erika (Admin)" in c.value for c in at.sidebar.caption)
    assert _users(app_db) == ["erika"] and not fresh.exists()
    # whoever comes next finds the sign-in page; the set-up page is gone
    later = whole_app()
    assert [t for t in later.text_input if t.key == "sign_in_name"]
    assert not [t for t in later.text_input if t.key == "setup_code"]
    engine = make_engine(app_db)
    with Session(engine) as session:
        assert session.scalars(select(AuditEntry.action)
                               .order_by(AuditEntry.id)).all() == ["setup", "sign_in"]
    engine.dispose()


def test_the_demo_offers_one_button_per_role(demo_db: str) -> None:
    at = whole_app()
    buttons = [b.key for b in at.button if (b.key or "").startswith("demo_")]
    assert sorted(buttons) == ["demo_admin", "demo_helfer", "demo_moderation", "demo_planung"]
    at.button(key="demo_planung").click()
    run(at)
    assert any("Angemeldet: planung (Planer\\*in)" in c.value for c in at.sidebar.caption)


def test_no_demo_buttons_when_switched_off_or_without_demo(
        demo_db: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("STADTRAUM_DEMO_SIGN_IN", "0")
    at = whole_app()
    assert not [b for b in at.button if (b.key or "").startswith("demo_")]
    assert sign_in(at, next(iter(USERS))).sidebar.caption  # passwords still work


def test_no_demo_buttons_for_real_accounts(fresh: Path, app_db: str) -> None:
    at = whole_app()
    _submit_setup(at, fresh.read_text().strip())
    at = whole_app()  # a new visitor: accounts, no demo data
    assert not [b for b in at.button if (b.key or "").startswith("demo_")]


def test_the_sign_in_page_speaks_english_and_keeps_it(demo_db: str) -> None:
    at = whole_app()
    at.radio(key="lang").set_value("English")
    run(at)
    assert "Sign in" in [s.value for s in at.subheader]
    assert any(b.label == "Sign in" for b in at.button)
    at.text_input(key="sign_in_name").input("pia")
    at.text_input(key="sign_in_password").input("Test-Passwort-123")
    next(b for b in at.button if b.label == "Sign in").click()
    run(at)
    assert at.radio(key="lang").value == "English"  # the sidebar switch after signing in
