"""Create or migrate the database schema through Alembic (``stadtraum init``).

On SQLite, Alembic's batch mode rebuilds a table to change its constraints (copy, DROP,
rename). With foreign keys on, that DROP would first delete the rows referring to the table:
``ON DELETE CASCADE`` children silently, others with an error. So migrations run with foreign
keys off (SQLite's own recipe for schema changes) and check every reference with
``PRAGMA foreign_key_check`` before they commit.
"""

from __future__ import annotations

from typing import Any

from alembic import command
from alembic.config import Config
from sqlalchemy import inspect, select
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session

from stadtraum.config import project_root
from stadtraum.store.db import ChangeCounter

__all__ = ["alembic_config", "is_initialised", "migrate", "run_alembic"]


def alembic_config(engine: Engine) -> Config:
    cfg = Config()
    cfg.set_main_option("script_location", str(project_root() / "migrations"))
    cfg.set_main_option("sqlalchemy.url", engine.url.render_as_string(hide_password=False))
    return cfg


def run_alembic(engine: Engine, action: str, revision: str) -> None:
    """``alembic upgrade|downgrade revision`` in one transaction, keeping every row."""
    cfg = alembic_config(engine)
    with engine.connect() as conn:
        sqlite = conn.dialect.name == "sqlite"
        raw: Any = conn.connection.dbapi_connection  # PRAGMA outside SQLAlchemy's transaction
        if sqlite:  # only takes effect outside a transaction
            raw.execute("PRAGMA foreign_keys=OFF")
        try:
            with conn.begin():
                cfg.attributes["connection"] = conn
                getattr(command, action)(cfg, revision)
                if sqlite and (bad := conn.exec_driver_sql("PRAGMA foreign_key_check").all()):
                    raise RuntimeError(f"migration would break references: {bad[:5]}")
        finally:
            if sqlite:
                raw.execute("PRAGMA foreign_keys=ON")


def migrate(engine: Engine) -> None:
    """Bring the schema to the newest revision and make sure the change counter row exists."""
    run_alembic(engine, "upgrade", "head")
    with Session(engine) as session, session.begin():
        if session.scalar(select(ChangeCounter).where(ChangeCounter.id == 1)) is None:
            session.add(ChangeCounter(id=1, value=0))


def is_initialised(engine: Engine) -> bool:
    return inspect(engine).has_table("responses")
