"""Tiny inline geometries with an explicit CRS, written as real files for the readers."""

from __future__ import annotations

import json
import zipfile
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any

import geopandas as gpd
import shapely
from shapely.geometry import Polygon, box
from shapely.geometry.base import BaseGeometry

# South-west corner of the test squares in EPSG:25832 (inside Bochum).
X0, Y0 = 370_000.0, 5_705_000.0
KM = 1000.0


def square(i: int, j: int = 0, size: float = KM) -> Polygon:
    """The 1 km square in column ``i`` and row ``j`` of the test grid (EPSG:25832)."""
    return box(X0 + i * KM, Y0 + j * KM, X0 + i * KM + size, Y0 + j * KM + size)


def frame(geoms: Sequence[BaseGeometry | None], crs: str | None = "EPSG:25832",
          data: Mapping[str, Sequence[Any]] | None = None,
          **columns: Sequence[Any]) -> gpd.GeoDataFrame:
    """A GeoDataFrame; without columns it gets ``code`` 1..n and ``name`` "Gebiet 1"..."""
    n = len(geoms)
    data = {**(data or {}), **columns} or {
        "code": [str(i + 1) for i in range(n)], "name": [f"Gebiet {i + 1}" for i in range(n)]}
    return gpd.GeoDataFrame(dict(data), geometry=gpd.GeoSeries(list(geoms), crs=crs), crs=crs)


def grid_frame(n: int = 3, crs: str = "EPSG:4326") -> gpd.GeoDataFrame:
    """``n`` adjacent 1 km squares, a valid coverage, reprojected to ``crs``."""
    return frame([square(i) for i in range(n)]).to_crs(crs)


def write(gdf: gpd.GeoDataFrame, path: Path, **kwargs: Any) -> Path:
    gdf.to_file(path, engine="pyogrio", **kwargs)
    return path


def swap_xy(gdf: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    """The same frame with x and y exchanged (CRS label unchanged)."""
    out = gdf.copy()
    out.geometry = gpd.GeoSeries(
        shapely.transform(gdf.geometry.values, lambda xy: xy[:, ::-1]), crs=gdf.crs)
    return out


def geojson_text(features: Iterable[tuple[dict[str, Any], Any]]) -> str:
    """A raw GeoJSON FeatureCollection (no ``crs`` member) from (properties, coordinates)."""
    return json.dumps({"type": "FeatureCollection", "features": [
        {"type": "Feature", "properties": props,
         "geometry": {"type": "Polygon", "coordinates": coords}}
        for props, coords in features]})


def ring(x0: float, y0: float, w: float, h: float) -> list[list[list[float]]]:
    return [[[x0, y0], [x0 + w, y0], [x0 + w, y0 + h], [x0, y0 + h], [x0, y0]]]


def shapefile_zip(gdf: gpd.GeoDataFrame, path: Path, *, drop: Sequence[str] = (),
                  folder: str = "", encoding: str | None = None) -> Path:
    """Write ``gdf`` as a Shapefile and zip its parts except the suffixes in ``drop``."""
    work = path.parent / (path.stem + "_parts")
    work.mkdir()
    kwargs = {"encoding": encoding} if encoding else {}
    write(gdf, work / "grenzen.shp", **kwargs)
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        for part in sorted(work.iterdir()):
            if part.suffix.lower() not in drop:
                zf.write(part, folder + part.name)
    return path
