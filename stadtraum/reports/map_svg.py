"""Pure: the reports' maps as SVG text — the excerpt around one area (highlighted, its
neighbours labelled) and the small choropleth per criterion of the city report.

Same projection and conventions as :mod:`stadtraum.maps.static_svg` (local equirectangular,
suppressed areas hatched, no external reference), but sized for a printed page. Every name is
XML-escaped here (the report data carries raw names).
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from typing import Any
from xml.sax.saxutils import escape

import shapely
from shapely.geometry import shape

from stadtraum.maps.colours import HATCH_GREY, NO_DATA_COLOUR, RATING_SCALE, SUPPRESSED_GREY
from stadtraum.maps.static_svg import polygon_rings
from stadtraum.reports.report_data import MapArea

__all__ = ["excerpt_svg", "legend_svg", "small_map_svg"]

_FONT = 'font-family="DejaVu Sans, Arial, Helvetica, sans-serif"'


def _text(value: object) -> str:
    return escape(str(value), {'"': "&quot;"})


class _Projection:
    def __init__(self, areas: Sequence[MapArea], width: float, max_h: float, pad: float):
        pts = [p for a in areas for ring in polygon_rings(a.geometry) for p in ring]
        xs, ys = [p[0] for p in pts] or [0.0], [p[1] for p in pts] or [0.0]
        self.kx = math.cos(math.radians((min(ys) + max(ys)) / 2))
        span_x = max((max(xs) - min(xs)) * self.kx, 1e-9)
        span_y = max(max(ys) - min(ys), 1e-9)
        self.scale = min((width - 2 * pad) / span_x, (max_h - 2 * pad) / span_y)
        self.x0, self.y1, self.pad = min(xs), max(ys), pad
        self.height = span_y * self.scale + 2 * pad

    def xy(self, lon: float, lat: float) -> tuple[float, float]:
        return (self.pad + (lon - self.x0) * self.kx * self.scale,
                self.pad + (self.y1 - lat) * self.scale)

    def path(self, geometry: Mapping[str, Any]) -> str:
        def pt(p: list[float]) -> str:
            x, y = self.xy(p[0], p[1])
            return f"{x:.1f},{y:.1f}"
        return " ".join("M" + " L".join(pt(p) for p in ring) + " Z"
                        for ring in polygon_rings(geometry))


_HATCH = ('<defs><pattern id="{id}" width="6" height="6" patternUnits="userSpaceOnUse" '
          'patternTransform="rotate(45)">'
          f'<rect width="6" height="6" fill="{SUPPRESSED_GREY}"/>'
          f'<line x1="0" y1="0" x2="0" y2="6" stroke="{HATCH_GREY}" stroke-width="2"/>'
          "</pattern></defs>")


def excerpt_svg(areas: Sequence[MapArea], *, colour: str, width: int = 560,
                max_height: int = 250) -> str:
    """The area (role ``area``) filled in ``colour``, its neighbours light with their names."""
    if not areas:
        return ""
    proj = _Projection(areas, width, max_height, 14)
    height = int(proj.height)
    out = [f'<svg xmlns="http://www.w3.org/2000/svg" class="sr-map" width="{width}" '
           f'height="{height}" viewBox="0 0 {width} {height}" role="img" '
           'aria-label="Kartenausschnitt">',
           f'<rect width="{width}" height="{height}" fill="#ffffff"/>']
    ordered = sorted(areas, key=lambda a: (a.role == "area", a.code))
    for a in ordered:
        mine = a.role == "area"
        out.append(f'<path class="sr-area sr-{"focus" if mine else "neighbour"}" '
                   f'data-code="{_text(a.code)}" d="{proj.path(a.geometry)}" '
                   f'fill="{_text(colour) if mine else "#eeeeee"}" '
                   f'fill-opacity="{"0.85" if mine else "1"}" fill-rule="evenodd" '
                   f'stroke="{"#111111" if mine else "#777777"}" '
                   f'stroke-width="{"2.2" if mine else "0.8"}"/>')
    for a in ordered:
        p = shape(a.geometry).point_on_surface()
        x, y = proj.xy(p.x, p.y)
        attrs = (f'x="{x:.1f}" y="{y:.1f}" text-anchor="middle" {_FONT} '
                 f'font-size="{11 if a.role == "area" else 9}"'
                 + (' font-weight="bold"' if a.role == "area" else ""))
        # a white halo under the name (drawn first), then the name itself
        out.append(f'<text {attrs} fill="#ffffff" stroke="#ffffff" stroke-width="3">'
                   f"{_text(a.name)}</text>")
        out.append(f'<text class="sr-map-label" {attrs} fill="#111111">{_text(a.name)}</text>')
    out.append("</svg>")
    return "\n".join(out)


def small_map_svg(areas: Sequence[MapArea], *, title: str, key: str,
                  width: int = 220, max_height: int = 200) -> str:
    """A small choropleth on the rating scale; ``key`` makes the hatch pattern's id unique
    within the page (several maps share one HTML document)."""
    proj = _Projection(areas, width, max_height, 4)
    height = int(proj.height) + 22
    hatch = f"sr-hatch-{_text(key)}"
    out = [f'<svg xmlns="http://www.w3.org/2000/svg" class="sr-small-map" width="{width}" '
           f'height="{height}" viewBox="0 0 {width} {height}" role="img" '
           f'aria-label="{_text(title)}">', _HATCH.format(id=hatch),
           f'<text x="4" y="14" {_FONT} font-size="10" font-weight="bold" fill="#111111">'
           f"{_text(title)}</text>", '<g transform="translate(0,20)">']
    for a in areas:
        fill = (f"url(#{hatch})" if a.suppressed else
                RATING_SCALE.colour_for(a.value) or NO_DATA_COLOUR)
        out.append(f'<path class="sr-area" data-code="{_text(a.code)}" '
                   f'd="{proj.path(a.geometry)}" fill="{fill}" fill-rule="evenodd" '
                   'stroke="#424242" stroke-width="0.5"/>')
    out.append("</g></svg>")
    return "\n".join(out)


def legend_svg(suppressed_label: str, width: int = 640) -> str:
    """The rating scale's bins and the hatched entry, in one row."""
    bins = RATING_SCALE.bins
    step = (width - 10) / (len(bins) + 2)
    out = [f'<svg xmlns="http://www.w3.org/2000/svg" class="sr-legend" width="{width}" '
           f'height="30" viewBox="0 0 {width} 30">', _HATCH.format(id="sr-hatch-legend")]
    entries = [(b.colour, b.label("de")) for b in bins] + [("url(#sr-hatch-legend)",
                                                            suppressed_label)]
    for i, (fill, label) in enumerate(entries):
        x = 5 + i * step
        out.append(f'<rect x="{x:.1f}" y="4" width="16" height="12" fill="{fill}" '
                   f'stroke="#555555"/><text x="{x + 20:.1f}" y="14" {_FONT} font-size="9" '
                   f'fill="#111111">{_text(label)}</text>')
    out.append("</svg>")
    return "\n".join(out)


def simplify_for_small(geometry: Mapping[str, Any], tolerance: float = 0.0004) -> dict[str, Any]:
    """A coarser copy for the small maps (fewer points, smaller PDF)."""
    geom = shapely.simplify(shape(dict(geometry)), tolerance, preserve_topology=True)
    return dict(shapely.geometry.mapping(geom))
