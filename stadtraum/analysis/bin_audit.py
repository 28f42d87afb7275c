"""The histogram audit of a solved family: no small hidden cell narrowed by all shown cells.

:mod:`joint_suppression` bounds what *one* equation reveals. An attacker who treats every
shown cell as its full 7-bin histogram can also chain the equations of one characteristic
(linear programming, as the attack harness does): per score, every shown cell of the
"all" table and of each category table, at every level, is an equation on the unknown
histograms of the (bottom area, category) atoms. The equations of different scores share no
unknown, so what the attacker can learn of a hidden cell is a *box*: per score s an interval
``[lo_s, hi_s]`` for the cell's count. Its respondents lie in ``[Σ lo, Σ hi]`` and its mean
between the extremes of a linear-fractional function over the box (a sweep over 7
thresholds). A hidden cell with data and ``n < min_n`` is *narrow* when its mean interval
is less than one rating point wide — or less than the score range of the shown cells that
contain it, when that is smaller (everybody there rated 4 or 5: no suppression can hide
that) — or when its n is pinned below min_n.

Per score and characteristic the equations form a network: a source, the "all" table's
area tree below it, each atom an arc from its bottom area into its category's tree, the
category trees up to the city and back to the source. A cell is an arc; a shown cell's flow
is fixed, a hidden cell's is free (>= 0). The true histograms are a feasible flow, so a
hidden cell can grow (shrink) exactly by the largest flow that can be pushed around a cycle
through it in the residual network: free arcs forward without limit, backward up to their
true count. Two steps:

1. *Inner box* (cheap, all cells and columns at once): a score in which the cell has
   nobody can take one more if both ends of its arc are in one strongly connected
   component of the residual network (then a cycle through the arc exists); a score in
   which it has somebody, one less or one more if a search without the cell's own arcs
   finds such a cycle. This box lies inside the attacker's, so a cell wide on it is wide.
2. *Exact box* (only for the cells that step 1 could not clear): max-flow in the residual
   network without the cell's own arcs, both ways, per score (:mod:`flow_search`).

A narrow cell is a *leak*; :meth:`joint_family.Family.masks` hides the smallest shown
data cell of one of the leaking cell's two equations (then the rules of
:mod:`joint_suppression` run again) until no cell is narrow. Focus groups (outside every
category equation) are a network of their own (their atoms hang from the source). Pure
numpy and scipy.
"""

from __future__ import annotations

import functools
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from scipy.sparse import csr_array
from scipy.sparse.csgraph import connected_components

from stadtraum.analysis.flow_search import max_flow, reaches

__all__ = ["MIN_WIDTH", "Leak", "audit", "mean_range"]

MIN_WIDTH = 1.0  # rating points a small hidden cell's mean interval must span
SCORES = np.arange(1, 8, dtype=np.float64)
_EPS = 1e-9
_CAP = 64  # growth counted per score up to this many (far beyond any small cell's n)
_Arcs = tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]  # tail, head, cell, capacity


@dataclass(frozen=True)
class Leak:
    """A small hidden cell the shown cells narrow: ``level``, ``table``, ``row``, ``column``
    of the family, with the interval the attacker gets for its mean and n."""

    level: int
    table: int
    row: int
    column: int
    mean: tuple[float, float]
    n: tuple[float, float]
    partner: tuple[int, int, int] | None  # (level, table, row) to hide next, same column


@dataclass(frozen=True)
class _Network:
    """The arcs of one characteristic's network, one per cell: ``tail → head``, and the
    cell's ``level``, ``table`` and ``row`` in the family."""

    nodes: int
    total: int | None  # the "all" table (None: a table in no equation, e.g. focus groups)
    tail: np.ndarray
    head: np.ndarray
    level: np.ndarray
    table: np.ndarray
    row: np.ndarray


def _network(sizes: Sequence[int], parents: Sequence[np.ndarray], total: int | None,
             parts: Sequence[int]) -> _Network:
    """Node 0 is the source; then the "all" tree's nodes (one per area and level), then per
    part one node per area of every level above the bottom."""
    top = len(sizes) - 1
    offsets = np.cumsum([0, *sizes])
    a_base = 1
    c_base = a_base + (int(offsets[-1]) if total is not None else 0)
    above = int(offsets[-1] - offsets[1])  # part nodes: areas of levels 1..top

    def a_node(level: int, rows: np.ndarray) -> np.ndarray:
        return a_base + offsets[level] + rows

    def c_node(j: int, level: int, rows: np.ndarray) -> np.ndarray:
        return c_base + j * above + (offsets[level] - offsets[1]) + rows

    tails, heads, levels, tables, rows_out = [], [], [], [], []

    def add(tail: np.ndarray, head: np.ndarray, level: int, table: int) -> None:
        tails.append(tail)
        heads.append(head)
        levels.append(np.full(tail.size, level))
        tables.append(np.full(tail.size, table))
        rows_out.append(np.arange(tail.size))

    for level, size in enumerate(sizes):
        rows = np.arange(size)
        up = np.asarray(parents[level], dtype=np.int64) if level < top else None
        if total is not None:  # the "all" tree, top down
            tail = np.zeros(size, dtype=np.int64) if up is None else a_node(level + 1, up)
            add(tail, a_node(level, rows), level, total)
        for j, table in enumerate(parts):  # each part's tree, bottom up
            if level == 0:
                tail = a_node(0, rows) if total is not None else np.zeros(size, dtype=np.int64)
            else:
                tail = c_node(j, level, rows)
            head = np.zeros(size, dtype=np.int64) if up is None else c_node(j, level + 1, up)
            add(tail, head, level, table)
    return _Network(c_base + len(parts) * above, total, np.concatenate(tails),
                    np.concatenate(heads), np.concatenate(levels), np.concatenate(tables),
                    np.concatenate(rows_out))


def mean_range(lo: np.ndarray, hi: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Smallest and largest mean of histograms with counts ``c_s`` in ``[lo_s, hi_s]`` per
    score, ``lo`` and ``hi`` ``(K, 7)`` (``hi`` may be inf), at least one rating; nan where
    none is possible. The minimum puts the low scores at their upper and the high scores at
    their lower bound, at one of 8 thresholds (a linear-fractional function over a box is
    extreme at a vertex; sorting by score makes the best vertex a threshold); the maximum
    likewise."""
    lo = np.asarray(lo, dtype=np.float64)
    hi = np.minimum(np.asarray(hi, dtype=np.float64), 1e12)
    below = np.tri(8, 7, -1, dtype=bool)  # threshold k: scores 1..k at their upper bound
    out = []
    for upper, reduce in ((below, np.nanmin), (below[::-1, ::-1], np.nanmax)):
        pick = np.where(upper[None], hi[:, None, :], lo[:, None, :])  # (K, 8, 7)
        n = pick.sum(axis=2)
        with np.errstate(invalid="ignore", divide="ignore"):
            mean = np.where(n > _EPS, (pick @ SCORES) / np.where(n > _EPS, n, 1.0), np.nan)
        all_nan = np.isnan(mean).all(axis=1)
        mean[all_nan] = 0.0
        value = reduce(mean, axis=1)
        value[all_nan] = np.nan
        out.append(value)
    return out[0], out[1]


def _narrow(lo: np.ndarray, hi: np.ndarray, min_n: np.ndarray, width: np.ndarray,
            count_only: bool | np.ndarray) -> np.ndarray:
    """Per row of ``(K, 7)`` boxes: n pinned below ``min_n``, or (rating columns, where
    ``count_only`` is False for the row) a mean interval narrower than ``width``."""
    n_lo, n_hi = lo.sum(axis=1), hi.sum(axis=1)
    fixed = (n_hi - n_lo < _EPS) & (n_hi < min_n)
    m_lo, m_hi = mean_range(lo, hi)
    return fixed | (~np.asarray(count_only) & ~(m_hi - m_lo >= width - _EPS))


def audit(counts: Sequence[np.ndarray], masks: Sequence[np.ndarray],
          parents: Sequence[np.ndarray], groups: Sequence[tuple[int, Sequence[int]]],
          min_n: np.ndarray, *, alone: Sequence[int] = (),
          count_only: Sequence[int] = ()) -> list[Leak]:
    """Every small hidden cell with data that the shown cells narrow (module docstring).

    ``counts[l]`` ``(T, A_l, C, 7)``, ``masks[l]`` ``(T, A_l, C)`` (True = hidden),
    ``parents`` as in :func:`joint_suppression.joint_suppress`, ``groups`` the family's
    (total, parts) equations, ``min_n`` one per table; ``alone``: tables in no group (the
    focus groups), each a network of its own; ``count_only``: the columns whose only
    figure is n (the respondents: score 1 holds the count)."""
    sizes = [int(c.shape[1]) for c in counts]
    min_n = np.asarray(min_n, dtype=np.int64)
    leaks: list[Leak] = []
    networks: list[tuple[int | None, list[int]]] = [
        (int(t), [int(p) for p in parts]) for t, parts in groups]
    networks += [(None, [int(t)]) for t in alone]
    for total, parts in networks:
        net, chain = _structure(tuple(sizes), tuple(np.asarray(p, dtype=np.int64).tobytes()
                                                     for p in parents), total, tuple(parts))
        at = [net.level == lv for lv in range(len(sizes))]  # the arcs are level by level
        flow = np.concatenate([counts[lv][net.table[sel], net.row[sel]]
                               for lv, sel in enumerate(at)])  # (E, C, 7)
        hidden = np.concatenate([masks[lv][net.table[sel], net.row[sel]]
                                 for lv, sel in enumerate(at)])  # (E, C)
        n = flow.sum(axis=2)
        targets = hidden & (n > 0) & (n < min_n[net.table][:, None])
        columns = np.flatnonzero(targets.any(axis=0))
        if columns.size == 0:
            continue
        component = _components(net, flow[:, columns], hidden[:, columns])
        # step 1 for every small hidden data cell of every column at once
        cells, which = np.nonzero(targets[:, columns])
        col = columns[which]
        count = np.isin(col, np.asarray(count_only, dtype=np.int64))
        t = flow[cells, col].astype(np.float64)  # (K, 7)
        at_score = (which[:, None], np.arange(7)[None, :])  # (K, 7), no (K, 7, nodes) copy
        cycle = component[(*at_score, net.tail[cells][:, None])] \
            == component[(*at_score, net.head[cells][:, None])]
        cycle[count, 1:] = False  # the respondents: only score 1 holds the count
        lo, hi = t.copy(), t + (cycle & (t == 0))  # an empty score can take one more
        limit = min_n[net.table[cells]]
        width = _widths(chain, flow, hidden, cells, col)
        open_ = _narrow(lo, hi, limit, width, count)
        for k, c in enumerate(columns.tolist()):
            mine = np.flatnonzero(open_ & (which == k))
            if mine.size:
                leaks += _audit_column(net, flow[:, c], hidden[:, c], c, bool(c in count_only),
                                       component[k], cells[mine], lo[mine], hi[mine],
                                       limit[mine], width[mine])
    return leaks


@functools.lru_cache(maxsize=64)
def _structure(sizes: tuple[int, ...], parents: tuple[bytes, ...], total: int | None,
               parts: tuple[int, ...]) -> tuple[_Network, np.ndarray]:
    """A network and its containing-cell chains, kept per hierarchy and characteristic
    (they do not change with the data)."""
    maps = [np.frombuffer(p, dtype=np.int64) for p in parents]
    net = _network(sizes, maps, total, parts)
    return net, _containing(net, maps)


def _components(net: _Network, flow: np.ndarray, hidden: np.ndarray) -> np.ndarray:
    """Step 1's strongly connected components of the residual network of every column and
    score, ``(C, 7, nodes)``: all of them one graph for one call (column c's score s shifted
    by ``(7 c + s) * nodes``)."""
    e, c = np.nonzero(hidden)  # free arcs: forward in every score
    shift = (c[:, None] * 7 + np.arange(7)[None, :]) * net.nodes  # (F, 7)
    tail = (net.tail[e][:, None] + shift).ravel()
    head = (net.head[e][:, None] + shift).ravel()
    be, bc, bs = np.nonzero(hidden[:, :, None] & (flow > 0))  # backward where somebody is
    back = (bc * 7 + bs) * net.nodes
    tail = np.concatenate([tail, net.head[be] + back])
    head = np.concatenate([head, net.tail[be] + back])
    size = flow.shape[1] * 7 * net.nodes
    graph = csr_array((np.ones(tail.size, dtype=np.int8), (tail, head)), shape=(size, size))
    labels = connected_components(graph, directed=True, connection="strong")[1]
    return labels.reshape(flow.shape[1], 7, net.nodes)


def _containing(net: _Network, parents: Sequence[np.ndarray]) -> np.ndarray:
    """Per arc, the arcs of the cells that contain its cell — the same or an enclosing area,
    in its own table or the "all" table — as rows of an ``(E, K)`` array padded with -1."""
    index = {(int(lv), int(t), int(r)): e for e, (lv, t, r) in
             enumerate(zip(net.level, net.table, net.row, strict=True))}
    rows = []
    for lv, t, r in zip(net.level.tolist(), net.table.tolist(), net.row.tolist(),
                        strict=True):
        own = (t,) if net.total is None or t == net.total else (t, net.total)
        chain, level, row = [], lv, r
        while True:
            chain += [index[(level, x, row)] for x in own]
            if level >= len(parents):
                break
            row, level = int(parents[level][row]), level + 1
        rows.append(chain)
    width = max(len(c) for c in rows)
    return np.array([c + [-1] * (width - len(c)) for c in rows], dtype=np.int64)


def _residual(net: _Network, flow: np.ndarray, free: np.ndarray, s: int) -> _Arcs:
    """The residual arcs of score ``s``: every free (hidden) cell forward without limit
    (:data:`_CAP`), and backward up to its count where it holds somebody."""
    back = free[flow[free, s] > 0]
    return (np.concatenate([net.tail[free], net.head[back]]),
            np.concatenate([net.head[free], net.tail[back]]),
            np.concatenate([free, back]),
            np.concatenate([np.full(free.size, _CAP), flow[back, s]]))


def _widths(chain: np.ndarray, flow: np.ndarray, hidden: np.ndarray, cells: np.ndarray,
            cols: np.ndarray) -> np.ndarray:
    """Per cell (arc ``cells[k]`` in column ``cols[k]``), the width its mean interval must
    have: one point, or less when the shown cells that contain it leave a smaller score
    range."""
    links = chain[cells]  # (K, L)
    at = np.maximum(links, 0)
    usable = (links >= 0) & ~hidden[at, cols[:, None]]
    present = flow[at, cols[:, None]] > 0  # (K, L, 7)
    support = np.all(np.where(usable[..., None], present, True), axis=1)  # (K, 7)
    top = np.where(support, SCORES, -np.inf).max(axis=1)
    bottom = np.where(support, SCORES, np.inf).min(axis=1)
    span = np.where(support.any(axis=1), top - bottom, 6.0)
    return np.minimum(MIN_WIDTH, span)


def _audit_column(net: _Network, flow: np.ndarray, hidden: np.ndarray, col: int,
                  count_only: bool, component: np.ndarray, cells: np.ndarray, lo: np.ndarray,
                  hi: np.ndarray, limit: np.ndarray, width: np.ndarray) -> list[Leak]:
    """Steps 1b and 2 for the cells of one column that step 1 left narrow (``lo``, ``hi``
    their inner boxes); ``component`` ``(7, nodes)`` from :func:`_components`."""
    scores = 1 if count_only else 7
    component = component[:scores]
    n = flow.sum(axis=1)
    free = np.flatnonzero(hidden)
    arcs = [_residual(net, flow, free, s) for s in range(scores)]
    succ: list[list[list[tuple[int, int]]] | None] = [None] * scores
    labels = component.tolist()
    present_at = [np.flatnonzero(row).tolist() for row in flow[cells, :scores] > 0]
    for k, where in enumerate(present_at):  # step 1b: one less or more where it has some
        e = int(cells[k])
        u, v = int(net.tail[e]), int(net.head[e])
        for s in where:
            adjacency = succ[s]
            if adjacency is None:
                adjacency = [[] for _ in range(net.nodes)]
                for a, b, c in zip(*(x.tolist() for x in arcs[s][:3]), strict=True):
                    adjacency[a].append((b, c))
                succ[s] = adjacency
            lo[k, s] -= reaches(adjacency, u, v, e, labels[s])
            hi[k, s] += reaches(adjacency, v, u, e, labels[s])
    still = np.flatnonzero(_narrow(lo, hi, limit, width, count_only)).tolist()
    leaks = []
    for k in still:  # step 2: the exact box
        e = int(cells[k])
        lo[k], hi[k] = 0.0, 0.0
        lo[k, :scores], hi[k, :scores] = _exact(net, arcs, flow, e, component)
        if _narrow(lo[k:k + 1], hi[k:k + 1], limit[k:k + 1], width[k:k + 1], count_only)[0]:
            m_lo, m_hi = mean_range(lo[k:k + 1], hi[k:k + 1])
            leaks.append(Leak(int(net.level[e]), int(net.table[e]), int(net.row[e]), col,
                              (float(m_lo[0]), float(m_hi[0])),
                              (float(lo[k].sum()), float(hi[k].sum())),
                              _partner(net, n, hidden, e)))
    return leaks


def _partner(net: _Network, n: np.ndarray, hidden: np.ndarray,
             e: int) -> tuple[int, int, int] | None:
    """The shown data cell to hide for a leaking cell: the smallest of its two equations
    (the cells at either end of its arc; ties: the first arc), else the smallest shown data
    cell of the network."""
    u, v = net.tail[e], net.head[e]
    shown = ~hidden & (n > 0)
    near = shown & ((net.tail == u) | (net.head == u) | (net.tail == v) | (net.head == v))
    near[e] = False
    for pool in (near, shown):
        if pool.any():
            arc = int(np.flatnonzero(pool)[np.argmin(n[pool])])
            return int(net.level[arc]), int(net.table[arc]), int(net.row[arc])
    return None


def _exact(net: _Network, arcs: list[_Arcs],
           flow: np.ndarray, e: int, component: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The attacker's interval per score for arc ``e``: the max-flow from its head to its
    tail (growth) and from its tail to its head (shrinking) in the residual network without
    its own arcs. Every augmenting path stays in the strongly connected component of the
    arc's ends (the reverse arcs it adds are inside it), so only that component is built.
    Growth is counted up to :data:`_CAP` (an inner bound: a cell that is wide with it is
    wide); shrinking is exact (at most the cell's count)."""
    scores = len(arcs)
    lo, hi = np.empty(scores), np.empty(scores)
    u, v = int(net.tail[e]), int(net.head[e])
    for s, (tail, head, cell, cap) in enumerate(arcs):
        value = int(flow[e, s])
        inside = component[s][u]
        if component[s][v] != inside:
            lo[s], hi[s] = value, value  # no cycle through the arc (then value is 0)
            continue
        keep = (component[s][tail] == inside) & (component[s][head] == inside) & (cell != e)
        nodes, local = np.unique(np.concatenate([tail[keep], head[keep], [u, v]]),
                                 return_inverse=True)
        m = int(keep.sum())
        tails, heads = local[:m].tolist(), local[m: 2 * m].tolist()
        caps = cap[keep].tolist()
        lu, lv = int(local[-2]), int(local[-1])
        hi[s] = value + max_flow(nodes.size, tails, heads, caps, lv, lu, _CAP)
        lo[s] = value - max_flow(nodes.size, tails, heads, caps, lu, lv, value)
    return lo, hi
