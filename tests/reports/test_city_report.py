"""The city report: a small map per criterion coloured from the engine (hatched where
hidden), the overall table cell by cell, progress for the app, the PDF."""

from __future__ import annotations

import re
from pathlib import Path

import pypdf
from sqlalchemy.engine import Engine

from stadtraum.accounts.permissions import Actor
from stadtraum.analysis.cube import CubeFilter
from stadtraum.analysis.cube_store import CubeProvider
from stadtraum.analysis.results import compute_results
from stadtraum.maps.colours import RATING_SCALE
from stadtraum.publish.service import published_area
from stadtraum.reports.city_report import STEPS, build_city_report
from stadtraum.reports.typography import de_number
from tests.reports.html_check import Parsed, assert_self_contained
from tests.reports.report_city import PAYLOAD_NAME, ReportCity

PLANNER = Actor("planerin", "planner")


def _html(city_db: tuple[Engine, ReportCity], provider: CubeProvider, source: str) -> str:
    engine, built = city_db
    return build_city_report(engine, provider, built.later, actor=PLANNER, source=source,
                             fmt="html").decode("utf-8")


def test_small_maps_and_overall_table_match_the_engine(
        city_db: tuple[Engine, ReportCity], provider: CubeProvider) -> None:
    engine, built = city_db
    html = _html(city_db, provider, "live")
    parsed = Parsed(html)
    assert_self_contained(parsed)
    assert "script" not in [t for t, _ in parsed.elements]
    results = compute_results(engine, provider, CubeFilter((built.later,)))
    table = results.levels[0]
    maps = re.findall(r'<svg[^>]*class="sr-small-map".*?</svg>', html, flags=re.S)
    assert len(maps) == 1 + len(results.criteria)  # the index, then every criterion
    codes = table.areas["code"].astype(str).tolist()
    hatched = 0
    for c, svg in enumerate(maps[1:]):
        fills = dict(re.findall(r'data-code="([^"]+)" d="[^"]*" fill="([^"]+)"', svg))
        assert sorted(fills) == sorted(codes)
        for a, code in enumerate(codes):
            if table.suppressed[a, c]:
                assert fills[code].startswith("url(#sr-hatch-")
                hatched += 1
            else:
                assert fills[code] == RATING_SCALE.colour_for(float(table.stats.mean[a, c]))
    assert hatched > 0  # Q2's housing (n = 2) at least
    rows = Parsed(html).table_with("Index")
    assert rows[0][:3] == ["Quartier", "n", "Index"] and len(rows) == 1 + len(codes)
    for a, row in enumerate(rows[1:]):
        assert row[0] == str(table.areas["name"].iloc[a])
        assert row[1] == ("·" if table.respondents_suppressed[a] else
                          str(int(table.respondents[a])))
        for c, cell in enumerate(row[3:]):
            assert cell == ("·" if table.suppressed[a, c] else
                            de_number(float(table.stats.mean[a, c])))
    assert PAYLOAD_NAME in parsed.all_text
    city = parsed.table_with("95-%-KI")
    assert len(city) == 1 + len(results.criteria)


def test_public_city_report_reads_the_snapshot(
        city_db: tuple[Engine, ReportCity], provider: CubeProvider) -> None:
    engine, built = city_db
    parsed = Parsed(_html(city_db, provider, "published"))
    assert_self_contained(parsed)
    rows = parsed.table_with("Index")
    assert rows[0][:2] == ["Quartier", "Index"]  # no n in public
    results = compute_results(engine, provider, CubeFilter((built.later,)))
    for code, row in zip(results.levels[0].areas["code"], rows[1:], strict=True):
        snap = published_area(engine, built.later, "Quartier", str(code))
        assert snap is not None
        expected = [snap.values.get(c.id) for c in results.criteria]
        assert row[2:] == ["·" if v is None else de_number(v) for v in expected]
    assert "Interner Bericht" not in parsed.all_text


def test_progress_and_pdf(city_db: tuple[Engine, ReportCity], provider: CubeProvider,
                          tmp_path: Path) -> None:
    engine, built = city_db
    seen: list[tuple[int, int, str]] = []
    pdf = build_city_report(engine, provider, built.later, actor=PLANNER, source="live",
                            progress=lambda d, t, w: seen.append((d, t, w)))
    done = [d for d, _, _ in seen]
    assert done == sorted(done) and done[-1] == STEPS and len(seen) >= 4
    assert {t for _, t, _ in seen} == {STEPS}
    target = tmp_path / "city.pdf"
    target.write_bytes(pdf)
    pages = [p.extract_text() for p in pypdf.PdfReader(target).pages]
    assert 3 <= len(pages) <= 8
    assert all(f"Seite {i} von {len(pages)}" in p for i, p in enumerate(pages, 1))
    text = " ".join(" ".join(p.split()) for p in pages)
    assert "Stadtbericht Musterstadt an der Ruhr" in text
    assert "<script>alert(1)</script>" in text  # the hostile name, printed as text
