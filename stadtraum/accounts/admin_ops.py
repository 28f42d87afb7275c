"""Use cases of the accounts page (and ``stadtraum users``): list, create with a one-time
password, change the role, reset the password, reactivate, set the e-mail.

Each needs ``accounts.manage``, writes the audit log in the same transaction as the change,
and takes the ``expected_version`` the form showed: a change made meanwhile by someone else is
refused (:class:`~stadtraum.accounts.account_rules.StaleAccountError`) instead of being
overwritten. Deactivating, ending sessions and a chosen password are in
:mod:`stadtraum.accounts.users`.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.engine import Engine
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from stadtraum.accounts import sign_in_guard
from stadtraum.accounts.account_rules import (
    check_version,
    email_taken,
    email_taken_error,
    find_for_update,
    keep_an_admin,
    lock_admins,
    validate_email,
)
from stadtraum.accounts.auth import hash_password
from stadtraum.accounts.permissions import Actor, require
from stadtraum.accounts.users import (
    _end_sessions_of,
    _validate_role,
    create_user,
    generate_password,
    normalise_name,
)
from stadtraum.store.audit import audit
from stadtraum.store.db import User
from stadtraum.store.engine import write_engine

__all__ = ["AccountRow", "change_role", "create_account", "list_accounts",
           "reactivate_user", "reset_password", "set_email"]


@dataclass(frozen=True)
class AccountRow:
    """One account as the accounts page lists it (never the password hash)."""

    id: int
    name: str
    role: str
    active: bool
    email: str | None
    last_sign_in: dt.datetime | None  # UTC
    must_change_password: bool
    version: int


def _aware(value: dt.datetime | None) -> dt.datetime | None:
    return value if value is None or value.tzinfo else value.replace(tzinfo=dt.UTC)  # SQLite


def list_accounts(engine: Engine, *, actor: Actor) -> list[AccountRow]:
    """Every account (active or not), by name. Needs ``accounts.manage``."""
    require(actor, "accounts.manage")
    with Session(engine) as session:
        return [AccountRow(u.id, u.name, u.role, u.active, u.email, _aware(u.last_sign_in_at),
                           u.must_change_password, u.version)
                for u in session.scalars(select(User).order_by(User.name))]


def create_account(engine: Engine, name: str, role: str, email: str | None = None, *,
                   actor: Actor) -> tuple[int, str]:
    """Create an account with a generated one-time password, to be changed at the first
    sign-in; returns (id, the password), shown once. Needs ``accounts.manage``."""
    require(actor, "accounts.manage")
    password = generate_password()
    uid = create_user(engine, name, role, password, actor=actor, email=email,
                      must_change_password=True)
    return uid, password


def change_role(engine: Engine, name: str, role: str, *, actor: Actor,
                expected_version: int | None = None) -> bool:
    """Give ``name`` the role ``role`` (takes effect at the account's next page view); False
    if it had that role already. The last active admin keeps the role. Needs
    ``accounts.manage``."""
    require(actor, "accounts.manage")
    _validate_role(role)
    with Session(write_engine(engine)) as session, session.begin():
        lock_admins(session)
        user = find_for_update(session, normalise_name(name))
        check_version(user, expected_version)
        if user.role == role:
            return False
        if role != "admin":
            keep_an_admin(session, user, "herabgestuft", "demoted", field="role")
        old, user.role = user.role, role
        user.version += 1
        audit(session, actor.name, "change_role", "user", user.id, name=user.name, old=old,
              new=role)
    return True


def reactivate_user(engine: Engine, name: str, *, actor: Actor,
                    expected_version: int | None = None) -> bool:
    """Let a deactivated account sign in again (with its old password); False if it was
    active. Needs ``accounts.manage``."""
    require(actor, "accounts.manage")
    with Session(write_engine(engine)) as session, session.begin():
        user = find_for_update(session, normalise_name(name))
        check_version(user, expected_version)
        if user.active:
            return False
        user.active = True
        user.version += 1
        audit(session, actor.name, "reactivate", "user", user.id, name=user.name)
    return True


def reset_password(engine: Engine, name: str, *, actor: Actor,
                   expected_version: int | None = None) -> str:
    """A new generated one-time password for ``name`` (returned, to be shown once; only its
    hash is stored): every sign-in of the account ends, a sign-in lock is lifted, and the
    next sign-in must choose a new password first. Needs ``accounts.manage``."""
    require(actor, "accounts.manage")
    password = generate_password()
    password_hash = hash_password(password)  # slow: before the write lock
    with Session(write_engine(engine)) as session, session.begin():
        user = find_for_update(session, normalise_name(name))
        check_version(user, expected_version)
        user.password_hash = password_hash
        user.must_change_password = True
        user.session_epoch += 1
        user.version += 1
        _end_sessions_of(session, user.id, "password_reset")
        sign_in_guard.clear_name(session, user.name)
        audit(session, actor.name, "reset_password", "user", user.id, name=user.name)
    return password


def set_email(engine: Engine, name: str, email: str | None, *, actor: Actor,
              expected_version: int | None = None) -> bool:
    """Set (or with an empty value remove) the account's e-mail, stored in lower case and
    unique; False if unchanged. Needs ``accounts.manage``."""
    require(actor, "accounts.manage")
    address = validate_email(email)
    try:
        with Session(write_engine(engine)) as session, session.begin():
            user = find_for_update(session, normalise_name(name))
            check_version(user, expected_version)
            if user.email == address:
                return False
            owner = email_taken(session, address, other_than=user.id) if address else None
            if address and owner:
                raise email_taken_error(address, owner)
            old, user.email = user.email, address
            user.version += 1
            audit(session, actor.name, "set_email", "user", user.id, name=user.name, old=old,
                  new=address)
    except IntegrityError as exc:  # given to another account at the same moment
        with Session(engine) as session:
            owner = email_taken(session, address or "") or "?"
        raise email_taken_error(address or "", owner) from exc
    return True
