"""Synthetic survey responses: deterministic, well-typed, and realistic enough to demo."""

from __future__ import annotations

from dataclasses import fields

import numpy as np
import pytest

from stadtraum.demo.synthetic import (
    FORMULA_COMMENT,
    PERIOD_DAYS,
    XSS_COMMENT,
    SyntheticResponses,
    demo_area_weights,
    east_west_effects,
    generate_responses,
)
from stadtraum.vocab import AGE_BANDS, GENDERS, MODES, RELATIONS

C = 14
POPULATIONS = [9350, 4200, 2600, 12000, 1500, 7800, 3300, 5100, 6100, 2900,
               4800, 8700, 3900, 1700, 2200, 5600, 6900, 3100, 4400, 10400,
               2500, 3700, 7200, 1900, 5900, 4600, 3400, 8100, 2800, 6300]
A = len(POPULATIONS)


@pytest.fixture(scope="module")
def weights() -> np.ndarray:
    return demo_area_weights(POPULATIONS, seed=11, n_responses=20_000)


@pytest.fixture(scope="module")
def demo(weights: np.ndarray) -> SyntheticResponses:
    effects = east_west_effects(np.linspace(8.1, 8.26, A), C)
    return generate_responses(20_000, weights, C, area_effects=effects)


def _arrays(r: SyntheticResponses) -> dict[str, np.ndarray]:
    return {f.name: getattr(r, f.name) for f in fields(r) if f.name != "comments"}


def _means(r: SyntheticResponses, wave: int) -> np.ndarray:
    """Mean score per (area, criterion) in one wave, ignoring 'keine Angabe'; NaN if none."""
    sel = r.wave == wave
    rated = (r.scores[sel] > 0).astype(np.float64)
    total, count = np.zeros((A, C)), np.zeros((A, C))
    np.add.at(total, r.area_index[sel], r.scores[sel].astype(np.float64))
    np.add.at(count, r.area_index[sel], rated)
    with np.errstate(invalid="ignore"):
        return total / np.where(count > 0, count, np.nan)


def test_deterministic_for_a_seed(weights: np.ndarray, demo: SyntheticResponses) -> None:
    effects = east_west_effects(np.linspace(8.1, 8.26, A), C)
    again = generate_responses(20_000, weights, C, area_effects=effects)
    for name, array in _arrays(demo).items():
        assert np.array_equal(array, getattr(again, name)), name
    assert demo.comments == again.comments
    other = generate_responses(20_000, weights, C, area_effects=effects, seed=8)
    assert not np.array_equal(demo.scores, other.scores)


def test_shapes_and_dtypes(demo: SyntheticResponses) -> None:
    n = len(demo)
    assert n == 20_000
    expected = {"area_index": np.int32, "wave": np.int8, "mode": np.int8, "age_band": np.int8,
                "gender": np.int8, "relation": np.int8, "day_offset": np.int32}
    for name, dtype in expected.items():
        array = getattr(demo, name)
        assert array.dtype == dtype and array.shape == (n,), name
    assert demo.scores.dtype == np.uint8 and demo.scores.shape == (n, C)
    assert demo.priorities.dtype == np.int8 and demo.priorities.shape == (n, 3)
    assert demo.latent_means.shape == (2, A, C)


def test_value_ranges(demo: SyntheticResponses) -> None:
    assert demo.area_index.min() >= 0 and demo.area_index.max() < A
    assert set(np.unique(demo.wave)) == {0, 1}
    assert set(np.unique(demo.mode)) == set(range(len(MODES.codes)))
    counts = np.bincount(demo.mode, minlength=len(MODES.codes)) / len(demo)
    assert counts[MODES.index("street")] > 0.5
    assert 0 < counts[MODES.index("focus_group")] < counts[MODES.index("paper")]
    for array, vocab in ((demo.age_band, AGE_BANDS), (demo.gender, GENDERS),
                         (demo.relation, RELATIONS)):
        assert array.min() == -1 and array.max() == len(vocab.codes) - 1
        assert 0.07 < np.mean(array == -1) < 0.13
    assert demo.day_offset.min() >= 0 and demo.day_offset.max() < PERIOD_DAYS


def test_scores_and_keine_angabe(demo: SyntheticResponses) -> None:
    assert demo.scores.max() <= 7
    assert set(np.unique(demo.scores)) == set(range(8))
    missing = (demo.scores == 0).mean(axis=0)
    assert ((missing > 0.03) & (missing < 0.13)).all()
    assert (demo.scores > 0).any(axis=1).all()  # at least one rating per response


def test_respondent_level_correlation(demo: SyntheticResponses) -> None:
    """Within one area and wave, a respondent's ratings of different criteria correlate."""
    area = np.argmax(np.bincount(demo.area_index, minlength=A))
    sel = (demo.area_index == area) & (demo.wave == 0)
    scores = demo.scores[sel].astype(np.float64)
    corr = [np.corrcoef(scores[ok, i], scores[ok, j])[0, 1]
            for i, j in ((0, 1), (4, 11), (8, 13))
            for ok in [(scores[:, i] > 0) & (scores[:, j] > 0)]]
    assert min(corr) > 0.15


def test_spatial_variation(demo: SyntheticResponses) -> None:
    big = np.bincount(demo.area_index, minlength=A) >= 400
    overall = np.nanmean(_means(demo, 0)[big], axis=1)
    assert overall.max() - overall.min() > 0.7
    plain = generate_responses(30_000, np.ones(A), C, waves=1)  # no caller effects
    means = _means(plain, 0)
    assert np.ptp(np.nanmean(means, axis=1)) > 0.5  # areas differ overall
    assert np.median(np.ptp(means, axis=0)) > 1.0  # and per criterion


def test_some_areas_fall_under_min_n(demo: SyntheticResponses) -> None:
    counts = np.bincount(demo.area_index, minlength=A)
    assert 2 <= np.sum(counts < 5) <= 3
    assert np.sum(counts >= 100) >= A - 5


@pytest.mark.parametrize("n", [6000, 12_000])
def test_tiny_areas_scale_with_the_sample(n: int) -> None:
    weights = demo_area_weights(POPULATIONS, n_responses=n)
    r = generate_responses(n, weights, C)
    for wave in (0, 1):
        counts = np.bincount(r.area_index[r.wave == wave], minlength=A)
        assert 2 <= np.sum(counts < 5) <= 3


def test_demo_area_weights(weights: np.ndarray) -> None:
    assert weights.shape == (A,) and np.isclose(weights.sum(), 1.0)
    assert (weights > 0).all() and np.sum(weights < 1e-3) == 3
    assert np.array_equal(weights, demo_area_weights(POPULATIONS, seed=11, n_responses=20_000))
    assert np.sum(demo_area_weights(POPULATIONS[:8]) < 1e-3) == 2


def test_second_wave_differs(demo: SyntheticResponses) -> None:
    change = _means(demo, 1) - _means(demo, 0)
    counts = np.bincount(demo.area_index, minlength=A)
    assert np.nanmax(change[counts >= 400]) > 0.5  # some area clearly improves
    assert abs(np.nanmedian(change)) < 0.2  # most cells barely move
    latent = demo.latent_means
    assert np.sum(latent[1] - latent[0] > 0.5) >= 5


def test_priorities(demo: SyntheticResponses) -> None:
    p = demo.priorities
    assert p.min() >= -1 and p.max() < C
    given = p >= 0
    assert (given[:, 1] <= given[:, 0]).all() and (given[:, 2] <= given[:, 1]).all()
    full = p[given.all(axis=1)]
    assert len(full) > 0
    assert (full[:, 0] != full[:, 1]).all() and (full[:, 1] != full[:, 2]).all()
    assert (full[:, 0] != full[:, 2]).all()
    assert 0.1 < np.mean(~given.any(axis=1)) < 0.3


def test_comments(demo: SyntheticResponses) -> None:
    comments = demo.comments
    assert 0.02 * len(demo) < len(comments) < 0.08 * len(demo)
    for row, criterion, kind, text in comments:
        assert 0 <= row < len(demo) and 0 <= criterion < C
        assert kind in ("good", "better") and text.strip()
    assert [c[3] for c in comments].count(XSS_COMMENT) == 1
    assert [c[3] for c in comments].count(FORMULA_COMMENT) == 1
    assert sum("<img src=x onerror=alert(1)>" in c[3] for c in comments) == 1
    assert sum("=SUM(A1)" in c[3] for c in comments) == 1
    assert len({c[3] for c in comments}) > 40
    keys = [(row, criterion, kind) for row, criterion, kind, _ in comments]
    assert keys == sorted(set(keys))


def test_area_effects_shift_means(weights: np.ndarray) -> None:
    flat = np.ones(A) / A
    east = np.zeros((A, C))
    east[A // 2:] = 1.5
    r = generate_responses(30_000, flat, C, waves=1, area_effects=east)
    means = np.nanmean(_means(r, 0), axis=1)
    assert means[A // 2:].mean() - means[: A // 2].mean() > 1.0
    gradient = east_west_effects([0.0, 1.0, 2.0], C)
    assert gradient.shape == (3, C) and (gradient[0] == -gradient[2]).all()


def test_other_catalogue_sizes_and_bad_input(weights: np.ndarray) -> None:
    r = generate_responses(500, [1.0, 2.0], 16, waves=3, seed=1)
    assert r.scores.shape == (500, 16) and set(np.unique(r.wave)) == {0, 1, 2}
    assert all(text for *_, text in r.comments)
    assert len(generate_responses(0, [1.0], 3)) == 0
    with pytest.raises(ValueError):
        generate_responses(10, [0.0, 0.0], C)
    with pytest.raises(ValueError):
        generate_responses(10, weights, C, area_effects=np.zeros((A, C + 1)))


def test_two_hundred_thousand_rows(weights: np.ndarray) -> None:
    r = generate_responses(200_000, weights, C, seed=3)
    assert r.scores.shape == (200_000, C) and r.scores.max() <= 7
    counts = np.bincount(r.area_index, minlength=A)
    assert counts.sum() == 200_000 and (counts[weights > 1e-3] > 1000).all()
    assert [c[3] for c in r.comments].count(XSS_COMMENT) == 1
