"""Comparison views: N areas on hand-computed figures, neighbours from geometries, one area
across two waves and the change map values (both engines where the database is involved)."""

from __future__ import annotations

import math

import pytest
from shapely.geometry import box
from sqlalchemy.engine import Engine

from stadtraum.analysis.area_compare import area_neighbours, areas_compare
from stadtraum.analysis.cube import CubeFilter
from stadtraum.analysis.cube_store import CubeProvider
from stadtraum.analysis.results import CITY_CODE, compute_results
from stadtraum.analysis.wave_view import area_change, wave_series
from stadtraum.errors import NotFoundError, ValidationError
from stadtraum.geo.neighbours import touching
from stadtraum.maps.area_values import change_values
from tests.helpers import make_city
from tests.wave_fixture import WAVE_A, fill, two_waves


def test_n_areas_means_differences_and_hints(engine: Engine) -> None:
    city = make_city(engine, min_n=3)
    fill(engine, city.campaign_id, WAVE_A)
    res = compute_results(engine, CubeProvider(engine), CubeFilter((city.campaign_id,)))
    frame = areas_compare(res, ["Q1", "Q3", "D1", CITY_CODE]).set_index("criterion_id")
    ma = frame.loc["moving_around"]
    assert [ma[f"mean_{i}"] for i in range(4)] == [pytest.approx(v) for v in (5.0, 3.4, 4.5, 4.0)]
    assert ma["diff_1"] == pytest.approx(-1.6)
    assert ma["hint_1"] == "Unterschied im Rahmen des Zufalls"  # places, not time
    assert ma["diff_2"] == pytest.approx(-0.5) and ma["diff_3"] == pytest.approx(-1.0)
    housing = frame.loc["housing"]  # nobody rated it: suppressed everywhere, cells empty
    assert math.isnan(housing["mean_0"]) and math.isnan(housing["diff_1"])
    assert housing["hint_1"] == ""
    assert list(frame.columns[:2]) == ["criterion", "mean_0"]
    for bad in (["Q1"], ["Q1", "Q1"], ["Q1", "Q2", "Q3", "D1", "D2", CITY_CODE, "Q1x"]):
        with pytest.raises((ValidationError, NotFoundError)):
            areas_compare(res, bad)
    with pytest.raises(NotFoundError):
        areas_compare(res, ["Q1", "Q9"])


def test_touching_is_pure_and_symmetric() -> None:
    geoms = [box(0, 0, 1, 1), box(1, 0, 2, 1), box(2, 0, 3, 1), box(1, 1, 2, 2),
             box(5, 5, 6, 6)]
    found = touching(["a", "b", "c", "d", "e"], geoms)
    assert found == {"a": ("b", "d"), "b": ("a", "c", "d"), "c": ("b", "d"),
                     "d": ("a", "b", "c"), "e": ()}
    with pytest.raises(ValueError):
        touching(["a"], [])


def test_neighbours_of_stored_areas(engine: Engine) -> None:
    # squares side by side: Q1 | Q2 | Q3 (D1 = Q1 + Q2, D2 = Q3)
    city = make_city(engine, min_n=3)
    fill(engine, city.campaign_id, WAVE_A)
    res = compute_results(engine, CubeProvider(engine), CubeFilter((city.campaign_id,)))
    assert area_neighbours(engine, res, "Q1") == ("Q2",)
    assert area_neighbours(engine, res, "Q2") == ("Q1", "Q3")
    assert area_neighbours(engine, res, "D2") == ("D1",)
    assert area_neighbours(engine, res, CITY_CODE) == ()


def test_one_area_across_two_waves_and_the_change_map(engine: Engine) -> None:
    _, _, cmp = two_waves(engine)
    q3 = area_change(cmp, "Q3").set_index("criterion_id")
    assert q3.loc["moving_around", "mean_a"] == pytest.approx(3.4)
    assert q3.loc["moving_around", "diff"] == pytest.approx(2.8)
    assert "Verbesserung" in q3.loc["moving_around", "hint"]
    assert len(q3) == 14 and math.isnan(q3.loc["housing", "diff"])
    before, after = wave_series(area_change(cmp, "Q3"), "2025", "2026")
    assert (before.name, after.name) == ("2025", "2026")
    assert before.values[0] == pytest.approx(3.4) and after.values[0] == pytest.approx(6.2)
    assert before.values[1] is None  # suppressed: a gap in the radar
    values = change_values(cmp, "moving_around")
    assert values["Q3"].value == pytest.approx(2.8) and not values["Q3"].suppressed
    assert values["Q1"].suppressed and values["Q1"].value is None  # hidden in wave b
    assert values["Q2"].suppressed
    with pytest.raises(NotFoundError):
        area_change(cmp, "Q9")
    with pytest.raises(NotFoundError):
        change_values(cmp, "gibt_es_nicht")
