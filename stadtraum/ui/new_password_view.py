"""The page after a sign-in with a one-time password (a new account, or a password an admin
reset): the person chooses their own password before any other page opens. Shown at every
address while the account is marked; setting the password ends every session of the account
(as any new password does), so this tab signs in again with the new one at once."""

from __future__ import annotations

from collections.abc import Callable

import streamlit as st

from stadtraum.accounts.auth import MIN_PASSWORD_LENGTH, AuthenticationError
from stadtraum.accounts.users import set_password
from stadtraum.errors import StadtraumError
from stadtraum.ui.i18n import lang, language_switch
from stadtraum.ui.plain import md_literal
from stadtraum.ui.session import current_user, sign_in, sign_out
from stadtraum.ui.state import engine

__all__ = ["new_password_at", "show"]


def _tr(de: str, en: str) -> str:
    return en if lang() == "en" else de


def show() -> None:
    language_switch()
    _, middle, _ = st.columns([1, 3, 1])
    with middle:
        _content()


def _change(name: str, password: str, again: str) -> str | None:
    """None on success, else the message to show."""
    user = current_user()
    if user is None:
        return _tr("Bitte neu anmelden.", "Please sign in again.")
    if password != again:
        return _tr("Passwort wiederholen: Die beiden Passwörter stimmen nicht überein.",
                   "Repeat the password: the two passwords differ.")
    try:
        set_password(engine(), user.name, password, actor=user.actor)
        sign_in(name, password)
    except AuthenticationError as exc:  # e.g. the database takes no writes just now
        return exc.message_en if lang() == "en" else exc.message_de
    except StadtraumError as exc:
        return _tr("Neues Passwort: ", "New password: ") + (
            exc.message_en if lang() == "en" else exc.message_de)
    return None


def _content() -> None:
    user = current_user()
    st.title(_tr("Eigenes Passwort wählen", "Choose your own password"), anchor=False)
    name = user.name if user else ""
    st.write(_tr(f"Angemeldet als **{md_literal(name)}** mit einem Einmal-Passwort. Bitte "
                 "wählen Sie jetzt ein eigenes Passwort; erst danach öffnen sich die Seiten.",
                 f"Signed in as **{md_literal(name)}** with a one-time password. Please choose "
                 "your own password now; the pages open afterwards."))
    with st.form("new_password"):
        password = st.text_input(
            _tr(f"Neues Passwort (mindestens {MIN_PASSWORD_LENGTH} Zeichen, kein häufiges "
                "Passwort)", f"New password (at least {MIN_PASSWORD_LENGTH} characters, not a "
                "common one)"), type="password", key="new_password",
            autocomplete="new-password")
        again = st.text_input(_tr("Passwort wiederholen", "Repeat the password"),
                              type="password", key="new_password_again",
                              autocomplete="new-password")
        if st.form_submit_button(_tr("Passwort speichern", "Save password"), type="primary"):
            problem = _change(name, password, again)
            if problem is None:
                st.rerun()
            st.error(md_literal(problem))
    if st.button(_tr("Abmelden", "Sign out"), key="new_password_sign_out"):
        sign_out()
        st.rerun()


def new_password_at(key: str) -> Callable[[], None]:
    """The page standing at page ``key``'s address."""

    def page() -> None:
        show()

    page.__name__ = page.__qualname__ = f"neues_passwort_{key}"
    return page
