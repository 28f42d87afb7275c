"""Use case behind the overview page: campaigns to choose from and a results table."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session

from stadtraum.analysis.cube import CubeFilter
from stadtraum.analysis.cube_store import CubeProvider
from stadtraum.analysis.results import Results, compute_results
from stadtraum.store.queries import CampaignInfo, list_campaigns


@dataclass(frozen=True)
class OverviewTable:
    results: Results
    level_names: list[str]


def campaigns(engine: Engine) -> list[CampaignInfo]:
    with Session(engine) as session:
        return list_campaigns(session)


def overview(engine: Engine, provider: CubeProvider, campaign_id: int) -> OverviewTable:
    res = compute_results(engine, provider, CubeFilter(campaign_ids=(campaign_id,)))
    return OverviewTable(res, [lv.name for lv in res.levels])


def wide_table(res: Results, level: int, lang: str) -> pd.DataFrame:
    """Areas × criteria means (suppressed cells empty) with respondents and overall index."""
    table = res.levels[level]
    data: dict[str, object] = {
        ("Gebiet" if lang != "en" else "Area"): table.areas["name"].tolist(),
        ("Befragte" if lang != "en" else "Respondents"): [
            None if s else int(r) for r, s in zip(table.respondents, table.respondents_suppressed,
                                                  strict=True)],
        ("Gesamtindex" if lang != "en" else "Overall index"): [
            None if pd.isna(v) else round(float(v), 2) for v in table.index],
    }
    for c, crit in enumerate(res.criteria):
        data[crit.label(lang)] = [None if table.suppressed[a, c] or pd.isna(table.stats.mean[a, c])
                                  else round(float(table.stats.mean[a, c]), 2)
                                  for a in range(len(table.areas))]
    return pd.DataFrame(data)
