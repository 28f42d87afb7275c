"""Map to choose an area by tapping it (street interview), and the outline of the choice."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import folium
import shapely.geometry
from branca.element import MacroElement
from folium.template import Template
from folium.utilities import JsCode

from stadtraum.maps.assets import COMPONENT_BASE
from stadtraum.maps.base import base_map, escape, fit, geojson_bounds
from stadtraum.maps.choropleth import TOOLTIP_CSS

__all__ = ["PICK_COLOUR", "SELECTED_COLOUR", "picker_geojson", "picker_map", "selection_layer"]

PICK_COLOUR = "#1f5f99"  # the app's primary colour
SELECTED_COLOUR = "#d95f02"  # orange outline: stands out from the blue areas


def picker_geojson(display: Mapping[str, Any]) -> dict[str, Any]:
    """A new FeatureCollection with ``code`` and the HTML-escaped ``name``, biggest areas
    first (their labels win where labels would overlap); features without geometry are left
    out."""
    features: list[dict[str, Any]] = []
    ordered = sorted((f for f in display.get("features", []) if f.get("geometry")),
                     key=lambda f: -shapely.geometry.shape(f["geometry"]).area)
    for feature in ordered:
        props = feature.get("properties") or {}
        features.append({"type": "Feature", "id": str(len(features)),
                         "properties": {"code": str(props.get("code")),
                                        "name": escape(props.get("name"))},
                         "geometry": feature["geometry"]})
    return {"type": "FeatureCollection", "features": features}


def _style(feature: Mapping[str, Any]) -> dict[str, Any]:
    return {"color": PICK_COLOUR, "weight": 1.5, "fillColor": PICK_COLOUR,
            "fillOpacity": 0.12, "className": "sr-area"}


def _hover(feature: Mapping[str, Any]) -> dict[str, Any]:
    return {"weight": 3, "fillOpacity": 0.3}


# a permanent label per area; ``name`` is already HTML-escaped (Leaflet sets it as innerHTML)
_LABEL_JS = JsCode("""function(feature, layer) {
    layer.bindTooltip(feature.properties.name, {permanent: true, direction: "center",
                      className: "sr-label", interactive: false, opacity: 1});
}""")


class LabelDeclutter(MacroElement):
    """Hide an area's label where it would overlap a label already shown (bigger areas
    first: :func:`picker_geojson` orders them so), again after every zoom. A hidden label
    comes back when zooming in gives it room; tapping works either way."""

    _template = Template("""
        {% macro script(this, kwargs) %}
        (function () {
            var map = {{ this._parent.get_name() }};
            function declutter() {
                var shown = [];
                map.getContainer().querySelectorAll(".sr-label").forEach(function (el) {
                    el.style.visibility = "visible";
                    var r = el.getBoundingClientRect();
                    var hit = shown.some(function (s) {
                        return r.left < s.right + 2 && r.right + 2 > s.left
                            && r.top < s.bottom && r.bottom > s.top;
                    });
                    if (hit) { el.style.visibility = "hidden"; } else { shown.push(r); }
                });
            }
            map.on("zoomend", declutter);
            map.whenReady(function () { setTimeout(declutter, 0); });
            window.addEventListener("load", declutter);
        })();
        {% endmacro %}
    """)


def picker_map(features: dict[str, Any], *, basemap_key: str = "none", labels: bool = True,
               asset_base: str = COMPONENT_BASE) -> folium.Map:
    """All areas of a level, clickable, named (input: :func:`picker_geojson`): with
    ``labels`` each area shows its name (needed without a base map), else on hover.

    The map does not depend on the current choice, so choosing does not re-create it in
    the browser (pan and zoom stay); the choice is drawn by :func:`selection_layer`.
    """
    bounds = geojson_bounds(features)
    m = base_map(bounds, basemap_key, asset_base)
    if features["features"]:
        tooltip = None if labels else folium.GeoJsonTooltip(
            fields=["name"], labels=False, style=TOOLTIP_CSS, sticky=True)
        folium.GeoJson(features, name="areas", style_function=_style, highlight_function=_hover,
                       tooltip=tooltip, on_each_feature=_LABEL_JS if labels else None,
                       ).add_to(m)
        if labels:
            LabelDeclutter().add_to(m)
    return fit(m, bounds)


def selection_layer(features: Mapping[str, Any], code: str | None) -> folium.FeatureGroup | None:
    """A non-clickable thick outline of area ``code`` (None when it is not on the map)."""
    chosen = [f for f in features.get("features", []) if f["properties"].get("code") == code]
    if code is None or not chosen:
        return None
    group = folium.FeatureGroup(name="selection")
    folium.GeoJson(
        {"type": "FeatureCollection", "features": chosen}, name="selected",
        style_function=lambda _f: {"color": SELECTED_COLOUR, "weight": 5, "opacity": 1,
                                   "fillColor": SELECTED_COLOUR, "fillOpacity": 0.25,
                                   "className": "sr-selected"},
        interactive=False,
    ).add_to(group)
    return group
