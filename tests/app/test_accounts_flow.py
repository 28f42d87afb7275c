"""The whole app (issue 11, item 2): the admin reaches the accounts page through the
navigation, the other roles do not; an account created there signs in with its one-time
password and has to choose its own before any page opens."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from sqlalchemy.engine import Engine
from streamlit.testing.v1 import AppTest

from stadtraum.accounts.auth import AuthenticationError
from stadtraum.accounts.permissions import SYSTEM
from stadtraum.accounts.users import authenticate, create_user
from stadtraum.store.engine import make_engine
from stadtraum.store.migrate import migrate
from tests.app.conftest import PASSWORD, USERS
from tests.app.flow import run, sign_in, whole_app

NEW_PASSWORD = "Mein-eigenes-Passwort-7"


@pytest.fixture
def accounts_db(app_db: str, monkeypatch: pytest.MonkeyPatch) -> Iterator[Engine]:
    """One account per role (no demo city)."""
    monkeypatch.setenv("STADTRAUM_DEMO_ON_EMPTY", "0")
    engine = make_engine(app_db)
    migrate(engine)
    for name, role in USERS.items():
        create_user(engine, name, role, PASSWORD, actor=SYSTEM)
    yield engine
    engine.dispose()


def _open_accounts(at: AppTest) -> AppTest:
    at.switch_page("pages/accounts.py")
    return run(at)


@pytest.mark.parametrize("name", ["erika", "mona", "pia"])
def test_other_roles_cannot_open_the_accounts_page(accounts_db: Engine, name: str) -> None:
    at = sign_in(whole_app(), name)
    first = at.title[0].value
    with pytest.raises(ValueError, match="Could not find a navigation page"):
        _open_accounts(at)  # not a page of this session
    assert not any(t.value == "Konten" for t in at.title), first


def test_admin_creates_an_account_that_chooses_its_own_password(accounts_db: Engine) -> None:
    admin = _open_accounts(sign_in(whole_app(), "ada"))
    assert admin.title[0].value == "Konten"
    admin.text_input(key="acc_new_name").input("bernd")
    admin.selectbox(key="acc_new_role_de").set_value("helper")
    next(b for b in admin.button if b.label == "Konto anlegen").click()
    run(admin)
    one_time = admin.code[0].value

    at = sign_in(whole_app(), "bernd", one_time)
    assert at.title[0].value == "Eigenes Passwort wählen"
    with pytest.raises(ValueError, match="Could not find a navigation page"):
        at.switch_page("pages/interview.py")  # every address shows this page, no other

    def save(password: str, again: str) -> None:
        at.text_input(key="new_password").input(password)
        at.text_input(key="new_password_again").input(again)
        next(b for b in at.button if b.label == "Passwort speichern").click()
        run(at)

    save(NEW_PASSWORD, NEW_PASSWORD + "x")
    assert "stimmen nicht überein" in at.error[0].value
    save("kurz", "kurz")
    assert "Neues Passwort" in at.error[0].value and "mindestens 12 Zeichen" in at.error[0].value
    save(NEW_PASSWORD, NEW_PASSWORD)
    assert at.title[0].value == "Befragung durchführen"  # signed in again, the pages open
    assert not authenticate(accounts_db, "bernd", NEW_PASSWORD).must_change_password
    with pytest.raises(AuthenticationError):
        authenticate(accounts_db, "bernd", one_time)
