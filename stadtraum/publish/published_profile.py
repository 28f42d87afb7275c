"""An area's published figures beside its parent's and the city's, for the views of a campaign
whose raw data are gone (the area profile of a purged campaign) and for the public report.

Only the published snapshot is read: rounded means, no n. The live ``results`` give the
structure only (area names, parents, criteria), never a figure.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

import pandas as pd
from sqlalchemy.engine import Engine

from stadtraum.analysis.area_compare import parent_of
from stadtraum.analysis.results import Results
from stadtraum.charts.radar import RadarSeries
from stadtraum.maps.colours import decimal_de
from stadtraum.publish.service import published_area

__all__ = ["PublishedSeries", "published_series", "published_table", "published_values"]


@dataclass(frozen=True)
class PublishedSeries:
    series: tuple[RadarSeries, ...]  # the area, its parent (unless the city), the city
    index: float | None  # the area's published overall index
    published_at: dt.datetime


def published_values(engine: Engine, campaign_id: int, level: str, code: str, ids: Sequence[str]
                     ) -> tuple[list[float | None], float | None, dt.datetime] | None:
    """(values in the order of ``ids``, overall index, date) of one published area."""
    snap = published_area(engine, campaign_id, level, code)
    if snap is None:
        return None
    return [snap.values.get(cid) for cid in ids], snap.index, snap.published_at


def published_series(engine: Engine, campaign_id: int, results: Results, k: int,
                     row: int) -> PublishedSeries | None:
    """The published values of row ``row`` on level ``k``, its parent's and the city's; None
    while the area itself was never published."""
    ids = [c.id for c in results.criteria]
    table = results.levels[k]
    own = published_values(engine, campaign_id, table.name, str(table.areas["code"].iloc[row]), ids)
    if own is None:
        return None
    series = [RadarSeries(str(table.areas["name"].iloc[row]), own[0])]
    city_k = len(results.levels) - 1
    parent = parent_of(results, k, row)
    for pk, prow in ([parent] if parent is not None and parent[0] != city_k else []) + (
            [(city_k, 0)] if k != city_k else []):
        ptable = results.levels[pk]
        pub = published_values(engine, campaign_id, ptable.name,
                               str(ptable.areas["code"].iloc[prow]), ids)
        series.append(RadarSeries(str(ptable.areas["name"].iloc[prow]),
                                  pub[0] if pub else [None] * len(ids)))
    return PublishedSeries(tuple(series), own[1], own[2])


def published_table(results: Results, found: PublishedSeries, lang: str = "de") -> pd.DataFrame:
    """One row per criterion, one column per series: the published means as text ("–" for a
    hidden value)."""
    def shown(v: float | None) -> str:
        if v is None:
            return "–"
        text = decimal_de(v, 1)
        return text.replace(",", ".") if lang == "en" else text
    rows = []
    for i, crit in enumerate(results.criteria):
        row = {("Criterion" if lang == "en" else "Kriterium"): crit.label(lang)}
        for s in found.series:
            row[s.name] = shown(s.values[i])
        rows.append(row)
    return pd.DataFrame(rows)
