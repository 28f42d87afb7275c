"""The content of a printable report as plain data (no HTML): what the layout draws.

Two sources (:data:`SOURCES`): ``"published"`` is the public report and holds only what the
campaign's published snapshot shows (rounded means, no n, no confidence interval);
``"live"`` is the planners' internal report with the engine's exact, suppressed figures.
Built by :mod:`stadtraum.reports.area_data` and :mod:`stadtraum.reports.city_data`.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session

from stadtraum.admin.city_settings import city_profile
from stadtraum.charts.radar import RadarSeries
from stadtraum.errors import ValidationError
from stadtraum.store.campaigns import find_campaign

__all__ = ["SOURCES", "AreaReport", "AreaRow", "CityReport", "Header", "MapArea", "StatRow",
           "WaveRow", "Waves", "check_source", "make_header"]

SOURCES = ("published", "live")


@dataclass(frozen=True)
class Header:
    city_name: str
    logo: bytes | None  # PNG or JPEG bytes (checked when the admin saved them)
    colour: str  # the city's main colour, "#rrggbb"
    campaign_id: int
    campaign_name: str
    source: str  # "published" | "live"
    generated_at: dt.datetime
    min_n: int
    published_at: dt.datetime | None = None  # the snapshot's time (published source)

    @property
    def internal(self) -> bool:
        return self.source == "live"


@dataclass(frozen=True)
class StatRow:
    """One criterion; every figure None when the cell is suppressed (or, in the public
    report, not published: n, CI and median are never public)."""

    criterion: str
    n: int | None
    mean: float | None
    ci_low: float | None
    ci_high: float | None
    median: float | None
    suppressed: bool


@dataclass(frozen=True)
class WaveRow:
    criterion: str
    before: float | None
    after: float | None
    diff: float | None
    hint: str


@dataclass(frozen=True)
class Waves:
    name_before: str
    name_after: str
    rows: tuple[WaveRow, ...]
    note: str


@dataclass(frozen=True)
class MapArea:
    """One area of a map: its geometry (GeoJSON, EPSG:4326), name and fill."""

    code: str
    name: str
    geometry: dict[str, Any]
    role: str  # "area" (highlighted) | "neighbour" | "other"
    value: float | None = None
    suppressed: bool = False


@dataclass(frozen=True)
class AreaReport:
    header: Header
    code: str
    name: str
    level_name: str
    labels: tuple[str, ...]  # criteria, catalogue order
    series: tuple[RadarSeries, ...]  # the area, its parent (unless the city), the city
    table: tuple[StatRow, ...]
    index: float | None
    map_areas: tuple[MapArea, ...]
    waves: Waves | None  # None: no previous wave
    # None: not part of this report's source (the public report), with the reason
    strengths: tuple[str, ...] | None = None
    weaknesses: tuple[str, ...] | None = None
    priorities: tuple[tuple[str, float], ...] | None = None  # (criterion, share in per cent)
    priority_base: int | None = None
    comments: tuple[tuple[str, str, str], ...] | None = None  # (kind, criterion, text)
    notes: tuple[str, ...] = field(default_factory=tuple)  # what was left out and why


@dataclass(frozen=True)
class AreaRow:
    """One area of the city report's overall table (None: hidden or not public)."""

    code: str
    name: str
    index: float | None
    respondents: int | None
    means: tuple[float | None, ...]  # per criterion, catalogue order


@dataclass(frozen=True)
class CityReport:
    header: Header
    level_name: str
    labels: tuple[str, ...]
    criterion_ids: tuple[str, ...]
    city_table: tuple[StatRow, ...]
    areas: tuple[AreaRow, ...]  # the campaign's level
    # per criterion (catalogue order): the areas with their value for the small map
    maps: tuple[tuple[MapArea, ...], ...]
    index_map: tuple[MapArea, ...]
    city_series: RadarSeries
    notes: tuple[str, ...] = field(default_factory=tuple)


def check_source(source: str) -> None:
    if source not in SOURCES:
        raise ValidationError(f"Unbekannte Quelle „{source}“ (erlaubt: published, live).",
                              f"unknown report source {source!r}", field="source")


def make_header(engine: Engine, campaign_id: int, source: str, min_n: int, *,
                published_at: dt.datetime | None = None,
                now: dt.datetime | None = None) -> Header:
    profile = city_profile(engine)
    with Session(engine) as session:
        campaign = find_campaign(session, campaign_id)
        name, purged = campaign.name, campaign.purged_at is not None
    if purged and source == "live":
        raise ValidationError(
            f"Die Rohdaten der Befragung „{name}“ sind gelöscht: ein interner Bericht mit "
            "Live-Zahlen ist nicht mehr möglich. Die öffentliche Fassung zeigt den "
            "veröffentlichten Stand.", f"campaign {campaign_id} purged: no live report",
            field="source")
    return Header(profile.city_name, profile.logo, profile.main_colour, campaign_id, name,
                  source, now or dt.datetime.now(dt.UTC), min_n, published_at)
