"""Use case: the first start without a console (issue 11, item 1).

While the database holds no account at all, the app offers a one-time set-up page that
creates the first admin. Whoever reaches a fresh install first must not make themselves
admin, so the page asks for a **set-up code** that only the operator can read: it is written
to ``data/setup-code`` (mode 0600, git-ignored) and to the log when the app finds no
account. The code is compared in constant time; the admin is created only if, inside the
write transaction, there is still no account (a second, concurrent attempt gets a clear
refusal, not a second admin). After success the code file is removed.
"""

from __future__ import annotations

import hmac
import logging
import os
import secrets
from pathlib import Path

from sqlalchemy import select, text
from sqlalchemy.engine import Engine
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from stadtraum.accounts.auth import check_password_policy, hash_password
from stadtraum.accounts.users import _validate_name
from stadtraum.errors import ValidationError
from stadtraum.store.audit import audit
from stadtraum.store.db import User
from stadtraum.store.engine import is_sqlite, write_engine

__all__ = ["SETUP_CODE_FILE", "SetupDoneError", "create_first_admin", "ensure_setup_code",
           "needs_setup"]

log = logging.getLogger(__name__)
SETUP_CODE_FILE = "setup-code"
_ALPHABET = "abcdefghijkmnpqrstuvwxyz23456789"  # no look-alikes: it is typed from a terminal


class SetupDoneError(ValidationError):
    """There is an account already: the set-up page is closed for good."""

    def __init__(self) -> None:
        super().__init__("Die Einrichtung ist bereits abgeschlossen: Es gibt schon ein Konto. "
                         "Bitte anmelden.", "setup refused: an account exists", field="setup")


def needs_setup(engine: Engine) -> bool:
    """True while the database holds no account at all."""
    with Session(engine) as session:
        return session.scalar(select(User.id).limit(1)) is None


def _new_code() -> str:
    chars = "".join(secrets.choice(_ALPHABET) for _ in range(20))  # ~100 bits
    return "-".join(chars[i:i + 5] for i in range(0, 20, 5))


def ensure_setup_code(path: Path) -> str:
    """The set-up code in ``path``, created (mode 0600) and logged if it is not there yet.
    Two processes starting at once agree on one code (exclusive create)."""
    try:
        return path.read_text(encoding="utf-8").strip()
    except FileNotFoundError:
        pass
    path.parent.mkdir(parents=True, exist_ok=True)
    code = _new_code()
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        return path.read_text(encoding="utf-8").strip()
    with os.fdopen(fd, "w", encoding="utf-8") as out:
        out.write(code + "\n")
    log.warning("no account yet: open the app and enter the set-up code %s (also in %s) to "
                "create the first admin", code, path)
    return code


def create_first_admin(engine: Engine, name: str, password: str, code: str, *,
                       code_path: Path) -> int:
    """Create the first admin; returns its id. German :class:`ValidationError` for a wrong
    code (field ``code``), a bad name or password, and :class:`SetupDoneError` once any
    account exists."""
    try:
        expected = code_path.read_text(encoding="utf-8").strip()
    except FileNotFoundError:
        expected = ""
    if not needs_setup(engine):
        raise SetupDoneError()
    given = code.strip().lower().encode()
    if not expected or not hmac.compare_digest(given, expected.encode()):
        raise ValidationError("Der Einrichtungscode stimmt nicht. Er steht in der Datei "
                              f"„{code_path.name}“ im Datenordner der App und im Log.",
                              "setup code wrong", field="code")
    name = _validate_name(name)
    check_password_policy(password)
    password_hash = hash_password(password)  # slow: before the write lock
    try:
        with Session(write_engine(engine)) as session, session.begin():
            if not is_sqlite(engine):  # SQLite: BEGIN IMMEDIATE already serialises writers
                session.execute(text("LOCK TABLE users IN SHARE ROW EXCLUSIVE MODE"))
            if session.scalar(select(User.id).limit(1)) is not None:
                raise SetupDoneError()
            user = User(name=name, role="admin", password_hash=password_hash, active=True)
            session.add(user)
            session.flush()
            audit(session, name, "setup", "user", user.id, name=name, role="admin")
            user_id = int(user.id)
    except IntegrityError as exc:
        raise SetupDoneError() from exc
    code_path.unlink(missing_ok=True)
    log.warning("first admin %r created through the set-up page", name)
    return user_id
