"""Geometry repair and coverage cleaning in a metric CRS, lossless where nothing changed.

Geometries go to the metric CRS for repair and cleaning and come back to EPSG:4326 through
a vertex map: every vertex that the cleaning kept is restored to its exact original
longitude/latitude, and only new vertices (intersection nodes) are transformed back.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, cast

import numpy as np
import shapely
from pyproj import Transformer
from shapely.geometry import MultiPolygon, Polygon
from shapely.geometry.base import BaseGeometry

from stadtraum.geo.model import Note, feature_de, feature_en, reject

_coverage_clean = cast(Callable[..., Any], shapely.coverage_clean)  # type: ignore[attr-defined]


def coverage_clean(geoms: np.ndarray, *, gap_width: float = 0.0) -> np.ndarray:
    """``shapely.coverage_clean`` (GEOS >= 3.14; not yet in the type stubs)."""
    return np.asarray(_coverage_clean(geoms, gap_width=gap_width))


def _de(value: float) -> str:
    """A whole number with German thousands separators: 12.345."""
    return f"{value:,.0f}".replace(",", ".")


NOTE_AREA_SHARE = 0.01  # an area whose size changes more than this in cleaning gets a Note
# Two areas overlapping by more than this share of the smaller one are refused, not cleaned:
# that is a duplicated or misplaced area, and cleaning it would silently move a border far
# (and can leave a ring that is no longer valid).
MAX_OVERLAP_SHARE = 0.05


@dataclass
class CleanReport:
    """What coverage cleaning changed (areas in m² of the metric CRS)."""

    ran: bool
    touched_rows: list[int]
    overlap_m2: float
    gap_m2: float


class MetricFrame:
    """Geometries in EPSG:4326 and their metric twins, with the vertex map back."""

    def __init__(self, geoms_4326: Sequence[BaseGeometry], metric_crs: str) -> None:
        self._fwd = Transformer.from_crs("EPSG:4326", metric_crs, always_xy=True)
        self._inv = Transformer.from_crs(metric_crs, "EPSG:4326", always_xy=True)
        geoms = np.asarray(geoms_4326, dtype=object)
        lonlat = shapely.get_coordinates(geoms)
        mx, my = self._fwd.transform(lonlat[:, 0], lonlat[:, 1])
        metric_xy = np.column_stack([mx, my])
        self.metric = np.asarray(shapely.transform(geoms, lambda _: metric_xy))
        self._back = dict(zip(map(tuple, metric_xy.tolist()), map(tuple, lonlat.tolist()),
                              strict=True))

    def to_wgs84(self, metric_geoms: np.ndarray) -> np.ndarray:
        """Back to EPSG:4326; vertices seen before get their exact original coordinates."""
        xy = shapely.get_coordinates(metric_geoms)
        if len(xy) == 0:
            return np.asarray(metric_geoms)
        result = np.empty_like(xy)
        missing: list[int] = []
        for i, key in enumerate(map(tuple, xy.tolist())):
            hit = self._back.get(key)
            if hit is None:
                missing.append(i)
            else:
                result[i] = hit
        if missing:
            idx = np.asarray(missing)
            lon, lat = self._inv.transform(xy[idx, 0], xy[idx, 1])
            result[idx, 0] = lon
            result[idx, 1] = lat
        return np.asarray(shapely.transform(metric_geoms, lambda _: result))


def polygonal_part(geom: BaseGeometry) -> Polygon | MultiPolygon | None:
    """Only the polygons of ``geom`` (drops points and lines); ``None`` if nothing is left."""
    parts = shapely.get_parts(shapely.get_parts(geom))
    polys = [p for p in parts if isinstance(p, Polygon) and not p.is_empty]
    if not polys:
        return None
    return polys[0] if len(polys) == 1 else MultiPolygon(polys)


def repair(metric: np.ndarray, labels: Sequence[str]) -> tuple[np.ndarray, list[Note]]:
    """Make invalid polygons valid (polygonal parts only); one Note per repaired row."""
    out = metric.copy()
    notes: list[Note] = []
    for row in np.flatnonzero(~shapely.is_valid(metric)).tolist():
        before = metric[row]
        reason = shapely.is_valid_reason(before)
        fixed = polygonal_part(shapely.make_valid(before, method="structure",
                                                  keep_collapsed=False))
        if fixed is None or fixed.area <= 0:
            raise reject(
                f"{feature_de(row)} ({labels[row]}): Die Geometrie ist ungültig ({reason}) und "
                "lässt sich nicht zu einer Fläche reparieren.",
                f"{feature_en(row)} ({labels[row]}): invalid geometry ({reason}) cannot be "
                "repaired to a polygon", row=row)
        out[row] = fixed
        change = abs(fixed.area - shapely.area(before))
        notes.append(Note(
            "geometry_repaired",
            f"{feature_de(row)} ({labels[row]}): ungültige Geometrie ({reason}) repariert; "
            f"Fläche jetzt {_de(fixed.area)} m² (Änderung {_de(change)} m²).",
            f"{feature_en(row)} ({labels[row]}): invalid geometry ({reason}) repaired; "
            f"area now {fixed.area:.0f} m² (change {change:.0f} m²)", row=row))
    return out, notes


def check_overlaps(metric: np.ndarray, labels: Sequence[str],
                   max_share: float = MAX_OVERLAP_SHARE) -> None:
    """Refuse the largest overlap of two areas if it exceeds ``max_share`` of the smaller one
    (areas in the metric CRS); both areas are named, the error's row is the smaller one."""
    left, right = shapely.STRtree(metric).query(metric, predicate="intersects")
    pairs = left < right
    left, right = left[pairs], right[pairs]
    if len(left) == 0:
        return
    shared = shapely.area(shapely.intersection(metric[left], metric[right]))
    areas = shapely.area(metric)
    share = shared / np.maximum(np.minimum(areas[left], areas[right]), 1e-9)
    worst = int(np.argmax(share))
    if share[worst] <= max_share:
        return
    a, b = int(left[worst]), int(right[worst])
    small, big = (a, b) if areas[a] < areas[b] else (b, a)
    what_de = {i: f"{feature_de(i)} ({labels[i]})" for i in (a, b)}
    what_en = {i: f"{feature_en(i)} ({labels[i]})" for i in (a, b)}
    pct = f"{share[worst] * 100:.1f} % der kleineren Fläche"
    if share[worst] >= 0.999:
        head_de = (f"{what_de[small]} liegt vollständig unter anderen Flächen ({what_de[big]}, "
                   f"{pct})")
    else:
        head_de = (f"{what_de[a]} und {what_de[b]} überlappen sich auf {_de(shared[worst])} m² "
                   f"({pct} {feature_de(small)})")
    raise reject(
        f"{head_de}. Automatisch bereinigt werden nur Überlappungen von höchstens "
        f"{max_share * 100:g} % der kleineren Fläche; eine größere ist meist eine doppelte "
        "oder verrutschte Fläche. Doppelte oder verschachtelte Flächen gehören nicht in "
        "dieselbe Ebene: bitte die Grenzen in der Datei korrigieren.",
        f"{what_en[a]} and {what_en[b]} overlap by {shared[worst]:.0f} m², "
        f"{share[worst]:.1%} of the smaller ({feature_en(small)}); limit {max_share:.0%}",
        row=small)


def ensure_valid(geoms: np.ndarray, labels: Sequence[str],
                 noted: set[int]) -> tuple[np.ndarray, list[Note]]:
    """Every geometry as it will be stored (EPSG:4326) valid: validity was checked in the
    metric CRS, but a ring can cross itself in degrees only (a straight edge in degrees is an
    arc in metres) and new vertices come back rounded. Invalid ones are repaired (a Note
    unless the row was repaired before) or refused."""
    out = np.asarray(geoms, dtype=object).copy()
    notes: list[Note] = []
    for row in np.flatnonzero(~shapely.is_valid(out)).tolist():
        reason = shapely.is_valid_reason(out[row])
        fixed = polygonal_part(shapely.make_valid(out[row], method="structure",
                                                  keep_collapsed=False))
        if fixed is None or not fixed.is_valid or fixed.area <= 0:
            raise reject(
                f"{feature_de(row)} ({labels[row]}): Die Geometrie ist ungültig ({reason}) und "
                "lässt sich nicht zu einer gültigen Fläche reparieren.",
                f"{feature_en(row)} ({labels[row]}): invalid geometry in EPSG:4326 ({reason}) "
                "cannot be repaired", row=row)
        out[row] = MultiPolygon([fixed]) if (isinstance(out[row], MultiPolygon)
                                             and isinstance(fixed, Polygon)) else fixed
        if row not in noted:
            notes.append(Note(
                "geometry_repaired",
                f"{feature_de(row)} ({labels[row]}): ungültige Geometrie ({reason}) repariert.",
                f"{feature_en(row)} ({labels[row]}): invalid geometry ({reason}) repaired in "
                "EPSG:4326", row=row))
    return out, notes


def clean(metric: np.ndarray, *, gap_width_m: float,
          labels: Sequence[str]) -> tuple[np.ndarray, CleanReport, list[Note]]:
    """Remove overlaps and gaps narrower than ``gap_width_m`` between neighbours.

    Rejects an area that would vanish (it lies wholly under others); notes each area whose
    size changes by more than ``NOTE_AREA_SHARE``.
    """
    if shapely.coverage_is_valid(metric, gap_width=gap_width_m):
        return metric, CleanReport(False, [], 0.0, 0.0), []
    check_overlaps(metric, labels)
    cleaned = coverage_clean(metric, gap_width=gap_width_m)
    for row in np.flatnonzero(shapely.is_empty(cleaned) | (shapely.area(cleaned) <= 0)).tolist():
        others = [i for i in range(len(metric)) if i != row
                  and shapely.intersection(metric[row], metric[i]).area > 0]
        under = ", ".join(f"{feature_de(i)} ({labels[i]})" for i in others[:3]) or "?"
        raise reject(
            f"{feature_de(row)} ({labels[row]}) liegt vollständig unter anderen Flächen "
            f"({under}) und bliebe nach der Bereinigung leer. Doppelte oder verschachtelte "
            "Flächen gehören nicht in dieselbe Ebene.",
            f"{feature_en(row)} ({labels[row]}) lies wholly under other areas and would be "
            "empty after cleaning", row=row)
    union_before = shapely.area(shapely.union_all(metric))
    overlap = max(0.0, float(shapely.area(metric).sum() - union_before))
    gap = max(0.0, float(shapely.area(shapely.union_all(cleaned)) - union_before))
    touched = [i for i in range(len(metric)) if not shapely.equals(metric[i], cleaned[i])]
    notes: list[Note] = []
    before, after = shapely.area(metric), shapely.area(cleaned)
    for row in touched:
        share = (after[row] - before[row]) / before[row]
        if abs(share) > NOTE_AREA_SHARE:
            notes.append(Note(
                "area_changed",
                f"{feature_de(row)} ({labels[row]}): Fläche durch die Bereinigung um "
                f"{share * 100:+.1f} % geändert ({_de(before[row])} → {_de(after[row])} m²).",
                f"{feature_en(row)} ({labels[row]}): area changed by {share:+.1%} in cleaning",
                row=row))
    return cleaned, CleanReport(True, touched, overlap, gap), notes


def keep_types(original: np.ndarray, result: np.ndarray) -> np.ndarray:
    """Polygon → Polygon, MultiPolygon stays MultiPolygon (also with a single part)."""
    out = result.copy()
    for i, (before, after) in enumerate(zip(original, result, strict=True)):
        if isinstance(before, MultiPolygon) and isinstance(after, Polygon):
            out[i] = MultiPolygon([after])
        elif not isinstance(after, Polygon | MultiPolygon):
            part = polygonal_part(after)
            out[i] = part if part is not None else after
    return out


def report_note(report: CleanReport, labels: Sequence[str], gap_width_m: float) -> Note | None:
    """One summary note on the cleaning, or ``None`` if the coverage was already clean."""
    if not report.touched_rows:
        return None
    names = ", ".join(labels[i] for i in report.touched_rows[:10])
    n = len(report.touched_rows)
    more_de = f" und {n - 10} weitere" if n > 10 else ""
    more_en = f" and {n - 10} more" if n > 10 else ""
    if report.overlap_m2 + report.gap_m2 < 1.0:
        return Note(
            "coverage_cleaned",
            f"Flächennetz bereinigt: Grenzen von {n} Fläche(n) geringfügig aufeinander "
            f"ausgerichtet (Flächenänderung unter 1 m²). Betroffen: {names}{more_de}.",
            f"coverage cleaned: borders of {n} area(s) aligned (change below 1 m²); "
            f"touched: {names}{more_en}")
    return Note(
        "coverage_cleaned",
        f"Flächennetz bereinigt: {n} Fläche(n) angepasst; Überlappungen von zusammen "
        f"{_de(report.overlap_m2)} m² zugeordnet, Lücken schmaler als {gap_width_m:g} m von "
        f"zusammen {_de(report.gap_m2)} m² geschlossen. Betroffen: {names}{more_de}.",
        f"coverage cleaned: {n} area(s) changed; overlaps {report.overlap_m2:.0f} m², gaps "
        f"(< {gap_width_m:g} m) {report.gap_m2:.0f} m² filled; touched: {names}{more_en}")
