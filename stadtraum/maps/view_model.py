"""Pure: what the map shows per area — (Results, level, metric, criterion) -> area values,
colour scale, tooltip word, legend title and the table under the map.

Metrics: ``mean`` (of a criterion, or the overall index), ``share_low`` / ``share_high``
(share of ratings 1–2 / 6–7 in %), ``n`` (respondents), ``change`` (mean now minus the mean
of an earlier wave, areas matched by code). Suppression is the engine's: a cell suppressed
in :class:`~stadtraum.analysis.results.Results` has neither value nor n here; for a change
both waves must publish the cell.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from stadtraum.analysis.comparison import change_hint, change_hint_en, compare
from stadtraum.analysis.results import LevelTable, Results
from stadtraum.analysis.stats import summarize
from stadtraum.analysis.suppression import suppressed_text
from stadtraum.errors import ValidationError
from stadtraum.maps.area_values import area_values
from stadtraum.maps.choropleth import AreaValue, choropleth_geojson
from stadtraum.maps.colours import CHANGE_SCALE, RATING_SCALE, ColourScale, decimal_de
from stadtraum.maps.metric_scales import N_SCALE, SHARE_HIGH_SCALE, SHARE_LOW_SCALE

__all__ = ["METRICS", "MapLayer", "criterion_choices", "layer_table", "map_features",
           "map_layer"]

# metric -> (German, English) label; also the tooltip word
METRICS: dict[str, tuple[str, str]] = {
    "mean": ("Mittelwert", "mean"),
    "share_low": ("Anteil 1–2 (%)", "share 1–2 (%)"),
    "share_high": ("Anteil 6–7 (%)", "share 6–7 (%)"),
    "n": ("Anzahl Antworten", "number of responses"),
    "change": ("Veränderung seit früherer Welle", "change since an earlier wave"),
}
_SCALES = {"mean": RATING_SCALE, "share_low": SHARE_LOW_SCALE, "share_high": SHARE_HIGH_SCALE,
           "n": N_SCALE, "change": CHANGE_SCALE}


@dataclass(frozen=True)
class MapLayer:
    values: dict[str, AreaValue]  # area code -> published figure
    scale: ColourScale
    what: str  # tooltip word, e.g. "Mittelwert"
    title: str  # e.g. "Sicherheitsgefühl – Mittelwert"
    metric: str
    min_n: int
    hints: dict[str, str]  # area code -> significance hint (change of a criterion only)


def criterion_choices(results: Results, lang: str = "de") -> list[tuple[str | None, str]]:
    """The overall index first, then the criteria in catalogue order."""
    first = ("Overall index" if lang == "en" else "Gesamtindex")
    return [(None, first)] + [(c.id, c.label(lang)) for c in results.criteria]


def _column(results: Results, criterion_id: str | None) -> int | None:
    if criterion_id is None:
        return None
    ids = [c.id for c in results.criteria]
    if criterion_id not in ids:
        raise ValidationError(f"Das Kriterium „{criterion_id}“ gehört nicht zu dieser Befragung.",
                              f"criterion {criterion_id!r} not in results", field="criterion")
    return ids.index(criterion_id)


def _table(results: Results, level: int | str) -> LevelTable:
    return results.levels[level] if isinstance(level, int) else results.level(level)


def _shares(table: LevelTable, c: int | None, high: bool) -> dict[str, AreaValue]:
    if c is None:  # over all published ratings of the area
        counts = np.where(table.suppressed[..., None], 0, table.counts).sum(axis=1)
        st, hidden = summarize(counts), table.index_suppressed
        n = np.where(table.respondents_suppressed, -1, table.respondents)
        share = st.share_high if high else st.share_low
    else:
        st, hidden, n = table.stats, table.suppressed[:, c], table.stats.n[:, c]
        share = (st.share_high if high else st.share_low)[:, c]
    out = {}
    for a, code in enumerate(table.areas["code"].tolist()):
        h, v = bool(hidden[a]), float(share[a]) * 100
        out[str(code)] = AreaValue(None if h or math.isnan(v) else v,
                                   None if h or n[a] < 0 else int(n[a]), h)
    return out


def _change(now: Results, before: Results, level: int | str, c: int | None,
            criterion_id: str | None, lang: str) -> tuple[dict[str, AreaValue], dict[str, str]]:
    tb = _table(now, level)
    try:
        ta = before.level(tb.name)
    except KeyError:
        raise ValidationError(f"Die frühere Welle hat keine Ebene „{tb.name}“.",
                              f"earlier wave lacks level {tb.name!r}", field="level") from None
    ca = None if c is None else _column(before, criterion_id)
    row_a = {str(code): i for i, code in enumerate(ta.areas["code"].tolist())}
    hint = change_hint_en if lang == "en" else change_hint
    values: dict[str, AreaValue] = {}
    hints: dict[str, str] = {}
    for b, code in enumerate(map(str, tb.areas["code"].tolist())):
        a = row_a.get(code)
        if a is None:
            values[code] = AreaValue(None, None, False)  # no counterpart: no figure
            continue
        if c is None or ca is None:
            hidden = bool(tb.index_suppressed[b] or ta.index_suppressed[a])
            diff = float(tb.index[b] - ta.index[a])
            n = -1 if tb.respondents_suppressed[b] else int(tb.respondents[b])
        else:
            hidden = bool(tb.suppressed[b, c] or ta.suppressed[a, ca])
            diff, n = float(tb.stats.mean[b, c] - ta.stats.mean[a, ca]), int(tb.stats.n[b, c])
            if not hidden:
                ch = compare(ta.counts[a, ca], tb.counts[b, c])
                hints[code] = hint(float(ch.diff), float(ch.p_value), bool(ch.significant))
        values[code] = AreaValue(None if hidden or math.isnan(diff) else diff,
                                 None if hidden or n < 0 else n, hidden)
    return values, hints


def map_layer(results: Results, level: int | str, metric: str, criterion_id: str | None, *,
              earlier: Results | None = None, lang: str = "de") -> MapLayer:
    """The figures of one map; ``earlier`` (the earlier wave) is needed for ``change``."""
    if metric not in METRICS:
        raise ValidationError(f"Unbekannte Kennzahl „{metric}“.", f"unknown metric {metric!r}",
                              field="metric")
    c = _column(results, criterion_id)
    hints: dict[str, str] = {}
    min_n = results.min_n
    if metric == "mean":
        values = area_values(results, level, criterion_id)
    elif metric in ("share_low", "share_high"):
        values = _shares(_table(results, level), c, metric == "share_high")
    elif metric == "n":
        values = {code: AreaValue(None if v.n is None else float(v.n), v.n,
                                  v.suppressed or v.n is None)
                  for code, v in area_values(results, level, criterion_id).items()}
    else:
        if earlier is None:
            raise ValidationError("Bitte eine frühere Welle zum Vergleich wählen.",
                                  "no earlier wave for the change map", field="earlier")
        values, hints = _change(results, earlier, level, c, criterion_id, lang)
        min_n = max(min_n, earlier.min_n)
    de, en = METRICS[metric]
    what = en if lang == "en" else de
    name = dict(criterion_choices(results, lang))[criterion_id]
    return MapLayer(values, _SCALES[metric], what, f"{name} – {what}", metric, min_n, hints)


def map_features(display: Mapping[str, Any], layer: MapLayer, lang: str = "de") -> dict[str, Any]:
    """The choropleth GeoJSON of ``layer`` (tooltip: name, value, n; suppressed areas with
    "zu wenige Antworten (n < min_n)")."""
    feats = choropleth_geojson(display, layer.values, scale=layer.scale, min_n=layer.min_n,
                               lang=lang, what=layer.what)
    if layer.metric == "n":  # a count needs no decimals: "n = 23"
        for f in feats["features"]:
            if f["properties"]["n"] is not None:
                f["properties"]["label"] = f"n = {f['properties']['n']}"
    return feats


def _shown(value: float | None, metric: str, lang: str) -> str:
    if value is None:
        return ""
    if metric == "n":
        return str(int(value))
    text = decimal_de(value, 2 if metric in ("mean", "change") else 1)
    if metric == "change" and value > 0 and text.strip("0,") != "":
        text = "+" + text
    return text.replace(",", ".") if lang == "en" else text


def layer_table(results: Results, level: int | str, layer: MapLayer,
                lang: str = "de") -> pd.DataFrame:
    """One row per area: name, code, value, n, note (suppressed rows carry no figures)."""
    en = lang == "en"
    table = _table(results, level)
    rows = []
    for code, name in zip(table.areas["code"].tolist(), table.areas["name"].tolist(),
                          strict=True):
        v = layer.values.get(str(code))
        note = suppressed_text(layer.min_n, lang) if v is not None and v.suppressed else (
            layer.hints.get(str(code), "") if v is not None and v.value is not None else
            ("no figure" if en else "kein Wert"))
        rows.append({("Area" if en else "Gebiet"): name, "Code": code,
                     layer.what: _shown(None if v is None else v.value, layer.metric, lang),
                     "n": None if v is None or v.n is None else int(v.n),
                     ("Note" if en else "Hinweis"): note})
    frame = pd.DataFrame(rows)
    frame["n"] = frame["n"].astype("Int64")
    return frame
