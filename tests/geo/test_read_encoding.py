"""Shapefiles without a .cpg: GDAL reads the .dbf as Latin-1, so a Windows-1252 file turns
„ “ – € into C1 control characters. Such a file is re-read as Windows-1252 (with a note);
bytes that are neither UTF-8 nor Windows-1252 are refused with the fix named."""

from __future__ import annotations

from pathlib import Path

import pytest

from stadtraum.config import Region
from stadtraum.errors import GeoImportError
from stadtraum.geo.clean import prepare_layer
from stadtraum.geo.read import read_boundary_file
from tests.geo.builders import frame, shapefile_zip, square, write

NAMES = ["„Nord“ – Mitte", "Süd € Straße", "Ost"]


def _zip(tmp_path: Path, names: list[str], encoding: str, drop: tuple[str, ...] = (".cpg",),
         ) -> Path:
    gdf = frame([square(i) for i in range(len(names))], code=["1", "2", "3"][:len(names)],
                name=names)
    return shapefile_zip(gdf, tmp_path / "grenzen.zip", drop=drop, encoding=encoding)


def test_cp1252_dbf_without_cpg_is_read_as_windows_1252(tmp_path: Path,
                                                        region: Region) -> None:
    raw = read_boundary_file(_zip(tmp_path, NAMES, "cp1252"), region=region)
    assert raw.frame["name"].tolist() == NAMES
    notes = [n for n in raw.notes if n.code == "encoding_assumed"]
    assert [n.message_de for n in notes] == [
        "Zeichensatz Windows-1252 angenommen (keine .cpg-Datei)."]
    layer = prepare_layer(raw, code_field="code", name_field="name")
    assert layer.frame["name"].tolist() == NAMES
    assert "encoding_assumed" in {n.code for n in layer.notes}


def test_plain_shp_without_cpg_is_read_as_windows_1252(tmp_path: Path,
                                                       region: Region) -> None:
    gdf = frame([square(0)], code=["1"], name=["„Nord“ – €"])
    shp = write(gdf, tmp_path / "grenzen.shp", encoding="cp1252")
    (tmp_path / "grenzen.cpg").unlink()
    raw = read_boundary_file(shp, region=region)
    assert raw.frame["name"].tolist() == ["„Nord“ – €"]


def test_with_a_cpg_nothing_is_assumed(tmp_path: Path, region: Region) -> None:
    raw = read_boundary_file(_zip(tmp_path, NAMES, "cp1252", drop=()), region=region)
    assert raw.frame["name"].tolist() == NAMES
    assert "encoding_assumed" not in {n.code for n in raw.notes}


def test_bytes_that_are_not_windows_1252_are_refused_with_the_fix(tmp_path: Path,
                                                                  region: Region) -> None:
    """0x81 is undefined in Windows-1252 (and not UTF-8 on its own)."""
    with pytest.raises(GeoImportError) as info:
        read_boundary_file(_zip(tmp_path, ["Nord", "S\x81d"], "latin1"), region=region)
    message = info.value.message_de
    assert "Objekt 2" in message and "'name'" in message and info.value.row == 1
    assert "Windows-1252" in message and "UTF-8" in message and ".cpg" in message
    assert "Steuerzeichen" not in message


def test_c1_characters_from_another_source_name_the_likely_encoding(region: Region) -> None:
    from stadtraum.geo.read import RawLayer

    gdf = frame([square(0)], code=["1"], name=["\x84Nord\x93"]).to_crs("EPSG:4326")
    raw = RawLayer(frame=gdf, source_crs="EPSG:25832", reprojected=True)
    with pytest.raises(GeoImportError) as info:
        prepare_layer(raw, code_field="code", name_field="name")
    assert "Windows-1252" in info.value.message_de and ".cpg" in info.value.message_de
