"""The exact method in the product: which table a filter is, one solution per campaign group
and change, and the same masks for a campaign alone, its group together and the wave view
(real SQLite database, real engine)."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pytest
from sqlalchemy.engine import Engine

from stadtraum.analysis.cube import CubeFilter
from stadtraum.analysis.cube_store import CubeProvider
from stadtraum.analysis.results import Results, compute_results
from stadtraum.analysis.view_tables import month_period, table_key, view_key
from stadtraum.analysis.waves import compare_waves
from stadtraum.collect.submit import submit_response
from stadtraum.errors import ValidationError
from stadtraum.vocab import SURVEY_MODES
from tests.helpers import add_campaign, make_city, make_payload

D = dt.date
C = (1,)


@pytest.mark.parametrize(("flt", "key"), [
    (CubeFilter(C), "all"),
    (CubeFilter(C, modes=tuple(reversed(SURVEY_MODES))), "all"),
    (CubeFilter(C, modes=("paper",)), "mode=paper"),
    (CubeFilter(C, modes=("focus_group",)), "focus"),
    (CubeFilter(C, age_bands=("none",)), "age=none"),
    (CubeFilter(C, genders=("no_answer",)), "gender=no_answer"),
    (CubeFilter(C, relations=("visit",)), "relation=visit"),
    (CubeFilter(C, period=(D(2024, 2, 1), D(2024, 2, 29))), "month=2024-02"),
])
def test_table_key_of_each_allowed_filter(flt: CubeFilter, key: str) -> None:
    assert table_key(flt) == key


@pytest.mark.parametrize(("flt", "field"), [
    (CubeFilter(C, modes=("street", "paper")), "mode"),
    (CubeFilter(C, modes=("street", "focus_group", "paper", "online")), "mode"),
    (CubeFilter(C, modes=("teleport",)), "mode"),
    (CubeFilter(C, age_bands=("u18", "18_29")), "age_band"),
    (CubeFilter(C, genders=("x",)), "gender"),
    (CubeFilter(C, period=(D(2024, 2, 1), D(2024, 2, 28))), "period"),
    (CubeFilter(C, period=(D(2024, 1, 31), D(2024, 2, 29))), "period"),
    (CubeFilter(C, period=(D(2024, 1, 1), D(2024, 2, 29))), "period"),
    (CubeFilter(C, age_bands=("u18",), relations=("live",)), "filter"),
    (CubeFilter(C, modes=("online",), period=(D(2024, 2, 1), D(2024, 2, 29))), "filter"),
])
def test_every_other_filter_is_refused_in_german(flt: CubeFilter, field: str) -> None:
    with pytest.raises(ValidationError) as err:
        table_key(flt)
    assert err.value.field == field and "Geheimhaltung" in err.value.message_de


def test_month_period_and_view_key() -> None:
    assert month_period("2024-02") == (D(2024, 2, 1), D(2024, 2, 29))
    with pytest.raises(ValidationError):
        month_period("2024-2-1")
    assert view_key([1, 2], [2], "age=u18") == "2|age=u18"
    assert view_key([1, 2], [2, 1], "age=u18") == "age=u18"
    assert view_key([1], [1], "all") == "all"
    with pytest.raises(ValidationError) as err:
        view_key([1, 2, 3], [1, 2], "all")
    assert "nur alle zusammen" in err.value.message_de


def _town(engine: Engine) -> tuple[int, int]:
    """Two waves on one level; wave 2 has a lone person aged 65+ in Q1."""
    city = make_city(engine, min_n=3)
    second = add_campaign(engine, city, "Welle 2", min_n=3)
    for campaign, area, score, age in [
            (city.campaign_id, "Q1", 4, "30_44"), (city.campaign_id, "Q1", 5, "30_44"),
            (city.campaign_id, "Q1", 6, "30_44"), (city.campaign_id, "Q2", 2, "30_44"),
            (city.campaign_id, "Q2", 3, "30_44"), (city.campaign_id, "Q2", 3, "30_44"),
            (city.campaign_id, "Q3", 7, "30_44"), (city.campaign_id, "Q3", 6, "30_44"),
            (city.campaign_id, "Q3", 6, "30_44"),
            (second, "Q1", 1, "65plus"), (second, "Q1", 5, "30_44"), (second, "Q1", 5, "30_44"),
            (second, "Q1", 4, "30_44"), (second, "Q2", 3, "30_44"), (second, "Q2", 4, "30_44"),
            (second, "Q2", 4, "30_44"), (second, "Q3", 6, "30_44"), (second, "Q3", 6, "30_44"),
            (second, "Q3", 5, "30_44")]:
        submit_response(engine, make_payload(campaign, area, {"moving_around": score},
                                             age_band=age))
    return city.campaign_id, second


def _shown(res: Results) -> np.ndarray:
    return np.concatenate([~lv.suppressed[:, 0] for lv in res.levels])


def test_categories_and_the_wave_view_agree(engine: Engine) -> None:
    first, second = _town(engine)
    provider = CubeProvider(engine)
    alone = compute_results(engine, provider, CubeFilter((second,)))
    # wave 2: Q1 has 4 ratings (one of them the 65+ person); "all" - "30_44" would give
    # that one person, so one of the two views hides Q1
    young = compute_results(engine, provider, CubeFilter((second,), age_bands=("30_44",)))
    old = compute_results(engine, provider, CubeFilter((second,), age_bands=("65plus",)))
    q = 0  # Q1's row
    assert alone.levels[0].stats.n[q, 0] == 4 and young.levels[0].stats.n[q, 0] == 3
    assert old.levels[0].suppressed[q, 0]
    assert alone.levels[0].suppressed[q, 0] or young.levels[0].suppressed[q, 0]
    # where "all" and "30_44" are both shown, "all - 30_44" = the 65+ people: none there
    both = _shown(alone) & _shown(young)
    old_n = np.concatenate([lv.stats.n[:, 0] for lv in old.levels])
    assert not (both & (old_n > 0) & (old_n < 3)).any()
    # the wave comparison shows a cell only where both waves show it, from the same masks
    one = compute_results(engine, provider, CubeFilter((first,), age_bands=("30_44",)))
    cmp = compare_waves(engine, provider, first, second, base=CubeFilter((first,),
                                                                         age_bands=("30_44",)))
    shown_rows = {r.area_code for r in cmp.frame.itertuples()
                  if not r.suppressed and r.criterion_id == "moving_around"}
    expect = {str(c) for c, a, b in zip(young.levels[0].areas["code"],
                                        ~one.levels[0].suppressed[:, 0],
                                        ~young.levels[0].suppressed[:, 0], strict=True)
              if a and b}
    assert shown_rows == expect


def test_one_solution_per_group_and_change(engine: Engine) -> None:
    first, second = _town(engine)
    provider = CubeProvider(engine)
    calls: list[int] = []
    real = provider.derived

    def counting(key: object, build: object) -> object:
        def wrapped(cube: object) -> object:
            calls.append(1)
            return build(cube)  # type: ignore[operator]
        return real(key, wrapped)  # type: ignore[arg-type]

    provider.derived = counting  # type: ignore[method-assign]
    for flt in (CubeFilter((second,)), CubeFilter((second,), genders=("none",)),
                CubeFilter((first,), relations=("live",)), CubeFilter((first,))):
        compute_results(engine, provider, flt)
    assert len(calls) == 2  # one build per campaign, shared by all its views
    submit_response(engine, make_payload(first, "Q2", {"moving_around": 2}))
    after = compute_results(engine, provider, CubeFilter((first,)))
    assert len(calls) == 3  # the change counter moved: solved again
    assert after.levels[0].stats.n[1, 0] == 4


def test_respondent_counts_are_suppressed_jointly(engine: Engine) -> None:
    _first, second = _town(engine)
    provider = CubeProvider(engine)
    old = compute_results(engine, provider, CubeFilter((second,), age_bands=("65plus",)))
    assert old.levels[0].respondents[0] == 1 and old.levels[0].respondents_suppressed[0]
    young = compute_results(engine, provider, CubeFilter((second,), age_bands=("30_44",)))
    everyone = compute_results(engine, provider, CubeFilter((second,)))
    # Q1 "all" 4 minus "30_44" 3 would give the 65+ count: not both shown
    assert young.levels[0].respondents_suppressed[0] or \
        everyone.levels[0].respondents_suppressed[0]


def test_several_campaigns_together_are_refused(engine: Engine) -> None:
    first, second = _town(engine)
    provider = CubeProvider(engine)
    for ids in ((first, second), (second, first)):
        with pytest.raises(ValidationError) as err:
            compute_results(engine, provider, CubeFilter(ids))
        assert "nicht zusammenfassen" in err.value.message_de
    city_b = make_city(engine, name="Andere Gliederung", campaign="Befragung B")
    with pytest.raises(ValidationError) as err:
        compute_results(engine, provider, CubeFilter((first, city_b.campaign_id)))
    assert "verschiedenen Gebietsgliederungen" in err.value.message_de
    empty = add_campaign(engine, city_b, "Welle 4, noch leer")
    alone = compute_results(engine, provider, CubeFilter((empty,)))  # no responses: all hidden
    assert alone.levels[0].suppressed.all() and alone.levels[-1].stats.n.sum() == 0
