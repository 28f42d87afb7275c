"""Karte: a choropleth of a campaign's results per area; a click opens the area's profile."""

from __future__ import annotations

import streamlit as st

from stadtraum.ui.analysis.filters import view_filter
from stadtraum.ui.i18n import lang
from stadtraum.ui.maps.map_page import (
    map_controls,
    map_notes,
    map_section,
    open_profile_on_click,
    table_and_downloads,
)
from stadtraum.ui.presentation import presentation_toggle
from stadtraum.ui.session import require_page

user = require_page("karte")
presenting = presentation_toggle()
selection = view_filter(key="flt")
if not presenting:
    st.title("Map" if lang() == "en" else "Karte")
data = map_controls(selection)
open_profile_on_click()
map_section(data, height=680 if presenting else 520)
if not presenting:
    map_notes(data, selection.description)
    table_and_downloads(data, selection.description)
