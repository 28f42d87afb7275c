"""Area against its parent and the city, and area against area (same results table).

Figures come from :func:`stadtraum.results.compute_results`; a cell suppressed on either side
carries no figures. Significance compares independent samples: an area against the *rest*
of its parent (parent minus area), never against a total that contains it.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from stadtraum.comparison import change_hint, change_hint_en, compare
from stadtraum.errors import NotFoundError
from stadtraum.results import Results


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
    hint = change_hint_en if lang == "en" else change_hint
    frame = pd.DataFrame({
        "criterion_id": [c.id for c in results.criteria],
        "criterion": [c.label(lang) for c in results.criteria],
        "area": _mean(results, k, row),
        "parent": _mean(results, *parent) if parent else np.nan,
        "city": _mean(results, city, 0),
        "diff_to_rest_of_city": np.where(hidden, np.nan, change.diff),
        "significant": np.where(hidden, False, change.significant),
    })
    frame["hint"] = ["" if h else hint(d, p, s) for h, d, p, s in
                     zip(hidden, change.diff, change.p_value, change.significant, strict=True)]
    return frame


def area_vs_area(results: Results, code_a: str, code_b: str, lang: str = "de") -> pd.DataFrame:
    """Per criterion: both means, the difference b - a and a significance hint."""
    ka, ra = _locate(results, code_a)
    kb, rb = _locate(results, code_b)
    ta, tb = results.levels[ka], results.levels[kb]
    change = compare(ta.counts[ra], tb.counts[rb])
    hidden = ta.suppressed[ra] | tb.suppressed[rb]
    hint = change_hint_en if lang == "en" else change_hint
    frame = pd.DataFrame({
        "criterion_id": [c.id for c in results.criteria],
        "criterion": [c.label(lang) for c in results.criteria],
        "mean_a": _mean(results, ka, ra), "mean_b": _mean(results, kb, rb),
        "diff": np.where(hidden, np.nan, change.diff),
        "significant": np.where(hidden, False, change.significant),
    })
    frame["hint"] = ["" if h else hint(d, p, s) for h, d, p, s in
                     zip(hidden, change.diff, change.p_value, change.significant, strict=True)]
    return frame
