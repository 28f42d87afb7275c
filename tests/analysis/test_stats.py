"""Statistics from histograms: hand-computed literals, a naive oracle, and properties."""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp
from scipy import stats as sps

from stadtraum.analysis.stats import (
    CellStats,
    overall_index,
    quantile_from_counts,
    rollup,
    summarize,
    t_quantile,
)

NAN = math.nan
FIELDS = (
    "n",
    "mean",
    "sd",
    "ci_low",
    "ci_high",
    "median",
    "q1",
    "q3",
    "share_low",
    "share_high",
)
PROPS = settings(max_examples=60, deadline=None)


def hist(*ratings: int) -> list[int]:
    """7-bin histogram of the given scores 1..7."""
    out = [0] * 7
    for r in ratings:
        out[r - 1] += 1
    return out


# 3 areas x 2 criteria; the raw ratings are written next to each cell.
RAW = [
    [[2, 4, 4, 5, 7], [1, 1, 6, 7]],
    [[3], []],
    [[4, 4], [1, 2, 3, 4, 5, 6, 7, 7]],
]
COUNTS = np.array([[hist(*cell) for cell in area] for area in RAW], dtype=np.int64)

# Hand-computed; CI = mean -/+ t * sd / sqrt(n) with t(0.975, n-1) from a t table:
# df=4: 2.776445, df=3: 3.182446, df=1: 12.706205, df=7: 2.364624.
#  (0,0) [2,4,4,5,7]: mean 22/5, SS 13.2, var 3.3, sd 1.816590, half 2.255595,
#        sorted positions h = 4p -> q1 x[1]=4, median x[2]=4, q3 x[3]=5; 1-2: 1/5, 6-7: 1/5
#  (0,1) [1,1,6,7]: mean 15/4, SS 30.75, var 10.25, sd 3.201562, half 5.094400,
#        h = 3p: q1 = 1 + .75*0 = 1, median = 1 + .5*(6-1) = 3.5, q3 = 6 + .25*1 = 6.25
#  (1,0) [3]: n=1 -> no sd, no CI
#  (1,1) []: n=0 -> everything NaN
#  (2,0) [4,4]: sd 0 -> CI [4, 4]
#  (2,1) [1..7,7]: mean 35/8, SS 189 - 8*4.375^2 = 35.875, var 5.125, sd 2.263846,
#        half 1.892623; h = 7p: q1 = 2 + .75 = 2.75, median 4.5, q3 6 + .25 = 6.25
EXPECTED: dict[str, list[list[float]]] = {
    "n": [[5, 4], [1, 0], [2, 8]],
    "mean": [[4.4, 3.75], [3.0, NAN], [4.0, 4.375]],
    "sd": [[1.816590, 3.201562], [NAN, NAN], [0.0, 2.263846]],
    "ci_low": [[2.144405, -1.344400], [NAN, NAN], [4.0, 2.482377]],
    "ci_high": [[6.655595, 8.844400], [NAN, NAN], [4.0, 6.267623]],
    "median": [[4.0, 3.5], [3.0, NAN], [4.0, 4.5]],
    "q1": [[4.0, 1.0], [3.0, NAN], [4.0, 2.75]],
    "q3": [[5.0, 6.25], [3.0, NAN], [4.0, 6.25]],
    "share_low": [[0.2, 0.5], [0.0, NAN], [0.0, 0.25]],
    "share_high": [[0.2, 0.5], [0.0, NAN], [0.0, 0.375]],
}


def oracle_cell(raw: list[int] | np.ndarray) -> dict[str, float]:
    """Naive statistics of one cell from its raw ratings (numpy/scipy, no histograms)."""
    x = np.asarray(raw, dtype=np.float64)
    n = x.size
    if n == 0:
        return {f: (0 if f == "n" else NAN) for f in FIELDS}
    out: dict[str, float] = {"n": n, "mean": float(np.mean(x))}
    if n >= 2:
        sd = float(np.std(x, ddof=1))
        half = float(sps.t.ppf(0.975, n - 1)) * sd / math.sqrt(n)
        out.update(sd=sd, ci_low=out["mean"] - half, ci_high=out["mean"] + half)
    else:
        out.update(sd=NAN, ci_low=NAN, ci_high=NAN)
    q1, med, q3 = np.quantile(x, [0.25, 0.5, 0.75])
    out.update(median=float(med), q1=float(q1), q3=float(q3))
    out.update(share_low=float(np.mean(x <= 2)), share_high=float(np.mean(x >= 6)))
    return out


def assert_cell(stats: CellStats, index: tuple[int, ...], expected: dict[str, float]) -> None:
    for field in FIELDS:
        got = float(getattr(stats, field)[index])
        want = expected[field]
        assert (math.isnan(got) and math.isnan(want)) or got == pytest.approx(
            want, rel=1e-9, abs=1e-9
        ), f"{field}{index}: {got} != {want}"


def expand(counts: np.ndarray) -> np.ndarray:
    return np.repeat(np.arange(1, 8), counts)


@pytest.mark.parametrize("field", FIELDS)
def test_summarize_matches_hand_computed_literals(field: str) -> None:
    got = getattr(summarize(COUNTS), field)
    want = np.array(EXPECTED[field], dtype=np.float64)
    assert got.shape == (3, 2)
    np.testing.assert_allclose(got, want, rtol=0, atol=1e-6, equal_nan=True)


@pytest.mark.parametrize("field", FIELDS)
def test_naive_oracle_matches_hand_computed_literals(field: str) -> None:
    got = [[oracle_cell(cell)[field] for cell in area] for area in RAW]
    np.testing.assert_allclose(got, EXPECTED[field], rtol=0, atol=1e-6, equal_nan=True)


def test_dtypes_shapes_and_read_only() -> None:
    s = summarize(COUNTS)
    assert s.n.dtype == np.int64 and s.shape == (3, 2)
    for field in FIELDS[1:]:
        assert getattr(s, field).dtype == np.float64
    with pytest.raises(ValueError):
        s.mean[0, 0] = 1.0
    one = summarize(np.array(hist(2, 4, 4, 5, 7)))
    assert one.shape == () and float(one.mean) == pytest.approx(4.4)


def test_t_quantile_is_scipy_t_ppf() -> None:
    df = np.array([1.0, 2.0, 4.0, 7.0, 29.0, 1000.0])
    np.testing.assert_allclose(t_quantile(df), sps.t.ppf(0.975, df), rtol=1e-12)
    assert np.isnan(t_quantile(np.array([0.0, -1.0]))).all()


@pytest.mark.parametrize(
    ("counts", "message"),
    [
        (np.zeros((2, 6), dtype=np.int64), "shape"),
        (np.array([1, 0, 0, 0, 0, 0, -1]), "negative"),
        (np.array([0.5, 0, 0, 0, 0, 0, 0]), "integers"),
    ],
)
def test_invalid_counts_are_refused(counts: np.ndarray, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        summarize(counts)


def test_edge_cases_empty_and_single_rating() -> None:
    s = summarize(np.array([[0] * 7, hist(6)]))
    assert s.n.tolist() == [0, 1]
    for field in FIELDS[1:]:
        assert np.isnan(getattr(s, field)[0]), field
    assert (s.mean[1], s.median[1], s.q1[1], s.q3[1]) == (6.0, 6.0, 6.0, 6.0)
    assert np.isnan(s.sd[1]) and np.isnan(s.ci_low[1]) and np.isnan(s.ci_high[1])
    assert (s.share_low[1], s.share_high[1]) == (0.0, 1.0)
    assert summarize(np.zeros((0, 14, 7), dtype=np.int64)).n.shape == (0, 14)


# --- properties ----------------------------------------------------------------------------

small_hist = hnp.arrays(np.int64, 7, elements=st.integers(0, 6))
hist_batch = hnp.arrays(
    np.int64,
    st.tuples(st.integers(1, 5), st.integers(1, 3), st.just(7)),
    elements=st.integers(0, 9),
)


@PROPS
@given(counts=hist_batch)
def test_summarize_equals_naive_oracle(counts: np.ndarray) -> None:
    s = summarize(counts)
    for index in np.ndindex(counts.shape[:-1]):
        assert_cell(s, index, oracle_cell(expand(counts[index])))


@PROPS
@given(counts=hist_batch)
def test_quartiles_equal_numpy_quantile_exactly(counts: np.ndarray) -> None:
    s = summarize(counts)
    for index in np.ndindex(counts.shape[:-1]):
        x = expand(counts[index])
        if x.size == 0:
            assert np.isnan(s.median[index])
            continue
        assert (s.q1[index], s.median[index], s.q3[index]) == tuple(
            np.quantile(x, [0.25, 0.5, 0.75])
        )


@PROPS
@given(counts=small_hist, p=st.floats(0.0, 1.0))
def test_any_quantile_equals_numpy_quantile(counts: np.ndarray, p: float) -> None:
    got = quantile_from_counts(counts, p)
    x = expand(counts)
    if x.size == 0:
        assert np.isnan(got)
    else:
        assert float(got) == pytest.approx(float(np.quantile(x, p)), abs=1e-12)


@PROPS
@given(
    raw=st.lists(st.tuples(st.integers(0, 3), st.integers(1, 7)), max_size=60),
    seed=st.integers(0, 2**32 - 1),
)
def test_order_of_ratings_does_not_matter(raw: list[tuple[int, int]], seed: int) -> None:
    """Shuffled raw ratings give the same histograms and the same statistics, and those
    equal the oracle on the shuffled raw values."""
    shuffled = list(raw)
    np.random.default_rng(seed).shuffle(shuffled)

    def to_counts(ratings: list[tuple[int, int]]) -> np.ndarray:
        counts = np.zeros((4, 7), dtype=np.int64)
        for cell, score in ratings:
            counts[cell, score - 1] += 1
        return counts

    s1, s2 = summarize(to_counts(raw)), summarize(to_counts(shuffled))
    for field in FIELDS:
        np.testing.assert_array_equal(getattr(s1, field), getattr(s2, field))
    for cell in range(4):
        assert_cell(s2, (cell,), oracle_cell([r for c, r in shuffled if c == cell]))


@PROPS
@given(data=st.data())
def test_rollup_equals_statistics_of_concatenated_children(data: st.DataObject) -> None:
    n_children = data.draw(st.integers(0, 12))
    n_parents = data.draw(st.integers(1, 4))
    parent = np.array(
        data.draw(
            st.lists(st.integers(0, n_parents - 1), min_size=n_children, max_size=n_children)
        ),
        dtype=np.int64,
    )
    counts = data.draw(hnp.arrays(np.int64, (n_children, 2, 7), elements=st.integers(0, 5)))
    rolled = rollup(counts, parent, n_parents)
    assert rolled.shape == (n_parents, 2, 7) and rolled.dtype == np.int64
    s = summarize(rolled)
    for p in range(n_parents):
        for c in range(2):
            raw = np.concatenate(
                [expand(counts[i, c]) for i in range(n_children) if parent[i] == p] + [[]]
            )
            assert_cell(s, (p, c), oracle_cell(raw))
    # the same map also rolls up 2-D n per cell and 1-D respondents per area
    n = counts.sum(axis=-1)
    np.testing.assert_array_equal(rollup(n, parent, n_parents), rolled.sum(axis=-1))
    resp = n.max(axis=-1) if n_children else np.zeros(0, dtype=np.int64)
    want = [int(resp[parent == p].sum()) for p in range(n_parents)]
    assert rollup(resp, parent, n_parents).tolist() == want


@pytest.mark.parametrize(
    ("parent", "n_parents"),
    [([0, 1], 1), ([0, -1], 2), ([0], 2), ([0.0, 1.0], 2)],
)
def test_rollup_refuses_bad_maps(parent: list[float], n_parents: int) -> None:
    with pytest.raises(ValueError):
        rollup(np.ones((2, 7), dtype=np.int64), np.array(parent), n_parents)


# --- overall index -------------------------------------------------------------------------


def test_overall_index_uses_published_criteria_only() -> None:
    mean = np.array([[4.0, 6.0, 1.0], [2.0, NAN, 5.0], [3.0, 3.0, 3.0]])
    published = np.array([[True, True, False], [True, True, True], [False, False, False]])
    index, k = overall_index(mean, published)
    np.testing.assert_allclose(index, [5.0, 3.5, NAN], equal_nan=True)
    assert k.tolist() == [2, 2, 0]


@PROPS
@given(
    mean=hnp.arrays(np.float64, (3, 4), elements=st.floats(1, 7)),
    published=hnp.arrays(np.bool_, (3, 4)),
    hidden_values=hnp.arrays(np.float64, (3, 4), elements=st.floats(1, 7)),
)
def test_overall_index_does_not_depend_on_suppressed_means(
    mean: np.ndarray, published: np.ndarray, hidden_values: np.ndarray
) -> None:
    other = np.where(published, mean, hidden_values)
    i1, k1 = overall_index(mean, published)
    i2, k2 = overall_index(other, published)
    np.testing.assert_array_equal(k1, k2)
    np.testing.assert_array_equal(i1, i2)
    np.testing.assert_array_equal(k1, published.sum(axis=1))
    for a in range(3):
        if k1[a]:
            assert i1[a] == pytest.approx(float(np.mean(mean[a][published[a]])))
