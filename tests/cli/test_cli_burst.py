"""``stadtraum campaigns burst`` calls the campaigns page's use case for the burst detector:
the same rules (floor 1 to 10,000, factor 1 to 100, refusals naming the field), the same audit
log under the command line's name; without options it shows the state."""

from __future__ import annotations

import json

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from stadtraum.accounts.permissions import SYSTEM
from stadtraum.admin.campaign_burst import BurstControls, burst_status
from stadtraum.store.db import AuditEntry
from stadtraum.store.engine import make_engine
from stadtraum.store.migrate import migrate
from tests.helpers import make_city, run_cli


@pytest.fixture
def town(db: str) -> tuple[str, int]:
    engine = make_engine(db)
    migrate(engine)
    cid = make_city(engine).campaign_id
    engine.dispose()
    return db, cid


def test_show_set_refuse_and_audit(capsys: pytest.CaptureFixture[str],
                                   town: tuple[str, int]) -> None:
    db, cid = town
    code, out, err = run_cli(capsys, "--db", db, "campaigns", "burst", "--campaign",
                             "Befragung 2025")
    assert code == 0, err
    assert "Häufungserkennung an, Untergrenze 10, Faktor 5" in out
    assert "k > max(10, 5 × Median der Vorwoche)" in out and "0 markierte" in out

    code, out, err = run_cli(capsys, "--db", db, "campaigns", "burst", "--campaign", str(cid),
                             "--floor", "3", "--factor", "8")
    assert code == 0, err
    assert "geändert: burst_floor, burst_factor" in out and "Untergrenze 3, Faktor 8" in out

    code, _, err = run_cli(capsys, "--db", db, "campaigns", "burst", "--campaign", str(cid),
                           "--floor", "0")
    assert code == 1 and "Untergrenze der Häufungserkennung muss eine ganze Zahl von 1 bis " \
                         "10.000 sein" in err
    code, _, err = run_cli(capsys, "--db", db, "campaigns", "burst", "--campaign", str(cid),
                           "--factor", "101")
    assert code == 1 and "Faktor der Häufungserkennung muss eine ganze Zahl von 1 bis 100" in err

    code, out, err = run_cli(capsys, "--db", db, "campaigns", "burst", "--campaign", str(cid),
                             "--off")
    assert code == 0 and "Häufungserkennung aus" in out, err
    code, out, _ = run_cli(capsys, "--db", db, "campaigns", "burst", "--campaign", str(cid),
                           "--off")
    assert "nichts geändert" in out
    with pytest.raises(SystemExit):  # on and off at once: argparse refuses
        run_cli(capsys, "--db", db, "campaigns", "burst", "--campaign", str(cid), "--on",
                "--off")
    capsys.readouterr()

    engine = make_engine(db)
    try:
        assert burst_status(engine, cid, actor=SYSTEM).controls == BurstControls(False, 3, 8)
        with Session(engine) as session:
            entries = session.execute(select(AuditEntry.actor, AuditEntry.detail).where(
                AuditEntry.action == "burst_controls").order_by(AuditEntry.id)).all()
    finally:
        engine.dispose()
    assert [actor for actor, _ in entries] == ["kommandozeile", "kommandozeile"]
    assert json.loads(entries[1][1] or "")["burst_enabled"] == {"old": True, "new": False}


def test_an_unknown_campaign_is_named(capsys: pytest.CaptureFixture[str],
                                      town: tuple[str, int]) -> None:
    db, _ = town
    code, _, err = run_cli(capsys, "--db", db, "campaigns", "burst", "--campaign", "Gibt es nicht",
                           "--on")
    assert code == 1 and "Gibt es nicht" in err
