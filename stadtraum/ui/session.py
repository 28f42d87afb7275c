"""Sign-in state in the script: the server-side session behind this tab, the HttpOnly cookie
that brings it back after a reload, the idle lock, and the server-side page check.

The tab keeps the session id in Streamlit's session state (server memory); after a reload or
in a new tab it comes from the cookie, which only our HTTP route sets and clears
(:mod:`stadtraum.web.session_routes`). Every run asks the database (:func:`resolve`), so a
sign-out, a lock, "end all sessions", a deactivation or a new password holds across reloads,
tabs and app processes.
"""

from __future__ import annotations

import streamlit as st

from stadtraum.accounts.auth import AuthenticationError, require
from stadtraum.accounts.sessions import (
    COOKIE,
    end_session,
    lookup,
    open_session,
    unlock_session,
    verify_cookie,
)
from stadtraum.accounts.users import AuthUser, authenticate
from stadtraum.config import session_secret
from stadtraum.demo.sign_in import demo_sign_in
from stadtraum.errors import PermissionDeniedError
from stadtraum.ui.client import address
from stadtraum.ui.state import data_dir, engine, settings
from stadtraum.web.session_routes import HEADER, SESSION_PATH, SIGN_OUT_PATH

USER = "user"
SID = "session_id"
LOCKED = "locked"
_PENDING = "cookie_request"  # (path, body) for the cookie component, sent once

_JS = """
export default function(component) {
  const { data } = component;
  if (!data || !data.path || window.__srmSent === data.nonce) { return; }
  window.__srmSent = data.nonce;
  fetch(data.path, {method: 'POST', body: data.body || '', credentials: 'same-origin',
                    headers: {[data.header]: '1'}, cache: 'no-store'}).catch(() => {});
}
"""
_cookie_component = st.components.v2.component("stadtraum_session_cookie", js=_JS)


def _secret() -> bytes:
    return session_secret(settings(), data_dir())


def _forget() -> None:
    for key in (USER, SID, LOCKED, "interview"):
        st.session_state.pop(key, None)


def resolve() -> AuthUser | None:
    """The signed-in user of this tab as the database sees it now (None when signed out,
    ended elsewhere or expired); sets :data:`LOCKED` when the session is locked. Called by
    the frame on every run."""
    session_id = st.session_state.get(SID)
    from_cookie = session_id is None
    if from_cookie:
        session_id = verify_cookie(st.context.cookies.get(COOKIE), _secret())
    if session_id is None:
        if st.context.cookies.get(COOKIE):  # a cookie that is not ours (any more)
            _send(SIGN_OUT_PATH, "")
        _forget()
        return None
    state = lookup(engine(), session_id, settings().idle_lock_minutes)
    if state is None:
        if not from_cookie:  # it was live in this tab: ended elsewhere, or expired
            st.session_state["session_ended"] = True
        _send(SIGN_OUT_PATH, "")
        _forget()
        return None
    st.session_state[SID] = session_id
    st.session_state[USER] = state.user
    st.session_state[LOCKED] = state.locked
    return state.user


def current_user() -> AuthUser | None:
    """The signed-in user the frame resolved for this run, or None."""
    user = st.session_state.get(USER)
    return user if isinstance(user, AuthUser) else None


def locked() -> bool:
    return bool(st.session_state.get(LOCKED))


def _send(path: str, body: str) -> None:
    st.session_state[_PENDING] = (path, body)


def flush_cookie() -> None:
    """Send a pending cookie request (after sign-in: the one-time code; after sign-out: the
    clearing) from the browser to our route, once. Called by the frame on every run."""
    pending = st.session_state.pop(_PENDING, None)
    if pending:
        path, body = pending
        _cookie_component(key="session_cookie", data={"path": path, "body": body,
                                                      "header": HEADER,
                                                      "nonce": f"{path}:{body[:12]}"})


def sign_in(name: str, password: str) -> AuthUser:
    return start_session(authenticate(engine(), name, password, source=address()))


def sign_in_demo(name: str) -> AuthUser:
    """The demo button of ``name`` (refused unless the demo is loaded and allowed)."""
    return start_session(demo_sign_in(engine(), name, enabled=settings().demo_sign_in,
                                      source=address()))


def start_session(user: AuthUser) -> AuthUser:
    """Open the server-side session of an authenticated ``user`` in this tab."""
    opened = open_session(engine(), user, settings().session_hours)
    _forget()
    st.session_state[USER] = user
    st.session_state[SID] = opened.session_id
    st.session_state.pop("session_ended", None)
    _send(SESSION_PATH, opened.code)
    return user


def sign_out() -> None:
    session_id = st.session_state.get(SID)
    if isinstance(session_id, str):
        end_session(engine(), session_id)
    _forget()
    _send(SIGN_OUT_PATH, "")


def unlock(password: str) -> str | None:
    """Unlock the tablet with the signed-in account's password: None on success, else the
    German message to show (wrong password, or too many attempts)."""
    user = current_user()
    session_id = st.session_state.get(SID)
    if user is None or not isinstance(session_id, str):
        return "Bitte neu anmelden."
    try:
        authenticate(engine(), user.name, password, source=address(), method="unlock")
    except AuthenticationError as exc:
        return "Passwort falsch." if type(exc) is AuthenticationError else exc.message_de
    unlock_session(engine(), session_id)
    st.session_state[LOCKED] = False
    return None


def require_page(page: str) -> AuthUser:
    """Server-side permission check at the top of every page."""
    user = current_user()
    try:
        require(user.role if user else None, page)
    except PermissionDeniedError as exc:
        st.error(exc.message_de)
        st.stop()
    assert user is not None
    return user
