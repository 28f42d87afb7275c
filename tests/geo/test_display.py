"""display_geojson: coverage simplification, rounding and properties."""

from __future__ import annotations

import json
from typing import Any

import geopandas as gpd
import numpy as np
import pytest
import shapely
from shapely.geometry import MultiPolygon, Polygon

from stadtraum.geo.display import display_geojson
from tests.geo.builders import KM, X0, Y0, frame


def _zigzag_coverage() -> gpd.GeoDataFrame:
    """Two areas that share a long, finely zig-zagging border (EPSG:4326)."""
    xs = np.linspace(X0, X0 + 4 * KM, 401)
    border = [(x, Y0 + KM + (3.0 if i % 2 else -3.0)) for i, x in enumerate(xs)]
    south = Polygon([(X0, Y0), (X0 + 4 * KM, Y0), *border[::-1]])
    north = Polygon([*border, (X0 + 4 * KM, Y0 + 2 * KM), (X0, Y0 + 2 * KM)])
    island = Polygon([(X0 + 5 * KM, Y0), (X0 + 6 * KM, Y0), (X0 + 6 * KM, Y0 + KM)])
    gdf = frame([south, MultiPolygon([north, island])], code=["S", "N"], name=["Süd", "Nord"],
                mean=[np.float64(4.25), np.nan], n=[np.int64(12), np.int64(3)],
                label=["<b>x</b>", None])
    return gdf.to_crs("EPSG:4326")


def _coords(geometry: dict[str, Any]) -> list[float]:
    flat: list[float] = []

    def walk(item: Any) -> None:
        if isinstance(item, float | int):
            flat.append(item)
        else:
            for sub in item:
                walk(sub)
    walk(geometry["coordinates"])
    return flat


def test_feature_collection_with_rounded_coordinates() -> None:
    gj = display_geojson(_zigzag_coverage())
    assert gj["type"] == "FeatureCollection"
    assert [f["geometry"]["type"] for f in gj["features"]] == ["Polygon", "MultiPolygon"]
    values = [v for f in gj["features"] for v in _coords(f["geometry"])]
    assert all(round(v, 6) == v for v in values)
    assert all(len(repr(v).split(".")[1]) <= 6 for v in values)
    assert any(7.0 < v < 7.3 for v in values)  # lon/lat, not metres


def test_simplified_coverage_has_no_gaps_or_overlaps() -> None:
    source = _zigzag_coverage()
    gj = display_geojson(source, tolerance_m=15.0)
    shown = gpd.GeoDataFrame.from_features(gj["features"], crs="EPSG:4326").to_crs("EPSG:25832")
    metric = np.asarray(shown.geometry.values)
    assert shapely.is_valid(metric).all()
    assert shapely.coverage_is_valid(metric)
    assert shapely.union_all(metric).area == pytest.approx(shapely.area(metric).sum(), rel=1e-9)
    before = shapely.get_num_coordinates(np.asarray(source.geometry.values)).sum()
    assert shapely.get_num_coordinates(metric).sum() < before / 5  # the zig-zag is gone
    original = source.to_crs("EPSG:25832").union_all()
    assert shapely.union_all(metric).symmetric_difference(original).area < 0.01 * original.area


def test_properties_are_json_safe_and_limited_to_the_request() -> None:
    gj = display_geojson(_zigzag_coverage(), properties=["mean", "n", "label"])
    props = [f["properties"] for f in gj["features"]]
    assert props == [
        {"code": "S", "name": "Süd", "mean": 4.25, "n": 12, "label": "<b>x</b>"},
        {"code": "N", "name": "Nord", "mean": None, "n": 3, "label": None},
    ]
    json.dumps(gj, allow_nan=False)
    assert display_geojson(_zigzag_coverage())["features"][0]["properties"] == {
        "code": "S", "name": "Süd"}


def test_input_frame_is_not_changed_and_zero_tolerance_keeps_vertices() -> None:
    source = _zigzag_coverage()
    copy = source.copy()
    gj = display_geojson(source, tolerance_m=0)
    assert source.geometry.geom_equals_exact(copy.geometry, tolerance=0).all()
    assert len(gj["features"][0]["geometry"]["coordinates"][0]) == len(
        source.geometry[0].exterior.coords)


def test_unknown_property_column() -> None:
    with pytest.raises(ValueError, match="missing"):
        display_geojson(_zigzag_coverage(), properties=["nope"])


def test_missing_geometry_becomes_null() -> None:
    gdf = _zigzag_coverage()
    gdf.loc[1, "geometry"] = None
    assert display_geojson(gdf)["features"][1]["geometry"] is None
