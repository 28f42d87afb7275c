"""App-wide styling for touch use outdoors: every target at least 44 px, larger text."""

from __future__ import annotations

import streamlit as st

CSS = """
<style>
div[data-testid="stButtonGroup"] button, div.stButton > button,
div[data-testid="stFormSubmitButton"] > button,
button[data-testid="stExpandSidebarButton"], button[data-testid="stBaseButton-headerNoPadding"] {
  min-height: 48px; min-width: 48px; font-size: 1.1rem; }
div[data-testid="stButtonGroup"] { flex-wrap: wrap; }
div[data-baseweb="select"] > div, div[data-baseweb="input"] { min-height: 48px; }
label[data-baseweb="checkbox"], label[data-baseweb="radio"] { min-height: 44px;
  align-items: center; }
</style>
"""


def apply() -> None:
    st.html(CSS)
