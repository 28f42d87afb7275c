"""Two small survey waves of moving_around ratings with hand-checked expectations, shared by
the wave comparison tests (engine and views)."""

from __future__ import annotations

from sqlalchemy.engine import Engine

from stadtraum.analysis.cube_store import CubeProvider
from stadtraum.analysis.waves import WaveComparison, compare_waves
from stadtraum.collect.submit import submit_response
from tests.helpers import City, add_campaign, make_city, make_payload

# moving_around ratings per wave. Q3: a = [2,3,4,5,3] (mean 3.4), b = [5,6,7,7,6] (mean 6.2);
# Mann-Whitney U_b = 24.5 with ties, continuity-corrected two-sided p = 0.015018590873249258
# (scipy.stats.mannwhitneyu on the raw values gives the same). Q1 has 3 ratings in both
# waves [4,5,6] (no change); Q2 has 1 rating in wave b: primary suppression there, and Q1 is
# then hidden in wave b too (secondary), so both D1 quarters show no figures.
WAVE_A = {"Q1": [4, 5, 6], "Q2": [4, 4, 4], "Q3": [2, 3, 4, 5, 3]}
WAVE_B = {"Q1": [4, 5, 6], "Q2": [4], "Q3": [5, 6, 7, 7, 6]}


def fill(engine: Engine, campaign_id: int, ratings: dict[str, list[int]]) -> None:
    for code, scores in ratings.items():
        for s in scores:
            submit_response(engine, make_payload(campaign_id, code, {"moving_around": s}))


def two_waves(engine: Engine) -> tuple[City, int, WaveComparison]:
    """The test city (min_n 3) with WAVE_A in its campaign and WAVE_B in a second one, and
    their comparison: (city, second campaign id, comparison)."""
    city = make_city(engine, min_n=3)
    wave_b = add_campaign(engine, city, "Befragung 2026", min_n=3)
    fill(engine, city.campaign_id, WAVE_A)
    fill(engine, wave_b, WAVE_B)
    return city, wave_b, compare_waves(engine, CubeProvider(engine), city.campaign_id, wave_b)
