"""Area profile model on hand-computed figures (see tests/profile_fixture.py): radar series,
the table per criterion, strengths and weaknesses, priorities; on both engines."""

from __future__ import annotations

import pandas as pd
import pytest
from sqlalchemy.engine import Engine

from stadtraum.analysis.priorities import priority_shares
from stadtraum.analysis.profile import assessment, profile_series, profile_table
from stadtraum.analysis.results import CITY_CODE, Results
from stadtraum.analysis.scope import bottom_codes
from stadtraum.errors import NotFoundError
from tests.profile_fixture import ProfileCity, build, results_for


@pytest.fixture
def built(engine: Engine) -> ProfileCity:
    return build(engine)


def _results(engine: Engine, built: ProfileCity, **kw: object) -> Results:
    return results_for(engine, built, **kw)


def test_table_matches_hand_computed_values(engine: Engine, built: ProfileCity) -> None:
    table = profile_table(_results(engine, built), "Q3").set_index("criterion_id")
    ma = table.loc["moving_around"]
    assert ma["n"] == 5 and ma["mean"] == pytest.approx(3.4)
    assert (ma["ci_low"], ma["ci_high"]) == (pytest.approx(1.98), pytest.approx(4.82))
    assert ma["median"] == 3.0
    assert [ma[f"share_{s}"] for s in range(1, 8)] == [0.0, 20.0, 40.0, 20.0, 20.0, 0.0, 0.0]
    assert ma["note"] == ""
    pt = table.loc["public_transport"]  # n = 2 < 3: no figure at all, only the reason
    assert pd.isna(pt["n"]) and pd.isna(pt["mean"]) and pd.isna(pt["share_4"])
    assert pt["note"] == "zu wenige Antworten (n < 3)"
    assert list(table.index[:3]) == ["moving_around", "public_transport", "traffic_parking"]
    city = profile_table(_results(engine, built), CITY_CODE).set_index("criterion_id")
    assert city.loc["moving_around", "n"] == 11 and city.loc["moving_around", "mean"] == 4.0


def test_radar_series_area_parent_city(engine: Engine, built: ProfileCity) -> None:
    res = _results(engine, built)
    q1 = profile_series(res, "Q1")
    assert [s.name for s in q1] == ["Quartier Q1", "Bezirk D1", "Gesamtstadt"]
    assert len(q1[0].values) == 14 and q1[0].n == 3 and q1[2].n == 11
    assert q1[0].values[0] == pytest.approx(5.0)  # moving_around, catalogue order
    assert q1[1].values[0] == pytest.approx(4.5)  # D1: (15 + 12) / 6
    assert q1[2].values[0] == pytest.approx(4.0)
    q3 = profile_series(res, "Q3")
    assert q3[0].values[1] is None  # public_transport suppressed: a gap, never drawn
    assert [s.name for s in profile_series(res, "D1")] == ["Bezirk D1", "Gesamtstadt"]
    assert len(profile_series(res, CITY_CODE)) == 1
    with pytest.raises(NotFoundError):
        profile_series(res, "Q9")


def test_strengths_and_weaknesses_in_careful_words(engine: Engine, built: ProfileCity) -> None:
    found = assessment(_results(engine, built), "Q3")
    # only what differs from the rest of the city by the engine's rank test (both are clear)
    assert found.strengths == (
        "Sicherheitsgefühl: 6,6 (Gesamtstadt 5,6) – deutlich höher als im Rest der Stadt",)
    assert found.weaknesses == (
        "Wohnen: 1,4 (Gesamtstadt 2,4) – deutlich niedriger als im Rest der Stadt",)
    en = assessment(_results(engine, built), "Q3", "en")
    assert en.weaknesses[0].startswith("Housing and community: 1.4 (city 2.4) – clearly lower")
    city = assessment(_results(engine, built), CITY_CODE)
    assert city.strengths == ("Sicherheitsgefühl: 5,6",) and city.weaknesses == ("Wohnen: 2,4",)
    assert assessment(_results(engine, built), "Q2") == type(found)((), ())  # one criterion


def test_priority_shares_follow_the_filter(engine: Engine, built: ProfileCity) -> None:
    res = _results(engine, built)
    table = priority_shares(engine, res, "Q3")
    assert not table.suppressed and table.respondents == 5 == res.levels[0].respondents[2]
    assert list(zip(table.frame["criterion_id"], table.frame["share"], strict=True)) == [
        ("housing", 60.0), ("feeling_safe", 40.0), ("moving_around", 20.0)]
    assert priority_shares(engine, res, "D2").frame.equals(table.frame)
    assert priority_shares(engine, res, CITY_CODE).respondents == 11
    assert priority_shares(engine, res, "Q1").frame.empty  # nobody named one
    young = _results(engine, built, age_bands=("18_29",))
    small = priority_shares(engine, young, "Q3")  # 2 respondents < min_n 3
    assert small.suppressed and small.respondents is None and small.frame.empty
    groups = _results(engine, built, modes=("focus_group",))
    fg = priority_shares(engine, groups, "Q3")  # the focus group alone: one response
    assert fg.suppressed and fg.respondents is None and fg.frame.empty
    assert groups.levels[0].respondents_suppressed.all()


def test_bottom_codes(engine: Engine, built: ProfileCity) -> None:
    res = _results(engine, built)
    assert bottom_codes(res, "Q2") == ("Q2",)
    assert bottom_codes(res, "D1") == ("Q1", "Q2")
    assert bottom_codes(res, CITY_CODE) == ("Q1", "Q2", "Q3")


def test_a_weakness_is_never_above_the_city(engine: Engine) -> None:
    """Q1 rates both criteria above the city: one is its strength, and neither may be called
    a weakness just because it is the lower of the two (seen in the printed area report)."""
    from stadtraum.analysis.cube import CubeFilter
    from stadtraum.analysis.cube_store import CubeProvider
    from stadtraum.analysis.results import compute_results
    from stadtraum.collect.submit import submit_response
    from tests.helpers import make_city, make_payload

    city = make_city(engine, layout={"D1": ("Q1", "Q2")}, min_n=3)
    for area, ratings in (("Q1", {"moving_around": 6, "feeling_safe": 6}),
                          ("Q2", {"moving_around": 2, "feeling_safe": 5})):
        for _ in range(4):
            submit_response(engine, make_payload(city.campaign_id, area, ratings))
    res = compute_results(engine, CubeProvider(engine), CubeFilter((city.campaign_id,)))
    q1 = assessment(res, "Q1")
    assert len(q1.strengths) == 2 and q1.strengths[0].startswith("Zu Fuß und mit dem Rad: 6,0")
    assert q1.weaknesses == ()  # the lower of two strengths is no weakness
    q2 = assessment(res, "Q2")
    assert q2.strengths == () and len(q2.weaknesses) == 2  # identical ratings: both clear


def test_nothing_is_a_strength_or_weakness_within_the_noise(engine: Engine) -> None:
    """A criterion rated as the city rates it, and one a little higher by chance, are neither
    strength nor weakness (the profile listed a weakness equal to the city's mean)."""
    from stadtraum.analysis.cube import CubeFilter
    from stadtraum.analysis.cube_store import CubeProvider
    from stadtraum.analysis.results import compute_results
    from stadtraum.collect.submit import submit_response
    from tests.helpers import make_city, make_payload

    city = make_city(engine, layout={"D1": ("Q1", "Q2")}, min_n=3)
    for area, moving, safe in (("Q1", (3, 5, 4, 6, 2), (5, 6, 4, 5, 6)),
                               ("Q2", (4, 4, 5, 3, 4), (5, 5, 4, 6, 5))):
        for m, f in zip(moving, safe, strict=True):
            submit_response(engine, make_payload(city.campaign_id, area,
                                                 {"moving_around": m, "feeling_safe": f}))
    res = compute_results(engine, CubeProvider(engine), CubeFilter((city.campaign_id,)))
    assert assessment(res, "Q1") == assessment(res, "Q2") == type(assessment(res, "Q1"))((), ())
