"""Add a criteria catalogue (TOML text), as the admin (or the command line) may."""

from __future__ import annotations

from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session

from stadtraum.accounts.permissions import Actor, require
from stadtraum.criteria import Catalogue
from stadtraum.store import catalogues as store
from stadtraum.store.engine import write_engine


def add_catalogue(engine: Engine, toml_text: str, *, actor: Actor) -> Catalogue:
    """Validate and store a new catalogue in its own transaction. Needs
    ``catalogues.manage``."""
    require(actor, "catalogues.manage")
    with Session(write_engine(engine)) as session, session.begin():
        return store.add_catalogue(session, toml_text)
