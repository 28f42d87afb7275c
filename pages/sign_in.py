"""Anmelden: sign in with a local account; unlock a locked tablet."""

from __future__ import annotations

import streamlit as st

from stadtraum.accounts.auth import AuthenticationError
from stadtraum.ui.session import current_user, sign_in, unlock

st.title("StadtRaumMonitor")
user = current_user()
if user is not None and st.session_state.get("locked"):
    st.subheader("Gesperrt", anchor=False)
    st.write(f"Das Tablet wurde nach einer Pause gesperrt. Angemeldet: **{user.name}**. "
             "Die laufende Befragung bleibt erhalten.")
    with st.form("unlock"):
        password = st.text_input("Passwort", type="password", key="unlock_password")
        if st.form_submit_button("Entsperren", type="primary"):
            problem = unlock(password)
            if problem is None:
                st.rerun()
            st.error(problem)
    st.stop()

st.subheader("Anmelden", anchor=False)
if st.session_state.get("session_ended"):
    st.info("Ihre Anmeldung wurde beendet (Passwort geändert, Konto deaktiviert oder von der "
            "Verwaltung abgemeldet). Bitte neu anmelden.")
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
