"""Failed sign-ins per name and source address, kept in the database so every app process
sees them.

Every attempt is written *before* the password is checked (:func:`reserve`), in one locked
transaction with the count: of N parallel attempts at most :data:`MAX_FAILURES` reach the
password check, on SQLite (``BEGIN IMMEDIATE``) and on PostgreSQL (a transaction-level advisory
lock per name and address). A right password removes the name's attempts from that address
again (:func:`clear`); a wrong one leaves its row as the failure. After :data:`MAX_FAILURES`
failures for one name from one address within :data:`WINDOW`, that address is refused without
a password check until the oldest failure leaves the window. Counting per address means
nobody can lock a helper out from elsewhere; an admin can lift a lock for a name
(:func:`clear_name`). The guard counts every name typed, known or not, so its answer says
nothing about whether an account exists. Rows older than the window are pruned on the way.
"""

from __future__ import annotations

import datetime as dt
import json
import math

from sqlalchemy import delete, func, select, text
from sqlalchemy.orm import Session

from stadtraum.accounts.auth import AuthenticationError
from stadtraum.store.db import SignInFailure

MAX_FAILURES = 5
WINDOW = dt.timedelta(minutes=15)


class TooManyAttemptsError(AuthenticationError):
    """Sign-in refused for a while after repeated failures for the same name from the same
    address."""

    def __init__(self, wait: dt.timedelta) -> None:
        minutes = max(1, math.ceil(wait.total_seconds() / 60))
        unit = "Minute" if minutes == 1 else "Minuten"
        super().__init__(
            "Zu viele fehlgeschlagene Anmeldungen mit diesem Namen. Bitte in "
            f"{minutes} {unit} erneut versuchen oder die Verwaltung bitten, die Sperre "
            "aufzuheben.", f"sign-in throttled for {minutes} min after repeated failures")
        self.wait = wait


def _lock(session: Session, name: str, source: str) -> None:
    if session.get_bind().dialect.name == "postgresql":  # SQLite: BEGIN IMMEDIATE already
        session.execute(text("SELECT pg_advisory_xact_lock(hashtextextended(:key, 7))"),
                        {"key": json.dumps(["sign-in", name, source])})


def reserve(session: Session, name: str, source: str, now: dt.datetime) -> int:
    """Inside the caller's write transaction: raise :class:`TooManyAttemptsError` while
    ``name`` is locked out for ``source``; else record this attempt as a failure (until
    :func:`clear` removes it) and return the id of its row."""
    source = source[:64]
    _lock(session, name, source)
    since = now - WINDOW
    count, oldest = session.execute(
        select(func.count(), func.min(SignInFailure.at))
        .where(SignInFailure.name == name, SignInFailure.source == source,
               SignInFailure.at > since)).one()
    if count >= MAX_FAILURES and oldest is not None:
        if oldest.tzinfo is None:  # SQLite hands back naive UTC
            oldest = oldest.replace(tzinfo=dt.UTC)
        raise TooManyAttemptsError(oldest + WINDOW - now)
    session.execute(delete(SignInFailure).where(SignInFailure.at <= since))
    row = SignInFailure(name=name[:200], source=source, at=now)
    session.add(row)
    session.flush()
    return int(row.id)


def clear(session: Session, name: str, source: str) -> None:
    """A right password: the name's attempts from ``source`` no longer count."""
    session.execute(delete(SignInFailure).where(SignInFailure.name == name,
                                                SignInFailure.source == source[:64]))


def clear_name(session: Session, name: str) -> int:
    """Lift every lock of ``name`` (an admin's unlock, a new password); the rows removed."""
    result = session.execute(delete(SignInFailure).where(SignInFailure.name == name))
    return int(result.rowcount or 0)  # type: ignore[attr-defined]
