"""``stadtraum streets import/search`` end to end on a real SQLite file with the demo city."""

from __future__ import annotations

from pathlib import Path

import pytest

from stadtraum.cli.main import main
from stadtraum.config import project_root
from stadtraum.demo.streets import STREETS_FILE
from tests.helpers import run_cli as run


@pytest.fixture(scope="module")
def demo_db(tmp_path_factory: pytest.TempPathFactory) -> str:
    url = f"sqlite:///{tmp_path_factory.mktemp('cli') / 'cli.db'}"
    assert main(["--db", url, "demo", "--responses", "200"]) == 0
    return url


def test_demo_loads_the_street_directory(demo_db: str, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "--db", demo_db, "streets", "search", "ahornstr",
                       "--level", "Quartier")
    assert code == 0
    assert out.startswith("Ahornstraße\t")
    assert len(out.splitlines()) in (1, 2)  # a street through one or two quarters


def test_import_replaces_and_bad_codes_fail(demo_db: str, tmp_path: Path,
                                            capsys: pytest.CaptureFixture[str]) -> None:
    bad = tmp_path / "bad.csv"
    bad.write_text("strasse;gebiet\nTestweg;999\n", encoding="utf-8")
    code, out, err = run(capsys, "--db", demo_db, "streets", "import", str(bad),
                         "--level", "Quartier")
    assert code == 1 and "Zeile 2" in err and "999" in err and out == ""
    # the demo directory is untouched
    code, out, _ = run(capsys, "--db", demo_db, "streets", "search", "ahorn", "--level",
                       "Quartier")
    assert code == 0 and "Ahorn" in out
    good = tmp_path / "good.csv"
    good.write_text("Straße,Gebiet\nTestweg,101\n", encoding="cp1252")
    code, out, _ = run(capsys, "--db", demo_db, "streets", "import", str(good), "--level",
                       "Quartier")
    assert code == 0 and "1 Zuordnungen" in out
    code, out, _ = run(capsys, "--db", demo_db, "streets", "search", "ahorn", "--level",
                       "Quartier")
    assert out == "Keine Straße gefunden.\n"
    # restore the committed demo directory for the other tests of this module
    code, out, _ = run(capsys, "--db", demo_db, "streets", "import",
                       str(project_root() / "geodata" / STREETS_FILE), "--level", "Quartier")
    assert code == 0


def test_missing_file_and_unknown_level(demo_db: str, capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run(capsys, "--db", demo_db, "streets", "import", "/nope.csv", "--level",
                       "Quartier")
    assert code == 1 and "gibt es nicht" in err
    code, _, err = run(capsys, "--db", demo_db, "streets", "search", "x", "--level", "Mond")
    assert code == 1 and err.startswith("Fehler:")
