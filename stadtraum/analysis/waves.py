"""Use case: one survey wave against another, per area and criterion.

Areas of wave b are matched to wave a by area code, else (a changed boundary version) by
largest overlap. Only criteria both catalogues share are compared. A cell is shown only
where it is published in both waves (suppression applies to each wave on its own), with
the change, a rank test from the histograms and a plain-language hint.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session

from stadtraum.analysis.comparison import change_hint, change_hint_en, compare
from stadtraum.analysis.cube import CubeFilter
from stadtraum.analysis.cube_store import CubeProvider
from stadtraum.analysis.results import Results, compute_results
from stadtraum.errors import GeoImportError
from stadtraum.geo.hierarchy import derive_parents
from stadtraum.store.campaigns import find_campaign
from stadtraum.store.queries import area_geometries


@dataclass(frozen=True)
class WaveComparison:
    frame: pd.DataFrame  # one row per (area of wave b, shared criterion)
    matched_by: dict[str, str]  # area code in wave b -> "code" | "overlap" | "none"
    min_n: int


def _geoframe(session: Session, level_id: int) -> gpd.GeoDataFrame:
    rows = area_geometries(session, level_id)
    return gpd.GeoDataFrame({"code": [r[1] for r in rows]},
                            geometry=[shapely.from_wkb(r[3]) for r in rows], crs="EPSG:4326")


def _match(engine: Engine, res_a: Results, res_b: Results, level_a: int,
           level_b: int) -> tuple[list[int], dict[str, str]]:
    """For each bottom area of b, the row of its counterpart in a (-1 = none)."""
    codes_a = res_a.levels[0].areas["code"].tolist()
    codes_b = res_b.levels[0].areas["code"].tolist()
    row_a = {c: i for i, c in enumerate(codes_a)}
    rows = [row_a.get(c, -1) for c in codes_b]
    how = {c: ("code" if r >= 0 else "none") for c, r in zip(codes_b, rows, strict=True)}
    missing = [i for i, r in enumerate(rows) if r < 0]
    if missing and level_a != level_b:
        with Session(engine) as session:
            geo_a, geo_b = _geoframe(session, level_a), _geoframe(session, level_b)
        children = geo_b[geo_b["code"].isin([codes_b[i] for i in missing])]
        try:
            parents = derive_parents(children, geo_a).codes
        except GeoImportError:  # some area overlaps nothing in wave a: leave all unmatched
            parents = [None] * len(children)
        for code, parent in zip(children["code"], parents, strict=True):
            if parent is not None:
                rows[codes_b.index(code)] = row_a[parent]
                how[code] = "overlap"
    return rows, how


def compare_waves(engine: Engine, provider: CubeProvider, campaign_a: int, campaign_b: int,
                  *, modes: tuple[str, ...] | None = None, base: CubeFilter | None = None,
                  lang: str = "de") -> WaveComparison:
    """Wave ``campaign_b`` against wave ``campaign_a``.

    ``base`` carries the view's filter: its modes and personal characteristics (age band,
    gender, relation) apply to both waves alike; its period does not, because the two waves
    lie in different periods by design. ``modes`` overrides the base's modes."""
    flt = replace(base, period=None) if base is not None else CubeFilter((campaign_a,))
    if modes is not None:
        flt = replace(flt, modes=modes)
    flt_a = replace(flt, campaign_ids=(campaign_a,))
    flt_b = replace(flt, campaign_ids=(campaign_b,))
    res_a = compute_results(engine, provider, flt_a)
    res_b = compute_results(engine, provider, flt_b)
    with Session(engine) as session:
        level_a = find_campaign(session, campaign_a).level_id
        level_b = find_campaign(session, campaign_b).level_id
    ids_a = [c.id for c in res_a.criteria]
    shared = [c for c in res_b.criteria if c.id in ids_a]
    cols_a = [ids_a.index(c.id) for c in shared]
    cols_b = [[c.id for c in res_b.criteria].index(c.id) for c in shared]
    rows_a, how = _match(engine, res_a, res_b, level_a, level_b)
    ta, tb = res_a.levels[0], res_b.levels[0]
    has = np.array(rows_a) >= 0
    safe = np.where(has, rows_a, 0)
    counts_a = ta.counts[safe][:, cols_a]
    counts_b = tb.counts[:, cols_b]
    hidden = (~has[:, None]) | ta.suppressed[safe][:, cols_a] | tb.suppressed[:, cols_b]
    change = compare(counts_a, counts_b)
    mean_a = ta.stats.mean[safe][:, cols_a]
    mean_b = tb.stats.mean[:, cols_b]
    hint = change_hint_en if lang == "en" else change_hint
    out = []
    for i, area in enumerate(tb.areas.itertuples()):
        for j, crit in enumerate(shared):
            h = bool(hidden[i, j])
            out.append({
                "area_code": area.code, "area_name": area.name, "criterion_id": crit.id,
                "criterion": crit.label(lang),
                "mean_a": None if h else round(float(mean_a[i, j]), 3),
                "mean_b": None if h else round(float(mean_b[i, j]), 3),
                "diff": None if h else round(float(change.diff[i, j]), 3),
                "p_value": None if h else round(float(change.p_value[i, j]), 4),
                "significant": None if h else bool(change.significant[i, j]),
                "hint": "" if h else hint(change.diff[i, j], change.p_value[i, j],
                                          change.significant[i, j]),
                "suppressed": h, "matched_by": how[str(area.code)],
            })
    return WaveComparison(pd.DataFrame(out), how, max(res_a.min_n, res_b.min_n))
