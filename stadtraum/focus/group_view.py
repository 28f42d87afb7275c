"""Use case: the group view of a focus group — its own ratings per criterion next to the
area's survey result and the city's.

* The group's figures come from its own valid responses and are **exempt from
  suppression** (DESIGN §3.3: a focus group's view of its own ratings).
* A consensus rating counts with its number of participants: k people who agreed on score s
  count as k ratings of s. So the group's n is always a number of people, and the mean is a
  mean per person, the same as a grid of k identical rows would give. (A session holds either
  a grid or a consensus, so the weighting never mixes the two.)
* The area's and the city's figures come from
  :func:`stadtraum.analysis.results.compute_results` with the default survey filter (street,
  paper, online — focus groups left out); suppressed cells (n < min_n, or secondary
  suppression) stay ``None``, with no n either.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd
from sqlalchemy import select
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session

from stadtraum.analysis.cube import CubeFilter
from stadtraum.analysis.cube_store import CubeProvider
from stadtraum.analysis.results import LevelTable, compute_results
from stadtraum.charts.radar import RadarSeries
from stadtraum.criteria import Criterion
from stadtraum.focus.sessions import FocusGroupInfo, get_session
from stadtraum.store.catalogues import catalogue_for
from stadtraum.store.db import Rating, Response


@dataclass(frozen=True)
class CriterionView:
    criterion: Criterion
    group_mean: float | None
    group_n: int  # people who rated it (consensus: its participants)
    group_min: int | None
    group_max: int | None
    area_mean: float | None  # None: no ratings or suppressed
    area_n: int | None  # None when suppressed
    city_mean: float | None
    city_n: int | None


@dataclass(frozen=True)
class GroupView:
    info: FocusGroupInfo
    rows: tuple[CriterionView, ...]
    min_n: int
    area_respondents: int | None  # None when the area's index is suppressed
    city_respondents: int | None

    def radar_series(self, lang: str = "de") -> list[RadarSeries]:
        en = lang == "en"
        return [
            RadarSeries(("Focus group" if en else "Fokusgruppe") + f": {self.info.title}",
                        [r.group_mean for r in self.rows], self.info.participants),
            RadarSeries(f"{self.info.area_name} ({'survey' if en else 'Befragung'})",
                        [r.area_mean for r in self.rows], self.area_respondents),
            RadarSeries(("City" if en else "Gesamtstadt") + (" (survey)" if en
                                                             else " (Befragung)"),
                        [r.city_mean for r in self.rows], self.city_respondents),
        ]

    def labels(self, lang: str = "de") -> list[str]:
        return [r.criterion.label(lang) for r in self.rows]


def _mean(value: float) -> float | None:
    return None if pd.isna(value) else round(float(value), 2)


def _cell(table: LevelTable, a: int, c: int | None) -> tuple[float | None, int | None]:
    """(mean, n) of one published cell; (None, None) when suppressed or not in the results."""
    if c is None or table.suppressed[a, c]:
        return None, None
    return _mean(table.stats.mean[a, c]), int(table.stats.n[a, c])


def group_view(engine: Engine, provider: CubeProvider, group_id: str, *,
               only_moderator: str | None = None) -> GroupView:
    info = get_session(engine, group_id, only_moderator=only_moderator)
    with Session(engine) as session:
        criteria = catalogue_for(session, info.catalogue_id).criteria
        own = session.execute(
            select(Rating.criterion_id, Rating.score, Response.participants)
            .join(Response, Response.id == Rating.response_id)
            .where(Response.group_id == info.id, Response.status == "valid")).all()
    scores: dict[str, list[tuple[int, int]]] = {}
    for cid, score, weight in own:
        scores.setdefault(cid, []).append((int(score), int(weight)))
    res = compute_results(engine, provider, CubeFilter(campaign_ids=(info.campaign_id,)))
    area_pos = {code: i for i, code in enumerate(res.levels[0].areas["code"])}[info.area_code]
    bottom, city = res.levels[0], res.levels[-1]
    crit_pos = {c.id: i for i, c in enumerate(res.criteria)}
    rows = []
    for crit in criteria:
        own_scores = scores.get(crit.id, [])
        n = sum(w for _, w in own_scores)
        c = crit_pos.get(crit.id)
        area_mean, area_n = _cell(bottom, area_pos, c)
        city_mean, city_n = _cell(city, 0, c)
        rows.append(CriterionView(
            crit, round(sum(s * w for s, w in own_scores) / n, 2) if n else None, n,
            min((s for s, _ in own_scores), default=None),
            max((s for s, _ in own_scores), default=None),
            area_mean, area_n, city_mean, city_n))
    return GroupView(
        info, tuple(rows), res.min_n,
        None if bottom.respondents_suppressed[area_pos] else int(bottom.respondents[area_pos]),
        None if city.respondents_suppressed[0] else int(city.respondents[0]))


def view_table(view: GroupView, lang: str = "de") -> pd.DataFrame:
    """The table beside the radar: one row per criterion; suppressed area/city cells empty,
    explained in the last column."""
    en = lang == "en"
    hidden = f"too few responses (n < {view.min_n})" if en else \
        f"zu wenige Antworten (n < {view.min_n})"
    area_col = "Area" if en else "Gebiet"
    city_col = "City" if en else "Gesamtstadt"
    records = []
    for r in view.rows:
        notes = []
        if r.area_n is None:
            notes.append(f"{area_col}: {hidden}")
        if r.city_n is None:
            notes.append(f"{city_col}: {hidden}")
        span = "" if r.group_min is None else (
            str(r.group_min) if r.group_min == r.group_max else f"{r.group_min}–{r.group_max}")
        records.append({
            ("Criterion" if en else "Thema"): r.criterion.label(lang),
            ("Group" if en else "Gruppe"): r.group_mean,
            ("Group n" if en else "Gruppe n"): r.group_n,
            ("Group range" if en else "Gruppe von–bis"): span,
            area_col: r.area_mean,
            city_col: r.city_mean,
            ("Note" if en else "Hinweis"): "; ".join(notes),
        })
    return pd.DataFrame(records)
