"""Use case: the open-data package of a campaign (``results.export``, audited as
``export_open_data``): a ZIP taken from the campaign's *published snapshot* (never live
figures, never n, never comments) with

- ``ergebnisse.csv`` (+ ``ergebnisse.csv-metadata.json``), ``ergebnisse.geojson`` (the
  campaign's level, WGS84) and ``ergebnisse.gpkg`` (a layer per level, the city's CRS);
- ``metadaten.jsonld``: the DCAT-AP.de record, context inlined, checked with pyshacl against
  ``stadtraum/publish/dcat/shapes.ttl`` before the package is handed out;
- ``LIESMICH.txt``: the scale, the suppression and the "not representative" caveat in plain
  German;
- ``SHA256SUMS``: the checksums of every other file (``sha256sum -c SHA256SUMS``).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import json
import zipfile
from dataclasses import dataclass

import pandas as pd
import shapely
from shapely.geometry.base import BaseGeometry
from sqlalchemy import select
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session

from stadtraum.accounts.permissions import Actor, require
from stadtraum.errors import ConflictError, NotFoundError, ValidationError
from stadtraum.exports.results_geo import city_crs, gpkg_bytes
from stadtraum.publish.open_data_readme import readme_text
from stadtraum.publish.open_data_record import (
    LICENCES,
    DistributionInfo,
    Publisher,
    dcat_record,
    validate_record,
)
from stadtraum.publish.public_files import (
    public_csv,
    public_csv_metadata,
    public_geojson,
    public_meta,
)
from stadtraum.publish.public_results import CITY_LEVEL, PublicSnapshot, public_snapshot
from stadtraum.publish.snapshot import INDEX
from stadtraum.store.audit import audit
from stadtraum.store.db import Area, Campaign
from stadtraum.store.engine import write_engine

__all__ = ["OpenDataPackage", "build_open_data"]


@dataclass(frozen=True)
class OpenDataPackage:
    name: str
    data: bytes
    files: tuple[str, ...]


def _geometries(engine: Engine, snap: PublicSnapshot) -> dict[str, list[BaseGeometry]]:
    out: dict[str, list[BaseGeometry]] = {}
    with Session(engine) as session:
        for level, level_id in snap.level_ids.items():
            geoms = {str(c): shapely.from_wkb(bytes(g)) for c, g in session.execute(
                select(Area.code, Area.geometry_wkb).where(Area.level_id == level_id))}
            out[level] = [geoms.get(code, shapely.Polygon()) for code, _ in snap.areas[level]]
    if CITY_LEVEL in snap.areas:
        top = [lv for lv in snap.levels if lv in snap.level_ids][-1]
        out[CITY_LEVEL] = [shapely.union_all(out[top])]
    return out


def _wide(snap: PublicSnapshot, level: str) -> pd.DataFrame:
    rows = []
    for code, name in snap.areas[level]:
        row: dict[str, object] = {"Ebene": level, "Gebiet-Code": code, "Gebiet": name}
        for cid, label in snap.criteria:
            row[f"{label}: Mittelwert"] = snap.value(level, code, cid)
        row["Gesamtindex: Mittelwert"] = snap.value(level, code, INDEX)
        rows.append(row)
    frame = pd.DataFrame(rows)
    for col in frame.columns[3:]:
        frame[col] = frame[col].astype("float64")
    return frame


def _sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def build_open_data(engine: Engine, campaign_id: int, *, actor: Actor, publisher: Publisher,
                    licence: str = "dl-de/by-2-0",
                    now: dt.datetime | None = None) -> OpenDataPackage:
    """The ZIP of campaign ``campaign_id``'s published snapshot. Refused in German while the
    campaign was never published."""
    require(actor, "results.export")
    if licence not in LICENCES:
        raise ValidationError(f"Unbekannte Lizenz „{licence}“ (möglich: "
                              f"{', '.join(LICENCES)}).", f"unknown licence {licence!r}",
                              field="licence")
    with Session(engine) as session:
        if session.get(Campaign, campaign_id) is None:
            raise NotFoundError(f"Befragung „{campaign_id}“ gibt es nicht.",
                                f"campaign {campaign_id} not found")
    snap = public_snapshot(engine, campaign_id, require_public=False)
    if snap is None:
        raise ConflictError("Diese Befragung wurde noch nie veröffentlicht; offene Daten "
                            "entstehen nur aus dem veröffentlichten Stand.",
                            f"campaign {campaign_id} was never published")
    if not publisher.name.strip():
        raise ValidationError("Bitte zuerst den Namen der Stadt in den Einstellungen eintragen: "
                              "er steht als Herausgeber in den Metadaten.",
                              "no city name for the publisher", field="city_name")
    now = now or dt.datetime.now(dt.UTC)
    geoms = _geometries(engine, snap)
    wides = {level: _wide(snap, level) for level in snap.levels}
    files: dict[str, tuple[bytes, str, str, str]] = {  # name -> data, media, title, text
        "ergebnisse.csv": (public_csv(snap), "text/csv", "Ergebnisse (CSV)",
                           "Alle Gebietsebenen, eine Zeile je Gebiet und Kriterium"),
        "ergebnisse.csv-metadata.json": (
            public_csv_metadata(snap, "ergebnisse.csv"), "application/csvm+json",
            "Beschreibung der CSV (CSVW)", "Spalten, Zahlenformat, Geheimhaltung, Stand"),
        "ergebnisse.geojson": (
            public_geojson(engine, snap), "application/geo+json", "Ergebnisse (GeoJSON)",
            f"Ebene {snap.levels[0]}, ein Objekt je Gebiet, WGS84"),
        "ergebnisse.gpkg": (
            gpkg_bytes(wides, geoms, public_meta(snap), city_crs(engine, snap.bottom_level_id)),
            "application/geopackage+sqlite3", "Ergebnisse (GeoPackage)",
            "Eine Ebene je Gebietsgliederung, im Koordinatensystem der Stadt"),
    }
    readme = readme_text(snap, publisher, licence, now)
    files["LIESMICH.txt"] = (readme.encode("utf-8"), "text/plain", "Lies mich",
                             "Erläuterung in einfacher Sprache")
    base = publisher.base_url.rstrip("/")
    dataset_id = f"{base}/opendata/{campaign_id}" if base else \
        f"urn:stadtraum:opendata:{campaign_id}"
    live = {"ergebnisse.csv": "results.csv", "ergebnisse.geojson": "results.geojson"}
    dists = [DistributionInfo(name, title, text, media, _sha(data), len(data),
                              f"{dataset_id}/{live[name]}" if base and name in live else "")
             for name, (data, media, title, text) in files.items()]
    bounds = shapely.union_all(geoms[snap.levels[0]]).bounds
    minx, miny, maxx, maxy = (round(v, 6) for v in bounds)
    bbox = (f"POLYGON(({minx} {miny}, {maxx} {miny}, {maxx} {maxy}, {minx} {maxy}, "
            f"{minx} {miny}))")
    start = snap.period[0] or snap.published_at.date()
    record = dcat_record(
        dataset_id=dataset_id, title=f"Lebensqualität in den Quartieren: {snap.name}",
        description=(f"Bewertungen der Lebensqualität (Place Standard, Skala 1–7) aus der "
                     f"Befragung „{snap.name}“ in {publisher.name}, je Gebiet und Kriterium, "
                     "gerundet und mit Geheimhaltung; nicht repräsentativ."),
        keywords=["Lebensqualität", "Quartier", "Bürgerbeteiligung", "Place Standard",
                  "Stadtplanung"],
        publisher=publisher, period=(start, snap.period[1]), bbox_wkt=bbox, licence=licence,
        issued=snap.published_at, distributions=dists)
    conforms, report = validate_record(record)
    if not conforms:
        raise RuntimeError(f"open-data record does not conform to the shapes: {report}")
    record_bytes = json.dumps(record, ensure_ascii=False, indent=1).encode("utf-8")
    contents = {name: data for name, (data, *_) in files.items()}
    contents["metadaten.jsonld"] = record_bytes
    contents["SHA256SUMS"] = "".join(f"{_sha(d)}  {n}\n" for n, d in contents.items()).encode()
    buf = io.BytesIO()
    t = now.astimezone(dt.UTC)
    stamp = (max(t.year, 1980), t.month, t.day, t.hour, t.minute, t.second)
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, data in contents.items():
            zf.writestr(zipfile.ZipInfo(name, date_time=stamp), data,
                        compress_type=zipfile.ZIP_DEFLATED)
    with Session(write_engine(engine)) as session, session.begin():
        audit(session, actor.name, "export_open_data", "campaign", campaign_id,
              licence=licence, files=len(contents))
    return OpenDataPackage(f"offene_daten_{campaign_id}_{now:%Y-%m-%d}.zip", buf.getvalue(),
                           tuple(contents))
