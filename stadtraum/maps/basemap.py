"""The base map under the areas: none (default; works offline), OpenStreetMap or basemap.de.

Chosen by the setting ``STADTRAUM_BASEMAP``. Tiles are the only thing a map may load from
outside the app, and only when a base map is configured.
"""

from __future__ import annotations

from dataclasses import dataclass

from stadtraum.config import basemap_key

__all__ = ["BASEMAPS", "Basemap", "basemap"]


@dataclass(frozen=True)
class Basemap:
    key: str
    label_de: str
    url: str | None  # XYZ tile template; None: no base map
    attribution: str  # our own constant HTML (Leaflet renders it as HTML)
    max_zoom: int = 18


BASEMAPS: dict[str, Basemap] = {
    "none": Basemap("none", "keine Hintergrundkarte", None, ""),
    "osm": Basemap(
        "osm", "OpenStreetMap", "https://tile.openstreetmap.org/{z}/{x}/{y}.png",
        '&copy; <a href="https://www.openstreetmap.org/copyright">OpenStreetMap</a>-Mitwirkende',
        max_zoom=19),
    "basemapde": Basemap(
        "basemapde", "basemap.de (BKG)",
        "https://sgx.geodatenzentrum.de/wmts_basemapde/tile/1.0.0/de_basemapde_web_raster_farbe"
        "/default/GLOBAL_WEBMERCATOR/{z}/{y}/{x}.png",
        '&copy; <a href="https://basemap.de">basemap.de</a> / BKG, GeoBasis-DE (CC BY 4.0)',
        max_zoom=18),
}


def basemap(key: str) -> Basemap:
    """The base map called ``key`` (``none``, ``osm``, ``basemapde``), case-insensitive."""
    return BASEMAPS[basemap_key(key)]
