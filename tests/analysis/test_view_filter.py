"""The shared filter: options from the database, validated CubeFilters with German errors
(table-driven), and the filter in words."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy.engine import Engine

from stadtraum.analysis.cube import CubeFilter
from stadtraum.analysis.cube_store import CubeProvider
from stadtraum.analysis.view_filter import (
    CampaignOption,
    FilterOptions,
    build_filter,
    campaign_spans,
    describe,
    filter_options,
    selection,
)
from stadtraum.collect.submit import submit_response
from stadtraum.errors import ValidationError
from stadtraum.vocab import SURVEY_MODES
from tests.helpers import add_campaign, make_city, make_payload

D = dt.date


def _opt(cid: int, level: str = "Quartier", catalogue: str = "k14", level_id: int = 10,
         n: int = 10) -> CampaignOption:
    return CampaignOption(cid, f"Welle {cid}", level_id, level, (level, "Stadtbezirk",
                                                                 "Gesamtstadt"),
                          catalogue, 5, n, D(2025, 5, cid), D(2025, 6, cid), False)


# 1, 2 and 6 (no responses yet) share a level; 3 lies on another level, 4 has another
# catalogue, 5 has the same level name on another boundary version
OPTS = FilterOptions((_opt(1), _opt(2), _opt(3, level="Stadtbezirk", level_id=30),
                      _opt(4, catalogue="klima"), _opt(5, level_id=50), _opt(6, n=0)))


def test_defaults_are_survey_modes_and_no_demographic_restriction() -> None:
    flt = build_filter(OPTS, [2])
    assert flt == CubeFilter((2,), SURVEY_MODES, None, None, None, None)
    assert describe(OPTS, flt) == "Befragung: Welle 2 · Erhebungsart: Straßenbefragung, " \
        "Papierbogen, Online"


def test_one_characteristic_with_one_category() -> None:
    flt = build_filter(OPTS, [2, 2], age_bands=["65plus"])
    assert flt.campaign_ids == (2,)  # duplicates dropped
    assert flt.age_bands == ("65plus",) and flt.genders is None and flt.period is None
    assert "Alter: 65 und älter" in describe(OPTS, flt)
    assert describe(OPTS, flt, "en").startswith("Surveys: Welle 2")
    month = build_filter(OPTS, [1], month="2025-05")
    assert month.period == (D(2025, 5, 1), D(2025, 5, 31))
    assert "Monat: Mai 2025" in describe(OPTS, month)
    assert "month: May 2025" in describe(OPTS, month, "en")
    assert build_filter(OPTS, [1], period=(D(2025, 6, 1), D(2025, 6, 30))).period is not None
    none = build_filter(OPTS, [1], genders=["none"])
    assert none.genders == ("none",) and "Geschlecht: ohne Angabe" in describe(OPTS, none)
    assert "gender: not given" in describe(OPTS, none, "en")
    assert build_filter(OPTS, [1], modes=["focus_group"]).modes == ("focus_group",)
    assert build_filter(OPTS, [1], modes=list(SURVEY_MODES)).modes == SURVEY_MODES


def test_groups_and_months_from_the_options() -> None:
    assert [c.id for c in OPTS.group(1)] == [1, 2]  # 6 has no responses
    assert [c.id for c in OPTS.group(6)] == [1, 2, 6]
    assert OPTS.months([1, 2]) == ("2025-05", "2025-06")
    assert OPTS.months([6]) == ("2025-05", "2025-06")
    assert FilterOptions(()).months([]) == ()


@pytest.mark.parametrize(("kwargs", "field", "words"), [
    ({"campaign_ids": []}, "campaign", "mindestens eine Befragung"),
    ({"campaign_ids": [99]}, "campaign", "gibt es nicht"),
    ({"campaign_ids": [1, 3]}, "campaign", "verschiedenen Gebietsgliederungen"),
    ({"campaign_ids": [1, 5]}, "campaign", "verschiedenen Gebietsgliederungen"),
    ({"campaign_ids": [1, 4]}, "campaign", "verschiedene Kriterienkataloge"),
    ({"campaign_ids": [1, 2]}, "campaign", "nicht zusammenfassen"),
    ({"campaign_ids": [1, 6]}, "campaign", "nicht zusammenfassen"),
    ({"campaign_ids": [1], "modes": []}, "mode", "mindestens eine Erhebungsart"),
    ({"campaign_ids": [1], "modes": ["carrier_pigeon"]}, "mode", "Erhebungsart"),
    ({"campaign_ids": [1], "modes": ["street", "paper"]}, "mode", "genau eine Erhebungsart"),
    ({"campaign_ids": [1], "modes": ["street", "focus_group", "paper", "online"]}, "mode",
     "genau eine Erhebungsart"),
    ({"campaign_ids": [1], "age_bands": ["99plus"]}, "age_band", "Altersgruppe"),
    ({"campaign_ids": [1], "age_bands": ["u18", "65plus"]}, "age_band", "genau eine Angabe"),
    ({"campaign_ids": [1], "genders": ["x"]}, "gender", "Geschlecht"),
    ({"campaign_ids": [1], "genders": ["female", "male", "diverse", "no_answer"]}, "gender",
     "genau eine Angabe"),
    ({"campaign_ids": [1], "relations": ["x"]}, "relation", "Bezug zum Ort"),
    ({"campaign_ids": [1], "period": (D(2025, 6, 1), D(2025, 5, 1))}, "period", "endet vor"),
    ({"campaign_ids": [1], "period": (D(2025, 5, 1), D(2025, 5, 30))}, "period",
     "ganzer Kalendermonat"),
    ({"campaign_ids": [1], "period": (D(2025, 5, 2), D(2025, 6, 1))}, "period",
     "ganzer Kalendermonat"),
    ({"campaign_ids": [1], "month": "Mai"}, "period", "kein Kalendermonat"),
    ({"campaign_ids": [1], "month": "2025-13"}, "period", "kein Kalendermonat"),
    ({"campaign_ids": [1], "month": "2025-05", "period": (D(2025, 5, 1), D(2025, 5, 31))},
     "period", "entweder einen Monat"),
    ({"campaign_ids": [1], "age_bands": ["u18"], "genders": ["male"]}, "filter",
     "nur nach einem Merkmal"),
    ({"campaign_ids": [1], "month": "2025-05", "modes": ["online"]}, "filter",
     "nur nach einem Merkmal"),
])
def test_bad_selections_give_german_errors(kwargs: dict[str, object], field: str,
                                           words: str) -> None:
    ids = kwargs.pop("campaign_ids")
    with pytest.raises(ValidationError) as err:
        build_filter(OPTS, ids, **kwargs)  # type: ignore[arg-type]
    assert err.value.field == field and words in err.value.message_de


def test_selection_carries_level_and_description() -> None:
    sel = selection(OPTS, build_filter(OPTS, [5]))
    assert sel.level_id == 50 and sel.level_names == ("Quartier", "Stadtbezirk", "Gesamtstadt")
    assert sel.description.startswith("Befragung: Welle 5")
    assert OPTS.period_bounds([1, 2]) == (D(2025, 5, 1), D(2025, 6, 2))


def test_options_from_database_count_only_valid_responses(engine: Engine) -> None:
    city = make_city(engine)
    other = add_campaign(engine, city, "Welle 2")
    for day in (D(2025, 5, 6), D(2025, 5, 20)):
        submit_response(engine, make_payload(city.campaign_id, survey_date=day))
    spans = campaign_spans(CubeProvider(engine).get())
    opts = filter_options(engine, spans)
    first = opts.campaign(city.campaign_id)
    assert (first.n_responses, first.first_day, first.last_day) == (2, D(2025, 5, 6),
                                                                    D(2025, 5, 20))
    assert first.level_names == ("Quartier", "Stadtbezirk", "Gesamtstadt")
    assert opts.campaign(other).n_responses == 0 and opts.campaign(other).first_day is None
    assert opts.period_bounds([other]) is None
