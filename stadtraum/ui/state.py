"""Process-wide resources (engine, statistics cube) cached by Streamlit."""

from __future__ import annotations

import logging
from pathlib import Path

import streamlit as st
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session

from stadtraum.analysis.cube_store import CubeProvider
from stadtraum.config import Settings, load_settings, project_root
from stadtraum.store.engine import make_engine
from stadtraum.store.migrate import migrate
from stadtraum.store.queries import count_responses

log = logging.getLogger(__name__)
ASSETS = Path(__file__).resolve().parent / "assets"


def settings() -> Settings:
    """Read on demand (cheap), so a changed environment is honoured."""
    return load_settings()


def engine() -> Engine:
    """The app's engine; the first call creates/migrates the schema and loads the demo city
    when the database is empty."""
    return _engine(settings().database_url, settings().demo_on_empty)


def cube_provider() -> CubeProvider:
    return _provider(settings().database_url)


@st.cache_resource(show_spinner=False)
def _engine(url: str, demo_on_empty: bool) -> Engine:
    if url.startswith("sqlite:///") and not url.startswith("sqlite:////"):
        path = project_root() / url.removeprefix("sqlite:///")
        path.parent.mkdir(parents=True, exist_ok=True)
        url = f"sqlite:///{path}"
    eng = make_engine(url)
    migrate(eng)
    if demo_on_empty:
        with Session(eng) as session:
            empty = count_responses(session) == 0
        if empty:
            from stadtraum.demo.loader import demo_loaded, load_demo

            if not demo_loaded(eng):
                log.warning("empty database: loading the demo city")
                # the generated demo passwords go to the console of whoever started the app
                print(load_demo(eng), flush=True)
    return eng


@st.cache_resource(show_spinner=False)
def _provider(url: str) -> CubeProvider:
    return CubeProvider(engine())


def data_dir() -> Path:
    return project_root() / "data"
