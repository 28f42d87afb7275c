"""Bounds on hidden cells from all shown cells together, by linear programming.

For one column (a criterion, or the respondents) and one *dimension* the attacker's unknowns
are the 7-bin histograms of the *atoms*: per campaign-level area, each category of the
dimension (nonnegative; the LP relaxes integrality, which only widens the bounds). Every
shown cell of every view of that dimension, at every level, is an equation: the sum of its
atoms over the areas below it equals the published histogram. A parent cell whose children
are all shown in the same view is implied by them and left out. The dimensions and their
views, as the filter allows them since issue 10's fix (:func:`dimension_views`):

* ``ages``, ``genders``, ``relations``: atoms = the codes and ``none`` ("ohne Angabe");
  views "all" (every atom) and each single category;
* ``months``: atoms = the calendar months; views the whole campaign and each month;
* ``modes``: atoms = the survey modes and the focus groups; views "all" (the survey
  modes), each survey mode, the focus groups alone;
* ``campaigns``: atoms = the campaigns of the group; views the group union and each
  campaign (only for a group of several).

For each hidden cell with data the harness bounds its n (min and max of the atoms' sum) and
its mean (min and max of rating sum / n, a linear-fractional program solved exactly by the
Charnes-Cooper transformation: y = x·t with sum(n·y) = 1). A hidden cell is *narrow* when
its mean bound is less than :data:`MIN_WIDTH` wide, or when its n bound collapses to one
value below min_n (for the respondents column, whose "mean" is always 1, only the latter);
issue 10 wants none. One exception, which no suppression can avoid: when a *shown* cell
that contains the hidden one (the same or an enclosing area, in a view that includes the
cell's categories) shows that its ratings span less than one point — everybody there rated
4 — the hidden cell's bound need only be as wide as that span (``span``). ``strict`` counts
the cells narrower than one point whatever their span.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace

import numpy as np
from scipy import sparse
from scipy.optimize import linprog

from stadtraum.vocab import SURVEY_MODES
from tests.analysis.attack.model import (
    CHARACTERISTICS,
    SCORES,
    Attacker,
    Published,
    View,
    categories,
)
from tests.analysis.attack.truth import Truth

MIN_WIDTH = 1.0  # rating points a hidden cell's mean bound must span (issue 10)
DIMENSIONS = ("ages", "genders", "relations", "months", "modes", "campaigns")
_EPS = 1e-6
_UNBOUNDED = 3  # scipy.optimize.linprog's status


@dataclass(frozen=True)
class CellBound:
    view: str
    row: int
    true_n: int
    true_mean: float
    n_low: float
    n_high: float
    mean_low: float
    mean_high: float
    min_n: int
    count_only: bool = False  # the respondents column: only its n is protected
    span: float = 6.0  # score range the shown cells containing this one allow (at most 6)

    @property
    def n_fixed(self) -> bool:
        return self.n_high - self.n_low < _EPS and self.n_high < self.min_n

    @property
    def narrow(self) -> bool:
        if self.count_only:
            return self.n_fixed
        width = min(MIN_WIDTH, self.span)
        return self.mean_high - self.mean_low < width - _EPS or self.n_fixed

    @property
    def strict(self) -> bool:
        """Narrower than one point (or n fixed below min_n), whatever the shown span."""
        return self.n_fixed if self.count_only else (
            self.mean_high - self.mean_low < MIN_WIDTH - _EPS or self.n_fixed)


@dataclass
class LPReport:
    dimension: str
    criterion: str
    variables: int
    equations: int
    bounded: int  # hidden cells with data
    narrow: int
    small_narrow: int  # of those, cells with n < min_n
    exact_mean: int  # mean bound width < 0.01
    exact_n: int  # n bound collapsed to a single value below min_n
    cells: list[CellBound] = field(default_factory=list)  # every bounded hidden cell

    @property
    def strict(self) -> int:
        return sum(c.strict for c in self.cells)

    def line(self) -> str:
        return (f"LP {self.dimension}/{self.criterion}: {self.variables} unknowns, "
                f"{self.equations} equations, {self.bounded} hidden cells bounded, "
                f"{self.narrow} narrower than {MIN_WIDTH:g} point or with a fixed n < min_n "
                f"({self.small_narrow} of them with n < min_n; {self.exact_mean} with the mean "
                f"fixed, {self.exact_n} with n fixed; {self.strict} narrower than "
                f"{MIN_WIDTH:g} point whatever the shown span)")


def dimension_views(att: Attacker, campaign: int,
                    dimension: str) -> tuple[int, list[tuple[View, tuple[int, ...]]]]:
    """The number of atoms of ``dimension`` and each allowed view of it with the atoms it
    sums."""
    base = View((campaign,))
    if dimension in dict(CHARACTERISTICS):
        cats = categories(dict(CHARACTERISTICS)[dimension])
        return len(cats), [(base, tuple(range(len(cats)))),
                           *((base.single(dimension, c), (i,)) for i, c in enumerate(cats))]
    if dimension == "months":
        months = att.months(base.campaigns)
        return len(months), [(base, tuple(range(len(months)))),
                             *((base.month(m), (i,)) for i, m in enumerate(months))]
    if dimension == "modes":
        survey = tuple(range(len(SURVEY_MODES)))
        singles = [(replace(base, modes=(m,)), (i,)) for i, m in enumerate(SURVEY_MODES)]
        return len(SURVEY_MODES) + 1, [
            (base, survey), *singles,
            (replace(base, modes=("focus_group",)), (len(SURVEY_MODES),))]
    if dimension == "campaigns":
        group = att.group(campaign)
        if len(group) < 2:
            return 1, [(base, (0,))]
        return len(group), [(View(group), tuple(range(len(group)))),
                            *((View((c,)), (i,)) for i, c in enumerate(group))]
    raise ValueError(f"unknown dimension {dimension!r}")


def lp_bounds(att: Attacker, truth: Truth, campaign: int, dimension: str = "ages",
              criterion: int = 0) -> LPReport:
    """Bound every hidden cell with data of every view of ``dimension`` in the column
    ``criterion`` (an index of :attr:`Attacker.columns`; the last is the respondents)."""
    n_atoms, views = dimension_views(att, campaign, dimension)
    lay = att.layout
    assert lay is not None
    count_only = criterion == len(att.criteria)
    n_bottom = lay.bottom
    below = [np.zeros(n_bottom, dtype=bool) for _ in lay.code]  # bottom rows under each row
    for q in range(n_bottom):
        r = q
        while r >= 0:
            below[r][q] = True
            r = int(lay.parent[r])  # -1 above the city

    def var(q: int, a: int, s: int) -> int:
        return (q * n_atoms + a) * 7 + s

    n_var = n_bottom * n_atoms * 7
    rows_i: list[int] = []
    cols_i: list[int] = []
    rhs: list[float] = []
    hidden: list[tuple[View, int, tuple[int, ...], int]] = []
    for view, atoms in views:
        pub = att.publish(view)
        for r in range(len(lay.code)):
            if not pub.shown[r, criterion]:
                hidden.append((view, r, atoms, pub.min_n))
                continue
            kids = lay.children(r)
            if kids.size and pub.shown[kids, criterion].all():
                continue  # implied by the children's equations
            for s in range(7):
                eq = len(rhs)
                for area in np.flatnonzero(below[r]):
                    for a in atoms:
                        rows_i.append(eq)
                        cols_i.append(var(int(area), a, s))
                rhs.append(float(pub.hist[r, criterion, s]))
    a_eq = sparse.csr_matrix((np.ones(len(rows_i)), (rows_i, cols_i)), shape=(len(rhs), n_var))
    b_eq = np.array(rhs)
    cc_top = sparse.hstack([a_eq, -b_eq[:, None]], format="csr")
    cells = []
    true: dict[View, np.ndarray] = {}
    pubs = [(att.publish(v), set(atoms)) for v, atoms in views]
    for view, r, atoms, min_n in hidden:
        if view not in true:
            true[view] = truth.hist(truth.mask(view))[:, criterion]
        t = true[view][r]
        if t.sum() == 0:
            continue  # an empty cell: there is no mean to protect
        pick = [var(int(q), a, s) for q in np.flatnonzero(below[r]) for a in atoms
                for s in range(7)]
        n_vec = np.zeros(n_var)
        n_vec[pick] = 1.0
        s_vec = np.zeros(n_var)
        s_vec[pick] = np.tile(SCORES, len(pick) // 7)
        n_lo, n_hi = _range(n_vec, a_eq, b_eq)
        m_lo, m_hi = _mean_range(n_vec, s_vec, cc_top) \
            if n_hi > _EPS and not count_only else (1.0, 7.0)
        cells.append(CellBound(view.label(), r, int(t.sum()), float(t @ SCORES / t.sum()),
                               n_lo, n_hi, m_lo, m_hi, min_n, count_only,
                               _span(pubs, lay.parent, r, set(atoms), criterion)))
    narrow = [c for c in cells if c.narrow]
    return LPReport(dimension, att.columns[criterion], n_var, len(rhs), len(cells),
                    len(narrow), sum(c.true_n < c.min_n for c in narrow),
                    sum(c.mean_high - c.mean_low < 0.01 for c in cells),
                    sum(c.n_fixed for c in cells), cells)


def _span(pubs: list[tuple[Published, set[int]]], parent: np.ndarray, row: int,
          atoms: set[int], criterion: int) -> float:
    """The score range left by every shown cell that contains the cell (row, atoms): the
    same row or an enclosing one, in a view whose atoms include these."""
    present = np.ones(7, dtype=bool)
    for pub, has in pubs:
        if not atoms <= has:
            continue
        r = row
        while r >= 0:
            if pub.shown[r, criterion]:
                present &= pub.hist[r, criterion] > 0
            r = int(parent[r])
    scores = SCORES[present]
    return float(scores.max() - scores.min()) if scores.size else 6.0


def _range(obj: np.ndarray, a_eq: sparse.csr_matrix, b_eq: np.ndarray) -> tuple[float, float]:
    lo = linprog(obj, A_eq=a_eq, b_eq=b_eq, bounds=(0, None), method="highs")
    hi = linprog(-obj, A_eq=a_eq, b_eq=b_eq, bounds=(0, None), method="highs")
    assert lo.status == 0 and hi.status in (0, _UNBOUNDED), (lo.message, hi.message)
    # unbounded above: no shown cell constrains these atoms (a view hidden at every level)
    return float(lo.fun), float(-hi.fun) if hi.status == 0 else float("inf")


def _mean_range(n_vec: np.ndarray, s_vec: np.ndarray,
                cc_top: sparse.csr_matrix) -> tuple[float, float]:
    """min and max of (s·x)/(n·x) over {x >= 0, A x = b, n·x > 0} (Charnes-Cooper);
    ``cc_top`` is ``[A, -b]``."""
    cc = sparse.vstack([cc_top, sparse.csr_matrix(np.append(n_vec, 0.0)[None, :])],
                       format="csr")
    rhs = np.append(np.zeros(cc_top.shape[0]), 1.0)
    obj = np.append(s_vec, 0.0)
    lo = linprog(obj, A_eq=cc, b_eq=rhs, bounds=(0, None), method="highs")
    hi = linprog(-obj, A_eq=cc, b_eq=rhs, bounds=(0, None), method="highs")
    assert lo.status == 0 and hi.status == 0, (lo.message, hi.message)
    return float(lo.fun), float(-hi.fun)
