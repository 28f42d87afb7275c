"""Use case behind the map page: statistics -> area values -> choropleth GeoJSON and table.

This is the map's whole data path (the benchmark times exactly this plus the folium HTML):
one call of the statistics engine (two for a change map), the cached display GeoJSON of the
level, and the pure builders of :mod:`stadtraum.maps.view_model`.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, replace
from typing import Any

import pandas as pd
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session

from stadtraum.analysis.cube import CubeFilter
from stadtraum.analysis.cube_store import CubeProvider
from stadtraum.analysis.results import Results, compute_results
from stadtraum.analysis.view_filter import FilterOptions
from stadtraum.maps.display_geojson import level_geojson
from stadtraum.maps.view_model import MapLayer, layer_table, map_features, map_layer
from stadtraum.store.catalogues import catalogue_for
from stadtraum.store.queries import level_info, levels_above

__all__ = ["MapData", "criterion_options", "earlier_waves", "level_ids", "map_data"]


@dataclass(frozen=True)
class MapData:
    results: Results | None  # None: drawn from the published snapshot (raw data purged)
    layer: MapLayer
    features: dict[str, Any]  # choropleth GeoJSON (escaped names, colours, tooltips)
    table: pd.DataFrame  # one row per area, suppressed rows without figures
    published_at: dt.datetime | None = None  # the snapshot's date, for a purged campaign


def level_ids(engine: Engine, level_id: int) -> dict[str, int]:
    """Level name -> level id: the campaign's level and the levels above it (no city)."""
    with Session(engine) as session:
        return {level_info(session, level_id).name: level_id,
                **{lv.name: lv.id for lv in levels_above(session, level_id)}}


def earlier_waves(options: FilterOptions, campaign_ids: tuple[int, ...]) -> list[int]:
    """Campaigns a change map can start from: same catalogue and level name, not selected,
    newest first among those older than the first selected one, then the others."""
    first = options.campaign(campaign_ids[0])
    fits = [c.id for c in options.campaigns if c.id not in campaign_ids
            and c.catalogue_id == first.catalogue_id and c.level_name == first.level_name]
    return sorted((c for c in fits if c < first.id), reverse=True) + [c for c in fits
                                                                      if c > first.id]


def map_data(engine: Engine, provider: CubeProvider, flt: CubeFilter, *, level_name: str,
             level_id: int, metric: str, criterion_id: str | None,
             earlier_campaign: int | None = None, lang: str = "de") -> MapData:
    """Everything the map page draws for one filter, level, metric and criterion."""
    res = compute_results(engine, provider, flt)
    earlier = None
    if metric == "change" and earlier_campaign is not None:
        # the earlier wave lies in another period: the filter's period does not apply to it
        earlier = compute_results(engine, provider,
                                  replace(flt, campaign_ids=(earlier_campaign,), period=None))
    layer = map_layer(res, level_name, metric, criterion_id, earlier=earlier, lang=lang)
    features = map_features(level_geojson(engine, level_id), layer, lang)
    return MapData(res, layer, features, layer_table(res, level_name, layer, lang))


def criterion_options(engine: Engine, catalogue_id: str, lang: str = "de") -> dict[str | None, str]:
    """The overall index first, then the catalogue's criteria in catalogue order."""
    with Session(engine) as session:
        catalogue = catalogue_for(session, catalogue_id)
    return {None: "Overall index" if lang == "en" else "Gesamtindex",
            **{c.id: c.label(lang) for c in catalogue.criteria}}
