"""read_boundary_file: CRS checks, plausibility region and text encoding."""

from __future__ import annotations

import warnings
import zipfile
from collections.abc import Callable
from pathlib import Path

import geopandas as gpd
import pytest
from shapely.geometry import box

from stadtraum.config import Region
from stadtraum.errors import GeoImportError
from stadtraum.geo.read import read_boundary_file
from tests.geo.builders import (
    frame,
    geojson_text,
    grid_frame,
    ring,
    shapefile_zip,
    square,
    swap_xy,
    write,
)

Builder = Callable[[Path], Path]


def _gpkg_no_crs(gdf: gpd.GeoDataFrame, path: Path) -> Path:
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", "'crs' was not provided")
        return write(gdf.set_crs(None, allow_override=True), path)


# --- CRS ------------------------------------------------------------------------------

def _geojson_raw(text: str) -> Builder:
    def build(p: Path) -> Path:
        path = p / "raw.geojson"
        path.write_text(text, encoding="utf-8")
        return path
    return build


METRES_AS_DEGREES = geojson_text([({"code": "1", "name": "A"}, ring(370000, 5705000, 1000, 1000))])
SPAIN = geojson_text([({"code": "1", "name": "Madrid"}, ring(-3.7, 40.4, 0.01, 0.01))])

BAD_CRS: list[tuple[str, Builder, list[str]]] = [
    ("metres_without_crs", lambda p: _gpkg_no_crs(grid_frame(crs="EPSG:25832"), p / "m.gpkg"),
     ["kein Koordinatensystem", "Meterwerte", "370000, 5705000", "--assume-crs EPSG:25832"]),
    ("metres_declared_as_degrees", _geojson_raw(METRES_AS_DEGREES),
     ["EPSG:4326", "±180", "Meterwerte", "--assume-crs"]),
    ("swapped_lat_lon", lambda p: write(swap_xy(grid_frame()), p / "s.geojson"),
     ["vertauscht", "Breite/Länge statt umgekehrt"]),
    ("swapped_without_crs", lambda p: _gpkg_no_crs(swap_xy(grid_frame()), p / "s.gpkg"),
     ["vertauscht"]),
    ("swapped_projected", lambda p: write(swap_xy(grid_frame(crs="EPSG:25832")), p / "s.gpkg"),
     ["vertauscht", "Hochwert/Rechtswert", "5705000, 370000"]),
    ("outside_region", _geojson_raw(SPAIN),
     ["außerhalb der Plausibilitätsregion", "-3.7", "STADTRAUM_REGION", "Länge 5.5…15.5"]),
    ("degrees_declared_as_metres",
     lambda p: write(grid_frame().set_crs("EPSG:25832", allow_override=True), p / "d.gpkg"),
     ["EPSG:25832", "Längen-/Breitengrade"]),
    ("zip_without_prj",
     lambda p: shapefile_zip(grid_frame(crs="EPSG:25832"), p / "n.zip", drop=[".prj"]),
     [".prj", "unbekannt", "Meterwerte", "--assume-crs EPSG:25832"]),
]


@pytest.mark.parametrize(("case", "build", "words"), BAD_CRS, ids=[c[0] for c in BAD_CRS])
def test_bad_crs_is_rejected_with_explanation(tmp_path: Path, region: Region, case: str,
                                              build: Builder, words: list[str]) -> None:
    with pytest.raises(GeoImportError) as info:
        read_boundary_file(build(tmp_path), region=region)
    for word in words:
        assert word in info.value.message_de
    assert info.value.message_en
    assert info.value.row is None


@pytest.mark.parametrize(("case", "build", "note"), [
    ("metres_without_crs", lambda p: _gpkg_no_crs(grid_frame(crs="EPSG:25832"), p / "m.gpkg"),
     "crs_assumed"),
    ("metres_declared_as_degrees", _geojson_raw(METRES_AS_DEGREES), "crs_overridden"),
    ("zip_without_prj",
     lambda p: shapefile_zip(grid_frame(crs="EPSG:25832"), p / "n.zip", drop=[".prj"]),
     "crs_assumed"),
])
def test_assume_crs_makes_metre_files_readable(tmp_path: Path, region: Region, case: str,
                                               build: Builder, note: str) -> None:
    raw = read_boundary_file(build(tmp_path), region=region, assume_crs="EPSG:25832")
    assert raw.source_crs == "EPSG:25832"
    assert raw.reprojected
    assert [n.code for n in raw.notes] == [note]
    assert region.contains_bounds(tuple(raw.frame.total_bounds))


def test_degrees_without_crs_inside_region_are_read_as_wgs84(tmp_path: Path,
                                                             region: Region) -> None:
    raw = read_boundary_file(_gpkg_no_crs(grid_frame(), tmp_path / "d.gpkg"), region=region)
    assert raw.source_crs == "EPSG:4326"
    assert not raw.reprojected
    assert [n.code for n in raw.notes] == ["crs_assumed_wgs84"]


def test_assume_crs_does_not_override_a_declared_crs(tmp_path: Path, region: Region) -> None:
    path = write(grid_frame(crs="EPSG:25832"), tmp_path / "a.gpkg")
    raw = read_boundary_file(path, region=region, assume_crs="EPSG:31466")
    assert raw.source_crs == "EPSG:25832"
    assert [n.code for n in raw.notes] == ["assume_crs_ignored"]


def test_unknown_assume_crs(tmp_path: Path, region: Region) -> None:
    path = _gpkg_no_crs(grid_frame(crs="EPSG:25832"), tmp_path / "m.gpkg")
    with pytest.raises(GeoImportError, match="unknown CRS") as info:
        read_boundary_file(path, region=region, assume_crs="EPSG:999999")
    assert "unbekannt" in info.value.message_de


def test_region_is_configurable(tmp_path: Path) -> None:
    path = write(grid_frame(), tmp_path / "a.geojson")
    berlin_only = Region(13.0, 52.3, 13.8, 52.7)
    with pytest.raises(GeoImportError) as info:
        read_boundary_file(path, region=berlin_only)
    assert "Länge 13…13.8" in info.value.message_de


# --- text encoding --------------------------------------------------------------------

def test_geojson_with_latin1_bytes_names_the_row(tmp_path: Path, region: Region) -> None:
    text = geojson_text([({"code": "1", "name": "Nord"}, ring(7.2, 51.45, 0.01, 0.01)),
                         ({"code": "2", "name": "SUEDX"}, ring(7.21, 51.45, 0.01, 0.01))])
    path = tmp_path / "latin1.geojson"
    path.write_bytes(text.replace("SUEDX", "S\u00fcd").encode("latin-1"))
    with pytest.raises(GeoImportError) as info:
        read_boundary_file(path, region=region)
    assert info.value.row == 1
    assert "Objekt 2" in info.value.message_de
    assert "'name'" in info.value.message_de
    assert "UTF-8" in info.value.message_de
    assert "Süd" in info.value.message_de


def test_shapefile_whose_cpg_lies_about_the_encoding(tmp_path: Path, region: Region) -> None:
    gdf = frame([square(0), square(1), square(2)], code=["1", "2", "3"],
                name=["Nord", "Mitte", "Süd"])
    path = shapefile_zip(gdf, tmp_path / "a.zip", encoding="latin1", drop=[".cpg"])
    with zipfile.ZipFile(path, "a") as zf:
        zf.writestr("grenzen.cpg", b"UTF-8")
    with pytest.raises(GeoImportError) as info:
        read_boundary_file(path, region=region)
    assert info.value.row == 2
    assert "Objekt 3" in info.value.message_de and "UTF-8" in info.value.message_de


def test_latin1_shapefile_with_correct_cpg_reads_umlauts(tmp_path: Path, region: Region) -> None:
    gdf = frame([square(0), square(1)], code=["1", "2"], name=["Nord", "Süd"])
    raw = read_boundary_file(shapefile_zip(gdf, tmp_path / "a.zip", encoding="latin1"),
                             region=region)
    assert raw.frame["name"].tolist() == ["Nord", "Süd"]


def test_bounds_of_outside_error_are_named(tmp_path: Path, region: Region) -> None:
    gdf = frame([box(-3.71, 40.41, -3.70, 40.42)], crs="EPSG:4326")
    with pytest.raises(GeoImportError) as info:
        read_boundary_file(write(gdf, tmp_path / "spanien.gpkg"), region=region)
    assert "-3.71, 40.41 – -3.7, 40.42" in info.value.message_de
