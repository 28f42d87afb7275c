"""Parents of areas by largest overlap (e.g. statistical district → Stadtbezirk)."""

from __future__ import annotations

import numpy as np
import shapely

from stadtraum.geo.model import (
    GeoDataFrame,
    Note,
    ParentAssignment,
    feature_de,
    feature_en,
    reject,
)

__all__ = ["MIN_SHARE", "ParentAssignment", "derive_parents"]

MIN_SHARE = 0.5  # below this share of its area in the best parent, a child gets a Note


def _metric_geoms(frame: GeoDataFrame, metric_crs: str, what: str) -> np.ndarray:
    for column in ("code", "geometry"):
        if column not in frame.columns:
            raise ValueError(f"{what} frame needs a {column!r} column (a PreparedLayer.frame)")
    if frame.crs is None:
        frame = frame.set_crs("EPSG:4326")
    return np.asarray(frame.to_crs(metric_crs).geometry.values, dtype=object)


def derive_parents(children: GeoDataFrame, parents: GeoDataFrame,
                   metric_crs: str = "EPSG:25832") -> ParentAssignment:
    """For each child, the code of the parent it overlaps most (areas in ``metric_crs``).

    A child that overlaps no parent (touching is not overlapping) rejects the whole
    assignment; a child with less than half its area in its best parent gets a Note.
    """
    child_geoms = _metric_geoms(children, metric_crs, "children")
    parent_geoms = _metric_geoms(parents, metric_crs, "parents")
    child_codes = [str(c) for c in children["code"].tolist()]
    parent_codes = [str(c) for c in parents["code"].tolist()]
    n = len(child_geoms)
    best_area = np.zeros(n)
    best_parent = np.full(n, -1, dtype=np.int64)
    if n and len(parent_geoms):
        tree = shapely.STRtree(parent_geoms)
        child_idx, parent_idx = tree.query(child_geoms, predicate="intersects")
        areas = shapely.area(shapely.intersection(child_geoms[child_idx],
                                                  parent_geoms[parent_idx]))
        # Sort so that for each child the largest overlap comes last; ties → lowest parent.
        order = np.lexsort((-parent_idx, areas, child_idx))
        child_sorted = child_idx[order]
        last = np.r_[child_sorted[1:] != child_sorted[:-1], True]
        winners = order[last]
        best_area[child_idx[winners]] = areas[winners]
        best_parent[child_idx[winners]] = parent_idx[winners]
    orphans = [i for i in range(n) if best_parent[i] < 0 or best_area[i] <= 0.0]
    if orphans:
        first = orphans[0]
        listing = ", ".join(child_codes[i] for i in orphans[:10])
        raise reject(
            f"{feature_de(first)} (Schlüssel {child_codes[first]!r}) überlappt keine "
            f"übergeordnete Fläche. Ohne Zuordnung: {listing}. Bitte prüfen, ob beide Dateien "
            "dasselbe Gebiet abdecken.",
            f"{feature_en(first)} (code {child_codes[first]!r}) overlaps no parent area; "
            f"unassigned: {listing}", row=first)
    codes: list[str | None] = [parent_codes[int(p)] for p in best_parent]
    notes: list[Note] = []
    child_area = shapely.area(child_geoms)
    for i in range(n):
        share = float(best_area[i] / child_area[i]) if child_area[i] > 0 else 0.0
        if share < MIN_SHARE:
            notes.append(Note(
                "parent_low_overlap",
                f"{feature_de(i)} (Schlüssel {child_codes[i]!r}) liegt nur zu "
                f"{share * 100:.0f} % in der übergeordneten Fläche {codes[i]!r}; bitte die "
                "Zuordnung prüfen.",
                f"{feature_en(i)} (code {child_codes[i]!r}) lies only {share:.0%} in parent "
                f"{codes[i]!r}", row=i))
    return ParentAssignment(codes=codes, notes=notes)
