"""Statistics from 7-bin histograms (DESIGN §3.3): pure numpy/scipy, no I/O.

The sufficient statistics are ``counts``: an integer array of shape ``(..., 7)`` whose last
axis holds, for one cell (typically area × criterion), the number of ratings with score
``s = 1..7`` at index ``s - 1``. Everything here is derived from such histograms and is
vectorised over any leading shape; there is no Python loop over cells.

Counts add up, so rolling a quarter up into its district or the city is a sum
(:func:`rollup`), never a re-scan of responses.

Quantile definition
-------------------
Median and quartiles are exact and equal ``numpy.quantile(x, p)`` with numpy's default
``method="linear"`` (Hyndman & Fan type 7), where ``x`` is the cell's ratings expanded from
the histogram and sorted: with ``n`` ratings, ``h = (n - 1) * p``, ``lo = floor(h)``,
``hi = min(lo + 1, n - 1)`` and 0-based order statistics ``x[k]``::

    Q(p) = x[lo] + (h - lo) * (x[hi] - x[lo])

``x[k]`` is read from the cumulative counts without expanding anything. Because scores are
small integers and ``h - lo`` is a multiple of 1/4 for the quartiles, the result is exactly
what numpy returns (0, 0.25, 0.5 or 0.75 between two neighbouring order statistics).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from scipy import special

N_SCORES = 7
_SCORES = np.arange(1, N_SCORES + 1, dtype=np.float64)
CONFIDENCE = 0.95

__all__ = [
    "CONFIDENCE",
    "N_SCORES",
    "CellStats",
    "as_counts",
    "overall_index",
    "quantile_from_counts",
    "rollup",
    "summarize",
    "t_quantile",
]


def as_counts(counts: np.ndarray) -> np.ndarray:
    """Validate a histogram array and return it as int64 (no copy when already int64).

    Raises ``ValueError`` when the last axis is not 7 long, when values are negative or
    when the array is not integer-valued.
    """
    arr = np.asarray(counts)
    if arr.ndim == 0 or arr.shape[-1] != N_SCORES:
        raise ValueError(f"counts must have shape (..., {N_SCORES}), got {arr.shape}")
    if arr.dtype.kind not in "iub":
        if arr.dtype.kind == "f" and np.all(np.isfinite(arr)) and np.all(arr == np.rint(arr)):
            arr = arr.astype(np.int64)
        else:
            raise ValueError(f"counts must be integers, got dtype {arr.dtype}")
    arr = arr.astype(np.int64, copy=False)
    if arr.size and arr.min() < 0:
        raise ValueError("counts must not be negative")
    return arr


def t_quantile(df: np.ndarray, q: float = 0.5 + CONFIDENCE / 2) -> np.ndarray:
    """Student-t quantile ``scipy.stats.t.ppf(q, df)``, elementwise; NaN where ``df < 1``.

    Calls ``scipy.special.stdtrit`` directly, the function ``t.ppf`` itself evaluates, which
    avoids the per-call overhead of the distribution-object machinery.
    """
    df_f = np.asarray(df, dtype=np.float64)
    with np.errstate(invalid="ignore"):
        out = np.asarray(special.stdtrit(np.where(df_f >= 1, df_f, 1.0), q), dtype=np.float64)
    return np.where(df_f >= 1, out, np.nan)


def quantile_from_counts(counts: np.ndarray, p: float) -> np.ndarray:
    """Exact ``p``-quantile of every histogram, numpy 'linear' method; NaN where n == 0.

    See the module docstring for the definition. ``counts`` has shape ``(..., 7)``; the
    result has shape ``counts.shape[:-1]``. Bit-identical to ``numpy.quantile`` for the
    quartiles; for other ``p`` equal up to floating-point rounding of ``(n - 1) * p``.
    """
    if not 0.0 <= p <= 1.0:
        raise ValueError(f"p must lie in [0, 1], got {p}")
    c = as_counts(counts)
    cum = _CUMULATE @ _bins_first(c)
    return _quantiles(cum, (p,))[0].reshape(c.shape[:-1])


# lower-triangular ones: _CUMULATE @ bins -> cumulative counts (a BLAS call, not a slow
# cumsum over a length-7 axis)
_CUMULATE = np.tril(np.ones((N_SCORES, N_SCORES)))


def _bins_first(c: np.ndarray) -> np.ndarray:
    """(..., 7) int counts -> contiguous float64 (7, M); exact below 2**53."""
    return np.ascontiguousarray(c.reshape(-1, N_SCORES).T, dtype=np.float64)


def _quantiles(cum: np.ndarray, ps: tuple[float, ...]) -> np.ndarray:
    """Quantiles ``ps`` from cumulative counts ``cum`` (7, M) -> (len(ps), M); NaN if n == 0.

    Order statistic k (0-based) has score ``1 + #{s < 7: cum[s] <= k}``.
    """
    n = cum[-1]
    h = (n - 1.0) * np.asarray(ps, dtype=np.float64)[:, None]
    lo = np.floor(h)
    frac = h - lo
    hi = np.minimum(lo + 1.0, n - 1.0)
    k = np.concatenate([lo, hi])
    below = (cum[:-1, None, :] <= k).view(np.uint8)
    x = np.add.reduce(below, axis=0, dtype=np.uint8) + 1.0
    x_lo, x_hi = x[: len(ps)], x[len(ps) :]
    out = x_lo + frac * (x_hi - x_lo)
    out[:, n == 0] = np.nan
    return out


@dataclass(frozen=True, eq=False)
class CellStats:
    """Statistics per cell; every array has shape ``counts.shape[:-1]`` and is read-only.

    ``n`` is int64, all others float64 and NaN where ``n == 0``. ``sd`` is the sample
    standard deviation (ddof=1); ``sd``, ``ci_low`` and ``ci_high`` (95 % CI of the mean,
    Student t with n - 1 df) are NaN where ``n < 2``. ``median``, ``q1``, ``q3`` follow the
    module's quantile definition. ``share_low``/``share_high`` are the shares (0..1) of
    scores 1–2 and 6–7. Nothing here is suppressed: see :mod:`stadtraum.analysis.suppression`.
    """

    n: np.ndarray
    mean: np.ndarray
    sd: np.ndarray
    ci_low: np.ndarray
    ci_high: np.ndarray
    median: np.ndarray
    q1: np.ndarray
    q3: np.ndarray
    share_low: np.ndarray
    share_high: np.ndarray

    @property
    def shape(self) -> tuple[int, ...]:
        return tuple(self.n.shape)


def summarize(counts: np.ndarray) -> CellStats:
    """All cell statistics of ``counts`` (shape ``(..., 7)``), vectorised over the cells."""
    c = as_counts(counts)
    shape = c.shape[:-1]
    bins = _bins_first(c)  # (7, M) float64
    n = bins.sum(axis=0)
    s1 = _SCORES @ bins
    s2 = (_SCORES * _SCORES) @ bins
    empty = n == 0
    with np.errstate(invalid="ignore", divide="ignore"):
        mean = np.where(empty, np.nan, s1 / n)
        # n*S2 - S1^2 is an exact integer in float64 while 49 n^2 < 2**53 (n < 1.3e7)
        var = np.maximum(n * s2 - s1 * s1, 0.0) / (n * (n - 1.0))
        sd = np.where(n >= 2, np.sqrt(var), np.nan)
        half = _t975(n - 1.0) * sd / np.sqrt(n)
        share_low = np.where(empty, np.nan, (bins[0] + bins[1]) / n)
        share_high = np.where(empty, np.nan, (bins[5] + bins[6]) / n)
    q1, median, q3 = _quantiles(_CUMULATE @ bins, (0.25, 0.5, 0.75))

    def out(a: np.ndarray) -> np.ndarray:
        a = np.asarray(a).reshape(shape)
        a.flags.writeable = False
        return a

    return CellStats(
        n=out(c.sum(axis=-1)),
        mean=out(mean),
        sd=out(sd),
        ci_low=out(mean - half),
        ci_high=out(mean + half),
        median=out(median.copy()),
        q1=out(q1.copy()),
        q3=out(q3.copy()),
        share_low=out(share_low),
        share_high=out(share_high),
    )


def _t975(df: np.ndarray) -> np.ndarray:
    """``t_quantile(df)`` evaluated once per distinct df (few distinct n per table)."""
    uniq, inverse = np.unique(df, return_inverse=True)
    return t_quantile(uniq)[inverse]


def rollup(counts: np.ndarray, parent_index: np.ndarray, n_parents: int) -> np.ndarray:
    """Sum child rows into parent rows: ``out[p] = sum(counts[i] for i with parent p)``.

    ``counts`` has shape ``(A, ...)`` (e.g. histograms ``(A, C, 7)``, n per cell ``(A, C)``
    or respondents per area ``(A,)``); ``parent_index`` is an integer array of shape
    ``(A,)`` with values in ``[0, n_parents)``. Returns shape ``(n_parents, ...)`` with the
    dtype of ``counts``; parents without children get zeros.
    """
    arr = np.asarray(counts)
    idx = np.asarray(parent_index)
    if arr.ndim == 0:
        raise ValueError("counts must have at least one axis (the rows to roll up)")
    if idx.ndim != 1 or idx.shape[0] != arr.shape[0]:
        raise ValueError(f"parent_index must have shape ({arr.shape[0]},), got {idx.shape}")
    if idx.size and idx.dtype.kind not in "iu":
        raise ValueError(f"parent_index must be integer, got dtype {idx.dtype}")
    if n_parents < 0 or (idx.size and (idx.min() < 0 or idx.max() >= n_parents)):
        raise ValueError(f"parent_index values must lie in [0, {n_parents})")
    out = np.zeros((n_parents, *arr.shape[1:]), dtype=arr.dtype)
    np.add.at(out, idx.astype(np.intp, copy=False), arr)
    return out


def overall_index(mean: np.ndarray, published: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Overall index per area: mean of the criterion means over published criteria only.

    ``mean`` and ``published`` (bool, True = shown) have shape ``(..., C)``. Suppressed
    criteria (and NaN means) are left out, so a hidden criterion mean cannot be derived back
    from the index and the visible criteria. Returns ``(index, k)``: the index (float64,
    NaN where no criterion is included) and the number ``k`` (int64) of criteria it
    includes, both of shape ``(...)``. Whether the index itself may be shown is decided by
    :func:`stadtraum.analysis.suppression.index_suppressed`.
    """
    m = np.asarray(mean, dtype=np.float64)
    pub = np.asarray(published, dtype=bool)
    if m.shape != pub.shape or m.ndim == 0:
        raise ValueError(f"mean {m.shape} and published {pub.shape} must have one shape")
    use = pub & np.isfinite(m)
    k = use.sum(axis=-1).astype(np.int64)
    total = np.where(use, m, 0.0).sum(axis=-1)
    with np.errstate(invalid="ignore", divide="ignore"):
        index = np.where(k > 0, total / k, np.nan)
    return index, k
