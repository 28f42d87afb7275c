"""Results files for GIS: GeoJSON (one feature per area, WGS84) and GeoPackage (one layer per
level in the city's CRS), both with flat, readable fields from
:func:`stadtraum.exports.results_table.wide_frame`.

Geometries are the stored boundaries (EPSG:4326, lossless); the city level's geometry is the
union of the top level's areas. The GeoPackage keeps the CRS the boundaries were imported in
(``area_levels.source_crs``), else EPSG:25832. Metadata: the GeoJSON's top-level member
``metadata``; in the GeoPackage a table ``metadaten`` (registered as attributes, so QGIS
lists it) and each layer's description.
"""

from __future__ import annotations

import json
import sqlite3
import tempfile
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import geopandas as gpd
import pandas as pd
import shapely
from pyproj import CRS
from pyproj.exceptions import CRSError
from shapely.geometry.base import BaseGeometry
from sqlalchemy import select
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session

from stadtraum.analysis.results import Results
from stadtraum.exports.results_table import ExportMeta
from stadtraum.exports.spreadsheet import neutralise
from stadtraum.store.db import Area, AreaLevel

__all__ = ["FALLBACK_CRS", "city_crs", "geojson_bytes", "gpkg_bytes", "level_geometries"]

FALLBACK_CRS = "EPSG:25832"
_TEXT = ("Ebene", "Gebiet-Code", "Gebiet")


def city_crs(engine: Engine, level_id: int) -> str:
    """The CRS the campaign's boundaries came in (a valid one), else EPSG:25832."""
    with Session(engine) as session:
        crs = session.scalar(select(AreaLevel.source_crs).where(AreaLevel.id == level_id))
    if crs:
        try:
            CRS.from_user_input(crs)
            return str(crs)
        except CRSError:
            pass
    return FALLBACK_CRS


def level_geometries(engine: Engine, results: Results,
                     levels: Sequence[int]) -> dict[str, list[BaseGeometry]]:
    """Per wanted level name: the geometry of each of its areas, in the table's order."""
    ids = {int(i) for t in results.levels for i in t.areas["id"] if int(i) >= 0}
    with Session(engine) as session:
        wkb = dict(session.execute(select(Area.id, Area.geometry_wkb)
                                   .where(Area.id.in_(sorted(ids)))).all()) if ids else {}
    geoms = {int(i): shapely.from_wkb(bytes(g)) for i, g in wkb.items()}
    out: dict[str, list[BaseGeometry]] = {}
    city = len(results.levels) - 1
    for k in levels:
        table = results.levels[k]
        if k == city:
            top = results.levels[city - 1] if city > 0 else table
            parts = [geoms[int(i)] for i in top.areas["id"] if int(i) in geoms]
            out[table.name] = [shapely.union_all(parts)] if parts else [shapely.Polygon()]
        else:
            out[table.name] = [geoms.get(int(i), shapely.Polygon()) for i in table.areas["id"]]
    return out


def _safe(frame: pd.DataFrame) -> pd.DataFrame:
    out = frame.copy()
    for col in _TEXT:
        out[col] = out[col].map(neutralise)
    return out


def _plain(value: Any) -> Any:
    if value is None or value is pd.NA:
        return None
    if isinstance(value, float) and value != value:
        return None
    return value.item() if hasattr(value, "item") else value


def geojson_bytes(wide: pd.DataFrame, geometries: Sequence[BaseGeometry],
                  meta: ExportMeta) -> bytes:
    """A FeatureCollection (WGS84) with a top-level ``metadata`` member."""
    frame = _safe(wide)
    columns = list(frame.columns)
    features = []
    for row, geom in zip(frame.itertuples(index=False), geometries, strict=True):
        features.append({"type": "Feature",
                         "properties": {c: _plain(v) for c, v in zip(columns, row,
                                                                     strict=True)},
                         "geometry": json.loads(shapely.to_geojson(geom))})
    doc = {"type": "FeatureCollection", "name": "ergebnisse", "metadata": meta.as_dict(),
           "features": features}
    return json.dumps(doc, ensure_ascii=False).encode("utf-8")


def _register_metadata(path: Path, meta: ExportMeta) -> None:
    """A plain attributes table ``metadaten`` (Angabe, Wert) listed in gpkg_contents."""
    with sqlite3.connect(path) as conn:
        conn.execute("CREATE TABLE metadaten (fid INTEGER PRIMARY KEY AUTOINCREMENT, "
                     "angabe TEXT NOT NULL, wert TEXT NOT NULL)")
        conn.executemany("INSERT INTO metadaten (angabe, wert) VALUES (?, ?)",
                         [(str(neutralise(k)), str(neutralise(v))) for k, v in meta.items()])
        conn.execute("INSERT INTO gpkg_contents (table_name, data_type, identifier, "
                     "description, last_change) VALUES ('metadaten', 'attributes', "
                     "'metadaten', ?, strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))",
                     ("Was diese Ergebnisse zeigen: Befragung, Filter, Geheimhaltung, Stand",))
    conn.close()


def gpkg_bytes(wides: dict[str, pd.DataFrame], geometries: dict[str, list[BaseGeometry]],
               meta: ExportMeta, crs: str) -> bytes:
    """A GeoPackage: one layer per level (in ``crs``), plus the table ``metadaten``."""
    description = " | ".join(f"{k}: {v}" for k, v in meta.items())
    with tempfile.TemporaryDirectory(prefix="stadtraum-gpkg-") as folder:
        path = Path(folder) / "ergebnisse.gpkg"
        for level, wide in wides.items():
            frame = gpd.GeoDataFrame(_safe(wide), geometry=geometries[level],
                                     crs="EPSG:4326").to_crs(crs)
            frame.to_file(path, layer=level, driver="GPKG", engine="pyogrio",
                          layer_options={"DESCRIPTION": description[:2000]})
        _register_metadata(path, meta)
        return path.read_bytes()
