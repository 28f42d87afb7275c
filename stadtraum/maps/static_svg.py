"""Pure: a choropleth as a static SVG image for reports (title, areas, legend, note).

Input is the output of :func:`stadtraum.maps.choropleth.choropleth_geojson` (EPSG:4326,
properties ``name``, ``label``, ``colour``, ``suppressed``) and a
:class:`~stadtraum.maps.legend.Legend`. Coordinates are projected with a local
equirectangular projection (x scaled by cos of the mean latitude), which is exact enough for
one city. Every text is XML-escaped here; names and labels arrive HTML-escaped from the
choropleth builder and are unescaped first, so ``&`` shows as ``&`` and not ``&amp;amp;``.
No external reference (fonts, images, scripts): the file opens anywhere, offline.
"""

from __future__ import annotations

import html
import math
from collections.abc import Iterator, Mapping
from typing import Any
from xml.sax.saxutils import escape as xml_escape

from stadtraum.maps.colours import HATCH_GREY, NO_DATA_COLOUR, SUPPRESSED_GREY
from stadtraum.maps.legend import Legend

__all__ = ["polygon_rings", "static_svg"]

_FONT = "font-family=\"DejaVu Sans, Arial, Helvetica, sans-serif\""


def _text(value: object) -> str:
    return xml_escape(html.unescape(str(value if value is not None else "")),
                      {'"': "&quot;"})


def polygon_rings(geometry: Mapping[str, Any]) -> Iterator[list[list[float]]]:
    """Every ring of a GeoJSON Polygon or MultiPolygon (other types: none)."""
    if geometry["type"] == "Polygon":
        yield from geometry["coordinates"]
    elif geometry["type"] == "MultiPolygon":
        for polygon in geometry["coordinates"]:
            yield from polygon


def static_svg(features: Mapping[str, Any], legend: Legend, *, title: str,
               subtitle: str = "", note: str = "", width: int = 900) -> str:
    """The SVG text: title and subtitle on top, the map, the legend on the right."""
    feats = [f for f in features.get("features", []) if f.get("geometry")]
    points = [p for f in feats for ring in polygon_rings(f["geometry"]) for p in ring]
    map_w, top, pad = width - 300, 70 if subtitle else 50, 12
    if points:
        xs, ys = [p[0] for p in points], [p[1] for p in points]
        kx = math.cos(math.radians((min(ys) + max(ys)) / 2))
        span_x, span_y = max((max(xs) - min(xs)) * kx, 1e-9), max(max(ys) - min(ys), 1e-9)
        scale = min((map_w - 2 * pad) / span_x, 640 / span_y)  # at most 640 px high
        map_h = max(int(span_y * scale) + 2 * pad, 200)
        x0, y1 = min(xs), max(ys)
    else:
        kx, scale, map_h, x0, y1 = 1.0, 1.0, 200, 0.0, 0.0
    height = top + max(map_h, 40 + 26 * len(legend.entries)) + (40 if note else 16)

    def xy(p: list[float]) -> str:
        return f"{pad + (p[0] - x0) * kx * scale:.1f},{top + pad + (y1 - p[1]) * scale:.1f}"

    out = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
           f'viewBox="0 0 {width} {height}" role="img" aria-label="{_text(title)}">',
           f"<title>{_text(title)}</title>",
           '<defs><pattern id="sr-hatch" width="8" height="8" patternUnits="userSpaceOnUse" '
           'patternTransform="rotate(45)">'
           f'<rect width="8" height="8" fill="{SUPPRESSED_GREY}"/>'
           f'<line x1="0" y1="0" x2="0" y2="8" stroke="{HATCH_GREY}" stroke-width="3"/>'
           "</pattern></defs>",
           f'<rect width="{width}" height="{height}" fill="#ffffff"/>',
           f'<text x="{pad}" y="30" {_FONT} font-size="20" font-weight="bold" '
           f'fill="#111111">{_text(title)}</text>']
    if subtitle:
        out.append(f'<text x="{pad}" y="54" {_FONT} font-size="13" fill="#333333">'
                   f"{_text(subtitle)}</text>")
    for f in feats:
        props = f.get("properties") or {}
        fill = ("url(#sr-hatch)" if props.get("suppressed") else
                _text(props.get("colour") or NO_DATA_COLOUR))
        d = " ".join("M" + " L".join(xy(p) for p in ring) + " Z"
                     for ring in polygon_rings(f["geometry"]))
        out.append(f'<path class="sr-area" data-code="{_text(props.get("code"))}" d="{d}" '
                   f'fill="{fill}" fill-rule="evenodd" stroke="#424242" stroke-width="1">'
                   f"<title>{_text(props.get('name'))}: {_text(props.get('label'))}</title>"
                   "</path>")
    lx, ly = map_w + 10, top + 10
    out.append(f'<text x="{lx}" y="{ly + 4}" {_FONT} font-size="14" font-weight="bold" '
               f'fill="#111111">{_text(legend.title)}</text>')
    for i, e in enumerate(legend.entries):
        y = ly + 18 + 26 * i
        fill = "url(#sr-hatch)" if e.hatched else _text(e.colour)
        out.append(f'<rect class="sr-swatch" x="{lx}" y="{y}" width="26" height="18" '
                   f'fill="{fill}" stroke="#555555"/>'
                   f'<text x="{lx + 34}" y="{y + 14}" {_FONT} font-size="12" fill="#111111">'
                   f"{_text(e.label)}</text>")
    if note:
        out.append(f'<text x="{pad}" y="{height - 14}" {_FONT} font-size="11" '
                   f'fill="#333333">{_text(note)}</text>')
    out.append("</svg>")
    return "\n".join(out)
