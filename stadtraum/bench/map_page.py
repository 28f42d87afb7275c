"""``stadtraum bench``, map section (issue 4, DESIGN §8).

- Warm re-render of the map page's data path for new filters: statistics engine, area
  values, choropleth GeoJSON and the folium HTML — against the naive path (all rows into
  pandas + groupby, unsimplified GeoJSON, the same folium HTML).
- Map payload (the folium HTML streamlit-folium sends) for the demo city's 30 quarters and for
  a synthetic coverage of 1,000 areas, against the unsimplified geometry.
- Shared borders after simplification: no overlaps, no new holes, a valid coverage.
"""

from __future__ import annotations

import json
import statistics
import time
from typing import Any

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
from sqlalchemy import text
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session

from stadtraum.analysis.cube import CubeFilter
from stadtraum.analysis.cube_store import CubeProvider
from stadtraum.geo.display import display_geojson
from stadtraum.maps.choropleth import AreaValue, choropleth_geojson, choropleth_map
from stadtraum.maps.page_data import map_data
from stadtraum.store.queries import area_geometries, current_level

__all__ = ["bench_map_page", "bench_map_payload", "synthetic_coverage"]

CRITERION = "feeling_safe"
METRIC_CRS = "EPSG:25832"


def _filters(c: tuple[int, ...]) -> list[CubeFilter]:
    """Other views than the statistics section of the bench uses (one characteristic each,
    as the planners' filter allows)."""
    return [CubeFilter(c, age_bands=("30_44",)), CubeFilter(c, relations=("both",)),
            CubeFilter(c, modes=("online",)), CubeFilter(c, age_bands=("65plus",)),
            CubeFilter(c, genders=("diverse",))]


def _html(features: dict[str, Any]) -> str:
    return str(choropleth_map(features).get_root().render())


def _raw_geojson(engine: Engine, level_id: int) -> dict[str, Any]:
    """The stored geometry as it is (no simplification, full precision)."""
    with Session(engine) as session:
        rows = area_geometries(session, level_id)
    return {"type": "FeatureCollection", "features": [
        {"type": "Feature", "properties": {"code": code, "name": name},
         "geometry": json.loads(shapely.to_geojson(shapely.from_wkb(wkb)))}
        for _id, code, name, wkb in rows]}


def _naive(engine: Engine, flt: CubeFilter, raw: dict[str, Any], codes: dict[int, str]) -> str:
    """All rows into pandas, filter, groupby -> means per area -> unsimplified map HTML."""
    with engine.connect() as conn:
        frame = pd.read_sql(text(
            "SELECT p.area_id, p.age_band, p.gender, p.relation, p.mode, p.status, "
            "p.survey_date, r.criterion_id, r.score FROM responses p "
            "JOIN ratings r ON r.response_id = p.id WHERE p.campaign_id = :c"), conn,
            params={"c": flt.campaign_ids[0]})
    keep = (frame.status == "valid") & frame["mode"].isin(list(flt.modes)) & (
        frame.criterion_id == CRITERION)
    for col, codes_ in (("age_band", flt.age_bands), ("gender", flt.genders),
                        ("relation", flt.relations)):
        if codes_ is not None:
            keep &= frame[col].isin(list(codes_))
    grouped = frame[keep].groupby("area_id")["score"].agg(["mean", "size"])
    values = {codes[int(a)]: AreaValue(float(mean), int(size), int(size) < 5)
              for a, mean, size in zip(grouped.index, grouped["mean"], grouped["size"],
                                       strict=True)}
    return _html(choropleth_geojson(raw, values, min_n=5))


def bench_map_page(engine: Engine, provider: CubeProvider, campaign_id: int,
                   label: str) -> list[list[str]]:
    with Session(engine) as session:
        level = current_level(session, "Quartier")
        codes = dict((i, c) for i, c, _n, _g in area_geometries(session, level.id))
    flt0 = CubeFilter((campaign_id,))
    _html(map_data(engine, provider, flt0, level_name=level.name, level_id=level.id,
                   metric="mean", criterion_id=CRITERION).features)  # warm: geometry cached
    warm = []
    for flt in _filters((campaign_id,)):
        t = time.perf_counter()
        data = map_data(engine, provider, flt, level_name=level.name, level_id=level.id,
                        metric="mean", criterion_id=CRITERION)
        _html(data.features)
        warm.append(time.perf_counter() - t)
    raw = _raw_geojson(engine, level.id)
    t = time.perf_counter()
    _naive(engine, _filters((campaign_id,))[0], raw, codes)
    naive = time.perf_counter() - t
    return [[label, f"Karte neu zeichnen, warm, neue Filter ({len(warm)}): Statistik + "
             "Werte + GeoJSON + folium-HTML, Median / Max",
             f"{statistics.median(warm) * 1000:.0f} / {max(warm) * 1000:.0f} ms", "",
             "≤ 300 ms"],
            [label, "Karte naiv: alle Zeilen in pandas + groupby, unvereinfachtes GeoJSON",
             f"{naive * 1000:.0f} ms", f"{naive / max(warm):.0f}× langsamer als warm (Max)",
             ""]]


def synthetic_coverage(n: int = 1000, seed: int = 7, side_m: float = 25_000.0,
                       step_m: float = 8.0, jitter_m: float = 1.5) -> gpd.GeoDataFrame:
    """``n`` Voronoi areas (EPSG:4326) with detailed, shared borders: the shared linework is
    densified every ``step_m`` metres and jittered once, then polygonised, so neighbours
    share exactly the same vertices (as in an official boundary file)."""
    rng = np.random.default_rng(seed)
    x0, y0 = 370_000.0, 5_700_000.0  # Bochum-ish, EPSG:25832
    box = shapely.box(x0, y0, x0 + side_m, y0 + side_m)
    pts = shapely.multipoints(rng.uniform([x0, y0], [x0 + side_m, y0 + side_m], (n, 2)))
    cells = shapely.intersection(shapely.get_parts(shapely.voronoi_polygons(pts, extend_to=box)),
                                 box)
    lines = shapely.get_parts(shapely.line_merge(shapely.union_all(shapely.boundary(cells))))
    jittered: list[shapely.LineString] = []
    for line in shapely.segmentize(lines, step_m):
        xy = shapely.get_coordinates(line)
        inner = np.zeros(len(xy), dtype=bool)
        inner[1:-1] = True
        on_edge = (np.isclose(xy[:, 0], x0) | np.isclose(xy[:, 0], x0 + side_m)
                   | np.isclose(xy[:, 1], y0) | np.isclose(xy[:, 1], y0 + side_m))
        move = inner & ~on_edge
        xy[move] += rng.uniform(-jitter_m, jitter_m, (int(move.sum()), 2))
        jittered.append(shapely.LineString(xy))
    polys = shapely.get_parts(shapely.polygonize(shapely.get_parts(
        shapely.node(shapely.multilinestrings(jittered)))))
    frame = gpd.GeoDataFrame({"code": [f"S{i:04d}" for i in range(len(polys))],
                              "name": [f"Gebiet {i}" for i in range(len(polys))]},
                             geometry=list(polys), crs=METRIC_CRS)
    return frame.to_crs("EPSG:4326")


def _payloads(frame: gpd.GeoDataFrame) -> tuple[int, int, dict[str, Any]]:
    rng = np.random.default_rng(3)
    values = {c: AreaValue(float(rng.uniform(1, 7)), 20, False) for c in frame["code"]}
    simple = display_geojson(frame, metric_crs=METRIC_CRS)
    raw = json.loads(frame[["code", "name", "geometry"]].to_json(drop_id=True))
    fast = len(_html(choropleth_geojson(simple, values, min_n=5)).encode())
    slow = len(_html(choropleth_geojson(raw, values, min_n=5)).encode())
    return fast, slow, simple


def _borders(simple: dict[str, Any], original: gpd.GeoDataFrame) -> str:
    """Overlap area, new holes and coverage validity of the simplified areas (in metres)."""
    geoms = gpd.GeoSeries([shapely.geometry.shape(f["geometry"]) for f in simple["features"]],
                          crs="EPSG:4326").to_crs(METRIC_CRS).to_numpy()
    union = shapely.union_all(geoms)
    overlap = float(shapely.area(geoms).sum() - union.area)
    holes = sum(len(p.interiors) for p in shapely.get_parts(union))
    holes0 = sum(len(p.interiors) for p in shapely.get_parts(
        shapely.union_all(original.to_crs(METRIC_CRS).geometry.to_numpy())))
    valid = bool(shapely.coverage_is_valid(geoms))
    area = f"{abs(overlap):.1f}".replace(".", ",")
    return (f"Überlappung {area} m², Lücken {holes - holes0}, "
            f"Abdeckung gültig: {'ja' if valid else 'nein'}")


def bench_map_payload() -> list[list[str]]:
    from stadtraum.config import project_root

    demo = gpd.read_file(project_root() / "geodata" / "beispielstadt_quartiere.geojson")
    rows = []
    for label, frame, target in (("30 Gebiete (Demo-Stadt)", demo, "≤ 150 kB"),
                                 ("1.000 Gebiete (synthetisch, Voronoi)",
                                  synthetic_coverage(), "≤ 1,5 MB")):
        fast, slow, simple = _payloads(frame)
        rows.append(["–", f"Kartendaten {label}: folium-HTML vereinfacht / unvereinfacht",
                     f"{fast / 1000:.0f} kB / {slow / 1000:.0f} kB",
                     f"{slow / fast:.1f}× kleiner", target])
        rows.append(["–", f"Gemeinsame Grenzen nach Vereinfachung, {label}",
                     _borders(simple, frame), "", "keine Lücken oder Überlappungen"])
    return rows
