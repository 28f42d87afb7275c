"""The sign-in page: sign in with a local account, or unlock a locked tablet. Shown at
``/anmelden`` and at every page's address while nobody is signed in (a bookmark of ``/karte``
opens the map right after signing in)."""

from __future__ import annotations

from collections.abc import Callable

import streamlit as st

from stadtraum.accounts.auth import AuthenticationError
from stadtraum.ui.plain import md_literal
from stadtraum.ui.session import current_user, locked, sign_in, unlock


def _unlock_form(name: str) -> None:
    st.subheader("Gesperrt", anchor=False)
    st.write(f"Das Tablet wurde nach einer Pause gesperrt. Angemeldet: **{md_literal(name)}**. "
             "Die laufende Befragung bleibt erhalten.")
    with st.form("unlock"):
        password = st.text_input("Passwort", type="password", key="unlock_password")
        if st.form_submit_button("Entsperren", type="primary"):
            problem = unlock(password)
            if problem is None:
                st.rerun()
            st.error(problem)


def show() -> None:
    st.title("StadtRaumMonitor")
    user = current_user()
    if user is not None and locked():
        _unlock_form(user.name)
        return
    st.subheader("Anmelden", anchor=False)
    if st.session_state.get("session_ended"):
        st.info("Ihre Anmeldung wurde beendet (abgemeldet, Passwort geändert, Konto deaktiviert "
                "oder von der Verwaltung abgemeldet). Bitte neu anmelden.")
    with st.form("sign_in"):
        name = st.text_input("Benutzername", key="sign_in_name", autocomplete="username")
        password = st.text_input("Passwort", type="password", key="sign_in_password",
                                 autocomplete="current-password")
        if st.form_submit_button("Anmelden", type="primary"):
            try:
                sign_in(name, password)
            except AuthenticationError as exc:
                st.error(exc.message_de)
            else:
                st.rerun()
    st.caption("Konten legt die Verwaltung an (`stadtraum users add NAME --role …`). "
               "Beim ersten Start mit Demodaten stehen die erzeugten Passwörter in der Konsole.")


def sign_in_at(key: str) -> Callable[[], None]:
    """The sign-in page standing at page ``key``'s address (a page function needs its own
    name to be a page of its own)."""

    def page() -> None:
        show()

    page.__name__ = page.__qualname__ = f"anmelden_{key}"
    return page
