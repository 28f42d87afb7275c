"""The line at the top of every page while the demo city is loaded, so nobody mistakes its
synthetic figures for a real survey (helpers' and citizens' pages included)."""

from __future__ import annotations

import streamlit as st

from stadtraum.demo.loader import demo_loaded
from stadtraum.ui.i18n import t
from stadtraum.ui.state import engine, settings

__all__ = ["demo_banner"]


@st.cache_data(ttl=60, show_spinner=False)  # one indexed query a minute, not one a rerun
def _loaded(database_url: str) -> bool:
    return demo_loaded(engine())


def demo_banner() -> None:
    if _loaded(settings().database_url):
        st.caption(f"**Demo** – {t('demo_banner')}")
