"""The audit's searches against scipy's own max-flow and BFS on random small graphs."""

from __future__ import annotations

import numpy as np
import pytest
from scipy.sparse import csr_array
from scipy.sparse.csgraph import breadth_first_order, maximum_flow

from stadtraum.analysis.flow_search import max_flow, reaches


def _graph(seed: int) -> tuple[int, list[int], list[int], list[int]]:
    rng = np.random.default_rng(seed)
    nodes = int(rng.integers(4, 12))
    arcs = int(rng.integers(nodes, 4 * nodes))
    tails = rng.integers(0, nodes, arcs)
    heads = rng.integers(0, nodes, arcs)
    keep = tails != heads
    caps = rng.integers(0, 5, arcs)
    return nodes, tails[keep].tolist(), heads[keep].tolist(), caps[keep].tolist()


@pytest.mark.parametrize("seed", range(30))
def test_max_flow_matches_scipy_and_stops_at_the_limit(seed: int) -> None:
    nodes, tails, heads, caps = _graph(seed)
    graph = csr_array((np.asarray(caps, dtype=np.int32), (tails, heads)),
                      shape=(nodes, nodes))  # parallel arcs add up, as in ours
    for source, sink in ((0, nodes - 1), (1, 0)):
        expected = maximum_flow(graph, source, sink).flow_value
        assert max_flow(nodes, tails, heads, caps, source, sink, 1000) == expected
        assert max_flow(nodes, tails, heads, caps, source, sink, 1) == min(1, expected)


@pytest.mark.parametrize("seed", range(30))
def test_reaches_matches_a_breadth_first_search_without_the_skipped_cell(seed: int) -> None:
    nodes, tails, heads, _ = _graph(seed)
    cells = list(range(len(tails)))
    skip = seed % max(1, len(tails))
    succ: list[list[tuple[int, int]]] = [[] for _ in range(nodes)]
    for a, b, c in zip(tails, heads, cells, strict=True):
        succ[a].append((b, c))
    kept = [i for i in cells if i != skip]
    graph = csr_array((np.ones(len(kept)), ([tails[i] for i in kept], [heads[i] for i in kept])),
                      shape=(nodes, nodes))
    one_component = [0] * nodes
    for start in range(nodes):
        found = set(breadth_first_order(graph, start, return_predecessors=False).tolist())
        for goal in range(nodes):
            if goal != start:
                assert reaches(succ, start, goal, skip, one_component) == (goal in found)
