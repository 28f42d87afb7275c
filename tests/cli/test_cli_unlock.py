"""``stadtraum users unlock NAME`` lifts the sign-in lock for every address (issue 9, item 4)."""

from __future__ import annotations

import pytest

from stadtraum.accounts.auth import AuthenticationError
from stadtraum.accounts.sign_in_guard import MAX_FAILURES, TooManyAttemptsError
from stadtraum.accounts.users import authenticate
from stadtraum.store.engine import make_engine
from tests.helpers import run_cli as run

PW = "Quartier-2027"


def test_unlock_lifts_the_lock(capsys: pytest.CaptureFixture[str], db: str,
                               monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("STADTRAUM_PASSWORD", PW)
    assert run(capsys, "--db", db, "users", "add", "erika", "--role", "helper")[0] == 0
    engine = make_engine(db)
    for source in ("10.0.0.1", "10.0.0.2"):
        for _ in range(MAX_FAILURES):
            with pytest.raises(AuthenticationError):
                authenticate(engine, "erika", "falsch-falsch-1", source=source)
        with pytest.raises(TooManyAttemptsError):
            authenticate(engine, "erika", PW, source=source)
    code, out, err = run(capsys, "--db", db, "users", "unlock", "Erika")
    assert (code, err) == (0, "")
    assert f"{2 * MAX_FAILURES} Fehlversuch(e) gelöscht" in out
    for source in ("10.0.0.1", "10.0.0.2"):
        assert authenticate(engine, "erika", PW, source=source).name == "erika"
    engine.dispose()
