"""The dashboard's map: the share of its target each area reached, as a choropleth GeoJSON.

Only shown counts are coloured; an area the planners' view hides is hatched like on the map
page and its tooltip reads like the table ("unter 5 von 40"); an area without a target keeps
its count but no colour. Built on :func:`stadtraum.maps.choropleth.choropleth_geojson`
(escaping, styles), with the dashboard's own tooltip text (escaped here too).
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Sequence
from typing import Any

from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session

from stadtraum.admin.fieldwork import AreaRow
from stadtraum.admin.fieldwork_counts import progress_text, target_share
from stadtraum.maps.base import escape
from stadtraum.maps.choropleth import AreaValue, choropleth_geojson
from stadtraum.maps.colours import Bin, ColourScale
from stadtraum.maps.display_geojson import level_geojson
from stadtraum.maps.legend import Legend, legend_for
from stadtraum.store.campaigns import find_campaign

__all__ = ["TARGET_SCALE", "target_features", "target_legend"]

_EDGES = (0.0, 25.0, 50.0, 75.0, 100.0, 1e12)
_COLOURS = ("#edf8e9", "#bae4b3", "#74c476", "#31a354", "#006d2c")  # ColorBrewer Greens


def _bins() -> tuple[Bin, ...]:
    out = []
    for i, colour in enumerate(_COLOURS):
        lo, hi = _EDGES[i], _EDGES[i + 1]
        if i == len(_COLOURS) - 1:
            de, en = "Ziel erreicht (100 % und mehr)", "target reached (100 % or more)"
        else:
            de, en = f"{lo:.0f} bis unter {hi:.0f} %", f"{lo:.0f} to under {hi:.0f} %"
        out.append(Bin(lo, hi, colour, de, en))
    return tuple(out)


TARGET_SCALE = ColourScale("target_share", _bins(), "Anteil des Ziels erreicht",
                           "share of the target reached")


_cache: OrderedDict[tuple[object, ...], dict[str, Any]] = OrderedDict()
_lock = threading.Lock()


def target_features(engine: Engine, campaign_id: int, areas: Sequence[AreaRow],
                    lang: str = "de") -> dict[str, Any]:
    """The choropleth GeoJSON of the campaign's level (see the module docstring), kept
    while the figures stay the same (a refresh without a change builds nothing). Shared:
    callers must not change it."""
    with Session(engine) as session:
        level_id = int(find_campaign(session, campaign_id).level_id)
    key = (engine.url.render_as_string(hide_password=True), level_id, lang,
           tuple((a.code, a.total.value, a.total.min_n, a.target) for a in areas))
    with _lock:
        if key in _cache:
            return _cache[key]
    features = _build(engine, level_id, areas, lang)
    with _lock:
        _cache[key] = features
        while len(_cache) > 8:
            _cache.popitem(last=False)
    return features


def _build(engine: Engine, level_id: int, areas: Sequence[AreaRow],
           lang: str) -> dict[str, Any]:
    values = {a.code: AreaValue(None if (s := target_share(a.total, a.target)) is None
                                else min(s, _EDGES[-1]), a.total.value, a.total.hidden)
              for a in areas}
    features = choropleth_geojson(level_geojson(engine, level_id), values,
                                  scale=TARGET_SCALE, min_n=areas[0].total.min_n if areas
                                  else 5, lang=lang)
    by_code = {a.code: a for a in areas}
    for feature in features["features"]:
        props = feature["properties"]
        row = by_code.get(props["code"])
        if row is not None:
            text = progress_text(row.total, row.target, lang)
            share = target_share(row.total, row.target)
            if share is not None:
                text += f" ({share:.0f} %)"
            props["label"] = escape(text)
    return features


def target_legend(min_n: int, lang: str = "de") -> Legend:
    return legend_for(TARGET_SCALE, min_n, lang)
