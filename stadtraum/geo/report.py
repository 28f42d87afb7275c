"""The validation and cleaning report of a boundary file as rows: what was read, detected,
assumed, repaired or cleaned. The command line prints these rows as text, the upload page
shows them as a table; both build them here from the same notes."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from stadtraum.geo.model import Note, feature_de, feature_en

__all__ = ["KINDS", "ReportRow", "report_rows", "report_text"]

# note code -> (German, English) kind shown in the report's first column
KINDS: dict[str, tuple[str, str]] = {
    "read_warning": ("Lesen", "Reading"),
    "encoding_assumed": ("Zeichensatz", "Encoding"),
    "name_field_detected": ("Feld erkannt", "Field detected"),
    "code_field_detected": ("Feld erkannt", "Field detected"),
    "crs_assumed": ("Koordinatensystem", "Coordinate system"),
    "crs_assumed_wgs84": ("Koordinatensystem", "Coordinate system"),
    "crs_overridden": ("Koordinatensystem", "Coordinate system"),
    "assume_crs_ignored": ("Koordinatensystem", "Coordinate system"),
    "z_dropped": ("Geometrie", "Geometry"),
    "geometry_repaired": ("Geometrie repariert", "Geometry repaired"),
    "coverage_cleaned": ("Überlappungen und Lücken", "Overlaps and gaps"),
    "area_changed": ("Fläche geändert", "Area changed"),
    "parent_low_overlap": ("Zuordnung prüfen", "Check parent"),
    "new_version": ("Neue Version", "New version"),
}
_OTHER = ("Hinweis", "Note")


@dataclass(frozen=True)
class ReportRow:
    """One line of the report; ``row`` is the 0-based feature index (``None``: whole file)."""

    code: str
    kind_de: str
    kind_en: str
    row: int | None
    message_de: str
    message_en: str

    def kind(self, lang: str = "de") -> str:
        return self.kind_en if lang == "en" else self.kind_de

    def feature(self, lang: str = "de") -> str:
        """``Objekt 3`` / ``feature 3``, or empty for a note about the whole file."""
        if self.row is None:
            return ""
        return feature_en(self.row) if lang == "en" else feature_de(self.row)

    def message(self, lang: str = "de") -> str:
        return self.message_en if lang == "en" else self.message_de


def report_rows(notes: Iterable[Note]) -> list[ReportRow]:
    """The notes of reading, preparing and importing a file, in their order."""
    rows = []
    for note in notes:
        kind_de, kind_en = KINDS.get(note.code, _OTHER)
        rows.append(ReportRow(note.code, kind_de, kind_en, note.row, note.message_de,
                              note.message_en))
    return rows


def report_text(rows: Iterable[ReportRow], lang: str = "de") -> list[str]:
    """The rows as the command line prints them: ``  Hinweis: <message>``."""
    word = "Note" if lang == "en" else "Hinweis"
    return [f"  {word}: {r.message(lang)}" for r in rows]
