"""Service: the top priorities of an area — the share of respondents naming each criterion
as one of their (up to three) priorities, under the view's filter.

The base is every valid response the filter covers in that area (also those naming no
priority). Below ``min_n`` respondents nothing is shown (DESIGN §3.3), as for the
area's overall index.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd
from sqlalchemy import func, select
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session

from stadtraum.analysis.area_compare import locate_area
from stadtraum.analysis.results import Results
from stadtraum.analysis.scope import bottom_codes, response_conditions
from stadtraum.store.db import Area, Priority, Response

__all__ = ["PriorityTable", "priority_shares"]


@dataclass(frozen=True)
class PriorityTable:
    respondents: int | None  # None when suppressed
    suppressed: bool
    frame: pd.DataFrame  # criterion_id, criterion, share (per cent), by share descending


def priority_shares(engine: Engine, results: Results, code: str,
                    lang: str = "de") -> PriorityTable:
    """Criteria named as a priority in area ``code`` (any level) with their share of the
    respondents, most named first (ties in catalogue order); criteria nobody named are
    left out."""
    level, row = locate_area(results, code)
    codes = bottom_codes(results, code)
    where = response_conditions(results.flt, codes)
    with Session(engine) as session:
        total = int(session.scalar(
            select(func.count(Response.id)).join(Area, Area.id == Response.area_id)
            .where(where)) or 0)
        named = {str(cid): int(n) for cid, n in session.execute(
            select(Priority.criterion_id, func.count(func.distinct(Priority.response_id)))
            .join(Response, Response.id == Priority.response_id)
            .join(Area, Area.id == Response.area_id).where(where)
            .group_by(Priority.criterion_id))}
    empty = pd.DataFrame({"criterion_id": [], "criterion": [], "share": []})
    # shown only where the view shows the area's respondent count (the joint suppression:
    # the people behind a hidden count could otherwise be worked out from the neighbours)
    if total < results.min_n or results.levels[level].respondents_suppressed[row]:
        return PriorityTable(None, True, empty)
    rows = [{"criterion_id": c.id, "criterion": c.label(lang),
             "share": round(100.0 * named[c.id] / total, 1)}
            for c in results.criteria if named.get(c.id)]
    frame = pd.DataFrame(rows) if rows else empty
    if rows:
        frame = frame.sort_values("share", ascending=False, kind="stable").reset_index(drop=True)
    return PriorityTable(total, False, frame)
