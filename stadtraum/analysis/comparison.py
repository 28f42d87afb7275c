"""Comparing two sets of histograms: wave 1 vs wave 2, area A vs area B (DESIGN §3.3).

Pure numpy/scipy on 7-bin histograms ``(..., 7)`` (see :mod:`stadtraum.analysis.stats`). The rank
test assumes two *independent* samples: to compare an area with its parent or the city,
pass the parent's counts minus the area's counts ("the rest"), not the parent itself.
Nothing here applies confidentiality; only compare cells that are published, and treat
``p_value`` per cell: across 14 criteria × many areas about 1 in 20 unchanged cells will
look "significant" by chance.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
from scipy import special

from stadtraum.analysis.stats import as_counts, summarize

__all__ = ["ALPHA", "Change", "change_hint", "change_hint_en", "compare", "difference_hint",
           "rank_test"]

ALPHA = 0.05
_SCORES = np.arange(1, 8, dtype=np.float64)


def rank_test(
    counts_a: np.ndarray, counts_b: np.ndarray, *, use_continuity: bool = True
) -> tuple[np.ndarray, np.ndarray]:
    """Two-sided Mann–Whitney U test computed from histograms, vectorised over cells.

    ``counts_a`` and ``counts_b`` have shapes ``(..., 7)`` that broadcast. Returns
    ``(z, p)`` of the broadcast leading shape:

    - ``z``: the standardised statistic of sample **b**, positive when b's ratings tend to
      be higher (better) than a's. ``U_b`` = number of pairs (x from a, y from b) with
      ``y > x`` plus half the tied pairs; ``z = (U_b - n_a n_b / 2) / sigma`` with the tie
      corrected ``sigma**2 = n_a n_b / 12 * ((N + 1) - sum(t**3 - t) / (N (N - 1)))``
      (``t`` = pooled count per score, ``N = n_a + n_b``). With ``use_continuity`` (the
      default) ``|U_b - mu|`` is reduced by 0.5, not below 0.
    - ``p``: two-sided p-value from the normal approximation, ``2 * Phi(-|z|)``, at most 1.
      It equals ``scipy.stats.mannwhitneyu(a, b, method="asymptotic",
      use_continuity=use_continuity).pvalue`` on the expanded ratings.

    Both are NaN where either side has n == 0. Where all ratings are tied (sigma == 0)
    ``z = 0`` and ``p = 1``.
    """
    a, b = np.broadcast_arrays(as_counts(counts_a), as_counts(counts_b))
    af = a.astype(np.float64)
    bf = b.astype(np.float64)
    n_a = af.sum(axis=-1)
    n_b = bf.sum(axis=-1)
    pooled = af + bf
    total = n_a + n_b
    # mid-rank of score s in the pooled sample: ratings below it, plus (t_s + 1) / 2
    midrank = np.cumsum(pooled, axis=-1) - pooled + (pooled + 1.0) / 2.0
    u_b = np.sum(bf * midrank, axis=-1) - n_b * (n_b + 1.0) / 2.0
    dev = u_b - n_a * n_b / 2.0
    ties = np.sum(pooled**3 - pooled, axis=-1)
    valid = (n_a > 0) & (n_b > 0)
    with np.errstate(invalid="ignore", divide="ignore"):
        var = n_a * n_b / 12.0 * ((total + 1.0) - ties / (total * (total - 1.0)))
        sigma = np.sqrt(np.maximum(var, 0.0))
        size = np.abs(dev)
        if use_continuity:
            size = size - 0.5
        z_abs = size / sigma
        p = np.minimum(1.0, 2.0 * special.ndtr(-z_abs))
        z = np.sign(dev) * np.maximum(z_abs, 0.0)
    tied = valid & ~(sigma > 0)
    z = np.where(valid, np.where(tied, 0.0, z), np.nan)
    p = np.where(valid, np.where(tied, 1.0, p), np.nan)
    return z, p


@dataclass(frozen=True, eq=False)
class Change:
    """Change from a to b per cell; arrays of the broadcast leading shape.

    ``diff`` = mean_b - mean_a (positive = better, as 7 is the best score; NaN where a side
    is empty); ``z`` and ``p_value`` from :func:`rank_test`; ``significant`` is
    ``p_value < alpha`` and both sides have n >= 2; ``ci_overlap`` is True where the two
    95 % confidence intervals of the mean overlap, and also where either interval is
    undefined (n < 2), since then no difference can be claimed.
    """

    diff: np.ndarray
    z: np.ndarray
    p_value: np.ndarray
    significant: np.ndarray
    ci_overlap: np.ndarray


def compare(counts_a: np.ndarray, counts_b: np.ndarray, *, alpha: float = ALPHA) -> Change:
    """Compare histograms a (before / reference) and b (after / other), cell by cell."""
    a, b = np.broadcast_arrays(as_counts(counts_a), as_counts(counts_b))
    sa, sb = summarize(a), summarize(b)
    z, p = rank_test(a, b)
    with np.errstate(invalid="ignore"):
        significant = (p < alpha) & (sa.n >= 2) & (sb.n >= 2)
        apart = (sa.ci_low > sb.ci_high) | (sb.ci_low > sa.ci_high)
    return Change(
        diff=sb.mean - sa.mean,
        z=z,
        p_value=p,
        significant=significant,
        ci_overlap=~apart,
    )


_HINTS = {
    "none": (
        "kein Vergleich möglich (zu wenige Antworten)",
        "no comparison possible (too few ratings)",
    ),
    "up": (
        "deutliche Verbesserung (über dem Zufallsrauschen)",
        "clear improvement (beyond random noise)",
    ),
    "down": (
        "deutliche Verschlechterung (über dem Zufallsrauschen)",
        "clear decline (beyond random noise)",
    ),
    "shape": (
        "veränderte Verteilung bei gleichem Mittelwert (über dem Zufallsrauschen)",
        "different spread at the same mean (beyond random noise)",
    ),
    "noise": ("Veränderung im Rahmen des Zufalls", "change within random variation"),
    "same": ("keine Veränderung", "no change"),
}


# a difference between two places at the same time: "higher/lower than", never "change"
_THAN = {"rest": ("die übrige Stadt", "the rest of the city"),
         "first": ("das erste Gebiet", "the first area")}
_DIFFERENCE_HINTS = {
    "none": _HINTS["none"],
    "up": ("deutlich höher als {than} (über dem Zufallsrauschen)",
           "clearly higher than {than} (beyond random noise)"),
    "down": ("deutlich niedriger als {than} (über dem Zufallsrauschen)",
             "clearly lower than {than} (beyond random noise)"),
    "shape": ("andere Verteilung als {than} bei gleichem Mittelwert (über dem Zufallsrauschen)",
              "a different spread than {than} at the same mean (beyond random noise)"),
    "noise": ("Unterschied im Rahmen des Zufalls", "difference within random variation"),
    "same": ("kein Unterschied", "no difference"),
}


def difference_hint(diff: float, p: float, significant: bool, than: str,
                    lang: str = "de") -> str:
    """The hint for a difference between two areas (``diff`` = this area minus the other),
    which is not a change over time: "deutlich niedriger als die übrige Stadt". ``than``:
    ``rest`` (the rest of the city) or ``first`` (the first area chosen)."""
    en = lang == "en"
    words = _DIFFERENCE_HINTS[_hint_key(float(diff), float(p), bool(significant))][en]
    return words.format(than=_THAN[than][en])


def _hint_key(diff: float, p: float, significant: bool) -> str:
    if not (math.isfinite(diff) and math.isfinite(p)):
        return "none"
    if significant:
        return "up" if diff > 0 else "down" if diff < 0 else "shape"
    return "same" if diff == 0 else "noise"


def change_hint(diff: float, p: float, significant: bool) -> str:
    """One-line German hint for planners, e.g. "Veränderung im Rahmen des Zufalls"."""
    return _HINTS[_hint_key(float(diff), float(p), bool(significant))][0]


def change_hint_en(diff: float, p: float, significant: bool) -> str:
    """The English counterpart of :func:`change_hint`."""
    return _HINTS[_hint_key(float(diff), float(p), bool(significant))][1]
