"""Sign-out, the idle lock and "end all sessions" in the whole app (AppTest; the cookie itself
is tested in a real browser in tests/browser/test_sessions_browser.py): each acts on the
server-side session row, and the frame checks the row on every run."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select, update
from sqlalchemy.orm import Session
from streamlit.testing.v1 import AppTest

from stadtraum.accounts.permissions import SYSTEM
from stadtraum.accounts.sessions import end_session, session_hash
from stadtraum.accounts.users import end_sessions
from stadtraum.store.db import UserSession
from stadtraum.store.engine import make_engine
from tests.app.conftest import PASSWORD
from tests.app.flow import click, run, sign_in, whole_app


def _rows(url: str) -> list[UserSession]:
    engine = make_engine(url)
    with Session(engine) as session:
        rows = list(session.scalars(select(UserSession)))
    engine.dispose()
    return rows


def _shows_the_sign_in_form(at: AppTest) -> bool:
    """The sign-in page: its "Anmelden" subheader (after the demo section, when the demo is
    loaded) and the name field of the form; not the lock, not a signed-in page."""
    subheaders = [s.value for s in at.subheader]
    return ("Anmelden" in subheaders and "Gesperrt" not in subheaders
            and any(t.key == "sign_in_name" for t in at.text_input))


def test_signing_in_opens_a_row_and_an_ended_row_signs_the_tab_out(demo_db: str) -> None:
    at = sign_in(whole_app(), "erika")
    assert any("Angemeldet: erika" in c.value for c in at.sidebar.caption)
    (row,) = _rows(demo_db)
    assert row.ended_at is None and row.code_hash is not None  # code not yet exchanged
    session_id = at.session_state["session_id"]
    assert session_hash(session_id) == row.id_hash
    engine = make_engine(demo_db)
    end_session(engine, session_id)  # what "Abmelden" and the sign-out route do
    engine.dispose()
    at = run(at)
    assert _shows_the_sign_in_form(at)
    assert "user" not in at.session_state and "session_id" not in at.session_state


def test_a_locked_session_shows_the_lock_and_unlocks_with_the_password(demo_db: str) -> None:
    at = sign_in(whole_app(), "erika")
    engine = make_engine(demo_db)
    with Session(engine) as session, session.begin():  # twenty idle minutes later
        session.execute(update(UserSession).values(
            last_seen=dt.datetime.now(dt.UTC) - dt.timedelta(minutes=600)))
    engine.dispose()
    at = run(at)
    assert at.subheader[0].value == "Gesperrt"
    assert _rows(demo_db)[0].locked  # the lock is in the row: a reload cannot lift it
    at.text_input(key="unlock_password").input("falsch-falsch-1")
    at = click(at, "FormSubmitter:unlock-Entsperren")
    assert at.subheader[0].value == "Gesperrt" and "Passwort falsch." in at.error[0].value
    at.text_input(key="unlock_password").input(PASSWORD)
    at = click(at, "FormSubmitter:unlock-Entsperren")
    assert any("Angemeldet: erika" in c.value for c in at.sidebar.caption)
    assert not _rows(demo_db)[0].locked


def test_ending_all_sessions_signs_an_open_tab_out_at_its_next_run(demo_db: str) -> None:
    at = sign_in(whole_app(), "erika")
    engine = make_engine(demo_db)
    end_sessions(engine, "erika", actor=SYSTEM)
    engine.dispose()
    at = run(at)
    assert _shows_the_sign_in_form(at)
    assert any("Anmeldung wurde beendet" in i.value for i in at.info)
