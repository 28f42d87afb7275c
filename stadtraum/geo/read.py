"""Read a boundary file (GeoJSON, GeoPackage, zipped or plain Shapefile) into EPSG:4326.

Everything a user can get wrong ends in a :class:`GeoImportError` with a German message;
no raw GDAL/pyogrio exception escapes.
"""

from __future__ import annotations

import tempfile
from pathlib import Path

import geopandas as gpd
import numpy as np
import pyogrio

from stadtraum.config import Region
from stadtraum.errors import GeoImportError
from stadtraum.geo.archive import check_shapefile_parts, extract_shapefile, inspect_zip
from stadtraum.geo.crs import (
    CrsUnknownError,
    looks_like_degrees,
    metres_without_crs,
    resolve_crs,
)
from stadtraum.geo.encoding import fix_missing_cpg
from stadtraum.geo.gdal_messages import captured
from stadtraum.geo.model import (
    GeoDataFrame,
    Note,
    RawLayer,
    feature_de,
    feature_en,
    human_size,
    reject,
)

__all__ = ["DEFAULT_MAX_BYTES", "SUFFIXES", "Note", "RawLayer", "read_boundary_file",
           "spatial_layers"]

# a city's boundaries are a few MB; 100 MiB leaves room and refuses a 200 MB upload
DEFAULT_MAX_BYTES = 100 * 1024 * 1024
SUPPORTED = ".geojson, .json, .gpkg, .zip (Shapefile), .shp"
SUFFIXES = (".geojson", ".json", ".gpkg", ".zip", ".shp")


def read_boundary_file(path: Path, *, region: Region, layer: str | None = None,
                       assume_crs: str | None = None,
                       max_bytes: int = DEFAULT_MAX_BYTES) -> RawLayer:
    """Read ``path`` and return its features in EPSG:4326 with all attribute columns.

    ``layer`` picks a GeoPackage layer (required when there are several). ``assume_crs``
    is the admin's explicit statement of the CRS for files that do not name one
    (Shapefile without .prj, GeoPackage without SRS) or that label metres as degrees.
    """
    path = Path(path)
    _check_file(path, max_bytes)
    with captured(path.name) as reading_notes:  # GDAL warnings: logged and reported
        raw = _read(path, region=region, layer=layer, assume_crs=assume_crs,
                    max_bytes=max_bytes)
    raw.notes[:0] = reading_notes
    return raw


def _read(path: Path, *, region: Region, layer: str | None, assume_crs: str | None,
          max_bytes: int) -> RawLayer:
    suffix = path.suffix.lower()
    has_prj, has_cpg = True, True
    if suffix == ".zip":
        zf, found = inspect_zip(path, max_bytes=max_bytes)
        with zf, tempfile.TemporaryDirectory(prefix="stadtraum-geo-") as tmp:
            shp = extract_shapefile(zf, found, Path(tmp))
            frame = _read_frame(shp, None, shown=path.name)
        has_prj, has_cpg = found.has_prj, ".cpg" in found.members
    elif suffix == ".shp":
        has_prj = check_shapefile_parts(path)
        has_cpg = path.with_suffix(".cpg").is_file() or path.with_suffix(".CPG").is_file()
        frame = _read_frame(path, None, shown=path.name)
    elif suffix in (".geojson", ".json"):
        frame = _read_frame(path, None, shown=path.name)
    elif suffix == ".gpkg":
        frame = _read_frame(path, _gpkg_layer(path, layer), shown=path.name)
    else:
        raise reject(f"Das Dateiformat {suffix or '(ohne Endung)'!r} wird nicht unterstützt. "
                     f"Möglich sind: {SUPPORTED}.",
                     f"unsupported file type {suffix!r}; supported: {SUPPORTED}")
    if len(frame) == 0:
        raise reject(f"Die Datei {path.name!r} enthält keine Objekte.",
                     f"{path.name!r} contains no features")
    encoding_notes: list[Note] = []
    if not has_cpg:
        frame, encoding_notes = fix_missing_cpg(frame, path.name)
    if not has_prj and assume_crs is None:
        raise _no_prj(frame, region)
    out, source_crs, reprojected, notes = resolve_crs(frame, region=region,
                                                      assume_crs=assume_crs)
    return RawLayer(frame=out, source_crs=source_crs, reprojected=reprojected,
                    notes=[*encoding_notes, *notes])


def _check_file(path: Path, max_bytes: int) -> None:
    if not path.is_file():
        raise reject(f"Die Datei {path.name!r} wurde nicht gefunden.", f"file not found: {path}")
    size = path.stat().st_size
    if size > max_bytes:
        raise reject(
            f"Die Datei {path.name!r} ist zu groß ({human_size(size)}, erlaubt sind "
            f"{human_size(max_bytes)}).",
            f"{path.name!r} is {size} bytes, limit {max_bytes}")
    if size == 0:
        raise reject(f"Die Datei {path.name!r} ist leer.", f"{path.name!r} is empty")


def _corrupt(shown: str, exc: Exception) -> GeoImportError:
    kind = "GeoPackage-Datei" if shown.lower().endswith(".gpkg") else "Datei"
    return reject(
        f"Die {kind} {shown!r} ist beschädigt oder hat nicht das erwartete Format und kann "
        "nicht gelesen werden.",
        f"cannot read {shown!r}: {type(exc).__name__}: {exc}")


def spatial_layers(path: Path) -> list[str]:
    """The layers with geometry of a GeoPackage (for a chooser); refuses a corrupt file."""
    try:
        with captured(path.name):  # GDAL's warnings are logged, not printed
            layers = pyogrio.list_layers(path)
    except Exception as exc:  # GDAL reports corrupt files in many ways
        raise _corrupt(path.name, exc) from exc
    return [str(row[0]) for row in layers if row[1] is not None]


def _gpkg_layer(path: Path, layer: str | None) -> str:
    try:
        layers = pyogrio.list_layers(path)
    except Exception as exc:  # GDAL reports corrupt files in many ways
        raise _corrupt(path.name, exc) from exc
    names = [str(row[0]) for row in layers]
    spatial = [str(row[0]) for row in layers if row[1] is not None]
    listing = ", ".join(spatial) or "(keine)"
    if layer is not None:
        if layer not in names:
            raise reject(f"Die Ebene {layer!r} gibt es in {path.name!r} nicht. Vorhandene "
                         f"Ebenen mit Geometrie: {listing}.",
                         f"layer {layer!r} not in {path.name!r}; spatial layers: {listing}")
        if layer not in spatial:
            raise reject(f"Die Ebene {layer!r} in {path.name!r} hat keine Geometrie. Ebenen "
                         f"mit Geometrie: {listing}.",
                         f"layer {layer!r} has no geometry; spatial layers: {listing}")
        return layer
    if not spatial:
        raise reject(f"Die GeoPackage-Datei {path.name!r} enthält keine Ebene mit Geometrie.",
                     f"{path.name!r} has no spatial layer")
    if len(spatial) > 1:
        raise reject(f"Die GeoPackage-Datei {path.name!r} enthält mehrere Ebenen: {listing}. "
                     "Bitte eine Ebene auswählen.",
                     f"{path.name!r} has several layers ({listing}); choose one")
    return spatial[0]


def _read_frame(path: Path, layer: str | None, *, shown: str) -> GeoDataFrame:
    try:
        return gpd.read_file(path, engine="pyogrio", layer=layer)
    except UnicodeDecodeError as exc:
        raise _encoding_error(path, layer, shown) from exc
    except Exception as exc:  # GDAL/pyogrio/shapely errors: never shown raw
        raise _corrupt(shown, exc) from exc


def _encoding_error(path: Path, layer: str | None, shown: str) -> GeoImportError:
    """Find the first feature and field whose text is not UTF-8 and name it."""
    generic = reject(
        f"Die Datei {shown!r} enthält Text, der kein gültiges UTF-8 ist. Bitte als UTF-8 "
        "speichern (bei Shapefiles: .cpg-Datei mit der richtigen Kodierung beilegen).",
        f"{shown!r} contains text that is not valid UTF-8")
    try:
        df = pyogrio.read_dataframe(path, layer=layer, read_geometry=False, encoding="latin1")
    except Exception:  # the generic message is still accurate
        return generic
    for row, values in enumerate(df.itertuples(index=False, name=None)):
        for column, value in zip(df.columns, values, strict=True):
            if not isinstance(value, str):
                continue
            raw = value.encode("latin1", errors="replace")
            try:
                raw.decode("utf-8")
            except UnicodeDecodeError:
                shown_text = raw.decode("cp1252", errors="replace")
                return reject(
                    f"{feature_de(row)}, Feld {column!r}: Der Text {shown_text!r} ist kein "
                    "gültiges UTF-8 (die Datei ist vermutlich in Latin-1/Windows-1252 "
                    "gespeichert). Bitte als UTF-8 speichern bzw. beim Shapefile eine .cpg-Datei "
                    "mit der richtigen Kodierung beilegen.",
                    f"{feature_en(row)}, field {column!r}: text is not valid UTF-8",
                    row=row)
    return generic


def _no_prj(frame: GeoDataFrame, region: Region) -> GeoImportError:
    raw = frame.total_bounds
    b = (float(raw[0]), float(raw[1]), float(raw[2]), float(raw[3]))
    why_de = "Das Shapefile hat keine .prj-Datei, das Koordinatensystem ist daher unbekannt."
    why_en = "The Shapefile has no .prj, so its CRS is unknown."
    if not np.all(np.isfinite(raw)):
        return reject(why_de + " Sie enthält zudem keine Geometrien.", why_en + " No geometry.")
    if looks_like_degrees(b):
        return CrsUnknownError(
            why_de + " Die Koordinaten sehen nach Längen-/Breitengraden aus; bitte das "
            "Koordinatensystem ausdrücklich angeben (Kommandozeile: --assume-crs EPSG:4326) "
            "oder die .prj-Datei beilegen.",
            why_en + " Coordinates look like degrees; give --assume-crs EPSG:4326.",
            ["EPSG:4326"] if region.contains_bounds(b) else [])
    return metres_without_crs(b, region, why_de, why_en)
