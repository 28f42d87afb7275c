"""``stadtraum campaigns purge ID --yes`` on a real SQLite file."""

from __future__ import annotations

import pytest

from stadtraum.accounts.permissions import SYSTEM
from stadtraum.admin.campaigns import close_campaign
from stadtraum.store.engine import make_engine
from stadtraum.store.migrate import migrate
from tests.helpers import count_rows
from tests.helpers import run_cli as run
from tests.privacy.test_deletion_fixture import plant


@pytest.fixture
def campaign(db: str) -> int:
    engine = make_engine(db)
    migrate(engine)
    cid = plant(engine).city.campaign_id
    close_campaign(engine, cid, actor=SYSTEM)
    engine.dispose()
    return cid


def test_purge_without_yes_deletes_nothing_and_says_how(capsys: pytest.CaptureFixture[str],
                                                        db: str, campaign: int) -> None:
    code, out, err = run(capsys, "--db", db, "campaigns", "purge", str(campaign))
    assert code == 1 and out == ""
    assert "Nichts gelöscht" in err and "7 Antworten" in err
    assert f"stadtraum campaigns purge {campaign} --yes" in err
    assert count_rows(make_engine(db), "responses") == 7


def test_purge_with_yes(capsys: pytest.CaptureFixture[str], db: str, campaign: int) -> None:
    code, out, err = run(capsys, "--db", db, "campaigns", "purge", "Befragung 2025", "--yes")
    assert code == 0, err
    assert "Rohdaten der Befragung „Befragung 2025“ gelöscht: 7 Antworten" in out
    engine = make_engine(db)
    assert count_rows(engine, "responses") == 0
    assert count_rows(engine, "audit_log", "action = 'purge_campaign'") == 1


def test_an_open_campaign_is_refused(capsys: pytest.CaptureFixture[str], db: str) -> None:
    engine = make_engine(db)
    migrate(engine)
    cid = plant(engine).city.campaign_id
    code, _, err = run(capsys, "--db", db, "campaigns", "purge", str(cid), "--yes")
    assert code == 1 and "abgeschlossen" in err
    assert count_rows(engine, "responses") == 7
