"""The radar ("compass") chart as pure SVG text, for the printable reports.

Drawn from the same data as the plotly radar (:class:`~stadtraum.charts.radar.RadarSeries`,
catalogue order, clockwise from the top, radial axis fixed to 1..7 with the centre = 1), with
the same colours, dashes and marker shapes, so a printed chart reads like the one on screen.
Plotly writes SVG only through kaleido, which needs a browser; this builder needs nothing.

A missing value (a suppressed cell) is a gap: the line breaks there and no point is drawn;
the legend says how many values are missing and a note under the chart says why. Every text
(area names are user text) is XML-escaped. The output is deterministic: the same input gives
the same bytes.
"""

from __future__ import annotations

import math
import textwrap
from collections.abc import Sequence
from xml.sax.saxutils import escape

from stadtraum.charts.radar import COLOURS, MAX_SERIES, SCALE_MAX, SCALE_MIN, RadarSeries, _clean

__all__ = ["axis_point", "radar_svg"]

_FONT = 'font-family="DejaVu Sans, Arial, Helvetica, sans-serif"'
_DASH = ("", "8 4", "2 4", "8 4 2 4", "14 5", "14 5 2 5")
_LABEL_CHARS = 18


def _text(value: object) -> str:
    return escape(str(value), {'"': "&quot;"})


def axis_point(cx: float, cy: float, radius: float, k: int, axis: int,
               value: float) -> tuple[float, float]:
    """Where ``value`` (1..7) lies on spoke ``axis`` of ``k`` (clockwise from the top)."""
    r = radius * (value - SCALE_MIN) / (SCALE_MAX - SCALE_MIN)
    angle = 2 * math.pi * axis / k
    return round(cx + r * math.sin(angle), 1), round(cy - r * math.cos(angle), 1)


def _pts(points: Sequence[tuple[float, float]]) -> str:
    return " ".join(f"{x:.1f},{y:.1f}" for x, y in points)


def _runs(values: Sequence[float | None]) -> list[list[int]]:
    """Axis indices of the unbroken stretches of a closed ring (a run may wrap around)."""
    k = len(values)
    if all(v is not None for v in values):
        return [list(range(k))]
    start = next((i for i, v in enumerate(values) if v is None), 0)
    runs: list[list[int]] = []
    current: list[int] = []
    for step in range(1, k + 1):
        i = (start + step) % k
        if values[i] is None:
            if current:
                runs.append(current)
            current = []
        else:
            current.append(i)
    if current:
        runs.append(current)
    return runs


def _marker(shape: int, x: float, y: float, colour: str, axis: int, value: float) -> str:
    data = f'class="sr-point" data-axis="{axis}" data-value="{value:.3f}"'
    if shape % 3 == 1:
        return (f'<rect {data} x="{x - 3.5:.1f}" y="{y - 3.5:.1f}" width="7" height="7" '
                f'fill="{colour}"/>')
    if shape % 3 == 2:
        return (f'<polygon {data} points="{x:.1f},{y - 4.5:.1f} {x + 4.5:.1f},{y:.1f} '
                f'{x:.1f},{y + 4.5:.1f} {x - 4.5:.1f},{y:.1f}" fill="{colour}"/>')
    return f'<circle {data} cx="{x:.1f}" cy="{y:.1f}" r="3.8" fill="{colour}"/>'


def _label(cx: float, cy: float, radius: float, k: int, axis: int, label: str) -> str:
    x, y = axis_point(cx, cy, radius + 14, k, axis, SCALE_MAX)
    dx = x - cx
    anchor = "middle" if abs(dx) < 8 else ("start" if dx > 0 else "end")
    lines = textwrap.wrap(label, _LABEL_CHARS, break_long_words=False) or [""]
    top = y - 6 * (len(lines) - 1) + (4 if y > cy + 8 else (-2 if y < cy - 8 else 3))
    if y < cy - radius * 0.9:
        top -= 6 * (len(lines) - 1)
    spans = "".join(f'<tspan x="{x:.1f}" y="{top + 12 * i:.1f}">{_text(line)}</tspan>'
                    for i, line in enumerate(lines))
    return (f'<text class="sr-axis-label" data-axis="{axis}" text-anchor="{anchor}" {_FONT} '
            f'font-size="10" fill="#1a1a1a">{spans}</text>')


def radar_svg(labels: Sequence[str], series: Sequence[RadarSeries], *, title: str = "",
              min_n: int | None = None, width: int = 560) -> str:
    """The SVG text of a radar of ``series`` over ``labels`` (catalogue order).

    Raises ``ValueError`` like :func:`stadtraum.charts.radar.radar_figure` (wrong length,
    a value outside 1..7, no labels, too many series)."""
    if not labels:
        raise ValueError("a radar needs at least one criterion")
    if len(series) > MAX_SERIES:
        raise ValueError(f"at most {MAX_SERIES} series can be told apart")
    k = len(labels)
    cleaned = [_clean(s.values, k, s.name) for s in series]
    top = 34 if title else 10
    radius = width * 0.27
    cx, cy = width / 2, top + radius + 46
    legend_y = cy + radius + 52
    missing_any = any(v is None for vals in cleaned for v in vals)
    height = int(legend_y + 20 * len(series) + (34 if missing_any else 8))
    out = [f'<svg xmlns="http://www.w3.org/2000/svg" class="sr-radar" width="{width}" '
           f'height="{height}" viewBox="0 0 {width} {height}" role="img" '
           f'aria-label="{_text(title or "Netzdiagramm")}">',
           f"<title>{_text(title or 'Netzdiagramm')}</title>",
           f'<rect width="{width}" height="{height}" fill="#ffffff"/>']
    if title:
        out.append(f'<text x="{width / 2:.1f}" y="22" text-anchor="middle" {_FONT} '
                   f'font-size="15" font-weight="bold" fill="#111111">{_text(title)}</text>')
    for level in range(SCALE_MIN, SCALE_MAX + 1):  # grid rings and their ticks
        ring = [axis_point(cx, cy, radius, k, a, level) for a in range(k)]
        if level > SCALE_MIN:
            out.append(f'<polygon class="sr-grid" points="{_pts(ring)}" fill="none" '
                       f'stroke="#c8c8c8" stroke-width="0.8"/>')
        tx, ty = axis_point(cx, cy, radius, 2 * k, 1, level)
        out.append(f'<text x="{tx + 2:.1f}" y="{ty + 3:.1f}" {_FONT} font-size="8" '
                   f'fill="#666666">{level}</text>')
    for a in range(k):
        ex, ey = axis_point(cx, cy, radius, k, a, SCALE_MAX)
        out.append(f'<line x1="{cx:.1f}" y1="{cy:.1f}" x2="{ex:.1f}" y2="{ey:.1f}" '
                   f'stroke="#c8c8c8" stroke-width="0.8"/>')
        out.append(_label(cx, cy, radius, k, a, str(labels[a])))
    for i, (s, vals) in enumerate(zip(series, cleaned, strict=True)):
        colour, dash = COLOURS[i], _DASH[i]
        style = (f'fill="none" stroke="{colour}" stroke-width="2.2"'
                 + (f' stroke-dasharray="{dash}"' if dash else ""))
        pts = {a: axis_point(cx, cy, radius, k, a, v) for a, v in enumerate(vals)
               if v is not None}
        out.append(f'<g class="sr-series" data-series="{i}" data-name="{_text(s.name)}">')
        for run in _runs(vals):
            if len(run) == k:
                out.append(f'<polygon class="sr-line" points="{_pts([pts[a] for a in run])}" '
                           f"{style}/>")
            elif len(run) > 1:
                out.append(f'<polyline class="sr-line" points="{_pts([pts[a] for a in run])}" '
                           f"{style}/>")
        for a, v in enumerate(vals):
            if v is not None:
                out.append(_marker(i, *pts[a], colour, a, v))
        out.append("</g>")
    for i, (s, vals) in enumerate(zip(series, cleaned, strict=True)):
        y = legend_y + 20 * i
        gaps = sum(v is None for v in vals)
        text = s.name + (f" (n = {s.n})" if s.n is not None else "")
        if gaps:
            text += f" – ohne Wert: {gaps} von {k}"
        dash = f' stroke-dasharray="{_DASH[i]}"' if _DASH[i] else ""
        out.append(f'<line x1="40" y1="{y - 4:.1f}" x2="76" y2="{y - 4:.1f}" '
                   f'stroke="{COLOURS[i]}" stroke-width="2.2"{dash}/>'
                   f'{_marker(i, 58, y - 4, COLOURS[i], -1, 0.0).replace("sr-point", "sr-key")}'
                   f'<text class="sr-legend" x="84" y="{y:.1f}" {_FONT} font-size="11" '
                   f'fill="#1a1a1a">{_text(text)}</text>')
    if missing_any:
        rule = f" (n < {min_n})" if min_n is not None else ""
        out.append(f'<text class="sr-gap-note" x="40" y="{height - 12}" {_FONT} '
                   f'font-size="10" fill="#333333">Lücken in einer Linie: dort ist der Wert '
                   f"verborgen, weil zu wenige Antworten vorliegen{_text(rule)}.</text>")
    out.append(f'<text x="{width - 10}" y="{height - 12 if not missing_any else height - 26}" '
               f'text-anchor="end" {_FONT} font-size="9" fill="#666666">Mitte = 1 (großer '
               "Verbesserungsbedarf), Rand = 7 (kaum Verbesserungsbedarf)</text>")
    out.append("</svg>")
    return "\n".join(out)
