"""Fokusgruppe – Projektoransicht: the group's radar next to the area's and the city's survey
result, with the table beside it, in large type and without the sidebar.

Every text that comes from users (title, area name, criterion labels, numbers) is HTML-escaped
before it goes into ``st.html``; the radar escapes its own texts.
"""

from __future__ import annotations

from html import escape

import pandas as pd
import streamlit as st

from stadtraum.charts import download_config, radar_figure
from stadtraum.focus.group_view import GroupView, view_table

PROJECTOR_CSS = """
<style>
section[data-testid="stSidebar"], div[data-testid="stSidebarCollapsedControl"],
button[data-testid="stExpandSidebarButton"], header[data-testid="stHeader"],
div[data-testid="stElementToolbar"], div.modebar-container { display: none; }
div.block-container { padding-top: 1rem; max-width: 100%; }
.fg-head h1 { font-size: 2.6rem; margin: 0; }
.fg-head p { font-size: 1.5rem; margin: 0.2rem 0 0.6rem 0; }
table.fg-table { font-size: 1.35rem; border-collapse: collapse; width: 100%; }
table.fg-table th, table.fg-table td { padding: 0.35rem 0.6rem; border-bottom: 1px solid #bbb; }
table.fg-table td.num { text-align: right; font-variant-numeric: tabular-nums; }
table.fg-table td.note { font-size: 1.05rem; color: #444; }
.fg-rule { font-size: 1.3rem; }
</style>
"""


def _cell(value: object) -> str:
    if value is None or (isinstance(value, float) and pd.isna(value)):
        return "–"
    if isinstance(value, float):
        return f"{value:.1f}".replace(".", ",")
    return escape(str(value), quote=False)


def table_html(frame: pd.DataFrame) -> str:
    """An HTML table (large type) of ``frame``; every header and cell is escaped."""
    head = "".join(f"<th scope='col'>{escape(str(c), quote=False)}</th>" for c in frame.columns)
    body = []
    for row in frame.itertuples(index=False):
        cells = [f"<th scope='row'>{_cell(row[0])}</th>"]
        for col, value in zip(frame.columns[1:], row[1:], strict=True):
            kind = "note" if col in ("Hinweis", "Note") else (
                "num" if not isinstance(value, str) else "")
            cells.append(f"<td class='{kind}'>{_cell(value)}</td>")
        body.append("<tr>" + "".join(cells) + "</tr>")
    return (f"<table class='fg-table'><thead><tr>{head}</tr></thead>"
            f"<tbody>{''.join(body)}</tbody></table>")


def header_html(view: GroupView) -> str:
    info = view.info
    return (f"<div class='fg-head'><h1>{escape(info.title, quote=False)}</h1>"
            f"<p>{escape(info.area_name, quote=False)} · {info.held_on:%d.%m.%Y} · "
            f"{info.participants} Teilnehmende</p></div>")


def rule_text(view: GroupView, lang: str = "de") -> str:
    if lang == "en":
        return (f"The group's values are always shown (its own ratings). The area's and the "
                f"city's values come from the survey (without focus groups) and follow the "
                f"confidentiality rule: criteria with fewer than {view.min_n} responses are not "
                f"shown (–). Scale 1 = a lot needs improving (centre) to 7 = hardly anything "
                f"needs improving (edge).")
    return (f"Die Werte der Gruppe werden immer gezeigt (ihre eigene Bewertung). Die Werte des "
            f"Gebiets und der Gesamtstadt stammen aus der Befragung (ohne Fokusgruppen) und "
            f"folgen der Geheimhaltungsregel: Themen mit weniger als {view.min_n} Antworten "
            f"werden nicht gezeigt (–). Skala 1 = großer Verbesserungsbedarf (Mitte) bis 7 = "
            f"kaum Verbesserungsbedarf (Rand).")


def render(view: GroupView, lang: str = "de") -> None:
    st.html(PROJECTOR_CSS)
    st.html(header_html(view))
    left, right = st.columns([3, 2], gap="large")
    fig = radar_figure(view.labels(lang), view.radar_series(lang), large=True)
    left.plotly_chart(fig, theme=None, key="fg_radar", config=download_config(
        f"Fokusgruppe_{view.info.area_name}_{view.info.held_on:%Y-%m-%d}"))
    right.html(table_html(view_table(view, lang)))
    st.html(f"<p class='fg-rule'>{escape(rule_text(view, lang), quote=False)}</p>")
