"""AreaLocator: same answers as a plain point-in-polygon test, fast path or not."""

from __future__ import annotations

import numpy as np
import pytest
import shapely
from shapely.geometry import MultiPolygon, Polygon, box

from stadtraum.geo.locate import AreaLocator


def _reference(geoms: list, lon: np.ndarray, lat: np.ndarray) -> np.ndarray:
    """First area (lowest index) whose interior contains the point, else -1."""
    out = np.full(lon.shape, -1, dtype=np.int32)
    for i in reversed(range(len(geoms))):
        if geoms[i] is not None:
            out[shapely.contains_xy(geoms[i], lon, lat)] = i
    return out


def _random_points(geoms: list, n: int, seed: int) -> tuple[np.ndarray, np.ndarray]:
    x0, y0, x1, y1 = shapely.total_bounds([g for g in geoms if g is not None])
    rng = np.random.default_rng(seed)
    pad = 0.1 * (x1 - x0)
    return rng.uniform(x0 - pad, x1 + pad, n), rng.uniform(y0 - pad, y1 + pad, n)


def _wiggly(cx: float, cy: float, r: float, k: int, seed: int) -> Polygon:
    rng = np.random.default_rng(seed)
    angles = np.linspace(0, 2 * np.pi, k, endpoint=False)
    radii = r * rng.uniform(0.4, 1.0, k)
    return Polygon(np.column_stack([cx + radii * np.cos(angles), cy + radii * np.sin(angles)]))


SHAPES = {
    "grid_with_hole_and_multipart": [
        box(7.0, 51.0, 7.1, 51.1).difference(box(7.03, 51.03, 7.06, 51.06)),
        box(7.1, 51.0, 7.2, 51.1),
        MultiPolygon([box(7.0, 51.1, 7.1, 51.2), box(7.25, 51.0, 7.3, 51.05)]),
        box(7.04, 51.04, 7.05, 51.05),  # island inside the hole of area 0
    ],
    "wiggly_coverage": list(shapely.coverage_clean(  # type: ignore[attr-defined]
        [_wiggly(7.0 + 0.05 * i, 51.0 + 0.04 * (i % 3), 0.04, 60, i) for i in range(12)])),
    "overlapping": [box(7.0, 51.0, 7.1, 51.1), box(7.05, 51.05, 7.15, 51.15),
                    box(6.9, 50.9, 7.3, 51.3)],
    "with_empty_and_none": [box(7.0, 51.0, 7.1, 51.1), None, Polygon(), box(7.2, 51.0, 7.3, 51.1)],
}


@pytest.mark.parametrize("name", list(SHAPES))
@pytest.mark.parametrize("cells", [None, 7, 64])
def test_matches_contains_xy_on_random_points(name: str, cells: int | None) -> None:
    geoms = SHAPES[name]
    lon, lat = _random_points(geoms, 50_000, seed=len(name))
    locator = AreaLocator(geoms, cells=cells)
    got = locator.locate(lon, lat)
    assert got.dtype == np.int32
    np.testing.assert_array_equal(got, _reference(geoms, lon, lat))


def test_nan_and_far_away_points() -> None:
    locator = AreaLocator([box(7.0, 51.0, 7.1, 51.1)])
    got = locator.locate(np.array([np.nan, 7.05, 100.0, -7.05, 7.05]),
                         np.array([51.05, np.nan, 51.05, 51.05, 51.05]))
    assert got.tolist() == [-1, -1, -1, -1, 0]


def test_points_on_a_shared_border_get_one_neighbour() -> None:
    locator = AreaLocator([box(7.0, 51.0, 7.1, 51.1), box(7.1, 51.0, 7.2, 51.1)])
    got = locator.locate(np.full(5, 7.1), np.linspace(51.01, 51.09, 5))
    assert set(got.tolist()) <= {0, 1} and (got >= 0).all()


def test_empty_inputs() -> None:
    assert AreaLocator([]).locate(np.array([7.0]), np.array([51.0])).tolist() == [-1]
    locator = AreaLocator([box(7.0, 51.0, 7.1, 51.1)])
    assert locator.locate(np.array([]), np.array([])).shape == (0,)


def test_lon_lat_length_mismatch() -> None:
    with pytest.raises(ValueError, match="same length"):
        AreaLocator([box(0, 0, 1, 1)]).locate(np.zeros(2), np.zeros(3))
