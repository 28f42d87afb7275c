"""Use cases for local accounts: create, sign in, change password, deactivate, list, and the
demo accounts (fresh random passwords; there are no default passwords anywhere).

Names are normalised (surrounding blanks removed, lower case), so "Helfer " on a tablet whose
keyboard capitalises the first letter signs in as "helfer".
"""

from __future__ import annotations

import datetime as dt
import logging
import re
import secrets
from dataclasses import dataclass

from sqlalchemy import select, update
from sqlalchemy.engine import Engine
from sqlalchemy.exc import IntegrityError, InternalError, OperationalError
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
from stadtraum.accounts.auth import (
    MAX_PASSWORD_LENGTH,
    AuthenticationError,
    check_password_policy,
    dummy_hash,
    hash_password,
    needs_rehash,
    verify_password,
)
from stadtraum.accounts.permissions import SYSTEM_ROLE, Actor, require
from stadtraum.errors import NotFoundError, ValidationError
from stadtraum.store.audit import audit
from stadtraum.store.db import User, UserSession, utcnow
from stadtraum.store.engine import write_engine
from stadtraum.vocab import ROLES

log = logging.getLogger(__name__)

NAME_PATTERN = re.compile(r"[a-z0-9._-]{3,50}")
# No 0/O, 1/l/I: readable when printed or read out; 4 groups of 4 = 16 characters (~79 bits).
_ALPHABET = "abcdefghijkmnpqrstuvwxyz23456789"
DEMO_USERS: dict[str, str] = {"helfer": "helper", "moderation": "moderator",
                              "planung": "planner", "admin": "admin"}
DEMO_ACTOR = Actor("demo", SYSTEM_ROLE)  # the demo loader acts for the server, as the CLI does
SIGN_IN_FAILED_DE = "Anmeldung fehlgeschlagen: Name oder Passwort ist falsch."


@dataclass(frozen=True)
class AuthUser:
    id: int
    name: str
    role: str
    active: bool = True
    session_epoch: int = 0
    must_change_password: bool = False  # signed in with a one-time password: choose one first

    @property
    def actor(self) -> Actor:
        """The signed-in person as the actor every use case checks (name and role)."""
        return Actor(self.name, self.role)


def _user(row: User) -> AuthUser:
    return AuthUser(id=row.id, name=row.name, role=row.role, active=row.active,
                    session_epoch=row.session_epoch,
                    must_change_password=bool(row.must_change_password))


def normalise_name(name: str) -> str:
    return name.strip().lower()


def _validate_name(name: str) -> str:
    name = normalise_name(name)
    if not NAME_PATTERN.fullmatch(name):
        raise ValidationError(
            "Der Name muss 3 bis 50 Zeichen lang sein und darf nur Kleinbuchstaben a–z, "
            "Ziffern, Punkt, Unterstrich und Bindestrich enthalten.",
            f"invalid user name {name!r}", field="name")
    return name


def _validate_role(role: str) -> None:
    if role not in ROLES.codes:
        raise ValidationError(f"Rolle „{role}“ ist unbekannt (möglich: "
                              f"{', '.join(ROLES.codes)}).", f"unknown role {role!r}",
                              field="role")


def _find(session: Session, name: str) -> User:
    user = session.scalar(select(User).where(User.name == normalise_name(name)))
    if user is None:
        raise NotFoundError(f"Konto „{name}“ gibt es nicht.", f"user {name!r} not found")
    return user


def create_user(engine: Engine, name: str, role: str, password: str, *, actor: Actor,
                email: str | None = None, must_change_password: bool = False) -> int:
    """Create an active account; returns its id. Raises :class:`ValidationError` (a taken
    name or e-mail too). ``must_change_password``: the password is a one-time one. Needs
    ``accounts.manage``."""
    require(actor, "accounts.manage")
    name = _validate_name(name)
    _validate_role(role)
    address = validate_email(email)
    check_password_policy(password)
    password_hash = hash_password(password)  # slow: done before the write lock is taken
    duplicate = ValidationError(f"Ein Konto „{name}“ gibt es schon.",
                                f"An account “{name}” exists already (user {name!r} exists).",
                                field="name")
    try:
        with Session(write_engine(engine)) as session, session.begin():
            if session.scalar(select(User.id).where(User.name == name)) is not None:
                raise duplicate
            owner = email_taken(session, address) if address else None
            if address and owner:
                raise email_taken_error(address, owner)
            user = User(name=name, role=role, password_hash=password_hash, active=True,
                        email=address, must_change_password=must_change_password)
            session.add(user)
            session.flush()
            extra: dict[str, object] = {"email": address} if address else {}
            if must_change_password:
                extra["one_time_password"] = True
            audit(session, actor.name, "create", "user", user.id, name=name, role=role,
                  **extra)
            return user.id
    except IntegrityError as exc:  # created concurrently between the check and the insert
        raise duplicate from exc


class SignInUnavailableError(AuthenticationError):
    """The database takes no writes (read-only, full, restarting): nobody can sign in now."""

    def __init__(self) -> None:
        super().__init__(
            "Anmelden ist gerade nicht möglich: Die Datenbank nimmt keine Änderungen an "
            "(schreibgeschützt, voll oder nicht erreichbar). Bitte gleich noch einmal versuchen "
            "oder die Verwaltung verständigen.", "sign-in impossible: database not writable")


def authenticate(engine: Engine, name: str, password: str,
                 now: dt.datetime | None = None, source: str = "",
                 method: str = "password") -> AuthUser:
    """The signed-in account, or :class:`AuthenticationError` with one message for an unknown
    name, a wrong password and a deactivated account. The attempt is recorded before the
    password is checked; after repeated failures for a name from ``source`` (the client's
    address), :class:`~stadtraum.accounts.sign_in_guard.TooManyAttemptsError` (for known and
    unknown names alike) without a password check. Upgrades an outdated hash. A database that
    takes no writes gives :class:`SignInUnavailableError`, never a raw database error.

    Every checked password is audited: ``sign_in`` under the account's name, in the
    transaction that clears its failures, or ``sign_in_failed`` with no actor, the account's
    name as the object (none for a name no account has: it may be a mistyped password) and
    why it failed (for the admins' eyes only; the message stays the same).
    ``method`` says how (``password``, ``unlock`` of a locked tablet). A refusal by the
    guard checks no password and writes no entry, so a flood of attempts cannot fill the
    log."""
    name = normalise_name(name)
    now = now or dt.datetime.now(dt.UTC)
    try:
        with Session(write_engine(engine)) as session, session.begin():
            sign_in_guard.reserve(session, name, source, now)
            user = session.scalar(select(User).where(User.name == name)) if name else None
            found = _user(user) if user is not None else None
            stored = user.password_hash if user is not None else dummy_hash()
    except (OperationalError, InternalError) as exc:
        log.error("sign-in for %r impossible, database not writable: %s", name, exc)
        raise SignInUnavailableError() from None
    ok = len(password) <= MAX_PASSWORD_LENGTH and verify_password(stored, password)
    if found is None or not ok or not found.active:
        reason = ("unknown name" if found is None else "wrong password" if not ok
                  else "account deactivated")
        # a name no account has is kept nowhere: it may be a password typed into the wrong box
        kept = name if found is not None else None
        log.info("sign-in failed for %r from %r: %s", kept or "?", source, reason)
        _audit_failure(engine, kept, source, method, reason)
        raise AuthenticationError(SIGN_IN_FAILED_DE, "sign-in failed: wrong name or password")
    rehash = needs_rehash(stored)
    try:
        with Session(write_engine(engine)) as session, session.begin():
            sign_in_guard.clear(session, name, source)
            audit(session, found.name, "sign_in", "user", found.id, method=method,
                  source=source[:64])
            if rehash:
                # only if nobody changed the password meanwhile
                session.execute(update(User).where(User.id == found.id,
                                                   User.password_hash == stored)
                                .values(password_hash=hash_password(password)))
                log.info("password hash of %r upgraded", name)
    except (OperationalError, InternalError) as exc:
        log.error("sign-in for %r not completed, database not writable: %s", name, exc)
        raise SignInUnavailableError() from None
    return found


def _audit_failure(engine: Engine, name: str | None, source: str, method: str,
                   reason: str) -> None:
    try:
        with Session(write_engine(engine)) as session, session.begin():
            audit(session, None, "sign_in_failed", "user", name[:100] if name else None,
                  method=method, source=source[:64], reason=reason)
    except (OperationalError, InternalError) as exc:  # the refusal matters more than the entry
        log.error("failed sign-in of %r not audited: %s", name or "?", exc)


def _end_sessions_of(session: Session, user_id: int, reason: str) -> None:
    """End every live server-side session of an account in the caller's transaction."""
    session.execute(update(UserSession).where(UserSession.user_id == user_id,
                                              UserSession.ended_at.is_(None))
                    .values(ended_at=utcnow(), ended_reason=reason, code_hash=None,
                            code_seal=None))


def set_password(engine: Engine, name: str, password: str, *, actor: Actor) -> None:
    """A new password; every earlier sign-in ends. Everyone may change their own, another
    account's needs ``accounts.manage``."""
    if normalise_name(name) != actor.name:
        require(actor, "accounts.manage")
    check_password_policy(password)
    password_hash = hash_password(password)
    with Session(write_engine(engine)) as session, session.begin():
        user = _find(session, name)
        user.password_hash = password_hash
        user.must_change_password = False
        user.session_epoch += 1  # signed-in tablets and cookies of the old password end
        _end_sessions_of(session, user.id, "password")
        sign_in_guard.clear_name(session, user.name)
        audit(session, actor.name, "set_password", "user", user.id, name=user.name)


def end_sessions(engine: Engine, name: str, *, actor: Actor) -> None:
    """Sign the account out everywhere (a lost tablet): every token and open tab ends at its
    next rerun; the password stays. Needs ``accounts.manage``."""
    require(actor, "accounts.manage")
    with Session(write_engine(engine)) as session, session.begin():
        user = _find(session, name)
        user.session_epoch += 1
        _end_sessions_of(session, user.id, "end_all")
        audit(session, actor.name, "end_sessions", "user", user.id, name=user.name)


def deactivate_user(engine: Engine, name: str, *, actor: Actor,
                    expected_version: int | None = None) -> None:
    """Deactivate an account (it stays for the audit trail) and end its sessions. The last
    active admin stays (checked under a lock, see :mod:`~stadtraum.accounts.account_rules`).
    ``expected_version``: the version the form showed (a newer one is a conflict). Needs
    ``accounts.manage``."""
    require(actor, "accounts.manage")
    with Session(write_engine(engine)) as session, session.begin():
        lock_admins(session)
        user = find_for_update(session, normalise_name(name))
        check_version(user, expected_version)
        if not user.active:
            return
        keep_an_admin(session, user, "deaktiviert", "deactivated", field="active")
        user.active = False
        user.version += 1
        user.session_epoch += 1
        _end_sessions_of(session, user.id, "deactivated")
        audit(session, actor.name, "deactivate", "user", user.id, name=user.name)


def unlock_sign_in(engine: Engine, name: str, actor: Actor) -> int:
    """Lift the sign-in lock of ``name`` for every address (an admin's help for a helper who
    mistyped too often); the number of failed attempts removed. Audited."""
    require(actor, "accounts.manage")
    name = normalise_name(name)
    with Session(write_engine(engine)) as session, session.begin():
        removed = sign_in_guard.clear_name(session, name)
        audit(session, actor.name, "unlock_sign_in", "user", name, removed=removed)
    return removed


def list_users(engine: Engine) -> list[AuthUser]:
    """Every account (active or not), by name."""
    with Session(engine) as session:
        return [_user(u) for u in session.scalars(select(User).order_by(User.name))]


def generate_password() -> str:
    """A random password like ``k7mp-3qaz-9ftw-h2nx``: 16 characters plus dashes, no
    look-alike characters, always with letters and digits (meets the policy)."""
    while True:
        chars = "".join(secrets.choice(_ALPHABET) for _ in range(16))
        if any(c.isdigit() for c in chars) and any(c.isalpha() for c in chars):
            return "-".join(chars[i:i + 4] for i in range(0, 16, 4))


def ensure_demo_users(engine: Engine) -> dict[str, str]:
    """Create the missing demo accounts (helfer, moderation, planung, admin) with fresh random
    passwords; returns name -> password of the ones created now (empty if none)."""
    with Session(engine) as session:
        existing = set(session.scalars(select(User.name).where(User.name.in_(DEMO_USERS))))
    created: dict[str, str] = {}
    for name, role in DEMO_USERS.items():
        if name in existing:
            continue
        password = generate_password()
        try:
            create_user(engine, name, role, password, actor=DEMO_ACTOR)
        except ValidationError as exc:
            if exc.field != "name":
                raise
            continue  # another process created it meanwhile; its password is not ours to show
        created[name] = password
    return created
