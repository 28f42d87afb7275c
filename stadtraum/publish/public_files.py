"""The public files of a published snapshot (pure apart from reading geometries): CSV (all
levels, one row per area and criterion) and GeoJSON (the campaign's level, one feature per
area, WGS84), plus the CSV's CSVW metadata. Rounded values only, no n, no CI: exactly the
snapshot. Served at the public URLs and packed into the open-data ZIP.

The CSV uses international numbers (``,`` and ``3.5``), the usual form for machines and
open-data portals, UTF-8 with BOM so that Excel reads the umlauts. Text is neutralised
against spreadsheet formulas.
"""

from __future__ import annotations

import csv
import io
import json

import shapely
from sqlalchemy import select
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session

from stadtraum.exports.results_table import INDEX_ID, INDEX_LABEL, ExportMeta
from stadtraum.exports.spreadsheet import neutralise
from stadtraum.publish.public_results import PublicSnapshot
from stadtraum.publish.snapshot import INDEX
from stadtraum.store.db import Area

__all__ = ["PUBLIC_COLUMNS", "public_csv", "public_csv_metadata", "public_geojson",
           "public_meta"]

PUBLIC_COLUMNS = {"ebene": "Gebietsebene", "gebiet_code": "Gebietsschlüssel",
                  "gebiet": "Gebietsname",
                  "kriterium_id": "Kriterium (Kennung; gesamtindex = Gesamtindex)",
                  "kriterium": "Kriterium", "mittelwert": "Mittelwert (1–7), gerundet",
                  "unterdrueckt": "ja: kein Wert (zu wenige Antworten oder Geheimhaltung)"}


def public_meta(snap: PublicSnapshot) -> ExportMeta:
    return ExportMeta(((snap.campaign_id, snap.name),), "Erhebungsarten der Befragung ohne "
                      "Fokusgruppen; alle Personen, ganzer Befragungszeitraum", snap.min_n,
                      snap.published_at, snap.levels, source="published")


def _criteria(snap: PublicSnapshot) -> list[tuple[str, str, str]]:
    """(criterion key in the snapshot, id in the files, label)."""
    return [*((cid, cid, label) for cid, label in snap.criteria),
            (INDEX, INDEX_ID, INDEX_LABEL)]


def public_csv(snap: PublicSnapshot) -> bytes:
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\r\n")
    writer.writerow(list(PUBLIC_COLUMNS))
    for level in snap.levels:
        for code, name in snap.areas[level]:
            for key, cid, label in _criteria(snap):
                value = snap.value(level, code, key)
                writer.writerow([neutralise(level), neutralise(code), neutralise(name), cid,
                                 neutralise(label), "" if value is None else f"{value:.1f}",
                                 "ja" if value is None else "nein"])
    return b"\xef\xbb\xbf" + buf.getvalue().encode("utf-8")


def public_csv_metadata(snap: PublicSnapshot, file_name: str = "results.csv") -> bytes:
    meta = public_meta(snap)
    doc = {"@context": ["http://www.w3.org/ns/csvw", {"@language": "de"}], "url": file_name,
           "dc:title": f"Veröffentlichte Ergebnisse: {snap.name}",
           "dc:modified": snap.published_at.isoformat(),
           "dialect": {"delimiter": ",", "encoding": "utf-8", "header": True},
           "tableSchema": {"columns": [
               {"name": col, "titles": title,
                **({"datatype": "number"} if col == "mittelwert" else {})}
               for col, title in PUBLIC_COLUMNS.items()]},
           "stadtraum:metadaten": meta.as_dict()}
    return json.dumps(doc, ensure_ascii=False, indent=1).encode("utf-8")


def public_geojson(engine: Engine, snap: PublicSnapshot) -> bytes:
    """The campaign's level as a FeatureCollection (WGS84) with a ``metadata`` member; the
    fields are named like the results export's (``<Kriterium>: Mittelwert``)."""
    level = snap.levels[0]
    with Session(engine) as session:
        geoms = {str(c): bytes(g) for c, g in session.execute(
            select(Area.code, Area.geometry_wkb).where(Area.level_id == snap.bottom_level_id))}
    features = []
    for code, name in snap.areas[level]:
        props: dict[str, object] = {"Ebene": neutralise(level), "Gebiet-Code": neutralise(code),
                                    "Gebiet": neutralise(name)}
        for key, _, label in _criteria(snap):
            field = "Gesamtindex" if key == INDEX else label
            props[f"{field}: Mittelwert"] = snap.value(level, code, key)
        geom = shapely.from_wkb(geoms[code]) if code in geoms else shapely.Polygon()
        features.append({"type": "Feature", "properties": props,
                         "geometry": json.loads(shapely.to_geojson(geom))})
    doc = {"type": "FeatureCollection", "name": "ergebnisse",
           "metadata": public_meta(snap).as_dict(), "features": features}
    return json.dumps(doc, ensure_ascii=False).encode("utf-8")
