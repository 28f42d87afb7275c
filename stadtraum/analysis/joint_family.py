"""The family of tables of the exact method (issue 10, item 1), built from the cube.

A view filters by at most one characteristic, one category or "all" (see
:mod:`stadtraum.analysis.joint_suppression`). For one campaign the family is the "all" table
(survey modes, whole campaign, everyone) and, per dimension, one table per category:

* ``mode``: the survey modes (street, paper, online) — they sum to "all"; the focus groups
  are outside "all": optionally their own table ``focus``, in no category equation (only in
  the levels' and the campaigns' equations). A view "all modes including focus groups" must
  not be offered, or "with" minus "without" would isolate the focus groups;
* ``age``, ``gender``, ``relation``: the codes of the vocabulary plus ``none`` ("keine
  Angabe");
* ``month``: each calendar month with responses (``2026-05``), summing to the whole
  campaign.

Keys are ``"all"`` and ``"dimension=category"``; a union of campaigns prefixes each
campaign's keys with its label and ``|``. Pure numpy; reads the cube's public columns: one
pass over the campaign's rows counts age, gender, relation and month together (a bincount
per criterion over the joint key; split into several passes only when that key would exceed
about a million bins), while mode and "all" come from the cube's per-campaign histograms
without a pass.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np

from stadtraum.analysis import bin_audit
from stadtraum.analysis.cube import EPOCH, CubeFilter, ResponseCube
from stadtraum.analysis.joint_suppression import Equations, build_equations, joint_suppress
from stadtraum.vocab import (
    AGE_BANDS,
    GENDERS,
    MODES,
    NOT_GIVEN,
    RELATIONS,
    STATUSES,
    SURVEY_MODES,
)

__all__ = ["DIMENSIONS", "Family", "cube_family", "family_groups", "rollup_family",
           "union_family"]

DIMENSIONS = ("mode", "age", "gender", "relation", "month")
NO_ANSWER = NOT_GIVEN  # "ohne Angabe": a category of its own
_ROW_DIMENSIONS = {"age": AGE_BANDS, "gender": GENDERS, "relation": RELATIONS}


@dataclass(frozen=True)
class Family:
    """Stacked tables of one criterion set: ``counts[l]`` is ``(T, A_l, C, 7)``, the 7-bin
    histograms per table, area of level l and criterion (the city last, ``A = 1``)."""

    keys: tuple[str, ...]
    counts: tuple[np.ndarray, ...]
    parents: tuple[np.ndarray, ...]
    groups: tuple[tuple[int, tuple[int, ...]], ...]
    count_columns: tuple[int, ...] = ()  # columns whose only figure is n (respondents)

    @property
    def n(self) -> list[np.ndarray]:
        return [c.sum(axis=-1) for c in self.counts]

    def table(self, key: str) -> int:
        return self.keys.index(key)

    def equations(self) -> Equations:
        return build_equations(self.n, self.parents, self.groups)

    def masks(self, min_n: int | Sequence[int] | np.ndarray,
              equations: Equations | None = None, *, audit: bool = True) -> list[np.ndarray]:
        """The suppression masks, one ``(T, A_l, C)`` array per level (``min_n``: one value
        or one per table): the rules of :func:`joint_suppress`, then, unless ``audit`` is
        False, the histogram audit (:mod:`bin_audit`) and its extra cells, each followed by
        the rules again, until no small hidden cell is narrow."""
        eqs = equations if equations is not None else self.equations()
        masks = joint_suppress(self.n, self.parents, self.groups, min_n, equations=eqs)
        if not audit:
            return masks
        per_table = np.broadcast_to(np.atleast_1d(np.asarray(min_n, dtype=np.int64)),
                                    (len(self.keys),))
        grouped = {int(t) for t, parts in self.groups for t in (t, *parts)}
        alone = [t for t in range(len(self.keys)) if t not in grouped]
        while True:
            leaks = bin_audit.audit(self.counts, masks, self.parents, self.groups, per_table,
                                    alone=alone, count_only=self.count_columns)
            extra = [(*leak.partner, leak.column) for leak in leaks if leak.partner]
            if not extra:
                return masks
            for level, table, row, column in extra:
                masks[level][table, row, column] = True
            masks = joint_suppress(self.n, self.parents, self.groups, min_n, hidden=masks,
                                   equations=eqs)


def family_groups(keys: Sequence[str]) -> tuple[tuple[int, tuple[int, ...]], ...]:
    """Per dimension (and per campaign prefix ``label|``): "all" = sum of its categories."""
    index = {k: i for i, k in enumerate(keys)}
    parts: dict[tuple[str, str], list[int]] = {}
    for i, key in enumerate(keys):
        prefix, _, local = key.rpartition("|")
        if "=" in local:
            parts.setdefault((prefix, local.split("=", 1)[0]), []).append(i)
    out = []
    for (prefix, _), members in parts.items():
        total = index[f"{prefix}|all" if prefix else "all"]
        out.append((total, tuple(members)))
    return tuple(out)


def rollup_family(keys: Sequence[str], bottom: np.ndarray, parents: Sequence[np.ndarray],
                  groups: Sequence[tuple[int, tuple[int, ...]]] | None = None,
                  count_columns: Sequence[int] = ()) -> Family:
    """A family from bottom-level histograms ``(T, A_0, C, 7)``: each level above is the sum
    of its children (``parents[l]`` maps level l to level l + 1); the last map must lead to
    a single row (the city)."""
    levels = [np.asarray(bottom, dtype=np.int64)]
    if levels[0].ndim != 4 or levels[0].shape[0] != len(keys):
        raise ValueError(f"bottom must be (tables, areas, criteria, 7) with {len(keys)} tables")
    for k, parent in enumerate(parents):
        p = np.asarray(parent, dtype=np.intp)
        above = np.zeros((levels[-1].shape[0], int(p.max(initial=-1)) + 1,
                          *levels[-1].shape[2:]), dtype=np.int64)
        if p.shape != (levels[-1].shape[1],):
            raise ValueError(f"parents[{k}] must have one entry per area of level {k}")
        np.add.at(above.swapaxes(0, 1), p, levels[-1].swapaxes(0, 1))  # view: in place
        levels.append(above)
    if levels[-1].shape[1] != 1:
        raise ValueError("the last level must be the city (one row)")
    return Family(tuple(keys), tuple(levels), tuple(np.asarray(p, dtype=np.intp)
                                                    for p in parents),
                  tuple(groups) if groups is not None else family_groups(keys),
                  tuple(int(c) for c in count_columns))


def _month_index(day: np.ndarray) -> np.ndarray:
    epoch = np.datetime64(EPOCH.isoformat(), "D")
    return (epoch + day.astype("timedelta64[D]")).astype("datetime64[M]").astype(np.int64)


def cube_family(cube: ResponseCube, campaign_id: int, area_pos: np.ndarray, n_pos: int,
                parents: Sequence[np.ndarray],
                dimensions: Sequence[str] = DIMENSIONS, *,
                criteria: Sequence[int] | None = None, respondents: bool = False,
                focus: bool = False) -> Family:
    """The family of one campaign on the areas mapped by ``area_pos`` (area database id →
    bottom position, -1 = not shown; as in :meth:`ResponseCube.histograms`), rolled up with
    ``parents`` to the city.

    ``criteria``: the cube's criterion columns to count (default: all, in the cube's order).
    ``respondents``: one more column after them, the number of valid responses (whether or
    not they rated anything) as the histogram ``[r, 0, …, 0]``, so respondent counts are
    suppressed in the same equations as the ratings. ``focus``: one more table ``focus``
    (the focus groups alone), outside "all" and so in no category equation."""
    unknown = set(dimensions) - set(DIMENSIONS)
    if unknown:
        raise ValueError(f"unknown dimensions: {sorted(unknown)}")
    cols = list(range(len(cube.criteria))) if criteria is None else [int(k) for k in criteria]
    c = (int(campaign_id),)

    def by_modes(modes: tuple[str, ...]) -> np.ndarray:
        counts, resp = cube.histograms(CubeFilter(c, modes=modes), area_pos, n_pos)
        counts = counts[:, cols, :]
        if not respondents:
            return counts
        extra = np.zeros((n_pos, 1, 7), dtype=np.int64)
        extra[:, 0, 0] = resp
        return np.concatenate([counts, extra], axis=1)

    keys = ["all"]
    tables = [by_modes(SURVEY_MODES)]
    if focus:
        keys.append("focus")
        tables.append(by_modes(("focus_group",)))
    if "mode" in dimensions:
        for m in SURVEY_MODES:
            keys.append(f"mode={m}")
            tables.append(by_modes((m,)))
    row_dims = [d for d in dimensions if d != "mode"]
    if row_dims and cube.n:
        camp, status, mode = cube.col("campaign"), cube.col("status"), cube.col("mode")
        survey = np.zeros(len(MODES.codes), dtype=bool)
        survey[[MODES.index(m) for m in SURVEY_MODES]] = True
        rows = np.flatnonzero((camp == c[0]) & (status == STATUSES.index("valid"))
                              & survey[mode])
        area = cube.col("area")[rows].astype(np.int64)
        lookup = np.full(max(len(area_pos), int(area.max(initial=0)) + 1), -1, dtype=np.int64)
        lookup[: len(area_pos)] = area_pos
        pos = lookup[area]
        rows, pos = rows[pos >= 0], pos[pos >= 0]
        cats: list[np.ndarray] = []
        sizes: list[int] = []
        for dim in row_dims:
            if dim == "month":
                day = cube.col("day")[rows]
                lo, hi = (int(day.min()), int(day.max())) if day.size else (0, -1)
                lut = _month_index(np.arange(lo, hi + 1))  # one entry per day, not per row
                codes = np.unique(lut)
                cat = np.searchsorted(codes, lut)[day - lo]
                labels = [str(np.datetime64(int(m), "M")) for m in codes]
            else:
                labels = [NO_ANSWER, *_ROW_DIMENSIONS[dim].codes]
                cat = cube.col(dim)[rows].astype(np.int64) + 1  # -1 (not given) -> 0
            keys.extend(f"{dim}={label}" for label in labels)
            cats.append(cat.reshape(-1))
            sizes.append(len(labels))
        scores = cube.scores[cols][:, rows]  # (C, N) once, reused by every pass
        if respondents:  # every row "rates" the respondents column with 1
            scores = np.vstack([scores, np.ones((1, rows.size), dtype=scores.dtype)])
        for pack in _packs(sizes, n_pos):
            tables.extend(_joint_counts([cats[i] for i in pack], [sizes[i] for i in pack], pos,
                                        n_pos, scores))
    elif row_dims:
        empty = np.zeros((n_pos, len(cols) + int(respondents), 7), dtype=np.int64)
        for dim in row_dims:
            labels = ([NO_ANSWER, *_ROW_DIMENSIONS[dim].codes] if dim != "month" else [])
            keys.extend(f"{dim}={label}" for label in labels)
            tables.extend(empty for _ in labels)
    return rollup_family(keys, np.stack(tables), parents,
                         count_columns=(len(cols),) if respondents else ())


def _packs(sizes: Sequence[int], n_pos: int, budget: int = 1 << 20) -> list[list[int]]:
    """Consecutive dimensions counted in one pass while the joint key (categories × areas ×
    8 scores) stays within ``budget`` bins."""
    packs: list[list[int]] = []
    bins = budget + 1
    for i, k in enumerate(sizes):
        width = max(k, 1) * n_pos * 8
        if packs and bins * max(k, 1) <= budget:
            packs[-1].append(i)
            bins *= max(k, 1)
        else:
            packs.append([i])
            bins = width
    return packs


def _joint_counts(cats: Sequence[np.ndarray], sizes: Sequence[int], pos: np.ndarray,
                  n_pos: int, scores: np.ndarray) -> list[np.ndarray]:
    """One pass for several dimensions: per criterion a bincount over the joint key
    (categories, area, score), then each dimension's margin -> its tables
    ``(n_pos, C, 7)``, in the order of ``cats``."""
    key = np.zeros(pos.shape, dtype=np.int64)
    for cat, k in zip(cats, sizes, strict=True):
        key = key * k + cat
    key = (key * n_pos + pos) * 8
    joint_shape = (*sizes, n_pos, 8)
    size = int(np.prod(joint_shape))
    outs = [np.empty((k, n_pos, scores.shape[0], 8), dtype=np.int64) for k in sizes]
    axes = tuple(range(len(sizes)))
    for crit in range(scores.shape[0]):
        joint = np.bincount(key + scores[crit], minlength=size).reshape(joint_shape)
        for d, out in enumerate(outs):
            out[:, :, crit, :] = joint.sum(axis=tuple(a for a in axes if a != d))
    return [table for out in outs for table in out[..., 1:]]


def union_family(families: Mapping[str, Family]) -> Family:
    """The family of several campaigns viewed together, on one hierarchy: the union tables
    (unprefixed keys, each the sum of the campaigns' tables of that key) first, then every
    campaign's tables (keys ``label|key``). Equations: the union's own dimensions, each
    campaign's, and union = sum over campaigns for every key (a key only one campaign has
    makes the union table equal to it, so both are shown or hidden together)."""
    if not families:
        raise ValueError("at least one campaign family is needed")
    first = next(iter(families.values()))
    keys: list[str] = []
    for fam in families.values():
        if len(fam.counts) != len(first.counts) or any(
                not np.array_equal(a, b) for a, b in zip(fam.parents, first.parents,
                                                          strict=True)):
            raise ValueError("all campaigns must share one hierarchy")
        keys.extend(k for k in fam.keys if k not in keys)
    levels = []
    for lv, base in enumerate(first.counts):
        union = np.zeros((len(keys), *base.shape[1:]), dtype=np.int64)
        for fam in families.values():
            union[[keys.index(k) for k in fam.keys]] += fam.counts[lv]
        levels.append(np.concatenate([union, *(f.counts[lv] for f in families.values())]))
    all_keys = keys + [f"{label}|{k}" for label, fam in families.items() for k in fam.keys]
    index = {k: i for i, k in enumerate(all_keys)}
    campaigns = [(key, tuple(index[f"{label}|{key}"] for label, fam in families.items()
                             if key in fam.keys)) for key in keys]
    groups = family_groups(all_keys) + tuple((index[k], parts) for k, parts in campaigns)
    return Family(tuple(all_keys), tuple(levels), first.parents, groups, first.count_columns)
