"""Failed sign-ins per name, kept in the database so every app process sees them.

After :data:`MAX_FAILURES` failed attempts for one name within :data:`WINDOW`, further attempts
for that name are refused without checking the password until the oldest failure leaves the
window. The guard counts every name typed, known or not, so its answer says nothing about
whether an account exists. A successful sign-in clears the name's failures; rows older than
the window are pruned whenever a failure is written.
"""

from __future__ import annotations

import datetime as dt
import math

from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session

from stadtraum.accounts.auth import AuthenticationError
from stadtraum.store.db import SignInFailure

MAX_FAILURES = 5
WINDOW = dt.timedelta(minutes=15)


class TooManyAttemptsError(AuthenticationError):
    """Sign-in refused for a while after repeated failures for the same name."""

    def __init__(self, wait: dt.timedelta) -> None:
        minutes = max(1, math.ceil(wait.total_seconds() / 60))
        unit = "Minute" if minutes == 1 else "Minuten"
        super().__init__(
            "Zu viele fehlgeschlagene Anmeldungen mit diesem Namen. Bitte in "
            f"{minutes} {unit} erneut versuchen oder die Verwaltung um ein neues Passwort "
            "bitten.", f"sign-in throttled for {minutes} min after repeated failures")
        self.wait = wait


def check(session: Session, name: str, now: dt.datetime) -> int:
    """Raise :class:`TooManyAttemptsError` while ``name`` is locked out; else the number of
    its failures within the window (0: nothing to clear after a successful sign-in)."""
    since = now - WINDOW
    count, oldest = session.execute(
        select(func.count(), func.min(SignInFailure.at))
        .where(SignInFailure.name == name, SignInFailure.at > since)).one()
    if count >= MAX_FAILURES and oldest is not None:
        if oldest.tzinfo is None:  # SQLite hands back naive UTC
            oldest = oldest.replace(tzinfo=dt.UTC)
        raise TooManyAttemptsError(oldest + WINDOW - now)
    return int(count)


def record_failure(session: Session, name: str, now: dt.datetime) -> None:
    session.execute(delete(SignInFailure).where(SignInFailure.at <= now - WINDOW))
    session.add(SignInFailure(name=name[:200], at=now))


def clear(session: Session, name: str) -> None:
    session.execute(delete(SignInFailure).where(SignInFailure.name == name))
