"""Area against parent and city, and area against area, on hand-computed figures.

moving_around: Q1 [4,5,6], Q2 [4,4,4] (district D1), Q3 [2,3,4,5,3] (district D2), min_n 3.
D1 mean 27/6 = 4.5, city mean 44/11 = 4.0. Q3 against the rest of the city (Q1+Q2):
diff 3.4 - 4.5 = -1.1, Mann-Whitney two-sided p = 0.1237 (scipy, continuity): not beyond
the noise. Q1 against Q3: diff 3.4 - 5.0 = -1.6, p = 0.1290.
"""

from __future__ import annotations

import math

import pytest
from sqlalchemy.engine import Engine

from stadtraum.analysis.area_compare import area_context, area_vs_area
from stadtraum.analysis.cube import CubeFilter
from stadtraum.analysis.cube_store import CubeProvider
from stadtraum.analysis.results import compute_results
from stadtraum.collect.submit import submit_response
from stadtraum.errors import NotFoundError
from tests.helpers import make_city, make_payload

RATINGS = {"Q1": [4, 5, 6], "Q2": [4, 4, 4], "Q3": [2, 3, 4, 5, 3]}


@pytest.fixture
def results(engine: Engine):  # type: ignore[no-untyped-def]
    city = make_city(engine, min_n=3)
    for code, scores in RATINGS.items():
        for s in scores:
            submit_response(engine, make_payload(city.campaign_id, code, {"moving_around": s}))
    submit_response(engine, make_payload(city.campaign_id, "Q3", {"housing": 7}))
    return compute_results(engine, CubeProvider(engine), CubeFilter((city.campaign_id,)))


def test_area_context(results) -> None:  # type: ignore[no-untyped-def]
    frame = area_context(results, "Q3").set_index("criterion_id")
    row = frame.loc["moving_around"]
    assert row["area"] == pytest.approx(3.4)
    assert row["parent"] == pytest.approx(3.4)  # D2 holds only Q3
    assert row["city"] == pytest.approx(4.0)
    assert row["diff_to_rest_of_city"] == pytest.approx(-1.1)
    # a comparison between places, not over time: no "Veränderung"
    assert not row["significant"] and row["hint"] == "Unterschied im Rahmen des Zufalls"
    housing = frame.loc["housing"]  # n = 1 < 3: nothing shown
    assert math.isnan(housing["area"]) and math.isnan(housing["diff_to_rest_of_city"])
    assert housing["hint"] == ""
    d1 = area_context(results, "Q1").set_index("criterion_id").loc["moving_around"]
    assert d1["parent"] == pytest.approx(4.5)


def test_area_vs_area_and_unknown_code(results) -> None:  # type: ignore[no-untyped-def]
    row = area_vs_area(results, "Q1", "Q3").set_index("criterion_id").loc["moving_around"]
    assert row["mean_a"] == pytest.approx(5.0) and row["mean_b"] == pytest.approx(3.4)
    assert row["diff"] == pytest.approx(-1.6) and not row["significant"]
    with pytest.raises(NotFoundError) as exc:
        area_vs_area(results, "Q1", "Q7")
    assert "Q7" in exc.value.message_de
