"""The reports' bench rows are built from real reports (no timing asserted: targets are
checked by ``stadtraum bench``, never by a unit test)."""

from __future__ import annotations

from sqlalchemy.engine import Engine

from stadtraum.analysis.cube_store import CubeProvider
from stadtraum.bench.reports import bench_reports
from tests.helpers import count_rows
from tests.reports.report_city import ReportCity


def test_rows_for_the_bench_table(city_db: tuple[Engine, ReportCity],
                                  provider: CubeProvider) -> None:
    engine, built = city_db
    before = count_rows(engine, "audit_log", "action = 'build_report'")
    rows = bench_reports(engine, provider, built.later, "SQLite")
    assert [r[0] for r in rows] == ["SQLite"] * 3 and all(len(r) == 5 for r in rows)
    assert rows[0][1].startswith("Gebietsbericht PDF") and rows[0][4].startswith("≤ 3 s")
    assert "3 Quartiere" in rows[2][1] and rows[2][4].startswith("≤ 30 s")
    assert all(r[2].endswith(" s") for r in rows)
    # every quarter's PDF and HTML, the first PDF, and the city report twice were built
    assert count_rows(engine, "audit_log", "action = 'build_report'") == before + 2 * 3 + 2
