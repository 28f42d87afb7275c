"""The filter shared by the planners' views (map, area profile, comparison), DESIGN §3.3.

:func:`filter_options` reads the choices from the database (campaigns with level and
catalogue, the survey dates per campaign); everything else is pure: :func:`build_filter`
turns selections into a :class:`~stadtraum.analysis.cube.CubeFilter` with German errors, and
:func:`describe` says in words what the filter selects.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from sqlalchemy import select
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session

from stadtraum.analysis.cube import EPOCH, CubeFilter, ResponseCube
from stadtraum.errors import ValidationError
from stadtraum.store.db import Campaign
from stadtraum.store.queries import level_info, levels_above
from stadtraum.vocab import (
    AGE_BANDS,
    GENDERS,
    MODES,
    RELATIONS,
    STATUSES,
    SURVEY_MODES,
    Vocabulary,
)

__all__ = [
    "CampaignOption",
    "FilterOptions",
    "ViewSelection",
    "build_filter",
    "campaign_spans",
    "describe",
    "filter_options",
    "selection",
]

CITY_NAME = "Gesamtstadt"


@dataclass(frozen=True)
class ViewSelection:
    """What the shared filter selected: the statistics filter, the level of its campaigns
    (id and the names of the levels from that level up to the city) and the filter in words."""

    flt: CubeFilter
    level_id: int
    level_names: tuple[str, ...]
    description: str


@dataclass(frozen=True)
class CampaignOption:
    id: int
    name: str
    level_id: int
    level_name: str
    level_names: tuple[str, ...]  # this level, the levels above, the city
    catalogue_id: str
    min_n: int
    n_responses: int
    first_day: dt.date | None  # earliest / latest survey date of its responses
    last_day: dt.date | None
    is_demo: bool


@dataclass(frozen=True)
class FilterOptions:
    campaigns: tuple[CampaignOption, ...]
    vocabularies: tuple[Vocabulary, ...] = (MODES, AGE_BANDS, GENDERS, RELATIONS)

    def campaign(self, campaign_id: int) -> CampaignOption:
        for c in self.campaigns:
            if c.id == campaign_id:
                return c
        raise ValidationError(f"Die Befragung {campaign_id} gibt es nicht (mehr).",
                              f"campaign {campaign_id} not found", field="campaign")

    def period_bounds(self, campaign_ids: Sequence[int]) -> tuple[dt.date, dt.date] | None:
        days = [d for cid in campaign_ids for d in (self.campaign(cid).first_day,
                                                    self.campaign(cid).last_day) if d]
        return (min(days), max(days)) if days else None


def campaign_spans(cube: ResponseCube) -> dict[int, tuple[int, dt.date, dt.date]]:
    """Per campaign id: valid responses, earliest and latest survey date (from the cube's
    arrays, so no scan of the database)."""
    valid = cube.col("status") == STATUSES.index("valid")
    campaign, day = cube.col("campaign")[valid], cube.col("day")[valid]
    out = {}
    for cid in np.unique(campaign):
        days = day[campaign == cid]
        out[int(cid)] = (int(days.size), EPOCH + dt.timedelta(days=int(days.min())),
                         EPOCH + dt.timedelta(days=int(days.max())))
    return out


def filter_options(engine: Engine,
                   spans: dict[int, tuple[int, dt.date, dt.date]]) -> FilterOptions:
    """The campaigns to choose from; ``spans`` from :func:`campaign_spans`."""
    with Session(engine) as session:
        rows = [(c.id, c.name, c.level_id, c.catalogue_id, c.min_n, c.is_demo)
                for c in session.scalars(select(Campaign).order_by(Campaign.id))]
        names: dict[int, tuple[str, ...]] = {}
        for row in rows:
            if row[2] not in names:
                names[row[2]] = (level_info(session, row[2]).name,
                                 *(lv.name for lv in levels_above(session, row[2])), CITY_NAME)
    out = []
    for cid, name, level_id, catalogue_id, min_n, is_demo in rows:
        n, first, last = spans.get(cid, (0, None, None))
        out.append(CampaignOption(cid, name, level_id, names[level_id][0], names[level_id],
                                  catalogue_id, min_n, n, first, last, is_demo))
    return FilterOptions(tuple(out))


def _codes(vocab: Vocabulary, chosen: Sequence[str] | None, label: str,
           *, empty_means_all: bool = True) -> tuple[str, ...] | None:
    if chosen is None or (empty_means_all and len(chosen) == 0):
        return None
    bad = [c for c in chosen if c not in vocab.codes]
    if bad:
        raise ValidationError(f"Unbekannte Angabe bei „{label}“: {', '.join(map(str, bad))}.",
                              f"unknown {vocab.name} codes {bad}", field=vocab.name)
    all_chosen = set(chosen) == set(vocab.codes)
    return None if all_chosen else tuple(c for c in vocab.codes if c in chosen)


def build_filter(options: FilterOptions, campaign_ids: Sequence[int], *,
                 period: tuple[dt.date, dt.date] | None = None,
                 modes: Sequence[str] | None = None, age_bands: Sequence[str] | None = None,
                 genders: Sequence[str] | None = None,
                 relations: Sequence[str] | None = None) -> CubeFilter:
    """A validated filter. Empty demographic selections mean "all"; ``modes`` None means the
    survey modes (focus groups left out, DESIGN §3.3), an empty list is an error."""
    if not campaign_ids:
        raise ValidationError("Bitte mindestens eine Befragung wählen.", "no campaign selected",
                              field="campaign")
    chosen = [options.campaign(int(cid)) for cid in dict.fromkeys(campaign_ids)]
    if len({c.catalogue_id for c in chosen}) > 1:
        raise ValidationError("Diese Befragungen nutzen verschiedene Kriterienkataloge und "
                              "können nicht zusammengefasst werden.",
                              "campaigns with different catalogues", field="campaign")
    if len({c.level_name for c in chosen}) > 1:
        raise ValidationError("Diese Befragungen liegen auf verschiedenen Gebietsebenen "
                              f"({', '.join(sorted({c.level_name for c in chosen}))}) und "
                              "können nicht zusammengefasst werden.",
                              "campaigns on different levels", field="campaign")
    if period is not None and period[0] > period[1]:
        raise ValidationError("Der Zeitraum endet vor seinem Beginn.", "period end < start",
                              field="period")
    mode_codes = SURVEY_MODES if modes is None else _codes(MODES, modes, "Erhebungsart",
                                                           empty_means_all=False)
    if modes is not None and not modes:
        raise ValidationError("Bitte mindestens eine Erhebungsart wählen.", "no mode selected",
                              field="mode")
    return CubeFilter(tuple(c.id for c in chosen), mode_codes or MODES.codes, period,
                      _codes(AGE_BANDS, age_bands, "Altersgruppe"),
                      _codes(GENDERS, genders, "Geschlecht"),
                      _codes(RELATIONS, relations, "Bezug zum Ort"))


def describe(options: FilterOptions, flt: CubeFilter, lang: str = "de") -> str:
    """The filter in words, e.g. ``Befragung: Welle 2 · Erhebungsart: Straßenbefragung, …``."""
    en = lang == "en"
    parts = [("Surveys: " if en else "Befragung: ")
             + ", ".join(options.campaign(cid).name for cid in flt.campaign_ids)]
    if flt.period is not None:
        fmt = "%Y-%m-%d" if en else "%d.%m.%Y"
        parts.append(("period: " if en else "Zeitraum: ")
                     + f"{flt.period[0].strftime(fmt)} – {flt.period[1].strftime(fmt)}")
    for vocab, codes, de, eng in ((MODES, flt.modes, "Erhebungsart", "mode"),
                                  (AGE_BANDS, flt.age_bands, "Alter", "age"),
                                  (GENDERS, flt.genders, "Geschlecht", "gender"),
                                  (RELATIONS, flt.relations, "Bezug zum Ort", "relation")):
        if codes is not None:
            parts.append(f"{eng if en else de}: "
                         + ", ".join(vocab.label(c, lang) for c in codes))
    return " · ".join(parts)


def selection(options: FilterOptions, flt: CubeFilter, lang: str = "de") -> ViewSelection:
    first = options.campaign(flt.campaign_ids[0])
    return ViewSelection(flt, first.level_id, first.level_names, describe(options, flt, lang))
