"""The engine factory and SQLite/PostgreSQL specifics.

SQLite (embedded default): WAL, ``synchronous=FULL``, foreign keys on, a busy timeout, and
write transactions opened with ``BEGIN IMMEDIATE`` (see :func:`write_engine`). ``secure_delete``
is on for every connection, so a deleted row's bytes are overwritten with zeros in the file
(and in the WAL) instead of lingering in free pages (DESIGN §5: deletion is real). PostgreSQL
(production): ``pool_pre_ping``.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import create_engine, event
from sqlalchemy.engine import Engine
from sqlalchemy.pool import NullPool

__all__ = ["is_sqlite", "make_engine", "write_engine"]


def is_sqlite(engine: Engine) -> bool:
    return engine.dialect.name == "sqlite"


def _sqlite_on_connect(dbapi_connection: Any, _record: Any) -> None:
    # Let SQLAlchemy's "begin" event issue BEGIN itself (pysqlite's own handling is off).
    dbapi_connection.isolation_level = None
    cur = dbapi_connection.cursor()
    cur.execute("PRAGMA journal_mode=WAL")
    cur.execute("PRAGMA synchronous=FULL")
    cur.execute("PRAGMA foreign_keys=ON")
    cur.execute("PRAGMA busy_timeout=15000")
    cur.execute("PRAGMA secure_delete=ON")
    cur.close()


def _sqlite_on_begin(conn: Any) -> None:
    mode = conn.get_execution_options().get("sqlite_begin", "DEFERRED")
    conn.exec_driver_sql(f"BEGIN {mode}")


def make_engine(url: str, *, echo: bool = False) -> Engine:
    """Create an engine with the dialect's safety settings applied."""
    if url.startswith("sqlite"):
        engine = create_engine(url, echo=echo, poolclass=NullPool if ":memory:" not in url
                               else None, connect_args={"timeout": 15})
        event.listen(engine, "connect", _sqlite_on_connect)
        event.listen(engine, "begin", _sqlite_on_begin)
        return engine
    return create_engine(url, echo=echo, pool_pre_ping=True, pool_size=5, max_overflow=5)


def write_engine(engine: Engine) -> Engine:
    """The same engine, but transactions take the write lock at once (SQLite BEGIN IMMEDIATE)."""
    if is_sqlite(engine):
        return engine.execution_options(sqlite_begin="IMMEDIATE")
    return engine
