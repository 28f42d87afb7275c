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


def _opt(cid: int, level: str = "Quartier", catalogue: str = "k14") -> CampaignOption:
    return CampaignOption(cid, f"Welle {cid}", cid * 10, level, (level, "Stadtbezirk",
                                                                 "Gesamtstadt"),
                          catalogue, 5, 10, D(2025, 5, cid), D(2025, 6, cid), False)


OPTS = FilterOptions((_opt(1), _opt(2), _opt(3, level="Stadtbezirk"), _opt(4, catalogue="klima")))


def test_defaults_are_survey_modes_and_no_demographic_restriction() -> None:
    flt = build_filter(OPTS, [2])
    assert flt == CubeFilter((2,), SURVEY_MODES, None, None, None, None)
    assert describe(OPTS, flt) == "Befragung: Welle 2 · Erhebungsart: Straßenbefragung, " \
        "Papierbogen, Online"


def test_selections_become_codes_in_vocabulary_order_and_all_means_none() -> None:
    flt = build_filter(OPTS, [1, 2, 1], modes=["online", "focus_group"], age_bands=["65plus",
                       "u18"], genders=["female", "male", "diverse", "no_answer"],
                       relations=[], period=(D(2025, 5, 1), D(2025, 5, 31)))
    assert flt.campaign_ids == (1, 2)  # duplicates dropped, order kept
    assert flt.modes == ("focus_group", "online") and flt.age_bands == ("u18", "65plus")
    assert flt.genders is None and flt.relations is None
    text = describe(OPTS, flt)
    assert "Fokusgruppe" in text and "Alter: unter 18, 65 und älter" in text
    assert "Zeitraum: 01.05.2025 – 31.05.2025" in text and "Geschlecht" not in text
    assert describe(OPTS, flt, "en").startswith("Surveys: Welle 1, Welle 2 · period: 2025-05-01")


@pytest.mark.parametrize(("kwargs", "field", "words"), [
    ({"campaign_ids": []}, "campaign", "mindestens eine Befragung"),
    ({"campaign_ids": [99]}, "campaign", "gibt es nicht"),
    ({"campaign_ids": [1, 3]}, "campaign", "verschiedenen Gebietsebenen"),
    ({"campaign_ids": [1, 4]}, "campaign", "verschiedene Kriterienkataloge"),
    ({"campaign_ids": [1], "modes": []}, "mode", "mindestens eine Erhebungsart"),
    ({"campaign_ids": [1], "modes": ["carrier_pigeon"]}, "mode", "Erhebungsart"),
    ({"campaign_ids": [1], "age_bands": ["99plus"]}, "age_band", "Altersgruppe"),
    ({"campaign_ids": [1], "genders": ["x"]}, "gender", "Geschlecht"),
    ({"campaign_ids": [1], "relations": ["x"]}, "relation", "Bezug zum Ort"),
    ({"campaign_ids": [1], "period": (D(2025, 6, 1), D(2025, 5, 1))}, "period", "endet vor"),
])
def test_bad_selections_give_german_errors(kwargs: dict[str, object], field: str,
                                           words: str) -> None:
    ids = kwargs.pop("campaign_ids")
    with pytest.raises(ValidationError) as err:
        build_filter(OPTS, ids, **kwargs)  # type: ignore[arg-type]
    assert err.value.field == field and words in err.value.message_de


def test_selection_carries_level_and_description() -> None:
    sel = selection(OPTS, build_filter(OPTS, [2]))
    assert sel.level_id == 20 and sel.level_names == ("Quartier", "Stadtbezirk", "Gesamtstadt")
    assert sel.description.startswith("Befragung: Welle 2")
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
