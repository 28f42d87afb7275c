"""Rules every change of an account keeps, inside the caller's write transaction: the e-mail
is well-formed and unique, a form's version is still current (no silent overwrite when two
admins edit the same account), and the last active admin stays.

The last-admin rule is checked under a lock that every change able to remove an admin takes
first: on SQLite ``BEGIN IMMEDIATE`` already serialises writers, on PostgreSQL a
transaction-level advisory lock does. So two admins demoting or deactivating each other at the
same moment cannot both succeed: the second one counts after the first has committed.
"""

from __future__ import annotations

import re

from sqlalchemy import func, select, text
from sqlalchemy.orm import Session

from stadtraum.errors import ConflictError, NotFoundError, ValidationError
from stadtraum.store.db import User

__all__ = ["MAX_EMAIL_LENGTH", "StaleAccountError", "check_version", "email_taken",
           "email_taken_error", "find_for_update", "keep_an_admin", "lock_admins",
           "validate_email"]

MAX_EMAIL_LENGTH = 254
# deliberately plainer than RFC 5322 (as office addresses are): one @, before it letters,
# digits and . _ % + -, no blanks and no markup characters; a domain with a dot
_EMAIL = re.compile(r"[a-z0-9._%+-]{1,64}@"
                    r"(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}")
_ADMINS_LOCK = "accounts-admins"


class StaleAccountError(ConflictError):
    """The account was changed by someone else since the form was shown."""

    def __init__(self, name: str) -> None:
        super().__init__(
            f"Das Konto „{name}“ wurde inzwischen von jemand anderem geändert. Ihre Änderung "
            "wurde nicht gespeichert; bitte den aktuellen Stand ansehen und sie bei Bedarf "
            "noch einmal vornehmen.",
            f"The account “{name}” was changed by someone else in the meantime. Your change "
            "was not saved; please look at the current state and make it again if needed.")
        self.name = name


def validate_email(email: str | None) -> str | None:
    """The e-mail in lower case, or None for an empty one; :class:`ValidationError` (field
    ``email``) for anything that is not a plain address."""
    email = (email or "").strip().lower()
    if not email:
        return None
    if len(email) > MAX_EMAIL_LENGTH or not _EMAIL.fullmatch(email) or ".." in email \
            or email.split("@")[0].startswith(".") or email.split("@")[0].endswith("."):
        raise ValidationError(
            "Die E-Mail-Adresse ist ungültig: erwartet wird eine Adresse wie "
            f"name@stadt.de (höchstens {MAX_EMAIL_LENGTH} Zeichen, ohne Leerzeichen).",
            f"The e-mail address is invalid: expected an address like name@city.org (at most "
            f"{MAX_EMAIL_LENGTH} characters, no blanks).", field="email")
    return email


def email_taken(session: Session, email: str, other_than: int | None = None) -> str | None:
    """The name of the account that already has ``email`` (None if free)."""
    query = select(User.name).where(User.email == email)
    if other_than is not None:
        query = query.where(User.id != other_than)
    return session.scalar(query)


def email_taken_error(email: str, owner: str) -> ValidationError:
    return ValidationError(f"Die E-Mail-Adresse „{email}“ gehört schon zum Konto „{owner}“; "
                           "jede Adresse darf nur einmal vorkommen.",
                           f"The e-mail address “{email}” already belongs to the account "
                           f"“{owner}”; each address may occur only once.", field="email")


def lock_admins(session: Session) -> None:
    """Serialise every change that could remove an admin (PostgreSQL; SQLite's writers are
    serialised by ``BEGIN IMMEDIATE``). Call first in the transaction."""
    if session.get_bind().dialect.name == "postgresql":
        session.execute(text("SELECT pg_advisory_xact_lock(hashtextextended(:key, 7))"),
                        {"key": _ADMINS_LOCK})


def find_for_update(session: Session, name: str) -> User:
    """The account ``name`` (already normalised), its row locked until the commit."""
    user = session.scalar(select(User).where(User.name == name).with_for_update())
    if user is None:
        raise NotFoundError(f"Konto „{name}“ gibt es nicht.", f"user {name!r} not found")
    return user


def check_version(user: User, expected: int | None) -> None:
    """Refuse a change made from a form that showed an older version of ``user``."""
    if expected is not None and user.version != expected:
        raise StaleAccountError(user.name)


def keep_an_admin(session: Session, user: User, doing_de: str, doing_en: str,
                  field: str) -> None:
    """Refuse to take ``user`` out of the active admins if it is the last one (after
    :func:`lock_admins`); ``doing_*`` is the past participle ("deaktiviert")."""
    if user.role != "admin" or not user.active:
        return
    admins = session.scalar(select(func.count()).select_from(User)
                            .where(User.role == "admin", User.active.is_(True)))
    if (admins or 0) <= 1:
        raise ValidationError(
            f"Das letzte aktive Admin-Konto kann nicht {doing_de} werden: sonst könnte "
            "niemand mehr Konten verwalten. Bitte zuerst ein weiteres Admin-Konto anlegen.",
            f"The last admin account cannot be {doing_en}: nobody could manage accounts any "
            "more. Please create another admin first.", field=field)
