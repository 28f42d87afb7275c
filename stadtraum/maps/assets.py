"""Leaflet served by the app itself, so a map renders without internet access.

folium's ``Map`` lists CDN links for Leaflet, jQuery, Bootstrap, Font Awesome and the
awesome-markers plugin (``default_js``/``default_css``); streamlit-folium loads every link
it finds on the map's elements (and d3 from the internet when a branca colormap is on the
map). Our maps need Leaflet only: :func:`use_local_assets` replaces the links of one map
instance by the files in ``static/vendor/leaflet`` (Leaflet 1.9.4 from the npm registry,
see the README there), which Streamlit serves at ``/app/static/…``
(``server.enableStaticServing``). Never put a branca colormap, a marker icon or a folium
plugin with its own ``default_js`` on such a map.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from stadtraum.config import project_root

__all__ = [
    "COMPONENT_BASE",
    "LEAFLET_VERSION",
    "REQUIRED_FILES",
    "missing_assets",
    "use_local_assets",
    "vendor_dir",
]

LEAFLET_VERSION = "1.9.4"
# streamlit-folium's frame is served at <base>/component/streamlit_folium.st_folium/index.html;
# relative to it the app's static files are at ../../app/static/ (works under a baseUrlPath)
COMPONENT_BASE = "../../app/static/vendor/leaflet"
REQUIRED_FILES = ("leaflet.js", "leaflet.css", "LICENSE", "images/layers.png",
                  "images/layers-2x.png", "images/marker-icon.png")


def vendor_dir() -> Path:
    return project_root() / "static" / "vendor" / "leaflet"


def missing_assets() -> list[str]:
    """The vendored files that are not there (empty when the map can render offline)."""
    return [name for name in REQUIRED_FILES if not (vendor_dir() / name).is_file()]


def use_local_assets(m: Any, base: str = COMPONENT_BASE) -> Any:
    """Make folium map ``m`` load only the app's own Leaflet (returns ``m``).

    Set on the instance, so other maps and folium's class defaults stay untouched.
    """
    m.default_js = [("leaflet", f"{base}/leaflet.js")]
    m.default_css = [("leaflet_css", f"{base}/leaflet.css")]
    return m
