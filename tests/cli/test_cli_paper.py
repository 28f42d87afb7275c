"""``stadtraum responses import|template|form`` end to end (SQLite and PostgreSQL): exit
codes, the per-cell report on stderr (at most 50 lines plus a count), one German error line."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import text
from sqlalchemy.engine import Engine

from stadtraum.cli.main import main
from tests.files import hostile_xlsx
from tests.helpers import count_rows, make_city
from tests.helpers import run_cli as run
from tests.paper_files import csv_bytes, form


@pytest.fixture
def city_db(db_url: str, engine: Engine) -> str:
    make_city(engine, campaign="Befragung 2025")
    return db_url


def test_help_mentions_the_paper_commands(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit):
        main(["--help"])
    assert "responses" in capsys.readouterr().out
    with pytest.raises(SystemExit):
        main(["responses", "--help"])
    out = capsys.readouterr().out
    assert all(word in out for word in ("import", "template", "form"))


def test_template_and_form_files(capsys: pytest.CaptureFixture[str], city_db: str,
                                 tmp_path: Path) -> None:
    for name, extra in (("v.csv", []), ("v.xlsx", []), ("x.dat", ["--format", "xlsx"])):
        code, out, err = run(capsys, "--db", city_db, "responses", "template", "--campaign",
                             "Befragung 2025", "-o", str(tmp_path / name), *extra)
        assert (code, err) == (0, "") and "Vorlage" in out
    assert (tmp_path / "v.csv").read_bytes().startswith(b"\xef\xbb\xbfbogen_nr;gebiet;")
    assert (tmp_path / "v.xlsx").read_bytes()[:2] == b"PK"
    assert (tmp_path / "x.dat").read_bytes()[:2] == b"PK"
    code, out, _ = run(capsys, "--db", city_db, "responses", "form", "--campaign", "1", "-o",
                       str(tmp_path / "bogen.html"))
    assert code == 0 and "Als PDF speichern" in out
    assert "Bogen-Nr." in (tmp_path / "bogen.html").read_text(encoding="utf-8")


def test_import_twice_adds_nothing(capsys: pytest.CaptureFixture[str], city_db: str,
                                   engine: Engine, tmp_path: Path) -> None:
    path = tmp_path / "b.csv"
    path.write_bytes(csv_bytes([form(1), form(2, housing=3)]))
    args = ("--db", city_db, "responses", "import", str(path), "--campaign", "Befragung 2025")
    code, out, err = run(capsys, *args, "--as", "paul")
    assert (code, err) == (0, "")
    assert out.startswith("2 Bögen gelesen: 2 neu gespeichert, 0 schon vorhanden.")
    code, out, _ = run(capsys, *args)
    assert code == 0 and "0 neu gespeichert, 2 schon vorhanden" in out
    assert count_rows(engine, "responses", "entered_by = 'paul' AND mode = 'paper'") == 2


def test_bad_file_reports_cells_and_imports_nothing(capsys: pytest.CaptureFixture[str],
                                                   city_db: str, engine: Engine,
                                                   tmp_path: Path) -> None:
    path = tmp_path / "b.csv"
    path.write_bytes(csv_bytes([form(1), form(2, moving_around=8), form(3, "Q9")]))
    args = ("--db", city_db, "responses", "import", str(path), "--campaign", "1")
    code, _, err = run(capsys, *args)
    lines = err.strip().splitlines()
    assert code == 1 and "Traceback" not in err
    assert lines[:2] == ["Zeile 3, Spalte moving_around: 8 liegt außerhalb von 1 bis 7.",
                         "Zeile 4, Spalte gebiet: Gebiet „Q9“ gibt es in dieser Befragung nicht "
                         "(Code oder Name laut Blatt „Gebiete“ der Vorlage)."]
    assert lines[-1].startswith("Fehler: 2 Fehler in 2 Zeilen – nichts importiert")
    assert count_rows(engine, "responses") == 0
    code, out, err = run(capsys, *args, "--check")
    assert code == 1 and count_rows(engine, "responses") == 0
    code, out, err = run(capsys, *args, "--partial")
    assert code == 0 and "1 neu gespeichert" in out and "Zeile 3" in err
    assert count_rows(engine, "responses") == 1


def test_long_report_is_cut_at_50_lines(capsys: pytest.CaptureFixture[str], city_db: str,
                                        tmp_path: Path) -> None:
    path = tmp_path / "b.csv"
    path.write_bytes(csv_bytes([form(i, moving_around=0) for i in range(1, 81)]))
    code, _, err = run(capsys, "--db", city_db, "responses", "import", str(path),
                       "--campaign", "1")
    lines = err.strip().splitlines()
    assert code == 1 and len(lines) == 52
    assert lines[50] == "… und 30 weitere Fehler."


def test_check_stores_nothing(capsys: pytest.CaptureFixture[str], city_db: str, engine: Engine,
                              tmp_path: Path) -> None:
    path = tmp_path / "b.xlsx"
    assert run(capsys, "--db", city_db, "responses", "template", "--campaign", "1", "-o",
               str(path))[0] == 0
    csv_path = tmp_path / "b.csv"
    csv_path.write_bytes(csv_bytes([form(1)]))
    code, out, _ = run(capsys, "--db", city_db, "responses", "import", str(csv_path),
                       "--campaign", "1", "--check")
    assert code == 0 and "1 würden neu gespeichert" in out
    assert count_rows(engine, "responses") == 0


@pytest.mark.parametrize(("setup", "campaign", "expected"), [
    (None, "1", "Fehler: Datei /"),
    (b"", "1", "Fehler: Die Datei ist leer."),
    (b"bogen_nr;gebiet\r\n", "gibtsnicht", "Fehler: Befragung „gibtsnicht“ gibt es nicht."),
])
def test_file_level_failures_are_one_german_line(capsys: pytest.CaptureFixture[str],
                                                 city_db: str, tmp_path: Path,
                                                 setup: bytes | None, campaign: str,
                                                 expected: str) -> None:
    path = tmp_path / "b.csv"
    if setup is not None:
        path.write_bytes(setup)
    code, _, err = run(capsys, "--db", city_db, "responses", "import", str(path), "--campaign",
                       campaign)
    assert code == 1 and err.startswith(expected) and len(err.strip().splitlines()) == 1


def test_closed_campaign(capsys: pytest.CaptureFixture[str], city_db: str, engine: Engine,
                         tmp_path: Path) -> None:
    with engine.begin() as conn:
        conn.execute(text("UPDATE campaigns SET status = 'closed'"))
    path = tmp_path / "b.csv"
    path.write_bytes(csv_bytes([form(1)]))
    code, _, err = run(capsys, "--db", city_db, "responses", "import", str(path), "--campaign",
                       "1")
    assert code == 1 and "nicht geöffnet" in err


def _hostile(kind: str) -> bytes:
    """A paper-form workbook with an entity bomb or a member lying about its size."""
    honest = hostile_xlsx.workbook([["bogen_nr", "gebiet", "moving_around"], [1, "Q1", 4]])
    if kind == "entity_bomb":
        return hostile_xlsx.replace_member(honest, hostile_xlsx.SHARED_STRINGS,
                                           hostile_xlsx.BILLION_LAUGHS.encode())
    big = hostile_xlsx.replace_member(honest, hostile_xlsx.SHEET, chunks=(b" " * 65536, 1700))
    return hostile_xlsx.lie_about_size(big, hostile_xlsx.SHEET, 900)


@pytest.mark.parametrize(("kind", "words"), [
    ("entity_bomb", "XML-Deklarationen (DOCTYPE/ENTITY)"),
    ("lying_size", "entpackt zu groß"),
])
def test_hostile_xlsx_is_one_german_line_and_exit_1(capsys: pytest.CaptureFixture[str],
                                                   city_db: str, engine: Engine,
                                                   tmp_path: Path, kind: str,
                                                   words: str) -> None:
    path = tmp_path / "boegen.xlsx"
    path.write_bytes(_hostile(kind))
    code, _, err = run(capsys, "--db", city_db, "responses", "import", str(path), "--campaign",
                       "1")
    assert code == 1 and err.startswith("Fehler: Die XLSX-Datei") and words in err
    assert "unerwartet" not in err and "Traceback" not in err
    assert len(err.strip().splitlines()) == 1
    assert count_rows(engine, "responses") == 0
