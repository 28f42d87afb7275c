"""The exact method in the product (issue 10): every view is one table of a solved family.

A planners' view filters by at most one characteristic — period (the whole campaign or one
calendar month), mode, age band, gender or relation — with one category or "all"; "ohne
Angabe" (the question left unanswered) is a category. :func:`table_key` names the family
table a :class:`~stadtraum.analysis.cube.CubeFilter` selects and refuses every other filter
with a German error.

Each campaign's family (:mod:`stadtraum.analysis.joint_family`) is built from the cube and
solved by :func:`~stadtraum.analysis.joint_suppression.joint_suppress` once per change of
the data (:meth:`~stadtraum.analysis.cube_store.CubeProvider.derived`). Every view and the
wave comparison read their masks from that one solution, so no two views of the same data
disagree about a cell. Respondent counts are one more column of the same tables and
suppressed in the same equations. Several campaigns in one view are refused
(:func:`raise_union_refused`): their union tables would tie each wave's cells to the other's
(docs/statistik.md). :class:`GroupTables` and :func:`build_group_tables` still take a group
of campaigns, solved together with their union (used by the core's tests).
"""

from __future__ import annotations

import calendar
import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from stadtraum.analysis.cube import CubeFilter, ResponseCube
from stadtraum.analysis.joint_family import Family, cube_family, union_family
from stadtraum.errors import ValidationError
from stadtraum.vocab import (
    AGE_BANDS,
    GENDERS,
    MODES,
    NOT_GIVEN,
    RELATIONS,
    SURVEY_MODES,
    Vocabulary,
)

__all__ = ["GroupTables", "build_group_tables", "month_period", "raise_union_refused",
           "table_key", "view_key"]

FOCUS_KEY = "focus"

_CHARACTERISTICS: tuple[tuple[str, str, Vocabulary, str, str], ...] = (
    ("age_bands", "age", AGE_BANDS, "Altersgruppe", "age band"),
    ("genders", "gender", GENDERS, "Geschlecht", "gender"),
    ("relations", "relation", RELATIONS, "Bezug zum Ort", "relation"),
)


def month_period(month: str) -> tuple[dt.date, dt.date]:
    """``2026-05`` -> (1 May, 31 May); a German error for anything else."""
    try:
        year, mon = (int(part) for part in month.split("-"))
        first = dt.date(year, mon, 1)
    except (ValueError, TypeError) as err:
        raise ValidationError(f"„{month}“ ist kein Kalendermonat (JJJJ-MM).",
                              f"not a calendar month: {month!r}", field="period") from err
    return first, dt.date(year, mon, calendar.monthrange(year, mon)[1])


def _month_of(period: tuple[dt.date, dt.date]) -> str:
    lo, hi = period
    if lo.day != 1 or (lo.year, lo.month) != (hi.year, hi.month) \
            or hi.day != calendar.monthrange(hi.year, hi.month)[1]:
        raise ValidationError(
            "Als Zeitraum ist nur die ganze Befragung oder ein ganzer Kalendermonat möglich "
            "(Geheimhaltung: aus der Differenz zweier Zeiträume ließen sich einzelne Antworten "
            "errechnen).",
            f"period {lo}..{hi} is not one calendar month", field="period")
    return f"{lo.year:04d}-{lo.month:02d}"


def table_key(flt: CubeFilter) -> str:
    """The family table of a filter: ``all``, ``focus``, ``mode=street``, ``age=30_44``,
    ``gender=none``, ``month=2026-05`` … A filter with more than one characteristic, a set
    of several categories, "all modes with the focus groups" or a period other than one
    calendar month is refused (ValidationError)."""
    keys: list[str] = []
    modes = tuple(flt.modes)
    if set(modes) != set(SURVEY_MODES):
        unknown = [m for m in modes if m not in MODES.codes]
        if unknown or len(modes) != 1:
            raise ValidationError(
                "Bitte genau eine Erhebungsart oder „alle“ wählen (Geheimhaltung: mehrere "
                "Erhebungsarten zusammen ließen sich gegeneinander verrechnen).",
                f"modes {modes} are not one mode or the survey modes", field="mode")
        keys.append(FOCUS_KEY if modes[0] == "focus_group" else f"mode={modes[0]}")
    if flt.period is not None:
        keys.append(f"month={_month_of(flt.period)}")
    for attr, dim, vocab, de, en in _CHARACTERISTICS:
        codes = getattr(flt, attr)
        if codes is None:
            continue
        if len(codes) != 1 or (codes[0] not in vocab.codes and codes[0] != NOT_GIVEN):
            raise ValidationError(
                f"Bei „{de}“ bitte genau eine Angabe oder „alle“ wählen (Geheimhaltung).",
                f"{en}: {tuple(codes)} is not one category", field=vocab.name)
        keys.append(f"{dim}={codes[0]}")
    if len(keys) > 1:
        raise ValidationError(
            "Bitte nur nach einem Merkmal zugleich filtern: Zeitraum, Erhebungsart, "
            "Altersgruppe, Geschlecht oder Bezug zum Ort (Geheimhaltung: Kombinationen "
            "ließen sich gegeneinander verrechnen).",
            f"filter on {len(keys)} characteristics: {keys}", field="filter")
    return keys[0] if keys else "all"


def raise_union_refused() -> None:
    """Several campaigns together are not offered (docs/statistik.md): their union tables
    would tie each wave's cells to the others' (union minus one wave gives the other), so
    every wave would lose the cells its neighbours hide."""
    raise ValidationError(
        "Befragungen lassen sich nicht zusammenfassen (Geheimhaltung: die Summe zweier Wellen "
        "minus eine Welle ergäbe die andere, jede Welle verlöre dadurch Zellen). Die "
        "Wellenansicht vergleicht Befragungen nebeneinander.",
        "several campaigns in one view are not offered", field="campaign")


def view_key(group: Sequence[int], campaign_ids: Sequence[int], key: str) -> str:
    """The key of a view in its group's family: a campaign of a group of several is
    ``"<id>|<key>"``, the group as a whole (or a group of one) the plain key."""
    chosen = sorted({int(c) for c in campaign_ids})
    members = sorted({int(c) for c in group})
    if len(chosen) == 1 and len(members) > 1:
        return f"{chosen[0]}|{key}"
    if chosen != members:
        raise ValidationError(
            "Befragungen lassen sich nur alle zusammen zusammenfassen: alle Wellen mit "
            "Antworten auf dieser Gebietsgliederung und mit diesem Kriterienkatalog "
            "(Geheimhaltung).",
            f"campaigns {chosen} are not the group {members}", field="campaign")
    return key


@dataclass(frozen=True)
class GroupTables:
    """A solved family: ``counts[l]`` ``(T, A_l, C + 1, 7)`` per level (bottom first, the
    city last; the last column holds the respondents as ``[r, 0, …]``) and ``masks[l]``
    ``(T, A_l, C + 1)``, True = suppressed."""

    group: tuple[int, ...]
    keys: tuple[str, ...]
    counts: tuple[np.ndarray, ...]
    masks: tuple[np.ndarray, ...]
    min_n: tuple[int, ...]  # per table

    def find(self, key: str) -> int | None:
        try:
            return self.keys.index(key)
        except ValueError:
            return None


def build_group_tables(cube: ResponseCube, group: Sequence[tuple[int, int]],
                       area_pos: np.ndarray, n_pos: int, parents: Sequence[np.ndarray],
                       criteria: Sequence[int]) -> GroupTables:
    """Build and solve the family of ``group`` (campaign id, min_n; ordered by id) on the
    areas of ``area_pos`` with ``parents`` up to the city, for the cube columns
    ``criteria`` plus the respondents."""
    families: dict[str, Family] = {
        str(cid): cube_family(cube, cid, area_pos, n_pos, parents, criteria=criteria,
                              respondents=True, focus=True)
        for cid, _ in group}
    min_n = {str(cid): int(m) for cid, m in group}
    if len(group) == 1:
        fam = next(iter(families.values()))
        per_table = [min_n[str(group[0][0])]] * len(fam.keys)
    else:
        fam = union_family(families)
        top = max(min_n.values())
        per_table = [min_n[k.split("|", 1)[0]] if "|" in k else top for k in fam.keys]
    masks = fam.masks(np.asarray(per_table, dtype=np.int64))
    return GroupTables(tuple(cid for cid, _ in group), fam.keys, fam.counts, tuple(masks),
                       tuple(per_table))
