"""Vergleich: 2–6 areas on one radar with a difference table; one area across two waves;
the change map between two waves. While presenting: one chart per screen."""

from __future__ import annotations

import streamlit as st

from stadtraum.analysis.results import compute_results
from stadtraum.ui.analysis.compare_areas import choose_areas, show_area_radar, show_area_table
from stadtraum.ui.analysis.compare_waves import choose_waves, show_change_map, show_wave_area
from stadtraum.ui.analysis.filters import options, results_notes, view_filter
from stadtraum.ui.analysis.profile_charts import tr
from stadtraum.ui.presentation import presentation_toggle
from stadtraum.ui.session import require_page
from stadtraum.ui.state import cube_provider, engine

user = require_page("vergleich")
presenting = presentation_toggle()
selection = view_filter()
results = compute_results(engine(), cube_provider(), selection.flt)
VIEWS = {"areas": tr("Gebiete: Netzdiagramm", "Areas: radar"),
         "areas_table": tr("Gebiete: Tabelle", "Areas: table"),
         "waves": tr("Wellen: vorher/nachher", "Waves: before/after"),
         "waves_table": tr("Wellen: Tabelle", "Waves: table"),
         "map": tr("Veränderungskarte", "Change map")}
if presenting:
    view = st.segmented_control(tr("Ansicht", "View"), list(VIEWS), key="compare_view",
                                format_func=VIEWS.__getitem__, default="areas") or "areas"
    shown = {view}
else:
    st.title(tr("Vergleich", "Comparison"))
    shown = set(VIEWS)

codes: list[str] = []
if shown & {"areas", "areas_table"}:
    if not presenting:
        st.header(tr("Gebiete vergleichen", "Compare areas"))
    codes = choose_areas(results)
    if len(codes) < 2:
        st.info(tr("Bitte mindestens zwei Gebiete wählen.", "Please choose at least two areas."))
    else:
        if "areas" in shown:
            show_area_radar(results, codes)
        if "areas_table" in shown:
            show_area_table(results, codes)

if shown & {"waves", "waves_table", "map"}:
    if not presenting:
        st.header(tr("Zwei Befragungswellen vergleichen", "Compare two survey waves"))
    waves = choose_waves(options(), selection.flt)
    if waves is not None:
        if shown & {"waves", "waves_table"}:
            preferred = codes[0] if codes else st.session_state.get("profile_area")
            show_wave_area(waves, preferred, radar="waves" in shown,
                           table="waves_table" in shown)
        if "map" in shown:
            if not presenting:
                st.subheader(tr("Veränderungskarte", "Change map"))
            show_change_map(waves)

if not presenting:
    results_notes(results, selection.description)
