"""Synthetic demo city "Beispielstadt": 6 Stadtbezirke and 30 Quartiere, deterministic.

The quarters are a seeded Voronoi tessellation of an invented city outline, built in the
metric CRS EPSG:25832: the cell edges are wiggled, noded together with the outline and
polygonized, so neighbouring quarters share exactly the same vertices (an exact coverage).
Quarters are grouped into contiguous districts by region growing on their adjacency graph;
a district is the coverage union of its quarters. Output is EPSG:4326, rounded to 6
decimals. All names are invented; the city lies over forest in the Arnsberger Wald (NRW).

``python -m stadtraum.demo.city [FOLDER]`` regenerates the two GeoJSON files (default: the
repository's ``geodata/`` folder).
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

import geopandas as gpd
import numpy as np
import shapely
from pyproj import Transformer
from shapely.geometry import LineString, MultiPoint, Polygon, mapping

from stadtraum.config import project_root

METRIC_CRS = "EPSG:25832"
SOURCE = "Beispielstadt (synthetisch)"
CENTRE_LONLAT = (8.18, 51.44)
HALF_WIDTH_M, HALF_HEIGHT_M = 6000.0, 5000.0
N_QUARTERS = 30
DISTRICTS_FILE = "beispielstadt_bezirke.geojson"
QUARTERS_FILE = "beispielstadt_quartiere.geojson"

DISTRICT_NAMES = ("Mühlbachtal", "Ulmenried", "Falkenhöhe", "Distelbruch", "Kastanienau",
                  "Weidenhag")
QUARTER_NAMES: tuple[tuple[str, ...], ...] = (
    ("Am Mühlbach", "Marktviertel", "Alte Weberei", "Brunnenhof", "Rathausviertel",
     "Am Stadtgraben", "Glockengießerviertel", "Tuchmacherviertel"),
    ("Ulmenried-Dorf", "Ulmenried-Heide", "Am Ulmenhain", "Schäferwiese", "Ziegeleisiedlung",
     "Hopfengarten", "Im Wiesengrund", "Kuckucksweide"),
    ("Alt-Falkenhöhe", "Falkenhöhe-Siedlung", "Am Hohlweg", "Zeche Grete", "Windmühlenberg",
     "Lärchensiedlung", "Steinbruchweg", "Turmblick"),
    ("Distelbruch-Kern", "Am Kanalhafen", "Schleusenviertel", "Gänseweide", "Erlenbruch",
     "Moorwiesen", "Torfstich", "Fischerkamp"),
    ("Alt-Kastanienau", "Kastanienau-Anger", "Gartenstadt Kastanienau", "Am Apfelhang",
     "Kirschblütenhof", "Rosenbogen", "Holunderweg", "Haselgrund"),
    ("Weidenhag-Dorf", "Am Bahnbogen", "Lokschuppenviertel", "Hirtenwiese", "Kiebitzfeld",
     "Eichelkamp", "Bussardring", "Feldlerchenweg"),
)
_MIN_SPACING_M = 650.0


def _outline(rng: np.random.Generator, cx: float, cy: float) -> Polygon:
    """A smooth, star-shaped city outline of about 12 x 10 km."""
    t = np.linspace(0.0, 2.0 * np.pi, 360, endpoint=False)
    r = np.ones_like(t)
    for k in range(2, 7):
        r += rng.uniform(0.03, 0.09) / (k - 1) * np.cos(k * t + rng.uniform(0, 2 * np.pi))
    r /= r.max()
    return Polygon(np.column_stack([cx + HALF_WIDTH_M * r * np.cos(t),
                                    cy + HALF_HEIGHT_M * r * np.sin(t)]))


def _radius(xy: np.ndarray, cx: float, cy: float) -> np.ndarray:
    """Normalised elliptical distance from the centre (1 = outline)."""
    return np.asarray(np.hypot((xy[..., 0] - cx) / HALF_WIDTH_M,
                               (xy[..., 1] - cy) / HALF_HEIGHT_M))


def _seeds(rng: np.random.Generator, outline: Polygon, cx: float, cy: float) -> np.ndarray:
    """Quarter seed points, denser towards the centre, at least _MIN_SPACING_M apart."""
    x0, y0, x1, y1 = outline.bounds
    points: list[tuple[float, float]] = []
    while len(points) < N_QUARTERS:
        x, y = rng.uniform(x0, x1), rng.uniform(y0, y1)
        d = float(_radius(np.array([x, y]), cx, cy))
        accept = rng.random() < 0.25 + 0.75 * np.exp(-((d / 0.45) ** 2))
        if not accept or not outline.contains(shapely.Point(x, y)):
            continue
        if all(np.hypot(x - px, y - py) >= _MIN_SPACING_M for px, py in points):
            points.append((x, y))
    xy = np.array(points)
    frame = outline.buffer(20_000.0)
    for _ in range(2):  # half Lloyd steps: rounder cells, density gradient kept
        cells = shapely.voronoi_polygons(MultiPoint(xy), extend_to=frame, ordered=True)
        clipped = shapely.intersection(np.asarray(shapely.get_parts(cells)), outline)
        xy = xy + 0.5 * (shapely.get_coordinates(shapely.centroid(clipped)) - xy)
    return xy


def _wiggle(rng: np.random.Generator, a: np.ndarray, b: np.ndarray) -> LineString:
    """A gently meandering line from a to b (same end points), like a street or a brook."""
    length = float(np.hypot(*(b - a)))
    if length < 300.0:
        return LineString([a, b])
    t = np.linspace(0.0, 1.0, max(2, int(length / 120.0)) + 1)
    normal = np.array([a[1] - b[1], b[0] - a[0]]) / length
    offset = np.zeros_like(t)
    for k in (1, 2, 3):
        offset += rng.uniform(-0.035, 0.035) / k * length * np.sin(k * np.pi * t)
    pts = a + np.outer(t, b - a) + np.outer(offset, normal)
    return LineString(pts)


def _quarter_cells(rng: np.random.Generator, outline: Polygon, xy: np.ndarray) -> list[Any]:
    """Polygonize wiggled Voronoi edges + outline; one exact-coverage cell per seed."""
    edges = shapely.voronoi_polygons(MultiPoint(xy), extend_to=outline.buffer(20_000.0),
                                     only_edges=True)
    lines: list[LineString] = []
    for part in shapely.get_parts(edges):
        coords = np.asarray(part.coords)
        lines.extend(_wiggle(rng, coords[i], coords[i + 1]) for i in range(len(coords) - 1))
    noded = shapely.unary_union([shapely.MultiLineString(lines), outline.exterior])
    faces = [f for f in shapely.get_parts(shapely.polygonize(shapely.get_parts(noded)))
             if outline.contains(shapely.point_on_surface(f))]
    seeds = shapely.points(xy)
    cells: list[Any] = [None] * len(xy)
    orphans = []
    for face in faces:
        inside = np.flatnonzero(shapely.contains(face, seeds))
        if len(inside) > 1:
            raise RuntimeError("demo city: a face holds more than one seed")
        if len(inside) == 1:
            cells[int(inside[0])] = face
        else:
            orphans.append(face)
    if any(c is None for c in cells):
        raise RuntimeError("demo city: a seed has no cell")
    for face in orphans:  # slivers between wiggles: merge into the longest-border neighbour
        shared = [shapely.length(shapely.intersection(face.boundary, c.boundary)) for c in cells]
        best = int(np.argmax(shared))
        cells[best] = shapely.coverage_union(cells[best], face)
    return cells


def _adjacency(cells: list[Any]) -> list[set[int]]:
    neighbours: list[set[int]] = [set() for _ in cells]
    for i, a in enumerate(cells):
        for j in range(i + 1, len(cells)):
            if shapely.length(shapely.intersection(a.boundary, cells[j].boundary)) > 1.0:
                neighbours[i].add(j)
                neighbours[j].add(i)
    return neighbours


def _districts(rng: np.random.Generator, cells: list[Any], cx: float, cy: float) -> np.ndarray:
    """Group quarters into 6 contiguous districts (0 = central) by region growing."""
    centres = shapely.get_coordinates(shapely.point_on_surface(np.asarray(cells)))
    n_outer = len(DISTRICT_NAMES) - 1
    turn = rng.uniform(0, 2 * np.pi)
    angles = turn + 2 * np.pi * np.arange(n_outer) / n_outer
    angles = angles[np.argsort(np.mod(np.pi / 2 - angles, 2 * np.pi))]  # clockwise from north
    targets = [np.array([cx, cy])] + [
        np.array([cx + 0.62 * HALF_WIDTH_M * np.cos(a), cy + 0.62 * HALF_HEIGHT_M * np.sin(a)])
        for a in angles]
    owner = np.full(len(cells), -1)
    for d, target in enumerate(targets):
        dist = np.hypot(*(centres - target).T)
        dist[owner >= 0] = np.inf
        owner[int(np.argmin(dist))] = d
    quota = rng.permutation([4, 5, 5, 5, 5, 6]).astype(float)
    neighbours = _adjacency(cells)
    while (owner < 0).any():
        for d in np.argsort([np.sum(owner == k) / quota[k] for k in range(len(targets))]):
            free = sorted({j for i in np.flatnonzero(owner == d) for j in neighbours[i]
                           if owner[j] < 0})
            if free:
                home = centres[owner == d].mean(axis=0)
                owner[min(free, key=lambda j: float(np.hypot(*(centres[j] - home))))] = d
                break
    return owner


def _population(rng: np.random.Generator, cells: list[Any], cx: float, cy: float) -> np.ndarray:
    centres = shapely.get_coordinates(shapely.point_on_surface(np.asarray(cells)))
    density = 700.0 + 5300.0 * np.exp(-((_radius(centres, cx, cy) / 0.45) ** 2))
    density *= rng.lognormal(0.0, 0.25, len(cells))
    people = density * shapely.area(np.asarray(cells)) / 1e6
    return np.asarray(np.clip(np.round(people, -1), 1500, 12000), dtype=np.int64)


def _to_wgs84(geoms: list[Any]) -> np.ndarray:
    """Reproject, round to 6 decimals (shared vertices stay shared), orient per RFC 7946."""
    tf = Transformer.from_crs(METRIC_CRS, "EPSG:4326", always_xy=True)

    def project(c: np.ndarray) -> np.ndarray:
        lon, lat = tf.transform(c[:, 0], c[:, 1])
        return np.round(np.column_stack([lon, lat]), 6)

    out = shapely.transform(np.asarray(geoms), project)
    return np.asarray(shapely.orient_polygons(out, exterior_cw=False))


def build_demo_city(seed: int = 2026) -> tuple[gpd.GeoDataFrame, gpd.GeoDataFrame]:
    """(districts[code, name, source, geometry], quarters[code, name, district_code,
    population, source, geometry]), both EPSG:4326; an exact two-level coverage."""
    rng = np.random.default_rng(seed)
    to_metric = Transformer.from_crs("EPSG:4326", METRIC_CRS, always_xy=True)
    cx, cy = to_metric.transform(*CENTRE_LONLAT)
    outline = _outline(rng, cx, cy)
    cells = _quarter_cells(rng, outline, _seeds(rng, outline, cx, cy))
    owner = _districts(rng, cells, cx, cy)
    people = _population(rng, cells, cx, cy)
    geoms = _to_wgs84(cells)
    north = shapely.get_coordinates(shapely.point_on_surface(geoms))
    rows = []
    for d in range(len(DISTRICT_NAMES)):
        members = sorted(np.flatnonzero(owner == d), key=lambda i: (-north[i, 1], north[i, 0]))
        if len(members) > len(QUARTER_NAMES[d]):
            raise RuntimeError("demo city: a district has more quarters than names")
        rows += [{"code": f"{d + 1}{k + 1:02d}", "name": QUARTER_NAMES[d][k],
                  "district_code": str(d + 1), "population": int(people[i]),
                  "source": SOURCE, "geometry": geoms[i]} for k, i in enumerate(members)]
    quarters = gpd.GeoDataFrame(rows, geometry="geometry", crs="EPSG:4326")
    districts = gpd.GeoDataFrame(
        [{"code": str(d + 1), "name": DISTRICT_NAMES[d], "source": SOURCE,
          "geometry": shapely.orient_polygons(shapely.coverage_union_all(
              quarters.geometry[quarters["district_code"] == str(d + 1)].to_numpy()),
              exterior_cw=False)}
         for d in range(len(DISTRICT_NAMES))], geometry="geometry", crs="EPSG:4326")
    for frame in (quarters, districts):
        if not (shapely.is_valid(frame.geometry.to_numpy()).all()
                and shapely.coverage_is_valid(frame.geometry.to_numpy())):
            raise RuntimeError("demo city: invalid geometry or coverage after rounding")
    return districts, quarters


def _geojson_text(frame: gpd.GeoDataFrame, name: str) -> str:
    """Compact RFC 7946 GeoJSON, one feature per line (readable diffs)."""
    features = []
    for row in frame.to_dict("records"):
        geom = row.pop("geometry")
        features.append(json.dumps({"type": "Feature", "properties": row,
                                    "geometry": mapping(geom)},
                                   ensure_ascii=False, separators=(",", ":")))
    head = json.dumps({"type": "FeatureCollection", "name": name},
                      ensure_ascii=False, separators=(",", ":"))[:-1]
    return head + ',"features":[\n' + ",\n".join(features) + "\n]}\n"


def write_demo_city(folder: Path, seed: int = 2026) -> list[Path]:
    """Write the districts and quarters GeoJSON files into folder; return their paths."""
    folder.mkdir(parents=True, exist_ok=True)
    districts, quarters = build_demo_city(seed)
    paths = []
    for frame, file in ((districts, DISTRICTS_FILE), (quarters, QUARTERS_FILE)):
        path = folder / file
        path.write_text(_geojson_text(frame, path.stem), encoding="utf-8")
        paths.append(path)
    return paths


def main(argv: list[str] | None = None) -> None:
    args = sys.argv[1:] if argv is None else argv
    folder = Path(args[0]) if args else project_root() / "geodata"
    for path in write_demo_city(folder):
        print(f"{path} ({path.stat().st_size:,} bytes)")


if __name__ == "__main__":
    main()
