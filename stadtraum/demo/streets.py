"""The demo city's invented street directory (``geodata/beispielstadt_strassen.csv``).

Deterministic: four streets per quarter named from fixed word lists, and one street per pair
of neighbouring quarters that runs through both (so the directory has streets with two
areas, like real ones). Regenerate with ``python -m stadtraum.demo.streets``.
"""

from __future__ import annotations

import csv
import io
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np

from stadtraum.config import project_root

if TYPE_CHECKING:
    import geopandas as gpd

STREETS_FILE = "beispielstadt_strassen.csv"
_STEMS = ("Linden", "Ahorn", "Birken", "Eichen", "Buchen", "Erlen", "Eschen", "Weiden",
          "Holunder", "Schlehen", "Amsel", "Drossel", "Finken", "Meisen", "Lerchen", "Stieglitz",
          "Bussard", "Reiher", "Kranich", "Otter", "Biber", "Dachs", "Marder", "Iltis",
          "Hasel", "Mistel", "Farn", "Quellen", "Mühlen", "Brunnen", "Kapellen", "Schul",
          "Garten", "Wiesen", "Acker", "Heide", "Moor", "Sand", "Stein", "Hügel")
_KINDS = ("straße", "weg", "allee", "ring", "gasse", "pfad", "platz", "steig")


def demo_street_rows(quarters: gpd.GeoDataFrame, seed: int = 2026) -> list[tuple[str, str]]:
    """(street, area code) pairs, sorted; names are unique across the city."""
    rng = np.random.default_rng(seed)
    names = [f"{s}{k}" for s in _STEMS for k in _KINDS]
    order = rng.permutation(len(names))
    pool = iter(names[i] for i in order)
    codes = sorted(str(c) for c in quarters["code"])
    rows = [(next(pool), code) for code in codes for _ in range(4)]
    geoms = dict(zip(quarters["code"].astype(str), quarters.geometry, strict=True))
    for i, a in enumerate(codes):
        for b in codes[i + 1:]:
            if geoms[a].touches(geoms[b]) and geoms[a].intersection(geoms[b]).length > 0:
                shared = next(pool, None)
                if shared is None:
                    break
                rows += [(shared, a), (shared, b)]
    return sorted(rows)


def demo_streets_csv(rows: list[tuple[str, str]]) -> str:
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";", lineterminator="\n")
    writer.writerow(["strasse", "gebiet"])
    writer.writerows(rows)
    return out.getvalue()


def write_demo_streets(folder: Path | None = None) -> Path:
    import geopandas as gpd

    folder = folder or project_root() / "geodata"
    quarters = gpd.read_file(folder / "beispielstadt_quartiere.geojson")
    path = folder / STREETS_FILE
    path.write_text(demo_streets_csv(demo_street_rows(quarters)), encoding="utf-8")
    return path


if __name__ == "__main__":  # pragma: no cover
    print(write_demo_streets())
