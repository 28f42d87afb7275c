"""Single sign-on on the sign-in page (Streamlit glue for :mod:`stadtraum.accounts.sso`).

The flow, with our own session as the only sign-in that counts:

1. "Mit <Anbieter> anmelden" calls ``st.login()``: Streamlit sends the browser to the provider
   and back to ``/oauth2callback``, which sets Streamlit's identity cookie and redirects to
   ``/``, where nobody is signed in yet, so the sign-in page runs again with ``st.user``.
2. :func:`finish` maps ``st.user`` to an account (:func:`~stadtraum.accounts.sso.sso_sign_in`)
   and opens our server-side session exactly as the password does
   (:func:`stadtraum.ui.session.start_session`, HttpOnly cookie through our route).
3. Once the browser holds our cookie (its one-time code is spent), ``st.logout()`` drops
   Streamlit's identity cookie: afterwards only our session signs the browser in, so
   sign-out, "end all sessions" and a deactivation act on it. (``st.logout()`` goes to
   ``/auth/logout``, which our own route answers (:mod:`stadtraum.web.identity_routes`):
   the cookie goes, the provider's sign-out page is never visited.)

A refusal is shown with a button that calls ``st.logout()`` (the message would be lost in the
redirect otherwise); an identity left behind is refused later as stale.
"""

from __future__ import annotations

import logging
import time

import streamlit as st

from stadtraum.accounts.auth import AuthenticationError
from stadtraum.accounts.sso import OidcSettings, SsoRefusedError, cookie_exchanged, load_oidc
from stadtraum.accounts.sso import sso_sign_in as match_identity
from stadtraum.errors import ValidationError
from stadtraum.ui.client import address
from stadtraum.ui.i18n import lang
from stadtraum.ui.plain import md_literal
from stadtraum.ui.session import SID, flush_cookie, start_session
from stadtraum.ui.state import engine

__all__ = ["enabled", "finish", "sign_in_button"]

log = logging.getLogger(__name__)
_HANDOFF = "sso_handoff"  # (session id, monotonic start) while our cookie is being set
_REFUSED = "sso_refused"  # (German, English) of a refusal in this tab
COOKIE_WAIT_SECONDS = 15.0


def _tr(de: str, en: str) -> str:
    return en if lang() == "en" else de


def _oidc() -> OidcSettings | None:
    """The SSO settings when SSO is configured and Streamlit has the ``[auth]`` secrets (the
    app was started through ``app.py``), else None."""
    try:
        oidc = load_oidc()
    except ValidationError as exc:  # app.py refuses to start with it; never break the page
        log.error("single sign-on off: %s", exc.message_en)
        return None
    if not oidc.enabled:
        return None
    try:
        has_auth = st.secrets.get("auth") is not None
    except FileNotFoundError:  # no secrets at all (Streamlit's StreamlitSecretNotFoundError)
        has_auth = False
    if not has_auth:
        log.warning("STADTRAUM_OIDC_* is set but Streamlit has no [auth] secrets; start the "
                    "app with app.py")
        return None
    return oidc


def enabled() -> bool:
    return _oidc() is not None


def sign_in_button() -> None:
    """The button "Mit <Anbieter> anmelden", only when SSO is configured."""
    oidc = _oidc()
    if oidc is None:
        return
    name = md_literal(oidc.provider_name)
    if st.button(_tr(f"Mit {name} anmelden", f"Sign in with {name}"), key="sso_sign_in",
                 type="primary", use_container_width=True):
        st.login()


def _identity() -> dict[str, object] | None:
    try:
        if not st.user.is_logged_in:
            return None
        return dict(st.user.to_dict())
    except (AttributeError, KeyError):
        return None


def finish() -> bool:
    """After the provider's callback: exchange ``st.user`` for our session, or show the
    refusal. True when this took the page over (the sign-in form is not shown)."""
    oidc = _oidc()
    if oidc is None:
        return False
    if st.session_state.get(_HANDOFF):
        _await_cookie()
        return True
    claims = _identity()
    if claims is None:
        st.session_state.pop(_REFUSED, None)
        return False
    if _REFUSED not in st.session_state:
        try:
            user = match_identity(engine(), claims, require_verified=oidc.require_verified_email,
                                  source=address(), provider=oidc.provider_name)
        except SsoRefusedError as exc:
            st.session_state[_REFUSED] = (exc.message_de, exc.message_en or exc.message_de)
        except AuthenticationError as exc:  # the database takes no writes: try again later
            st.session_state[_REFUSED] = (exc.message_de, exc.message_en or exc.message_de)
        else:
            start_session(user)
            flush_cookie()  # the one-time code to our cookie route, now
            st.session_state[_HANDOFF] = (st.session_state[SID], time.monotonic())
            _await_cookie()
            return True
    de, en = st.session_state[_REFUSED]
    st.error(_tr(de, en))
    email = claims.get("email")
    if isinstance(email, str) and email:
        st.caption(_tr("Vom Anbieter gemeldete E-Mail-Adresse: ",
                       "E-mail address reported by the provider: ") + md_literal(email[:254]))
    if st.button(_tr("Zurück zur Anmeldung", "Back to sign-in"), key="sso_back",
                 type="primary"):
        st.session_state.pop(_REFUSED, None)
        st.logout()
    return True


@st.fragment(run_every=0.5)
def _await_cookie() -> None:
    st.info(_tr("Anmeldung wird abgeschlossen …", "Completing the sign-in …"))
    handoff = st.session_state.get(_HANDOFF)
    if not handoff:
        return
    session_id, started = handoff
    waited = time.monotonic() - started
    if cookie_exchanged(engine(), session_id) or waited > COOKIE_WAIT_SECONDS:
        if waited > COOKIE_WAIT_SECONDS:
            log.warning("session cookie not fetched within %.0f s after single sign-on",
                        COOKIE_WAIT_SECONDS)
        st.session_state.pop(_HANDOFF, None)
        st.logout()  # drop Streamlit's identity cookie: from now on only our session counts
