"""Comparison of waves/areas: rank test against scipy, hand cases, CI overlap, hints."""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp
from scipy import stats as sps

from stadtraum.analysis.comparison import change_hint, change_hint_en, compare, rank_test

PROPS = settings(max_examples=80, deadline=None)


def hist(*ratings: int) -> np.ndarray:
    out = np.zeros(7, dtype=np.int64)
    for r in ratings:
        out[r - 1] += 1
    return out


def expand(counts: np.ndarray) -> np.ndarray:
    return np.repeat(np.arange(1, 8), counts).astype(np.float64)


def naive_u(x: np.ndarray, y: np.ndarray) -> tuple[float, float]:
    """``(U_y - mu, sigma)`` from raw ratings, by the textbook (ranks, tie correction)."""
    n1, n2 = x.size, y.size
    ranks = sps.rankdata(np.concatenate([x, y]))
    u_y = ranks[n1:].sum() - n2 * (n2 + 1) / 2
    _, t = np.unique(np.concatenate([x, y]), return_counts=True)
    n = n1 + n2
    var = n1 * n2 / 12 * ((n + 1) - (t**3 - t).sum() / (n * (n - 1)))
    return u_y - n1 * n2 / 2, math.sqrt(max(var, 0.0))


# --- rank test -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("a", "b", "continuity", "z", "p"),
    [
        # no ties: U_b = 9, mu = 4.5, sigma^2 = 9/12 * 7 = 5.25
        ((1, 2, 3), (4, 5, 6), False, 4.5 / math.sqrt(5.25), 0.049535),
        ((1, 2, 3), (4, 5, 6), True, 4.0 / math.sqrt(5.25), 0.080856),
        ((4, 5, 6), (1, 2, 3), False, -4.5 / math.sqrt(5.25), 0.049535),
        # ties: pooled 2,2,3,3,4 -> ranks 1.5,1.5,3.5,3.5,5; U_b = 8.5 - 3 = 5.5, mu = 3,
        # sum(t^3 - t) = 12, sigma^2 = 6/12 * (6 - 12/20) = 2.7
        ((2, 2, 3), (3, 4), False, 2.5 / math.sqrt(2.7), 0.128147),
        ((2, 2, 3), (3, 4), True, 2.0 / math.sqrt(2.7), 0.223543),
        # all tied: no evidence at all
        ((4, 4), (4, 4, 4), False, 0.0, 1.0),
        ((4, 4), (4, 4, 4), True, 0.0, 1.0),
        # |U - mu| = 0 < 0.5: continuity never flips the sign, p capped at 1
        ((1, 7), (4,), True, 0.0, 1.0),
    ],
)
def test_rank_test_hand_cases(
    a: tuple[int, ...], b: tuple[int, ...], continuity: bool, z: float, p: float
) -> None:
    got_z, got_p = rank_test(hist(*a), hist(*b), use_continuity=continuity)
    assert float(got_z) == pytest.approx(z, abs=1e-12)
    assert float(got_p) == pytest.approx(p, abs=1e-6)


def test_rank_test_is_nan_where_a_side_is_empty() -> None:
    z, p = rank_test(np.array([hist(), hist(3), hist()]), np.array([hist(3), hist(), hist()]))
    assert np.isnan(z).all() and np.isnan(p).all()


pair = st.integers(1, 4).flatmap(
    lambda cells: st.tuples(
        hnp.arrays(np.int64, (cells, 7), elements=st.integers(0, 8)),
        hnp.arrays(np.int64, (cells, 7), elements=st.integers(0, 8)),
    )
)


@PROPS
@given(counts=pair, continuity=st.booleans())
def test_rank_test_equals_scipy_mannwhitneyu(
    counts: tuple[np.ndarray, np.ndarray], continuity: bool
) -> None:
    a, b = counts
    z, p = rank_test(a, b, use_continuity=continuity)
    assert z.shape == p.shape == (a.shape[0],)
    for i in range(a.shape[0]):
        x, y = expand(a[i]), expand(b[i])
        if x.size == 0 or y.size == 0:
            assert np.isnan(z[i]) and np.isnan(p[i])
            continue
        ref = sps.mannwhitneyu(x, y, method="asymptotic", use_continuity=continuity)
        dev, sigma = naive_u(x, y)
        # scipy reports U of its first sample: U_x = n_x n_y - U_y
        assert x.size * y.size - float(ref.statistic) - x.size * y.size / 2 == dev
        if sigma == 0:  # all tied: scipy gives p = 1 with continuity, 0/0 without
            assert (z[i], p[i]) == (0.0, 1.0)
            continue
        size = max(abs(dev) - 0.5, 0.0) if continuity else abs(dev)
        assert z[i] == pytest.approx(math.copysign(size, dev) / sigma, abs=1e-9)
        assert p[i] == pytest.approx(float(ref.pvalue), abs=1e-9)


@PROPS
@given(counts=pair)
def test_swapping_samples_flips_z_and_keeps_p(counts: tuple[np.ndarray, np.ndarray]) -> None:
    a, b = counts
    z1, p1 = rank_test(a, b)
    z2, p2 = rank_test(b, a)
    np.testing.assert_allclose(z1, -z2, atol=1e-12, equal_nan=True)
    np.testing.assert_allclose(p1, p2, atol=1e-12, equal_nan=True)


def test_rank_test_broadcasts_one_reference_against_many() -> None:
    city = hist(1, 2, 3, 4, 4, 5, 6)
    areas = np.array([[hist(5, 6, 7), hist(1, 1, 2)], [hist(4), hist(2, 6)]])
    z, p = rank_test(city, areas)
    assert z.shape == (2, 2)
    for idx in np.ndindex(2, 2):
        zi, pi = rank_test(city, areas[idx])
        assert (z[idx], p[idx]) == (float(zi), float(pi))


# --- compare -------------------------------------------------------------------------------


def test_compare_clear_improvement() -> None:
    before = hist(2, 2, 3, 3, 2, 3)
    after = hist(6, 6, 7, 7, 6, 7)
    ch = compare(before, after)
    assert float(ch.diff) == pytest.approx(4.0)
    assert bool(ch.significant) and not bool(ch.ci_overlap)
    assert float(ch.z) > 0 and float(ch.p_value) < 0.01
    assert change_hint(float(ch.diff), float(ch.p_value), bool(ch.significant)) == (
        "deutliche Verbesserung (über dem Zufallsrauschen)"
    )


def test_compare_table() -> None:
    a = np.array([hist(3, 4, 5, 4), hist(1), hist(3, 4, 5, 4), hist(), hist(2, 2, 3, 3, 2, 3)])
    b = np.array([hist(3, 4, 5, 5), hist(*[7] * 30), hist(3, 4, 5, 4), hist(5), hist(5, 6, 5)])
    ch = compare(a, b)
    np.testing.assert_allclose(ch.diff, [0.25, 6.0, 0.0, math.nan, 16 / 3 - 2.5], equal_nan=True)
    # cell 1: p is tiny but a has n = 1 -> never "significant"
    assert float(ch.p_value[1]) < 1e-6
    assert ch.significant.tolist() == [False, False, False, False, True]
    # undefined CIs (n < 2) count as overlapping: no difference can be claimed
    assert ch.ci_overlap.tolist() == [True, True, True, True, False]


@pytest.mark.parametrize(
    ("before", "after", "overlap"),
    [
        # a: mean 4, sd 1, n 3 -> CI 4 -/+ 4.303 * 0.577 = [1.516, 6.484]
        ((3, 4, 5), (6, 7, 7, 7, 6, 7, 7, 7, 6, 7), True),
        # a: mean 2, sd 0 -> CI [2, 2]; b: mean 6.5, sd 0.527, n 10 -> [6.12, 6.88]
        ((2, 2, 2, 2), (6, 7, 7, 6, 7, 6, 7, 6, 7, 6), False),
        ((2, 2), (2, 2), True),  # equal degenerate intervals touch
    ],
)
def test_ci_overlap(before: tuple[int, ...], after: tuple[int, ...], overlap: bool) -> None:
    assert bool(compare(hist(*before), hist(*after)).ci_overlap) is overlap


# --- hints ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("diff", "p", "significant", "de", "en"),
    [
        (0.8, 0.001, True, "deutliche Verbesserung (über dem Zufallsrauschen)",
         "clear improvement (beyond random noise)"),
        (-0.8, 0.001, True, "deutliche Verschlechterung (über dem Zufallsrauschen)",
         "clear decline (beyond random noise)"),
        (0.3, 0.4, False, "Veränderung im Rahmen des Zufalls", "change within random variation"),
        (-0.3, 0.4, False, "Veränderung im Rahmen des Zufalls", "change within random variation"),
        (0.0, 1.0, False, "keine Veränderung", "no change"),
        (0.0, 0.01, True, "veränderte Verteilung bei gleichem Mittelwert "
         "(über dem Zufallsrauschen)", "different spread at the same mean (beyond random noise)"),
        (math.nan, math.nan, False, "kein Vergleich möglich (zu wenige Antworten)",
         "no comparison possible (too few ratings)"),
        (1.0, math.nan, False, "kein Vergleich möglich (zu wenige Antworten)",
         "no comparison possible (too few ratings)"),
    ],
)  # fmt: skip
def test_change_hints(diff: float, p: float, significant: bool, de: str, en: str) -> None:
    assert change_hint(diff, p, significant) == de
    assert change_hint_en(diff, p, significant) == en


@pytest.mark.parametrize(("diff", "p", "significant", "de", "en"), [
    (0.8, 0.001, True, "deutlich höher als die übrige Stadt (über dem Zufallsrauschen)",
     "clearly higher than the rest of the city (beyond random noise)"),
    (-0.8, 0.001, True, "deutlich niedriger als die übrige Stadt (über dem Zufallsrauschen)",
     "clearly lower than the rest of the city (beyond random noise)"),
    (0.0, 0.001, True, "andere Verteilung als die übrige Stadt bei gleichem Mittelwert (über "
     "dem Zufallsrauschen)", "a different spread than the rest of the city at the same mean "
     "(beyond random noise)"),
    (0.3, 0.4, False, "Unterschied im Rahmen des Zufalls", "difference within random variation"),
    (0.0, 1.0, False, "kein Unterschied", "no difference"),
    (float("nan"), float("nan"), False, "kein Vergleich möglich (zu wenige Antworten)",
     "no comparison possible (too few ratings)"),
])
def test_a_difference_between_places_is_not_called_a_change(
        diff: float, p: float, significant: bool, de: str, en: str) -> None:
    from stadtraum.analysis.comparison import difference_hint

    assert difference_hint(diff, p, significant, "rest") == de
    assert difference_hint(diff, p, significant, "rest", "en") == en
    assert "Verschlechterung" not in de and "Verbesserung" not in de
