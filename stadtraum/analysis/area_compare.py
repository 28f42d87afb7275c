"""Area against its parent and the city, and area against area (same results table), and the
touching neighbours offered as quick picks.

Figures come from :func:`stadtraum.analysis.results.compute_results`; a cell suppressed on
either side carries no figures. Significance compares independent samples: an area against
the *rest* of its parent (parent minus area), never against a total that contains it.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session

from stadtraum.analysis.comparison import Change, compare, difference_hint
from stadtraum.analysis.results import Results
from stadtraum.errors import NotFoundError, ValidationError
from stadtraum.geo.neighbours import level_neighbours
from stadtraum.store.db import Area


def _locate(results: Results, code: str) -> tuple[int, int]:
    for k, table in enumerate(results.levels):
        hits = np.flatnonzero(table.areas["code"].astype(str).to_numpy() == str(code))
        if hits.size:
            return k, int(hits[0])
    raise NotFoundError(f"Gebiet „{code}“ gibt es in dieser Auswertung nicht.",
                        f"area {code!r} not in results")


def _parent_row(results: Results, k: int, row: int) -> tuple[int, int] | None:
    if k + 1 >= len(results.levels):
        return None
    if k + 1 == len(results.levels) - 1:
        return k + 1, 0
    parent_id = results.levels[k].areas["parent_id"].iloc[row]
    ids = results.levels[k + 1].areas["id"].to_numpy()
    hits = np.flatnonzero(ids == parent_id)
    return (k + 1, int(hits[0])) if hits.size else None


def locate_area(results: Results, code: str) -> tuple[int, int]:
    """(level index, row) of the area ``code`` in ``results``; NotFoundError if unknown."""
    return _locate(results, code)


def parent_of(results: Results, k: int, row: int) -> tuple[int, int] | None:
    """(level index, row) of the parent of row ``row`` on level ``k`` (None for the city)."""
    return _parent_row(results, k, row)


def _mean(results: Results, k: int, row: int) -> np.ndarray:
    t = results.levels[k]
    return np.where(t.suppressed[row], np.nan, t.stats.mean[row])


def area_context(results: Results, code: str, lang: str = "de") -> pd.DataFrame:
    """Per criterion: the area's mean, its parent's, the city's, and whether the area
    differs from the rest of the city beyond the noise."""
    k, row = _locate(results, code)
    parent = _parent_row(results, k, row)
    city = len(results.levels) - 1
    table = results.levels[k]
    rest = results.levels[city].counts[0] - table.counts[row]
    change = compare(rest, table.counts[row])  # b = the area: positive = area is better
    hidden = table.suppressed[row] | results.levels[city].suppressed[0]
    frame = pd.DataFrame({
        "criterion_id": [c.id for c in results.criteria],
        "criterion": [c.label(lang) for c in results.criteria],
        "area": _mean(results, k, row),
        "parent": _mean(results, *parent) if parent else np.nan,
        "city": _mean(results, city, 0),
        "diff_to_rest_of_city": np.where(hidden, np.nan, change.diff),
        "significant": np.where(hidden, False, change.significant),
    })
    frame["hint"] = _hints(hidden, change, "rest", lang)
    return frame


def _hints(hidden: np.ndarray, change: Change, than: str, lang: str) -> list[str]:
    """Per criterion: the difference's hint ("" where either side is hidden)."""
    return ["" if h else difference_hint(d, p, s, than, lang) for h, d, p, s in
            zip(hidden, change.diff, change.p_value, change.significant, strict=True)]


def area_vs_area(results: Results, code_a: str, code_b: str, lang: str = "de") -> pd.DataFrame:
    """Per criterion: both means, the difference b - a and a significance hint."""
    ka, ra = _locate(results, code_a)
    kb, rb = _locate(results, code_b)
    ta, tb = results.levels[ka], results.levels[kb]
    change = compare(ta.counts[ra], tb.counts[rb])
    hidden = ta.suppressed[ra] | tb.suppressed[rb]
    frame = pd.DataFrame({
        "criterion_id": [c.id for c in results.criteria],
        "criterion": [c.label(lang) for c in results.criteria],
        "mean_a": _mean(results, ka, ra), "mean_b": _mean(results, kb, rb),
        "diff": np.where(hidden, np.nan, change.diff),
        "significant": np.where(hidden, False, change.significant),
    })
    frame["hint"] = _hints(hidden, change, "first", lang)
    return frame


MAX_AREAS = 6


def areas_compare(results: Results, codes: Sequence[str], lang: str = "de") -> pd.DataFrame:
    """Per criterion: the mean of each of 2..6 areas and each area's difference to the
    first (the reference) with a significance hint; a cell suppressed on either side of a
    difference is empty. Columns ``mean_<i>``, ``diff_<i>``, ``hint_<i>`` (i = 1..)."""
    codes = list(dict.fromkeys(str(c) for c in codes))
    if not 2 <= len(codes) <= MAX_AREAS:
        raise ValidationError(f"Bitte 2 bis {MAX_AREAS} verschiedene Gebiete wählen.",
                              f"choose 2 to {MAX_AREAS} distinct areas", field="areas")
    where = [_locate(results, c) for c in codes]
    ref_k, ref_row = where[0]
    ref = results.levels[ref_k]
    data: dict[str, object] = {
        "criterion_id": [c.id for c in results.criteria],
        "criterion": [c.label(lang) for c in results.criteria]}
    for i, (k, row) in enumerate(where):
        data[f"mean_{i}"] = _mean(results, k, row)
    for i, (k, row) in enumerate(where[1:], start=1):
        table = results.levels[k]
        change = compare(ref.counts[ref_row], table.counts[row])
        hidden = ref.suppressed[ref_row] | table.suppressed[row]
        data[f"diff_{i}"] = np.where(hidden, np.nan, change.diff)
        data[f"hint_{i}"] = _hints(hidden, change, "first", lang)  # as the page names it
    return pd.DataFrame(data)


def area_neighbours(engine: Engine, results: Results, code: str) -> tuple[str, ...]:
    """The codes of the areas of the same level that touch area ``code`` (none for the
    city)."""
    k, row = locate_area(results, code)
    if k == len(results.levels) - 1:
        return ()
    area_id = int(results.levels[k].areas["id"].iloc[row])
    with Session(engine) as session:
        area = session.get(Area, area_id)
        level_id = area.level_id if area is not None else None
    if level_id is None:
        return ()
    return level_neighbours(engine, level_id).get(str(code), ())
