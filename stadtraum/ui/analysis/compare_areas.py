"""Comparison of 2–6 areas: the choice (with the neighbours of the first area as quick
picks), one radar and a difference table against the first area."""

from __future__ import annotations

import streamlit as st

from stadtraum.analysis.area_compare import MAX_AREAS, area_neighbours, areas_compare
from stadtraum.analysis.profile import area_series
from stadtraum.analysis.results import Results
from stadtraum.ui.analysis.profile_charts import area_options, file_stem, show_radar, show_table, tr
from stadtraum.ui.analysis.profile_view import area_name
from stadtraum.ui.i18n import lang
from stadtraum.ui.state import engine

__all__ = ["AREAS_KEY", "choose_areas", "show_area_radar", "show_area_table"]

AREAS_KEY = "compare_areas"
NEIGHBOUR_KEY = "compare_neighbour"


def _add_neighbour() -> None:
    code = st.session_state.get(NEIGHBOUR_KEY)
    chosen = list(st.session_state.get(AREAS_KEY, []))
    if code is not None and code not in chosen and len(chosen) < MAX_AREAS:
        st.session_state[AREAS_KEY] = [*chosen, code]
    st.session_state[NEIGHBOUR_KEY] = None


def _default(results: Results, options: dict[str, str]) -> list[str]:
    start = st.session_state.get("profile_area")
    if start not in options:
        start = str(results.levels[0].areas["code"].iloc[0])
    return [str(start), *[n for n in area_neighbours(engine(), results, str(start))
                          if n in options][:1]]


def choose_areas(results: Results) -> list[str]:
    """The multiselect (type to search) and a quick pick of the first area's neighbours."""
    options = area_options(results)
    chosen = st.session_state.get(AREAS_KEY)
    if not isinstance(chosen, list) or not set(chosen) <= set(options):
        st.session_state[AREAS_KEY] = _default(results, options)
    st.multiselect(tr(f"Gebiete (2 bis {MAX_AREAS}; das erste ist die Bezugsgröße)",
                      f"Areas (2 to {MAX_AREAS}; the first is the reference)"),
                   list(options), key=AREAS_KEY, format_func=options.__getitem__,
                   max_selections=MAX_AREAS)
    chosen = list(st.session_state[AREAS_KEY])
    near = [n for n in area_neighbours(engine(), results, chosen[0])
            if n in options and n not in chosen] if chosen else []
    if near and len(chosen) < MAX_AREAS:
        # a select, not one button per neighbour: button labels are Markdown, area names
        # are imported text and must stay plain
        names = {code: area_name(results, code) for code in near}
        st.selectbox(tr("Mit einem Nachbargebiet vergleichen (hinzufügen)",
                        "Compare with a neighbour (add)"), near, index=None,
                     key=NEIGHBOUR_KEY, format_func=names.__getitem__, on_change=_add_neighbour,
                     placeholder=tr(f"{len(near)} angrenzende Gebiete …",
                                    f"{len(near)} adjoining areas …"))
    return chosen


def show_area_radar(results: Results, codes: list[str]) -> None:
    options = area_options(results)
    labels = [c.label(lang()) for c in results.criteria]
    show_radar(labels, [area_series(results, c, options[c]) for c in codes],
               title=tr("Gebiete im Vergleich", "Areas compared"),
               file_name=file_stem("stadtraum_vergleich", *[options[c] for c in codes]),
               key="compare_radar")


def show_area_table(results: Results, codes: list[str]) -> None:
    options = area_options(results)
    frame = areas_compare(results, codes, lang())
    ref = options[codes[0]]
    headers = {"criterion": tr("Kriterium", "Criterion")}
    for i, code in enumerate(codes):
        headers[f"mean_{i}"] = f"{options[code]}: " + tr("Mittelwert", "mean")
    for i, code in enumerate(codes[1:], start=1):
        headers[f"diff_{i}"] = tr(f"Differenz {options[code]} − {ref}",
                                  f"Difference {options[code]} − {ref}")
        headers[f"hint_{i}"] = tr(f"Einschätzung {options[code]}", f"Assessment {options[code]}")
    frame = frame.round({c: 2 for c in frame.columns if c.startswith(("mean_", "diff_"))})
    show_table(frame, headers, file_name="stadtraum_vergleich_gebiete", key="compare_table")
    st.caption(tr("Differenz: positiv = besser bewertet als das erste Gebiet. Leere Zellen: zu "
                  f"wenige Antworten (n < {results.min_n}) in einem der Gebiete.",
                  "Difference: positive = rated better than the first area. Empty cells: too "
                  f"few responses (n < {results.min_n}) in one of the areas."))
