"""read_boundary_file: supported formats and every way a container can be bad."""

from __future__ import annotations

import tempfile
import zipfile
from collections.abc import Callable
from pathlib import Path

import numpy as np
import pytest

from stadtraum.config import Region
from stadtraum.errors import GeoImportError
from stadtraum.geo.read import DEFAULT_MAX_BYTES, RawLayer, read_boundary_file
from tests.geo.builders import (
    frame,
    grid_frame,
    shapefile_zip,
    square,
    write,
)

Builder = Callable[[Path], Path]


# --- files that are read --------------------------------------------------------------

GOOD: list[tuple[str, Builder, str, bool]] = [
    ("geojson_4326", lambda p: write(grid_frame(), p / "a.geojson"), "EPSG:4326", False),
    ("json_suffix", lambda p: write(grid_frame(), p / "a.json", driver="GeoJSON"),
     "EPSG:4326", False),
    ("geojson_25832", lambda p: write(grid_frame(crs="EPSG:25832"), p / "a.geojson"),
     "EPSG:25832", True),
    ("gpkg_25832", lambda p: write(grid_frame(crs="EPSG:25832"), p / "a.gpkg"),
     "EPSG:25832", True),
    ("zip_shapefile", lambda p: shapefile_zip(grid_frame(crs="EPSG:25832"), p / "a.zip"),
     "EPSG:25832", True),
    ("zip_in_folder_macos_junk", lambda p: _with_macos_junk(
        shapefile_zip(grid_frame(crs="EPSG:25832"), p / "a.zip", folder="export/")),
     "EPSG:25832", True),
    ("plain_shp", lambda p: write(grid_frame(crs="EPSG:31466"), p / "a.shp"),
     "EPSG:31466", True),
]


def _with_macos_junk(path: Path) -> Path:
    with zipfile.ZipFile(path, "a") as zf:
        zf.writestr("__MACOSX/export/._grenzen.shp", b"junk")
    return path


@pytest.mark.parametrize(("case", "build", "crs", "reprojected"), GOOD, ids=[g[0] for g in GOOD])
def test_reads_supported_formats(tmp_path: Path, region: Region, case: str, build: Builder,
                                 crs: str, reprojected: bool) -> None:
    raw = read_boundary_file(build(tmp_path), region=region)
    assert isinstance(raw, RawLayer)
    assert raw.source_crs == crs
    assert raw.reprojected is reprojected
    assert raw.frame.crs.to_epsg() == 4326
    assert len(raw.frame) == 3
    assert {"code", "name"} <= set(raw.frame.columns)
    x0, y0, x1, y1 = raw.frame.total_bounds
    assert 7.1 < x0 < x1 < 7.3 and 51.4 < y0 < y1 < 51.6


def test_zip_is_extracted_to_a_temporary_folder_and_cleaned_up(
        tmp_path: Path, region: Region, monkeypatch: pytest.MonkeyPatch) -> None:
    scratch = tmp_path / "scratch"
    scratch.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(scratch))
    good = shapefile_zip(grid_frame(crs="EPSG:25832"), tmp_path / "good.zip")
    read_boundary_file(good, region=region)
    bad = shapefile_zip(grid_frame(crs="EPSG:25832"), tmp_path / "bad.zip", drop=[".prj"])
    with pytest.raises(GeoImportError):
        read_boundary_file(bad, region=region)
    assert list(scratch.iterdir()) == []


# --- bad containers -------------------------------------------------------------------

def _zip_entries(entries: dict[str, bytes]) -> Builder:
    def build(p: Path) -> Path:
        path = p / "x.zip"
        with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
            for name, data in entries.items():
                zf.writestr(name, data)
        return path
    return build


def _sparse_bytes() -> bytes:
    """1 MB that compresses about 30:1 (not a bomb, just large)."""
    rng = np.random.default_rng(0)
    return (rng.random(1_000_000) < 0.02).astype(np.uint8).tobytes()


def _two_shapefiles(p: Path) -> Path:
    path = shapefile_zip(grid_frame(crs="EPSG:25832"), p / "two.zip")
    with zipfile.ZipFile(path, "a") as zf:
        zf.writestr("andere.shp", b"x")
    return path


def _zip_bomb(p: Path) -> Path:
    path = p / "bomb.zip"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf, \
            zf.open("grenzen.shp", "w", force_zip64=True) as entry:
        block = bytes(1024 * 1024)
        for _ in range(20):  # 20 MB of zeros → about 20 kB on disk
            entry.write(block)
    assert path.stat().st_size < 100_000
    return path


BAD_FILES: list[tuple[str, Builder, int | None, list[str]]] = [
    ("zip_bomb", _zip_bomb, None, ["ZIP-Bombe", "100:1"]),
    ("zip_too_big_unpacked", lambda p: _zip_entries({"grenzen.shp": _sparse_bytes()})(p),
     50_000, ["entpackt", "nicht entpackt"]),
    ("oversized_file", lambda p: write(grid_frame(), p / "a.geojson"), 100,
     ["zu groß", "erlaubt sind 100 Byte"]),
    ("path_traversal", _zip_entries({"../../evil.shp": b"x"}), None,
     ["unzulässigen Pfad", "../../evil.shp"]),
    ("absolute_path", _zip_entries({"/etc/evil.shp": b"x"}), None, ["unzulässigen Pfad"]),
    ("no_shapefile_in_zip", _zip_entries({"liesmich.txt": b"hallo"}), None,
     ["keine Shapefile", "liesmich.txt"]),
    ("several_shapefiles", _two_shapefiles, None, ["mehrere Shapefiles", "andere.shp"]),
    ("zip_without_dbf",
     lambda p: shapefile_zip(grid_frame(crs="EPSG:25832"), p / "a.zip", drop=[".dbf"]), None,
     [".dbf", "Sachdaten"]),
    ("zip_without_shx",
     lambda p: shapefile_zip(grid_frame(crs="EPSG:25832"), p / "a.zip", drop=[".shx"]), None,
     [".shx"]),
    ("not_a_zip", lambda p: _junk(p / "x.zip", b"PK\x03\x04 kaputt"), None,
     ["keine gültige ZIP-Datei"]),
    ("corrupt_zip_entry", lambda p: _corrupt_entry(p), None,
     ["'grenzen.dbf'", "beschädigt"]),
    ("corrupt_geopackage", lambda p: _junk(p / "x.gpkg", b"junk" * 1000), None,
     ["GeoPackage-Datei", "beschädigt"]),
    ("truncated_geopackage", lambda p: _truncated_gpkg(p), None, ["beschädigt"]),
    ("corrupt_geojson", lambda p: _junk(p / "x.geojson", b'{"type": "FeatureColl'), None,
     ["beschädigt"]),
    ("unsupported_format", lambda p: _junk(p / "x.csv", b"a,b\n1,2\n"), None,
     ["nicht unterstützt", ".gpkg"]),
    ("empty_file", lambda p: _junk(p / "x.geojson", b""), None, ["leer"]),
    ("missing_file", lambda p: p / "fehlt.geojson", None, ["nicht gefunden"]),
    ("no_features", lambda p: _junk(p / "x.geojson",
                                    b'{"type":"FeatureCollection","features":[]}'), None,
     ["keine Objekte"]),
]


def _junk(path: Path, data: bytes) -> Path:
    path.write_bytes(data)
    return path


def _corrupt_entry(p: Path) -> Path:
    """A zipped Shapefile whose .dbf entry has garbage in its compressed data."""
    gdf = frame([square(i) for i in range(40)], code=[str(i) for i in range(40)],
                name=[f"Gebiet {i}" for i in range(40)])
    path = shapefile_zip(gdf, p / "kaputt.zip")
    with zipfile.ZipFile(path) as zf:
        info = zf.getinfo("grenzen.dbf")
    data = bytearray(path.read_bytes())
    start = info.header_offset + 30 + len(info.filename) + 10
    data[start:start + 40] = bytes(range(40))
    return _junk(path, bytes(data))


def _truncated_gpkg(p: Path) -> Path:
    good = write(grid_frame(), p / "good.gpkg")
    return _junk(p / "x.gpkg", good.read_bytes()[:6000])


@pytest.mark.parametrize(("case", "build", "max_bytes", "words"), BAD_FILES,
                         ids=[c[0] for c in BAD_FILES])
def test_bad_files_are_refused_with_a_clear_message(tmp_path: Path, region: Region, case: str,
                                                     build: Builder, max_bytes: int | None,
                                                     words: list[str]) -> None:
    with pytest.raises(GeoImportError) as info:
        read_boundary_file(build(tmp_path), region=region,
                           max_bytes=max_bytes or DEFAULT_MAX_BYTES)
    for word in words:
        assert word in info.value.message_de
    assert info.value.message_en


def test_zip_bomb_is_refused_before_extraction(tmp_path: Path, region: Region,
                                               monkeypatch: pytest.MonkeyPatch) -> None:
    def no_extraction(*args: object, **kwargs: object) -> None:
        raise AssertionError("extraction attempted")

    monkeypatch.setattr("stadtraum.geo.read.extract_shapefile", no_extraction)
    with pytest.raises(GeoImportError, match="zip bomb"):
        read_boundary_file(_zip_bomb(tmp_path), region=region)


# --- GeoPackage layers ----------------------------------------------------------------

@pytest.fixture
def two_layer_gpkg(tmp_path: Path) -> Path:
    path = tmp_path / "ebenen.gpkg"
    write(grid_frame(2), path, layer="stadtbezirke")
    write(grid_frame(3), path, layer="ortsteile")
    return path


def test_gpkg_with_several_layers_needs_a_choice(two_layer_gpkg: Path, region: Region) -> None:
    with pytest.raises(GeoImportError) as info:
        read_boundary_file(two_layer_gpkg, region=region)
    assert "mehrere Ebenen" in info.value.message_de
    assert "stadtbezirke" in info.value.message_de and "ortsteile" in info.value.message_de
    assert len(read_boundary_file(two_layer_gpkg, region=region, layer="ortsteile").frame) == 3


def test_gpkg_unknown_layer_lists_the_layers(two_layer_gpkg: Path, region: Region) -> None:
    with pytest.raises(GeoImportError) as info:
        read_boundary_file(two_layer_gpkg, region=region, layer="quartiere")
    assert "'quartiere' gibt es" in info.value.message_de
    assert "stadtbezirke, ortsteile" in info.value.message_de
