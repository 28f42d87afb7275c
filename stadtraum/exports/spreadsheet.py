"""Exports that are safe to open in a spreadsheet (formula injection neutralised)."""

from __future__ import annotations

import re

import pandas as pd

# A cell starting with one of these is read as a formula by spreadsheet programs.
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")
# A lone CR inside a text: pandas' CSV writer (line terminator "\n") does not quote it, and a
# spreadsheet then starts a new row there, whose first cell may be a formula.
_BARE_CR = re.compile(r"\r(?!\n)")


def neutralise(value: object) -> object:
    """Prefix a text that a spreadsheet would evaluate with an apostrophe."""
    if isinstance(value, str) and value.startswith(FORMULA_PREFIXES):
        return "'" + value
    return value


def _safe_cell(value: object) -> object:
    value = neutralise(value)
    if isinstance(value, str) and "\r" in value:
        value = _BARE_CR.sub("\n", value)  # a line break the CSV writer quotes
    return value


def safe_frame(frame: pd.DataFrame) -> pd.DataFrame:
    """A copy whose text cells (and column names) cannot start a formula, not even after a
    line break inside the cell."""
    out = frame.copy()
    for col in out.columns:
        if out[col].dtype == object or pd.api.types.is_string_dtype(out[col]):
            out[col] = out[col].map(_safe_cell)
    out.columns = [str(_safe_cell(str(c))) for c in out.columns]
    return out
