"""The Alembic migrations produce exactly the schema the models describe, on both engines."""

from __future__ import annotations

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import inspect
from sqlalchemy.engine import Engine

from stadtraum.store.db import Base
from stadtraum.store.migrate import is_initialised, migrate


def test_migrations_match_the_models(engine: Engine) -> None:
    with engine.connect() as conn:
        diff = compare_metadata(MigrationContext.configure(conn), Base.metadata)
    assert diff == []


def test_migrate_is_idempotent(engine: Engine) -> None:
    assert is_initialised(engine)
    migrate(engine)
    assert "interview_drafts" in inspect(engine).get_table_names()
