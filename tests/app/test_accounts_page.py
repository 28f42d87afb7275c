"""AppTest of the accounts page (issue 11, item 2): admins list, create, change roles, reset
passwords (the one-time password shown once), deactivate and reactivate, sign out everywhere;
refused input and a conflict are shown naming the field, in German and English; the other
roles do not reach the page; names and e-mails with markup are shown literally."""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
from sqlalchemy import select
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session
from streamlit.testing.v1 import AppTest

from stadtraum.accounts.admin_ops import change_role, list_accounts, set_email
from stadtraum.accounts.permissions import SYSTEM, Actor
from stadtraum.accounts.sessions import lookup, open_session
from stadtraum.accounts.users import AuthUser, authenticate, create_user
from stadtraum.store.db import User
from stadtraum.store.engine import make_engine
from stadtraum.store.migrate import migrate
from tests.app.conftest import PASSWORD, ROOT
from tests.app.flow import run
from tests.app.test_hostile_text import Findings

ADA = Actor("ada", "admin")


@pytest.fixture
def accounts_db(app_db: str, monkeypatch: pytest.MonkeyPatch) -> Iterator[Engine]:
    """ada (admin), erika (helper); no demo."""
    monkeypatch.setenv("STADTRAUM_DEMO_ON_EMPTY", "0")
    engine = make_engine(app_db)
    migrate(engine)
    create_user(engine, "ada", "admin", PASSWORD, actor=SYSTEM)
    create_user(engine, "erika", "helper", PASSWORD, actor=SYSTEM)
    yield engine
    engine.dispose()


def _page(role: str = "admin", name: str = "ada", en: bool = False) -> AppTest:
    at = AppTest.from_file(str(ROOT / "pages" / "accounts.py"), default_timeout=120)
    at.session_state["user"] = AuthUser(id=1, name=name, role=role)
    if en:
        at.session_state["lang"] = "English"
    return run(at)


def _account(engine: Engine, name: str) -> User:
    with Session(engine) as session:
        user = session.scalars(select(User).where(User.name == name)).one()
        session.expunge(user)
        return user


def _press(at: AppTest, key: str) -> AppTest:
    at.button(key=key).click()
    return run(at)


def _plain(text: str) -> str:
    """A message as the browser shows it (the escapes of md_literal removed)."""
    return re.sub(r"\\(.)", r"\1", text)


def _messages(at: AppTest) -> list[str]:
    return [_plain(e.value) for e in at.error] + [_plain(s.value) for s in at.success]


def _error(at: AppTest) -> str:
    assert at.error, "no error shown"
    return _plain(at.error[0].value)


@pytest.mark.parametrize("role", ["helper", "moderator", "planner"])
def test_other_roles_do_not_reach_the_page(accounts_db: Engine, role: str) -> None:
    at = _page(role, "erika")
    assert any("nicht freigegeben" in e.value for e in at.error)
    assert not at.dataframe and not at.button and not at.text_input


def test_the_list_shows_role_email_and_last_sign_in(accounts_db: Engine) -> None:
    set_email(accounts_db, "erika", "erika@stadt.de", actor=ADA)
    open_session(accounts_db, authenticate(accounts_db, "erika", PASSWORD), hours=1)
    at = _page()
    assert at.title[0].value == "Konten"
    frame = at.dataframe[0].value
    assert list(frame["Name"]) == ["ada", "erika"]
    assert list(frame["Rolle"]) == ["Admin", "Erfasser*in"]
    assert list(frame["E-Mail"]) == ["", "erika@stadt.de"]
    last = list(frame["Letzte Anmeldung"])
    assert last[0] == "noch nie" and last[1] != "noch nie"
    assert list(frame["Status"]) == ["aktiv", "aktiv"]


def test_create_shows_the_one_time_password_once(accounts_db: Engine) -> None:
    at = _page()
    at.text_input(key="acc_new_name").input("Bernd")
    at.selectbox(key="acc_new_role_de").set_value("planner")
    at.text_input(key="acc_new_email").input("Bernd@Stadt.de")
    next(b for b in at.button if b.label == "Konto anlegen").click()
    run(at)
    assert "Konto angelegt." in _messages(at)
    password = at.code[0].value
    assert any("nicht noch einmal angezeigt" in c.value for c in at.caption)
    user = authenticate(accounts_db, "bernd", password)
    assert (user.role, user.must_change_password) == ("planner", True)
    frame = at.dataframe[0].value
    assert list(frame.loc[frame["Name"] == "bernd", "Status"]) == ["Einmal-Passwort offen"]
    assert at.selectbox(key="acc_pick").value == "bernd"  # the new account is open below
    assert at.text_input(key="acc_new_name").value == ""
    run(at)  # any next interaction: the password is gone for good
    assert not at.code and password not in str(at._tree)


def test_a_bad_name_or_e_mail_names_the_field(accounts_db: Engine) -> None:
    at = _page()
    at.text_input(key="acc_new_name").input("Bernd Müller")
    next(b for b in at.button if b.label == "Konto anlegen").click()
    run(at)
    assert _error(at).startswith("Name: Der Name muss")
    at.text_input(key="acc_new_name").input("bernd")
    at.text_input(key="acc_new_email").input("bernd at stadt.de")
    next(b for b in at.button if b.label == "Konto anlegen").click()
    run(at)
    assert _error(at).startswith("E-Mail: Die E-Mail-Adresse ist ungültig")
    assert not at.code
    assert [a.name for a in list_accounts(accounts_db, actor=ADA)] == ["ada", "erika"]


def test_role_email_reset_sign_out_and_deactivate(accounts_db: Engine) -> None:
    at = _page()
    at.selectbox(key="acc_pick").set_value("erika")
    run(at)
    erika = _account(accounts_db, "erika")
    at.selectbox(key=f"acc_role_{erika.id}_{erika.version}_de").set_value("moderator")
    _press(at, f"acc_role_save_{erika.id}")
    assert _account(accounts_db, "erika").role == "moderator"
    assert any("Rolle gespeichert" in m for m in _messages(at))
    erika = _account(accounts_db, "erika")
    at.text_input(key=f"acc_email_{erika.id}_{erika.version}").input("erika@stadt.de")
    _press(at, f"acc_email_save_{erika.id}")
    assert _account(accounts_db, "erika").email == "erika@stadt.de"

    signed_in = authenticate(accounts_db, "erika", PASSWORD)
    tablet = open_session(accounts_db, signed_in, hours=1).session_id
    _press(at, f"acc_end_{erika.id}")
    assert lookup(accounts_db, tablet, idle_minutes=60) is None
    _press(at, f"acc_reset_{erika.id}")
    one_time = at.code[0].value
    assert authenticate(accounts_db, "erika", one_time).must_change_password
    _press(at, f"acc_active_{erika.id}")
    assert not _account(accounts_db, "erika").active
    assert at.button(key=f"acc_active_{erika.id}").label == "Reaktivieren"
    _press(at, f"acc_active_{erika.id}")
    assert _account(accounts_db, "erika").active


def test_a_change_made_meanwhile_is_a_conflict(accounts_db: Engine) -> None:
    at = _page()
    at.selectbox(key="acc_pick").set_value("erika")
    run(at)
    erika = _account(accounts_db, "erika")
    create_user(accounts_db, "bea", "admin", PASSWORD, actor=SYSTEM)
    change_role(accounts_db, "erika", "planner", actor=Actor("bea", "admin"))  # a second admin
    at.selectbox(key=f"acc_role_{erika.id}_{erika.version}_de").set_value("moderator")
    _press(at, f"acc_role_save_{erika.id}")
    assert "inzwischen von jemand anderem geändert" in _error(at)
    assert _account(accounts_db, "erika").role == "planner"  # not overwritten
    fresh = _account(accounts_db, "erika")  # the page now shows the current state
    assert at.selectbox(key=f"acc_role_{fresh.id}_{fresh.version}_de").value == "planner"
    _press(at, f"acc_reset_{erika.id}")  # the refreshed panel carries the new version
    assert at.code


def test_the_last_admin_stays_and_english_names_the_field(accounts_db: Engine) -> None:
    at = _page(en=True)
    assert at.title[0].value == "Accounts"
    ada = _account(accounts_db, "ada")
    assert at.selectbox(key="acc_pick").value == "ada"
    _press(at, f"acc_active_{ada.id}")
    assert _error(at).startswith("Active: The last admin account cannot be deactivated")
    at.selectbox(key=f"acc_role_{ada.id}_{ada.version}_en").set_value("planner")
    _press(at, f"acc_role_save_{ada.id}")
    assert _error(at).startswith("Role: The last admin account cannot be demoted")
    at.text_input(key=f"acc_email_{ada.id}_{ada.version}").input("<b>ada</b>@stadt.de")
    _press(at, f"acc_email_save_{ada.id}")
    assert _error(at).startswith("E-mail: The e-mail address is invalid")
    account = _account(accounts_db, "ada")
    assert (account.role, account.active, account.email) == ("admin", True, None)


def test_names_and_e_mails_with_markup_are_shown_literally(accounts_db: Engine) -> None:
    create_user(accounts_db, "__fett__", "helper", PASSWORD, actor=SYSTEM,
                email="fett@hostile.example")
    create_user(accounts_db, "www.hostile.example", "helper", PASSWORD, actor=SYSTEM,
                email="www.hostile@hostile.example")
    found = Findings()
    at = _page()
    found.check(at, "list")
    for name in ("__fett__", "www.hostile.example"):
        at.selectbox(key="acc_pick").set_value(name)
        run(at)
        found.check(at, f"panel {name}")
        user = _account(accounts_db, name)
        _press(at, f"acc_reset_{user.id}")  # the one-time password box names the account
        found.check(at, f"reset {name}")
        change_role(accounts_db, name, "planner", actor=ADA)
        _press(at, f"acc_reset_{user.id}")  # a conflict message names it too
        assert at.error
        found.check(at, f"conflict {name}")
    assert not found.problems, "\n".join(found.problems)
