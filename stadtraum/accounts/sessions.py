"""Server-side sign-in sessions (DESIGN §5): one row per signed-in browser, its id only in an
HttpOnly cookie.

* :func:`open_session` (after the password was checked) creates the row with a random 256-bit
  session id, of which the row keeps only the SHA-256, and a one-time code valid for
  :data:`CODE_SECONDS`. The script keeps the id in its server-side session state; the browser
  gets only the code and posts it to the cookie route, which calls :func:`exchange_code` and
  sets the cookie ``id.signature`` (HMAC-SHA256 with the session secret). The id never reaches
  page JavaScript, and the code is worthless once exchanged. The row holds the id sealed with
  the code (XOR with a pad derived from the code), so a database reader without the code
  learns nothing, and the route needs no shared memory with the process that signed in.
* Every script run calls :func:`lookup`: a session that was ended (sign-out, "end all
  sessions", deactivation, a new password) or has expired is gone at once, in every tab and
  process, and a locked one shows the lock until the password is given again.
* The idle lock is the row's ``locked`` flag, so a reload, a new tab or a restart of the app
  keeps it. ``last_seen`` is written at most every :data:`TOUCH_SECONDS`.
"""

from __future__ import annotations

import base64
import binascii
import datetime as dt
import hashlib
import hmac
import secrets
from dataclasses import dataclass

from sqlalchemy import delete, or_, select, update
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session

from stadtraum.accounts.auth import MIN_SECRET_BYTES
from stadtraum.accounts.users import AuthUser, _user
from stadtraum.store.db import User, UserSession
from stadtraum.store.engine import write_engine

__all__ = [
    "CODE_SECONDS",
    "COOKIE",
    "TOUCH_SECONDS",
    "OpenedSession",
    "SessionState",
    "end_session",
    "exchange_code",
    "lock_session",
    "lookup",
    "open_session",
    "session_hash",
    "sign_cookie",
    "unlock_session",
    "verify_cookie",
]

COOKIE = "srm_session"
CODE_SECONDS = 120
TOUCH_SECONDS = 30
_ID_BYTES = 32
PURGE_AFTER = dt.timedelta(days=2)  # ended or expired rows are kept this long, then deleted


@dataclass(frozen=True)
class OpenedSession:
    session_id: str  # kept by the script (server memory), never sent to page JavaScript
    code: str  # one-time, for the cookie route


@dataclass(frozen=True)
class SessionState:
    user: AuthUser
    locked: bool


def _b64(raw: bytes) -> str:
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode()


def _unb64(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def session_hash(session_id: str) -> str:
    """The key of a session's row: SHA-256 of its id (the id itself is not stored)."""
    return hashlib.sha256(session_id.encode()).hexdigest()


def _pad(code: str) -> bytes:
    return hashlib.sha256(b"stadtraum-session-seal\x00" + code.encode()).digest()


def _seal(session_id: str, code: str) -> str:
    return bytes(a ^ b for a, b in zip(_unb64(session_id), _pad(code), strict=True)).hex()


def _unseal(sealed: str, code: str) -> str:
    return _b64(bytes(a ^ b for a, b in zip(bytes.fromhex(sealed), _pad(code), strict=True)))


def sign_cookie(session_id: str, secret: bytes) -> str:
    """The cookie value: ``id.signature``."""
    if len(secret) < MIN_SECRET_BYTES:
        raise ValueError(f"the session secret needs at least {MIN_SECRET_BYTES} bytes")
    mac = hmac.new(secret, session_id.encode(), hashlib.sha256).digest()
    return f"{session_id}.{_b64(mac)}"


def verify_cookie(value: object, secret: bytes) -> str | None:
    """The session id in a cookie value, or None if it is malformed or not ours."""
    if not isinstance(value, str) or value.count(".") != 1 or len(value) > 200 \
            or not value.isascii() or len(secret) < MIN_SECRET_BYTES:
        return None
    session_id, signature = value.split(".")
    try:
        if len(_unb64(session_id)) != _ID_BYTES:
            return None
    except (binascii.Error, ValueError):
        return None
    expected = sign_cookie(session_id, secret).split(".")[1]
    return session_id if hmac.compare_digest(expected, signature) else None


def _aware(value: dt.datetime) -> dt.datetime:
    return value if value.tzinfo is not None else value.replace(tzinfo=dt.UTC)  # SQLite


def open_session(engine: Engine, user: AuthUser, hours: float,
                 now: dt.datetime | None = None) -> OpenedSession:
    """A new session for ``user`` (who has just given the password), valid ``hours``."""
    now = now or dt.datetime.now(dt.UTC)
    session_id = _b64(secrets.token_bytes(_ID_BYTES))
    code = secrets.token_urlsafe(32)
    with Session(write_engine(engine)) as session, session.begin():
        session.execute(delete(UserSession).where(or_(
            UserSession.expires_at < now - PURGE_AFTER,
            UserSession.ended_at < now - PURGE_AFTER)))
        session.add(UserSession(
            id_hash=session_hash(session_id), user_id=user.id, created_at=now, last_seen=now,
            expires_at=now + dt.timedelta(hours=hours), locked=False,
            code_hash=hashlib.sha256(code.encode()).hexdigest(), code_seal=_seal(session_id, code),
            code_expires=now + dt.timedelta(seconds=CODE_SECONDS)))
        # every way in (password, demo button) opens a session here: the accounts page's
        # "last sign-in" (an unlock of a locked tablet is no new sign-in)
        session.execute(update(User).where(User.id == user.id).values(last_sign_in_at=now))
    return OpenedSession(session_id, code)


def exchange_code(engine: Engine, code: object, now: dt.datetime | None = None) -> str | None:
    """The session id for a one-time ``code`` (then spent), or None if it is unknown, spent,
    too old, or its session has ended."""
    if not isinstance(code, str) or not 20 <= len(code) <= 100:
        return None
    now = now or dt.datetime.now(dt.UTC)
    code_hash = hashlib.sha256(code.encode()).hexdigest()
    with Session(write_engine(engine)) as session, session.begin():
        row = session.scalar(select(UserSession).where(UserSession.code_hash == code_hash))
        if row is None or row.code_seal is None:
            return None
        sealed, expires = row.code_seal, row.code_expires
        row.code_hash = row.code_seal = row.code_expires = None  # spent, also when too late
        if expires is None or _aware(expires) < now or row.ended_at is not None:
            return None
        session_id = _unseal(sealed, code)
        return session_id if session_hash(session_id) == row.id_hash else None


def lookup(engine: Engine, session_id: str, idle_minutes: float,
           now: dt.datetime | None = None) -> SessionState | None:
    """The signed-in account of a live session and whether it is locked, or None (ended,
    expired, unknown, or the account is gone or deactivated). Locks it when it has been idle
    longer than ``idle_minutes``; otherwise notes the activity (at most every
    :data:`TOUCH_SECONDS`)."""
    now = now or dt.datetime.now(dt.UTC)
    key = session_hash(session_id)
    with Session(engine) as session:
        found = session.execute(select(UserSession, User).join(User, User.id == UserSession.user_id)
                                .where(UserSession.id_hash == key)).first()
        if found is None:
            return None
        row, account = found
        if row.ended_at is not None or _aware(row.expires_at) <= now or not account.active:
            return None
        user, locked, last_seen = _user(account), row.locked, _aware(row.last_seen)
    idle = (now - last_seen).total_seconds()
    if not locked and idle > idle_minutes * 60:
        lock_session(engine, session_id)
        return SessionState(user, True)
    if not locked and idle > TOUCH_SECONDS:
        with Session(write_engine(engine)) as session, session.begin():
            session.execute(update(UserSession).where(UserSession.id_hash == key,
                                                      UserSession.last_seen < now)
                            .values(last_seen=now))
    return SessionState(user, locked)


def lock_session(engine: Engine, session_id: str) -> None:
    with Session(write_engine(engine)) as session, session.begin():
        session.execute(update(UserSession).where(UserSession.id_hash == session_hash(session_id))
                        .values(locked=True))


def unlock_session(engine: Engine, session_id: str, now: dt.datetime | None = None) -> None:
    """Lift the lock (after the account's password was checked again)."""
    now = now or dt.datetime.now(dt.UTC)
    with Session(write_engine(engine)) as session, session.begin():
        session.execute(update(UserSession).where(UserSession.id_hash == session_hash(session_id),
                                                  UserSession.ended_at.is_(None))
                        .values(locked=False, last_seen=now))


def end_session(engine: Engine, session_id: str, reason: str = "sign_out",
                now: dt.datetime | None = None) -> None:
    """End one session (sign-out): its cookie signs in nowhere any more."""
    now = now or dt.datetime.now(dt.UTC)
    with Session(write_engine(engine)) as session, session.begin():
        session.execute(update(UserSession).where(UserSession.id_hash == session_hash(session_id),
                                                  UserSession.ended_at.is_(None))
                        .values(ended_at=now, ended_reason=reason, code_hash=None,
                                code_seal=None))
