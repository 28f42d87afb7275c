"""``stadtraum users role|reactivate|reset-password|email`` end to end on a real SQLite file:
the same use cases as the accounts page (issue 11, item 2)."""

from __future__ import annotations

import json

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from stadtraum.accounts.auth import AuthenticationError
from stadtraum.accounts.users import authenticate
from stadtraum.cli.main import main
from stadtraum.store.db import AuditEntry, User
from stadtraum.store.engine import make_engine
from tests.helpers import run_cli as run

PW = "Quartier-2027"


@pytest.fixture
def accounts(capsys: pytest.CaptureFixture[str], db: str,
             monkeypatch: pytest.MonkeyPatch) -> str:
    monkeypatch.setenv("STADTRAUM_PASSWORD", PW)
    assert run(capsys, "--db", db, "users", "add", "ada", "--role", "admin")[0] == 0
    assert run(capsys, "--db", db, "users", "add", "erika", "--role", "helper")[0] == 0
    return db


def _user(db: str, name: str) -> tuple[str, bool, str | None, bool]:
    engine = make_engine(db)
    try:
        with Session(engine) as session:
            u = session.scalars(select(User).where(User.name == name)).one()
            return u.role, u.active, u.email, u.must_change_password
    finally:
        engine.dispose()


def test_role_and_the_last_admin(capsys: pytest.CaptureFixture[str], accounts: str) -> None:
    code, out, err = run(capsys, "--db", accounts, "users", "role", "Erika", "planner")
    assert (code, err) == (0, "") and "planner" in out
    assert _user(accounts, "erika")[0] == "planner"
    assert "schon" in run(capsys, "--db", accounts, "users", "role", "erika", "planner")[1]
    code, out, err = run(capsys, "--db", accounts, "users", "role", "ada", "helper")
    assert code == 1 and "letzte aktive Admin-Konto" in err and len(err.splitlines()) == 1
    assert _user(accounts, "ada")[0] == "admin"


def test_reset_password_prints_it_once_and_it_must_be_changed(
        capsys: pytest.CaptureFixture[str], accounts: str) -> None:
    code, out, err = run(capsys, "--db", accounts, "users", "reset-password", "erika")
    assert (code, err) == (0, "")
    password = out.strip().splitlines()[-1]
    engine = make_engine(accounts)
    try:
        with pytest.raises(AuthenticationError):
            authenticate(engine, "erika", PW)
        assert authenticate(engine, "erika", password).must_change_password
        with Session(engine) as session:
            details = session.scalars(select(AuditEntry.detail)).all()
            last = session.execute(select(AuditEntry.actor, AuditEntry.action)
                                   .where(AuditEntry.action == "reset_password")).one()
        assert not any(password in (d or "") for d in details)
        assert tuple(last) == ("kommandozeile", "reset_password")
    finally:
        engine.dispose()


def test_deactivate_then_reactivate(capsys: pytest.CaptureFixture[str], accounts: str) -> None:
    assert run(capsys, "--db", accounts, "users", "deactivate", "erika")[0] == 0
    code, out, _ = run(capsys, "--db", accounts, "users", "reactivate", "erika")
    assert code == 0 and "wieder aktiv" in out
    assert "schon aktiv" in run(capsys, "--db", accounts, "users", "reactivate", "erika")[1]
    assert _user(accounts, "erika")[1] is True


def test_email_set_refused_and_removed(capsys: pytest.CaptureFixture[str],
                                       accounts: str) -> None:
    code, out, _ = run(capsys, "--db", accounts, "users", "email", "erika", "Erika@Stadt.de")
    assert code == 0 and "erika@stadt.de" in out
    assert _user(accounts, "erika")[2] == "erika@stadt.de"
    code, _, err = run(capsys, "--db", accounts, "users", "email", "ada", "erika@stadt.de")
    assert code == 1 and "gehört schon zum Konto „erika“" in err
    code, _, err = run(capsys, "--db", accounts, "users", "email", "ada", "<b>x</b>@stadt.de")
    assert code == 1 and "E-Mail-Adresse ist ungültig" in err
    code, out, _ = run(capsys, "--db", accounts, "users", "email", "erika")
    assert code == 0 and "entfernt" in out and _user(accounts, "erika")[2] is None
    engine = make_engine(accounts)
    try:
        with Session(engine) as session:
            last = session.scalars(select(AuditEntry.detail).where(
                AuditEntry.action == "set_email").order_by(AuditEntry.id)).all()[-1]
        assert json.loads(last or "{}")["old"] == "erika@stadt.de"
    finally:
        engine.dispose()


@pytest.mark.parametrize("argv", [["users", "role", "erika"],
                                  ["users", "role", "erika", "root"],
                                  ["users", "reactivate"],
                                  ["users", "reset-password"]])
def test_usage_errors_exit_2(capsys: pytest.CaptureFixture[str], db: str,
                             argv: list[str]) -> None:
    with pytest.raises(SystemExit) as exc:
        main(["--db", db, *argv])
    assert exc.value.code == 2


def test_unknown_account(capsys: pytest.CaptureFixture[str], accounts: str) -> None:
    for argv in (["role", "niemand", "helper"], ["reactivate", "niemand"],
                 ["reset-password", "niemand"], ["email", "niemand", "n@stadt.de"]):
        code, _, err = run(capsys, "--db", accounts, "users", *argv)
        assert code == 1 and "gibt es nicht" in err
