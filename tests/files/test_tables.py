"""Reading uploaded tables: which XLSX sheet is read (the street directory and paper forms
share the reader; only the paper import names its sheet)."""

from __future__ import annotations

import io
import zipfile

import pytest
from openpyxl import Workbook  # type: ignore[import-untyped,unused-ignore]

from stadtraum.errors import ValidationError
from stadtraum.files import tables
from stadtraum.files.tables import read_table
from tests.files import hostile_xlsx


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


# --- hostile files: refused with one German sentence before anything is parsed ------------

def _refused(data: bytes) -> ValidationError:
    with pytest.raises(ValidationError) as info:
        read_table(data, "boegen.xlsx")
    assert info.value.field == "file" and "\n" not in info.value.message_de
    return info.value


def test_an_honest_workbook_is_read() -> None:
    table = read_table(hostile_xlsx.workbook(), "b.xlsx")
    assert table.header == ["bogen_nr", "gebiet", "moving_around"]


def test_member_larger_than_the_directory_says_is_refused() -> None:
    """The directory claims 200 bytes; the sheet really unpacks to about 2 MB."""
    honest = hostile_xlsx.workbook()
    big = hostile_xlsx.replace_member(
        honest, hostile_xlsx.SHARED_STRINGS,
        b'<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
        + b"<si><t>bogen_nr</t></si>" * 80_000 + b"</sst>")
    err = _refused(hostile_xlsx.lie_about_size(big, hostile_xlsx.SHARED_STRINGS, 200))
    assert "xl/sharedStrings.xml" in err.message_de
    assert "größer als angegeben" in err.message_de


def test_member_that_really_unpacks_past_the_limit_is_refused_early() -> None:
    """110 MB of real content behind a directory entry that says 1 kB: counted while
    decompressing, refused at the limit (never trusting the header)."""
    honest = hostile_xlsx.workbook()
    bomb = hostile_xlsx.replace_member(honest, hostile_xlsx.SHEET,
                                       chunks=(b" " * (1 << 20), 110))
    assert len(bomb) < tables.MAX_BYTES  # passes the upload size check
    err = _refused(hostile_xlsx.lie_about_size(bomb, hostile_xlsx.SHEET, 1024))
    assert "entpackt zu groß" in err.message_de and "100 MB" in err.message_de


@pytest.mark.parametrize("member", [hostile_xlsx.SHARED_STRINGS, hostile_xlsx.SHEET])
def test_xml_entity_bomb_is_refused(member: str) -> None:
    bomb = hostile_xlsx.BILLION_LAUGHS.encode()
    if member == hostile_xlsx.SHEET:
        bomb = bomb.replace(b"<sst ", b"<worksheet ").replace(
            b'count="1" uniqueCount="1"><si><t>&lol9;</t></si></sst>',
            b'><sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>&lol9;</t></is></c>'
            b"</row></sheetData></worksheet>")
    err = _refused(hostile_xlsx.replace_member(hostile_xlsx.workbook(), member, bomb))
    assert member in err.message_de and "XML" in err.message_de


def test_a_declared_entity_without_doctype_keyword_in_utf16_is_still_refused() -> None:
    """A part in UTF-16 hides the DOCTYPE from a byte search; the XML parser (defusedxml
    through openpyxl) refuses the entity declaration all the same."""
    bomb = hostile_xlsx.BILLION_LAUGHS.replace('encoding="UTF-8"', 'encoding="UTF-16"')
    err = _refused(hostile_xlsx.replace_member(hostile_xlsx.workbook(),
                                               hostile_xlsx.SHARED_STRINGS,
                                               bomb.encode("utf-16")))
    assert "XML" in err.message_de


def test_openpyxl_parses_with_defusedxml() -> None:
    """defusedxml is a dependency because openpyxl switches to it when it is installed."""
    import defusedxml.ElementTree
    import openpyxl.xml
    import openpyxl.xml.functions

    assert openpyxl.xml.DEFUSEDXML is True
    assert openpyxl.xml.functions.iterparse is defusedxml.ElementTree.iterparse


@pytest.mark.parametrize("cut", [0.5, 0.9])
def test_truncated_workbook_is_refused_not_crashed(cut: float) -> None:
    data = hostile_xlsx.workbook()
    err = _refused(data[: int(len(data) * cut)])
    assert "keine lesbare XLSX-Datei" in err.message_de


def test_member_with_damaged_data_is_refused_before_parsing() -> None:
    data = bytearray(hostile_xlsx.workbook())
    with zipfile.ZipFile(io.BytesIO(bytes(data))) as zf:
        info = zf.getinfo(hostile_xlsx.SHEET)
    start = info.header_offset + 30 + len(info.filename) + len(info.extra)
    for i in range(start + 10, start + info.compress_size - 10):
        data[i] ^= 0x5A
    err = _refused(bytes(data))
    assert hostile_xlsx.SHEET in err.message_de and "beschädigt" in err.message_de
