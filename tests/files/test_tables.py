"""Reading uploaded tables: which XLSX sheet is read (the street directory and paper forms
share the reader; only the paper import names its sheet)."""

from __future__ import annotations

import io

from openpyxl import Workbook  # type: ignore[import-untyped,unused-ignore]

from stadtraum.files.tables import read_table


def _two_sheets() -> bytes:
    wb = Workbook()
    first = wb.active
    first.title = "Hinweise"
    first.append(["Hinweis"])
    first.append(["bitte ausfüllen"])
    forms = wb.create_sheet("Bögen")
    forms.append(["bogen_nr", "gebiet"])
    forms.append([1, "Q01"])
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def test_the_named_sheet_is_read_when_present() -> None:
    table = read_table(_two_sheets(), "vorlage.xlsx", "Bögen")
    assert table.header == ["bogen_nr", "gebiet"]
    assert table.rows == [(2, [1, "Q01"])]
    assert "Bögen" in table.source


def test_without_a_sheet_name_or_a_missing_one_the_first_sheet_is_read() -> None:
    assert read_table(_two_sheets(), "x.xlsx").header == ["Hinweis"]
    assert read_table(_two_sheets(), "x.xlsx", "Gibt es nicht").header == ["Hinweis"]


def test_csv_ignores_the_sheet_name() -> None:
    table = read_table("strasse;gebiet\nHauptstraße;Q01\n".encode(), "s.csv", "Bögen")
    assert table.header == ["strasse", "gebiet"] and table.rows == [(2, ["Hauptstraße", "Q01"])]
