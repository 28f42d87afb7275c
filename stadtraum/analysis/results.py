"""Use case: the statistics of a campaign (or its group) per area, rolled up and suppressed.

Every view and export takes its figures from here: histograms and masks from the group's
solved family (:mod:`stadtraum.analysis.view_tables`, the exact method of issue 10: one
joint suppression over areas, categories, months and campaigns), summaries from
:mod:`stadtraum.analysis.stats`.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session

from stadtraum.analysis.cube import CubeFilter
from stadtraum.analysis.cube_store import CubeProvider
from stadtraum.analysis.stats import CellStats, overall_index, summarize
from stadtraum.analysis.suppression import effective_min_n, index_suppressed
from stadtraum.analysis.view_tables import (
    build_group_tables,
    raise_union_refused,
    table_key,
    view_key,
)
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
    respondents_suppressed: np.ndarray  # (A,) bool: the respondent count is not shown


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


def position_map(areas: pd.DataFrame) -> np.ndarray:
    size = int(areas["id"].max() if len(areas) else 0) + 1
    pos = np.full(size, -1, dtype=np.int64)
    pos[areas["id"].to_numpy(dtype=np.int64)] = np.arange(len(areas))
    return pos


@dataclass(frozen=True)
class AreaHierarchy:
    names: tuple[str, ...]  # bottom level first, the city last
    frames: tuple[pd.DataFrame, ...]
    parents: tuple[np.ndarray, ...]  # level l -> row in level l + 1

    def signature(self) -> tuple[bytes, ...]:
        return (*(p.astype(np.int64).tobytes() for p in self.parents),
                self.frames[0]["id"].to_numpy(dtype=np.int64).tobytes())


def area_hierarchy(session: Session, level_id: int) -> AreaHierarchy:
    bottom = areas_frame(session, level_id)
    above: list[tuple[LevelInfo, pd.DataFrame]] = [
        (lv, areas_frame(session, lv.id)) for lv in levels_above(session, level_id)]
    names, frames = [level_info(session, level_id).name], [bottom]
    parents: list[np.ndarray] = []
    if all(frame["parent_id"].notna().all() for frame in [bottom] + [f for _, f in above[:-1]]):
        for lv, frame in above:
            parents.append(position_map(frame)[frames[-1]["parent_id"].astype(np.int64)
                                                .to_numpy()])
            names.append(lv.name)
            frames.append(frame)
    parents.append(np.zeros(len(frames[-1]), dtype=np.int64))
    names.append("Gesamtstadt")
    frames.append(pd.DataFrame([{"id": -1, "code": CITY_CODE, "name": "Gesamtstadt",
                                 "parent_id": None}]))
    return AreaHierarchy(tuple(names), tuple(frames), tuple(parents))


def compute_results(engine: Engine, provider: CubeProvider, flt: CubeFilter) -> Results:
    """Suppressed statistics of one view: a campaign, or all campaigns of its group together,
    under at most one characteristic (:func:`~stadtraum.analysis.view_tables.table_key`).
    Figures and masks are one table of the group's solved family."""
    if not flt.campaign_ids:
        raise ValidationError("Bitte mindestens eine Befragung wählen.", "no campaign selected",
                              field="campaign")
    key = table_key(flt)
    cube = provider.get()
    with Session(engine) as session:
        campaigns = [find_campaign(session, cid) for cid in dict.fromkeys(flt.campaign_ids)]
        if len({(c.level_id, c.catalogue_id) for c in campaigns}) > 1:
            raise ValidationError(
                "Diese Befragungen liegen auf verschiedenen Gebietsgliederungen oder nutzen "
                "verschiedene Kriterienkataloge und können nicht zusammengefasst werden; die "
                "Wellenansicht vergleicht sie.",
                "campaigns on different levels or catalogues", field="campaign")
        first = campaigns[0]
        if len(campaigns) > 1:
            raise_union_refused()
        group = ((int(first.id), int(first.min_n)),)
        criteria = catalogue_for(session, first.catalogue_id).criteria
        hierarchy = area_hierarchy(session, first.level_id)
    t_key = view_key([cid for cid, _ in group], [c.id for c in campaigns], key)
    known = [c.id in cube.criteria for c in criteria]
    columns = tuple(cube.criteria.index(c.id) for c in criteria if c.id in cube.criteria)
    bottom = hierarchy.frames[0]
    cache_key = ("view_tables", first.level_id, group, columns, hierarchy.signature())
    tables = provider.derived(cache_key, lambda cube: build_group_tables(
        cube, group, position_map(bottom), len(bottom), hierarchy.parents, columns))
    t = tables.find(t_key)
    min_n = effective_min_n([c.min_n for c in campaigns]) if t is None else tables.min_n[t]
    levels = []
    for k, (name, frame) in enumerate(zip(hierarchy.names, hierarchy.frames, strict=True)):
        size, n_crit = len(frame), len(criteria)
        cnt = np.zeros((size, n_crit, 7), dtype=np.int64)
        mask = np.ones((size, n_crit), dtype=bool)
        resp = np.zeros(size, dtype=np.int64)
        resp_hidden = np.ones(size, dtype=bool)
        if t is not None:
            cnt[:, known] = tables.counts[k][t, :, :-1]
            mask[:, known] = tables.masks[k][t, :, :-1]
            resp = tables.counts[k][t, :, -1, 0].copy()
            resp_hidden = tables.masks[k][t, :, -1].copy()
        st = summarize(cnt)
        idx, n_used = overall_index(st.mean, ~mask)
        idx_sup = index_suppressed(resp, min_n) | (n_used == 0)  # a mean of shown means
        levels.append(LevelTable(name, frame, cnt, st, mask, resp,
                                 np.where(idx_sup, np.nan, idx), n_used, idx_sup,
                                 resp_hidden))
    return Results(tuple(criteria), min_n, tuple(levels), flt)


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
