"""What an attacker sees: every shown cell of a view as its full 7-bin histogram.

A :class:`View` is a filter as the planners' UI takes it (built through the product's own
``build_filter``, so a combination the UI refuses cannot be asked for: it publishes
nothing). :class:`Attacker` computes a view with the real engine (``compute_results``) and
keeps, per area row and column, the histogram if the cell is shown and nothing if it is
suppressed. The columns are the criteria and, last, the respondents of the area as the
histogram ``[r, 0, …, 0]`` (shown where ``not respondents_suppressed``), so every equation
on ratings applies to the respondent counts too. Rows are the areas of all levels stacked:
the campaign level first, then each level above, the city last.

Since issue 10's fix the UI allows: one campaign or its whole group; at most one
characteristic with one category — a calendar month (1st to last day), one mode
(``focus_group`` included), one age band, gender or relation, where ``none`` ("ohne
Angabe") is a category. :func:`allowed_views` lists them.
"""

from __future__ import annotations

import calendar
import datetime as dt
import importlib
from dataclasses import dataclass, field, replace

import numpy as np
from sqlalchemy.engine import Engine

from stadtraum.analysis.cube_store import CubeProvider
from stadtraum.analysis.results import Results, compute_results
from stadtraum.analysis.view_filter import (
    FilterOptions,
    build_filter,
    campaign_spans,
    filter_options,
)
from stadtraum.analysis.waves import compare_waves
from stadtraum.errors import ValidationError
from stadtraum.store.migrate import migrate
from stadtraum.vocab import AGE_BANDS, GENDERS, MODES, NOT_GIVEN, RELATIONS, Vocabulary

#: the demographic characteristics of the filter: (View attribute, vocabulary)
CHARACTERISTICS: tuple[tuple[str, Vocabulary], ...] = (
    ("ages", AGE_BANDS), ("genders", GENDERS), ("relations", RELATIONS))
SCORES = np.arange(1, 8, dtype=np.float64)
RESPONDENTS = "respondents"  # the name of the last column: respondents per area


def categories(vocab: Vocabulary) -> tuple[str, ...]:
    """A characteristic's single categories as the filter offers them: its codes and
    ``none`` ("ohne Angabe", the question left unanswered)."""
    return (*vocab.codes, NOT_GIVEN)


def month_span(month: str) -> tuple[dt.date, dt.date]:
    """``2026-05`` -> (1 May, 31 May), the period of a calendar month view."""
    year, mon = (int(part) for part in month.split("-"))
    return dt.date(year, mon, 1), dt.date(year, mon, calendar.monthrange(year, mon)[1])


@dataclass(frozen=True)
class View:
    """A filter as the planners choose it; ``None`` = the UI's default ("all", survey modes)."""

    campaigns: tuple[int, ...]
    modes: tuple[str, ...] | None = None
    period: tuple[dt.date, dt.date] | None = None
    ages: tuple[str, ...] | None = None
    genders: tuple[str, ...] | None = None
    relations: tuple[str, ...] | None = None

    def choose(self, attr: str, codes: tuple[str, ...] | None) -> View:
        """The same view with the characteristic ``attr`` (ages, genders, relations) set."""
        if attr == "ages":
            return replace(self, ages=codes)
        if attr == "genders":
            return replace(self, genders=codes)
        assert attr == "relations", attr
        return replace(self, relations=codes)

    def single(self, attr: str, code: str) -> View:
        """The view of one category of a characteristic (``none`` included)."""
        return self.choose(attr, (code,))

    def month(self, month: str) -> View:
        return replace(self, period=month_span(month))

    def label(self) -> str:
        parts = ["+".join(map(str, self.campaigns))]
        for name in ("modes", "period", "ages", "genders", "relations"):
            value = getattr(self, name)
            if value is not None:
                shown = "..".join(d.isoformat() for d in value) if name == "period" \
                    else ",".join(value)
                parts.append(f"{name}={shown}")
        return " ".join(parts)


@dataclass(frozen=True)
class Published:
    """One view as published: ``hist`` (rows, C + 1, 7) is zero where ``shown`` is False;
    the last column holds the respondents as ``[r, 0, …, 0]``."""

    view: View
    hist: np.ndarray
    shown: np.ndarray  # (rows, C) bool
    index: np.ndarray  # (rows,) overall index, NaN where suppressed
    min_n: int


@dataclass
class Layout:
    """The stacked area rows: per row its level, code and parent row (-1 for the city)."""

    level: list[str]
    code: list[str]
    parent: np.ndarray
    bottom: int  # rows of the campaign level (the first rows)

    def children(self, row: int) -> np.ndarray:
        return np.flatnonzero(self.parent == row)


@dataclass
class Attacker:
    """Computes views with the real engine and remembers what each one published."""

    engine: Engine
    provider: CubeProvider = field(init=False)
    options: FilterOptions = field(init=False)
    cache: dict[View, Published] = field(default_factory=dict)
    waves: dict[tuple[View, int, int], np.ndarray] = field(default_factory=dict)
    layout: Layout | None = None
    criteria: tuple[str, ...] = ()
    calls: int = 0
    refused: int = 0  # views the filter does not allow

    def __post_init__(self) -> None:
        self.provider = CubeProvider(self.engine)
        self.options = filter_options(self.engine, campaign_spans(self.provider.get()))

    @property
    def columns(self) -> tuple[str, ...]:
        """The criteria, then the respondents column."""
        return (*self.criteria, RESPONDENTS)

    def bounds(self, campaigns: tuple[int, ...]) -> tuple[dt.date, dt.date]:
        found = self.options.period_bounds(list(campaigns))
        assert found is not None, "a campaign without responses has no period to choose"
        return found

    def months(self, campaigns: tuple[int, ...]) -> tuple[str, ...]:
        """The calendar months the UI offers for the campaigns (first to last survey day)."""
        return self.options.months(list(campaigns))

    def group(self, campaign: int) -> tuple[int, ...]:
        """The campaigns that can be viewed together with ``campaign`` (its group)."""
        return tuple(c.id for c in self.options.group(campaign))

    def _results(self, view: View) -> Results:
        flt = build_filter(self.options, view.campaigns, period=view.period, modes=view.modes,
                           age_bands=view.ages, genders=view.genders,
                           relations=view.relations)
        self.calls += 1
        return compute_results(self.engine, self.provider, flt)

    def _compute(self, view: View) -> Published:
        """The view as the product publishes it; ValidationError when the filter refuses it."""
        res = self._results(view)
        if self.layout is None:
            self.layout = layout_of(res)
            self.criteria = tuple(c.id for c in res.criteria)
        counts = [np.concatenate([lv.counts, np.zeros((len(lv.counts), 1, 7), dtype=np.int64)],
                                 axis=1) for lv in res.levels]
        for lv, cnt in zip(res.levels, counts, strict=True):
            cnt[:, -1, 0] = lv.respondents
        hist = np.concatenate(counts).astype(np.int64)
        shown = ~np.concatenate([np.concatenate([lv.suppressed,
                                                 lv.respondents_suppressed[:, None]], axis=1)
                                 for lv in res.levels])
        hist[~shown] = 0
        index = np.concatenate([lv.index for lv in res.levels])
        return Published(view, hist, shown, index, res.min_n)

    def publish(self, view: View) -> Published:
        """The view's shown cells; a view the filter refuses (since the fix: more than one
        characteristic, several categories or modes, a period other than one calendar
        month, campaigns other than one or its whole group) publishes nothing."""
        if view not in self.cache:
            try:
                self.cache[view] = self._compute(view)
            except ValidationError:
                if self.layout is None:
                    raise
                first = next(iter(self.cache.values()))
                self.cache[view] = Published(view, np.zeros_like(first.hist),
                                             np.zeros_like(first.shown),
                                             np.full_like(first.index, np.nan), first.min_n)
                self.refused += 1
        return self.cache[view]

    def wave_shown(self, view: View, campaign_a: int, campaign_b: int) -> np.ndarray:
        """Which bottom-level cells the wave comparison (wave a against wave b) shows under the
        view's modes and characteristics, shape (bottom rows, C + 1; the respondents column
        is never shown there); its figures are each wave's own cells (the period is not
        applied, as the product does)."""
        key = (view, campaign_a, campaign_b)
        if key in self.waves:
            return self.waves[key]
        assert self.layout is not None
        first = self.publish(View((campaign_b,)))
        shown = np.zeros((self.layout.bottom, first.hist.shape[1]), dtype=bool)
        try:
            base = build_filter(self.options, (campaign_a,), modes=view.modes,
                                age_bands=view.ages, genders=view.genders,
                                relations=view.relations)
        except ValidationError:  # a view the filter does not allow shows nothing
            self.waves[key] = shown
            return shown
        self.calls += 2
        cmp = compare_waves(self.engine, self.provider, campaign_a, campaign_b, base=base)
        codes = {c: i for i, c in enumerate(self.layout.code[: self.layout.bottom])}
        crit = {cid: j for j, cid in enumerate(self.criteria)}
        for row in cmp.frame.itertuples():
            if not row.suppressed:
                shown[codes[str(row.area_code)], crit[str(row.criterion_id)]] = True
        self.waves[key] = shown
        return shown


def allowed_views(att: Attacker, campaigns: tuple[int, ...]) -> list[View]:
    """Every view the UI allows for ``campaigns`` (one campaign or its group): "all", each
    survey mode and the focus groups alone, each calendar month, each single category of
    each characteristic (``none`` included)."""
    base = View(campaigns)
    out = [base, *(replace(base, modes=(m,)) for m in MODES.codes)]
    out += [base.month(m) for m in att.months(campaigns)]
    out += [base.single(attr, code) for attr, vocab in CHARACTERISTICS
            for code in categories(vocab)]
    return out


def sqlite_engine(url: str) -> Engine:
    """A migrated SQLite database. ``make_engine`` is looked up where it lives now or (while
    the store is being split up in a parallel change) where it used to live."""
    try:
        module = importlib.import_module("stadtraum.store.engine")
    except ModuleNotFoundError:
        module = importlib.import_module("stadtraum.store.db")
    engine: Engine = module.make_engine(url)
    migrate(engine)
    return engine


def layout_of(res: Results) -> Layout:
    level: list[str] = []
    code: list[str] = []
    parent: list[int] = []
    offset = 0
    for k, lv in enumerate(res.levels):
        n = len(lv.areas)
        level += [lv.name] * n
        code += [str(c) for c in lv.areas["code"]]
        if k + 1 < len(res.levels):
            up = res.levels[k + 1].areas
            if k + 1 == len(res.levels) - 1:  # the city: one row
                parent += [offset + n] * n
            else:
                pos = {int(i): j for j, i in enumerate(up["id"])}
                parent += [offset + n + pos[int(p)] for p in lv.areas["parent_id"]]
        else:
            parent += [-1] * n
        offset += n
    return Layout(level, code, np.array(parent, dtype=np.int64), len(res.levels[0].areas))


def mean_of(hist: np.ndarray) -> float:
    n = hist.sum()
    return float(hist @ SCORES / n) if n else float("nan")

