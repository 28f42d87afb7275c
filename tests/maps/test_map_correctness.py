"""The map's figures and ``stadtraum results`` against values computed by hand (issue 4).

Fixture (min_n = 5), ratings of "feeling_safe" per quarter:

    D1: Q1 [1,2,6,7,7,4] n=6 mean 27/6 = 4.5   share 1–2 = 2/6, 6–7 = 3/6
        Q2 [3,3,4,5,5]   n=5 -> hidden (secondary: Q3 alone would follow from D1 − Q1 − Q2)
        Q3 [7,7]         n=2 -> hidden (n < 5)
    D2: Q4 [2,2,3,3,5]   n=5 mean 15/5 = 3.0   share 1–2 = 2/5 = 40 %
        Q5 [7,7,7,6,6,1] n=6 mean 34/6 = 5.667 share 6–7 = 5/6
    D1 n=13 mean 61/13 = 4.692; D2 n=11 mean 49/11 = 4.455; city n=24 mean 110/24 = 4.583
    One response of Q4 is voided and one focus-group response in Q1 rates 1: neither counts.
Colours (fixed scale): 4.5 -> 4 to 5 "#41b6c4", 3.0 -> 3 to 4 "#7fcdbb", 5.667 -> "#2c7fb8".
"""

from __future__ import annotations

import csv
import io

import pytest
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session

from stadtraum.analysis.cube import CubeFilter
from stadtraum.analysis.cube_store import CubeProvider
from stadtraum.cli.main import main
from stadtraum.collect.submit import submit_response
from stadtraum.maps.page_data import map_data
from stadtraum.store.queries import current_level
from tests.helpers import make_city, make_payload, set_status

LAYOUT = {"D1": ("Q1", "Q2", "Q3"), "D2": ("Q4", "Q5")}
RATINGS = {"Q1": [1, 2, 6, 7, 7, 4], "Q2": [3, 3, 4, 5, 5], "Q3": [7, 7],
           "Q4": [2, 2, 3, 3, 5], "Q5": [7, 7, 7, 6, 6, 1]}
# code -> (mean, n, colour) as published; None = suppressed
EXPECTED = {"Q1": (4.5, 6, "#41b6c4"), "Q2": None, "Q3": None, "Q4": (3.0, 5, "#7fcdbb"),
            "Q5": (34 / 6, 6, "#2c7fb8")}
DISTRICTS = {"D1": (61 / 13, 13), "D2": (49 / 11, 11)}


@pytest.fixture
def city_campaign(engine: Engine) -> int:
    city = make_city(engine, layout=LAYOUT)
    for code, scores in RATINGS.items():
        for score in scores:
            submit_response(engine, make_payload(city.campaign_id, code, {"feeling_safe": score}))
    voided = make_payload(city.campaign_id, "Q4", {"feeling_safe": 7})
    submit_response(engine, voided)
    set_status(engine, voided.response_id, "voided")
    submit_response(engine, make_payload(city.campaign_id, "Q1", {"feeling_safe": 1},
                                         mode="focus_group"))
    return city.campaign_id


def _props(engine: Engine, campaign_id: int, metric: str, level: str = "Quartier"
           ) -> dict[str, dict[str, object]]:
    with Session(engine) as session:
        level_id = current_level(session, level).id
    data = map_data(engine, CubeProvider(engine), CubeFilter((campaign_id,)), level_name=level,
                    level_id=level_id, metric=metric, criterion_id="feeling_safe")
    return {str(f["properties"]["code"]): f["properties"] for f in data.features["features"]}


def test_map_properties_match_hand_computed_values(engine: Engine, city_campaign: int) -> None:
    props = _props(engine, city_campaign, "mean")
    assert set(props) == set(EXPECTED)
    for code, expected in EXPECTED.items():
        p = props[code]
        if expected is None:
            assert p["suppressed"] is True and p["value"] is None and p["n"] is None
            assert p["colour"] is None and p["label"] == "zu wenige Antworten (n &lt; 5)"
        else:
            mean, n, colour = expected
            assert p["suppressed"] is False and p["n"] == n and p["colour"] == colour
            assert p["value"] == pytest.approx(mean, abs=1e-9)
    assert props["Q1"]["label"] == "Mittelwert 4,5 · n = 6"
    districts = _props(engine, city_campaign, "mean", "Stadtbezirk")
    for code, (mean, n) in DISTRICTS.items():
        assert districts[code]["value"] == pytest.approx(mean) and districts[code]["n"] == n


def test_map_shares_and_n_match_hand_computed_values(engine: Engine, city_campaign: int) -> None:
    low = _props(engine, city_campaign, "share_low")
    high = _props(engine, city_campaign, "share_high")
    n = _props(engine, city_campaign, "n")
    assert low["Q1"]["value"] == pytest.approx(100 * 2 / 6)
    assert low["Q4"]["value"] == pytest.approx(40.0)
    assert low["Q5"]["value"] == pytest.approx(100 / 6)
    assert high["Q5"]["value"] == pytest.approx(100 * 5 / 6) and high["Q4"]["value"] == 0.0
    assert n["Q5"]["value"] == 6 and n["Q5"]["label"] == "n = 6"
    for code in ("Q2", "Q3"):
        assert low[code]["value"] is None and n[code]["n"] is None and n[code]["suppressed"]


def test_cli_results_match_hand_computed_values(engine: Engine, city_campaign: int,
                                                capsys: pytest.CaptureFixture[str]) -> None:
    url = engine.url.render_as_string(hide_password=False)
    code = main(["--db", url, "results", "--campaign", str(city_campaign), "--level",
                 "Quartier", "--criterion", "feeling_safe", "--format", "csv"])
    out = capsys.readouterr().out
    assert code == 0
    rows = {r["area_code"]: r for r in csv.DictReader(io.StringIO(out))}
    assert set(rows) == set(EXPECTED)
    for area, expected in EXPECTED.items():
        if expected is None:
            assert rows[area]["suppressed"] == "True" and rows[area]["mean"] == ""
            assert rows[area]["n"] == ""
        else:
            assert rows[area]["suppressed"] == "False"
            assert float(rows[area]["mean"]) == pytest.approx(expected[0], abs=0.0005)
            assert int(rows[area]["n"]) == expected[1]
    assert float(rows["Q4"]["share_low"]) == pytest.approx(0.4)
    assert float(rows["Q1"]["median"]) == pytest.approx(5.0)  # 1 2 4 6 7 7 -> (4+6)/2
