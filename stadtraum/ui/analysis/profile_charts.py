"""Widgets shared by the area profile and the comparison: the area choice, a radar with
plotly's own download button, a table with a formula-safe CSV download, plain-text output.

User text (area names, comments) is never given to Markdown or raw HTML: tables go through
``st.dataframe``, free text through ``st.text``, headings through :func:`plain_heading`
(HTML-escaped; Markdown would turn a URL in a name into a link even when escaped).
"""

from __future__ import annotations

import html
import re
from collections.abc import Mapping, Sequence

import pandas as pd
import streamlit as st

from stadtraum.analysis.results import CITY_CODE, Results
from stadtraum.charts.radar import RadarSeries, download_config, radar_figure
from stadtraum.exports.spreadsheet import safe_frame
from stadtraum.ui.i18n import lang
from stadtraum.ui.presentation import is_presenting

__all__ = ["area_options", "choose_area", "file_stem", "plain_heading", "show_radar",
           "show_table", "tr"]


def tr(de: str, en: str) -> str:
    return en if lang() == "en" else de


def file_stem(*parts: str) -> str:
    """A file name from names (``stadtraum_gebietsprofil_Quartier_101``), safe everywhere."""
    text = "_".join(p for p in parts if p)
    return re.sub(r"[^\w\-]+", "_", text).strip("_")[:100] or "stadtraum"


def plain_heading(text: str) -> None:
    """A second-level heading showing ``text`` literally."""
    st.html(f'<h2 class="sr-plain-heading" style="margin:0.5rem 0">{html.escape(str(text))}</h2>')


def area_options(results: Results, *, city: bool = True) -> dict[str, str]:
    """Area code -> "name (level)" for every area of every level (the city last)."""
    out: dict[str, str] = {}
    for table in results.levels[:-1]:
        for code, name in zip(table.areas["code"], table.areas["name"], strict=True):
            out.setdefault(str(code), f"{name} ({table.name})")
    if city:
        out[CITY_CODE] = tr("Gesamtstadt", "Whole city")
    return out


def choose_area(results: Results, key: str, label: str, *, city: bool = True,
                state_key: str | None = None) -> str:
    """A searchable select of all areas (type to search); ``state_key`` (e.g.
    "profile_area") is read as the preselection and written with the choice."""
    options = area_options(results, city=city)
    codes = list(options)
    wanted = st.session_state.get(state_key) if state_key else None
    valid = wanted is not None and str(wanted) in options
    # a new request from outside (e.g. the map), or the widget's value was forgotten
    if valid and (st.session_state.get(f"{key}__from") != wanted
                  or st.session_state.get(key) not in options):
        st.session_state[key] = str(wanted)
    elif st.session_state.get(key) not in options:
        st.session_state[key] = codes[0]
    code = str(st.selectbox(label, codes, key=key, format_func=options.__getitem__))
    if state_key:
        st.session_state[state_key] = code
        st.session_state[f"{key}__from"] = code
    return code


def show_radar(labels: Sequence[str], series: Sequence[RadarSeries], *, title: str,
               file_name: str, key: str) -> None:
    """The radar (large while presenting) with plotly's PNG download under ``file_name``."""
    fig = radar_figure(labels, series, title=title, large=is_presenting())
    st.plotly_chart(fig, config=download_config(file_name), key=key, width="stretch")


def show_table(frame: pd.DataFrame, headers: Mapping[str, str], *, file_name: str,
               key: str) -> None:
    """``frame``'s ``headers`` columns under their display names, and the same as CSV
    (formula-safe, suppressed cells empty as in the table)."""
    shown = frame[list(headers)].rename(columns=dict(headers))
    st.dataframe(shown, hide_index=True, width="stretch", key=key)
    st.download_button(tr("Tabelle als CSV herunterladen", "Download table as CSV"),
                       safe_frame(shown).to_csv(index=False).encode("utf-8"),
                       file_name=f"{file_stem(file_name)}.csv", mime="text/csv",
                       key=f"{key}_csv")
