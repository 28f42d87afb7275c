"""The figures a choropleth colours, taken from the statistics engine (one engine, §3.3): the
mean or index of a level, or the change between two waves (diverging
:data:`stadtraum.maps.colours.CHANGE_SCALE`; an area hidden in either wave is hatched)."""

from __future__ import annotations

import math

from stadtraum.analysis.results import Results
from stadtraum.analysis.waves import WaveComparison
from stadtraum.errors import NotFoundError
from stadtraum.maps.choropleth import AreaValue

__all__ = ["area_values", "change_values"]


def area_values(results: Results, level: int | str = 0,
                criterion_id: str | None = None) -> dict[str, AreaValue]:
    """Per area code of one level: the mean of ``criterion_id`` (or, for None, the overall
    index) with its n, as published: a suppressed cell carries neither value nor n."""
    table = results.levels[level] if isinstance(level, int) else results.level(level)
    codes = table.areas["code"].tolist()
    out: dict[str, AreaValue] = {}
    if criterion_id is None:
        for a, code in enumerate(codes):
            hidden = bool(table.index_suppressed[a])
            value = float(table.index[a])
            out[str(code)] = AreaValue(
                None if hidden or math.isnan(value) else value,
                None if hidden or table.respondents_suppressed[a]
                else int(table.respondents[a]), hidden)
        return out
    ids = [c.id for c in results.criteria]
    if criterion_id not in ids:
        raise KeyError(criterion_id)
    c = ids.index(criterion_id)
    for a, code in enumerate(codes):
        hidden = bool(table.suppressed[a, c])
        value = float(table.stats.mean[a, c])
        out[str(code)] = AreaValue(None if hidden or math.isnan(value) else value,
                                   None if hidden else int(table.stats.n[a, c]), hidden)
    return out


def _value(v: object) -> float | None:
    return None if v is None or (isinstance(v, float) and math.isnan(v)) else float(v)  # type: ignore[arg-type]


def change_values(cmp: WaveComparison, criterion_id: str) -> dict[str, AreaValue]:
    """Per area code of wave b: the change of ``criterion_id``. Suppressed in either wave:
    hatched; an area without a counterpart in wave a: no value (not hatched)."""
    rows = cmp.frame[cmp.frame["criterion_id"] == criterion_id]
    if rows.empty:
        raise NotFoundError(f"Kriterium „{criterion_id}“ gibt es in beiden Befragungen nicht.",
                            f"criterion {criterion_id!r} not shared")
    out: dict[str, AreaValue] = {}
    for row in rows.itertuples():
        unmatched = row.matched_by == "none"
        hidden = bool(row.suppressed) and not unmatched
        out[str(row.area_code)] = AreaValue(None if hidden else _value(row.diff), None, hidden)
    return out
