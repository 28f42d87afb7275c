"""The first start without a console: the set-up code and the first admin (SQLite and
PostgreSQL, real files)."""

from __future__ import annotations

import logging
import stat
import threading
from pathlib import Path

import pytest
from sqlalchemy import select
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session

from stadtraum.accounts.permissions import SYSTEM
from stadtraum.accounts.setup import (
    SetupDoneError,
    create_first_admin,
    ensure_setup_code,
    needs_setup,
)
from stadtraum.accounts.users import authenticate, create_user
from stadtraum.errors import ValidationError
from stadtraum.store.db import AuditEntry, User

PW = "Sieben-Brücken-2027"


def test_the_code_file_is_private_stable_and_logged(tmp_path: Path,
                                                    caplog: pytest.LogCaptureFixture) -> None:
    path = tmp_path / "data" / "setup-code"
    with caplog.at_level(logging.WARNING):
        code = ensure_setup_code(path)
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert len(code.replace("-", "")) == 20 and code in caplog.text
    assert ensure_setup_code(path) == code  # a restart keeps the code
    assert ensure_setup_code(tmp_path / "other") != code  # random, not fixed


def test_first_admin_needs_the_code_and_closes_the_page(engine: Engine, tmp_path: Path) -> None:
    path = tmp_path / "setup-code"
    code = ensure_setup_code(path)
    assert needs_setup(engine)
    for wrong in ("", "falsch", code[:-1], code + "x"):
        with pytest.raises(ValidationError) as err:
            create_first_admin(engine, "erika", PW, wrong, code_path=path)
        assert err.value.field == "code" and "Einrichtungscode stimmt nicht" in \
            err.value.message_de
    with pytest.raises(ValidationError) as err:
        create_first_admin(engine, "erika", "kurz", code, code_path=path)
    assert err.value.field == "password"
    with pytest.raises(ValidationError) as err:
        create_first_admin(engine, "Erika Mustermann!", PW, code, code_path=path)
    assert err.value.field == "name"
    assert needs_setup(engine)  # nothing stored by the refused attempts
    user_id = create_first_admin(engine, " Erika ", PW, f"  {code.upper()} ", code_path=path)
    assert not needs_setup(engine) and not path.exists()
    assert authenticate(engine, "erika", PW).role == "admin"
    with Session(engine) as session:
        entry = session.scalars(select(AuditEntry).where(AuditEntry.action == "setup")).one()
        assert (entry.actor, entry.object_id) == ("erika", str(user_id))
    with pytest.raises(SetupDoneError):  # even with the old code: the page is closed
        create_first_admin(engine, "mallory", PW, code, code_path=path)


def test_no_setup_once_any_account_exists(engine: Engine, tmp_path: Path) -> None:
    path = tmp_path / "setup-code"
    code = ensure_setup_code(path)
    create_user(engine, "helfer1", "helper", PW, actor=SYSTEM)
    assert not needs_setup(engine)
    with pytest.raises(SetupDoneError) as err:
        create_first_admin(engine, "mallory", PW, code, code_path=path)
    assert "bereits abgeschlossen" in err.value.message_de


def test_two_concurrent_attempts_make_one_admin(engine: Engine, tmp_path: Path) -> None:
    path = tmp_path / "setup-code"
    code = ensure_setup_code(path)
    start = threading.Barrier(2)
    outcome: dict[str, str] = {}

    def attempt(name: str) -> None:
        start.wait()
        try:
            create_first_admin(engine, name, PW, code, code_path=path)
            outcome[name] = "created"
        except SetupDoneError:
            outcome[name] = "refused"

    threads = [threading.Thread(target=attempt, args=(n,)) for n in ("erika", "mallory")]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    assert sorted(outcome.values()) == ["created", "refused"], outcome
    with Session(engine) as session:
        assert session.scalars(select(User.name)).all() == [
            next(n for n, o in outcome.items() if o == "created")]
