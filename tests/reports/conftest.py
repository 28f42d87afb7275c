"""One report city on SQLite per test module (building it takes a few seconds); tests that
write (audit rows) use the parametrised ``engine`` fixture and their own city."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy.engine import Engine

from stadtraum.analysis.cube_store import CubeProvider
from stadtraum.store.engine import make_engine
from stadtraum.store.migrate import migrate
from tests.reports.report_city import ReportCity, build_report_city


@pytest.fixture(scope="module")
def city_db(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Engine, ReportCity]]:
    path: Path = tmp_path_factory.mktemp("reports") / "reports.db"
    engine = make_engine(f"sqlite:///{path}")
    migrate(engine)
    built = build_report_city(engine)
    yield engine, built
    engine.dispose()


@pytest.fixture(scope="module")
def provider(city_db: tuple[Engine, ReportCity]) -> CubeProvider:
    return CubeProvider(city_db[0])
