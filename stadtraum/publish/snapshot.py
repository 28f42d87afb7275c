"""The published snapshot's rule (pure): which value each public cell shows.

A cell is (level, area code, criterion id; ``""`` for the overall index). Public values are the
engine's suppressed results rounded to one decimal, with no n. A republication takes a cell's
new value only when its n grew by at least ``min_n`` since the value it shows was published;
otherwise the cell keeps its old value (or stays hidden). So someone who reads a public figure
before and after one person answered sees no change, and the change they do see comes from at
least ``min_n`` new people.

The n behind each shown value (:attr:`Cell.basis_n`) is kept on the server for this rule only
and never leaves it.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from stadtraum.analysis.results import Results

__all__ = ["INDEX", "Cell", "Key", "cells_of", "changed", "republish"]

INDEX = ""  # criterion id of the overall index
Key = tuple[str, str, str]  # (level name, area code, criterion id or INDEX)


@dataclass(frozen=True)
class Cell:
    value: float | None  # rounded to one decimal; None: hidden (suppressed or no ratings)
    basis_n: int  # the n the shown value was computed from (server-side only)


def _shown(value: float, hidden: bool) -> float | None:
    return None if hidden or math.isnan(value) else round(float(value), 1)


def cells_of(results: Results) -> dict[Key, Cell]:
    """Every cell of every level of ``results`` as the engine publishes it now (exact n)."""
    ids = [c.id for c in results.criteria]
    out: dict[Key, Cell] = {}
    for table in results.levels:
        for a, code in enumerate(table.areas["code"].astype(str).tolist()):
            for c, cid in enumerate(ids):
                out[(table.name, code, cid)] = Cell(
                    _shown(float(table.stats.mean[a, c]), bool(table.suppressed[a, c])),
                    int(table.stats.n[a, c]))
            out[(table.name, code, INDEX)] = Cell(
                _shown(float(table.index[a]), bool(table.index_suppressed[a])),
                int(table.respondents[a]))
    return out


def republish(old: Mapping[Key, Cell], new: Mapping[Key, Cell], min_n: int) -> dict[Key, Cell]:
    """The cells to publish now: a cell seen before takes ``new`` only when its n grew by at
    least ``min_n``; a cell never published before takes ``new`` as it is. Cells that are gone
    from ``new`` (an area no longer in the campaign) keep their old value."""
    out: dict[Key, Cell] = dict(old)
    for key, cell in new.items():
        before = old.get(key)
        if before is None or cell.basis_n - before.basis_n >= min_n:
            out[key] = cell
    return out


def changed(old: Mapping[Key, Cell], now: Mapping[Key, Cell]) -> Iterable[Key]:
    """The keys whose stored row must be written."""
    return [k for k, cell in now.items() if old.get(k) != cell]
