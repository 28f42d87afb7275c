"""Views of a wave comparison (:func:`stadtraum.analysis.waves.compare_waves`): one area before and
after as a table and radar series. Pure; a cell hidden in either wave stays empty. The change
map's values are :func:`stadtraum.maps.area_values.change_values`."""

from __future__ import annotations

import math

import pandas as pd

from stadtraum.analysis.waves import WaveComparison
from stadtraum.charts.radar import RadarSeries
from stadtraum.errors import NotFoundError

__all__ = ["area_change", "change_labels", "wave_series"]

_COLUMNS = ["criterion_id", "criterion", "mean_a", "mean_b", "diff", "hint"]


def area_change(cmp: WaveComparison, code: str) -> pd.DataFrame:
    """Per shared criterion of area ``code`` (wave b's code): both means, the change b - a
    and the significance hint (empty where a wave's cell is suppressed)."""
    rows = cmp.frame[cmp.frame["area_code"].astype(str) == str(code)]
    if rows.empty:
        raise NotFoundError(f"Gebiet „{code}“ gibt es in der späteren Befragung nicht.",
                            f"area {code!r} not in wave b")
    return rows[_COLUMNS].reset_index(drop=True)


def change_labels(lang: str = "de", name_a: str = "", name_b: str = "") -> dict[str, str]:
    """Display headers of :func:`area_change` (wave names are shown as plain text)."""
    en = lang == "en"
    return {"criterion": "Criterion" if en else "Kriterium",
            "mean_a": f"{'Mean' if en else 'Mittelwert'} {name_a}".strip(),
            "mean_b": f"{'Mean' if en else 'Mittelwert'} {name_b}".strip(),
            "diff": "Change" if en else "Veränderung",
            "hint": "Assessment" if en else "Einschätzung"}


def _value(v: object) -> float | None:
    return None if v is None or (isinstance(v, float) and math.isnan(v)) else float(v)  # type: ignore[arg-type]


def wave_series(change: pd.DataFrame, name_a: str, name_b: str) -> list[RadarSeries]:
    """Before (wave a) and after (wave b) as radar series; hidden cells are gaps."""
    return [RadarSeries(name_a, [_value(v) for v in change["mean_a"]]),
            RadarSeries(name_b, [_value(v) for v in change["mean_b"]])]
