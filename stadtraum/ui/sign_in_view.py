"""The sign-in page: sign in with a local account, or unlock a locked tablet; in the demo,
one button per demo role. Shown at ``/anmelden`` and at every page's address while nobody is
signed in (a bookmark of ``/karte`` opens the map right after signing in)."""

from __future__ import annotations

from collections.abc import Callable

import streamlit as st

from stadtraum.accounts.auth import AuthenticationError
from stadtraum.demo.sign_in import demo_accounts
from stadtraum.ui import sso_view
from stadtraum.ui.i18n import lang, language_switch
from stadtraum.ui.plain import md_literal
from stadtraum.ui.session import current_user, locked, sign_in, sign_in_demo, unlock
from stadtraum.ui.state import engine, settings

# the demo roles' button labels (German, English)
_DEMO_LABELS = {"helper": ("Helfer*in (Straßenbefragung)", "Helper (street survey)"),
                "moderator": ("Moderation (Fokusgruppen)", "Moderator (focus groups)"),
                "planner": ("Planung (Karten, Profile)", "Planner (maps, profiles)"),
                "admin": ("Verwaltung (Admin)", "Administrator")}


def _tr(de: str, en: str) -> str:
    return en if lang() == "en" else de


def _unlock_form(name: str) -> None:
    st.subheader(_tr("Gesperrt", "Locked"), anchor=False)
    st.write(_tr(f"Das Tablet wurde nach einer Pause gesperrt. Angemeldet: "
                 f"**{md_literal(name)}**. Die laufende Befragung bleibt erhalten.",
                 f"The tablet locked after a pause. Signed in: **{md_literal(name)}**. "
                 "The interview in progress is kept."))
    with st.form("unlock"):
        password = st.text_input(_tr("Passwort", "Password"), type="password",
                                 key="unlock_password")
        if st.form_submit_button(_tr("Entsperren", "Unlock"), type="primary"):
            problem = unlock(password)
            if problem is None:
                st.rerun()
            st.error(problem)


def _demo_buttons() -> None:
    accounts = demo_accounts(engine(), enabled=settings().demo_sign_in)
    if not accounts:
        return
    st.subheader(_tr("Demo ausprobieren", "Try the demo"), anchor=False)
    st.caption(_tr("Die Demo-Stadt ist geladen. Ein Klick meldet Sie ohne Passwort mit dieser "
                   "Rolle an. Im Betrieb ist das abgeschaltet (STADTRAUM_DEMO_SIGN_IN=0).",
                   "The demo city is loaded. One click signs you in with that role, without "
                   "a password. Switched off in production (STADTRAUM_DEMO_SIGN_IN=0)."))
    cols = st.columns(2)
    for i, (name, role) in enumerate(accounts.items()):
        col = cols[i % 2]
        de, en = _DEMO_LABELS.get(role, (role, role))
        if col.button(_tr(de, en), key=f"demo_{name}", use_container_width=True):
            try:
                sign_in_demo(name)
            except AuthenticationError as exc:
                st.error(exc.message_en if lang() == "en" else exc.message_de)
            else:
                st.rerun()


def _single_sign_on() -> None:
    """The button "Mit <Anbieter> anmelden" above the password form, only when single sign-on
    is configured (STADTRAUM_OIDC_*); the password stays, e.g. for the first admin."""
    if not sso_view.enabled():
        return
    sso_view.sign_in_button()
    st.caption(_tr("… oder mit Benutzername und Passwort:", "… or with user name and password:"))


def _helper_privacy() -> None:
    from stadtraum.ui.admin.settings_brand import helper_privacy_notice

    helper_privacy_notice()


def entry_page(content: Callable[[], None]) -> None:
    """A page before signing in (sign-in, set-up): the language switch, then ``content`` in
    a readable middle column on wide screens."""
    language_switch()
    _, middle, _ = st.columns([1, 3, 1])
    with middle:
        content()


def show() -> None:
    entry_page(_content)


def _content() -> None:
    st.title("StadtRaumMonitor", anchor=False)
    user = current_user()
    if user is not None and locked():
        _unlock_form(user.name)
        return
    if st.session_state.get("session_ended"):
        st.info(_tr("Ihre Anmeldung wurde beendet (abgemeldet, Passwort geändert, Konto "
                    "deaktiviert oder von der Verwaltung abgemeldet). Bitte neu anmelden.",
                    "Your sign-in has ended (signed out, password changed, account "
                    "deactivated or signed out by the administration). Please sign in again."))
    if sso_view.finish():  # back from the SSO provider: our session instead of st.user
        return
    _helper_privacy()  # the city's privacy notice, read before collecting
    _demo_buttons()  # in the demo first: that is what a visitor came for
    st.subheader(_tr("Anmelden", "Sign in"), anchor=False)
    _single_sign_on()
    with st.form("sign_in"):
        name = st.text_input(_tr("Benutzername", "User name"), key="sign_in_name",
                             autocomplete="username")
        password = st.text_input(_tr("Passwort", "Password"), type="password",
                                 key="sign_in_password", autocomplete="current-password")
        if st.form_submit_button(_tr("Anmelden", "Sign in"), type="primary"):
            try:
                sign_in(name, password)
            except AuthenticationError as exc:
                st.error(exc.message_en if lang() == "en" else exc.message_de)
            else:
                st.rerun()
    st.caption(_tr("Konten legt die Verwaltung an (Seite „Konten“ oder "
                   "`stadtraum users add NAME --role …`).",
                   "Accounts are created by the administration (page “Accounts” or "
                   "`stadtraum users add NAME --role …`)."))


def sign_in_at(key: str) -> Callable[[], None]:
    """The sign-in page standing at page ``key``'s address (a page function needs its own
    name to be a page of its own)."""

    def page() -> None:
        show()

    page.__name__ = page.__qualname__ = f"anmelden_{key}"
    return page
