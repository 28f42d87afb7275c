"""Map payloads: areas simplified as a coverage (shared borders stay shared), as GeoJSON."""

from __future__ import annotations

import math
from typing import Any

import numpy as np
import pandas as pd
import shapely
from shapely.geometry import MultiPolygon, Polygon
from shapely.geometry.base import BaseGeometry

from stadtraum.geo.coverage import MetricFrame, coverage_clean, keep_types, polygonal_part
from stadtraum.geo.model import GeoDataFrame

__all__ = ["display_geojson"]

DECIMALS = 6  # about 0.1 m; more is noise on a web map


def _ring(ring: Any) -> list[list[float]]:
    coords = np.round(np.asarray(ring.coords)[:, :2], DECIMALS)
    return [[float(x), float(y)] for x, y in coords]


def _polygon(poly: Polygon) -> list[list[list[float]]]:
    return [_ring(poly.exterior), *(_ring(r) for r in poly.interiors)]


def _geometry(geom: BaseGeometry | None) -> dict[str, Any] | None:
    if geom is None or geom.is_empty:
        return None
    if isinstance(geom, Polygon):
        return {"type": "Polygon", "coordinates": _polygon(geom)}
    if isinstance(geom, MultiPolygon):
        return {"type": "MultiPolygon", "coordinates": [_polygon(p) for p in geom.geoms]}
    part = polygonal_part(geom)
    return _geometry(part) if part is not None else None


def _plain(value: Any) -> Any:
    """JSON-safe scalar: numpy → Python, NaN/NA/NaT → None, other objects → str."""
    if isinstance(value, np.generic):
        value = value.item()
    if value is None or isinstance(value, str | bool | int):
        return value
    if isinstance(value, float):
        return value if math.isfinite(value) else None
    if bool(pd.isna(value)):
        return None
    return str(value)


def display_geojson(frame: GeoDataFrame, *, metric_crs: str = "EPSG:25832",
                    tolerance_m: float = 15.0,
                    properties: list[str] | None = None) -> dict[str, Any]:
    """A GeoJSON FeatureCollection for web maps.

    Geometry is simplified as a coverage in ``metric_crs`` (tolerance in metres; shared
    borders stay shared, no gaps or overlaps appear), returned in EPSG:4326 with
    coordinates rounded to 6 decimals. Properties: ``code``, ``name`` and the ``properties``
    columns. The frame is not changed (storage keeps the original geometry).
    """
    extra = list(properties or [])
    missing = [c for c in ["code", "name", *extra] if c not in frame.columns]
    if missing:
        raise ValueError(f"display_geojson: columns missing from frame: {missing}")
    if frame.crs is not None and not frame.crs.equals("EPSG:4326"):
        frame = frame.to_crs("EPSG:4326")
    geoms = np.asarray(frame.geometry.values, dtype=object)
    present = np.array([g is not None and not g.is_empty for g in geoms], dtype=bool)
    simplified = geoms.copy()
    if present.any():
        metric = MetricFrame(list(geoms[present]), metric_crs)
        polys = metric.metric
        if not shapely.coverage_is_valid(polys):
            polys = coverage_clean(polys)
        if tolerance_m > 0:
            polys = np.asarray(shapely.coverage_simplify(polys, tolerance_m))
        simplified[present] = keep_types(geoms[present], metric.to_wgs84(polys))
    columns = ["code", "name", *extra]
    records = frame[columns].to_dict(orient="records")
    features = [
        {"type": "Feature",
         "properties": {k: _plain(v) for k, v in record.items()},
         "geometry": _geometry(geom)}
        for record, geom in zip(records, simplified, strict=True)
    ]
    return {"type": "FeatureCollection", "features": features}
