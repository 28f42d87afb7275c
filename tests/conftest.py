"""Shared fixtures: databases on SQLite and on a real PostgreSQL server."""

from __future__ import annotations

import os
import shutil
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import text
from sqlalchemy.engine import Engine

from stadtraum.store.engine import make_engine
from stadtraum.store.migrate import migrate
from tests.pgserver import PgServer, start_server

IN_CI = os.environ.get("CI") == "true"


def pytest_xdist_make_scheduler(config: pytest.Config, log: Any) -> Any:
    """The suite runs on two workers (pytest-xdist, ``-n 2``): the browser tests stay together
    on one of them, one at a time as a person uses the app, so their timings are not squeezed
    by a second browser and their session-wide app server starts once; every other test is
    handed out on its own. (``--dist loadgroup`` would do this from markers, but pytest-xdist
    3.8 cannot group under pytest 9.2, whose items no longer take its renamed node id.)"""
    from xdist.scheduler import LoadScopeScheduling

    class BrowserTestsTogether(LoadScopeScheduling):
        def _split_scope(self, nodeid: str) -> str:
            return "tests/browser" if nodeid.startswith("tests/browser/") else nodeid

    return BrowserTestsTogether(config, log)


@pytest.fixture(scope="session")
def pg_server() -> Iterator[PgServer]:
    server = start_server()
    if server is None:
        if IN_CI:
            pytest.fail("PostgreSQL is required in CI but no server could be started")
        pytest.skip("no PostgreSQL installed (initdb not found)")
    template = "stadtraum_template_" + uuid.uuid4().hex[:8]
    admin = make_engine(server.admin_url).execution_options(isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{template}"'))
    tmpl_engine = make_engine(server.url(template))
    migrate(tmpl_engine)
    tmpl_engine.dispose()
    server.template = template  # type: ignore[attr-defined]
    yield server
    admin.dispose()
    server.stop()


def _new_pg_db(server: PgServer) -> str:
    name = "t_" + uuid.uuid4().hex[:12]
    admin = make_engine(server.admin_url).execution_options(isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}" TEMPLATE "{server.template}"'))  # type: ignore[attr-defined]
    admin.dispose()
    return server.url(name)


@pytest.fixture(scope="session")
def sqlite_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """An empty SQLite database migrated once per run; each test gets a copy of the file (like
    PostgreSQL's template database), instead of running every migration again (0.3 s each)."""
    path = tmp_path_factory.mktemp("sqlite_template") / "template.db"
    engine = make_engine(f"sqlite:///{path}")
    migrate(engine)
    with engine.connect() as conn:  # everything in the main file: nothing left in the WAL
        conn.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
    engine.dispose()
    for suffix in ("-wal", "-shm"):
        leftover = path.with_name(path.name + suffix)
        assert not leftover.exists() or leftover.stat().st_size == 0, leftover
    return path


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def db_url(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> str:
    """A freshly migrated, empty database on each engine."""
    if request.param == "sqlite":
        path = tmp_path_factory.mktemp("db") / "test.db"
        shutil.copyfile(request.getfixturevalue("sqlite_template"), path)
        return f"sqlite:///{path}"
    server: PgServer = request.getfixturevalue("pg_server")
    return _new_pg_db(server)


@pytest.fixture
def engine(db_url: str) -> Iterator[Engine]:
    eng = make_engine(db_url)
    yield eng
    eng.dispose()


@pytest.fixture
def db(tmp_path: Path) -> str:
    """The URL of a not yet created SQLite file (for the command-line tests)."""
    return f"sqlite:///{tmp_path / 'cli.db'}"


@pytest.fixture(autouse=True)
def _setup_code_outside_the_checkout(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """An app that finds no account writes its set-up code; in tests never into data/."""
    monkeypatch.setenv("STADTRAUM_SETUP_CODE_FILE", str(tmp_path / "setup-code"))
