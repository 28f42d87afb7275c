"""Service: the content of the city-wide summary report
(:class:`~stadtraum.reports.report_data.CityReport`): the city's figures per criterion, one
small map per criterion and one of the overall index over the campaign's areas, and the
overall table (every area, its index and its mean per criterion).

``live`` takes everything from the one engine (suppressed cells carry no figure);
``published`` reads only the published snapshot (rounded means, no n, no CI).
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import replace

from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session

from stadtraum.analysis.cube import CubeFilter
from stadtraum.analysis.cube_store import CubeProvider
from stadtraum.analysis.results import CITY_CODE, Results, compute_results
from stadtraum.charts.radar import RadarSeries
from stadtraum.errors import ValidationError
from stadtraum.maps.display_geojson import level_geojson
from stadtraum.publish.service import published_area
from stadtraum.reports.area_data import stat_rows
from stadtraum.reports.report_data import AreaRow, CityReport, Header, MapArea, StatRow
from stadtraum.store.campaigns import find_campaign

__all__ = ["Progress", "city_report_data"]

Progress = Callable[[int, int, str], None]  # (done, total, what is being built)


def _f(value: float, hidden: bool) -> float | None:
    return None if hidden or math.isnan(value) else float(value)


def _geometries(engine: Engine, campaign_id: int) -> dict[str, dict[str, object]]:
    with Session(engine) as session:
        level_id = find_campaign(session, campaign_id).level_id
    return {str((f.get("properties") or {}).get("code")): f["geometry"]
            for f in level_geojson(engine, level_id).get("features", []) if f.get("geometry")}


def _maps(rows: list[AreaRow], geoms: dict[str, dict[str, object]], n_crit: int
          ) -> tuple[tuple[tuple[MapArea, ...], ...], tuple[MapArea, ...]]:
    def layer(values: list[float | None]) -> tuple[MapArea, ...]:
        return tuple(MapArea(r.code, r.name, dict(geoms[r.code]), "other", v, v is None)
                     for r, v in zip(rows, values, strict=True) if r.code in geoms)
    per_criterion = tuple(layer([r.means[c] for r in rows]) for c in range(n_crit))
    return per_criterion, layer([r.index for r in rows])


def _live(results: Results) -> tuple[list[AreaRow], tuple[StatRow, ...], RadarSeries]:
    t = results.levels[0]
    rows = []
    for a, area in enumerate(t.areas.itertuples()):
        rows.append(AreaRow(
            str(area.code), str(area.name), _f(float(t.index[a]), bool(t.index_suppressed[a])),
            None if t.respondents_suppressed[a] else int(t.respondents[a]),
            tuple(_f(float(t.stats.mean[a, c]), bool(t.suppressed[a, c]))
                  for c in range(len(results.criteria)))))
    city = results.levels[-1]
    series = RadarSeries("Gesamtstadt", [_f(float(city.stats.mean[0, c]),
                                            bool(city.suppressed[0, c]))
                                         for c in range(len(results.criteria))],
                         None if city.respondents_suppressed[0] else int(city.respondents[0]))
    return rows, stat_rows(results, CITY_CODE), series


def _published(engine: Engine, results: Results, campaign_id: int
               ) -> tuple[list[AreaRow], tuple[StatRow, ...], RadarSeries]:
    ids = [c.id for c in results.criteria]
    city = published_area(engine, campaign_id, results.levels[-1].name, CITY_CODE)
    if city is None:
        raise ValidationError(
            "Für diese Befragung gibt es noch keine veröffentlichten Ergebnisse; ein "
            "öffentlicher Bericht liest nur den veröffentlichten Stand. Bitte zuerst "
            "veröffentlichen oder den internen Bericht (Live-Zahlen) wählen.",
            "campaign not published", field="source")
    t = results.levels[0]
    rows = []
    for area in t.areas.itertuples():
        snap = published_area(engine, campaign_id, t.name, str(area.code))
        rows.append(AreaRow(str(area.code), str(area.name), snap.index if snap else None, None,
                            tuple(snap.values.get(cid) if snap else None for cid in ids)))
    values = [city.values.get(cid) for cid in ids]
    table = tuple(StatRow(c.label("de"), None, v, None, None, None, v is None)
                  for c, v in zip(results.criteria, values, strict=True))
    return rows, table, RadarSeries("Gesamtstadt", values)


def city_report_data(engine: Engine, provider: CubeProvider, header: Header,
                     progress: Progress | None = None) -> CityReport:
    """The city report's content for ``header.source`` (no permission check: see
    :func:`stadtraum.reports.city_report.build_city_report`)."""
    results = compute_results(engine, provider, CubeFilter((header.campaign_id,)))
    if progress is not None:
        progress(1, 3, "Zahlen")
    if header.internal:
        rows, table, series = _live(results)
        notes: tuple[str, ...] = ()
    else:
        rows, table, series = _published(engine, results, header.campaign_id)
        notes = ("Die öffentliche Fassung zeigt nur die veröffentlichten, auf eine Stelle "
                 "gerundeten Mittelwerte, ohne Fallzahlen und Konfidenzintervalle.",)
        snap = published_area(engine, header.campaign_id, results.levels[-1].name, CITY_CODE)
        header = replace(header, published_at=snap.published_at if snap else None)
    if progress is not None:
        progress(2, 3, "Karten")
    maps, index_map = _maps(rows, _geometries(engine, header.campaign_id),
                            len(results.criteria))
    return CityReport(replace(header, min_n=results.min_n), results.levels[0].name,
                      tuple(c.label("de") for c in results.criteria),
                      tuple(c.id for c in results.criteria), table, tuple(rows), maps,
                      index_map, series, notes)
