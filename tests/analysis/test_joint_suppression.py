"""Joint suppression over levels and filter categories (issue 10, item 1): an independent
checker, hand cases, properties, a difference attack and the family built from the cube."""

from __future__ import annotations

import datetime as dt
import itertools

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from stadtraum.analysis.cube import CubeRows, ResponseCube, day_number
from stadtraum.analysis.joint_family import (
    Family,
    _joint_counts,
    _packs,
    cube_family,
    rollup_family,
    union_family,
)
from stadtraum.analysis.joint_suppression import _fixed_point, build_equations, joint_suppress
from stadtraum.analysis.suppression import suppress_hierarchy
from stadtraum.vocab import AGE_BANDS, GENDERS, MODES, RELATIONS

PROPS = settings(max_examples=500, deadline=None)
Groups = list[tuple[int, tuple[int, ...]]]


def equations(ns: list[np.ndarray], parents: list[np.ndarray], groups: Groups
              ) -> list[tuple[tuple[int, ...], list[tuple[int, ...]], bool]]:
    """Every equation as (total cell, part cells, is a table equation), cells as (level,
    table, area, criterion), by plain loops (independent of the solver's vectorised
    construction)."""
    out = []
    tables, _, n_crit = ns[0].shape
    for k, parent in enumerate(parents):
        for t, p, c in itertools.product(range(tables), range(ns[k + 1].shape[1]),
                                         range(n_crit)):
            kids = [(k, t, i, c) for i in range(ns[k].shape[1]) if parent[i] == p]
            if kids:
                out.append(((k + 1, t, p, c), kids, False))
    for total, members in groups:
        for k, n in enumerate(ns):
            for a, c in itertools.product(range(n.shape[1]), range(n_crit)):
                out.append(((k, total, a, c), [(k, m, a, c) for m in members], True))
    return out


def violations(ns: list[np.ndarray], parents: list[np.ndarray], groups: Groups,
               masks: list[np.ndarray], min_n: int) -> list[str]:
    """The promise: primary everywhere. A table equation (categories, months, campaigns)
    hides its data parts all or none, and all of them when its total is hidden. In every
    equation with a shown total the hidden data parts are none or >= 2 with combined
    n >= min_n; an area equation with a hidden total hides all its data parts or >= 2 with
    combined n >= min_n (a hidden total may be known from elsewhere)."""
    found = []
    for k, (n, m) in enumerate(zip(ns, masks, strict=True)):
        assert m.shape == n.shape and m.dtype == np.bool_
        found += [f"level {k} cell {tuple(int(x) for x in i)} n={n[i]} shown"
                  for i in zip(*np.nonzero((n < min_n) & ~m), strict=True)]
    eqs = equations(ns, parents, groups)

    def hidden_at(cell: tuple[int, ...]) -> bool:
        return bool(masks[cell[0]][cell[1:]])

    for total, parts, table in eqs:
        def n_of(cell: tuple[int, ...]) -> int:
            return int(ns[cell[0]][cell[1:]])
        with_data = [p for p in parts if n_of(p) > 0]
        hidden = [p for p in with_data if hidden_at(p)]
        strong = len(hidden) >= 2 and sum(map(n_of, hidden)) >= min_n
        if table and hidden and len(hidden) < len(with_data):
            found.append(f"{total}: table equation hides {len(hidden)} of {len(with_data)}")
        if not hidden_at(total):
            if hidden and not strong:
                found.append(f"{total}: hidden parts {[n_of(p) for p in hidden]}")
        elif n_of(total) > 0 and with_data and len(hidden) < len(with_data) and (
                table or not strong):
            found.append(f"{total}: hidden total, hidden parts {[n_of(p) for p in hidden]} "
                         f"of {[n_of(p) for p in with_data]}")
    return found


def up(bottom: np.ndarray, parents: list[np.ndarray]) -> list[np.ndarray]:
    """Roll (T, A, C) n up through the parent maps."""
    ns = [bottom.astype(np.int64)]
    for p in parents:
        above = np.zeros((ns[-1].shape[0], int(p.max()) + 1, ns[-1].shape[2]), np.int64)
        np.add.at(above.swapaxes(0, 1), p, ns[-1].swapaxes(0, 1))
        ns.append(above)
    return ns


# --- hand cases -------------------------------------------------------------------------
# one area (the city), tables: all, then the categories of one dimension; criterion 0

SINGLE = [
    # (all, categories, expected hidden categories)
    pytest.param(20, [1, 7, 12], [True, True, True], id="one small category hides all"),
    pytest.param(20, [1, 6, 6, 7], [True, True, True, True], id="all or none"),
    pytest.param(20, [2, 3, 15], [True, True, True], id="two small ones hide all"),
    pytest.param(20, [0, 20], [True, False], id="an empty category needs no partner"),
    pytest.param(20, [0, 3, 17], [True, True, True], id="empty cells do not count"),
    pytest.param(20, [5, 15], [False, False], id="nothing small, nothing hidden"),
]


@pytest.mark.parametrize(("total", "cats", "expected"), SINGLE)
def test_one_dimension_hand_cases(total: int, cats: list[int], expected: list[bool]) -> None:
    n = np.array([total, *cats], dtype=np.int64).reshape(-1, 1, 1)
    groups: Groups = [(0, tuple(range(1, len(cats) + 1)))]
    masks = joint_suppress([n], [], groups, 5)
    assert masks[0][1:, 0, 0].tolist() == expected
    assert not masks[0][0, 0, 0]
    assert violations([n], [], groups, masks, 5) == []


def test_hidden_all_cell_forces_a_category() -> None:
    # two areas and the city; tables all, k1, k2, k3. all: area 0 has n=3 (all in k3), so the
    # hierarchy hides area 1's "all" (10) as well; its categories (5, 5, 0) would rebuild it,
    # so all of them go (a hidden total hides its table equation's parts), and then the
    # city's k1 (only area 1 has k1 data) and with it the city's other categories — the
    # city's "all" equation keeps three hidden parts with data, 5 + 5 + 3.
    bottom = np.array([[3, 10], [0, 5], [0, 5], [3, 0]]).reshape(4, 2, 1)
    parents = [np.array([0, 0])]
    ns, groups = up(bottom, parents), [(0, (1, 2, 3))]
    masks = joint_suppress(ns, parents, groups, 5)
    assert masks[0][:, 1, 0].tolist() == [True, True, True, True]  # area 1 (k3: empty)
    assert masks[1][:, 0, 0].tolist() == [False, True, True, True]  # the city
    assert violations(ns, parents, groups, masks, 5) == []
    # the per-table method leaves area 1's k1 and k2 shown: all(area 1) = 10 is their sum,
    # and city − 10 gives the hidden area 0 (n = 3)
    per_table = _per_table(ns, parents)
    assert not per_table[0][1, 1, 0] and not per_table[0][2, 1, 0]
    assert violations(ns, parents, groups, per_table, 5) != []


def _per_table(ns: list[np.ndarray], parents: list[np.ndarray]) -> list[np.ndarray]:
    per = [suppress_hierarchy([n[t] for n in ns], parents, 5) for t in range(ns[0].shape[0])]
    return [np.stack([p[k] for p in per]) for k in range(len(ns))]


def test_two_dimensions_interact_through_the_shared_all_table() -> None:
    # tables: all, age a1 a2, gender g1 g2; two areas and the city. Every gender cell has
    # n >= 5, but the age equations hide "all" in both areas, and then the genders of each
    # area must go too.
    bottom = np.array([[10, 7], [2, 7], [8, 0], [5, 7], [5, 0]]).reshape(5, 2, 1)
    parents = [np.array([0, 0])]
    ns = up(bottom, parents)
    both: Groups = [(0, (1, 2)), (0, (3, 4))]
    masks = joint_suppress(ns, parents, both, 5)
    assert violations(ns, parents, both, masks, 5) == []
    assert masks[0][0, :, 0].tolist() == [True, True]  # "all" in both areas
    assert masks[0][3:, :, 0].all()  # the genders in both areas
    assert not masks[1][0, 0, 0]  # the city
    gender = [n[[0, 3, 4]] for n in ns]
    alone = joint_suppress(gender, parents, [(0, (1, 2))], 5)
    assert all((m == (n == 0)).all() for m, n in zip(alone, gender, strict=True))  # only empty


def test_fixed_point_needs_several_rounds() -> None:
    bottom = np.array([[10, 7], [2, 7], [8, 0], [5, 7], [5, 0]]).reshape(5, 2, 1)
    parents = [np.array([0, 0])]
    ns = up(bottom, parents)
    eqs = build_equations(ns, parents, [(0, (1, 2)), (0, (3, 4))])
    n = eqs.flat(ns)
    hidden = n < 5
    rounds = _fixed_point(n, hidden, eqs, 5)
    assert rounds >= 2  # a1 → the ages of area 0 → the city's ages / all(0) → the genders
    again = hidden.copy()
    assert _fixed_point(n, again, eqs, 5) == 0 and (again == hidden).all()


def test_union_of_campaigns_equal_tables_are_hidden_together() -> None:
    # a union whose months exist in one campaign only: the union's month table equals it
    keys = ("all", "month=2026-05", "month=2026-06")
    parents = [np.zeros(2, dtype=np.intp)]
    a = np.zeros((3, 2, 1, 7), dtype=np.int64)
    a[0, :, 0, 0], a[1, :, 0, 0], a[2, :, 0, 0] = [3, 9], [1, 4], [2, 5]
    b = np.zeros((2, 2, 1, 7), dtype=np.int64)
    b[0, :, 0, 0] = b[1, :, 0, 0] = [6, 6]
    fam = union_family({"A": rollup_family(keys, a, parents),
                        "B": rollup_family(keys[:2], b, parents)})
    masks = fam.masks(5)
    ns, groups = fam.n, [(t, p) for t, p in fam.groups]
    assert violations(ns, list(fam.parents), groups, masks, 5) == []
    june, a_june = fam.table("month=2026-06"), fam.table("A|month=2026-06")
    for lv in range(2):
        assert (masks[lv][june] == masks[lv][a_june]).all()
    with pytest.raises(ValueError):
        joint_suppress(ns, list(fam.parents), [(0, (0, 1))], 5)


def test_checker_finds_broken_masks() -> None:
    n = np.array([20, 1, 7, 12]).reshape(4, 1, 1)
    groups: Groups = [(0, (1, 2, 3))]
    assert violations([n], [], groups, [n < 5], 5) != []  # primary alone: k1 = all − rest
    shown = np.zeros_like(n, dtype=bool)
    assert violations([n], [], groups, [shown], 5) != []


# --- properties ----------------------------------------------------------------------------


@st.composite
def families(draw: st.DrawFn) -> tuple[list[np.ndarray], list[np.ndarray], Groups, int]:
    """A few areas in 2-3 levels, 2-3 dimensions of 2-5 categories, consistent sums, many
    small n: per bottom area and criterion an "all" n, split at random per dimension. In
    about a third of the cases, two such campaigns and their union (union_family)."""
    levels = draw(st.integers(2, 3))
    bottom = draw(st.integers(1, 6))
    sizes = [bottom] + ([draw(st.integers(1, min(3, bottom)))] if levels == 3 else []) + [1]
    parents = []
    for lo, hi in itertools.pairwise(sizes):
        p = draw(st.lists(st.integers(0, hi - 1), min_size=lo, max_size=lo))
        if set(p) != set(range(hi)):  # every parent row gets a child (a complete hierarchy)
            p = [i % hi for i in range(lo)]
        parents.append(np.array(p, dtype=np.intp))
    cats = draw(st.lists(st.integers(2, 5), min_size=2, max_size=3))
    n_crit = draw(st.integers(1, 2))
    rng = np.random.default_rng(draw(st.integers(0, 2**32 - 1)))
    keys = ["all"] + [f"d{d}={j}" for d, k in enumerate(cats) for j in range(k)]
    campaigns = {}
    for label in ("A", "B") if draw(st.integers(0, 2)) == 0 else ("A",):
        counts = np.zeros((len(keys), sizes[0], n_crit, 7), dtype=np.int64)
        counts[..., 0] = _random_tables(rng, cats, (sizes[0], n_crit))
        campaigns[label] = rollup_family(keys, counts, parents)
    fam = campaigns["A"] if len(campaigns) == 1 else union_family(campaigns)
    return fam.n, parents, list(fam.groups), draw(st.integers(2, 6))


def _random_tables(rng: np.random.Generator, cats: list[int],
                   shape: tuple[int, int]) -> np.ndarray:
    pool = np.array([0, 0, 1, 1, 2, 3, 4, 5, 6, 8, 12, 20])
    total = rng.choice(pool, size=shape)
    tables = [total]
    for k in cats:
        share = rng.dirichlet(np.full(k, 0.7), size=shape).reshape(-1, k)
        split = np.stack([rng.multinomial(t, s) for t, s in zip(total.ravel(), share,
                                                                 strict=True)])
        tables += list(split.T.reshape(k, *shape))
    return np.stack(tables)


@PROPS
@given(case=families())
def test_solver_output_keeps_every_promise(case: tuple) -> None:
    ns, parents, groups, min_n = case
    masks = joint_suppress(ns, parents, groups, min_n)
    assert violations(ns, parents, groups, masks, min_n) == []
    for mask, n in zip(masks, ns, strict=True):
        assert (mask >= (n < min_n)).all()  # only adds to primary
    again = joint_suppress(ns, parents, groups, min_n, hidden=masks)
    assert all((a == b).all() for a, b in zip(again, masks, strict=True))  # a fixed point
    if violations(ns, parents, groups, [n < min_n for n in ns], min_n) == []:
        assert all((m == (n < min_n)).all() for m, n in zip(masks, ns, strict=True))


# --- a difference attack --------------------------------------------------------------------


def test_single_equation_attacks_isolate_nobody() -> None:
    """Respondents with area, age and gender; every shown cell publishes its histogram. The
    attacker subtracts the shown parts from a shown total in every equation (all − shown
    categories, i.e. "all − all but one"; parent − shown children) and looks for a
    difference of 1..min_n-1 people."""
    rng = np.random.default_rng(4)
    n_people, n_areas, min_n = 90, 8, 5
    area = rng.choice(n_areas, n_people, p=np.r_[np.full(6, 0.15), 0.07, 0.03])
    age, gender = rng.integers(0, 4, n_people), rng.integers(0, 3, n_people)
    score = rng.integers(0, 8, n_people)  # 0 = keine Angabe
    keep = score > 0
    cats = [np.zeros(n_people, int), 1 + age, 5 + gender]  # all, age 1-4, gender 5-7
    bottom = np.zeros((8, n_areas, 1, 7), dtype=np.int64)
    for table_of in cats:
        np.add.at(bottom, (table_of[keep], area[keep], 0, score[keep] - 1), 1)
    parents = [np.array([0, 0, 0, 1, 1, 1, 2, 2]), np.zeros(3, dtype=np.intp)]
    fam = rollup_family(("all", "age=1", "age=2", "age=3", "age=4", "gender=1", "gender=2",
                         "gender=3"), bottom, parents)
    found = _attack(fam, fam.masks(min_n), min_n)
    assert found == []
    # the same attack against the per-table method of today finds groups (it can fail)
    assert _attack(fam, _per_table(fam.n, list(fam.parents)), min_n) != []


def _attack(fam: Family, masks: list[np.ndarray], min_n: int) -> list[str]:
    counts = list(fam.counts)
    ns = [c.sum(-1) for c in counts]
    found = []
    for total, parts, _ in equations(ns, list(fam.parents), list(fam.groups)):
        if masks[total[0]][total[1:]]:
            continue
        diff = counts[total[0]][total[1:]].copy()
        for p in parts:
            if not masks[p[0]][p[1:]]:
                diff = diff - counts[p[0]][p[1:]]
        if 0 < diff.sum() < min_n:
            found.append(f"{total}: isolated {diff.tolist()}")
    return found


# --- the family from the cube ---------------------------------------------------------------


def test_cube_family_matches_direct_counts() -> None:
    rng = np.random.default_rng(9)
    n, k = 3000, 3
    day0 = day_number(dt.date(2026, 5, 20))
    rows = CubeRows(
        ids=np.arange(n, dtype=np.int64), campaign=rng.choice([1, 2], n).astype(np.int32),
        area=rng.integers(1, 7, n).astype(np.int32),
        mode=rng.integers(0, len(MODES.codes), n).astype(np.int8),
        age=rng.integers(-1, len(AGE_BANDS.codes), n).astype(np.int8),
        gender=rng.integers(-1, len(GENDERS.codes), n).astype(np.int8),
        relation=rng.integers(-1, len(RELATIONS.codes), n).astype(np.int8),
        day=(day0 + rng.integers(0, 40, n)).astype(np.int32),
        status=rng.choice(4, n, p=[0.85, 0.05, 0.05, 0.05]).astype(np.int8),
        scores=rng.integers(0, 8, (k, n)).astype(np.uint8))
    cube = ResponseCube(("a", "b", "c"))
    cube.upsert(rows)
    area_pos = np.array([-1, 0, 1, 2, 3, 4, -1])  # area 6 not shown
    parents = [np.array([0, 0, 1, 1, 1]), np.zeros(2, dtype=np.intp)]
    fam = cube_family(cube, 1, area_pos, 5, parents)
    assert fam.keys[:4] == ("all", "mode=street", "mode=paper", "mode=online")
    assert [k for k in fam.keys if k.startswith("month=")] == ["month=2026-05", "month=2026-06"]
    sel = (rows.campaign == 1) & (rows.status == 0) & (rows.mode != 1) & (rows.area < 6)
    ref = np.zeros((5, k, 7), dtype=np.int64)
    for i in np.flatnonzero(sel):
        for c in range(k):
            if rows.scores[c, i]:
                ref[rows.area[i] - 1, c, rows.scores[c, i] - 1] += 1
    assert (fam.counts[0][0] == ref).all()
    for total, parts in fam.groups:  # every dimension sums to "all", at every level
        for lv in fam.counts:
            assert (lv[list(parts)].sum(axis=0) == lv[total]).all()
    g = fam.table("gender=none")
    assert fam.counts[0][g].sum() == sum(
        int((rows.scores[:, i] > 0).sum()) for i in np.flatnonzero(sel & (rows.gender == -1)))
    masks = fam.masks(5)
    assert violations(fam.n, list(fam.parents), list(fam.groups), masks, 5) == []
    empty = cube_family(ResponseCube(("a",)), 1, area_pos, 5, parents, ("age",))
    assert empty.counts[2].shape == (7, 1, 1, 7) and not empty.counts[0].any()


def test_a_category_nobody_chose_still_has_its_table() -> None:
    rng = np.random.default_rng(2)
    n = 400
    rows = CubeRows(
        ids=np.arange(n, dtype=np.int64), campaign=np.ones(n, np.int32),
        area=rng.integers(1, 4, n).astype(np.int32), mode=np.zeros(n, np.int8),
        age=rng.integers(-1, len(AGE_BANDS.codes) - 1, n).astype(np.int8),  # no "65plus"
        gender=rng.integers(-1, len(GENDERS.codes), n).astype(np.int8),
        relation=rng.integers(-1, len(RELATIONS.codes), n).astype(np.int8),
        day=np.full(n, day_number(dt.date(2026, 7, 1)), np.int32), status=np.zeros(n, np.int8),
        scores=rng.integers(1, 8, (2, n)).astype(np.uint8))
    cube = ResponseCube(("a", "b"))
    cube.upsert(rows)
    fam = cube_family(cube, 1, np.array([-1, 0, 1, 2]), 3, [np.zeros(3, dtype=np.intp)])
    assert len(fam.keys) == fam.counts[0].shape[0]
    assert not fam.counts[0][fam.table("age=65plus")].any()
    assert fam.counts[0][fam.table("month=2026-07")].sum() == 2 * n


def test_packed_passes_count_like_single_passes() -> None:
    rng = np.random.default_rng(3)
    cats = [rng.integers(0, 6, 500), rng.integers(0, 5, 500), rng.integers(0, 2, 500)]
    pos, scores = rng.integers(0, 4, 500), rng.integers(0, 8, (3, 500)).astype(np.uint8)
    packed = _joint_counts(cats, [6, 5, 2], pos, 4, scores)
    single = [t for c, k in zip(cats, [6, 5, 2], strict=True)
              for t in _joint_counts([c], [k], pos, 4, scores)]
    assert all((a == b).all() for a, b in zip(packed, single, strict=True))
    assert _packs([6, 5, 5, 2], 30) == [[0, 1, 2, 3]]
    assert _packs([6, 5, 5, 2], 30, budget=6 * 5 * 30 * 8) == [[0, 1], [2, 3]]
