"""The real boundary files in ../shared/geodata (Bochum, Berlin, Hamburg)."""

from __future__ import annotations

import json
from pathlib import Path

import geopandas as gpd
import numpy as np
import pytest
import shapely
from shapely import affinity

from stadtraum.config import Region
from stadtraum.errors import GeoImportError
from stadtraum.geo.clean import PreparedLayer, prepare_layer
from stadtraum.geo.display import display_geojson
from stadtraum.geo.hierarchy import derive_parents
from stadtraum.geo.locate import AreaLocator
from stadtraum.geo.read import read_boundary_file
from tests.geo.builders import shapefile_zip, swap_xy, write

DISTRICTS = "bochum_statistische_bezirke_wgs84.geojson"
STADTBEZIRKE = "bochum_stadtbezirke_dissolved_wgs84.geojson"
# How a city GIS might export the 30 districts as a Shapefile (10-character field names).
GIS_NAMES = {"stat_bezirk_nr": "STATBEZ_NR", "stat_bezirk_name": "STATBEZ_NA",
             "stadtbezirk_nr": "STADTBZ_NR", "stadtbezirk_name": "STADTBZ_NA",
             "area_km2_source": "FLAECHE_KM", "n_stat_bezirke": "ANZ_STATBZ",
             "area_km2_approx": "FLAECHE_KM"}


@pytest.fixture(scope="module")
def districts_gdf(shared_geodata: Path) -> gpd.GeoDataFrame:
    return gpd.read_file(shared_geodata / DISTRICTS, engine="pyogrio")


@pytest.fixture
def districts(shared_geodata: Path, region: Region) -> PreparedLayer:
    return prepare_layer(read_boundary_file(shared_geodata / DISTRICTS, region=region),
                         code_field=None, name_field=None)


@pytest.fixture
def stadtbezirke(shared_geodata: Path, region: Region) -> PreparedLayer:
    return prepare_layer(read_boundary_file(shared_geodata / STADTBEZIRKE, region=region),
                         code_field=None, name_field=None)


def _gis_export(source: Path, target: Path) -> Path:
    """Reproject to EPSG:25832 and rename the fields like a city GIS export."""
    gdf = gpd.read_file(source, engine="pyogrio").to_crs("EPSG:25832")
    return shapefile_zip(gdf.rename(columns=GIS_NAMES), target)


@pytest.fixture
def gis_export_zip(shared_geodata: Path, tmp_path: Path) -> Path:
    return _gis_export(shared_geodata / DISTRICTS, tmp_path / "Statistische_Bezirke.zip")


@pytest.fixture
def gis_stadtbezirke_zip(shared_geodata: Path, tmp_path: Path) -> Path:
    return _gis_export(shared_geodata / STADTBEZIRKE, tmp_path / "Stadtbezirke.zip")


def _expected_parents(districts_gdf: gpd.GeoDataFrame) -> list[str]:
    return [str(v) for v in districts_gdf["stadtbezirk_nr"]]


def test_bochum_wgs84_files(districts: PreparedLayer, stadtbezirke: PreparedLayer,
                            districts_gdf: gpd.GeoDataFrame) -> None:
    assert (districts.code_field, districts.name_field) == ("stat_bezirk_nr", "stat_bezirk_name")
    assert len(districts.frame) == 30
    assert districts.frame["code"].tolist() == [str(v) for v in districts_gdf["stat_bezirk_nr"]]
    assert "Südinnenstadt" in districts.frame["name"].tolist()
    assert (stadtbezirke.code_field, stadtbezirke.name_field) == ("stadtbezirk_nr",
                                                                  "stadtbezirk_name")
    assert stadtbezirke.frame["code"].tolist() == ["1", "2", "3", "4", "5", "6"]
    for layer in (districts, stadtbezirke):
        metric = np.asarray(layer.frame.to_crs("EPSG:25832").geometry.values)
        assert shapely.is_valid(metric).all()
        assert shapely.coverage_is_valid(metric)
        assert "coverage_cleaned" in {n.code for n in layer.notes}


def test_bochum_city_gis_export_as_zipped_shapefile(gis_export_zip: Path, region: Region,
                                                    districts: PreparedLayer) -> None:
    raw = read_boundary_file(gis_export_zip, region=region)
    assert raw.source_crs == "EPSG:25832" and raw.reprojected
    layer = prepare_layer(raw, code_field=None, name_field=None, parent_field="STADTBZ_NR")
    assert (layer.code_field, layer.name_field) == ("STATBEZ_NR", "STATBEZ_NA")
    assert layer.frame["code"].tolist() == districts.frame["code"].tolist()
    assert layer.frame["name"].tolist() == districts.frame["name"].tolist()
    assert layer.frame["parent_code"].isin(["1", "2", "3", "4", "5", "6"]).all()
    a = layer.frame.to_crs("EPSG:25832").geometry
    b = districts.frame.to_crs("EPSG:25832").geometry
    for mine, theirs in zip(a, b, strict=True):
        assert mine.symmetric_difference(theirs).area < 1e-3 * theirs.area


def test_bochum_stadtbezirke_as_zipped_shapefile(gis_stadtbezirke_zip: Path, region: Region,
                                                 stadtbezirke: PreparedLayer) -> None:
    raw = read_boundary_file(gis_stadtbezirke_zip, region=region)
    assert raw.source_crs == "EPSG:25832"
    layer = prepare_layer(raw, code_field="STADTBZ_NR", name_field="STADTBZ_NA")
    assert layer.frame["code"].tolist() == ["1", "2", "3", "4", "5", "6"]
    assert layer.frame["name"].tolist() == stadtbezirke.frame["name"].tolist()
    assert "Bochum-Süd" in layer.frame["name"].tolist()


@pytest.mark.parametrize("source", ["wgs84_geojson", "gis_export_zip"])
def test_parents_by_overlap_match_the_files_own_numbers(
        source: str, request: pytest.FixtureRequest, shared_geodata: Path, region: Region,
        districts_gdf: gpd.GeoDataFrame) -> None:
    if source == "wgs84_geojson":
        child_path, parent_path = shared_geodata / DISTRICTS, shared_geodata / STADTBEZIRKE
    else:
        child_path = request.getfixturevalue("gis_export_zip")
        parent_path = request.getfixturevalue("gis_stadtbezirke_zip")
    raw = read_boundary_file(child_path, region=region)
    raw.frame = raw.frame.drop(columns=[c for c in raw.frame.columns
                                        if c.lower().startswith(("stadtbezirk", "stadtbz"))])
    children = prepare_layer(raw, code_field=None, name_field=None)
    assert children.frame["parent_code"].isna().all()
    parents = prepare_layer(read_boundary_file(parent_path, region=region),
                            code_field=None, name_field=None)
    result = derive_parents(children.frame, parents.frame)
    assert result.codes == _expected_parents(districts_gdf)
    assert result.notes == []


@pytest.mark.parametrize(("file", "count", "code_field", "names"), [
    ("berlin_bezirke_wgs84.geojson", 12, "cartodb_id",
     {"Mitte", "Friedrichshain-Kreuzberg", "Tempelhof-Schöneberg"}),
    ("hamburg_bezirke_wgs84.geojson", 7, "id", {"Hamburg-Mitte", "Eimsbüttel", "Harburg"}),
])
def test_berlin_and_hamburg(shared_geodata: Path, region: Region, file: str, count: int,
                            code_field: str, names: set[str]) -> None:
    raw = read_boundary_file(shared_geodata / file, region=region)
    layer = prepare_layer(raw, code_field=None, name_field=None)
    assert len(layer.frame) == count
    assert (layer.code_field, layer.name_field) == (code_field, "name")
    assert names <= set(layer.frame["name"])
    metric = np.asarray(layer.frame.to_crs("EPSG:25832").geometry.values)
    assert shapely.coverage_is_valid(metric)
    if file.startswith("hamburg"):
        assert layer.frame["code"].tolist() == [f"0{i}" for i in range(1, 8)]


def test_metre_shapefile_without_prj(districts_gdf: gpd.GeoDataFrame, tmp_path: Path,
                                     region: Region) -> None:
    export = districts_gdf.to_crs("EPSG:25832").rename(columns=GIS_NAMES)
    path = shapefile_zip(export, tmp_path / "ohne_prj.zip",
                         drop=[".prj"])
    with pytest.raises(GeoImportError) as info:
        read_boundary_file(path, region=region)
    assert ".prj" in info.value.message_de and "Meterwerte" in info.value.message_de
    assert "--assume-crs EPSG:25832" in info.value.message_de
    raw = read_boundary_file(path, region=region, assume_crs="EPSG:25832")
    assert raw.source_crs == "EPSG:25832"
    np.testing.assert_allclose(raw.frame.total_bounds, districts_gdf.total_bounds, atol=1e-6)


def test_swapped_axes_file_is_rejected(districts_gdf: gpd.GeoDataFrame, tmp_path: Path,
                                       region: Region) -> None:
    path = write(swap_xy(districts_gdf), tmp_path / "vertauscht.geojson")
    with pytest.raises(GeoImportError) as info:
        read_boundary_file(path, region=region)
    assert "vertauscht" in info.value.message_de


def test_file_outside_the_region_is_rejected(districts_gdf: gpd.GeoDataFrame, tmp_path: Path,
                                             region: Region) -> None:
    spain = districts_gdf.copy()
    spain.geometry = spain.geometry.map(lambda g: affinity.translate(g, -10.9, -11.1))
    with pytest.raises(GeoImportError) as info:
        read_boundary_file(write(spain, tmp_path / "spanien.geojson"), region=region)
    assert "außerhalb der Plausibilitätsregion" in info.value.message_de
    assert "-3.79" in info.value.message_de  # the bounds are named


def test_geopackage_with_both_levels(districts_gdf: gpd.GeoDataFrame, shared_geodata: Path,
                                     tmp_path: Path, region: Region) -> None:
    path = tmp_path / "bochum.gpkg"
    write(gpd.read_file(shared_geodata / STADTBEZIRKE).to_crs("EPSG:25832"), path,
          layer="stadtbezirke")
    write(districts_gdf.to_crs("EPSG:25832"), path, layer="statistische_bezirke")
    with pytest.raises(GeoImportError, match="several layers"):
        read_boundary_file(path, region=region)
    raw = read_boundary_file(path, region=region, layer="statistische_bezirke")
    assert len(raw.frame) == 30 and raw.source_crs == "EPSG:25832"


def test_bochum_map_payload(districts: PreparedLayer) -> None:
    gj = display_geojson(districts.frame)
    payload = json.dumps(gj, ensure_ascii=False, separators=(",", ":")).encode()
    assert len(payload) <= 150 * 1024
    shown = gpd.GeoDataFrame.from_features(gj["features"], crs="EPSG:4326").to_crs("EPSG:25832")
    assert shapely.coverage_is_valid(np.asarray(shown.geometry.values))
    assert [f["properties"]["code"] for f in gj["features"]] == districts.frame["code"].tolist()


def test_locator_on_bochum(districts: PreparedLayer) -> None:
    geoms = list(districts.frame.geometry)
    x0, y0, x1, y1 = districts.frame.total_bounds
    rng = np.random.default_rng(7)
    lon, lat = rng.uniform(x0, x1, 100_000), rng.uniform(y0, y1, 100_000)
    expected = np.full(lon.shape, -1)
    for i, g in enumerate(geoms):
        expected[shapely.contains_xy(g, lon, lat)] = i
    np.testing.assert_array_equal(AreaLocator(geoms).locate(lon, lat), expected)
