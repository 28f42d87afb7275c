"""``stadtraum campaigns add|set|targets|status|list`` call the campaigns page's use cases: the
same rules (min_n at least 3, modes, targets file reported by row) and the same audit log."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy.orm import Session

from stadtraum.accounts.permissions import SYSTEM
from stadtraum.admin.campaigns import list_campaign_rows
from stadtraum.store.campaigns import area_targets
from stadtraum.store.engine import make_engine
from stadtraum.store.migrate import migrate
from tests.helpers import count_rows, make_city, run_cli


@pytest.fixture
def town(db: str) -> str:
    engine = make_engine(db)
    migrate(engine)
    make_city(engine)
    engine.dispose()
    return db


def test_add_set_targets_and_status(capsys: pytest.CaptureFixture[str], town: str,
                                    tmp_path: Path) -> None:
    code, out, err = run_cli(capsys, "--db", town, "campaigns", "add", "Welle 2027",
                             "--level", "Quartier", "--modes", "street,online", "--target", "40")
    assert code == 0, err
    code, _, err = run_cli(capsys, "--db", town, "campaigns", "set", "Welle 2027", "--min-n", "2")
    assert code == 1 and "Mindestzahl je Zelle muss eine ganze Zahl von 3 bis 100" in err
    code, out, err = run_cli(capsys, "--db", town, "campaigns", "set", "Welle 2027",
                             "--min-n", "7", "--target", "none")
    assert code == 0 and "min_n" in out and "default_target" in out, err
    bad = tmp_path / "ziele.csv"
    bad.write_text("code;target\nQ1;10\nQ9;5\n", encoding="utf-8")
    code, _, err = run_cli(capsys, "--db", town, "campaigns", "targets", "Welle 2027", str(bad))
    assert code == 1 and "Zeile 3: Gebiet „Q9“ gibt es" in err
    bad.write_text("code;target\nQ1;10\nQ3;5\n", encoding="utf-8")
    code, out, err = run_cli(capsys, "--db", town, "campaigns", "targets", "Welle 2027", str(bad))
    assert code == 0 and "für 2 Gebiete" in out, err
    assert run_cli(capsys, "--db", town, "campaigns", "status", "Welle 2027", "open")[0] == 0
    code, out, _ = run_cli(capsys, "--db", town, "campaigns", "list")
    assert "Welle 2027\topen\tmin_n=7\t0 Antworten\tstreet,online" in out
    engine = make_engine(town)
    try:
        row = next(r for r in list_campaign_rows(engine, actor=SYSTEM) if r.name == "Welle 2027")
        assert (row.min_n, row.default_target, row.allowed_modes) == (7, None,
                                                                      ("street", "online"))
        with Session(engine) as session:
            assert area_targets(session, row.id) == {"Q1": 10, "Q3": 5}
        assert count_rows(engine, "audit_log", "actor = 'kommandozeile' AND object_type = "
                          "'campaign'") == 4  # create, settings, targets, open
    finally:
        engine.dispose()
