"""Reading text and messages of boundary files.

Shapefiles without a .cpg: GDAL reads the .dbf as Latin-1, so a Windows-1252 file turns
„ “ – € into C1 control characters. Such a file is re-read as Windows-1252 (with a note);
bytes that are neither UTF-8 nor Windows-1252 are refused with the fix named.

GDAL/pyogrio/geopandas warnings never reach stderr: they are logged in English and, for a
file that is imported, reported in German."""

from __future__ import annotations

import subprocess
import sys
import warnings
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


# --- GDAL/pyogrio/geopandas warnings: never on stderr; logged in English, reported in German

_GEOM = ('{"type":"Polygon","coordinates":[[[7.2,51.45],[7.21,51.45],[7.21,51.46],'
         '[7.2,51.46],[7.2,51.45]]]}')


def _geojson(tmp_path: Path, features: str) -> Path:
    path = tmp_path / "gebiete.geojson"
    path.write_text('{"type":"FeatureCollection","features":[' + features + "]}",
                    encoding="utf-8")
    return path


def test_mixed_field_types_warning_goes_to_the_report_not_stderr(
        tmp_path: Path, region: Region, capfd: pytest.CaptureFixture[str],
        caplog: pytest.LogCaptureFixture) -> None:
    path = _geojson(tmp_path, ",".join(
        f'{{"type":"Feature","properties":{{"code":{code},"name":"{name}"}},'
        f'"geometry":{_GEOM}}}' for code, name in (("1", "A"), ('"x"', "B"))))
    caplog.set_level("INFO", logger="stadtraum")
    with warnings.catch_warnings(record=True) as escaped:
        warnings.simplefilter("always")
        raw = read_boundary_file(path, region=region)
    assert [str(w.message) for w in escaped] == []  # nothing left for Python to print
    assert raw.frame["code"].tolist() == ["1", "x"]
    assert capfd.readouterr().err == ""
    notes = [n for n in raw.notes if n.code == "read_warning"]
    assert [n.message_de for n in notes] == [
        "gebiete.geojson: Das Feld 'code' enthält gemischte Werte (z. B. Zahlen und Text) "
        "und wurde als Text gelesen."]
    assert any("Could not parse column 'code'" in r.getMessage() for r in caplog.records)


@pytest.mark.parametrize(("geometry", "gdal_text"), [
    ('{"type":"Polygon","coordinates":[[[7.2,51.45],[7.21,51.45],[7.21,51.46]]]}',
     "Non closed ring detected"),
    ('{"type":"Polygonx","coordinates":[]}', "Unsupported geometry type detected"),
])
def test_gdal_warnings_of_a_refused_file_are_logged_not_printed(
        tmp_path: Path, region: Region, capfd: pytest.CaptureFixture[str],
        caplog: pytest.LogCaptureFixture, geometry: str, gdal_text: str) -> None:
    path = _geojson(tmp_path, '{"type":"Feature","properties":{"code":"1","name":"A"},'
                              f'"geometry":{geometry}}}')
    caplog.set_level("INFO", logger="stadtraum")
    with warnings.catch_warnings(record=True) as escaped, pytest.raises(GeoImportError):
        warnings.simplefilter("always")
        read_boundary_file(path, region=region)
    assert [str(w.message) for w in escaped] == []
    assert capfd.readouterr().err == ""
    assert any(gdal_text in r.getMessage() for r in caplog.records)


def test_command_line_import_prints_no_gdal_warning(tmp_path: Path) -> None:
    """End to end, in a fresh process (pytest would swallow Python warnings itself)."""
    path = _geojson(tmp_path, ",".join(
        f'{{"type":"Feature","properties":{{"code":{code},"name":"{name}"}},'
        f'"geometry":{{"type":"Polygon","coordinates":[[[{x},51.45],[{x + 0.01},51.45],'
        f'[{x + 0.01},51.46],[{x},51.46],[{x},51.45]]]}}}}'
        for code, name, x in (("1", "A", 7.20), ('"x"', "B", 7.21))))
    db = f"sqlite:///{tmp_path / 'cli.db'}"
    done = subprocess.run(
        [sys.executable, "-m", "stadtraum.cli.main", "--db", db, "areas", "import", str(path),
         "--level", "Quartier", "--code-field", "code", "--name-field", "name"],
        capture_output=True, text=True, timeout=120, check=False)
    assert done.returncode == 0, done.stderr
    assert done.stderr == ""
    assert "2 Gebiete" in done.stdout and "gemischte Werte" in done.stdout
