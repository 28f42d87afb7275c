"""Pure counting for the field-work dashboard: which figure is shown, today's windows, texts.

No database and no Streamlit here. The rules (docs/verwaltung.md, section Feldarbeit):

* **Per area** the dashboard shows exactly what the planners' family of the campaign shows
  (:mod:`stadtraum.analysis.view_tables`): the respondents of the table "alle" (street,
  paper, online), of each mode's table and of the focus groups' table, each with the
  family's own mask. A hidden cell reads like the planners' view ("unter 5"). The joint
  suppression already guarantees that no difference of shown cells of that family (total
  minus shown modes, district minus shown quarters, …) isolates a group under *min_n*.
* **Today and the last hour** exist only campaign-wide (a day is no table of the family, so
  a per-area day count could not be protected cheaply). Their mode parts follow
  :func:`protect_parts`: a part is shown only where the planners show that mode's
  campaign-wide cell, and the parts are shown all or none, only when each one is 0 or at
  least *min_n*. Totals (today, last hour, per hour) are shown only where the planners show
  the campaign-wide total.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from stadtraum.config import CITY_TZ

__all__ = ["Cell", "Received", "cell", "hidden_text", "hour_counts", "local_day_start",
           "progress_text", "protect_parts", "since", "target_share"]


@dataclass(frozen=True)
class Cell:
    """One count as the dashboard shows it: ``value`` is None when hidden."""

    value: int | None
    min_n: int

    @property
    def hidden(self) -> bool:
        return self.value is None

    def text(self, lang: str = "de") -> str:
        return hidden_text(self.min_n, lang) if self.value is None else str(self.value)


@dataclass(frozen=True)
class Received:
    """One valid response received today: when (UTC, aware), how, by whom (None: online)."""

    at: dt.datetime
    mode: str
    entered_by: str | None


def cell(value: int, shown: bool, min_n: int) -> Cell:
    return Cell(int(value) if shown else None, int(min_n))


def hidden_text(min_n: int, lang: str = "de") -> str:
    """What the planners' views show instead of a hidden count (``n < 5``)."""
    return f"under {min_n}" if lang == "en" else f"unter {min_n}"


def progress_text(count: Cell, target: int | None, lang: str = "de") -> str:
    """``3 von 40``, ``unter 5 von 40``, or the count alone without a target."""
    if target is None:
        return count.text(lang)
    return f"{count.text(lang)} {'of' if lang == 'en' else 'von'} {target}"


def target_share(count: Cell, target: int | None) -> float | None:
    """The share of the target reached in percent (None: hidden or no target)."""
    if count.value is None or not target:
        return None
    return 100.0 * count.value / target


def protect_parts(parts: Mapping[str, int], planners_show: Mapping[str, bool],
                  min_n: int) -> dict[str, Cell]:
    """Campaign-wide parts of a time window (e.g. today's modes): all shown, or all hidden.

    Shown only when every part is 0 or at least ``min_n`` and the planners show each part
    with data campaign-wide (``planners_show``); otherwise every part is hidden, so the
    window's total minus the shown parts is always 0 or the total."""
    ok = all(v == 0 or (v >= min_n and planners_show.get(k, False))
             for k, v in parts.items())
    return {k: cell(v, ok, min_n) for k, v in parts.items()}


def local_day_start(now: dt.datetime) -> dt.datetime:
    """Midnight of ``now``'s day in the city's local time, as an aware UTC datetime."""
    local = now.astimezone(CITY_TZ)
    midnight = dt.datetime.combine(local.date(), dt.time(0), tzinfo=CITY_TZ)
    return midnight.astimezone(dt.UTC)


def _aware(at: dt.datetime) -> dt.datetime:
    return at.replace(tzinfo=dt.UTC) if at.tzinfo is None else at  # SQLite returns naive UTC


def since(received: Iterable[Received], start: dt.datetime,
          modes: Sequence[str] | None = None) -> int:
    """How many were received at or after ``start`` (in ``modes``, if given)."""
    return sum(1 for r in received if _aware(r.at) >= start
               and (modes is None or r.mode in modes))


def hour_counts(received: Iterable[Received], now: dt.datetime,
                modes: Sequence[str]) -> list[tuple[int, int]]:
    """(local hour, count) for every hour of today up to ``now``'s hour, in ``modes``."""
    local_now = now.astimezone(CITY_TZ)
    counts = dict.fromkeys(range(local_now.hour + 1), 0)
    day = local_now.date()
    for r in received:
        local = _aware(r.at).astimezone(CITY_TZ)
        if r.mode in modes and local.date() == day and local.hour in counts:
            counts[local.hour] += 1
    return sorted(counts.items())
