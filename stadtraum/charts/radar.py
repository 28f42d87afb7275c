"""The radar ("compass") chart of the 14 criteria: a pure plotly builder used app-wide.

One spoke per criterion in catalogue order, clockwise from the top; the radial axis is fixed
to 1..7 with the centre = 1 (a lot needs improving) and the edge = 7 (hardly anything needs
improving), so charts of different areas and waves read the same. A missing value (a
suppressed cell, "keine Angabe") is left out — the line breaks there — and the legend says
how many values are missing; no fake value is drawn. Each series differs in colour
(Okabe–Ito, colour-blind safe) *and* line dash *and* marker symbol. Every user-provided
string (series names, labels, title) is HTML-escaped, because plotly renders a subset of
HTML in text.
"""

from __future__ import annotations

import html
import math
import re
import textwrap
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import plotly.graph_objects as go

SCALE_MIN = 1
SCALE_MAX = 7
# Okabe–Ito: distinguishable with the common colour-vision deficiencies
COLOURS = ("#0072B2", "#E69F00", "#009E73", "#CC79A7", "#D55E00", "#56B4E9")
DASHES = ("solid", "dash", "dot", "dashdot", "longdash", "longdashdot")
SYMBOLS = ("circle", "square", "diamond", "triangle-up", "x", "star")
MAX_SERIES = len(COLOURS)
LABEL_WIDTH = 16  # characters per line of a spoke label


@dataclass(frozen=True)
class RadarSeries:
    name: str  # legend label
    values: Sequence[float | None]  # one per criterion, catalogue order; None = no value
    n: int | None = None  # shown in the legend/hover, e.g. "Quartier (n = 23)"


def plain(text: str) -> str:
    """``text`` safe for plotly's pseudo-HTML: ``<``, ``>`` and ``&`` as entities."""
    return html.escape(str(text), quote=False)


def wrap_label(label: str, width: int = LABEL_WIDTH) -> str:
    """A long German label on several lines (plotly breaks lines only at ``<br>``)."""
    lines = textwrap.wrap(str(label), width=width, break_long_words=False) or [""]
    return "<br>".join(plain(line) for line in lines)


def _number(value: float) -> str:
    return f"{value:.1f}".replace(".", ",")


def _clean(values: Sequence[float | None], k: int, name: str) -> list[float | None]:
    if len(values) != k:
        raise ValueError(f"series {name!r} has {len(values)} values for {k} criteria")
    out: list[float | None] = []
    for v in values:
        if v is None or (isinstance(v, float) and math.isnan(v)):
            out.append(None)  # NaN (e.g. from pandas) is "no value" as well
            continue
        fv = float(v)
        if not SCALE_MIN <= fv <= SCALE_MAX:
            raise ValueError(f"series {name!r}: value {v!r} outside {SCALE_MIN}..{SCALE_MAX}")
        out.append(fv)
    return out


def legend_name(series: RadarSeries, missing: int, total: int) -> str:
    """The escaped legend entry: name, n, and how many values are missing."""
    text = plain(series.name)
    if series.n is not None:
        text += f" (n = {series.n})"
    if missing:
        text += f" – ohne Wert: {missing} von {total}"
    return text


def _trace(labels: Sequence[str], theta: list[float], s: RadarSeries, i: int,
           large: bool) -> go.Scatterpolar:
    values = _clean(s.values, len(labels), s.name)
    missing = sum(v is None for v in values)
    head = plain(s.name) + (f" (n = {s.n})" if s.n is not None else "")
    hover = [f"{head}<br>{plain(label)}: {_number(v)}" if v is not None else ""
             for label, v in zip(labels, values, strict=True)]
    # closed polygon: repeat the first spoke at 360°; a None stays a gap (connectgaps off)
    return go.Scatterpolar(
        r=[*values, values[0]], theta=[*theta, 360.0], thetaunit="degrees",
        mode="lines+markers", connectgaps=False, name=legend_name(s, missing, len(values)),
        line={"color": COLOURS[i], "dash": DASHES[i], "width": 4 if large else 2.5},
        marker={"color": COLOURS[i], "symbol": SYMBOLS[i], "size": 13 if large else 8},
        hovertext=[*hover, hover[0]], hoverinfo="text", showlegend=True)


def radar_figure(labels: Sequence[str], series: Sequence[RadarSeries], *, title: str = "",
                 large: bool = False) -> go.Figure:
    """A radar of ``series`` over the criteria ``labels`` (catalogue order).

    Raises ``ValueError`` for a series of the wrong length, a value outside 1..7, no labels,
    or more series than there are distinct styles."""
    if not labels:
        raise ValueError("a radar needs at least one criterion")
    if len(series) > MAX_SERIES:
        raise ValueError(f"at most {MAX_SERIES} series can be told apart")
    k = len(labels)
    theta = [i * 360.0 / k for i in range(k)]
    font = 22 if large else 13
    tick_angle = 90 - 180 / k  # the 1..7 ticks between the first two spokes, off the data
    fig = go.Figure([_trace(labels, theta, s, i, large) for i, s in enumerate(series)])
    fig.update_layout(
        title={"text": plain(title)} if title else None,
        font={"size": font, "color": "#1a1a1a"},
        paper_bgcolor="white", height=760 if large else 540,
        margin={"l": 110 if large else 80, "r": 110 if large else 80, "t": 90 if title else 50,
                "b": 40},
        legend={"orientation": "h", "yanchor": "top", "y": -0.02, "x": 0.5,
                "xanchor": "center", "font": {"size": font - 2}},
        polar={
            "bgcolor": "white",
            "domain": {"y": [0.2 if large else 0.16, 1.0]},  # room for the legend below
            "radialaxis": {"range": [SCALE_MIN, SCALE_MAX], "tickvals": list(range(SCALE_MIN,
                           SCALE_MAX + 1)), "angle": tick_angle, "tickangle": tick_angle,
                           "gridcolor": "#c8c8c8", "linecolor": "#888",
                           "tickfont": {"size": font - 4}},
            "angularaxis": {"direction": "clockwise", "rotation": 90, "tickmode": "array",
                            "tickvals": theta, "ticktext": [wrap_label(x) for x in labels],
                            "gridcolor": "#c8c8c8", "linecolor": "#888",
                            "tickfont": {"size": font - 3}},
        },
    )
    return fig


def download_config(file_name: str) -> dict[str, Any]:
    """Config for ``st.plotly_chart``: plotly's own download button saves a PNG (twice the
    screen resolution) under ``file_name`` (made safe for file systems, no extension)."""
    stem = re.sub(r"\.png$", "", file_name.strip(), flags=re.IGNORECASE)
    safe = re.sub(r"[^\w\-]+", "_", stem).strip("_") or "stadtraum_radar"
    return {"displaylogo": False,
            "toImageButtonOptions": {"format": "png", "filename": safe[:100], "scale": 2}}
