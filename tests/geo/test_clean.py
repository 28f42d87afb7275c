"""prepare_layer: field detection, row checks, repair and coverage cleaning."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import geopandas as gpd
import numpy as np
import pytest
import shapely
from shapely.geometry import GeometryCollection, LineString, MultiPolygon, Point, Polygon, box

from stadtraum.config import Region
from stadtraum.errors import GeoImportError
from stadtraum.geo.clean import PreparedLayer, prepare_layer
from stadtraum.geo.read import Note, RawLayer, read_boundary_file
from tests.geo.builders import KM, X0, Y0, frame, shapefile_zip, square, write


def _read(gdf: gpd.GeoDataFrame, tmp_path: Path, region: Region,
          name: str = "areas.gpkg") -> RawLayer:
    return read_boundary_file(write(gdf, tmp_path / name), region=region)


def _prepare(gdf: gpd.GeoDataFrame, tmp_path: Path, region: Region,
             **kwargs: Any) -> PreparedLayer:
    kwargs.setdefault("code_field", "code")
    kwargs.setdefault("name_field", "name")
    return prepare_layer(_read(gdf, tmp_path, region), **kwargs)


def _metric(layer: PreparedLayer) -> np.ndarray:
    return np.asarray(layer.frame.to_crs("EPSG:25832").geometry.values)


# --- happy path -----------------------------------------------------------------------

def test_clean_coverage_passes_unchanged(tmp_path: Path, region: Region) -> None:
    gdf = frame([square(0), square(1), MultiPolygon([square(2), square(4)])])
    raw = _read(gdf, tmp_path, region, name="areas.geojson")  # GeoPackage would promote
    layer = prepare_layer(raw, code_field="code", name_field="name")
    assert list(layer.frame.columns) == ["code", "name", "parent_code", "geometry"]
    assert layer.frame.crs.to_epsg() == 4326
    assert layer.frame["code"].tolist() == ["1", "2", "3"]
    assert layer.frame["name"].tolist() == ["Gebiet 1", "Gebiet 2", "Gebiet 3"]
    assert layer.frame["parent_code"].tolist() == [None, None, None]
    assert list(layer.frame.geom_type) == ["Polygon", "Polygon", "MultiPolygon"]
    # lossless: the geometry is exactly what was read
    for before, after in zip(raw.frame.geometry, layer.frame.geometry, strict=True):
        assert shapely.equals_exact(before, after, tolerance=0)
    assert [n.code for n in layer.notes] == []
    assert (layer.code_field, layer.name_field) == ("code", "name")


@pytest.mark.parametrize(("values", "expected"), [
    ([3.0, 4.0], ["3", "4"]),
    ([3, 4], ["3", "4"]),
    ([" 01", "02 "], ["01", "02"]),
    ([2.5, 7.0], ["2.5", "7"]),
])
def test_codes_are_normalised_to_strings(tmp_path: Path, region: Region, values: list[Any],
                                         expected: list[str]) -> None:
    gdf = frame([square(0), square(1)], code=values, name=["A", "B"])
    assert _prepare(gdf, tmp_path, region).frame["code"].tolist() == expected


def test_parent_field_is_normalised(tmp_path: Path, region: Region) -> None:
    gdf = frame([square(0), square(1), square(2)], code=[10, 11, 20], name=["A", "B", "C"],
                bezirk=[1.0, 1.0, None])
    layer = _prepare(gdf, tmp_path, region, parent_field="bezirk")
    assert layer.frame["parent_code"].tolist() == ["1", "1", None]


@pytest.mark.parametrize(("columns", "code", "name"), [
    ({"id": ["a", "b"], "name": ["A", "B"]}, "id", "name"),
    ({"STATBEZ_NR": [1, 2], "STATBEZ_NA": ["A", "B"], "STADTBZ_NR": [9, 9],
      "STADTBZ_NA": ["X", "X"]}, "STATBEZ_NR", "STATBEZ_NA"),
    ({"schluessel": ["05911000", "05913000"], "bezeichnung": ["Bochum", "Dortmund"]},
     "schluessel", "bezeichnung"),
    ({"cartodb_id": [1, 2], "NAME": ["A", "B"], "description": ["", ""]}, "cartodb_id", "NAME"),
    ({"AGS": ["1", "2"], "GEN": ["A", "B"]}, "AGS", "GEN"),
])
def test_fields_are_detected(tmp_path: Path, region: Region, columns: dict[str, list[Any]],
                             code: str, name: str) -> None:
    gdf = frame([square(0), square(1)], data=columns)
    layer = prepare_layer(_read(gdf, tmp_path, region), code_field=None, name_field=None)
    assert (layer.code_field, layer.name_field) == (code, name)
    codes = {n.code for n in layer.notes}
    assert {"code_field_detected", "name_field_detected"} <= codes


def test_named_fields_match_case_insensitively(tmp_path: Path, region: Region) -> None:
    gdf = frame([square(0)], NR=[1], NAME=["A"])
    layer = _prepare(gdf, tmp_path, region, code_field="nr", name_field="name")
    assert (layer.code_field, layer.name_field) == ("NR", "NAME")


# --- fields that are wrong ------------------------------------------------------------

@pytest.mark.parametrize(("columns", "kwargs", "words"), [
    ({"foo": [1, 2], "bar": ["a", "b"]}, {"code_field": None, "name_field": None},
     ["nicht erkannt", "foo, bar"]),
    ({"code": [1, 2], "bar": ["a", "b"]}, {"code_field": "code", "name_field": "titel"},
     ["'titel'", "gibt es in der Datei nicht", "code, bar"]),
    ({"code": [1, 2], "name": ["a", "b"]}, {"code_field": "nummer", "name_field": "name"},
     ["'nummer'", "code, name"]),
    ({"code": [1, 2], "name": ["a", "b"]},
     {"code_field": "code", "name_field": "name", "parent_field": "bezirk"},
     ["'bezirk'", "code, name"]),
    ({"a_name": ["x", "y"], "b_name": ["u", "v"], "code": [1, 2]},
     {"code_field": "code", "name_field": None}, ["Mehrere Felder", "a_name, b_name"]),
])
def test_missing_or_ambiguous_fields(tmp_path: Path, region: Region,
                                     columns: dict[str, list[Any]], kwargs: dict[str, Any],
                                     words: list[str]) -> None:
    gdf = frame([square(0), square(1)], data=columns)
    with pytest.raises(GeoImportError) as info:
        prepare_layer(_read(gdf, tmp_path, region), **kwargs)
    for word in words:
        assert word in info.value.message_de
    assert info.value.row is None


# --- rows that are wrong --------------------------------------------------------------

def _three(geom: Any = None, code: Any = "3", name: Any = "C") -> gpd.GeoDataFrame:
    """Two good areas and a third one with the given geometry/code/name."""
    third = square(2) if geom is None else geom
    return frame([square(0), square(1), third], code=["1", "2", code], name=["A", "B", name])


BAD_ROWS: list[tuple[str, gpd.GeoDataFrame, int, list[str]]] = [
    ("point", _three(Point(X0 + 2500, Y0 + 500)), 2, ["Objekt 3", "Punkt", "Flächen"]),
    ("line", _three(LineString([(X0 + 2000, Y0), (X0 + 3000, Y0 + 900)])), 2,
     ["Objekt 3", "Linie"]),
    ("null_geometry", _three(None).set_geometry([square(0), square(1), None], crs="EPSG:25832"),
     2, ["Objekt 3", "fehlt oder ist leer"]),
    ("empty_geometry", _three(Polygon()), 2, ["Objekt 3", "leer"]),
    ("collection_with_line", _three(GeometryCollection([square(2), LineString([(0, 0), (1, 1)])])),
     2, ["Objekt 3", "Punkte oder Linien"]),
    ("duplicate_code", _three(code="1"), 2, ["'1'", "mehrfach", "Objekt 1 und Objekt 3"]),
    ("empty_code", _three(code=""), 2, ["Objekt 3", "Feld 'code'", "Schlüssel ist leer"]),
    ("missing_code", _three(code=None), 2, ["Objekt 3", "Schlüssel ist leer"]),
    ("empty_name", _three(name="  "), 2, ["Objekt 3", "Feld 'name'", "Name ist leer"]),
    ("replacement_char", _three(name="S\ufffdd"), 2, ["Objekt 3", "'name'", "Ersatzzeichen"]),
    ("mojibake", _three(name="Bochum-SÃ¼d"), 2, ["Objekt 3", "falsch dekodiertem UTF-8"]),
    ("mojibake_eszett", _three(name="StraÃŸe"), 2, ["falsch dekodiertem UTF-8"]),
    ("control_char", _three(name="Nord\x00"), 2, ["Steuerzeichen"]),
]


@pytest.mark.parametrize(("case", "gdf", "row", "words"), BAD_ROWS, ids=[b[0] for b in BAD_ROWS])
def test_bad_rows_are_rejected_with_the_row_named(tmp_path: Path, region: Region, case: str,
                                                  gdf: gpd.GeoDataFrame, row: int,
                                                  words: list[str]) -> None:
    raw = RawLayer(frame=gdf.to_crs("EPSG:4326"), source_crs="EPSG:25832", reprojected=True)
    if case not in {"point", "line", "collection_with_line", "control_char"}:
        raw = _read(gdf, tmp_path, region)  # through a real file where the format allows it
    with pytest.raises(GeoImportError) as info:
        prepare_layer(raw, code_field="code", name_field="name")
    assert info.value.row == row
    for word in words:
        assert word in info.value.message_de
    assert f"feature {row + 1}" in info.value.message_en


def test_points_and_lines_from_a_file(tmp_path: Path, region: Region) -> None:
    gdf = frame([Point(X0, Y0), Point(X0 + 10, Y0)], code=["1", "2"], name=["A", "B"])
    with pytest.raises(GeoImportError) as info:
        _prepare(gdf, tmp_path, region)
    assert info.value.row == 0 and "Punkt" in info.value.message_de


def test_name_bytes_not_utf8(region: Region) -> None:
    gdf = _three(name=b"S\xfcd").to_crs("EPSG:4326")
    raw = RawLayer(frame=gdf, source_crs="EPSG:4326", reprojected=False)
    with pytest.raises(GeoImportError) as info:
        prepare_layer(raw, code_field="code", name_field="name")
    assert info.value.row == 2
    assert "kein gültiges UTF-8" in info.value.message_de


def test_name_bytes_that_are_utf8_are_decoded(region: Region) -> None:
    gdf = _three(name="Süd".encode()).to_crs("EPSG:4326")
    raw = RawLayer(frame=gdf, source_crs="EPSG:4326", reprojected=False)
    assert prepare_layer(raw, code_field="code", name_field="name").frame["name"][2] == "Süd"


def test_utf8_shapefile_read_as_latin1_is_caught(tmp_path: Path, region: Region) -> None:
    """Without a .cpg GDAL reads the .dbf as Latin-1: UTF-8 names turn into mojibake."""
    gdf = frame([square(0), square(1)], code=["1", "2"], name=["Nord", "Bochum-Süd"])
    raw = read_boundary_file(shapefile_zip(gdf, tmp_path / "a.zip", drop=[".cpg"]),
                             region=region)
    with pytest.raises(GeoImportError) as info:
        prepare_layer(raw, code_field="code", name_field="name")
    assert info.value.row == 1
    assert "'Bochum-SÃ¼d'" in info.value.message_de and ".cpg" in info.value.message_de


def test_legit_accented_names_are_not_mojibake(tmp_path: Path, region: Region) -> None:
    names = ["Köln-Ehrenfeld", "Straße", "Île-de-Fréjus", "Äußere Neustadt", "Øresund"]
    gdf = frame([square(i) for i in range(5)], code=list("abcde"), name=names)
    assert _prepare(gdf, tmp_path, region).frame["name"].tolist() == names


# --- repair and coverage cleaning -----------------------------------------------------

def test_self_intersecting_polygon_is_repaired_and_reported(tmp_path: Path,
                                                             region: Region) -> None:
    x, y = X0 + 2 * KM, Y0
    bowtie = Polygon([(x, y), (x + KM, y + KM), (x + KM, y), (x, y + KM), (x, y)])
    assert not bowtie.is_valid
    layer = _prepare(_three(bowtie), tmp_path, region)
    geom = layer.frame.geometry[2]
    assert geom.is_valid and geom.geom_type == "MultiPolygon"
    repaired = [n for n in layer.notes if n.code == "geometry_repaired"]
    assert [n.row for n in repaired] == [2]
    assert "Objekt 3" in repaired[0].message_de and "Self-intersection" in repaired[0].message_de
    assert layer.frame.to_crs("EPSG:25832").geometry[2].area == pytest.approx(KM * KM / 2, rel=1e-3)


def test_unrepairable_polygon_is_rejected(tmp_path: Path, region: Region) -> None:
    flat = Polygon([(X0 + 2 * KM, Y0), (X0 + 3 * KM, Y0), (X0 + 2 * KM, Y0)])
    raw = RawLayer(frame=_three(flat).to_crs("EPSG:4326"), source_crs="EPSG:25832",
                   reprojected=True)
    with pytest.raises(GeoImportError) as info:
        prepare_layer(raw, code_field="code", name_field="name")
    assert info.value.row == 2 and "reparieren" in info.value.message_de


def test_overlap_between_neighbours_is_cleaned_and_reported(tmp_path: Path,
                                                             region: Region) -> None:
    # square 2 reaches 10 m into square 1: 10 m x 1000 m = 10,000 m² overlap
    wide = box(X0 + KM - 10, Y0, X0 + 2 * KM, Y0 + KM)
    layer = _prepare(frame([square(0), wide, square(2)]), tmp_path, region)
    metric = _metric(layer)
    assert shapely.coverage_is_valid(metric)
    assert shapely.area(metric).sum() == pytest.approx(shapely.union_all(metric).area, abs=1)
    assert shapely.union_all(metric).area == pytest.approx(3 * KM * KM, abs=1)
    note = next(n for n in layer.notes if n.code == "coverage_cleaned")
    assert "2 Fläche(n) angepasst" in note.message_de
    assert "Überlappungen von zusammen 10.000 m²" in note.message_de


def _with_gaps(sliver_m: float, hole_m: float) -> gpd.GeoDataFrame:
    """Squares 0 and 1 with a sliver between them and square 3 with a wide gap before it,
    closed off above and below by two bars (so that both gaps are enclosed holes)."""
    return frame([
        square(0),
        box(X0 + KM + sliver_m, Y0, X0 + 2 * KM, Y0 + KM),
        box(X0 + 2 * KM + hole_m, Y0, X0 + 3 * KM, Y0 + KM),
        box(X0, Y0 + KM, X0 + 3 * KM, Y0 + 2 * KM),
        box(X0, Y0 - KM, X0 + 3 * KM, Y0),
    ])


def test_area_wholly_under_others_is_rejected(tmp_path: Path, region: Region) -> None:
    gdf = frame([square(0), square(1), square(1)])
    with pytest.raises(GeoImportError) as info:
        _prepare(gdf, tmp_path, region)
    assert info.value.row == 2
    assert "Objekt 3" in info.value.message_de and "Objekt 2" in info.value.message_de
    assert "vollständig unter anderen Flächen" in info.value.message_de


def test_large_area_change_gets_a_note_per_area(tmp_path: Path, region: Region) -> None:
    # area 3 reaches 40 m into area 2 (4 % of it, below the limit): one of them loses 4 %
    wide = box(X0 + 2 * KM - 40, Y0, X0 + 3 * KM, Y0 + KM)
    layer = _prepare(frame([square(0), square(1), wide]), tmp_path, region)
    changed = [n for n in layer.notes if n.code == "area_changed"]
    assert len(changed) == 1 and changed[0].row in (1, 2)
    assert "-4.0 %" in changed[0].message_de or "-3.8 %" in changed[0].message_de  # 2 or 3
    assert all(g.is_valid for g in layer.frame.geometry)


@pytest.mark.parametrize("reach_m", [60, 500, 800])
def test_overlap_above_five_percent_is_refused_with_both_areas_named(
        tmp_path: Path, region: Region, reach_m: float) -> None:
    """Area 3 reaches into area 2 by 6 %, 50 % or 80 % of area 2: not resolved silently."""
    wide = box(X0 + 2 * KM - reach_m, Y0, X0 + 3 * KM, Y0 + KM)
    gdf = frame([square(0), square(1), wide], code=["A1", "B2", "C3"],
                name=["Nord", "Mitte", "Süd"])
    with pytest.raises(GeoImportError) as info:
        _prepare(gdf, tmp_path, region)
    message = info.value.message_de
    for word in ("Objekt 2", "B2", "Mitte", "Objekt 3", "C3", "Süd",
                 f"{reach_m / 10:.1f} % der kleineren Fläche", "höchstens 5 %"):
        assert word in message
    assert "Nord" not in message and info.value.row == 1
    assert "feature 2" in info.value.message_en and "feature 3" in info.value.message_en


def test_overlap_share_is_measured_against_the_smaller_area(tmp_path: Path,
                                                            region: Region) -> None:
    """A small area reaching 30 m into a large one: 30 % of the small one, refused."""
    big = box(X0, Y0, X0 + 2 * KM, Y0 + KM)
    small = box(X0 + 2 * KM - 30, Y0, X0 + 2 * KM + 70, Y0 + 100)
    with pytest.raises(GeoImportError) as info:
        _prepare(frame([big, small]), tmp_path, region)
    assert "30.0 % der kleineren Fläche" in info.value.message_de


def _bent_ring() -> Polygon:
    """A ring that crosses itself in EPSG:4326 by about 0.3 m but not in EPSG:25832: a long
    parallel is a straight line in degrees and an arc in metres (2.7 m off the chord over
    10 km), so a vertex just north of it lies beyond the edge in degrees only."""
    ax, bx, lat = 7.0, 7.15, 51.40
    return Polygon([(ax, lat), (bx, lat), (bx, lat - 0.01), ((ax + bx) / 2, lat + 3e-6),
                    (ax, lat - 0.01), (ax, lat)])


def test_geometry_invalid_only_in_degrees_is_repaired_before_storing(region: Region) -> None:
    bent = _bent_ring()
    assert not bent.is_valid
    assert gpd.GeoSeries([bent], crs="EPSG:4326").to_crs("EPSG:25832").is_valid.all()
    raw = RawLayer(frame=frame([bent], crs="EPSG:4326"), source_crs="EPSG:4326",
                   reprojected=False)
    layer = prepare_layer(raw, code_field="code", name_field="name")
    assert layer.frame.geometry.is_valid.all()
    repaired = [n for n in layer.notes if n.code == "geometry_repaired"]
    assert [n.row for n in repaired] == [0] and "Self-intersection" in repaired[0].message_de


def test_sliver_gap_is_closed_and_a_wide_gap_kept(tmp_path: Path, region: Region) -> None:
    layer = _prepare(_with_gaps(sliver_m=2, hole_m=300), tmp_path, region)
    metric = _metric(layer)
    union = shapely.union_all(metric)
    assert union.area == pytest.approx(9 * KM * KM - 300 * KM, abs=1)
    assert shapely.get_num_interior_rings(union) == 1  # the 300 m gap is real and stays
    assert shapely.coverage_is_valid(metric, gap_width=5.0)
    note = next(n for n in layer.notes if n.code == "coverage_cleaned")
    assert "Lücken schmaler als 5 m von zusammen 2.000 m² geschlossen" in note.message_de


def test_gap_width_is_configurable(tmp_path: Path, region: Region) -> None:
    layer = _prepare(_with_gaps(sliver_m=2, hole_m=300), tmp_path, region, gap_width_m=1.0)
    union = shapely.union_all(_metric(layer))
    assert union.area == pytest.approx(9 * KM * KM - 300 * KM - 2 * KM, abs=1)
    assert all("geschlossen" not in n.message_de for n in layer.notes)


def test_z_coordinates_are_dropped(tmp_path: Path, region: Region) -> None:
    z = shapely.force_3d(square(2), 100.0)
    raw = RawLayer(frame=_three(z).to_crs("EPSG:4326"), source_crs="EPSG:25832",
                   reprojected=True)
    layer = prepare_layer(raw, code_field="code", name_field="name")
    assert not shapely.has_z(layer.frame.geometry.values).any()
    assert "z_dropped" in {n.code for n in layer.notes}


def test_collection_of_polygons_becomes_polygonal(region: Region) -> None:
    gc = GeometryCollection([square(2)])
    raw = RawLayer(frame=_three(gc).to_crs("EPSG:4326"), source_crs="EPSG:25832",
                   reprojected=True)
    layer = prepare_layer(raw, code_field="code", name_field="name")
    assert layer.frame.geometry[2].geom_type == "Polygon"


def test_reading_notes_come_first(region: Region) -> None:
    note = Note("crs_assumed_wgs84", "de", "en")
    raw = RawLayer(frame=frame([square(0)]).to_crs("EPSG:4326"), source_crs="EPSG:4326",
                   reprojected=False, notes=[note])
    layer = prepare_layer(raw, code_field="code", name_field="name")
    assert layer.notes == [note]
