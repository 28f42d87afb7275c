"""Service: the content of one area's report (:class:`~stadtraum.reports.report_data.AreaReport`)
from the one statistics engine, live or from the published snapshot.

- ``live`` (internal): the area profile of :mod:`stadtraum.analysis.profile` (radar against
  parent and city, n, mean, CI and median, strengths and weaknesses where the difference is
  clear), the top priorities, a few released comments of each kind, and the change since
  the previous wave with its significance hint.
- ``published`` (public): only what the snapshot shows, i.e. the rounded means of the area,
  its parent and the city, and of the previous wave where that was published too. No n, no
  CI, no median (the snapshot keeps none of them public), no strengths and weaknesses (telling
  a clear difference needs the exact counts), no priorities (not in the snapshot) and no
  comments (they are for planners, never public data; DESIGN §3.3).
"""

from __future__ import annotations

import math
from dataclasses import replace

import pandas as pd
from sqlalchemy import select
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session

from stadtraum.analysis.area_compare import area_neighbours, locate_area
from stadtraum.analysis.comments import CommentQuery, area_comments
from stadtraum.analysis.cube import CubeFilter
from stadtraum.analysis.cube_store import CubeProvider
from stadtraum.analysis.priorities import priority_shares
from stadtraum.analysis.profile import assessment, profile_series, profile_table
from stadtraum.analysis.results import Results, compute_results
from stadtraum.analysis.wave_view import area_change
from stadtraum.analysis.waves import compare_waves
from stadtraum.errors import NotFoundError, ValidationError
from stadtraum.maps.display_geojson import level_geojson
from stadtraum.maps.page_data import level_ids
from stadtraum.publish.published_profile import published_series, published_values
from stadtraum.reports.report_data import AreaReport, Header, MapArea, StatRow, WaveRow, Waves
from stadtraum.store.campaigns import find_campaign
from stadtraum.store.db import Campaign
from stadtraum.store.queries import level_info

__all__ = ["COMMENTS_PER_KIND", "area_report_data", "previous_wave", "resolve_area",
           "stat_rows"]

COMMENTS_PER_KIND = 3
TOP_PRIORITIES = 5


def resolve_area(results: Results, code: str, level: str | None) -> tuple[int, int]:
    """(level index, row) of ``code``; with ``level``, the code must be on that level."""
    k, row = locate_area(results, code)
    if level is not None and results.levels[k].name != level:
        names = [t.name for t in results.levels]
        if level not in names:
            raise ValidationError(f"Die Ebene „{level}“ gibt es in dieser Befragung nicht "
                                  f"(vorhanden: {', '.join(names)}).",
                                  f"unknown level {level!r}", field="level")
        raise NotFoundError(f"Gebiet „{code}“ gibt es auf der Ebene „{level}“ nicht.",
                            f"area {code!r} not on level {level!r}")
    return k, row


def previous_wave(engine: Engine, campaign_id: int) -> int | None:
    """The newest older campaign with the same catalogue on a level of the same name."""
    with Session(engine) as session:
        this = find_campaign(session, campaign_id)
        name = level_info(session, this.level_id).name
        for other in session.scalars(select(Campaign).where(
                Campaign.id < this.id, Campaign.catalogue_id == this.catalogue_id)
                .order_by(Campaign.id.desc())):
            if level_info(session, other.level_id).name == name:
                return int(other.id)
    return None


def map_areas(engine: Engine, results: Results, k: int, row: int) -> tuple[MapArea, ...]:
    """The area and the areas of its level touching it (for the map excerpt)."""
    if k == len(results.levels) - 1:
        return ()
    table = results.levels[k]
    code = str(table.areas["code"].iloc[row])
    with Session(engine) as session:
        level_id = find_campaign(session, results.flt.campaign_ids[0]).level_id
    lid = level_ids(engine, level_id)[table.name]
    near = set(area_neighbours(engine, results, code))
    out = []
    for f in level_geojson(engine, lid).get("features", []):
        props = f.get("properties") or {}
        c = str(props.get("code"))
        if f.get("geometry") and (c == code or c in near):
            out.append(MapArea(c, str(props.get("name")), f["geometry"],
                               "area" if c == code else "neighbour"))
    return tuple(out)


def _f(v: object) -> float | None:
    if v is None:
        return None
    x = float(v)  # type: ignore[arg-type]
    return None if math.isnan(x) else x


def stat_rows(results: Results, code: str) -> tuple[StatRow, ...]:
    frame = profile_table(results, code)
    return tuple(StatRow(str(r["criterion"]), None if pd.isna(r["n"]) else int(r["n"]),
                         _f(r["mean"]),
                         _f(r["ci_low"]), _f(r["ci_high"]), _f(r["median"]),
                         bool(r["note"])) for r in frame.to_dict("records"))


def _live_waves(engine: Engine, provider: CubeProvider, results: Results, k: int,
                code: str, before: int | None) -> tuple[Waves | None, str | None]:
    if before is None:
        return None, None
    if k != 0:
        return None, (f"Der Vergleich mit der vorigen Befragung steht im Bericht eines "
                      f"Gebiets der Ebene „{results.levels[0].name}“.")
    cmp = compare_waves(engine, provider, before, results.flt.campaign_ids[0],
                        base=results.flt)
    try:
        change = area_change(cmp, code)
    except NotFoundError:
        return None, "Dieses Gebiet gab es in der vorigen Befragung nicht."
    rows = tuple(WaveRow(str(r["criterion"]), _f(r["mean_a"]), _f(r["mean_b"]), _f(r["diff"]),
                         str(r["hint"] or "")) for r in change.to_dict("records"))
    return Waves(_campaign_name(engine, before), _campaign_name(engine, results.flt
                                                                 .campaign_ids[0]), rows,
                 "Verglichen werden nur Werte, die in beiden Befragungen gezeigt werden; die "
                 "Einschätzung beruht auf einem Rangtest."), None


def _campaign_name(engine: Engine, campaign_id: int) -> str:
    with Session(engine) as session:
        return str(find_campaign(session, campaign_id).name)


def live_area_data(engine: Engine, provider: CubeProvider, header: Header, code: str,
                   level: str | None = None, results: Results | None = None) -> AreaReport:
    flt = CubeFilter((header.campaign_id,))
    results = results or compute_results(engine, provider, flt)
    k, row = resolve_area(results, code, level)
    table = results.levels[k]
    found = assessment(results, code)
    prio = priority_shares(engine, results, code)
    comments: list[tuple[str, str, str]] = []
    for kind in ("good", "better"):
        page = area_comments(engine, results, code,
                             CommentQuery(kind=kind, page_size=COMMENTS_PER_KIND))
        comments += [(str(r["kind"]), str(r["criterion"]), str(r["text"]))
                     for r in page.frame.to_dict("records")]
    waves, wave_note = _live_waves(engine, provider, results, k, code,
                                   previous_wave(engine, header.campaign_id))
    notes = [wave_note] if wave_note else []
    if prio.suppressed:
        notes.append(f"Prioritäten: zu wenige Antworten (n < {results.min_n}).")
    idx = float(table.index[row])
    return AreaReport(
        replace(header, min_n=results.min_n), code, str(table.areas["name"].iloc[row]),
        table.name, tuple(c.label("de") for c in results.criteria),
        tuple(profile_series(results, code)), stat_rows(results, code),
        None if math.isnan(idx) else idx, map_areas(engine, results, k, row), waves,
        found.strengths, found.weaknesses,
        None if prio.suppressed else tuple(
            (str(r["criterion"]), float(r["share"])) for r in prio.frame.head(
                TOP_PRIORITIES).to_dict("records")),
        prio.respondents, tuple(comments), tuple(notes))


def published_area_data(engine: Engine, provider: CubeProvider, header: Header, code: str,
                        level: str | None = None,
                        results: Results | None = None) -> AreaReport:
    # the live results give only the structure here (names, parents, criteria): no figure
    results = results or compute_results(engine, provider, CubeFilter((header.campaign_id,)))
    k, row = resolve_area(results, code, level)
    ids = [c.id for c in results.criteria]
    table = results.levels[k]
    found = published_series(engine, header.campaign_id, results, k, row)
    if found is None:
        raise ValidationError(
            "Für diese Befragung gibt es noch keine veröffentlichten Ergebnisse; ein "
            "öffentlicher Bericht liest nur den veröffentlichten Stand. Bitte zuerst "
            "veröffentlichen oder den internen Bericht (Live-Zahlen) wählen.",
            "campaign not published", field="source")
    name = found.series[0].name
    own = (list(found.series[0].values), found.index, found.published_at)
    series = list(found.series)
    rows = tuple(StatRow(c.label("de"), None, v, None, None, None, v is None)
                 for c, v in zip(results.criteria, own[0], strict=True))
    waves = None
    notes = ["Die öffentliche Fassung zeigt nur die veröffentlichten, auf eine Stelle "
             "gerundeten Mittelwerte. Fallzahlen, Konfidenzintervalle, Mediane, Stärken und "
             "Schwächen, Prioritäten und Kommentare stehen nur im internen Bericht."]
    before = previous_wave(engine, header.campaign_id)
    if before is not None:
        old = published_values(engine, before, table.name, code, ids)
        if old is None:
            notes.append("Die vorige Befragung ist für dieses Gebiet nicht veröffentlicht.")
        else:
            waves = Waves(_campaign_name(engine, before), header.campaign_name, tuple(
                WaveRow(c.label("de"), None if a is None or b is None else a,
                        None if a is None or b is None else b,
                        None if a is None or b is None else round(b - a, 1), "")
                for c, a, b in zip(results.criteria, old[0], own[0], strict=True)),
                "Unterschied der veröffentlichten, gerundeten Werte; ob er über den Zufall "
                "hinausgeht, prüft der interne Bericht.")
    return AreaReport(
        replace(header, published_at=own[2]),
        code, name, table.name, tuple(c.label("de") for c in results.criteria),
        tuple(series), rows, own[1], map_areas(engine, results, k, row), waves,
        notes=tuple(notes))


def area_report_data(engine: Engine, provider: CubeProvider, header: Header, code: str,
                     level: str | None = None) -> AreaReport:
    """The report's content for ``header.source`` (no permission check: see
    :func:`stadtraum.reports.area_report.build_area_report`)."""
    build = live_area_data if header.internal else published_area_data
    return build(engine, provider, header, code, level)
