"""The single-equation attacks of issue 10, one generator per family.

An :class:`Equation` says "the cells of ``plus`` minus the cells of each ``minus`` view" (per
area row and criterion, where all of them are shown). By the filters' meaning the ``minus``
views are disjoint subsets of ``plus``, so the difference is the histogram of one group of
people; the harness checks that against the raw data. Subtraction across levels (parent
minus visible children) works inside one view and is done by the harness itself.
"""

from __future__ import annotations

import calendar
import datetime as dt
import itertools
from dataclasses import dataclass, replace

from stadtraum.vocab import MODES, SURVEY_MODES
from tests.analysis.attack.model import CHARACTERISTICS, View

FAMILIES = ("complementary", "nested", "periods", "modes", "unions", "waves", "levels")


@dataclass(frozen=True)
class Equation:
    family: str
    label: str
    plus: View
    minus: tuple[View, ...]
    wave: tuple[int, int] | None = None  # only the cells the wave view (a, b) shows


def _subsets(codes: tuple[str, ...], sizes: range) -> list[tuple[str, ...]]:
    return [s for k in sizes for s in itertools.combinations(codes, k)]


def _but(codes: tuple[str, ...], left_out: tuple[str, ...]) -> tuple[str, ...]:
    return tuple(c for c in codes if c not in left_out)


def complementary(base: View) -> list[Equation]:
    """"all" against "all but one" (the left-out category and those who gave no answer), and
    "all" against two complementary selections (those who gave no answer)."""
    out = []
    for attr, vocab in CHARACTERISTICS:
        codes = vocab.codes
        for x in codes:
            out.append(Equation("complementary", f"{attr}: all - all but {x}", base,
                                (base.choose(attr, _but(codes, (x,))),)))
        for part in _subsets(codes[1:], range(0, len(codes) - 1)):
            first = (codes[0], *part)  # each partition once: the first code on this side
            out.append(Equation("complementary", f"{attr}: all - {first} - rest", base,
                                (base.choose(attr, first),
                                 base.choose(attr, _but(codes, first)))))
    return out


def nested(base: View) -> list[Equation]:
    """A selection against the same selection with one category less."""
    out = []
    for attr, vocab in CHARACTERISTICS:
        for chosen in _subsets(vocab.codes, range(2, len(vocab.codes))):
            for x in chosen:
                out.append(Equation("nested", f"{attr}: {chosen} - without {x}",
                                    base.choose(attr, chosen),
                                    (base.choose(attr, _but(chosen, (x,))),)))
    return out


def _months(lo: dt.date, hi: dt.date) -> list[tuple[dt.date, dt.date]]:
    out, day = [], lo
    while day <= hi:
        last = dt.date(day.year, day.month, calendar.monthrange(day.year, day.month)[1])
        out.append((day, min(last, hi)))
        day = last + dt.timedelta(days=1)
    return out


def periods(base: View, lo: dt.date, hi: dt.date) -> list[Equation]:
    """"until day d" against "until day d-1", "from day d" against "from day d+1", and each
    calendar month against the whole campaign."""
    out = []
    one = dt.timedelta(days=1)
    day = lo + one
    while day <= hi:
        out.append(Equation("periods", f"until {day} - until {day - one}",
                            replace(base, period=(lo, day)),
                            (replace(base, period=(lo, day - one)),)))
        out.append(Equation("periods", f"from {day - one} - from {day}",
                            replace(base, period=(day - one, hi)),
                            (replace(base, period=(day, hi)),)))
        day += one
    months = _months(lo, hi)
    if len(months) > 1:
        for month in months:
            out.append(Equation("periods", f"campaign - month {month[0]:%Y-%m}", base,
                                (replace(base, period=month),)))
            rest = tuple(replace(base, period=m) for m in months if m != month)
            out.append(Equation("periods", f"campaign - months but {month[0]:%Y-%m}", base,
                                rest))
    return out


def _modes(chosen: tuple[str, ...]) -> tuple[str, ...] | None:
    return None if set(chosen) == set(SURVEY_MODES) else chosen


def modes(base: View) -> list[Equation]:
    """A set of modes against the same set with one mode less (focus groups in or out, each
    mode left out)."""
    out = []
    for chosen in _subsets(MODES.codes, range(2, len(MODES.codes) + 1)):
        for x in chosen:
            out.append(Equation("modes", f"modes {chosen} - without {x}",
                                replace(base, modes=_modes(chosen)),
                                (replace(base, modes=_modes(_but(chosen, (x,)))),)))
    return out


def unions(base: View, other: int, views: list[View]) -> list[Equation]:
    """Both campaigns together against the other campaign alone, under each given view."""
    target = base.campaigns
    union = tuple(sorted({*target, other}))
    return [Equation("unions", f"{union} - {other} under {v.label()}",
                     replace(v, campaigns=union), (replace(v, campaigns=(other,)),))
            for v in views]


def waves(base: View, earlier: int) -> list[Equation]:
    """The complementary attack on the cells the wave comparison (earlier wave against this
    one) shows, under each view it accepts (modes and characteristics, no period)."""
    return [replace(e, family="waves", wave=(earlier, base.campaigns[0]))
            for e in complementary(base) + modes(base)]


def union_views(base: View) -> list[View]:
    """The views the union attack is tried under: the plain view and each "all but one"."""
    out = [base]
    for attr, vocab in CHARACTERISTICS:
        out += [base.choose(attr, _but(vocab.codes, (x,))) for x in vocab.codes]
    return out
