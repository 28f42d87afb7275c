"""The single-equation attacks of issue 10, one generator per family.

An :class:`Equation` says "the cells of ``plus`` minus the cells of each ``minus`` view" (per
area row and column, where all of them are shown). By the filters' meaning the ``minus``
views are disjoint subsets of ``plus``, so the difference is the histogram of one group of
people; the harness checks that against the raw data. Subtraction across levels (parent
minus visible children) works inside one view and is done by the harness itself, as are
subtraction across levels and categories together (``cross``: a parent's "all minus shown
categories" minus the same for some of its children) and the check that no shown cell is
itself a group under min_n (``direct``).

Each family holds the attacks of the filter before issue 10's fix (sets of categories, day
ranges, sets of modes: the filter now refuses those views, so they publish nothing and find
nothing — that is how "the filter refuses it" counts) and the attacks that remain possible
under the new rules (one characteristic, one category or "all", ``none`` a category;
calendar months; one mode or the focus groups alone; one campaign or its whole group).
"""

from __future__ import annotations

import calendar
import datetime as dt
import itertools
from dataclasses import dataclass, replace

from stadtraum.vocab import MODES, SURVEY_MODES
from tests.analysis.attack.model import CHARACTERISTICS, View, categories

FAMILIES = ("complementary", "nested", "periods", "modes", "unions", "waves", "levels",
            "cross", "direct")


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
    "all" against two complementary selections (those who gave no answer) — both refused
    since the fix; and what the fix allows: "all" minus each single category (``none``
    included: isolates everybody else) and "all" minus the sum of every other single
    category (isolates that one)."""
    out = []
    for attr, vocab in CHARACTERISTICS:
        cats = categories(vocab)
        for x in cats:
            out.append(Equation("complementary", f"{attr}: all - {x}", base,
                                (base.single(attr, x),)))
            out.append(Equation("complementary", f"{attr}: all - every category but {x}",
                                base, tuple(base.single(attr, y) for y in cats if y != x)))
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


def periods(base: View, lo: dt.date, hi: dt.date,
            months: tuple[str, ...] = ()) -> list[Equation]:
    """"until day d" against "until day d-1", "from day d" against "from day d+1", and each
    month clipped to the campaign's days against the whole campaign (refused since the fix
    unless a clipped month happens to be whole); and what the fix allows: the whole
    campaign minus each full calendar month of ``months`` (``2026-05``, 1st to last day) and
    minus every other full month."""
    out = []
    for m in months:
        out.append(Equation("periods", f"campaign - full month {m}", base, (base.month(m),)))
        if len(months) > 1:
            out.append(Equation("periods", f"campaign - full months but {m}", base,
                                tuple(base.month(o) for o in months if o != m)))
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
    clipped = _months(lo, hi)
    if len(clipped) > 1:
        for month in clipped:
            out.append(Equation("periods", f"campaign - month {month[0]:%Y-%m}", base,
                                (replace(base, period=month),)))
            rest = tuple(replace(base, period=m) for m in clipped if m != month)
            out.append(Equation("periods", f"campaign - months but {month[0]:%Y-%m}", base,
                                rest))
    return out


def _modes(chosen: tuple[str, ...]) -> tuple[str, ...] | None:
    return None if set(chosen) == set(SURVEY_MODES) else chosen


def modes(base: View) -> list[Equation]:
    """A set of modes against the same set with one mode less (focus groups in or out, each
    mode left out: refused since the fix except "all" = the survey modes); and what the fix
    allows: "all" minus each single survey mode, "all" minus the other survey modes, and
    the focus groups alone (a view of their own: no shown cell may be a group under
    min_n)."""
    out = [Equation("modes", "focus_group alone", replace(base, modes=("focus_group",)), ())]
    for m in SURVEY_MODES:
        out.append(Equation("modes", f"all - mode {m}", base, (replace(base, modes=(m,)),)))
        out.append(Equation("modes", f"all - survey modes but {m}", base,
                            tuple(replace(base, modes=(o,)) for o in SURVEY_MODES if o != m)))
    for chosen in _subsets(MODES.codes, range(2, len(MODES.codes) + 1)):
        for x in chosen:
            out.append(Equation("modes", f"modes {chosen} - without {x}",
                                replace(base, modes=_modes(chosen)),
                                (replace(base, modes=_modes(_but(chosen, (x,)))),)))
    return out


def unions(base: View, others: tuple[int, ...], views: list[View]) -> list[Equation]:
    """The campaigns together against the other campaigns alone, under each given view
    (since the fix the union must be the whole group: the group union minus every other
    campaign of the group)."""
    union = tuple(sorted({*base.campaigns, *others}))
    return [Equation("unions", f"{union} - {others} under {v.label()}",
                     replace(v, campaigns=union),
                     tuple(replace(v, campaigns=(o,)) for o in others))
            for v in views]


def waves(base: View, earlier: int) -> list[Equation]:
    """The complementary attack on the cells the wave comparison (earlier wave against this
    one) shows, under each view it accepts (modes and characteristics, no period)."""
    return [replace(e, family="waves", wave=(earlier, base.campaigns[0]))
            for e in complementary(base) + modes(base)]


def union_views(base: View, allowed: list[View] | None = None) -> list[View]:
    """The views the union attack is tried under: the plain view, each "all but one" and
    the ``allowed`` views (since the fix: each single category, mode, month)."""
    out = [base, *(allowed or [])]
    for attr, vocab in CHARACTERISTICS:
        out += [base.choose(attr, _but(vocab.codes, (x,))) for x in vocab.codes]
    return list(dict.fromkeys(out))
