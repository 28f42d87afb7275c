"""App-wide styling for touch use outdoors: every target at least 44 px, larger text."""

from __future__ import annotations

import streamlit as st

CSS = """
<style>
div[data-testid="stButtonGroup"] button, div.stButton > button,
div[data-testid="stFormSubmitButton"] > button, div[data-testid="stDownloadButton"] > button,
button[data-testid="stExpandSidebarButton"], button[data-testid="stBaseButton-headerNoPadding"] {
  min-height: 48px; min-width: 48px; font-size: 1.1rem; }
div[data-testid="stButtonGroup"] { flex-wrap: wrap; }
div[data-baseweb="select"] > div, div[data-baseweb="input"] { min-height: 48px; }
label[data-baseweb="checkbox"], label[data-baseweb="radio"] { min-height: 44px;
  align-items: center; }
a[data-testid="stSidebarNavLink"] { min-height: 44px; align-items: center; }
/* outdoors on a tablet: captions and inline code dark enough (WCAG AA, checked by axe-core) */
div[data-testid="stCaptionContainer"], div[data-testid="stCaptionContainer"] p {
  color: #3d3f4a !important; opacity: 1 !important; }
div[data-testid="stMarkdownContainer"] code {
  color: #1e4620 !important; background: #eef1f5 !important; font-size: 0.95em; }
</style>
"""


def apply() -> None:
    st.html(CSS)
