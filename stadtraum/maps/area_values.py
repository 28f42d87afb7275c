"""The figures a choropleth colours, taken from the statistics engine (one engine, §3.3)."""

from __future__ import annotations

import math

from stadtraum.maps.choropleth import AreaValue
from stadtraum.results import Results

__all__ = ["area_values"]


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
                None if hidden else int(table.respondents[a]), hidden)
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
