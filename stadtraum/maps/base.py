"""The empty map every area map starts from: local Leaflet, optional tiles, hatch pattern."""

from __future__ import annotations

import html
from collections.abc import Iterator
from typing import Any

import folium
from branca.element import Element

from stadtraum.maps.assets import COMPONENT_BASE, use_local_assets
from stadtraum.maps.basemap import basemap
from stadtraum.maps.colours import HATCH_GREY, SUPPRESSED_GREY

__all__ = ["HATCH_FILL", "HATCH_ID", "base_map", "escape", "fit", "geojson_bounds"]

HATCH_ID = "sr-hatch"
HATCH_FILL = f"url(#{HATCH_ID})"  # a Leaflet fillColor that paints the hatch pattern

# An SVG pattern in the map document instead of folium's StripePattern (a plugin that
# streamlit-folium would fetch from a CDN). Leaflet's SVG renderer writes fillColor into the
# path's ``fill`` attribute, and url(#id) resolves against any inline SVG in the document.
_HATCH_SVG = (
    '<svg width="0" height="0" style="position:absolute" aria-hidden="true" focusable="false">'
    f'<defs><pattern id="{HATCH_ID}" patternUnits="userSpaceOnUse" width="8" height="8" '
    'patternTransform="rotate(45)">'
    f'<rect width="8" height="8" fill="{SUPPRESSED_GREY}"/>'
    f'<line x1="0" y1="0" x2="0" y2="8" stroke="{HATCH_GREY}" stroke-width="5"/>'
    "</pattern></defs></svg>")


# Our own CSS in the map document: area labels (permanent tooltips without a box, one word
# per line, broken only at spaces and hyphens, so long names take less width), and no
# focus rectangle around a tapped area (keyboard focus keeps its ring). streamlit-folium
# inserts this inline style before the map script runs, but leaflet.css may still be loading:
# a label measured before it is absolutely positioned would be as wide as the map and be
# placed off-centre, hence ``position: absolute`` here too.
_MAP_CSS = """<style>
.leaflet-tooltip.sr-label { position: absolute; background: transparent; border: 0;
  box-shadow: none; padding: 0; font-size: 12px; font-weight: 600; color: #102a43;
  white-space: normal; width: min-content; text-align: center; line-height: 1.15;
  overflow-wrap: normal;
  text-shadow: 0 0 3px #fff, 0 0 3px #fff, 0 0 2px #fff; }
.leaflet-tooltip.sr-label::before { display: none; }
.leaflet-container path.leaflet-interactive:focus:not(:focus-visible) { outline: none; }
</style>"""


def escape(text: object) -> str:
    """HTML-escape user text (area names, codes) before it goes into folium (DESIGN §6)."""
    return html.escape("" if text is None else str(text), quote=True)


def _points(coords: Any) -> Iterator[tuple[float, float]]:
    if coords and isinstance(coords[0], int | float):
        yield float(coords[0]), float(coords[1])
        return
    for part in coords or []:
        yield from _points(part)


def geojson_bounds(geojson: dict[str, Any]) -> list[list[float]] | None:
    """``[[south, west], [north, east]]`` of all features (Leaflet order), None if empty."""
    xs: list[float] = []
    ys: list[float] = []
    for feature in geojson.get("features", []):
        geometry = feature.get("geometry") or {}
        for x, y in _points(geometry.get("coordinates")):
            xs.append(x)
            ys.append(y)
    if not xs:
        return None
    return [[min(ys), min(xs)], [max(ys), max(xs)]]


def base_map(bounds: list[list[float]] | None, basemap_key: str = "none",
             asset_base: str = COMPONENT_BASE) -> folium.Map:
    """A folium map centred on ``bounds`` that loads nothing from outside the app (except
    the tiles of a configured base map); add the layers, then :func:`fit` it."""
    choice = basemap(basemap_key)
    center = ([(bounds[0][0] + bounds[1][0]) / 2, (bounds[0][1] + bounds[1][1]) / 2]
              if bounds else [51.0, 10.0])
    # SVG (not canvas: the hatch pattern needs it); quarter zoom steps fit the areas tighter
    m = folium.Map(location=center, zoom_start=12, tiles=None, control_scale=True,
                   prefer_canvas=False, max_zoom=choice.max_zoom, zoom_snap=0.25,
                   zoom_delta=0.5)
    use_local_assets(m, asset_base)
    if choice.url is not None:
        folium.TileLayer(tiles=choice.url, attr=choice.attribution, name=choice.label_de,
                         max_zoom=choice.max_zoom, control=False).add_to(m)
    root: Any = m.get_root()  # a branca Figure
    root.html.add_child(Element(_HATCH_SVG), name="sr_hatch_pattern")
    root.header.add_child(Element(_MAP_CSS), name="sr_map_css")
    return m


def fit(m: folium.Map, bounds: list[list[float]] | None) -> folium.Map:
    """Fit the view to ``bounds``; call it after the layers are added (the fit then moves
    them, permanent labels included, to the final view)."""
    if bounds:
        m.fit_bounds(bounds)
    return m
