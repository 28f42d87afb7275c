"""``stadtraum users add|list`` end to end on a real SQLite file."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from stadtraum.accounts.auth import AuthenticationError
from stadtraum.accounts.users import authenticate
from stadtraum.cli.main import main
from stadtraum.store.engine import make_engine
from tests.helpers import run_cli as run

PW = "Quartier-2027"


@pytest.fixture
def prompts(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[str]]:
    """Answers for getpass (the terminal prompt), in order; STADTRAUM_PASSWORD unset."""
    answers: list[str] = []
    monkeypatch.delenv("STADTRAUM_PASSWORD", raising=False)
    monkeypatch.setattr("getpass.getpass", lambda prompt="": answers.pop(0))
    yield answers
    assert answers == [], "not every prepared answer was asked for"


def test_add_with_environment_password_then_list(capsys: pytest.CaptureFixture[str], db: str,
                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("STADTRAUM_PASSWORD", PW)
    code, out, err = run(capsys, "--db", db, "users", "add", "erika", "--role", "moderator")
    assert (code, err) == (0, "")
    assert "erika" in out and "moderator" in out and PW not in out
    code, out, _ = run(capsys, "--db", db, "users", "add", "bernd", "--role", "helper")
    assert code == 0
    code, out, _ = run(capsys, "--db", db, "users", "list")
    assert code == 0
    assert [line.split("\t")[1:] for line in out.splitlines()] == [["bernd", "helper"],
                                                                   ["erika", "moderator"]]
    assert PW not in out
    engine = make_engine(db)
    try:
        assert authenticate(engine, "erika", PW).role == "moderator"
    finally:
        engine.dispose()


def test_prompted_password_twice(capsys: pytest.CaptureFixture[str], db: str,
                                 prompts: list[str]) -> None:
    prompts.extend([PW, PW])
    code, out, _ = run(capsys, "--db", db, "users", "add", "erika", "--role", "helper")
    assert code == 0 and PW not in out
    engine = make_engine(db)
    try:
        assert authenticate(engine, "erika", PW).name == "erika"
    finally:
        engine.dispose()


def test_prompt_mismatch_is_one_german_line_and_stores_nothing(
        capsys: pytest.CaptureFixture[str], db: str, prompts: list[str]) -> None:
    prompts.extend([PW, PW + "x"])
    code, out, err = run(capsys, "--db", db, "users", "add", "erika", "--role", "helper")
    assert code == 1 and out == ""
    assert err.startswith("Fehler: Die beiden Passwörter stimmen nicht überein")
    assert len(err.strip().splitlines()) == 1 and PW not in err
    assert run(capsys, "--db", db, "users", "list")[1] == ""


def test_weak_password_and_duplicate_exit_1(capsys: pytest.CaptureFixture[str], db: str,
                                            monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("STADTRAUM_PASSWORD", "kurz")
    code, _, err = run(capsys, "--db", db, "users", "add", "erika", "--role", "helper")
    assert code == 1 and "mindestens 12 Zeichen" in err and "kurz" not in err
    monkeypatch.setenv("STADTRAUM_PASSWORD", PW)
    assert run(capsys, "--db", db, "users", "add", "erika", "--role", "helper")[0] == 0
    code, _, err = run(capsys, "--db", db, "users", "add", "Erika", "--role", "admin")
    assert code == 1 and "gibt es schon" in err and "Traceback" not in err


def test_password_end_sessions_and_deactivate(capsys: pytest.CaptureFixture[str], db: str,
                                              monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("STADTRAUM_PASSWORD", PW)
    assert run(capsys, "--db", db, "users", "add", "erika", "--role", "helper")[0] == 0
    engine = make_engine(db)
    try:
        epoch = authenticate(engine, "erika", PW).session_epoch
        monkeypatch.setenv("STADTRAUM_PASSWORD", "Neues-Passwort-9")
        code, out, err = run(capsys, "--db", db, "users", "password", "Erika")
        assert (code, err) == (0, "") and "Anmeldungen sind beendet" in out
        with pytest.raises(AuthenticationError):
            authenticate(engine, "erika", PW)
        user = authenticate(engine, "erika", "Neues-Passwort-9")
        assert user.session_epoch == epoch + 1
        code, out, _ = run(capsys, "--db", db, "users", "end-sessions", "erika")
        assert code == 0 and "beendet" in out
        assert authenticate(engine, "erika", "Neues-Passwort-9").session_epoch == epoch + 2
        code, out, _ = run(capsys, "--db", db, "users", "deactivate", "erika")
        assert code == 0 and "deaktiviert" in out
        assert "(deaktiviert)" in run(capsys, "--db", db, "users", "list")[1]
        code, _, err = run(capsys, "--db", db, "users", "end-sessions", "niemand")
        assert code == 1 and "gibt es nicht" in err and len(err.strip().splitlines()) == 1
    finally:
        engine.dispose()


@pytest.mark.parametrize("argv", [["users", "add", "erika", "--role", "root"],
                                  ["users", "add", "erika"],
                                  ["users"],
                                  ["users", "remove", "erika"],
                                  ["users", "password"]])
def test_usage_errors_exit_2(capsys: pytest.CaptureFixture[str], db: str,
                             argv: list[str]) -> None:
    with pytest.raises(SystemExit) as exc:
        main(["--db", db, *argv])
    assert exc.value.code == 2
    assert "usage" in capsys.readouterr().err
