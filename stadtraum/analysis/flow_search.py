"""Two searches on small directed graphs, for the histogram audit (:mod:`bin_audit`).

Plain Python on adjacency lists: the graphs are one strongly connected component of one
score's residual network (a few hundred nodes), and each search runs for one cell, so
building a scipy matrix per call costs more than the search.
"""

from __future__ import annotations

__all__ = ["max_flow", "reaches"]


def reaches(succ: list[list[tuple[int, int]]], start: int, goal: int, skip: int,
             component: list[int]) -> bool:
    """Whether ``goal`` is reachable from ``start`` without the arcs of cell ``skip``; only
    nodes of their strongly connected component can be on such a path."""
    seen = {start}
    stack = [start]
    inside = component[start]
    while stack:
        for node, cell in succ[stack.pop()]:
            if node == goal and cell != skip:
                return True
            if cell != skip and node not in seen and component[node] == inside:
                seen.add(node)
                stack.append(node)
    return False


def max_flow(nodes: int, tails: list[int], heads: list[int], caps: list[int], source: int,
              sink: int, limit: int) -> int:
    """Edmonds-Karp on a small graph, stopping at ``limit`` (arc k and its reverse are
    2k and 2k + 1 of the residual arrays)."""
    if limit <= 0:
        return 0
    residual: list[int] = []
    to: list[int] = []
    out: list[list[int]] = [[] for _ in range(nodes)]
    for a, b, c in zip(tails, heads, caps, strict=True):
        out[a].append(len(to))
        to.append(b)
        residual.append(c)
        out[b].append(len(to))
        to.append(a)
        residual.append(0)
    total = 0
    while total < limit:
        via = [-1] * nodes
        via[source] = -2
        queue = [source]
        for node in queue:
            if node == sink:
                break
            for arc in out[node]:
                nxt = to[arc]
                if residual[arc] > 0 and via[nxt] == -1:
                    via[nxt] = arc
                    queue.append(nxt)
        if via[sink] == -1:
            break
        push, node = limit - total, sink
        while node != source:
            arc = via[node]
            push = min(push, residual[arc])
            node = to[arc ^ 1]
        node = sink
        while node != source:
            arc = via[node]
            residual[arc] -= push
            residual[arc ^ 1] += push
            node = to[arc ^ 1]
        total += push
    return total
