"""Runs the single-equation attacks on a campaign and counts what they recover.

A group is *isolated* when an equation's difference of shown histograms has 1 <= n < min_n
in some area row and criterion. It is *recovered* when the attacker's estimate of its mean
(the mean of the difference) lies within ±0.5 of the group's true mean (from
:class:`~tests.analysis.attack.truth.Truth`), *exact* when the difference equals the
group's true histogram, *single* when the group is one person. A group is the set of
responses that rated the criterion, so the same people found by two attacks count once in
the total (and once in each family that found them). Only groups made up of the target
campaign's responses count for it. The respondents column (``[r, 0, …]`` per area) is one
more criterion here: a group isolated in it is a respondent count under min_n (its
"mean" is always 1, so it always counts as recovered).
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass, field, replace

import numpy as np
from sqlalchemy.engine import Engine

from stadtraum.vocab import SURVEY_MODES
from tests.analysis.attack import families as fam
from tests.analysis.attack.model import (
    CHARACTERISTICS,
    SCORES,
    Attacker,
    Published,
    View,
    allowed_views,
    categories,
    mean_of,
)
from tests.analysis.attack.truth import Truth

_MAX_CHILDREN = 10  # subsets of up to 2**10 children per parent
TOLERANCE = 0.5  # a recovery: the estimate lies within ±0.5 of the true mean (issue 10)


@dataclass(frozen=True)
class Group:
    family: str
    equation: str
    row: int
    criterion: int
    n: int
    estimate: float
    true_mean: float
    exact: bool


@dataclass
class FamilyCounts:
    equations: int = 0
    groups: int = 0  # distinct isolated groups with 1 <= n < min_n
    recoveries: int = 0
    exact: int = 0
    single: int = 0


@dataclass
class AttackReport:
    campaign: int
    min_n: int
    families: dict[str, FamilyCounts]
    total: FamilyCounts
    views: int  # distinct views computed
    engine_calls: int
    mismatches: int  # shown differences that disagree with the raw data (must be 0)
    index_checked: int  # shown overall indexes checked to equal the mean of shown means
    index_mismatches: int
    groups: list[Group] = field(default_factory=list)  # every distinct group, smallest first

    def lines(self) -> list[str]:
        out = [f"campaign {self.campaign} (min_n {self.min_n}): {self.views} views, "
               f"{self.engine_calls} engine calls, {self.mismatches} mismatches, "
               f"{self.index_checked} indexes checked ({self.index_mismatches} off)",
               f"{'family':<14}{'equations':>10}{'groups':>8}{'recovered':>10}{'exact':>7}"
               f"{'single':>8}"]
        for name, c in [*self.families.items(), ("total", self.total)]:
            out.append(f"{name:<14}{c.equations:>10}{c.groups:>8}{c.recoveries:>10}"
                       f"{c.exact:>7}{c.single:>8}")
        return out


class _Recorder:
    def __init__(self, truth: Truth, campaign: int, min_n: int) -> None:
        self.truth, self.campaign, self.min_n = truth, campaign, min_n
        self.found: dict[str, dict[tuple[int, frozenset[int]], Group]] = {}
        self.mismatches = 0

    def add(self, group: Group, members: frozenset[int]) -> None:
        if self.truth.campaigns_of(members) != {self.campaign}:
            return
        self.found.setdefault(group.family, {}).setdefault((group.criterion, members), group)

    def counts(self, groups: list[Group]) -> FamilyCounts:
        rec = [g for g in groups if abs(g.estimate - g.true_mean) <= TOLERANCE]
        return FamilyCounts(0, len(groups), len(rec), sum(g.exact for g in rec),
                            sum(g.n == 1 for g in rec))


def _isolate(rec: _Recorder, family: str, label: str, diff: np.ndarray, true: np.ndarray,
             shown: np.ndarray, mask: np.ndarray, rows_of: dict[int, list[int]]) -> None:
    """Record every isolated small group of one equation; count disagreements with the data."""
    rec.mismatches += int((shown & (diff != true).any(axis=-1)).sum())
    n = diff.sum(axis=-1)
    for row, c in np.argwhere(shown & (n >= 1) & (n < rec.min_n)):
        t = true[row, c]
        members = rec.truth.members(mask, rows_of.get(int(row), [int(row)]), int(c))
        if not 1 <= len(members) < rec.min_n:
            continue
        rec.add(Group(family, label, int(row), int(c), int(t.sum()), mean_of(diff[row, c]),
                      mean_of(t), bool((diff[row, c] == t).all())), members)


def _equation(att: Attacker, truth: Truth, rec: _Recorder, eq: fam.Equation) -> None:
    plus = att.publish(eq.plus)
    minus = [att.publish(v) for v in eq.minus]
    shown = plus.shown.copy()
    for m in minus:
        shown &= m.shown
    if eq.wave is not None:
        wave = np.zeros_like(shown)
        bottom = att.layout.bottom if att.layout else 0
        wave[:bottom] = np.logical_and.reduce(
            [att.wave_shown(v, *eq.wave) for v in (eq.plus, *eq.minus)])
        shown &= wave
    diff = plus.hist - sum((m.hist for m in minus), np.zeros_like(plus.hist))
    m_plus = truth.mask(eq.plus)
    m_minus = [truth.mask(v) for v in eq.minus]
    assert all((mm & ~m_plus).sum() == 0 for mm in m_minus), eq.label  # subsets of plus
    covered = np.sum(m_minus, axis=0, dtype=np.int64) if m_minus else np.zeros_like(m_plus)
    assert covered.max(initial=0) <= 1, eq.label  # disjoint
    mask = m_plus & (covered == 0)
    _isolate(rec, eq.family, eq.label, diff, truth.hist(mask), shown, mask, {})


def _levels(att: Attacker, truth: Truth, rec: _Recorder, pub: Published) -> int:
    """Parent minus its visible children, in one view: isolates the hidden children."""
    assert att.layout is not None
    lay = att.layout
    mask = truth.mask(pub.view)
    true = truth.hist(mask)
    found = 0
    for parent in range(len(lay.code)):
        kids = lay.children(parent)
        if kids.size == 0:
            continue
        for c in np.flatnonzero(pub.shown[parent]):
            hidden = kids[~pub.shown[kids, c]]
            if hidden.size == 0:
                continue
            found += 1
            diff = pub.hist[parent, c] - pub.hist[kids, c].sum(axis=0)
            t = true[hidden, c].sum(axis=0)
            _isolate(rec, "levels", f"{lay.code[parent]} - visible children under "
                     f"{pub.view.label()}", diff[None, None], t[None, None],
                     np.ones((1, 1), dtype=bool), mask, {0: [int(h) for h in hidden]})
    return found


def partitions(att: Attacker, campaign: int) -> list[tuple[str, View, list[View]]]:
    """The allowed views that split another allowed view into disjoint parts: "all" into the
    single categories of a characteristic (``none`` included), into the survey modes, into
    the calendar months; and, for a group of several campaigns, the group union into its
    campaigns under every allowed view."""
    base = View((campaign,))
    out = [(attr, base, [base.single(attr, c) for c in categories(vocab)])
           for attr, vocab in CHARACTERISTICS]
    out.append(("modes", base, [replace(base, modes=(m,)) for m in SURVEY_MODES]))
    months = att.months(base.campaigns)
    if months:
        out.append(("months", base, [base.month(m) for m in months]))
    group = att.group(campaign)
    if len(group) > 1:
        out += [("campaigns", replace(v, campaigns=group),
                 [replace(v, campaigns=(c,)) for c in group])
                for v in allowed_views(att, base.campaigns)]
    return out


def _cross(att: Attacker, truth: Truth, rec: _Recorder, name: str, whole: View,
           parts: list[View]) -> int:
    """Subtraction across levels *and* categories: for a parent area P, a set S of its
    children and the categories K hidden at P or at a child in S, the residual
    ``(P's whole − P's shown categories outside K) − Σ over S of the same`` is the group
    "P's other children × K", though each single equation hides at least two cells."""
    assert att.layout is not None
    lay = att.layout
    top = att.publish(whole)
    if not top.shown.any():
        return 0
    pubs = [att.publish(v) for v in parts]
    hist = np.stack([p.hist for p in pubs])  # (K, rows, C, 7)
    shown = np.stack([p.shown for p in pubs])  # (K, rows, C)
    masks = [truth.mask(v) for v in parts]
    true = np.stack([truth.hist(m) for m in masks])
    tried = 0
    for parent in range(len(lay.code)):
        kids = [int(k) for k in lay.children(parent)]
        if not kids or len(kids) > _MAX_CHILDREN:
            continue
        for size in range(len(kids)):
            for chosen in itertools.combinations(kids, size):
                rows = [parent, *chosen]
                valid = np.asarray(top.shown[rows].all(axis=0))  # (C,)
                # (K, C): the categories K per column, hidden at the parent or a chosen child
                hidden = np.asarray(~shown[:, rows].all(axis=1))
                sign = np.array([1, *([-1] * size)])[:, None, None]
                resid = (sign * (top.hist[rows] - np.einsum(
                    "kc,krcs->rcs", (~hidden).astype(np.int64), hist[:, rows]))).sum(axis=0)
                expect = (sign * np.einsum("kc,krcs->rcs", hidden.astype(np.int64),
                                           true[:, rows])).sum(axis=0)
                tried += int(valid.sum())
                rec.mismatches += int((valid & (resid != expect).any(axis=-1)).sum())
                n = resid.sum(axis=-1)
                rest = [k for k in kids if k not in chosen]
                for c in np.flatnonzero(valid & (n >= 1) & (n < rec.min_n)):
                    mask = np.logical_or.reduce([masks[k] for k in np.flatnonzero(hidden[:, c])])
                    members = truth.members(mask, rest, int(c))
                    if not 1 <= len(members) < rec.min_n:
                        continue
                    t = expect[c]
                    label = (f"{name}: {lay.code[parent]} minus children "
                             f"{[lay.code[k] for k in chosen]}, categories "
                             f"{[parts[k].label() for k in np.flatnonzero(hidden[:, c])]}")
                    rec.add(Group("cross", label, int(parent), int(c), int(t.sum()),
                                  mean_of(resid[c]), mean_of(t),
                                  bool((resid[c] == t).all())), members)
    return tried


def _direct(truth: Truth, rec: _Recorder, pub: Published) -> int:
    """Every shown cell of one view against the raw data (mismatches), and each shown cell
    that is itself a group under min_n (the focus groups alone, a month, one category)."""
    mask = truth.mask(pub.view)
    _isolate(rec, "direct", f"shown under {pub.view.label()}", pub.hist, truth.hist(mask),
             pub.shown, mask, {})
    return int(pub.shown.sum())


def _check_index(pub: Published) -> tuple[int, int]:
    """The overall index is the mean of the shown criterion means, so it adds no equation."""
    hist, shown = pub.hist[:, :-1], pub.shown[:, :-1]  # the criteria, not the respondents
    n = hist.sum(axis=-1)
    use = shown & (n > 0)
    means = (hist @ SCORES) / np.maximum(n, 1)
    expect = np.where(use, means, 0.0).sum(axis=1) / np.maximum(use.sum(axis=1), 1)
    ok = np.isfinite(pub.index)
    return int(ok.sum()), int((np.abs(expect[ok] - pub.index[ok]) > 1e-9).sum())


def run_attacks(engine: Engine, campaign: int, *, other: int | None = None,
                families: tuple[str, ...] = fam.FAMILIES, union_views: str = "all",
                attacker: Attacker | None = None) -> AttackReport:
    """Every single-equation attack of ``families`` on ``campaign`` (``other``: the second
    campaign for unions and wave comparisons; the union is ``campaign``, ``other`` and the
    rest of their group, minus every campaign but ``campaign``). ``union_views``: the views
    the union attack is tried under, "plain" (none), "complement" (each "all but one" and
    every view the filter allows) or "all" (also every nested selection). Returns the counts
    per family."""
    att = attacker or Attacker(engine)
    base = View((campaign,))
    first = att.publish(base)
    assert att.layout is not None
    truth = Truth(engine, att.layout, att.criteria)
    rec = _Recorder(truth, campaign, first.min_n)
    equations: list[fam.Equation] = []
    if "complementary" in families:
        equations += fam.complementary(base)
    if "nested" in families:
        equations += fam.nested(base)
    if "periods" in families:
        equations += fam.periods(base, *att.bounds(base.campaigns), att.months(base.campaigns))
    if "modes" in families:
        equations += fam.modes(base)
    if other is not None and "unions" in families:
        views = [base] if union_views == "plain" else fam.union_views(
            base, allowed_views(att, base.campaigns))
        if union_views == "all":
            views = list(dict.fromkeys([*views, *(v for e in fam.nested(base)
                                                   for v in (e.plus, *e.minus))]))
        members = att.group(campaign)
        others = tuple(c for c in members if c != campaign) if other in members else (other,)
        equations += fam.unions(base, others, views)
    if other is not None and "waves" in families:
        equations += fam.waves(base, other)
    counted: dict[str, int] = {}
    for eq in equations:
        counted[eq.family] = counted.get(eq.family, 0) + 1
        _equation(att, truth, rec, eq)
    if "cross" in families:
        counted["cross"] = sum(_cross(att, truth, rec, *part)
                               for part in partitions(att, campaign))
    if "direct" in families:  # every allowed view of the campaign and its group, computed
        for campaigns in dict.fromkeys([base.campaigns, att.group(campaign)]):
            for view in allowed_views(att, campaigns):
                att.publish(view)
    mine = [pub for pub in list(att.cache.values()) if campaign in pub.view.campaigns]
    if "levels" in families:
        counted["levels"] = sum(_levels(att, truth, rec, pub) for pub in mine)
    if "direct" in families:
        counted["direct"] = sum(_direct(truth, rec, pub) for pub in mine)
    index = [_check_index(p) for p in att.cache.values()]
    out: dict[str, FamilyCounts] = {}
    for name in families:
        groups = list(rec.found.get(name, {}).values())
        out[name] = replace(rec.counts(groups), equations=counted.get(name, 0))
    unique: dict[tuple[int, frozenset[int]], Group] = {}
    for found in rec.found.values():
        for key, group in found.items():
            unique.setdefault(key, group)
    total = replace(rec.counts(list(unique.values())), equations=sum(counted.values()))
    return AttackReport(campaign, first.min_n, out, total, len(att.cache), att.calls,
                        rec.mismatches, sum(i[0] for i in index), sum(i[1] for i in index),
                        sorted(unique.values(), key=lambda g: (g.n, g.family, g.row)))
