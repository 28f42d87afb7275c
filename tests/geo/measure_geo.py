"""Measure the point locator and the map payload on Bochum's 30 districts (not a test).

Run: ``.venv/bin/python -m tests.geo.measure_geo`` (pin to one core with ``taskset -c 0``).
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable
from functools import partial

import numpy as np
import shapely

from stadtraum.config import GERMANY_BBOX, Region
from stadtraum.geo.clean import prepare_layer
from stadtraum.geo.display import display_geojson
from stadtraum.geo.locate import AreaLocator
from stadtraum.geo.read import read_boundary_file
from tests.geo.conftest import GEODATA

N = 1_000_000


def _best_of(runs: int, fn: Callable[[], object]) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return min(times)


def _near_borders(geoms: np.ndarray, n: int, rng: np.random.Generator) -> tuple[
        np.ndarray, np.ndarray]:
    """Worst case: every point within ~30 m of a district border."""
    lines = shapely.segmentize(shapely.boundary(geoms), 0.0005)
    xy = shapely.get_coordinates(lines)
    pick = xy[rng.integers(0, len(xy), n)]
    return (pick[:, 0] + rng.normal(0, 0.0003, n), pick[:, 1] + rng.normal(0, 0.0002, n))


def _naive(geoms: np.ndarray, lon: np.ndarray, lat: np.ndarray) -> list[np.ndarray]:
    return [shapely.contains_xy(g, lon, lat) for g in geoms]


def main() -> None:
    region = Region(*GERMANY_BBOX)
    raw = read_boundary_file(GEODATA / "bochum_statistische_bezirke_wgs84.geojson", region=region)
    layer = prepare_layer(raw, code_field=None, name_field=None)
    geoms = np.asarray(layer.frame.geometry.values)
    build = _best_of(3, lambda: AreaLocator(geoms))
    locator = AreaLocator(geoms)
    rng = np.random.default_rng(1)
    x0, y0, x1, y1 = shapely.total_bounds(geoms)
    cases = {"uniform in the bounding box": (rng.uniform(x0, x1, N), rng.uniform(y0, y1, N)),
             "all within ~30 m of a border": _near_borders(geoms, N, rng)}
    print(f"AreaLocator over {len(geoms)} districts: build {build * 1000:.0f} ms")
    for label, (lon, lat) in cases.items():
        seconds = _best_of(5, partial(locator.locate, lon, lat))
        naive = _best_of(1, partial(_naive, geoms, lon[:100_000], lat[:100_000]))
        print(f"  {label}: {N / seconds:,.0f} points/s "
              f"(naive contains_xy per polygon: {100_000 / naive:,.0f} points/s)")
    payload = json.dumps(display_geojson(layer.frame), ensure_ascii=False,
                         separators=(",", ":")).encode()
    print(f"display_geojson payload, 30 districts, 15 m tolerance: {len(payload) / 1024:.1f} kB")


if __name__ == "__main__":
    main()
