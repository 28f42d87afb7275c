"""Gebietsprofil: one area against its parent and the city (radar, table, strengths and
weaknesses, priorities, comments). The map opens it via ``st.session_state["profile_area"]``."""

from __future__ import annotations

import streamlit as st

from stadtraum.analysis.results import compute_results
from stadtraum.ui.analysis.filters import purged_campaign, results_notes, view_filter
from stadtraum.ui.analysis.profile_charts import choose_area, plain_heading, tr
from stadtraum.ui.analysis.profile_published import show_published_profile
from stadtraum.ui.analysis.profile_view import area_name, show_profile
from stadtraum.ui.analysis.report_download import report_downloads
from stadtraum.ui.presentation import presentation_toggle
from stadtraum.ui.session import require_page
from stadtraum.ui.state import cube_provider, engine

user = require_page("gebietsprofil")
presenting = presentation_toggle()
selection = view_filter()
results = compute_results(engine(), cube_provider(), selection.flt)
if not presenting:
    st.title(tr("Gebietsprofil", "Area profile"))
code = choose_area(results, "profile_pick", tr("Gebiet (tippen zum Suchen)",
                                               "Area (type to search)"),
                   state_key="profile_area")
plain_heading(area_name(results, code))
purged = purged_campaign(selection)
if purged is not None:  # raw data gone: the published snapshot is all that is left
    show_published_profile(results, code, purged)
else:
    show_profile(results, code)
if not presenting and purged is None:
    results_notes(results, selection.description)
if not presenting:
    report_downloads(user, results, code, purged=purged is not None)
