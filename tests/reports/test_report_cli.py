"""``stadtraum report``: area and city reports from the command line, as PDF or HTML, the
published snapshot by default, refusals in German, audited under the command line's name."""

from __future__ import annotations

from pathlib import Path

import pypdf
import pytest

from stadtraum.store.engine import make_engine
from stadtraum.store.migrate import migrate
from tests.helpers import count_rows, run_cli
from tests.reports.report_city import CITY_NAME, build_report_city


@pytest.fixture
def town(db: str) -> tuple[str, int]:
    engine = make_engine(db)
    migrate(engine)
    later = build_report_city(engine).later
    engine.dispose()
    return db, later


def test_area_and_city_reports(capsys: pytest.CaptureFixture[str], town: tuple[str, int],
                               tmp_path: Path) -> None:
    db, cid = town
    pdf = tmp_path / "q1.pdf"
    code, out, err = run_cli(capsys, "--db", db, "report", "--campaign", str(cid), "--area",
                             "Q1", "-o", str(pdf))
    assert code == 0, err
    assert "veröffentlichter Stand" in out and str(pdf) in out
    text = " ".join(p.extract_text() for p in pypdf.PdfReader(pdf).pages)
    assert "Quartier Q1" in text and "Öffentlicher Bericht" in text and "Interner" not in text
    html = tmp_path / "d1.html"
    code, out, err = run_cli(capsys, "--db", db, "report", "--campaign", "Befragung 2026",
                             "--area", "D1", "--level", "Stadtbezirk", "--source", "live",
                             "-o", str(html))
    assert code == 0, err
    page = html.read_text(encoding="utf-8")
    assert "Interner Bericht – Live-Zahlen" in page and "Gebietsbericht Bezirk D1" in page
    city = tmp_path / "stadt.pdf"
    code, out, err = run_cli(capsys, "--db", db, "report", "--campaign", str(cid), "--city",
                             "--source", "live", "-o", str(city))
    assert code == 0, err
    assert "Stadtbericht" in out and "fertig" in err  # progress on stderr
    assert CITY_NAME in " ".join(pypdf.PdfReader(city).pages[0].extract_text().split())
    engine = make_engine(db)
    assert count_rows(engine, "audit_log", "action = 'build_report' AND "
                      "actor = 'kommandozeile'") == 3
    engine.dispose()


@pytest.mark.parametrize(("args", "german"), [
    (["--area", "Q1", "-o", "x.docx"], "Unbekannte Endung „.docx“"),
    (["--area", "Q9", "-o", "x.pdf"], "Gebiet „Q9“"),
    (["--city", "--level", "Quartier", "-o", "x.pdf"], "--level gilt nur mit --area"),
    (["--area", "Q1", "--level", "Stadtbezirk", "-o", "x.html"], "auf der Ebene „Stadtbezirk“"),
])
def test_refusals_name_the_problem(capsys: pytest.CaptureFixture[str], town: tuple[str, int],
                                   tmp_path: Path, args: list[str], german: str) -> None:
    db, cid = town
    args = [a if not a.startswith("x.") else str(tmp_path / a) for a in args]
    code, _, err = run_cli(capsys, "--db", db, "report", "--campaign", str(cid), *args)
    assert code == 1 and german in err and not list(tmp_path.glob("x.*"))
