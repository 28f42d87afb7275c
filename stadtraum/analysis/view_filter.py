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
from stadtraum.analysis.view_tables import month_period, raise_union_refused, table_key
from stadtraum.errors import ValidationError
from stadtraum.store.db import Campaign
from stadtraum.store.queries import level_info, levels_above
from stadtraum.vocab import (
    AGE_BANDS,
    GENDERS,
    MODES,
    NOT_GIVEN,
    NOT_GIVEN_LABELS,
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
    "category_label",
    "describe",
    "filter_options",
    "month_label",
    "selection",
]

CITY_NAME = "Gesamtstadt"
_MONTHS = {"de": ("Januar", "Februar", "März", "April", "Mai", "Juni", "Juli", "August",
                  "September", "Oktober", "November", "Dezember"),
           "en": ("January", "February", "March", "April", "May", "June", "July", "August",
                  "September", "October", "November", "December")}


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
    purged_at: dt.datetime | None = None  # raw data deleted: only the published snapshot left


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

    def group(self, campaign_id: int) -> tuple[CampaignOption, ...]:
        """The campaigns that can be viewed together with ``campaign_id``: same area level and
        catalogue, with responses (the campaign itself always)."""
        first = self.campaign(campaign_id)
        return tuple(c for c in self.campaigns if c.level_id == first.level_id
                     and c.catalogue_id == first.catalogue_id
                     and (c.n_responses > 0 or c.id == first.id))

    def months(self, campaign_ids: Sequence[int]) -> tuple[str, ...]:
        """The calendar months (``2026-05``) from the first to the last survey day."""
        bounds = self.period_bounds(campaign_ids)
        if bounds is None:
            return ()
        (y, m), out = (bounds[0].year, bounds[0].month), []
        while (y, m) <= (bounds[1].year, bounds[1].month):
            out.append(f"{y:04d}-{m:02d}")
            y, m = (y + 1, 1) if m == 12 else (y, m + 1)
        return tuple(out)

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
        rows = [(c.id, c.name, c.level_id, c.catalogue_id, c.min_n, c.is_demo, c.purged_at)
                for c in session.scalars(select(Campaign).order_by(Campaign.id))]
        names: dict[int, tuple[str, ...]] = {}
        for row in rows:
            if row[2] not in names:
                names[row[2]] = (level_info(session, row[2]).name,
                                 *(lv.name for lv in levels_above(session, row[2])), CITY_NAME)
    out = []
    for cid, name, level_id, catalogue_id, min_n, is_demo, purged_at in rows:
        n, first, last = spans.get(cid, (0, None, None))
        out.append(CampaignOption(cid, name, level_id, names[level_id][0], names[level_id],
                                  catalogue_id, min_n, n, first, last, is_demo, purged_at))
    return FilterOptions(tuple(out))


def _codes(vocab: Vocabulary, chosen: Sequence[str] | None, label: str) -> tuple[str, ...] | None:
    if chosen is None or len(chosen) == 0:
        return None
    bad = [c for c in chosen if c not in vocab.codes and c != NOT_GIVEN]
    if bad:
        raise ValidationError(f"Unbekannte Angabe bei „{label}“: {', '.join(map(str, bad))}.",
                              f"unknown {vocab.name} codes {bad}", field=vocab.name)
    return tuple(dict.fromkeys(chosen))


def build_filter(options: FilterOptions, campaign_ids: Sequence[int], *,
                 period: tuple[dt.date, dt.date] | None = None, month: str | None = None,
                 modes: Sequence[str] | None = None, age_bands: Sequence[str] | None = None,
                 genders: Sequence[str] | None = None,
                 relations: Sequence[str] | None = None) -> CubeFilter:
    """A validated filter of the exact method (:func:`~stadtraum.analysis.view_tables.table_key`):
    one campaign, or its whole group (:meth:`FilterOptions.group`); at most one
    characteristic with one category (``none`` = ohne Angabe). ``month`` (``2026-05``) or
    ``period`` (exactly that calendar month) restricts the period. Empty demographic
    selections mean "all"; ``modes`` None means the survey modes (focus groups left out,
    DESIGN §3.3), an empty list is an error."""
    if not campaign_ids:
        raise ValidationError("Bitte mindestens eine Befragung wählen.", "no campaign selected",
                              field="campaign")
    chosen = [options.campaign(int(cid)) for cid in dict.fromkeys(campaign_ids)]
    if len({c.catalogue_id for c in chosen}) > 1:
        raise ValidationError("Diese Befragungen nutzen verschiedene Kriterienkataloge und "
                              "können nicht zusammengefasst werden.",
                              "campaigns with different catalogues", field="campaign")
    if len({c.level_id for c in chosen}) > 1:
        raise ValidationError("Diese Befragungen liegen auf verschiedenen Gebietsgliederungen "
                              f"({', '.join(sorted({c.level_name for c in chosen}))}) und "
                              "können nicht zusammengefasst werden; die Wellenansicht "
                              "vergleicht sie.", "campaigns on different levels",
                              field="campaign")
    if len(chosen) > 1:
        raise_union_refused()
    if month is not None:
        if period is not None:
            raise ValidationError("Bitte entweder einen Monat oder einen Zeitraum angeben.",
                                  "both month and period given", field="period")
        period = month_period(month)
    if period is not None and period[0] > period[1]:
        raise ValidationError("Der Zeitraum endet vor seinem Beginn.", "period end < start",
                              field="period")
    if modes is not None and not modes:
        raise ValidationError("Bitte mindestens eine Erhebungsart wählen.", "no mode selected",
                              field="mode")
    mode_codes = SURVEY_MODES if modes is None else tuple(dict.fromkeys(modes))
    unknown = [m for m in mode_codes if m not in MODES.codes]
    if unknown:
        raise ValidationError(f"Unbekannte Erhebungsart: {', '.join(map(str, unknown))}.",
                              f"unknown modes {unknown}", field="mode")
    flt = CubeFilter(tuple(c.id for c in chosen), mode_codes, period,
                     _codes(AGE_BANDS, age_bands, "Altersgruppe"),
                     _codes(GENDERS, genders, "Geschlecht"),
                     _codes(RELATIONS, relations, "Bezug zum Ort"))
    table_key(flt)  # one characteristic, one category: or a German error
    return flt


def month_label(month: str, lang: str = "de") -> str:
    """``2026-05`` -> ``Mai 2026`` (``May 2026`` in English)."""
    year, mon = month.split("-")
    return f"{_MONTHS['en' if lang == 'en' else 'de'][int(mon) - 1]} {year}"


def category_label(vocab: Vocabulary, code: str, lang: str = "de") -> str:
    """A filter category's label, ``ohne Angabe`` included."""
    return NOT_GIVEN_LABELS["en" if lang == "en" else "de"] if code == NOT_GIVEN \
        else vocab.label(code, lang)


def describe(options: FilterOptions, flt: CubeFilter, lang: str = "de") -> str:
    """The filter in words, e.g. ``Befragung: Welle 2 · Erhebungsart: Straßenbefragung, …``."""
    en = lang == "en"
    parts = [("Surveys: " if en else "Befragung: ")
             + ", ".join(options.campaign(cid).name for cid in flt.campaign_ids)]
    if flt.period is not None:
        lo, hi = flt.period
        if lo.day == 1 and (lo.year, lo.month) == (hi.year, hi.month) \
                and hi == month_period(f"{lo.year:04d}-{lo.month:02d}")[1]:
            parts.append(("month: " if en else "Monat: ")
                         + month_label(f"{lo.year:04d}-{lo.month:02d}", lang))
        else:
            fmt = "%Y-%m-%d" if en else "%d.%m.%Y"
            parts.append(("period: " if en else "Zeitraum: ")
                         + f"{lo.strftime(fmt)} – {hi.strftime(fmt)}")
    for vocab, codes, de, eng in ((MODES, flt.modes, "Erhebungsart", "mode"),
                                  (AGE_BANDS, flt.age_bands, "Alter", "age"),
                                  (GENDERS, flt.genders, "Geschlecht", "gender"),
                                  (RELATIONS, flt.relations, "Bezug zum Ort", "relation")):
        if codes is not None:
            parts.append(f"{eng if en else de}: "
                         + ", ".join(category_label(vocab, c, lang) for c in codes))
    return " · ".join(parts)


def selection(options: FilterOptions, flt: CubeFilter, lang: str = "de") -> ViewSelection:
    first = options.campaign(flt.campaign_ids[0])
    return ViewSelection(flt, first.level_id, first.level_names, describe(options, flt, lang))
