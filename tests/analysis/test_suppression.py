"""Confidentiality: an independent checker, hand cases and properties of suppression."""

from __future__ import annotations

import itertools

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from stadtraum.analysis.suppression import effective_min_n, index_suppressed, suppress_hierarchy

PROPS = settings(max_examples=150, deadline=None)


def violations(
    ns: list[np.ndarray], parents: list[np.ndarray], masks: list[np.ndarray], min_n: int
) -> list[str]:
    """Independent check of DESIGN §3.3, by plain loops over parents and criteria.

    1. every cell with n < min_n is hidden (n == 0 included);
    2. for every PUBLISHED parent and criterion, the hidden children that carry data
       (n > 0) are none, or at least two with combined n >= min_n.
    (An empty hidden child reveals nothing, so it neither needs nor gives protection.)
    """
    found: list[str] = []
    for k, (n, mask) in enumerate(zip(ns, masks, strict=True)):
        assert mask.shape == n.shape and mask.dtype == np.bool_
        for row, col in zip(*np.nonzero((n < min_n) & ~mask), strict=True):
            found.append(
                f"level {k} cell ({row}, {col}) has n={n[row, col]} < {min_n} but is shown"
            )
    for k, parent in enumerate(parents):
        n, hidden, parent_hidden = ns[k], masks[k], masks[k + 1]
        for p in range(parent_hidden.shape[0]):
            children = [i for i in range(n.shape[0]) if parent[i] == p]
            for c in range(n.shape[1]):
                if parent_hidden[p, c]:
                    continue
                hidden_n = [int(n[i, c]) for i in children if hidden[i, c] and n[i, c] > 0]
                if hidden_n and (len(hidden_n) < 2 or sum(hidden_n) < min_n):
                    found.append(
                        f"level {k} parent {p} criterion {c} is shown with hidden children "
                        f"n={hidden_n}: parent minus visible siblings reveals them"
                    )
    return found


def hidden_parent_violations(
    ns: list[np.ndarray], parents: list[np.ndarray], masks: list[np.ndarray]
) -> list[str]:
    """Rule 3: a hidden parent with data-carrying children has a hidden one among them."""
    found = []
    for k, parent in enumerate(parents):
        n, hidden = ns[k], masks[k]
        for p, c in zip(*np.nonzero(masks[k + 1]), strict=True):
            kids = parent == p
            if (n[kids, c] > 0).any() and not (hidden[kids, c] & (n[kids, c] > 0)).any():
                found.append(f"level {k + 1} hidden cell ({p}, {c}) = sum of visible children")
    return found


def two_level(children: list[list[int]], parent: list[int]) -> tuple[list, list]:
    """Children n (A, C) under parents given by ``parent``, plus the consistent parent sums."""
    n0 = np.array(children, dtype=np.int64)
    p0 = np.array(parent, dtype=np.int64)
    n1 = np.zeros((p0.max() + 1, n0.shape[1]), dtype=np.int64)
    np.add.at(n1, p0, n0)
    return [n0, n1], [p0]


# --- the checker itself must be able to fail ----------------------------------------------


def test_checker_fails_on_a_single_hidden_child() -> None:
    ns, parents = two_level([[3], [10], [12]], [0, 0, 0])
    masks = [np.array([[True], [False], [False]]), np.array([[False]])]
    assert violations(ns, parents, masks, 5)


def test_checker_fails_on_two_hidden_children_below_min_n_under_a_shown_parent() -> None:
    ns, parents = two_level([[1], [2], [12]], [0, 0, 0])
    masks = [np.array([[True], [True], [False]]), np.array([[False]])]
    assert violations(ns, parents, masks, 5)
    # ... but not once the parent is hidden: its children's constraint is moot
    masks[1][0, 0] = True
    assert violations(ns, parents, masks, 5) == []


def test_checker_fails_on_a_small_cell_that_is_shown() -> None:
    ns, parents = two_level([[4], [10], [12]], [0, 0, 0])
    masks = [np.array([[False], [False], [False]]), np.array([[False]])]
    assert violations(ns, parents, masks, 5)


def test_hidden_parent_checker_fails_when_children_rebuild_the_parent() -> None:
    ns, parents = two_level([[10], [10]], [0, 0])
    masks = [np.array([[False], [False]]), np.array([[True]])]
    assert hidden_parent_violations(ns, parents, masks)


# --- hand cases ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("children", "min_n", "expected"),
    [
        ([3, 10, 12], 5, [1, 1, 0]),  # primary + the smallest sibling
        ([3, 10, 10], 5, [1, 1, 0]),  # tie -> lower index
        ([12, 10, 3], 5, [0, 1, 1]),
        ([1, 2, 9, 20], 5, [1, 1, 1, 0]),  # two hidden, combined 3 < 5 -> one more
        ([3, 4, 9], 5, [1, 1, 0]),  # two hidden, combined 7 >= 5 -> enough
        ([5, 6], 5, [0, 0]),  # nothing small
        ([0, 7, 8], 5, [1, 0, 0]),  # an empty cell needs no partner
        ([0, 3, 8, 9], 5, [1, 1, 1, 0]),  # ... and is no partner
        ([1, 2], 5, [1, 1]),  # parent has n=3 < 5: hidden itself, children moot
        ([4, 9], 1, [0, 0]),  # min_n = 1 hides only empty cells
    ],
)
def test_secondary_suppression_hand_cases(
    children: list[int], min_n: int, expected: list[int]
) -> None:
    ns, parents = two_level([[c] for c in children], [0] * len(children))
    masks = suppress_hierarchy(ns, parents, min_n)
    assert masks[0][:, 0].astype(int).tolist() == expected
    assert violations(ns, parents, masks, min_n) == []


def test_criteria_are_independent_columns() -> None:
    ns, parents = two_level([[3, 10], [10, 3], [12, 12]], [0, 0, 0])
    masks = suppress_hierarchy(ns, parents, 5)
    assert masks[0].astype(int).tolist() == [[1, 1], [1, 1], [0, 0]]
    ns, parents = two_level([[3, 10], [10, 10], [12, 12]], [0, 0, 0])
    assert suppress_hierarchy(ns, parents, 5)[0].astype(int).tolist() == [[1, 0], [1, 0], [0, 0]]


def city(quarters: list[int], district_of: list[int]) -> tuple[list, list]:
    """Quarters -> districts -> city (one criterion), consistent sums."""
    n0 = np.array([[q] for q in quarters], dtype=np.int64)
    p0 = np.array(district_of, dtype=np.int64)
    n1 = np.zeros((p0.max() + 1, 1), dtype=np.int64)
    np.add.at(n1, p0, n0)
    n2 = n1.sum(axis=0, keepdims=True)
    return [n0, n1, n2], [p0, np.zeros(n1.shape[0], dtype=np.int64)]


def test_three_levels_secondary_inside_one_district_only() -> None:
    ns, parents = city([3, 10, 20, 30], [0, 0, 1, 1])
    masks = suppress_hierarchy(ns, parents, 5)
    assert [m[:, 0].astype(int).tolist() for m in masks] == [[1, 1, 0, 0], [0, 0], [0]]


@pytest.mark.parametrize(
    ("protect", "quarters_hidden"),
    [(True, [1, 1, 0, 0, 0]), (False, [1, 0, 0, 0, 0])],
)
def test_district_hidden_secondarily_protects_one_of_its_quarters(
    protect: bool, quarters_hidden: list[int]
) -> None:
    # district 0 (n=4) is small; district 1 (n=20) is its partner in the city; without rule 3
    # district 1 = 10 + 10 from its visible quarters, and district 0 = city - 1 - 2.
    ns, parents = city([4, 10, 10, 15, 15], [0, 1, 1, 2, 2])
    masks = suppress_hierarchy(ns, parents, 5, protect_hidden_parents=protect)
    assert masks[1][:, 0].astype(int).tolist() == [1, 1, 0]
    assert masks[0][:, 0].astype(int).tolist() == quarters_hidden
    assert violations(ns, parents, masks, 5) == []
    assert (hidden_parent_violations(ns, parents, masks) == []) is protect


def test_parent_with_more_respondents_than_its_children_is_hidden_when_needed() -> None:
    # inconsistent input: district 0 has n=10 but its only quarter n=3 -> cannot pair the
    # quarter with a sibling, so the district is hidden (and paired in the city in turn)
    ns = [np.array([[3], [20]]), np.array([[10], [20]]), np.array([[30]])]
    parents = [np.array([0, 1]), np.array([0, 0])]
    masks = suppress_hierarchy(ns, parents, 5)
    assert [m[:, 0].tolist() for m in masks] == [[True, True], [True, True], [False]]
    assert violations(ns, parents, masks, 5) == []


def test_inputs_are_not_modified_and_single_level_is_primary_only() -> None:
    n = np.array([[3, 7]])
    masks = suppress_hierarchy([n], [], 5)
    assert masks[0].tolist() == [[True, False]] and n.tolist() == [[3, 7]]


@pytest.mark.parametrize(
    ("n_levels", "parent_levels", "min_n"),
    [
        ([np.array([[1]]), np.array([[1]])], [], 5),  # missing parent map
        ([np.array([[1], [2]]), np.array([[3]])], [np.array([0, 1])], 5),  # out of range
        ([np.array([[1, 2]]), np.array([[1]])], [np.array([0])], 5),  # criteria differ
        ([np.array([[-1]])], [], 5),
        ([np.array([[1]])], [], 0),
    ],
)
def test_bad_input_is_refused(
    n_levels: list[np.ndarray], parent_levels: list[np.ndarray], min_n: int
) -> None:
    with pytest.raises(ValueError):
        suppress_hierarchy(n_levels, parent_levels, min_n)


def test_index_suppressed_and_effective_min_n() -> None:
    assert index_suppressed(np.array([0, 4, 5, 30]), 5).tolist() == [True, True, False, False]
    assert effective_min_n([5, 10, 3]) == 10
    assert effective_min_n([5]) == 5
    for bad in ([], [0, 5]):
        with pytest.raises(ValueError):
            effective_min_n(bad)


# --- properties ----------------------------------------------------------------------------


@st.composite
def hierarchies(draw: st.DrawFn, consistent: bool = True) -> tuple[list, list, int]:
    """Random 3-level hierarchy plus the city root: quarters -> districts -> boroughs -> 1."""
    sizes = [draw(st.integers(1, 25)), draw(st.integers(1, 8)), draw(st.integers(1, 4)), 1]
    n_crit = draw(st.integers(1, 3))
    parents = [
        np.array(draw(st.lists(st.integers(0, up - 1), min_size=low, max_size=low)), np.int64)
        for low, up in itertools.pairwise(sizes)
    ]
    cell = st.one_of(st.just(0), st.integers(0, 4), st.integers(0, 15))
    n0 = np.array(draw(st.lists(cell, min_size=sizes[0] * n_crit, max_size=sizes[0] * n_crit)))
    ns = [n0.reshape(sizes[0], n_crit).astype(np.int64)]
    for parent, size in zip(parents, sizes[1:], strict=True):
        up = np.zeros((size, n_crit), dtype=np.int64)
        np.add.at(up, parent, ns[-1])
        if not consistent:  # parents may hold responses not assigned to any child
            extra = draw(st.lists(st.integers(0, 6), min_size=up.size, max_size=up.size))
            up += np.array(extra, dtype=np.int64).reshape(size, n_crit)
        ns.append(up)
    return ns, parents, draw(st.integers(1, 10))


@PROPS
@given(case=hierarchies(), protect=st.booleans())
def test_output_always_passes_the_checker(case: tuple[list, list, int], protect: bool) -> None:
    ns, parents, min_n = case
    masks = suppress_hierarchy(ns, parents, min_n, protect_hidden_parents=protect)
    assert violations(ns, parents, masks, min_n) == []
    if protect:
        assert hidden_parent_violations(ns, parents, masks) == []


@PROPS
@given(case=hierarchies(consistent=False))
def test_inconsistent_parent_sums_still_pass_the_checker(case: tuple[list, list, int]) -> None:
    ns, parents, min_n = case
    masks = suppress_hierarchy(ns, parents, min_n)
    assert violations(ns, parents, masks, min_n) == []
    assert hidden_parent_violations(ns, parents, masks) == []


@PROPS
@given(case=hierarchies())
def test_suppression_is_minimal_ish(case: tuple[list, list, int]) -> None:
    ns, parents, min_n = case
    primary = [n < min_n for n in ns]
    masks = suppress_hierarchy(ns, parents, min_n)
    for mask, first in zip(masks, primary, strict=True):
        assert (mask | first == mask).all(), "a small cell was un-suppressed"
    if violations(ns, parents, primary, min_n) == []:
        # no secondary suppression needed: nothing with n >= min_n is hidden
        assert all((m == p).all() for m, p in zip(masks, primary, strict=True))
    # rule 2 alone hides at most one extra child per (parent, criterion) on consistent data
    bare = suppress_hierarchy(ns, parents, min_n, protect_hidden_parents=False)
    for k, parent in enumerate(parents):
        extra = (bare[k] & ~primary[k]).astype(np.int64)
        per_parent = np.zeros_like(ns[k + 1])
        np.add.at(per_parent, parent, extra)
        assert per_parent.max(initial=0) <= 1
        assert (bare[k] <= masks[k]).all()
