"""A tiny city with hand-computed figures for the area profile, priorities and comments.

min_n = 3. Valid street responses (catalogue ids abbreviated: ma = moving_around, fs =
feeling_safe, ho = housing, pt = public_transport):

- Q3 (district D2 alone), five responses r1..r5: ma [2,3,4,5,3], fs [6,7,7,6,7],
  ho [1,2,1,2,1], pt [4,5] (r1, r2 only: n = 2 < 3, suppressed also in D2 and the city).
  r1, r2 are aged 18–29. Priorities r1 (fs, ho), r2 (ho), r3 (ho, ma), r4 none, r5 (fs).
  Comments r1: fs good "Abends hell beleuchtet", ho better "Mieten zu hoch – ÄRGERLICH";
  r2: ho better "Wohnungen fehlen"; r3: ma better "Radwege 100% lückenhaft_".
- Q1 three responses: ma [4,5,6], fs [3,4,5], ho [4,4,4]; comment ho good "Schöne Altbauten".
- Q2 three responses: ma [4,4,4]. Q1 and Q2: one person each aged 30–44, 45–64, 65+.
- Not counted: a voided Q3 response (ma 7, priority ho, comment "gelöschter Kommentar") and a
  focus-group response in Q3 (ma 1, priority fs, comment "Fokusgruppe sagt").

Hand-computed, Q3 ma: n 5, mean 3.4, sd sqrt(1.3), 95 % CI 3.4 ± 2.776445 · 1.140175 / √5 =
[1.98, 4.82], median 3, shares 1..7 = 0, 20, 40, 20, 20, 0, 0 %. City ma: 44 / 11 = 4.0;
fs: 45 / 8 = 5.625; ho: 19 / 8 = 2.375.
"""

from __future__ import annotations

import dataclasses
import uuid
from dataclasses import dataclass

from sqlalchemy.engine import Engine

from stadtraum.analysis.cube import CubeFilter
from stadtraum.analysis.cube_store import CubeProvider
from stadtraum.analysis.results import Results, compute_results
from stadtraum.collect.submit import submit_response
from tests.helpers import City, make_city, make_payload, set_status

Q3 = [
    ({"moving_around": 2, "feeling_safe": 6, "housing": 1, "public_transport": 4},
     ("feeling_safe", "housing"), [("feeling_safe", "good", "Abends hell beleuchtet"),
                                   ("housing", "better", "Mieten zu hoch – ÄRGERLICH")], "18_29"),
    ({"moving_around": 3, "feeling_safe": 7, "housing": 2, "public_transport": 5},
     ("housing",), [("housing", "better", "Wohnungen fehlen")], "18_29"),
    ({"moving_around": 4, "feeling_safe": 7, "housing": 1}, ("housing", "moving_around"),
     [("moving_around", "better", "Radwege 100% lückenhaft_")], None),
    ({"moving_around": 5, "feeling_safe": 6, "housing": 2}, (), [], None),
    ({"moving_around": 3, "feeling_safe": 7, "housing": 1}, ("feeling_safe",), [], None),
]
Q1 = [({"moving_around": 4, "feeling_safe": 3, "housing": 4},
       [("housing", "good", "Schöne Altbauten")]),
      ({"moving_around": 5, "feeling_safe": 4, "housing": 4}, []),
      ({"moving_around": 6, "feeling_safe": 5, "housing": 4}, [])]


# Q1's and Q2's ages: one of each, so no district's respondents all share one age band (if
# they did, hiding that band would hide the district: the exact method's all-or-none rule)
OLDER = ("30_44", "45_64", "65plus")


@dataclass(frozen=True)
class ProfileCity:
    city: City
    voided_id: str


def build(engine: Engine) -> ProfileCity:
    city = make_city(engine, min_n=3)
    cid = city.campaign_id
    for ratings, prios, comments, age in Q3:
        submit_response(engine, make_payload(cid, "Q3", ratings, priorities=prios,
                                             comments=comments, age_band=age))
    for (ratings, comments), age in zip(Q1, OLDER, strict=True):
        submit_response(engine, make_payload(cid, "Q1", ratings, comments=comments,
                                             age_band=age))
    for age in OLDER:
        submit_response(engine, make_payload(cid, "Q2", {"moving_around": 4}, age_band=age))
    voided = str(uuid.uuid4())
    submit_response(engine, make_payload(cid, "Q3", {"moving_around": 7}, response_id=voided,
                                         priorities=("housing",),
                                         comments=[("housing", "good", "gelöschter Kommentar")]))
    set_status(engine, voided, "voided")
    submit_response(engine, make_payload(cid, "Q3", {"moving_around": 1}, mode="focus_group",
                                         priorities=("feeling_safe",),
                                         comments=[("feeling_safe", "good",
                                                    "Fokusgruppe sagt")]))
    return ProfileCity(city, voided)


def results_for(engine: Engine, built: ProfileCity, **changes: object) -> Results:
    """The statistics of the fixture's campaign, with ``changes`` applied to its filter."""
    flt = dataclasses.replace(CubeFilter((built.city.campaign_id,)), **changes)  # type: ignore[arg-type]
    return compute_results(engine, CubeProvider(engine), flt)
