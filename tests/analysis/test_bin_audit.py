"""The histogram audit against linear programming on random families.

The LP here is written from the attacker's side, independently of the audit's network: the
unknowns are the 7-bin histograms of the (bottom area, category) atoms, every shown cell of
the "all" table and of each category table at every level is an equation, and for every
small hidden cell with data the n and mean bounds come from ``scipy.optimize.linprog`` (the
mean by the Charnes-Cooper transformation). The audit must report exactly the cells the LP
finds narrow, and the protected masks must leave none.
"""

from __future__ import annotations

import functools

import numpy as np
import pytest
from scipy import sparse
from scipy.optimize import linprog

from stadtraum.analysis.bin_audit import MIN_WIDTH, audit, mean_range
from stadtraum.analysis.joint_family import Family, family_groups, rollup_family
from stadtraum.analysis.joint_suppression import joint_suppress

SCORES = np.arange(1, 8, dtype=np.float64)
PARENTS = [np.array([0, 0, 0, 1, 1]), np.array([0, 0])]  # 5 quarters, 2 districts, city
QUARTERS = 5
KEYS = ["all", "focus", "age=a", "age=b", "age=c", "gender=x", "gender=y"]
MIN_N = 4


def _family(seed: int) -> Family:
    """Sparse random answers (most quarters have a handful), one criterion and the
    respondents column (count only); "focus" is in no category equation."""
    rng = np.random.default_rng(seed)
    people = int(rng.integers(12, 30))
    quarter = rng.integers(0, QUARTERS, people)
    focus = rng.random(people) < 0.2
    age, gender = rng.integers(0, 3, people), rng.integers(0, 2, people)
    low = rng.integers(1, 5, people)
    scores = np.clip(low + rng.integers(0, 3, people), 1, 7)  # mostly near each other
    bottom = np.zeros((len(KEYS), QUARTERS, 2, 7), dtype=np.int64)
    for i in range(people):
        tables = [1] if focus[i] else [0, 2 + age[i], 5 + gender[i]]
        for t in tables:
            bottom[t, quarter[i], 0, scores[i] - 1] += 1
            bottom[t, quarter[i], 1, 0] += 1
    return rollup_family(KEYS, bottom, PARENTS, family_groups(KEYS), count_columns=(1,))


def _below(level: int, row: int) -> np.ndarray:
    """The quarters under an area."""
    quarters = np.arange(QUARTERS)
    if level == 0:
        return quarters[quarters == row]
    if level == 1:
        return quarters[PARENTS[0] == row]
    return quarters


def _lp_narrow(fam: Family, masks: list[np.ndarray]) -> set[tuple[int, int, int, int]]:
    """(level, table, row, column) of every small hidden data cell the LP narrows."""
    narrow = set()
    networks = [(0, [2, 3, 4]), (0, [5, 6]), (None, [1])]
    for total, parts in networks:
        atoms = {t: j for j, t in enumerate(parts)}
        n_var = QUARTERS * len(parts) * 7

        def cell_vars(level: int, table: int, row: int, s: int | None = None, *,
                      total: int | None = total, parts: list[int] = parts,
                      atoms: dict[int, int] = atoms) -> list[int]:
            tables = parts if table == total else [table]
            bins = range(7) if s is None else [s]
            return [(q * len(parts) + atoms[t]) * 7 + b for q in _below(level, row)
                    for t in tables for b in bins]

        cells = [(lv, t, r) for lv in range(3) for t in ([total] if total is not None else [])
                 + parts for r in range(fam.counts[lv].shape[1])]
        for col in range(2):
            rows: list[int] = []
            cols: list[int] = []
            rhs: list[float] = []
            for lv, t, r in cells:
                if masks[lv][t, r, col]:
                    continue
                for s in range(7):
                    for v in cell_vars(lv, t, r, s):
                        rows.append(len(rhs))
                        cols.append(v)
                    rhs.append(float(fam.counts[lv][t, r, col, s]))
            a_eq = sparse.csr_matrix((np.ones(len(rows)), (rows, cols)),
                                     shape=(len(rhs), n_var))
            b_eq = np.array(rhs)
            for lv, t, r in cells:
                n = int(fam.counts[lv][t, r, col].sum())
                if not masks[lv][t, r, col] or not 0 < n < MIN_N:
                    continue
                n_vec = np.zeros(n_var)
                n_vec[cell_vars(lv, t, r)] = 1.0
                s_vec = np.zeros(n_var)
                for v in cell_vars(lv, t, r):
                    s_vec[v] = SCORES[v % 7]
                lo = linprog(n_vec, A_eq=a_eq, b_eq=b_eq, method="highs")
                hi = linprog(-n_vec, A_eq=a_eq, b_eq=b_eq, method="highs")
                assert lo.status == 0 and hi.status in (0, 3)
                n_hi = -hi.fun if hi.status == 0 else np.inf
                fixed = n_hi - lo.fun < 1e-6 and n_hi < MIN_N
                if col == 1:
                    bad = fixed
                else:
                    cc = sparse.vstack([sparse.hstack([a_eq, -b_eq[:, None]]),
                                        sparse.csr_matrix(np.append(n_vec, 0.0)[None, :])])
                    cc_rhs = np.append(np.zeros(len(rhs)), 1.0)
                    m = [linprog(sign * np.append(s_vec, 0.0), A_eq=cc, b_eq=cc_rhs,
                                 method="highs") for sign in (1, -1)]
                    assert m[0].status == 0 and m[1].status == 0
                    width = -m[1].fun - m[0].fun
                    bad = fixed or width < min(MIN_WIDTH, _span(fam, masks, lv, t, r, col,
                                                                  total)) - 1e-6
                if bad:
                    narrow.add((lv, t, r, col))
    return narrow


def _span(fam: Family, masks: list[np.ndarray], level: int, table: int, row: int, col: int,
          total: int | None) -> float:
    """Score range left by the shown cells containing the cell (same or enclosing area, its
    own table or the "all" table)."""
    present = np.ones(7, dtype=bool)
    tables = {table} if total is None else {table, total}
    while True:
        for t in tables:
            if not masks[level][t, row, col]:
                present &= fam.counts[level][t, row, col] > 0
        if level == 2:
            break
        row, level = int(PARENTS[level][row]), level + 1
    return float(np.ptp(SCORES[present])) if present.any() else 6.0


def _audit(fam: Family, masks: list[np.ndarray]) -> set[tuple[int, int, int, int]]:
    leaks = audit(fam.counts, masks, fam.parents, fam.groups,
                  np.full(len(KEYS), MIN_N), alone=[1], count_only=(1,))
    return {(x.level, x.table, x.row, x.column) for x in leaks}


SEEDS = range(8)  # each costs a few hundred small LPs


@functools.cache
def _checked(seed: int) -> tuple[Family, list[np.ndarray], set[tuple[int, int, int, int]]]:
    """A random family, its masks by the rules alone and what the LP narrows under them."""
    fam = _family(seed)
    rules = fam.masks(MIN_N, audit=False)
    return fam, rules, _lp_narrow(fam, rules)


@pytest.mark.parametrize("seed", SEEDS)
def test_the_audit_finds_exactly_the_cells_linear_programming_narrows(seed: int) -> None:
    fam, rules, narrow = _checked(seed)
    assert _audit(fam, rules) == narrow


@pytest.mark.parametrize("seed", SEEDS)
def test_protected_masks_leave_no_small_cell_narrow(seed: int) -> None:
    fam, rules, _ = _checked(seed)
    masks = fam.masks(MIN_N)
    for before, after in zip(rules, masks, strict=True):
        assert (after >= before).all()  # the audit only adds cells
    again = joint_suppress(fam.n, fam.parents, fam.groups, MIN_N, hidden=masks)
    assert all((a == b).all() for a, b in zip(again, masks, strict=True))  # rules still hold
    assert _lp_narrow(fam, masks) == set()


def test_the_random_families_do_leak_without_the_audit() -> None:
    """Otherwise the two tests above would prove nothing."""
    leaking = [seed for seed in SEEDS if _checked(seed)[2]]
    assert len(leaking) >= 2, leaking


def test_mean_range_is_the_extreme_of_every_histogram_in_the_box() -> None:
    rng = np.random.default_rng(7)
    for _ in range(200):
        lo = rng.integers(0, 2, 7)
        hi = lo + rng.integers(0, 2, 7) * (rng.random(7) < 0.5)
        grid = np.stack(np.meshgrid(*[np.arange(a, b + 1) for a, b in zip(lo, hi,
                                                                          strict=True)],
                                    indexing="ij"), axis=-1).reshape(-1, 7)
        grid = grid[grid.sum(axis=1) > 0]
        m_lo, m_hi = mean_range(lo[None], hi[None])
        if not grid.size:
            assert np.isnan(m_lo[0]) and np.isnan(m_hi[0])
            continue
        means = grid @ SCORES / grid.sum(axis=1)
        assert m_lo[0] == pytest.approx(means.min())
        assert m_hi[0] == pytest.approx(means.max())
