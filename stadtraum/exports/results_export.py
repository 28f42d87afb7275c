"""Use case: export a campaign's results (planners and admins, ``results.export``) as CSV,
XLSX, GeoJSON or GeoPackage, audited as ``export_results``.

The figures are the one engine's (:func:`stadtraum.analysis.results.compute_results`), never
recomputed; :mod:`stadtraum.exports.results_table` turns them into the table every format
writes, with suppressed cells carrying no value and no n.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session

from stadtraum.accounts.permissions import Actor, require
from stadtraum.analysis.cube import CubeFilter
from stadtraum.analysis.cube_store import CubeProvider
from stadtraum.analysis.results import Results, compute_results
from stadtraum.errors import ValidationError
from stadtraum.exports.results_files import NUMBER_FORMATS, csv_bytes, csvw_metadata, xlsx_bytes
from stadtraum.exports.results_geo import city_crs, geojson_bytes, gpkg_bytes, level_geometries
from stadtraum.exports.results_table import (
    ExportMeta,
    filter_text,
    level_names,
    results_rows,
    wide_frame,
    wide_names,
)
from stadtraum.store.audit import audit
from stadtraum.store.campaigns import find_campaign
from stadtraum.store.engine import write_engine

__all__ = ["FORMATS", "ExportFile", "export_results", "results_file"]

# format -> (file extension, media type)
FORMATS = {"csv": ("csv", "text/csv"),
           "xlsx": ("xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
           "geojson": ("geojson", "application/geo+json"),
           "gpkg": ("gpkg", "application/geopackage+sqlite3")}


@dataclass(frozen=True)
class ExportFile:
    name: str
    media_type: str
    data: bytes
    sidecar: tuple[str, bytes] | None = None  # CSV: the CSVW metadata file (name, bytes)


def _check(fmt: str, numbers: str) -> None:
    if fmt not in FORMATS:
        raise ValidationError(f"Unbekanntes Format „{fmt}“ (möglich: csv, xlsx, geojson, gpkg).",
                              f"unknown format {fmt!r}", field="format")
    if numbers not in NUMBER_FORMATS:
        raise ValidationError(f"Unbekanntes Zahlenformat „{numbers}“ (möglich: de, intl).",
                              f"unknown number format {numbers!r}", field="numbers")


def _levels(results: Results, fmt: str, wanted: Sequence[str] | None) -> list[int]:
    chosen = level_names(results, wanted)
    if wanted is not None and len(chosen) != len(set(wanted)):
        known = ", ".join(t.name for t in results.levels)
        raise ValidationError(f"Unbekannte Gebietsebene (möglich: {known}).",
                              f"unknown level in {list(wanted)!r}", field="level")
    if not chosen:
        raise ValidationError("Bitte mindestens eine Gebietsebene wählen.", "no level",
                              field="level")
    if fmt == "geojson" and wanted is None:
        return chosen[:1]  # one feature per area: the campaign's own level
    if fmt == "geojson" and len(chosen) > 1:
        raise ValidationError("GeoJSON enthält genau eine Gebietsebene; bitte eine wählen "
                              "(mehrere Ebenen: GeoPackage).", "geojson with several levels",
                              field="level")
    return chosen


def results_file(engine: Engine, results: Results, meta: ExportMeta, level_id: int, fmt: str,
                 levels: Sequence[int], numbers: str, stem: str) -> ExportFile:
    """Write ``results`` (already computed) in ``fmt``: pure apart from reading geometries."""
    ext, media = FORMATS[fmt]
    name = f"{stem}.{ext}"
    long = results_rows(results, levels)
    if fmt == "csv":
        return ExportFile(name, media, csv_bytes(long, numbers),
                          (f"{name}-metadata.json", csvw_metadata(meta, name, numbers)))
    if fmt == "xlsx":
        return ExportFile(name, media, xlsx_bytes(long, meta))
    prefixes = wide_names(results)
    geoms = level_geometries(engine, results, levels)
    wides = {results.levels[k].name: wide_frame(long, results.levels[k].name, prefixes)
             for k in levels}
    if fmt == "geojson":
        (level, wide), = wides.items()
        return ExportFile(name, media, geojson_bytes(wide, geoms[level], meta))
    return ExportFile(name, media, gpkg_bytes(wides, geoms, meta, city_crs(engine, level_id)))


def export_results(engine: Engine, provider: CubeProvider, campaign_id: int, fmt: str, *,
                   actor: Actor, levels: Sequence[str] | None = None, numbers: str = "de",
                   flt: CubeFilter | None = None,
                   now: dt.datetime | None = None) -> ExportFile:
    """The results file of campaign ``campaign_id`` (all levels; GeoJSON: the campaign's
    level unless one is named) under ``flt`` (default: the survey view of the campaign)."""
    require(actor, "results.export")
    _check(fmt, numbers)
    flt = flt or CubeFilter(campaign_ids=(campaign_id,))
    if flt.campaign_ids != (campaign_id,):
        raise ValidationError("Der Filter gehört zu einer anderen Befragung.",
                              "filter of another campaign", field="campaign")
    with Session(engine) as session:
        campaign = find_campaign(session, campaign_id)
        name, level_id = campaign.name, campaign.level_id
    results = compute_results(engine, provider, flt)
    chosen = _levels(results, fmt, levels)
    now = now or dt.datetime.now(dt.UTC)
    meta = ExportMeta(((campaign_id, name),), filter_text(flt), results.min_n, now,
                      tuple(results.levels[k].name for k in chosen))
    stem = f"ergebnisse_{campaign_id}_{now:%Y-%m-%d}"
    out = results_file(engine, results, meta, level_id, fmt, chosen, numbers, stem)
    with Session(write_engine(engine)) as session, session.begin():
        audit(session, actor.name, "export_results", "campaign", campaign_id, format=fmt,
              levels=list(meta.levels), numbers=numbers, filter=meta.filter_de)
    return out
