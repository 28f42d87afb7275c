"""Sign-in state: the signed-in user, a signed cookie that survives reloads during a shift,
the idle lock for shared tablets, and the server-side page check."""

from __future__ import annotations

import json
import time

import streamlit as st

from stadtraum.accounts.auth import AuthenticationError, issue_token, require, verify_token
from stadtraum.accounts.users import AuthUser, authenticate, session_user
from stadtraum.config import session_secret
from stadtraum.errors import PermissionDeniedError
from stadtraum.ui.state import data_dir, engine, settings

COOKIE = "stadtraum_session"
USER = "user"
ACTIVE = "last_activity"


def _secret() -> bytes:
    return session_secret(settings(), data_dir())


def _write_cookie(value: str, max_age: int) -> None:
    # Streamlit cannot set cookies from Python; a tiny same-origin script does. The cookie
    # holds only a signed, expiring token (user id, role), never the password.
    st.iframe(
        "<script>parent.document.cookie = " + json.dumps(
            f"{COOKIE}={value}; Max-Age={max_age}; Path=/; SameSite=Strict"
            + ("; Secure" if (st.context.url or "").startswith("https") else ""))
        + ";</script>", height=1)


def _from_cookie() -> AuthUser | None:
    token = st.context.cookies.get(COOKIE)
    if not token or st.session_state.get("signed_out"):
        return None
    claims = verify_token(token, _secret(), time.time())
    return session_user(engine(), claims.user_id, claims.epoch) if claims else None


def current_user() -> AuthUser | None:
    """The signed-in user (restored from the cookie after a reload), or None."""
    user = st.session_state.get(USER)
    if not isinstance(user, AuthUser):
        user = _from_cookie()
        if user is None:
            return None
        st.session_state[USER] = user
        st.session_state[ACTIVE] = time.time()
    return user


def still_signed_in(user: AuthUser) -> AuthUser | None:
    """The account as it is now, or None (and signed out here) if its sessions were ended
    meanwhile: password changed, deactivated, or "end all sessions" (a lost tablet)."""
    current = session_user(engine(), user.id, user.session_epoch)
    if current is None:
        sign_out()
        st.session_state["session_ended"] = True
        return None
    if current != user:  # e.g. a new role
        st.session_state[USER] = current
    return current


def locked() -> bool:
    """True when the tablet has been idle too long; the interview in progress is kept."""
    last = st.session_state.get(ACTIVE)
    if last is not None and time.time() - last > settings().idle_lock_minutes * 60:
        st.session_state["locked"] = True
    return bool(st.session_state.get("locked"))


def touch() -> None:
    st.session_state[ACTIVE] = time.time()


def sign_in(name: str, password: str) -> AuthUser:
    user = authenticate(engine(), name, password)
    st.session_state[USER] = user
    st.session_state.pop("signed_out", None)
    st.session_state.pop("locked", None)
    touch()
    ttl = int(settings().session_hours * 3600)
    st.session_state["cookie_token"] = (issue_token(user.id, user.role, _secret(), ttl,
                                                    time.time(), epoch=user.session_epoch), ttl)
    st.session_state.pop("session_ended", None)
    return user


def flush_cookie() -> None:
    """Write a freshly issued token once (called by the frame after sign-in)."""
    pending = st.session_state.pop("cookie_token", None)
    if pending:
        _write_cookie(*pending)


def sign_out() -> None:
    for key in (USER, ACTIVE, "locked", "interview"):
        st.session_state.pop(key, None)
    st.session_state["signed_out"] = True
    _write_cookie("", 0)


def unlock(password: str) -> str | None:
    """Unlock the tablet with the signed-in account's password: None on success, else the
    German message to show (wrong password, or too many attempts)."""
    user = st.session_state.get(USER)
    if not isinstance(user, AuthUser):
        return "Bitte neu anmelden."
    try:
        authenticate(engine(), user.name, password)
    except AuthenticationError as exc:
        return "Passwort falsch." if type(exc) is AuthenticationError else exc.message_de
    st.session_state.pop("locked", None)
    touch()
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
