"""The one-time set-up page of a fresh install (no account yet): the set-up code from
``data/setup-code`` (or the log) and the first admin. Shown at every address while the
database holds no account; afterwards it is gone for good."""

from __future__ import annotations

from collections.abc import Callable

import streamlit as st

from stadtraum.accounts.auth import MIN_PASSWORD_LENGTH
from stadtraum.accounts.setup import create_first_admin
from stadtraum.accounts.users import authenticate
from stadtraum.errors import ValidationError
from stadtraum.ui.client import address
from stadtraum.ui.i18n import lang
from stadtraum.ui.session import start_session
from stadtraum.ui.sign_in_view import entry_page
from stadtraum.ui.state import engine, settings


def _tr(de: str, en: str) -> str:
    return en if lang() == "en" else de


def show() -> None:
    entry_page(_content)


def _content() -> None:
    st.title(_tr("StadtRaumMonitor einrichten", "Set up StadtRaumMonitor"), anchor=False)
    st.write(_tr(
        "Es gibt noch kein Konto. Legen Sie hier das erste Verwaltungskonto (Admin) an; weitere "
        "Konten, Befragungen und Gebiete richten Sie danach im Browser ein.",
        "There is no account yet. Create the first administrator account here; further "
        "accounts, surveys and areas are set up in the browser afterwards."))
    st.info(_tr(
        f"Den Einrichtungscode finden Sie in der Datei „{settings().setup_code_file.name}“ "
        "im Datenordner der App und im Log des Servers. So kann sich niemand, der die neue "
        "Installation zuerst im Netz findet, selbst zum Admin machen.",
        f"The set-up code is in the file “{settings().setup_code_file.name}” in the app's data "
        "folder and in the server log, so nobody who finds the fresh install first can make "
        "themselves admin."))
    with st.form("setup"):
        code = st.text_input(_tr("Einrichtungscode", "Set-up code"), key="setup_code")
        name = st.text_input(_tr("Benutzername (3–50 Zeichen: a–z, 0–9, . _ -)",
                                 "User name (3–50 characters: a–z, 0–9, . _ -)"),
                             key="setup_name", autocomplete="username")
        password = st.text_input(
            _tr(f"Passwort (mindestens {MIN_PASSWORD_LENGTH} Zeichen, kein häufiges Passwort)",
                f"Password (at least {MIN_PASSWORD_LENGTH} characters, not a common one)"),
            type="password", key="setup_password", autocomplete="new-password")
        again = st.text_input(_tr("Passwort wiederholen", "Repeat the password"),
                              type="password", key="setup_again", autocomplete="new-password")
        if st.form_submit_button(_tr("Admin anlegen und anmelden",
                                     "Create the admin and sign in"), type="primary"):
            if password != again:
                st.error(_tr("Die beiden Passwörter stimmen nicht überein.",
                             "The two passwords differ."))
                return
            try:
                create_first_admin(engine(), name, password, code,
                                   code_path=settings().setup_code_file)
            except ValidationError as exc:
                st.error(exc.message_en if lang() == "en" else exc.message_de)
                return
            start_session(authenticate(engine(), name, password, source=address()))
            st.rerun()


def setup_at(key: str) -> Callable[[], None]:
    """The set-up page standing at page ``key``'s address."""

    def page() -> None:
        show()

    page.__name__ = page.__qualname__ = f"einrichtung_{key}"
    return page
