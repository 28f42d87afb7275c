"""Process-wide resources (engine, statistics cube) cached by Streamlit."""

from __future__ import annotations

import logging
from pathlib import Path

import streamlit as st
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session

from stadtraum.config import load_settings, project_root
from stadtraum.cube_store import CubeProvider
from stadtraum.db import make_engine
from stadtraum.schema import migrate
from stadtraum.storage import count_responses

log = logging.getLogger(__name__)
ASSETS = Path(__file__).resolve().parent / "assets"


@st.cache_resource(show_spinner=False)
def engine() -> Engine:
    """The app's engine; creates/migrates the schema and loads the demo city when empty."""
    settings = load_settings()
    url = settings.database_url
    if url.startswith("sqlite:///") and not url.startswith("sqlite:////"):
        path = project_root() / url.removeprefix("sqlite:///")
        path.parent.mkdir(parents=True, exist_ok=True)
        url = f"sqlite:///{path}"
    eng = make_engine(url)
    migrate(eng)
    if settings.demo_on_empty:
        with Session(eng) as session:
            empty = count_responses(session) == 0
        if empty:
            from stadtraum.demo import demo_loaded, load_demo

            if not demo_loaded(eng):
                log.warning("empty database: loading the demo city")
                load_demo(eng)
    return eng


@st.cache_resource(show_spinner=False)
def cube_provider() -> CubeProvider:
    return CubeProvider(engine())


def data_dir() -> Path:
    return project_root() / "data"
