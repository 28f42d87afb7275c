"""Create or migrate the database schema through Alembic (``stadtraum init``)."""

from __future__ import annotations

from alembic import command
from alembic.config import Config
from sqlalchemy import inspect, select
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session

from stadtraum.config import project_root
from stadtraum.store.db import ChangeCounter


def alembic_config(engine: Engine) -> Config:
    cfg = Config()
    cfg.set_main_option("script_location", str(project_root() / "migrations"))
    cfg.set_main_option("sqlalchemy.url", engine.url.render_as_string(hide_password=False))
    return cfg


def migrate(engine: Engine) -> None:
    """Bring the schema to the newest revision and make sure the change counter row exists."""
    cfg = alembic_config(engine)
    with engine.begin() as conn:
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, "head")
    with Session(engine) as session, session.begin():
        if session.scalar(select(ChangeCounter).where(ChangeCounter.id == 1)) is None:
            session.add(ChangeCounter(id=1, value=0))


def is_initialised(engine: Engine) -> bool:
    return inspect(engine).has_table("responses")
