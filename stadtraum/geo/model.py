"""Plain data passed between the geodata steps (read → prepare → hierarchy/display)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from stadtraum.errors import GeoImportError

# geopandas ships no type information; frames are typed as ``Any`` on purpose.
GeoDataFrame = Any


@dataclass(frozen=True)
class Note:
    """Something that was repaired, assumed or worth a look; shown to the admin after import.

    ``row`` is the 0-based feature index in the file (``None`` for notes about the whole file).
    """

    code: str
    message_de: str
    message_en: str
    row: int | None = None


@dataclass
class RawLayer:
    """A boundary file as read: all attribute columns, geometry reprojected to EPSG:4326."""

    frame: GeoDataFrame
    source_crs: str
    reprojected: bool
    notes: list[Note] = field(default_factory=list)


@dataclass
class PreparedLayer:
    """Validated areas: columns ``code``, ``name``, ``parent_code`` and ``geometry`` (EPSG:4326).

    Row order is the feature order of the file, so row ``i`` is feature ``i + 1``.
    """

    frame: GeoDataFrame
    notes: list[Note]
    code_field: str
    name_field: str


@dataclass
class ParentAssignment:
    """Per child (same order as the input) the parent's code, plus notes on weak overlaps."""

    codes: list[str | None]
    notes: list[Note] = field(default_factory=list)


def feature_de(row: int) -> str:
    """German label of a 0-based feature index, e.g. ``Objekt 3``."""
    return f"Objekt {row + 1}"


def feature_en(row: int) -> str:
    """English label of a 0-based feature index, e.g. ``feature 3``."""
    return f"feature {row + 1}"


def human_size(n: float) -> str:
    """A byte count for people: ``512 Byte``, ``19.5 kB``, ``200.0 MB``."""
    if n < 1024:
        return f"{n:.0f} Byte"
    if n < 1024 * 1024:
        return f"{n / 1024:.1f} kB"
    return f"{n / (1024 * 1024):.1f} MB"


def reject(message_de: str, message_en: str, row: int | None = None) -> GeoImportError:
    """Build the error for a rejected file (call sites ``raise reject(...)``)."""
    return GeoImportError(message_de, message_en, row=row)
