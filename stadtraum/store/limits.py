"""Length limits of the text columns, read from the table models, checked before writing.

PostgreSQL refuses a value longer than its ``VARCHAR(n)`` column with a raw SQL error, and
SQLite stores it silently. Every use case that stores text typed by a person or read from a
file checks it here first, so that both engines behave alike and the person gets one German
sentence naming the field (and the row of the file) instead of an SQL error. The limit is
the model's column length, so changing a column in :mod:`stadtraum.store.db` (and its
migration) changes the check with it.
"""

from __future__ import annotations

from typing import Any

from stadtraum.errors import ValidationError

__all__ = ["check_length", "column_limit", "fit_length"]


def column_limit(model: Any, column: str) -> int:
    """The declared length of ``model``'s ``String(n)`` column ``column`` (n)."""
    length = getattr(model.__table__.c[column].type, "length", None)
    if length is None:
        raise TypeError(f"{model.__name__}.{column} has no declared length")
    return int(length)


def check_length(value: str, model: Any, column: str, *, what_de: str,
                 field: str | None = None, where_de: str = "", where_en: str = "") -> str:
    """``value`` unchanged if it fits ``model.column``; else a :class:`ValidationError`.

    ``what_de`` names the value for people ("Der Name des Gebiets"); ``where_de`` and
    ``where_en`` say where it came from ("Objekt 3 (Zeile 3 der Datei): ").
    """
    limit = column_limit(model, column)
    if len(value) <= limit:
        return value
    table = model.__table__.name
    raise ValidationError(
        f"{where_de}{what_de} ist zu lang ({len(value)} Zeichen, höchstens {limit}): "
        f"„{value[:40]}…“. Bitte kürzen.",
        f"{where_en}{table}.{column} too long ({len(value)} characters, limit {limit})",
        field=field or column)


def fit_length(value: str, model: Any, column: str) -> str:
    """``value`` cut to the column's length, for labels derived by the program (a CRS name,
    a search key) that a person cannot shorten and that need not be exact."""
    limit = column_limit(model, column)
    return value if len(value) <= limit else value[: limit - 1] + "…"
