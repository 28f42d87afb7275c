"""Confidentiality of published cells (DESIGN §3.3): primary and secondary suppression.

The unit is the cell (area, criterion) under the active filters; its ``n`` is the number of
respondents who rated that criterion. Pure numpy; True in a mask means *suppressed*.

Rules implemented by :func:`suppress_hierarchy`, for levels ordered bottom-up (e.g.
Quartier → statistischer Bezirk → Stadtbezirk → Stadt):

1. **Primary**: every cell with ``n < min_n`` is suppressed, at every level (``n == 0``
   included: an empty cell shows "zu wenige Antworten" like any other small cell).
2. **Secondary** (bottom-up, level by level up to the city): for each parent row that is
   *published* and each criterion, the suppressed children that carry data (``n > 0``) are
   either none, or at least two whose combined ``n >= min_n`` — so no hidden value follows
   from "parent minus visible siblings". Where this fails, further children are
   suppressed, smallest ``n`` first, ties by lower row index. Empty hidden children
   (``n == 0``) are not counted as partners: "parent minus visible siblings = 0" only
   reveals that a cell is empty, and an empty partner would not protect anything. If the
   children alone cannot satisfy the rule (only possible when a parent's ``n`` exceeds the
   sum of its children's), the parent is suppressed instead; that makes the constraint
   moot and is then handled one level up like any other suppressed cell. Suppression only
   ever adds cells, so a change at level k+1 never un-suppresses a cell at level k, and it
   cannot invalidate level k either (a newly suppressed parent only makes its children's
   constraint moot); one bottom-up pass therefore suffices.
3. **Hidden parents** (``protect_hidden_parents=True``, the default; an addition to the
   letter of §3.3): a suppressed parent whose children with data are all visible could be
   rebuilt as the sum of its children (n, and the mean as the n-weighted mean) whenever a
   table shows two levels at once, and then the sibling it protects follows after all.
   So, top-down, every suppressed parent with data-carrying children gets at least one
   suppressed data-carrying child (the smallest ``n``, ties by index). After both passes,
   every equation "parent = sum of children" (per criterion) contains zero or at least
   two hidden data-carrying cells. This only triggers where secondary suppression already
   happened; it never hides anything when primary suppression alone satisfies rule 2.

The overall index of an area (mean of published criterion means) is suppressed separately
by :func:`index_suppressed`. When campaigns are combined, :func:`effective_min_n` applies.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

__all__ = ["effective_min_n", "index_suppressed", "suppress_hierarchy", "suppressed_text"]

_NONE = np.iinfo(np.int64).max


def effective_min_n(min_ns: Sequence[int]) -> int:
    """The minimum cell size that applies to combined campaigns: the largest of them."""
    values = [int(m) for m in min_ns]
    if not values:
        raise ValueError("at least one min_n is needed")
    if min(values) < 1:
        raise ValueError(f"min_n must be >= 1, got {min(values)}")
    return max(values)


def index_suppressed(respondents: np.ndarray, min_n: int) -> np.ndarray:
    """True where an area's overall index is suppressed: fewer than ``min_n`` respondents
    rated the area at all (any criterion). ``respondents`` has any shape, e.g. ``(A,)``.
    """
    _check_min_n(min_n)
    return np.asarray(respondents) < min_n


def suppress_hierarchy(
    n_levels: list[np.ndarray],
    parent_levels: list[np.ndarray],
    min_n: int,
    *,
    protect_hidden_parents: bool = True,
) -> list[np.ndarray]:
    """Suppression masks (True = suppressed) for a hierarchy of areas, per level.

    ``n_levels[k]`` is the integer n per (area, criterion) of level k, shape ``(A_k, C)``,
    bottom level first; the last entry is the root (the city), shape ``(1, C)``.
    ``parent_levels[k]`` (one fewer entry) is an integer array of shape ``(A_k,)`` that maps
    each row of level k to its row in level k + 1. Returns one new boolean array per level,
    shaped like ``n_levels[k]``; the inputs are not modified. See the module docstring for
    the rules. Every level is a complete partition: each row of level k has exactly one
    parent. A single level (no parents) gets primary suppression only.
    """
    _check_min_n(min_n)
    ns, parents = _validated(n_levels, parent_levels)
    masks = [n < min_n for n in ns]
    for k in range(len(parents)):
        _secondary(ns[k], masks[k], parents[k], masks[k + 1], min_n)
    if protect_hidden_parents:
        for k in reversed(range(len(parents))):
            _hidden_parents(ns[k], masks[k], parents[k], masks[k + 1])
    return masks


def _check_min_n(min_n: int) -> None:
    if isinstance(min_n, bool) or int(min_n) != min_n or min_n < 1:
        raise ValueError(f"min_n must be an integer >= 1, got {min_n!r}")


def _validated(
    n_levels: list[np.ndarray], parent_levels: list[np.ndarray]
) -> tuple[list[np.ndarray], list[np.ndarray]]:
    if not n_levels:
        raise ValueError("n_levels must contain at least the root level")
    if len(parent_levels) != len(n_levels) - 1:
        raise ValueError(
            f"need {len(n_levels) - 1} parent maps for {len(n_levels)} levels, "
            f"got {len(parent_levels)}"
        )
    ns: list[np.ndarray] = []
    for k, level in enumerate(n_levels):
        n = np.asarray(level)
        if n.ndim != 2:
            raise ValueError(f"n_levels[{k}] must have shape (areas, criteria), got {n.shape}")
        if n.size and n.dtype.kind not in "iu":
            raise ValueError(f"n_levels[{k}] must be integer, got dtype {n.dtype}")
        if n.size and n.min() < 0:
            raise ValueError(f"n_levels[{k}] must not be negative")
        if ns and n.shape[1] != ns[0].shape[1]:
            raise ValueError(f"n_levels[{k}] has {n.shape[1]} criteria, expected {ns[0].shape[1]}")
        ns.append(n.astype(np.int64, copy=False))
    parents: list[np.ndarray] = []
    for k, pmap in enumerate(parent_levels):
        p = np.asarray(pmap)
        rows, n_parents = ns[k].shape[0], ns[k + 1].shape[0]
        if p.shape != (rows,):
            raise ValueError(f"parent_levels[{k}] must have shape ({rows},), got {p.shape}")
        if rows and p.dtype.kind not in "iu":
            raise ValueError(f"parent_levels[{k}] must be integer, got dtype {p.dtype}")
        if rows and (p.min() < 0 or p.max() >= n_parents):
            raise ValueError(f"parent_levels[{k}] values must lie in [0, {n_parents})")
        parents.append(p.astype(np.intp, copy=False))
    return ns, parents


def _per_parent(values: np.ndarray, parent: np.ndarray, n_parents: int) -> np.ndarray:
    """Sum (A, C) child values into (P, C) parent rows."""
    out = np.zeros((n_parents, values.shape[1]), dtype=np.int64)
    np.add.at(out, parent, values)
    return out


def _smallest_child(
    n: np.ndarray, eligible: np.ndarray, parent: np.ndarray, n_parents: int
) -> np.ndarray:
    """Per (parent, criterion) the row of the eligible child with the smallest n (ties: the
    lower row); -1 where no child is eligible. Shape (P, C)."""
    rows = n.shape[0]
    key = np.where(eligible, n * rows + np.arange(rows)[:, None], _NONE)
    best = np.full((n_parents, n.shape[1]), _NONE, dtype=np.int64)
    np.minimum.at(best, parent, key)
    return np.where(best == _NONE, -1, best % max(rows, 1))


def _secondary(
    n: np.ndarray, hidden: np.ndarray, parent: np.ndarray, parent_hidden: np.ndarray, min_n: int
) -> None:
    """Rule 2 for one level, in place on ``hidden`` and ``parent_hidden``."""
    n_parents = parent_hidden.shape[0]
    while True:
        carrying = hidden & (n > 0)
        count = _per_parent(carrying.astype(np.int64), parent, n_parents)
        total = _per_parent(np.where(carrying, n, 0), parent, n_parents)
        need = ~parent_hidden & (count > 0) & ((count < 2) | (total < min_n))
        if not need.any():
            return
        best = _smallest_child(n, ~hidden & (n > 0), parent, n_parents)
        p_rows, cols = np.nonzero(need)
        child = best[p_rows, cols]
        found = child >= 0
        hidden[child[found], cols[found]] = True
        parent_hidden[p_rows[~found], cols[~found]] = True


def _hidden_parents(
    n: np.ndarray, hidden: np.ndarray, parent: np.ndarray, parent_hidden: np.ndarray
) -> None:
    """Rule 3 for one level, in place on ``hidden``."""
    n_parents = parent_hidden.shape[0]
    carrying = (hidden & (n > 0)).astype(np.int64)
    count = _per_parent(carrying, parent, n_parents)
    need = parent_hidden & (count == 0)
    if not need.any():
        return
    best = _smallest_child(n, ~hidden & (n > 0), parent, n_parents)
    p_rows, cols = np.nonzero(need)
    child = best[p_rows, cols]
    found = child >= 0  # no data-carrying child: nothing to protect
    hidden[child[found], cols[found]] = True


def suppressed_text(min_n: int, lang: str = "de") -> str:
    """``zu wenige Antworten (n < 5)``: the note for a suppressed area (DESIGN §3.3)."""
    if lang == "en":
        return f"too few responses (n < {min_n})"
    return f"zu wenige Antworten (n < {min_n})"
