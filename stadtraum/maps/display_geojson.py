"""Service: the display GeoJSON of one area level, simplified as a coverage, cached.

Levels never change once imported (a new import creates a new boundary-set version with new
level ids), so the cache key is the database, the level, its boundary set and version, the
number of areas (guards against a database that was emptied and filled again) and the
simplification parameters. The returned dict is shared: callers must not change it (the
builders in :mod:`stadtraum.maps` return new dicts).
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from typing import Any

import geopandas as gpd
import shapely
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session

from stadtraum.config import load_settings
from stadtraum.geo.display import display_geojson
from stadtraum.store.queries import area_geometries, level_info

__all__ = ["TOLERANCE_M", "clear_cache", "level_geojson"]

TOLERANCE_M = 15.0
_MAX_ENTRIES = 32
_cache: OrderedDict[tuple[object, ...], dict[str, Any]] = OrderedDict()
_lock = threading.Lock()


def clear_cache() -> None:
    with _lock:
        _cache.clear()


def level_geojson(engine: Engine, level_id: int, *, metric_crs: str | None = None,
                  tolerance_m: float = TOLERANCE_M) -> dict[str, Any]:
    """FeatureCollection (EPSG:4326, 6 decimals) of the areas of ``level_id`` in code order,
    properties ``code`` and ``name`` (raw: escape before display). Raises NotFoundError for
    an unknown level."""
    crs = metric_crs or load_settings().metric_crs
    with Session(engine) as session:
        info = level_info(session, level_id)
        key = (engine.url.render_as_string(hide_password=True), level_id, info.boundary_set_id,
               info.version, info.n_areas, crs, tolerance_m)
        with _lock:
            if key in _cache:
                _cache.move_to_end(key)
                return _cache[key]
        rows = area_geometries(session, level_id)
    frame = gpd.GeoDataFrame({"code": [r[1] for r in rows], "name": [r[2] for r in rows]},
                             geometry=[shapely.from_wkb(r[3]) for r in rows], crs="EPSG:4326")
    result = display_geojson(frame, metric_crs=crs, tolerance_m=tolerance_m)
    with _lock:
        _cache[key] = result
        while len(_cache) > _MAX_ENTRIES:
            _cache.popitem(last=False)
    return result
