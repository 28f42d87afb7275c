"""Use case: the statistics of a campaign (or several) per area, rolled up and suppressed.

Every view and export takes its figures from here: histograms from the cube, summaries from
:mod:`stadtraum.analysis.stats`, roll-up by summing, confidentiality from
:mod:`stadtraum.analysis.suppression`.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session

from stadtraum.analysis.cube import CubeFilter
from stadtraum.analysis.cube_store import CubeProvider
from stadtraum.analysis.stats import CellStats, overall_index, rollup, summarize
from stadtraum.analysis.suppression import effective_min_n, index_suppressed, suppress_hierarchy
from stadtraum.criteria import Criterion
from stadtraum.errors import ValidationError
from stadtraum.store.campaigns import find_campaign
from stadtraum.store.catalogues import catalogue_for
from stadtraum.store.queries import LevelInfo, areas_frame, level_info, levels_above

CITY_CODE = "__city__"


@dataclass(frozen=True)
class LevelTable:
    """Results of one level: rows are areas (the city level has a single row)."""

    name: str
    areas: pd.DataFrame  # id, code, name, parent_id
    counts: np.ndarray  # (A, C, 7)
    stats: CellStats
    suppressed: np.ndarray  # (A, C) bool
    respondents: np.ndarray  # (A,)
    index: np.ndarray  # (A,) overall index over published criteria, NaN if suppressed
    index_criteria: np.ndarray  # (A,) number of criteria in the index
    index_suppressed: np.ndarray  # (A,) bool


@dataclass(frozen=True)
class Results:
    criteria: tuple[Criterion, ...]
    min_n: int
    levels: tuple[LevelTable, ...]  # campaign level first, the city last
    flt: CubeFilter

    def level(self, name: str) -> LevelTable:
        for lv in self.levels:
            if lv.name == name:
                return lv
        raise KeyError(name)


def _position_map(areas: pd.DataFrame, extra: dict[int, int] | None = None) -> np.ndarray:
    size = int(max(areas["id"].max() if len(areas) else 0, max(extra or {0: 0}))) + 1
    pos = np.full(size, -1, dtype=np.int64)
    pos[areas["id"].to_numpy(dtype=np.int64)] = np.arange(len(areas))
    for area_id, p in (extra or {}).items():
        pos[area_id] = p
    return pos


def compute_results(engine: Engine, provider: CubeProvider, flt: CubeFilter) -> Results:
    """Suppressed statistics for the campaigns in ``flt`` on the first campaign's level."""
    if not flt.campaign_ids:
        raise ValidationError("Bitte mindestens eine Befragung wählen.", "no campaign selected",
                              field="campaign")
    cube = provider.get()
    with Session(engine) as session:
        campaigns = [find_campaign(session, cid) for cid in flt.campaign_ids]
        cats = [catalogue_for(session, c.catalogue_id) for c in campaigns]
        shared = set.intersection(*(set(c.ids) for c in cats))
        criteria = tuple(c for c in cats[0].criteria if c.id in shared)
        min_n = effective_min_n([c.min_n for c in campaigns])
        level_id = campaigns[0].level_id
        bottom = areas_frame(session, level_id)
        by_code = dict(zip(bottom["code"], range(len(bottom)), strict=True))
        extra: dict[int, int] = {}
        for other in {c.level_id for c in campaigns} - {level_id}:  # other waves: match by code
            other_frame = areas_frame(session, other)
            for area_id, code in zip(other_frame["id"], other_frame["code"], strict=True):
                if code in by_code:
                    extra[int(area_id)] = by_code[code]
        above: list[tuple[LevelInfo, pd.DataFrame]] = [
            (lv, areas_frame(session, lv.id)) for lv in levels_above(session, level_id)]
        level_name = level_info(session, level_id).name
    counts, respondents = cube.histograms(flt, _position_map(bottom, extra), len(bottom))
    # a criterion the cube does not know yet (a catalogue added since it was loaded; that
    # does not move the change counter) has no ratings: its counts are zero
    known = [c.id in cube.criteria for c in criteria]
    picked = np.zeros((len(bottom), len(criteria), counts.shape[2]), dtype=counts.dtype)
    picked[:, known, :] = counts[:, [cube.criteria.index(c.id) for c in criteria
                                     if c.id in cube.criteria], :]
    counts = picked
    tables: list[tuple[str, pd.DataFrame, np.ndarray, np.ndarray]] = [
        (level_name, bottom, counts, respondents)]
    parents: list[np.ndarray] = []
    if all(frame["parent_id"].notna().all() for frame in [bottom] + [f for _, f in above[:-1]]):
        for lv, frame in above:
            child = tables[-1][1]
            parent_pos = _position_map(frame)[child["parent_id"].astype(np.int64).to_numpy()]
            parents.append(parent_pos)
            tables.append((lv.name, frame, rollup(tables[-1][2], parent_pos, len(frame)),
                           rollup(tables[-1][3], parent_pos, len(frame))))
    city = pd.DataFrame([{"id": -1, "code": CITY_CODE, "name": "Gesamtstadt", "parent_id": None}])
    parents.append(np.zeros(len(tables[-1][1]), dtype=np.int64))
    tables.append(("Gesamtstadt", city, tables[-1][2].sum(axis=0, keepdims=True),
                   tables[-1][3].sum(keepdims=True).reshape(1)))
    summaries = [summarize(t[2]) for t in tables]
    masks = suppress_hierarchy([s.n for s in summaries], parents, min_n)
    levels = []
    for (name, frame, cnt, resp), st, mask in zip(tables, summaries, masks, strict=True):
        idx, k = overall_index(st.mean, ~mask)
        idx_sup = index_suppressed(resp, min_n) | (k == 0)
        levels.append(LevelTable(name, frame, cnt, st, mask, resp,
                                 np.where(idx_sup, np.nan, idx), k, idx_sup))
    return Results(criteria, min_n, tuple(levels), flt)


def results_frame(results: Results, level: int = 0, lang: str = "de") -> pd.DataFrame:
    """One row per area and criterion; suppressed cells carry no figures (not even n)."""
    table = results.levels[level]
    st = table.stats
    rows = []
    for a, area in enumerate(table.areas.itertuples()):
        for c, crit in enumerate(results.criteria):
            hidden = bool(table.suppressed[a, c])
            def val(arr: np.ndarray, a: int = a, c: int = c, hidden: bool = hidden) -> object:
                return None if hidden or np.isnan(arr[a, c]) else round(float(arr[a, c]), 3)
            rows.append({
                "area_code": area.code, "area_name": area.name, "criterion_id": crit.id,
                "criterion": crit.label(lang),
                "n": None if hidden else int(st.n[a, c]),
                "mean": val(st.mean), "sd": val(st.sd), "ci_low": val(st.ci_low),
                "ci_high": val(st.ci_high), "median": val(st.median), "q1": val(st.q1),
                "q3": val(st.q3), "share_low": val(st.share_low),
                "share_high": val(st.share_high), "suppressed": hidden,
                "note": (f"zu wenige Antworten (n < {results.min_n})" if lang != "en" else
                         f"too few responses (n < {results.min_n})") if hidden else "",
            })
    frame = pd.DataFrame(rows)
    frame["n"] = frame["n"].astype("Int64")
    return frame
