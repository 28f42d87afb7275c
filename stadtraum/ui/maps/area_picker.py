"""Choose the area being assessed by tapping it on a map (street interview, issue 3)."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

import streamlit as st

from stadtraum.config import load_settings
from stadtraum.maps.picker import picker_geojson, picker_map, selection_layer
from stadtraum.ui.i18n import lang
from stadtraum.ui.maps.map_view import clicked_area, show_map

__all__ = ["PICKER_HEIGHT", "pick_area_on_map"]

PICKER_HEIGHT = 480  # fits a 768 px wide tablet in portrait and landscape with the buttons


def pick_area_on_map(geometry: Mapping[str, Any], current_code: str | None, key: str, *,
                     height: int = PICKER_HEIGHT, basemap_key: str | None = None,
                     on_tap: Callable[[str], None] | None = None,
                     captions: tuple[str, str] | None = None) -> str | None:
    """Show the areas of a level; return the chosen code (a tap, else ``current_code``).

    ``geometry`` is the level's display GeoJSON
    (:func:`stadtraum.maps.display_geojson.level_geojson`); names are escaped here. The
    chosen area is outlined. ``on_tap(code)`` is called for every tap, also a second tap on
    the chosen area. ``key`` must be unique on the page (e.g. per interview id).
    ``captions`` (nothing chosen yet, chosen) replace the staff wording (citizens' form).
    """
    features = picker_geojson(geometry)
    tapped = clicked_area(key)
    if tapped is not None and on_tap is not None:
        on_tap(tapped)
    chosen = tapped if tapped is not None else current_code
    m = picker_map(features, basemap_key=basemap_key or load_settings().basemap)
    en = lang() == "en"
    none, some = captions or (
        "Tap the area on the map" if en else "Gebiet auf der Karte antippen",
        "Chosen (outlined) – tap another area to change" if en
        else "Gewählt (umrandet) – zum Ändern ein anderes Gebiet antippen")
    st.caption(none if chosen is None else some)
    show_map(m, key=key, height=height, highlight=selection_layer(features, chosen))
    return chosen
