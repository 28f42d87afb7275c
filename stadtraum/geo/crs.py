"""Coordinate reference systems: decide what the coordinates are and bring them to EPSG:4326.

Catches the usual mistakes: no CRS at all, metre coordinates labelled as degrees, swapped
lat/lon axes, and data that lands outside the configured plausibility region.
"""

from __future__ import annotations

import math

import numpy as np
from pyproj import CRS, Transformer
from pyproj.exceptions import CRSError

from stadtraum.config import Region
from stadtraum.errors import GeoImportError
from stadtraum.geo.model import GeoDataFrame, Note, reject

Bounds = tuple[float, float, float, float]

# Metric CRSs in use in Germany; used only to suggest a CRS in error messages.
CANDIDATES = ("EPSG:25832", "EPSG:25833", "EPSG:4647", "EPSG:5650", "EPSG:31466", "EPSG:31467",
              "EPSG:31468", "EPSG:31469", "EPSG:3857", "EPSG:3035")


def wgs84() -> CRS:
    """EPSG:4326 (built when needed, never at import)."""
    return CRS.from_epsg(4326)


def crs_label(crs: CRS) -> str:
    """A short name such as ``EPSG:25832``."""
    epsg = crs.to_epsg()
    if epsg is not None:
        return f"EPSG:{epsg}"
    auth = crs.to_authority()
    if auth is not None:
        return f"{auth[0]}:{auth[1]}"
    return crs.name or crs.to_string()


def parse_crs(text: str) -> CRS:
    """The CRS an admin typed (e.g. ``EPSG:25832``), or a GeoImportError."""
    try:
        return CRS.from_user_input(text)
    except CRSError as exc:
        raise reject(f"Das angegebene Koordinatensystem {text!r} ist unbekannt "
                     "(erwartet z. B. 'EPSG:25832').",
                     f"unknown CRS {text!r}") from exc


def _num(v: float) -> str:
    return f"{v:.0f}" if abs(v) >= 1000 else f"{v:.6g}"


def _fmt(b: Bounds) -> str:
    return f"{_num(b[0])}, {_num(b[1])} – {_num(b[2])}, {_num(b[3])}"


def _region_text(region: Region) -> str:
    return (f"Länge {region.min_lon:g}…{region.max_lon:g}, "
            f"Breite {region.min_lat:g}…{region.max_lat:g}")


def _region_en(region: Region) -> str:
    return f"lon {region.min_lon:g}..{region.max_lon:g}, lat {region.min_lat:g}..{region.max_lat:g}"


def looks_like_degrees(b: Bounds) -> bool:
    return b[0] >= -180 and b[2] <= 180 and b[1] >= -90 and b[3] <= 90


def _swap(b: Bounds) -> Bounds:
    return (b[1], b[0], b[3], b[2])


def _to_wgs84_bounds(b: Bounds, crs: CRS) -> Bounds | None:
    try:
        t = Transformer.from_crs(crs, wgs84(), always_xy=True)
        out = tuple(float(v) for v in t.transform_bounds(*b))
    except Exception:  # any PROJ failure means "does not fit"
        return None
    if len(out) != 4 or not all(math.isfinite(v) for v in out):
        return None
    return (out[0], out[1], out[2], out[3])


def _fits(b: Bounds, crs: CRS, region: Region) -> bool:
    wgs = _to_wgs84_bounds(b, crs)
    return wgs is not None and region.contains_bounds(wgs)


def suggest_crs(b: Bounds, region: Region) -> list[str]:
    """Metric CRSs under which these raw bounds would land in the region."""
    return [c for c in CANDIDATES if _fits(b, CRS.from_user_input(c), region)]


def _hint(b: Bounds, region: Region) -> tuple[str, str]:
    fitting = suggest_crs(b, region)
    if fitting:
        names = " oder ".join(fitting[:3])
        return (f" Die Werte passen z. B. zu {names}.", f" The values fit e.g. {fitting[:3]}.")
    return "", ""


class CrsUnknownError(GeoImportError):
    """The file does not say which CRS its coordinates are in (or says a wrong one).

    ``suggestions`` are the CRSs under which the coordinates would land in the region, best
    first: the upload page offers the first one for explicit confirmation, the command line
    asks for ``--assume-crs``. Empty when nothing fits (then the file is refused)."""

    def __init__(self, message_de: str, message_en: str, suggestions: list[str]) -> None:
        super().__init__(message_de, message_en)
        self.suggestions = suggestions


# notes of :func:`resolve_crs` whose CRS the file itself did not name
NOT_FROM_FILE = frozenset({"crs_assumed", "crs_assumed_wgs84", "crs_overridden"})


def crs_from_file(notes: list[Note]) -> bool:
    """False when the CRS in use was assumed (by evidence or as given), not named by the file."""
    return not any(n.code in NOT_FROM_FILE for n in notes)


def metres_without_crs(b: Bounds, region: Region, why_de: str, why_en: str) -> CrsUnknownError:
    hint_de, hint_en = _hint(b, region)
    return CrsUnknownError(
        f"{why_de} Die Koordinaten ({_fmt(b)}) sind Meterwerte, keine Längen-/Breitengrade; "
        "ohne Angabe des Koordinatensystems kann die Lage nicht bestimmt werden. Bitte das "
        "Koordinatensystem ausdrücklich angeben (Kommandozeile: --assume-crs EPSG:25832)."
        + hint_de,
        f"{why_en} Metre coordinates ({_fmt(b)}) without CRS; give --assume-crs EPSG:25832."
        + hint_en, suggest_crs(b, region))


def _outside(b_wgs: Bounds, region: Region, crs: CRS) -> GeoImportError:
    return reject(
        f"Die Daten liegen außerhalb der Plausibilitätsregion: Ausdehnung {_fmt(b_wgs)} "
        f"(Länge/Breite, aus {crs_label(crs)}), erlaubt ist {_region_text(region)} "
        "(Einstellung STADTRAUM_REGION). Bitte Datei und Koordinatensystem prüfen.",
        f"data bounds {_fmt(b_wgs)} (from {crs_label(crs)}) lie outside the region "
        f"{_region_en(region)}")


def _swapped(b: Bounds, crs: CRS) -> GeoImportError:
    found, wanted = (("Breite/Länge", "x = Länge, y = Breite") if crs.is_geographic
                     else ("Hochwert/Rechtswert", "x = Rechtswert, y = Hochwert"))
    return reject(
        f"Die Achsen sind offenbar vertauscht: Die Koordinaten ({_fmt(b)}, {crs_label(crs)}) "
        "liegen nur dann in der Plausibilitätsregion, wenn x und y getauscht werden "
        f"({found} statt umgekehrt). Bitte die Datei mit der Achsenfolge {wanted} "
        "exportieren.",
        f"swapped axes: bounds {_fmt(b)} in {crs_label(crs)} only fit the region with x/y swapped")


def _diagnose(b: Bounds, crs: CRS, region: Region) -> GeoImportError:
    """Explain why data in ``crs`` does not land in the region."""
    if _fits(_swap(b), crs, region):
        return _swapped(b, crs)
    if crs.is_projected and looks_like_degrees(b) and region.contains_bounds(b):
        return reject(
            f"Die Datei gibt {crs_label(crs)} (Meter) an, die Koordinaten ({_fmt(b)}) sind aber "
            "Längen-/Breitengrade. Bitte das Koordinatensystem der Datei korrigieren (EPSG:4326).",
            f"file declares {crs_label(crs)} but coordinates {_fmt(b)} are degrees")
    wgs = _to_wgs84_bounds(b, crs)
    if wgs is None:
        hint_de, hint_en = _hint(b, region)
        return reject(
            f"Die Koordinaten ({_fmt(b)}) lassen sich nicht aus {crs_label(crs)} umrechnen; "
            "das angegebene Koordinatensystem passt nicht zu den Daten." + hint_de,
            f"coordinates {_fmt(b)} cannot be transformed from {crs_label(crs)}" + hint_en)
    return _outside(wgs, region, crs)


def _choose_crs(b: Bounds, declared: CRS | None, region: Region,
                assume_crs: str | None) -> tuple[CRS, list[Note]]:
    """The CRS the coordinates are in: the file's, the admin's, or WGS84 by evidence."""
    if declared is None:
        if assume_crs is not None:
            crs = parse_crs(assume_crs)
            return crs, [Note("crs_assumed",
                              f"Die Datei nennt kein Koordinatensystem; wie angegeben wurde "
                              f"{crs_label(crs)} angenommen.",
                              f"no CRS in file; assumed {crs_label(crs)} as given")]
        if not looks_like_degrees(b):
            raise metres_without_crs(b, region, "Die Datei nennt kein Koordinatensystem.",
                                     "No CRS in file.")
        if not region.contains_bounds(b):
            raise _diagnose(b, wgs84(), region)
        return wgs84(), [Note("crs_assumed_wgs84",
                              "Die Datei nennt kein Koordinatensystem; die Koordinaten sind "
                              "Längen-/Breitengrade in der Region und werden als WGS84 "
                              "(EPSG:4326) gelesen.",
                              "no CRS in file; degree coordinates inside the region read "
                              "as EPSG:4326")]
    if declared.is_geographic and not looks_like_degrees(b):
        if assume_crs is None:
            raise metres_without_crs(
                b, region,
                f"Die Datei gibt {crs_label(declared)} (Grad) an, die Werte liegen aber weit "
                "außerhalb von ±180/±90.",
                f"File declares {crs_label(declared)} (degrees) but values are out of range.")
        crs = parse_crs(assume_crs)
        return crs, [Note("crs_overridden",
                          f"Die Datei gibt {crs_label(declared)} an, enthält aber Meterwerte; "
                          f"wie angegeben wurde {crs_label(crs)} verwendet.",
                          f"file declares {crs_label(declared)} with metre values; "
                          f"used {crs_label(crs)} as given")]
    if assume_crs is not None and not declared.equals(parse_crs(assume_crs)):
        return declared, [Note("assume_crs_ignored",
                               f"Die Datei nennt selbst {crs_label(declared)}; die Angabe "
                               f"{assume_crs} wurde nicht verwendet.",
                               f"file declares {crs_label(declared)}; assume_crs {assume_crs} "
                               "ignored")]
    return declared, []


def resolve_crs(frame: GeoDataFrame, *, region: Region, assume_crs: str | None,
                ) -> tuple[GeoDataFrame, str, bool, list[Note]]:
    """Decide the source CRS, reproject to EPSG:4326 and check the plausibility region.

    Returns ``(frame_in_4326, source_crs_label, reprojected, notes)``.
    """
    raw = frame.total_bounds
    if not np.all(np.isfinite(raw)):
        raise reject("Die Datei enthält keine Geometrien (alle leer oder fehlend).",
                     "the file has no non-empty geometry")
    b: Bounds = (float(raw[0]), float(raw[1]), float(raw[2]), float(raw[3]))
    crs, notes = _choose_crs(b, frame.crs, region, assume_crs)
    if not _fits(b, crs, region):
        raise _diagnose(b, crs, region)
    reprojected = not (crs.equals(wgs84()) or crs.equals(CRS.from_user_input("OGC:CRS84")))
    out = frame.set_crs(crs, allow_override=True).to_crs(wgs84())
    wgs = out.total_bounds
    final: Bounds = (float(wgs[0]), float(wgs[1]), float(wgs[2]), float(wgs[3]))
    if not (all(math.isfinite(v) for v in final) and region.contains_bounds(final)):
        raise _outside(final, region, crs)
    return out, crs_label(crs), reprojected, notes
