"""Wave against wave: hand-computed change and rank test, suppression per wave, areas
matched by code and, across boundary versions, by overlap; shared criteria only."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest
from sqlalchemy.engine import Engine

from stadtraum.analysis.cube import CubeFilter
from stadtraum.analysis.cube_store import CubeProvider
from stadtraum.analysis.waves import compare_waves
from stadtraum.collect.submit import submit_response
from tests.helpers import add_campaign, make_city, make_payload
from tests.wave_fixture import WAVE_A, fill, two_waves


def test_change_significance_and_suppression(engine: Engine) -> None:
    _, _, cmp = two_waves(engine)
    rows = cmp.frame[cmp.frame["criterion_id"] == "moving_around"].set_index("area_code")
    q3 = rows.loc["Q3"]
    assert q3["mean_a"] == pytest.approx(3.4) and q3["mean_b"] == pytest.approx(6.2)
    assert q3["diff"] == pytest.approx(2.8)
    assert q3["p_value"] == pytest.approx(0.0150, abs=1e-4)
    assert bool(q3["significant"])
    assert "Verbesserung" in q3["hint"]
    for code in ("Q1", "Q2"):
        assert rows.loc[code, "suppressed"]
        assert pd.isna(rows.loc[code, "mean_b"]) and pd.isna(rows.loc[code, "diff"])
        assert rows.loc[code, "hint"] == ""
    assert set(cmp.matched_by.values()) == {"code"}
    # a criterion nobody rated is hidden in both waves
    assert cmp.frame[cmp.frame["criterion_id"] == "housing"]["suppressed"].all()


def test_new_boundary_version_is_matched_by_overlap(engine: Engine) -> None:
    old = make_city(engine, min_n=3)
    new = make_city(engine, name="Teststadt neu", campaign="Befragung 2026", min_n=3,
                    layout={"D1": ("Q1", "Q2"), "D2": ("Q9",)})  # Q9 = Q3 with a new code
    fill(engine, old.campaign_id, WAVE_A)
    fill(engine, new.campaign_id, {"Q1": [4, 5, 6], "Q2": [4, 4, 4], "Q9": [5, 6, 7, 7, 6]})
    cmp = compare_waves(engine, CubeProvider(engine), old.campaign_id, new.campaign_id)
    assert cmp.matched_by == {"Q1": "code", "Q2": "code", "Q9": "overlap"}
    q9 = cmp.frame[(cmp.frame["area_code"] == "Q9")
                   & (cmp.frame["criterion_id"] == "moving_around")].iloc[0]
    assert q9["mean_a"] == pytest.approx(3.4) and q9["diff"] == pytest.approx(2.8)
    q2 = cmp.frame[(cmp.frame["area_code"] == "Q2")
                   & (cmp.frame["criterion_id"] == "moving_around")].iloc[0]
    assert q2["diff"] == pytest.approx(0.0) and q2["hint"] == "keine Veränderung"


def test_only_shared_criteria_are_compared(engine: Engine) -> None:
    city = make_city(engine, min_n=3)
    klima = add_campaign(engine, city, "Klima 2026", min_n=3,
                         catalogue_id="stadtraummonitor14_klima")
    fill(engine, city.campaign_id, WAVE_A)
    submit_response(engine, make_payload(klima, "Q3", {"moving_around": 5, "heat_cooling": 2}))
    cmp = compare_waves(engine, CubeProvider(engine), city.campaign_id, klima)
    assert len(cmp.frame) == 3 * 14
    assert "heat_cooling" not in set(cmp.frame["criterion_id"])


def test_view_filter_applies_personal_characteristics_to_both_waves_but_not_the_period(
        engine: Engine) -> None:
    city = make_city(engine, min_n=3)
    wave_b = add_campaign(engine, city, "Befragung 2026", min_n=3)
    # Q3, moving_around: wave a 18–29 [2, 2, 2] and 65+ [6, 6, 6]; wave b 18–29 [5, 5, 5]
    for campaign, scores in ((city.campaign_id, (2, 6)), (wave_b, (5, None))):
        for band, score in zip(("18_29", "65plus"), scores, strict=True):
            for _ in range(3 if score is not None else 0):
                submit_response(engine, make_payload(campaign, "Q3", {"moving_around": score},
                                                     age_band=band))
    provider = CubeProvider(engine)
    everyone = compare_waves(engine, provider, city.campaign_id, wave_b)
    q3 = everyone.frame.set_index(["area_code", "criterion_id"]).loc[("Q3", "moving_around")]
    assert q3["mean_a"] == pytest.approx(4.0) and q3["diff"] == pytest.approx(1.0)
    young = CubeFilter((wave_b,), age_bands=("18_29",),
                       period=(dt.date(2026, 1, 1), dt.date(2026, 12, 31)))
    only_young = compare_waves(engine, provider, city.campaign_id, wave_b, base=young)
    q3 = only_young.frame.set_index(["area_code", "criterion_id"]).loc[("Q3", "moving_around")]
    # the age filter applies in both waves; the period (which would exclude the 2025 survey
    # date of both waves' test payloads) does not
    assert q3["mean_a"] == pytest.approx(2.0) and q3["mean_b"] == pytest.approx(5.0)
    assert q3["diff"] == pytest.approx(3.0)
