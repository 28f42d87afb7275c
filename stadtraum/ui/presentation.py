"""Presentation mode for focus groups and council meetings (projector): no sidebar, large
fonts, one chart per screen (pages ask :func:`is_presenting` and draw only their main
chart), and a visible button to leave it.

The mode is kept under a plain state key (``f"{key}__on"``), because the sidebar toggle is
not drawn while presenting and Streamlit forgets the value of a widget it did not draw.
"""

from __future__ import annotations

import streamlit as st

from stadtraum.ui.i18n import lang

__all__ = ["PRESENTATION_CSS", "is_presenting", "presentation_toggle"]

DEFAULT_KEY = "praesentation"
PRESENTATION_CSS = """
<style>
section[data-testid="stSidebar"], div[data-testid="stSidebarCollapsedControl"],
button[data-testid="stExpandSidebarButton"], header[data-testid="stHeader"],
div[data-testid="stElementToolbar"], div.modebar-container {
  display: none !important; }
div[data-testid="stMainBlockContainer"], .block-container {
  max-width: 100% !important; padding-top: 1rem !important; }
div[data-testid="stMainBlockContainer"] p, div[data-testid="stMainBlockContainer"] li,
div[data-testid="stMainBlockContainer"] label, div[data-testid="stMainBlockContainer"] td,
div[data-testid="stMainBlockContainer"] .sr-legend {
  font-size: 1.5rem !important; line-height: 1.4 !important; }
div[data-testid="stMainBlockContainer"] h1 { font-size: 2.8rem !important; }
div[data-testid="stMainBlockContainer"] h2 { font-size: 2.2rem !important; }
div.stButton > button { font-size: 1.4rem !important; min-height: 56px !important; }
</style>
"""


def _on_key(key: str) -> str:
    return f"{key}__on"


def is_presenting(key: str = DEFAULT_KEY) -> bool:
    return bool(st.session_state.get(_on_key(key), False))


def _from_toggle(key: str) -> None:
    st.session_state[_on_key(key)] = bool(st.session_state.get(key, False))


def _leave(key: str) -> None:
    st.session_state[_on_key(key)] = False
    st.session_state[key] = False


def presentation_toggle(key: str = DEFAULT_KEY) -> bool:
    """The sidebar toggle; while on: the CSS above and a "Präsentation beenden" button at the
    top of the page. Returns whether the page is presenting."""
    en = lang() == "en"
    if is_presenting(key):
        st.html(PRESENTATION_CSS)
        st.button("Leave presentation mode" if en else "Präsentation beenden",
                  key=f"{key}_leave", on_click=_leave, args=(key,), type="secondary")
        return True
    st.session_state[key] = False
    st.sidebar.toggle("Presentation mode (projector)" if en else "Präsentationsmodus (Beamer)",
                      key=key, on_change=_from_toggle, args=(key,),
                      help=("Large fonts, no sidebar, one chart per screen." if en else
                            "Große Schrift, keine Seitenleiste, ein Diagramm pro Bildschirm."))
    return False
