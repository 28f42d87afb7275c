"""``stadtraum campaigns codes`` and ``codes-required`` on a real SQLite file: the codes are
written once (CSV and a printable sheet), stored as hashes, and the switch works."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest
from sqlalchemy import text

from stadtraum.citizen.invitations import code_digest, invitation_status
from stadtraum.store.engine import make_engine
from stadtraum.store.migrate import migrate
from tests.helpers import make_city
from tests.helpers import run_cli as run


@pytest.fixture
def campaign(db: str) -> int:
    engine = make_engine(db)
    migrate(engine)
    city = make_city(engine)
    with engine.begin() as conn:
        conn.execute(text("UPDATE campaigns SET public_token = :t"), {"t": "tok-" + "y" * 20})
    engine.dispose()
    return city.campaign_id


def test_codes_are_written_once_with_links_and_a_sheet(capsys: pytest.CaptureFixture[str],
                                                       db: str, campaign: int,
                                                       tmp_path: Path) -> None:
    out, sheet = tmp_path / "codes.csv", tmp_path / "codes.html"
    code, stdout, err = run(capsys, "--db", db, "campaigns", "codes", "--campaign",
                            str(campaign), "--count", "12", "-o", str(out), "--sheet",
                            str(sheet), "--base-url", "https://srm.example.de")
    assert code == 0, err
    assert "12 Einladungscodes" in stdout and "nicht noch einmal" in stdout
    with out.open(encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    assert len(rows) == 12
    first = rows[0]["Einladungscode"]
    assert rows[0]["Link"] == f"https://srm.example.de/?t=tok-{'y' * 20}&c={first}"
    assert first in sheet.read_text(encoding="utf-8")
    engine = make_engine(db)
    with engine.connect() as conn:
        hashes = set(conn.execute(text("SELECT code_hash FROM invitation_codes")).scalars())
        actor = conn.execute(text("SELECT actor FROM audit_log WHERE action = "
                                  "'invitations_generate'")).scalar_one()
    assert {code_digest(r["Einladungscode"]) for r in rows} == hashes
    assert actor == "kommandozeile"
    # an existing file is never overwritten: the codes in it could not be shown again
    code, _, err = run(capsys, "--db", db, "campaigns", "codes", "--campaign", str(campaign),
                       "--count", "3", "-o", str(out))
    assert code == 1 and "existiert schon" in err
    assert invitation_status(engine, campaign).total == 12
    engine.dispose()


def test_codes_required_switch(capsys: pytest.CaptureFixture[str], db: str,
                               campaign: int) -> None:
    code, stdout, _ = run(capsys, "--db", db, "campaigns", "codes-required", "--campaign",
                          str(campaign), "on")
    assert code == 0 and "erforderlich" in stdout
    engine = make_engine(db)
    assert invitation_status(engine, campaign).required
    assert run(capsys, "--db", db, "campaigns", "codes-required", "--campaign", str(campaign),
               "off")[0] == 0
    assert not invitation_status(engine, campaign).required
    engine.dispose()
    with pytest.raises(SystemExit):
        run(capsys, "--db", db, "campaigns", "codes-required", "--campaign", str(campaign),
            "maybe")
