"""Choropleth: display GeoJSON + one value per area -> a folium map (DESIGN §6).

Colours come from a fixed scale (:mod:`stadtraum.maps.colours`); a suppressed area is grey
and hatched, with no value and no exact n; the tooltip shows name, value and n. Every text
that reaches folium is HTML-escaped here, because folium's tooltips insert properties as
HTML.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import folium

from stadtraum.analysis.suppression import suppressed_text
from stadtraum.maps.assets import COMPONENT_BASE
from stadtraum.maps.base import HATCH_FILL, base_map, escape, fit, geojson_bounds
from stadtraum.maps.colours import NO_DATA_COLOUR, RATING_SCALE, ColourScale, decimal_de

__all__ = ["TOOLTIP_CSS", "AreaValue", "area_style", "choropleth_geojson", "choropleth_map"]

TOOLTIP_CSS = "font-size: 1rem; padding: 4px;"


@dataclass(frozen=True)
class AreaValue:
    """The figure of one area as the statistics engine published it.

    ``suppressed`` areas carry neither value nor n (see :func:`area_values` in
    :mod:`stadtraum.maps.area_values`).
    """

    value: float | None
    n: int | None
    suppressed: bool


def _number(value: float, lang: str, signed: bool) -> str:
    """``4,3`` / ``4.3``; with ``signed`` ``+0,4`` and ``−0,4`` (zero has no sign)."""
    text = decimal_de(value)
    if lang == "en":
        text = text.replace(",", ".")
    if signed and not text.startswith("-") and text.strip("0.,") != "":
        text = "+" + text
    return text.replace("-", "−")


def _label(v: AreaValue | None, *, min_n: int, lang: str, what: str, signed: bool) -> str:
    if v is None or v.suppressed:
        return suppressed_text(min_n, lang) if v is not None else (
            "no responses" if lang == "en" else "keine Antworten")
    if v.value is None or math.isnan(v.value):
        return "no figure" if lang == "en" else "kein Wert"
    n = "" if v.n is None else f" · n = {v.n}"
    return f"{what} {_number(v.value, lang, signed)}{n}"


def choropleth_geojson(display: Mapping[str, Any], values: Mapping[str, AreaValue], *,
                       scale: ColourScale = RATING_SCALE, min_n: int, lang: str = "de",
                       what: str | None = None) -> dict[str, Any]:
    """A new FeatureCollection for :func:`choropleth_map` (``display`` is not changed).

    Properties per area: ``code``, ``name`` (HTML-escaped), ``value`` (None if suppressed),
    ``n`` (None if suppressed), ``suppressed``, ``label`` (escaped tooltip text) and
    ``colour`` (fill colour from ``scale``; None when there is no value). Features without
    geometry are left out (they cannot be drawn or clicked).
    """
    what = what or ("mean" if lang == "en" else "Mittelwert")
    signed = scale.lo < 0
    features: list[dict[str, Any]] = []
    for feature in display.get("features", []):
        if not feature.get("geometry"):
            continue
        props = feature.get("properties") or {}
        code = str(props.get("code"))
        v = values.get(code)
        hidden = v is None or v.suppressed
        value = None if hidden or v is None else v.value
        if value is not None and math.isnan(value):
            value = None
        features.append({
            "type": "Feature", "id": str(len(features)),
            "properties": {
                "code": code,
                "name": escape(props.get("name")),
                "value": value,
                "n": None if hidden or v is None else v.n,
                "suppressed": bool(v is not None and v.suppressed),
                "label": escape(_label(v, min_n=min_n, lang=lang, what=what, signed=signed)),
                "colour": scale.colour_for(value),
            },
            "geometry": feature["geometry"],
        })
    return {"type": "FeatureCollection", "features": features}


def area_style(feature: Mapping[str, Any]) -> dict[str, Any]:
    """Leaflet path style of one choropleth feature."""
    props = feature["properties"]
    style: dict[str, Any] = {"color": "#424242", "weight": 1, "opacity": 1}
    if props["suppressed"]:
        return style | {"fillColor": HATCH_FILL, "fillOpacity": 0.9,
                        "className": "sr-area sr-suppressed"}
    if props["colour"] is None:
        return style | {"fillColor": NO_DATA_COLOUR, "fillOpacity": 0.4, "dashArray": "4 4",
                        "className": "sr-area sr-nodata"}
    return style | {"fillColor": props["colour"], "fillOpacity": 0.85, "className": "sr-area"}


def _hover(feature: Mapping[str, Any]) -> dict[str, Any]:
    return {"weight": 3, "color": "#000000"}


def choropleth_map(features: dict[str, Any], *, basemap_key: str = "none",
                   asset_base: str = COMPONENT_BASE) -> folium.Map:
    """A folium map of the output of :func:`choropleth_geojson` (no legend on the map: draw
    :func:`stadtraum.maps.legend.legend_html` beside it)."""
    bounds = geojson_bounds(features)
    m = base_map(bounds, basemap_key, asset_base)
    if features["features"]:
        folium.GeoJson(
            features, name="areas", style_function=area_style, highlight_function=_hover,
            tooltip=folium.GeoJsonTooltip(fields=["name", "label"], labels=False,
                                          style=TOOLTIP_CSS, sticky=True, direction="top"),
        ).add_to(m)
    return fit(m, bounds)
