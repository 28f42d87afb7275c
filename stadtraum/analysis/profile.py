"""The area profile ("Gebietsprofil"): pure views of one area in a results table.

Everything comes from :func:`stadtraum.analysis.results.compute_results` (one engine): the radar of
the area against its parent and the city, a table per criterion (n, mean, 95 % CI, median,
distribution of 1..7) and strengths and weaknesses in words. A suppressed cell carries no
figure, only the reason; suppressed values are gaps in the radar, never drawn.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from stadtraum.analysis.area_compare import locate_area, parent_of
from stadtraum.analysis.comparison import compare
from stadtraum.analysis.results import Results
from stadtraum.analysis.suppression import suppressed_text
from stadtraum.charts.radar import RadarSeries

__all__ = [
    "TABLE_COLUMNS",
    "Assessment",
    "area_series",
    "assessment",
    "profile_series",
    "profile_table",
    "table_labels",
]

SCORES = range(1, 8)
TABLE_COLUMNS = ("criterion", "n", "mean", "ci_low", "ci_high", "median",
                 *(f"share_{s}" for s in SCORES), "note")


def _num(value: float, lang: str) -> str:
    text = f"{value:.1f}"
    return text if lang == "en" else text.replace(".", ",")


def _values(results: Results, k: int, row: int) -> list[float | None]:
    table = results.levels[k]
    return [None if table.suppressed[row, c] or np.isnan(table.stats.mean[row, c])
            else float(table.stats.mean[row, c]) for c in range(len(results.criteria))]


def _series(results: Results, k: int, row: int, name: str | None = None) -> RadarSeries:
    table = results.levels[k]
    name = name or str(table.areas["name"].iloc[row])
    n = None if table.respondents_suppressed[row] else int(table.respondents[row])
    return RadarSeries(name, _values(results, k, row), n)


def area_series(results: Results, code: str, name: str | None = None) -> RadarSeries:
    """The published means of area ``code`` as one radar series (legend ``name``, else the
    area's name; n = respondents unless suppressed)."""
    return _series(results, *locate_area(results, code), name)


def profile_series(results: Results, code: str) -> list[RadarSeries]:
    """The area, its parent (unless that is the city) and the city, as radar series."""
    k, row = locate_area(results, code)
    city = len(results.levels) - 1
    out = [_series(results, k, row)]
    parent = parent_of(results, k, row)
    if parent is not None and parent[0] != city:
        out.append(_series(results, *parent))
    if k != city:
        out.append(_series(results, city, 0))
    return out


def profile_table(results: Results, code: str, lang: str = "de") -> pd.DataFrame:
    """One row per criterion (catalogue order): n, mean, 95 % CI, median and the share
    (per cent) of each score 1..7; a suppressed row has only its criterion and the note."""
    k, row = locate_area(results, code)
    table = results.levels[k]
    st = table.stats
    rows = []
    for c, crit in enumerate(results.criteria):
        hidden = bool(table.suppressed[row, c])
        n = int(st.n[row, c])

        def val(arr: np.ndarray, c: int = c, hidden: bool = hidden) -> float | None:
            v = float(arr[row, c])
            return None if hidden or np.isnan(v) else round(v, 2)

        shares = table.counts[row, c] / n * 100 if n and not hidden else [None] * 7
        rows.append({
            "criterion_id": crit.id, "criterion": crit.label(lang),
            "n": None if hidden else n, "mean": val(st.mean), "ci_low": val(st.ci_low),
            "ci_high": val(st.ci_high), "median": val(st.median),
            **{f"share_{s}": None if v is None else round(float(v), 1)
               for s, v in zip(SCORES, shares, strict=True)},
            "note": suppressed_text(results.min_n, lang) if hidden else "",
        })
    frame = pd.DataFrame(rows)
    frame["n"] = frame["n"].astype("Int64")
    return frame


def table_labels(lang: str = "de") -> dict[str, str]:
    """Column headers of :func:`profile_table` for display and CSV."""
    en = lang == "en"
    return {"criterion": "Criterion" if en else "Kriterium", "n": "n",
            "mean": "Mean" if en else "Mittelwert",
            "ci_low": "95 % CI from" if en else "95-%-KI von",
            "ci_high": "95 % CI to" if en else "95-%-KI bis", "median": "Median",
            **{f"share_{s}": f"% {s}" for s in SCORES},
            "note": "Note" if en else "Hinweis"}


@dataclass(frozen=True)
class Assessment:
    strengths: tuple[str, ...]
    weaknesses: tuple[str, ...]


def _sentence(label: str, mean: float, city: float | None, diff: float, lang: str) -> str:
    if city is None:
        return f"{label}: {_num(mean, lang)}"
    if lang == "en":
        return (f"{label}: {_num(mean, lang)} (city {_num(city, lang)}) – clearly "
                f"{'higher' if diff > 0 else 'lower'} than in the rest of the city")
    return (f"{label}: {_num(mean, lang)} (Gesamtstadt {_num(city, lang)}) – deutlich "
            f"{'höher' if diff > 0 else 'niedriger'} als im Rest der Stadt")


def assessment(results: Results, code: str, lang: str = "de", top: int = 3) -> Assessment:
    """Strengths and weaknesses in words, at most ``top`` each. For an area: only the
    published criteria whose ratings differ from the rest of the city by the engine's own
    test (:func:`stadtraum.analysis.comparison.compare`: rank test, p < 0.05, n >= 2 on
    both sides), a strength above and a weakness below, furthest first; none where nothing
    differs beyond the noise (a criterion equal to the city's mean was listed as a weakness).
    For the city itself: its highest and lowest means, never the same criterion twice."""
    k, row = locate_area(results, code)
    city_k = len(results.levels) - 1
    table, city = results.levels[k], results.levels[city_k]
    mean = np.where(table.suppressed[row], np.nan, table.stats.mean[row])
    city_mean = np.where(city.suppressed[0], np.nan, city.stats.mean[0])
    change = compare(city.counts[0] - table.counts[row], table.counts[row])
    is_city = k == city_k
    key = mean if is_city else mean - city_mean
    published = [c for c in range(len(results.criteria)) if not np.isnan(key[c])]
    order = sorted(published, key=lambda c: (-key[c], c))
    labels = [c.label(lang) for c in results.criteria]

    def say(c: int) -> str:
        ref = None if is_city else float(city_mean[c])
        return _sentence(labels[c], float(mean[c]), ref, float(change.diff[c]), lang)

    if is_city:
        take = min(top, len(published) // 2)
        above, below = order[:take], list(reversed(order))[:take]
    else:
        clear = [c for c in order if bool(change.significant[c])]
        above = [c for c in clear if key[c] > 0][:top]
        below = [c for c in reversed(clear) if key[c] < 0][:top]
    return Assessment(tuple(say(c) for c in above), tuple(say(c) for c in below))
