"""Point → area lookup for many points at once (e.g. interview locations → district).

A regular lon/lat grid over the areas is classified once: cells that lie wholly inside one
area answer directly, empty cells answer -1, and only points in cells crossed by a border
are tested against the (prepared) polygons of that cell.
"""

from __future__ import annotations

import itertools
from collections.abc import Sequence

import numpy as np
import shapely
from shapely.geometry.base import BaseGeometry

__all__ = ["AreaLocator"]

_EMPTY = -1
_BORDER = -2


class AreaLocator:
    """Answers "which area contains this point" for arrays of lon/lat (EPSG:4326).

    A point inside several areas (overlaps; a clean coverage has none) gets the lowest
    index. A point exactly on a border shared by two areas gets one of them.
    """

    def __init__(self, geometries: Sequence[BaseGeometry | None] | np.ndarray,
                 cells: int | None = None) -> None:
        geoms = np.asarray(geometries, dtype=object)
        valid = np.array([g is not None and not g.is_empty for g in geoms], dtype=bool)
        self._geoms = geoms
        self._n = len(geoms)
        if not valid.any():
            self._grid = np.full((1, 1), _EMPTY, dtype=np.int32)
            self._origin = (0.0, 0.0)
            self._step = (1.0, 1.0)
            self._csr = (np.zeros(2, dtype=np.int64), np.zeros(0, dtype=np.int32))
            return
        shapely.prepare(geoms[valid])
        x0, y0, x1, y1 = (float(v) for v in shapely.total_bounds(geoms[valid]))
        pad = max(x1 - x0, y1 - y0, 1e-9) * 1e-6
        x0, y0, x1, y1 = x0 - pad, y0 - pad, x1 + pad, y1 + pad
        long_side = cells or int(np.clip(48 * np.sqrt(valid.sum()), 128, 512))
        if x1 - x0 >= y1 - y0:
            nx, ny = long_side, max(1, round(long_side * (y1 - y0) / (x1 - x0)))
        else:
            nx, ny = max(1, round(long_side * (x1 - x0) / (y1 - y0))), long_side
        self._origin = (x0, y0)
        self._step = ((x1 - x0) / nx, (y1 - y0) / ny)
        self._build(geoms, np.flatnonzero(valid), nx, ny)

    def _build(self, geoms: np.ndarray, valid_idx: np.ndarray, nx: int, ny: int) -> None:
        x0, y0 = self._origin
        dx, dy = self._step
        gx, gy = np.meshgrid(np.arange(nx), np.arange(ny))
        ix, iy = gx.ravel(), gy.ravel()
        boxes = shapely.box(x0 + ix * dx, y0 + iy * dy, x0 + (ix + 1) * dx, y0 + (iy + 1) * dy)
        tree = shapely.STRtree(boxes)
        sub = geoms[valid_idx]
        hit_poly, hit_cell = tree.query(sub, predicate="intersects")
        in_poly, in_cell = tree.query(sub, predicate="contains")
        grid = np.full(nx * ny, _EMPTY, dtype=np.int32)
        grid[hit_cell] = _BORDER
        # A cell wholly inside an area and touched by no other area answers directly.
        hits_per_cell = np.bincount(hit_cell, minlength=nx * ny)
        solo = hits_per_cell[in_cell] == 1
        grid[in_cell[solo]] = valid_idx[in_poly[solo]].astype(np.int32)
        # Border cells keep their candidate areas in CSR form (cell → area indices).
        border = grid[hit_cell] == _BORDER
        cell_b = hit_cell[border]
        poly_b = valid_idx[hit_poly[border]].astype(np.int32)
        order = np.argsort(cell_b, kind="stable")
        counts = np.bincount(cell_b, minlength=nx * ny)
        self._csr = (np.r_[0, np.cumsum(counts)], poly_b[order])
        self._grid = grid.reshape(ny, nx)

    def locate(self, lon: np.ndarray, lat: np.ndarray) -> np.ndarray:
        """Area index (position in the input sequence) per point, ``-1`` where none."""
        x = np.asarray(lon, dtype=np.float64).ravel()
        y = np.asarray(lat, dtype=np.float64).ravel()
        if x.shape != y.shape:
            raise ValueError("lon and lat must have the same length")
        out = np.full(x.shape, _EMPTY, dtype=np.int32)
        ny, nx = self._grid.shape
        fx = (x - self._origin[0]) / self._step[0]
        fy = (y - self._origin[1]) / self._step[1]
        inside = (fx >= 0) & (fx < nx) & (fy >= 0) & (fy < ny)  # NaN → False
        pts = np.flatnonzero(inside)
        cell = fy[pts].astype(np.int64) * nx + fx[pts].astype(np.int64)
        state = self._grid.ravel()[cell]
        out[pts] = np.where(state >= 0, state, _EMPTY)
        border = state == _BORDER
        if border.any():
            self._resolve(x, y, pts[border], cell[border], out)
        return out

    def _resolve(self, x: np.ndarray, y: np.ndarray, pts: np.ndarray, cell: np.ndarray,
                 out: np.ndarray) -> None:
        """Test points in border cells against the candidate areas of their cell."""
        starts, polys = self._csr
        lo, hi = starts[cell], starts[cell + 1]
        counts = hi - lo
        point_of_pair = np.repeat(pts, counts)
        offsets = np.arange(counts.sum()) - np.repeat(np.cumsum(counts) - counts, counts)
        poly_of_pair = polys[np.repeat(lo, counts) + offsets]
        # Descending area index so that the lowest index wins where several match.
        order = np.argsort(-poly_of_pair, kind="stable")
        point_of_pair, poly_of_pair = point_of_pair[order], poly_of_pair[order]
        bounds = np.flatnonzero(np.r_[True, poly_of_pair[1:] != poly_of_pair[:-1], True])
        for a, b in itertools.pairwise(bounds.tolist()):
            idx = point_of_pair[a:b]
            area = int(poly_of_pair[a])
            hit = shapely.intersects_xy(self._geoms[area], x[idx], y[idx])
            out[idx[hit]] = area
