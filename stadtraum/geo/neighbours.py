"""Neighbouring areas: areas whose geometries touch (share a border or a corner).

:func:`touching` is pure (shapely geometries in, codes out); :func:`level_neighbours` reads
a level's stored geometries once and caches the answer (a level never changes once
imported: a new import creates a new boundary-set version with new level ids).
"""

from __future__ import annotations

import threading
from collections.abc import Sequence

import shapely
from shapely.geometry.base import BaseGeometry
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session

from stadtraum.store.queries import area_geometries, level_info

__all__ = ["level_neighbours", "touching"]

_cache: dict[tuple[object, ...], dict[str, tuple[str, ...]]] = {}
_lock = threading.Lock()


def touching(codes: Sequence[str], geoms: Sequence[BaseGeometry]) -> dict[str, tuple[str, ...]]:
    """Per code: the codes of the other areas whose geometry intersects it (a shared
    border, a corner or, in unclean data, an overlap), in the order of ``codes``."""
    if len(codes) != len(geoms):
        raise ValueError("one geometry per code")
    tree = shapely.STRtree(list(geoms))
    left, right = tree.query(list(geoms), predicate="intersects")
    found: dict[int, set[int]] = {i: set() for i in range(len(codes))}
    for a, b in zip(left.tolist(), right.tolist(), strict=True):
        if a != b:
            found[a].add(b)
    return {codes[i]: tuple(codes[j] for j in sorted(js)) for i, js in found.items()}


def level_neighbours(engine: Engine, level_id: int) -> dict[str, tuple[str, ...]]:
    """:func:`touching` for the stored areas of ``level_id`` (cached)."""
    with Session(engine) as session:
        info = level_info(session, level_id)
        key = (engine.url.render_as_string(hide_password=True), level_id,
               info.boundary_set_id, info.version, info.n_areas)
        with _lock:
            if key in _cache:
                return _cache[key]
        rows = area_geometries(session, level_id)
    result = touching([r[1] for r in rows], [shapely.from_wkb(r[3]) for r in rows])
    with _lock:
        _cache[key] = result
    return result
