"""Joint suppression over the area hierarchy and the filter categories (issue 10, item 1).

Pure numpy; True in a mask means *suppressed*. :mod:`stadtraum.analysis.view_tables`
builds and solves the family of a campaign; :mod:`results` reads every view from it.

A **family** is every table one criterion can be viewed in under the exact method: the
"all" table and, per dimension (age band, gender, relation, mode, month, …), one table per
category ("keine Angabe" is a category). Every table holds n per area at every level of the
hierarchy. The tables are stacked: ``n_levels[l]`` has shape ``(T, A_l, C)`` (table, area of
level l, criterion — the criteria are independent and solved side by side); the last level
is the city, ``(T, 1, C)``. ``parents[l]`` maps each area of level l to its row in l + 1.
``groups`` lists the additive equations between tables: ``(total, parts)`` means, per
level, area and criterion, ``table[total] = sum(table[p] for p in parts)``.

The **equations** covered, each per criterion:

* *levels*: in every table, parent = sum of its children, at every level up to the city;
* *categories → "all"*: for every dimension, the sum of its category tables is "all";
* *months → campaign*: the month tables are one more dimension (the view's period is the
  whole campaign or one calendar month);
* *campaigns → union*: in a family of several campaigns (see
  :func:`stadtraum.analysis.joint_family.union_family`) every union table is the sum of the
  campaigns' tables of the same key, and each campaign keeps its own equations.

The **rules**, applied to every equation together until nothing changes (fixed point):

1. *Primary*: every cell with ``n < min_n`` is suppressed — ``n == 0`` included, as in
   :mod:`suppression`: an empty cell shows "zu wenige Antworten" like any small cell. Empty
   cells carry no data: they neither need nor give protection (below, "data cell" means
   ``n > 0``).
2. *Area equations* (parent = sum of children): the hidden data parts are none, or at
   least two whose combined n is ``>= min_n`` — under a shown total, and under a hidden one
   too, because a hidden total may be known from elsewhere (the level above) and then
   "total minus visible parts" gives the hidden ones. Otherwise the visible data part with
   the smallest n is hidden (ties: the lower child row); if there is none and the total is
   shown, the total is hidden.
3. *Hidden totals*: a hidden area total with data needs at least one hidden data part, or it
   is the sum of the shown ones (the "hidden parent" rule of :mod:`suppression`).
4. *Table equations* (``groups``: categories → "all", months → campaign, campaigns →
   union): the data parts are hidden all or none, and all of them when the total is hidden.
   So "total − shown parts" is always 0 or the total itself; without this rule, "district
   all − its shown genders" minus the same for one of its quarters isolated the other
   quarters' hidden genders (each equation held, the two together did not). Where the
   hidden parts are one, or fewer than ``min_n`` together, under a shown total, the total
   is hidden (a single data part equals its total).

``min_n`` is one number or one per table (campaigns with different minimum cell sizes in one
family): a cell's primary rule uses its table's value, and an equation's rule 2 the value of
its total's table (a union table takes the largest of its campaigns').

The "all" table is one table shared by every dimension, so a cell hidden because of one
dimension's equation constrains the others; the fixed point settles all of them. Each round
applies rules 2 to 4 to every equation at once and only ever adds cells, so the result is
deterministic and the loop ends (at most once per cell). The rules bound what *one*
equation reveals; chains of equations (linear programming on the full histograms) are
checked by :mod:`bin_audit`, which :meth:`joint_family.Family.masks` runs after the rules,
and by the attack harness.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

__all__ = ["Equations", "build_equations", "joint_suppress"]

_NONE = np.iinfo(np.int64).max
Group = tuple[int, Sequence[int]]


@dataclass(frozen=True)
class Equations:
    """All equations of a family over the flat vector of its cells (every level's
    ``(T, A_l, C)`` array raveled, bottom level first). Parts are sorted by equation, then by
    position; ``starts`` indexes the first part of each equation."""

    shapes: tuple[tuple[int, int, int], ...]
    total: np.ndarray  # (E,) cell of each equation's total
    part: np.ndarray  # (P,) cell of each part
    eq: np.ndarray  # (P,) equation of each part
    pos: np.ndarray  # (P,) position of the part in its equation (tie-break)
    starts: np.ndarray  # (E,)
    block: np.ndarray  # (E,) bool: a table equation (categories, months, campaigns)

    def flat(self, arrays: Sequence[np.ndarray]) -> np.ndarray:
        return np.concatenate([np.asarray(a).ravel() for a in arrays])

    def split(self, flat: np.ndarray) -> list[np.ndarray]:
        out, at = [], 0
        for shape in self.shapes:
            size = int(np.prod(shape))
            out.append(flat[at: at + size].reshape(shape))
            at += size
        return out


def _validated(n_levels: Sequence[np.ndarray], parents: Sequence[np.ndarray],
               groups: Sequence[Group]) -> list[np.ndarray]:
    if not n_levels:
        raise ValueError("n_levels must contain at least the top level")
    if len(parents) != len(n_levels) - 1:
        raise ValueError(f"need {len(n_levels) - 1} parent maps, got {len(parents)}")
    ns: list[np.ndarray] = []
    for k, level in enumerate(n_levels):
        n = np.asarray(level)
        if n.ndim != 3 or (ns and n.shape[0::2] != ns[0].shape[0::2]):
            raise ValueError(f"n_levels[{k}] must have shape (tables, areas, criteria) like "
                             f"level 0, got {n.shape}")
        if n.size and (n.dtype.kind not in "iu" or n.min() < 0):
            raise ValueError(f"n_levels[{k}] must be non-negative integers")
        ns.append(n.astype(np.int64, copy=False))
    for k, p in enumerate(parents):
        p = np.asarray(p)
        if p.shape != (ns[k].shape[1],) or (p.size and (p.min() < 0
                                                         or p.max() >= ns[k + 1].shape[1])):
            raise ValueError(f"parents[{k}] must map the {ns[k].shape[1]} areas of level {k} "
                             f"to rows of level {k + 1}")
    n_tables = ns[0].shape[0]
    for total, parts in groups:
        members = [int(total), *(int(p) for p in parts)]
        if len(set(members)) != len(members) or min(members) < 0 \
                or max(members) >= n_tables:
            raise ValueError(f"group ({total}, {tuple(parts)}) must name distinct tables "
                             f"in [0, {n_tables})")
    return ns


def build_equations(n_levels: Sequence[np.ndarray], parents: Sequence[np.ndarray],
                    groups: Sequence[Group]) -> Equations:
    """The equations of a family (see the module docstring); validates the shapes."""
    ns = _validated(n_levels, parents, groups)
    shapes = tuple((int(n.shape[0]), int(n.shape[1]), int(n.shape[2])) for n in ns)
    offsets = np.cumsum([0] + [int(np.prod(s)) for s in shapes])
    n_tables, n_crit = shapes[0][0], shapes[0][2]
    raw_eq: list[np.ndarray] = []
    level_equations = 0
    total_of: list[np.ndarray] = []
    part: list[np.ndarray] = []
    pos: list[np.ndarray] = []
    eq_base = 0
    crit = np.arange(n_crit)
    for k, parent in enumerate(parents):  # levels: parent = sum of children, every table
        areas, above = shapes[k][1], shapes[k + 1][1]
        t, a, c = (g.ravel() for g in np.meshgrid(np.arange(n_tables), np.arange(areas), crit,
                                                   indexing="ij"))
        p = np.asarray(parent, dtype=np.int64)[a]
        raw_eq.append(eq_base + (t * above + p) * n_crit + c)
        total_of.append(offsets[k + 1] + (t * above + p) * n_crit + c)
        part.append(offsets[k] + (t * areas + a) * n_crit + c)
        pos.append(a)
        eq_base += n_tables * above * n_crit
    level_equations = eq_base
    for total, members in groups:  # tables: total = sum of parts, every level and area
        members_arr = np.asarray([int(m) for m in members], dtype=np.int64)
        if members_arr.size == 0:
            continue
        for k, (_, areas, _) in enumerate(shapes):
            j, a, c = (g.ravel() for g in np.meshgrid(np.arange(members_arr.size),
                                                       np.arange(areas), crit, indexing="ij"))
            raw_eq.append(eq_base + a * n_crit + c)
            total_of.append(offsets[k] + (int(total) * areas + a) * n_crit + c)
            part.append(offsets[k] + (members_arr[j] * areas + a) * n_crit + c)
            pos.append(j)
            eq_base += areas * n_crit
    if not raw_eq:
        empty = np.zeros(0, dtype=np.int64)
        return Equations(shapes, empty, empty, empty, empty, empty, np.zeros(0, dtype=bool))
    eq_all, tot_all = np.concatenate(raw_eq), np.concatenate(total_of)
    part_all, pos_all = np.concatenate(part), np.concatenate(pos)
    order = np.lexsort((pos_all, eq_all))
    eq_all, tot_all, part_all, pos_all = (x[order] for x in (eq_all, tot_all, part_all, pos_all))
    first = np.flatnonzero(np.r_[True, eq_all[1:] != eq_all[:-1]])
    eq_index = np.cumsum(np.r_[False, eq_all[1:] != eq_all[:-1]])
    return Equations(shapes, tot_all[first], part_all, eq_index, pos_all, first,
                     eq_all[first] >= level_equations)


def _min_n_per_table(min_n: int | Sequence[int] | np.ndarray, n_tables: int) -> np.ndarray:
    values = np.atleast_1d(np.asarray(min_n))
    if values.ndim != 1 or values.size not in (1, n_tables):
        raise ValueError(f"min_n must be one integer or one per table ({n_tables})")
    if values.dtype.kind not in "iu" or values.min() < 1:
        raise ValueError(f"min_n must be integers >= 1, got {min_n!r}")
    return np.broadcast_to(values.astype(np.int64), (n_tables,))


def joint_suppress(n_levels: Sequence[np.ndarray], parents: Sequence[np.ndarray],
                   groups: Sequence[Group], min_n: int | Sequence[int] | np.ndarray, *,
                   hidden: Sequence[np.ndarray] | None = None,
                   equations: Equations | None = None) -> list[np.ndarray]:
    """Suppression masks, one ``(T, A_l, C)`` bool array per level (see the module docstring).

    ``hidden`` (optional, same shapes) are cells to suppress in any case, e.g. a previous
    result; the result contains them. ``equations`` may be passed when
    :func:`build_equations` was already called for the same shapes, parents and groups.
    """
    if isinstance(min_n, bool) or (isinstance(min_n, int | float) and int(min_n) != min_n):
        raise ValueError(f"min_n must be an integer >= 1, got {min_n!r}")
    eqs = equations if equations is not None else build_equations(n_levels, parents, groups)
    per_table = _min_n_per_table(min_n, eqs.shapes[0][0] if eqs.shapes else 1)
    limit = eqs.flat([np.broadcast_to(per_table[:, None, None], shape)
                      for shape in eqs.shapes])
    n = eqs.flat([np.asarray(x, dtype=np.int64) for x in n_levels])
    mask = n < limit
    if hidden is not None:
        mask |= eqs.flat([np.asarray(h, dtype=bool) for h in hidden])
    _fixed_point(n, mask, eqs, limit)
    return eqs.split(mask)


def _fixed_point(n: np.ndarray, hidden: np.ndarray, eqs: Equations,
                 min_n: int | np.ndarray) -> int:
    """Rules 2 to 4 on every equation at once, repeated until nothing changes; in place.
    ``min_n``: one value, or one per cell (an equation uses its total's).
    Returns the number of rounds that changed something."""
    rounds = 0
    if eqs.total.size == 0:
        return rounds
    data = n > 0
    part_n = n[eqs.part]
    part_data = data[eqs.part]
    key = part_n * (int(eqs.pos.max(initial=0)) + 1) + eqs.pos  # unique within an equation
    total_data = data[eqs.total]
    eq_min_n = np.asarray(min_n)[eqs.total] if np.ndim(min_n) else min_n
    block, level = eqs.block, ~eqs.block
    while True:
        part_hidden = hidden[eqs.part]
        hidden_data = part_hidden & part_data
        visible_data = part_data & ~part_hidden
        count = np.add.reduceat(hidden_data.astype(np.int64), eqs.starts)
        visible = np.add.reduceat(visible_data.astype(np.int64), eqs.starts)
        combined = np.add.reduceat(np.where(hidden_data, part_n, 0), eqs.starts)
        best = np.minimum.reduceat(np.where(visible_data, key, _NONE), eqs.starts)
        total_hidden = hidden[eqs.total]
        weak = (count > 0) & ((count < 2) | (combined < eq_min_n))
        # rule 4 (tables): a hidden data part, or a hidden total, hides every data part
        spread = block & (visible > 0) & ((count > 0) | (total_hidden & total_data))
        # rules 2 and 3 (areas): a partner for a weak group, under a shown total and under a
        # hidden one too (a hidden total may be known from elsewhere, e.g. the level above,
        # and then "total - shown parts" gives the hidden ones); a hidden total with data also
        # needs a hidden part, or it is the sum of the shown ones
        pick = level & (visible > 0) & (weak | (total_hidden & total_data & (count == 0)))
        # nothing left to hide among the parts: a shown total goes
        drop = ~total_hidden & weak & (visible == 0)
        if not (spread.any() or pick.any() or drop.any()):
            return rounds
        rounds += 1
        chosen = (spread[eqs.eq] & visible_data) | (pick[eqs.eq] & (key == best[eqs.eq]))
        hidden[eqs.part[chosen]] = True
        hidden[eqs.total[drop]] = True
