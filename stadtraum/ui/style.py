"""App-wide styling for touch use outdoors: every target at least 44 px, larger text; the
city's main colour on the primary buttons (a validated ``#rrggbb`` only, checked again here
before it goes into the style sheet)."""

from __future__ import annotations

import re

import streamlit as st

from stadtraum.admin.city_setting_rules import DEFAULT_COLOUR
from stadtraum.ui.admin.settings_cache import city

CSS = """
<style>
div[data-testid="stButtonGroup"] button, div.stButton > button,
div[data-testid="stFormSubmitButton"] > button, div[data-testid="stDownloadButton"] > button,
button[data-testid="stExpandSidebarButton"], button[data-testid="stBaseButton-headerNoPadding"] {
  min-height: 48px; min-width: 48px; font-size: 1.1rem; }
div[data-testid="stButtonGroup"] { flex-wrap: wrap; }
div[data-baseweb="select"] > div, div[data-baseweb="input"] { min-height: 48px; }
/* the 1–7 scale (a container keyed "scale…"): 1 to 7 on one row, on a 390 px phone too;
   there "keine Angabe" gets a row of its own below (a tablet keeps all eight on one row) */
div[class*="st-key-scale"] div[data-testid="stButtonGroup"] button {
  flex: 1 1 auto; min-width: 44px; padding-left: 0.15rem; padding-right: 0.15rem; }
@media (max-width: 640px) {
  div[class*="st-key-scale"] div[data-testid="stButtonGroup"] button:last-child {
    flex-basis: 100%; } }
label[data-baseweb="checkbox"], label[data-baseweb="radio"],
div[data-testid="stCheckbox"] label, label[data-testid="stRadioOption"] {
  min-height: 44px; align-items: center; }
a[data-testid="stSidebarNavLink"] { min-height: 44px; align-items: center; }
/* outdoors on a tablet: captions and inline code dark enough (WCAG AA, checked by axe-core) */
div[data-testid="stCaptionContainer"], div[data-testid="stCaptionContainer"] p {
  color: #3d3f4a !important; opacity: 1 !important; }
div[data-testid="stMarkdownContainer"] code {
  color: #1e4620 !important; background: #eef1f5 !important; font-size: 0.95em; }
</style>
"""


_HEX = re.compile(r"#[0-9a-f]{6}")
COLOUR_CSS = """
<style>
button[data-testid="stBaseButton-primary"], button[data-testid="stBaseButton-primaryFormSubmit"] {
  background-color: {c} !important; border-color: {c} !important; color: #ffffff !important; }
button[data-testid="stBaseButton-primary"]:hover,
button[data-testid="stBaseButton-primaryFormSubmit"]:hover {
  background-color: {dark} !important; border-color: {dark} !important; }
div[data-testid="stDecoration"] { background: {c} !important; }
/* a chosen option of a button group (the 1–7 scale above all) in the city's colour: it was
   a faint tint, hard to see outdoors */
button[data-variant="segmented_control"][aria-checked="true"] {
  background-color: {c} !important; border-color: {c} !important; color: #ffffff !important;
  font-weight: 700; }
</style>
"""


def darker(colour: str, factor: float = 0.8) -> str:
    """``colour`` darker (for hover): still at least the contrast of ``colour`` on white."""
    channels = (int(colour[i:i + 2], 16) for i in (1, 3, 5))
    return "#" + "".join(f"{int(c * factor):02x}" for c in channels)


def colour_css(colour: str) -> str:
    """The style sheet for ``colour``; anything but ``#rrggbb`` gives the default colour."""
    chosen = colour.lower() if _HEX.fullmatch(colour.lower()) else DEFAULT_COLOUR
    return COLOUR_CSS.replace("{c}", chosen).replace("{dark}", darker(chosen))


def apply() -> None:
    st.html(CSS + colour_css(city().main_colour))
