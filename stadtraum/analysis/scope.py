"""Which stored responses a view's filter covers, for data the statistics cube does not hold
(priorities, comments).

The conditions mirror the cube exactly (:meth:`stadtraum.analysis.cube.ResponseCube.histograms`):
status "valid", the filter's campaigns and modes, the period on the survey date (both ends
included) and the demographic codes (a response without that answer is left out when the
filter names codes). An area of any level covers the responses of the campaign-level areas
below it, matched by area code as :func:`stadtraum.analysis.results.compute_results` does.
"""

from __future__ import annotations

from typing import Any

import numpy as np
from sqlalchemy import and_, or_

from stadtraum.analysis.area_compare import locate_area
from stadtraum.analysis.cube import CubeFilter
from stadtraum.analysis.results import Results
from stadtraum.store.db import Area, Response
from stadtraum.vocab import NOT_GIVEN

__all__ = ["bottom_codes", "response_conditions"]


def bottom_codes(results: Results, code: str) -> tuple[str, ...]:
    """The codes of the campaign-level areas that make up the area ``code``."""
    k, row = locate_area(results, code)
    if k == 0:
        return (str(code),)
    bottom = results.levels[0].areas
    if k == len(results.levels) - 1:  # the city
        return tuple(str(c) for c in bottom["code"])
    ids = {int(results.levels[k].areas["id"].iloc[row])}
    for j in range(k - 1, -1, -1):
        frame = results.levels[j].areas
        parents = frame["parent_id"].to_numpy()
        keep = np.isin(parents, list(ids))
        ids = {int(i) for i in frame["id"].to_numpy()[keep]}
        if j == 0:
            return tuple(str(c) for c in frame["code"].to_numpy()[keep])
    return ()


def response_conditions(flt: CubeFilter, codes: tuple[str, ...]) -> Any:
    """A SQL condition on ``Response`` joined to ``Area`` (on ``Response.area_id``)."""
    parts = [Response.status == "valid", Response.campaign_id.in_(flt.campaign_ids),
             Response.mode.in_(flt.modes), Area.code.in_(codes)]
    if flt.period is not None:
        parts.append(Response.survey_date.between(flt.period[0], flt.period[1]))
    for column, allowed in ((Response.age_band, flt.age_bands), (Response.gender, flt.genders),
                            (Response.relation, flt.relations)):
        if allowed is not None:
            given = [code for code in allowed if code != NOT_GIVEN]
            either = [column.in_(given)] if given else []
            if NOT_GIVEN in allowed:  # "ohne Angabe": the question left unanswered
                either.append(column.is_(None))
            parts.append(or_(*either))
    return and_(*parts)
