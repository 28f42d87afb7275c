"""The map of a campaign whose raw data are gone (purged on request or at the end of its
retention period): drawn from the campaign's published snapshot, the only figures left.

The snapshot holds, per area and criterion, the suppressed mean rounded to one decimal and
nothing else (:mod:`stadtraum.publish.snapshot`): so this map shows means only, never an n,
a share or a filtered figure, and a cell the snapshot hides stays hatched.
"""

from __future__ import annotations

import datetime as dt

import pandas as pd
from sqlalchemy.engine import Engine

from stadtraum.errors import NotFoundError, ValidationError
from stadtraum.maps.choropleth import AreaValue
from stadtraum.maps.colours import RATING_SCALE, decimal_de
from stadtraum.maps.display_geojson import level_geojson
from stadtraum.maps.page_data import MapData
from stadtraum.maps.view_model import METRICS, MapLayer, map_features
from stadtraum.publish.public_results import PublicSnapshot, public_snapshot
from stadtraum.publish.snapshot import INDEX

__all__ = ["published_map_data", "published_note"]


def _snapshot(engine: Engine, campaign_id: int) -> PublicSnapshot:
    snap = public_snapshot(engine, campaign_id, require_public=False)
    if snap is None:
        raise NotFoundError(
            "Die Rohdaten dieser Befragung sind gelöscht, und sie wurde nie veröffentlicht: "
            "es gibt keine Zahlen mehr, die sich zeigen ließen.",
            f"campaign {campaign_id} purged and never published")
    return snap


def _layer(snap: PublicSnapshot, level_name: str, criterion_id: str | None,
           lang: str) -> MapLayer:
    labels = dict(snap.criteria)
    if criterion_id is not None and criterion_id not in labels:
        raise ValidationError(f"Das Kriterium „{criterion_id}“ gehört nicht zu dieser Befragung.",
                              f"criterion {criterion_id!r} not in the snapshot",
                              field="criterion")
    key = INDEX if criterion_id is None else criterion_id
    values = {}
    for code, _ in snap.areas.get(level_name, []):
        value = snap.value(level_name, code, key)
        values[code] = AreaValue(value, None, value is None)
    what = METRICS["mean"][1 if lang == "en" else 0]
    name = ("Overall index" if lang == "en" else "Gesamtindex") if criterion_id is None \
        else labels[criterion_id]
    return MapLayer(values, RATING_SCALE, what, f"{name} – {what}", "mean", snap.min_n, {})


def _table(snap: PublicSnapshot, level_name: str, layer: MapLayer, lang: str) -> pd.DataFrame:
    en = lang == "en"
    rows = []
    for code, name in snap.areas.get(level_name, []):
        value = layer.values[code].value
        text = "" if value is None else decimal_de(value, 1)
        rows.append({("Area" if en else "Gebiet"): name, "Code": code,
                     layer.what: text.replace(",", ".") if en else text,
                     ("Note" if en else "Hinweis"): "" if value is not None else (
                         "not published (too few responses or none)" if en else
                         "nicht veröffentlicht (zu wenige oder keine Antworten)")})
    return pd.DataFrame(rows)


def published_map_data(engine: Engine, campaign_id: int, *, level_name: str, level_id: int,
                       criterion_id: str | None, lang: str = "de") -> MapData:
    """The map of purged campaign ``campaign_id`` from its published snapshot: means only."""
    snap = _snapshot(engine, campaign_id)
    layer = _layer(snap, level_name, criterion_id, lang)
    features = map_features(level_geojson(engine, level_id), layer, lang)
    return MapData(None, layer, features, _table(snap, level_name, layer, lang),
                   published_at=snap.published_at)


def published_note(purged_at: dt.datetime | None, published_at: dt.datetime | None,
                   lang: str = "de", *, view: str = "map") -> str:
    """What a view (``map`` or ``profile``) of a purged campaign says above its figures."""
    def day(d: dt.datetime | None) -> str:
        return "?" if d is None else d.strftime("%Y-%m-%d" if lang == "en" else "%d.%m.%Y")
    if lang == "en":
        return (f"The raw data of this survey were deleted on {day(purged_at)}. The {view} "
                f"shows the published results of {day(published_at)}: means rounded to one "
                "decimal, without numbers of responses; shares, changes, priorities, comments "
                "and filters by characteristic went with the raw data.")
    shows = "Das Profil zeigt" if view == "profile" else "Die Karte zeigt"
    return (f"Die Rohdaten dieser Befragung wurden am {day(purged_at)} gelöscht. {shows} den "
            f"veröffentlichten Stand vom {day(published_at)}: auf eine Stelle gerundete "
            "Mittelwerte ohne Antwortzahlen; Anteile, Veränderungen, Prioritäten, Kommentare "
            "und Filter nach Merkmalen sind mit den Rohdaten gelöscht.")
