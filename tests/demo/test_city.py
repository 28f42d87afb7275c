"""The synthetic demo city: deterministic, an exact two-level coverage, clearly fictional."""

from __future__ import annotations

import json
import re
from itertools import combinations
from pathlib import Path
from typing import Any

import geopandas as gpd
import numpy as np
import pytest
import shapely

from stadtraum.demo.city import (
    DISTRICTS_FILE,
    METRIC_CRS,
    QUARTERS_FILE,
    SOURCE,
    build_demo_city,
    write_demo_city,
)

GEODATA = Path(__file__).resolve().parents[2] / "geodata"
GERMANY = (5.86, 47.27, 15.05, 55.06)  # lon/lat bounding box
REAL_NAMES = {
    # Bochum: Stadtbezirke, statistical districts and Stadtteile
    "Bochum-Mitte", "Bochum-Nord", "Bochum-Ost", "Bochum-Süd", "Bochum-Südwest",
    "Bochum-Wattenscheid", "Wattenscheid", "Mitte", "Nord", "Ost", "Süd", "Südwest",
    "Altenbochum", "Bergen", "Hiltrop", "Bergen/Hiltrop", "Dahlhausen", "Eppendorf", "Gerthe",
    "Gleisdreieck", "Grumme", "Günnigfeld", "Hamme", "Harpen", "Rosenberg", "Harpen/Rosenberg",
    "Hofstede", "Hordel", "Höntrop", "Kornharpen", "Kruppwerke", "Laer", "Langendreer",
    "Leithe", "Linden", "Querenburg", "Riemke", "Stiepel", "Südinnenstadt",
    "Wattenscheid-Mitte", "Weitmar", "Weitmar-Mark", "Weitmar-Mitte", "Werne", "Westenfeld",
    "Wiemelhausen", "Brenschede", "Ehrenfeld", "Steinkuhl", "Goldhamme", "Sevinghausen",
    # Berlin: Bezirke and a selection of Ortsteile
    "Charlottenburg-Wilmersdorf", "Friedrichshain-Kreuzberg", "Lichtenberg",
    "Marzahn-Hellersdorf", "Neukölln", "Pankow", "Reinickendorf", "Spandau",
    "Steglitz-Zehlendorf", "Tempelhof-Schöneberg", "Treptow-Köpenick", "Moabit", "Wedding",
    "Gesundbrunnen", "Tiergarten", "Hansaviertel", "Kreuzberg", "Friedrichshain",
    "Prenzlauer Berg", "Weißensee", "Buch", "Karow", "Wilmersdorf", "Charlottenburg",
    "Grunewald", "Westend", "Gatow", "Kladow", "Staaken", "Siemensstadt", "Lichterfelde",
    "Dahlem", "Wannsee", "Zehlendorf", "Steglitz", "Schöneberg", "Friedenau", "Tempelhof",
    "Mariendorf", "Britz", "Buckow", "Rudow", "Gropiusstadt", "Adlershof", "Köpenick",
    "Grünau", "Marzahn", "Hellersdorf", "Biesdorf", "Kaulsdorf", "Mahlsdorf", "Karlshorst",
    "Falkenberg", "Falkenhagener Feld", "Tegel", "Frohnau", "Hermsdorf", "Lübars",
    "Wittenau", "Märkisches Viertel",
    # Hamburg: Bezirke and a selection of Stadtteile
    "Altona", "Bergedorf", "Eimsbüttel", "Hamburg-Mitte", "Hamburg-Nord", "Harburg",
    "Wandsbek", "Hamburg-Altstadt", "HafenCity", "Neustadt", "St. Pauli", "St. Georg",
    "Hamm", "Horn", "Billstedt", "Veddel", "Wilhelmsburg", "Finkenwerder", "Ottensen",
    "Bahrenfeld", "Blankenese", "Rissen", "Lokstedt", "Niendorf", "Schnelsen", "Stellingen",
    "Winterhude", "Uhlenhorst", "Barmbek-Nord", "Barmbek-Süd", "Ohlsdorf", "Fuhlsbüttel",
    "Langenhorn", "Bramfeld", "Rahlstedt", "Volksdorf", "Lohbrügge", "Heimfeld", "Neugraben",
}
COMPASS = {"Nord", "Ost", "Süd", "West", "Südwest", "Mitte"}


@pytest.fixture(scope="module")
def city() -> tuple[gpd.GeoDataFrame, gpd.GeoDataFrame]:
    return build_demo_city()


def test_two_builds_are_equal(city: tuple[gpd.GeoDataFrame, gpd.GeoDataFrame]) -> None:
    again = build_demo_city()
    for first, second in zip(city, again, strict=True):
        assert first.drop(columns="geometry").equals(second.drop(columns="geometry"))
        assert shapely.equals_exact(first.geometry.to_numpy(), second.geometry.to_numpy()).all()


def test_other_seed_gives_other_city(city: tuple[gpd.GeoDataFrame, gpd.GeoDataFrame]) -> None:
    _, other = build_demo_city(seed=1)
    assert not shapely.equals_exact(city[1].geometry.iloc[0], other.geometry.iloc[0])


def test_levels_codes_and_columns(city: tuple[gpd.GeoDataFrame, gpd.GeoDataFrame]) -> None:
    districts, quarters = city
    assert list(districts.columns) == ["code", "name", "source", "geometry"]
    assert list(quarters.columns) == ["code", "name", "district_code", "population", "source",
                                      "geometry"]
    assert districts.crs.to_epsg() == 4326 and quarters.crs.to_epsg() == 4326
    assert list(districts["code"]) == ["1", "2", "3", "4", "5", "6"]
    assert 25 <= len(quarters) <= 35
    assert quarters["code"].is_unique
    for code, district in zip(quarters["code"], quarters["district_code"], strict=True):
        assert re.fullmatch(r"[1-6]\d\d", code) and code[0] == district
    assert set(quarters["district_code"]) == set(districts["code"])
    assert (quarters.groupby("district_code").size() >= 3).all()
    assert ((quarters["population"] >= 1500) & (quarters["population"] <= 12000)).all()
    assert (districts["source"] == SOURCE).all() and (quarters["source"] == SOURCE).all()


def test_geometries_valid_single_polygons(
        city: tuple[gpd.GeoDataFrame, gpd.GeoDataFrame]) -> None:
    for frame in city:
        geoms = frame.geometry.to_numpy()
        assert shapely.is_valid(geoms).all()
        assert (shapely.get_type_id(geoms) == 3).all()  # Polygon: districts are contiguous
        assert not shapely.is_empty(geoms).any()
        assert shapely.coverage_is_valid(geoms)


def test_quarters_cover_their_district_exactly(
        city: tuple[gpd.GeoDataFrame, gpd.GeoDataFrame]) -> None:
    districts, quarters = (frame.to_crs(METRIC_CRS) for frame in city)
    for code, district in zip(districts["code"], districts.geometry, strict=True):
        parts = quarters.geometry[quarters["district_code"] == code].to_numpy()
        union = shapely.union_all(parts)
        assert abs(union.area - district.area) <= 1e-6 * district.area
        assert shapely.symmetric_difference(union, district).area <= 1e-6 * district.area
        assert abs(shapely.area(parts).sum() - district.area) <= 1e-6 * district.area
    geoms = quarters.geometry.to_numpy()
    for i, j in combinations(range(len(geoms)), 2):
        assert shapely.intersection(geoms[i], geoms[j]).area < 1e-3  # m², shared edges only
    for i, j in combinations(range(len(districts)), 2):
        assert shapely.intersection(districts.geometry.iloc[i],
                                    districts.geometry.iloc[j]).area < 1e-3


def test_inside_germany_and_city_sized(city: tuple[gpd.GeoDataFrame, gpd.GeoDataFrame]) -> None:
    districts, _ = city
    x0, y0, x1, y1 = districts.total_bounds
    assert GERMANY[0] <= x0 < x1 <= GERMANY[2] and GERMANY[1] <= y0 < y1 <= GERMANY[3]
    mx0, my0, mx1, my1 = districts.to_crs(METRIC_CRS).total_bounds
    assert 9_000 <= mx1 - mx0 <= 15_000 and 7_000 <= my1 - my0 <= 13_000


def test_coordinates_rounded_to_six_decimals(
        city: tuple[gpd.GeoDataFrame, gpd.GeoDataFrame]) -> None:
    for frame in city:
        coords = shapely.get_coordinates(frame.geometry.to_numpy())
        assert np.allclose(coords * 1e6, np.round(coords * 1e6), atol=1e-6)


def test_names_unique_and_fictional(city: tuple[gpd.GeoDataFrame, gpd.GeoDataFrame]) -> None:
    names = [*city[0]["name"], *city[1]["name"]]
    assert len(set(names)) == len(names)
    real_tokens = {t for name in REAL_NAMES for t in re.split(r"[-/ ]", name)} - {"St."}
    for name in names:
        assert name not in REAL_NAMES, name
        tokens = set(re.split(r"[-/ ]", name))
        assert not tokens & (real_tokens | COMPASS), name


def _features(path: Path) -> list[dict[str, Any]]:
    data = json.loads(path.read_text(encoding="utf-8"))
    assert data["type"] == "FeatureCollection" and "crs" not in data
    features: list[dict[str, Any]] = data["features"]
    return features


@pytest.mark.parametrize("file", [DISTRICTS_FILE, QUARTERS_FILE])
def test_committed_files_equal_a_fresh_build(file: str, tmp_path: Path) -> None:
    committed = GEODATA / file
    assert committed.stat().st_size < 200_000
    written = write_demo_city(tmp_path)
    assert [p.name for p in written] == [DISTRICTS_FILE, QUARTERS_FILE]
    fresh, stored = _features(tmp_path / file), _features(committed)
    hint = "geodata/ is stale: run `python -m stadtraum.demo.city`"
    assert [f["properties"] for f in fresh] == [f["properties"] for f in stored], hint
    for new, old in zip(fresh, stored, strict=True):
        assert new["geometry"]["type"] == old["geometry"]["type"], hint
        a = shapely.get_coordinates(shapely.geometry.shape(new["geometry"]))
        b = shapely.get_coordinates(shapely.geometry.shape(old["geometry"]))
        assert a.shape == b.shape and np.allclose(a, b, rtol=0, atol=1.5e-6), hint


def test_committed_files_read_with_geopandas() -> None:
    quarters = gpd.read_file(GEODATA / QUARTERS_FILE)
    districts = gpd.read_file(GEODATA / DISTRICTS_FILE)
    assert quarters.crs.to_epsg() == 4326
    assert quarters["code"].map(type).eq(str).all() and len(districts) == 6
    exterior = shapely.get_exterior_ring(quarters.geometry.to_numpy())
    assert shapely.is_ccw(exterior).all()  # RFC 7946 right-hand rule
