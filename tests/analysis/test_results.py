"""compute_results end to end (submit → cube → statistics → roll-up → suppression) against
hand-computed figures, on SQLite and PostgreSQL.

The town: districts D1 = {Q1, Q2} and D2 = {Q3}; campaign min_n = 3. Ratings
(moving_around / housing; "-" = keine Angabe):

    Q1: 1/-  2/-                      -> moving n=2 < 3: primary suppression
    Q2: 3/2  4/2  5/5  6/-            -> moving n=4: secondary (its sibling Q1 is hidden)
                                         housing n=3: shown (Q1 has no housing data)
    Q3: 5/7  6/7  7/7                 -> shown
    Q3: focus group 1/1 (6 people)    -> only when the filter includes focus groups

Student-t 0.975 quantiles (any table): df 2: 4.302652729749464, df 3: 3.182446305283708,
df 5: 2.5705818356363146, df 8: 2.306004135204166.
"""

from __future__ import annotations

import io
import math
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pytest
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session

from stadtraum.analysis.cube import CubeFilter
from stadtraum.analysis.cube_store import CubeProvider
from stadtraum.analysis.results import CITY_CODE, Results, compute_results, results_frame
from stadtraum.collect.submit import submit_response
from stadtraum.errors import ValidationError
from stadtraum.exports.spreadsheet import safe_frame
from stadtraum.store.catalogues import add_catalogue
from stadtraum.store.engine import write_engine
from stadtraum.vocab import MODES
from tests.helpers import City, add_campaign, make_city, make_payload, set_status

T2, T3, T5, T8 = 4.302652729749464, 3.182446305283708, 2.5705818356363146, 2.306004135204166
MOVING, HOUSING, SAFE = "moving_around", "housing", "feeling_safe"
SURVEY = [("Q1", 1, None), ("Q1", 2, None),
          ("Q2", 3, 2), ("Q2", 4, 2), ("Q2", 5, 5), ("Q2", 6, None),
          ("Q3", 5, 7), ("Q3", 6, 7), ("Q3", 7, 7)]


@dataclass
class Town:
    engine: Engine
    city: City
    provider: CubeProvider

    def results(self, *campaign_ids: int, **kw: object) -> Results:
        flt = CubeFilter(campaign_ids or (self.city.campaign_id,), **kw)  # type: ignore[arg-type]
        return compute_results(self.engine, self.provider, flt)


def _submit(engine: Engine, campaign_id: int, area: str, moving: int | None,
            housing: int | None, **kw: object) -> None:
    ratings = {k: v for k, v in ((MOVING, moving), (HOUSING, housing)) if v is not None}
    submit_response(engine, make_payload(campaign_id, area, ratings, **kw))  # type: ignore[arg-type]


@pytest.fixture
def town(engine: Engine) -> Town:
    city = make_city(engine, min_n=3)
    for area, moving, housing in SURVEY:
        _submit(engine, city.campaign_id, area, moving, housing)
    _submit(engine, city.campaign_id, "Q3", 1, 1, mode="focus_group", participants=6)
    return Town(engine, city, CubeProvider(engine))


def cell(res: Results, level: int, code: str, criterion: str) -> dict[str, Any]:
    frame = results_frame(res, level)
    row = frame[(frame["area_code"] == code) & (frame["criterion_id"] == criterion)]
    assert len(row) == 1
    return {str(k): v for k, v in row.iloc[0].to_dict().items()}


def shown(res: Results, level: int, code: str, criterion: str, **expected: float) -> None:
    got = cell(res, level, code, criterion)
    assert got["suppressed"] is False and got["note"] == ""
    for key, value in expected.items():
        assert got[key] == pytest.approx(round(value, 3), abs=1e-12), key


def hidden(res: Results, level: int, code: str, criterion: str) -> None:
    got = cell(res, level, code, criterion)
    assert got["suppressed"] is True
    assert got["note"] == f"zu wenige Antworten (n < {res.min_n})"
    for key in ("n", "mean", "sd", "ci_low", "ci_high", "median", "q1", "q3", "share_low",
                "share_high"):
        assert pd.isna(got[key]), key  # no figure at all (None/NaN/NA), not even n


def test_levels_and_shape(town: Town) -> None:
    res = town.results()
    assert [lv.name for lv in res.levels] == ["Quartier", "Stadtbezirk", "Gesamtstadt"]
    assert [list(lv.areas["code"]) for lv in res.levels] == [["Q1", "Q2", "Q3"], ["D1", "D2"],
                                                             [CITY_CODE]]
    assert res.min_n == 3
    assert [c.id for c in res.criteria][:2] == [MOVING, "public_transport"]
    assert len(res.criteria) == 14
    frame = results_frame(res, 0)
    assert len(frame) == 3 * 14
    assert cell(res, 0, "Q1", MOVING)["criterion"] == "Zu Fuß und mit dem Rad"
    assert results_frame(res, 0, lang="en")["criterion"].iloc[0] == "Moving around"


def test_quarters_hand_computed(town: Town) -> None:
    res = town.results()
    q = res.levels[0]
    m, h = 0, [c.id for c in res.criteria].index(HOUSING)
    # raw figures (for admins): n per cell and respondents per area
    assert q.stats.n[:, m].tolist() == [2, 4, 3]
    assert q.stats.n[:, h].tolist() == [0, 3, 3]
    assert q.respondents.tolist() == [2, 4, 3]
    # suppression: Q1 primary, Q2 secondary for moving_around; housing only Q1 (empty)
    assert q.suppressed[:, m].tolist() == [True, True, False]
    assert q.suppressed[:, h].tolist() == [True, False, False]
    hidden(res, 0, "Q1", MOVING)
    hidden(res, 0, "Q2", MOVING)
    hidden(res, 0, "Q1", HOUSING)
    # Q3 moving_around: 5, 6, 7
    shown(res, 0, "Q3", MOVING, n=3, mean=6.0, sd=1.0, ci_low=6 - T2 / math.sqrt(3),
          ci_high=6 + T2 / math.sqrt(3), median=6.0, q1=5.5, q3=6.5, share_low=0.0,
          share_high=2 / 3)
    # Q2 housing: 2, 2, 5 -> sd = sqrt(3), half width = T2 * sqrt(3) / sqrt(3)
    shown(res, 0, "Q2", HOUSING, n=3, mean=3.0, sd=math.sqrt(3), ci_low=3 - T2,
          ci_high=3 + T2, median=2.0, q1=2.0, q3=3.5, share_low=2 / 3, share_high=0.0)
    # Q3 housing: 7, 7, 7 -> sd 0, the interval collapses
    shown(res, 0, "Q3", HOUSING, n=3, mean=7.0, sd=0.0, ci_low=7.0, ci_high=7.0, median=7.0,
          share_high=1.0)
    # nobody rated feeling_safe: suppressed everywhere, nothing shown
    for code in ("Q1", "Q2", "Q3"):
        hidden(res, 0, code, SAFE)
    # overall index: Q1 has 2 < 3 respondents; Q2 only housing published; Q3 (6 + 7) / 2
    assert q.index_suppressed.tolist() == [True, False, False]
    # respondents: Q1 2 < 3, and Q2 with it (D1 = Q1 + Q2 would give Q1 away)
    assert q.respondents_suppressed.tolist() == [True, True, False]
    assert np.isnan(q.index[0])
    assert q.index[1:].tolist() == pytest.approx([3.0, 6.5])
    assert q.index_criteria.tolist()[1:] == [1, 2]


def test_districts_and_city_hand_computed(town: Town) -> None:
    res = town.results()
    # D1 moving_around: 1..6 -> mean 3.5, sd sqrt(3.5), df 5
    half = T5 * math.sqrt(3.5) / math.sqrt(6)
    shown(res, 1, "D1", MOVING, n=6, mean=3.5, sd=math.sqrt(3.5), ci_low=3.5 - half,
          ci_high=3.5 + half, median=3.5, q1=2.25, q3=4.75, share_low=2 / 6, share_high=1 / 6)
    shown(res, 1, "D2", MOVING, n=3, mean=6.0, median=6.0)
    shown(res, 1, "D1", HOUSING, n=3, mean=3.0, median=2.0)
    # city moving_around: 1,2,3,4,5,5,6,6,7 -> mean 39/9, sum of squares 201, var 32/8 = 4
    half = T8 * 2 / 3
    shown(res, 2, CITY_CODE, MOVING, n=9, mean=39 / 9, sd=2.0, ci_low=39 / 9 - half,
          ci_high=39 / 9 + half, median=5.0, q1=3.0, q3=6.0, share_low=2 / 9, share_high=3 / 9)
    # city housing: 2,2,5,7,7,7 -> mean 5, var (180 - 150) / 5 = 6, half width T5
    shown(res, 2, CITY_CODE, HOUSING, n=6, mean=5.0, sd=math.sqrt(6), ci_low=5 - T5,
          ci_high=5 + T5, median=6.0, q1=2.75, q3=7.0)
    hidden(res, 2, CITY_CODE, SAFE)
    d, c = res.levels[1], res.levels[2]
    mh = [0, [x.id for x in res.criteria].index(HOUSING)]
    assert not d.suppressed[:, mh].any() and not c.suppressed[:, mh].any()
    assert d.respondents.tolist() == [6, 3] and c.respondents.tolist() == [9]
    assert d.index.tolist() == pytest.approx([(3.5 + 3.0) / 2, (6 + 7) / 2])
    assert c.index.tolist() == pytest.approx([(39 / 9 + 5) / 2])


def test_roll_up_is_the_sum_of_the_children(town: Town) -> None:
    res = town.results()
    q, d, c = res.levels
    np.testing.assert_array_equal(d.counts[0], q.counts[0] + q.counts[1])
    np.testing.assert_array_equal(d.counts[1], q.counts[2])
    np.testing.assert_array_equal(c.counts[0], d.counts.sum(axis=0))


def test_focus_groups_only_when_the_filter_includes_them(town: Town) -> None:
    survey = town.results()
    assert cell(survey, 0, "Q3", MOVING)["n"] == 3
    # "all modes with the focus groups" minus "all modes" would isolate the groups
    with pytest.raises(ValidationError) as err:
        town.results(modes=tuple(MODES.codes))
    assert "genau eine Erhebungsart" in err.value.message_de
    groups = town.results(modes=("focus_group",))
    # the group counts once, not six times
    assert groups.levels[0].stats.n[:, 0].tolist() == [0, 0, 1]
    assert groups.levels[0].respondents.tolist() == [0, 0, 1]
    hidden(groups, 0, "Q3", MOVING)
    hidden(groups, 2, CITY_CODE, MOVING)


def test_demographic_filter_applies(town: Town) -> None:
    _submit(town.engine, town.city.campaign_id, "Q3", 2, 2, age_band="65plus")
    res = town.results(age_bands=("65plus",))
    mh = [0, [x.id for x in res.criteria].index(HOUSING)]
    assert res.levels[2].stats.n[0, mh].tolist() == [1, 1]
    hidden(res, 2, CITY_CODE, MOVING)
    everyone = town.results()
    q3 = everyone.levels[0]
    assert q3.stats.n[2, 0] == 4 and q3.stats.mean[2, 0] == 5.0  # 5, 6, 7, 2
    # the one person aged 65+ hides the ages of Q3 and, since nobody else gave an age, of
    # the whole town: each district's only age category ("ohne Angabe") is all of it, so
    # hiding it hides the district, and Q3 with D2 (the exact method's all-or-none rule)
    assert q3.suppressed[2, 0] and everyone.levels[1].suppressed[:, 0].all()
    shown(everyone, 2, CITY_CODE, MOVING, n=10)


def test_voided_response_leaves_the_results(town: Town) -> None:
    res = town.results()
    shown(res, 0, "Q3", HOUSING, n=3, mean=7.0)
    new = make_payload(town.city.campaign_id, "Q3", {HOUSING: 1})
    submit_response(town.engine, new)
    shown(town.results(), 0, "Q3", HOUSING, n=4, mean=5.5)
    set_status(town.engine, new.response_id, "voided")
    shown(town.results(), 0, "Q3", HOUSING, n=3, mean=7.0)


def test_campaigns_are_not_combined_and_keep_their_own_min_n(town: Town) -> None:
    second = add_campaign(town.engine, town.city, "Befragung 2026", min_n=4)
    _submit(town.engine, second, "Q2", 7, None)
    _submit(town.engine, second, "Q2", 7, None)
    alone = town.results()
    assert alone.min_n == 3
    shown(alone, 0, "Q3", HOUSING, n=3)  # a second wave does not touch the first one's cells
    shown(alone, 2, CITY_CODE, MOVING, n=9)
    for order in ((town.city.campaign_id, second), (second, town.city.campaign_id)):
        with pytest.raises(ValidationError) as err:
            town.results(*order)
        assert "nicht zusammenfassen" in err.value.message_de
    other = town.results(second)
    assert other.min_n == 4
    assert cell(other, 0, "Q2", MOVING)["note"] == "zu wenige Antworten (n < 4)"


def test_no_published_cell_leaks_a_hidden_one(town: Town) -> None:
    """Per parent and criterion: hidden children are none, or >= 2 with combined n >= min_n."""
    for modes in (None, ("focus_group",)):
        res = town.results() if modes is None else town.results(modes=modes)
        for child, parent in ((res.levels[0], res.levels[1]), (res.levels[1], res.levels[2])):
            parent_pos = (np.zeros(len(child.areas), dtype=int) if parent.name == "Gesamtstadt"
                          else pd.Index(parent.areas["id"]).get_indexer(child.areas["parent_id"]))
            for p in range(len(parent.areas)):
                for c in range(len(res.criteria)):
                    if parent.suppressed[p, c]:
                        continue
                    kids = (parent_pos == p) & child.suppressed[:, c] & (child.stats.n[:, c] > 0)
                    n_hidden = child.stats.n[kids, c]
                    assert kids.sum() == 0 or (kids.sum() >= 2 and n_hidden.sum() >= res.min_n)


def test_csv_of_the_table_shows_nothing_for_hidden_cells(town: Town) -> None:
    frame = results_frame(town.results(), 0)
    frame = frame[frame["criterion_id"].isin([MOVING, HOUSING])]
    back = pd.read_csv(io.StringIO(safe_frame(frame).to_csv(index=False)), dtype=str,
                       keep_default_na=False)
    by_cell = {(r.area_code, r.criterion_id): r for r in back.itertuples()}
    q1 = by_cell[("Q1", MOVING)]
    assert (q1.n, q1.mean, q1.ci_low, q1.median) == ("", "", "", "")
    q3 = by_cell[("Q3", MOVING)]
    assert (q3.n, q3.mean, q3.median, q3.ci_low) == ("3", "6.0", "6.0", "3.516")


def test_campaign_with_a_catalogue_added_after_the_cube_was_loaded(town: Town) -> None:
    town.results()  # the provider's cube is warm now, without the new criterion
    shipped = Path(__file__).parents[2] / "stadtraum" / "catalogues" / "stadtraummonitor14.toml"
    toml = (shipped.read_text(encoding="utf-8")
            .replace('id = "stadtraummonitor14"', 'id = "mit_laerm"')
            .replace('id = "influence_control"', 'id = "noise_level"'))
    with Session(write_engine(town.engine)) as session, session.begin():
        add_catalogue(session, toml)  # moves no change counter
    noisy = add_campaign(town.engine, town.city, "Lärm 2026", min_n=1, catalogue_id="mit_laerm")
    res = town.results(noisy)
    assert res.criteria[-1].id == "noise_level"
    assert res.levels[2].stats.n[0].sum() == 0
    _submit(town.engine, noisy, "Q1", 4, None)
    submit_response(town.engine, make_payload(noisy, "Q2", {"noise_level": 2}))
    res = town.results(noisy)
    shown(res, 2, CITY_CODE, "noise_level", n=1, mean=2.0)
    shown(res, 0, "Q1", MOVING, n=1, mean=4.0)
    # the original campaign is unaffected
    shown(town.results(), 0, "Q3", MOVING, n=3, mean=6.0)


def test_no_campaign_is_a_validation_error(town: Town) -> None:
    with pytest.raises(ValidationError) as exc:
        compute_results(town.engine, town.provider, CubeFilter(()))
    assert exc.value.field == "campaign"
