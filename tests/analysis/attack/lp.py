"""Bounds on hidden cells from all shown cells together, by linear programming.

For one criterion and one characteristic (e.g. the age band) the attacker's unknowns are the
7-bin histograms of the *atoms*: per campaign-level area, each category and "no answer"
(nonnegative; the LP relaxes integrality, which only widens the bounds). Every shown cell of
every view of that characteristic ("all" and each proper selection), at every level, is an
equation: the sum of its atoms over the areas below it equals the published histogram. A
parent cell whose children are all shown in the same view is implied by them and left out.

For each hidden cell with data the harness bounds its n (min and max of the atoms' sum) and
its mean (min and max of rating sum / n, a linear-fractional program solved exactly by the
Charnes-Cooper transformation: y = x·t with sum(n·y) = 1). A hidden cell is *narrow* when
its mean bound is less than :data:`MIN_WIDTH` wide, or when its n bound collapses to one
value below min_n; issue 10 wants none.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass, field

import numpy as np
from scipy import sparse
from scipy.optimize import linprog

from tests.analysis.attack.model import CHARACTERISTICS, SCORES, Attacker, View
from tests.analysis.attack.truth import Truth

MIN_WIDTH = 1.0  # rating points a hidden cell's mean bound must span (issue 10)
_EPS = 1e-6


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

    @property
    def n_fixed(self) -> bool:
        return self.n_high - self.n_low < _EPS and self.n_high < self.min_n

    @property
    def narrow(self) -> bool:
        return self.mean_high - self.mean_low < MIN_WIDTH - _EPS or self.n_fixed


@dataclass
class LPReport:
    characteristic: str
    criterion: str
    variables: int
    equations: int
    bounded: int  # hidden cells with data
    narrow: int
    small_narrow: int  # of those, cells with n < min_n
    exact_mean: int  # mean bound width < 0.01
    exact_n: int  # n bound collapsed to a single value below min_n
    cells: list[CellBound] = field(default_factory=list)  # every bounded hidden cell

    def line(self) -> str:
        return (f"LP {self.characteristic}/{self.criterion}: {self.variables} unknowns, "
                f"{self.equations} equations, {self.bounded} hidden cells bounded, "
                f"{self.narrow} narrower than {MIN_WIDTH:g} point or with a fixed n < min_n "
                f"({self.small_narrow} of them with n < min_n; {self.exact_mean} with the mean "
                f"fixed, {self.exact_n} with n fixed)")


def _views(campaign: int, attr: str, codes: tuple[str, ...]) -> list[tuple[View, tuple[int, ...]]]:
    """Each view of the characteristic with the atoms it sums (index len(codes) = no answer)."""
    out = [(View((campaign,)), tuple(range(len(codes) + 1)))]
    for k in range(1, len(codes)):
        for chosen in itertools.combinations(range(len(codes)), k):
            out.append((View((campaign,)).choose(attr, tuple(codes[i] for i in chosen)), chosen))
    return out


def lp_bounds(att: Attacker, truth: Truth, campaign: int, attr: str = "ages",
              criterion: int = 0) -> LPReport:
    vocab = dict(CHARACTERISTICS)[attr]
    lay = att.layout
    assert lay is not None
    n_bottom, n_atoms = lay.bottom, len(vocab.codes) + 1
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
    hidden: list[tuple[View, int, tuple[int, ...]]] = []
    min_n = 5
    for view, atoms in _views(campaign, attr, vocab.codes):
        pub = att.publish(view)
        min_n = pub.min_n
        for r in range(len(lay.code)):
            if not pub.shown[r, criterion]:
                hidden.append((view, r, atoms))
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
    cells = []
    true: dict[View, np.ndarray] = {}
    for view, r, atoms in hidden:
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
        m_lo, m_hi = _mean_range(n_vec, s_vec, a_eq, b_eq) if n_hi > _EPS else (1.0, 7.0)
        cells.append(CellBound(view.label(), r, int(t.sum()), float(t @ SCORES / t.sum()),
                               n_lo, n_hi, m_lo, m_hi, min_n))
    narrow = [c for c in cells if c.narrow]
    return LPReport(attr, att.criteria[criterion], n_var, len(rhs), len(cells), len(narrow),
                    sum(c.true_n < min_n for c in narrow),
                    sum(c.mean_high - c.mean_low < 0.01 for c in cells),
                    sum(c.n_fixed for c in cells), cells)


def _range(obj: np.ndarray, a_eq: sparse.csr_matrix, b_eq: np.ndarray) -> tuple[float, float]:
    lo = linprog(obj, A_eq=a_eq, b_eq=b_eq, bounds=(0, None), method="highs")
    hi = linprog(-obj, A_eq=a_eq, b_eq=b_eq, bounds=(0, None), method="highs")
    assert lo.status == 0 and hi.status == 0, (lo.message, hi.message)
    return float(lo.fun), float(-hi.fun)


def _mean_range(n_vec: np.ndarray, s_vec: np.ndarray, a_eq: sparse.csr_matrix,
                b_eq: np.ndarray) -> tuple[float, float]:
    """min and max of (s·x)/(n·x) over {x >= 0, A x = b, n·x > 0} (Charnes-Cooper)."""
    cc = sparse.vstack([sparse.hstack([a_eq, -b_eq[:, None]]),
                        sparse.csr_matrix(np.append(n_vec, 0.0)[None, :])]).tocsr()
    rhs = np.append(np.zeros(a_eq.shape[0]), 1.0)
    obj = np.append(s_vec, 0.0)
    lo = linprog(obj, A_eq=cc, b_eq=rhs, bounds=(0, None), method="highs")
    hi = linprog(-obj, A_eq=cc, b_eq=rhs, bounds=(0, None), method="highs")
    assert lo.status == 0 and hi.status == 0, (lo.message, hi.message)
    return float(lo.fun), float(-hi.fun)
