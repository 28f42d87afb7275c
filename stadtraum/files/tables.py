"""Reading an uploaded table (CSV or XLSX: typed-in paper forms, a street directory) into a
plain table of cells.

CSV: the encoding is detected (UTF-8 with or without BOM, UTF-16 with BOM, else Windows-1252)
and the separator (``;``, ``,`` or tab) from the header line. XLSX: the named sheet (e.g. the
paper template's "Bögen"), else the first sheet; formulas are read as their text, never
evaluated. Row numbers are those a spreadsheet shows (header = 1); rows without any value are
skipped.
"""

from __future__ import annotations

import copy
import csv
import datetime as dt
import io
import zipfile
import zlib
from dataclasses import dataclass
from xml.etree import ElementTree

from openpyxl import load_workbook  # type: ignore[import-untyped,unused-ignore]

from stadtraum.errors import ValidationError

MAX_BYTES = 10 * 1024 * 1024
MAX_UNZIPPED = 100 * 1024 * 1024
MAX_ROWS = 20_000
MAX_MEMBERS = 1000  # an XLSX written by Excel or LibreOffice has a few dozen parts
_SCAN_CHUNK = 64 * 1024
# DTD and entity declarations, also as UTF-16 (an XML part may be UTF-16 encoded); parsing
# goes through defusedxml as well (openpyxl uses it when installed), this refuses earlier
_DTD_MARKERS = tuple(word.encode(codec) for word in ("<!DOCTYPE", "<!ENTITY")
                     for codec in ("ascii", "utf-16-le", "utf-16-be"))
_MARKER_TAIL = max(len(m) for m in _DTD_MARKERS)
_ZIP, _OLE = b"PK\x03\x04", b"\xd0\xcf\x11\xe0"
Cell = str | int | float | dt.date | dt.datetime | bool | None


@dataclass(frozen=True)
class Table:
    header: list[str]
    rows: list[tuple[int, list[Cell]]]  # (row number in the file, cells)
    source: str  # e.g. "CSV, UTF-8, Trennzeichen ;"


def _bad(de: str, en: str) -> ValidationError:
    return ValidationError(de, en, field="file")


def _decode(data: bytes) -> tuple[str, str]:
    for bom, codec, label in ((b"\xef\xbb\xbf", "utf-8-sig", "UTF-8 mit BOM"),
                              (b"\xff\xfe", "utf-16", "UTF-16"), (b"\xfe\xff", "utf-16", "UTF-16")):
        if data.startswith(bom):
            try:
                return data.decode(codec), label
            except UnicodeDecodeError as exc:
                raise _bad(f"Die Datei beginnt wie {label}, enthält aber ungültige Zeichen (Byte "
                           f"{exc.start + 1}). Bitte erneut als CSV (UTF-8) speichern.",
                           f"invalid {codec}") from None
    if b"\x00" in data:
        raise _bad("Die Datei enthält Null-Bytes: keine Textdatei in UTF-8 oder Windows-1252 "
                   "(vielleicht UTF-16 ohne BOM oder eine Binärdatei). Bitte als CSV (UTF-8) "
                   "oder XLSX speichern.", "NUL bytes in CSV")
    try:
        return data.decode("utf-8"), "UTF-8"
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("cp1252"), "Windows-1252"
    except UnicodeDecodeError as exc:
        raise _bad(f"Zeichenkodierung nicht erkannt (Byte {exc.start + 1}): bitte als CSV in "
                   "UTF-8 speichern.", "unknown encoding") from None


def _separator(text: str) -> str:
    first = next((line for line in text.splitlines() if line.strip()), "")
    counts: dict[str, int] = {";": 0, ",": 0, "\t": 0}
    quoted = False
    for ch in first:
        if ch == '"':
            quoted = not quoted
        elif not quoted and ch in counts:
            counts[ch] += 1
    best = max(counts, key=lambda k: counts[k])
    if counts[best] == 0:
        raise _bad("In der Kopfzeile wurde kein Trennzeichen (; , oder Tabulator) gefunden – "
                   "ist das die Vorlage mit den Spaltennamen?", "no CSV separator found")
    return best


def _blank(cells: list[Cell]) -> bool:
    return all(c is None or (isinstance(c, str) and not c.strip()) for c in cells)


def read_csv(data: bytes) -> Table:
    text, encoding = _decode(data)
    if not text.strip():
        raise _bad("Die Datei ist leer.", "empty file")
    sep = _separator(text)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=sep, strict=True)
    rows: list[tuple[int, list[Cell]]] = []
    header: list[str] | None = None
    try:
        for number, record in enumerate(reader, start=1):
            if header is None:
                if _blank(list(record)):
                    continue
                header = list(record)
                continue
            if not _blank(list(record)):
                rows.append((number, list(record)))
            if len(rows) > MAX_ROWS:
                raise _bad(f"Mehr als {MAX_ROWS} Zeilen – bitte in mehrere Dateien teilen.",
                           "too many rows")
    except csv.Error as exc:
        raise _bad(f"CSV-Datei ist fehlerhaft (Zeile {reader.line_num}): {exc}.",
                   f"malformed CSV: {exc}") from None
    label = {";": ";", ",": ",", "\t": "Tabulator"}[sep]
    return Table(header or [], rows, f"CSV, {encoding}, Trennzeichen {label}")


def _unreadable(exc: BaseException) -> ValidationError:
    for cause in _causes(exc):  # openpyxl wraps parser errors in a ValueError
        if type(cause).__module__.startswith("defusedxml"):
            return _xml_declarations("(XML-Teil)", type(cause).__name__)
    return _bad("Die Datei ist keine lesbare XLSX-Datei (beschädigt oder anderes Format).",
                f"unreadable XLSX: {type(exc).__name__}: {exc}".replace("\n", " "))


def _causes(exc: BaseException) -> list[BaseException]:
    chain: list[BaseException] = []
    current: BaseException | None = exc
    while current is not None and current not in chain:
        chain.append(current)
        current = current.__cause__ or current.__context__
    return chain


def _xml_declarations(member: str, what: str) -> ValidationError:
    return _bad(f"Die XLSX-Datei enthält im Teil „{member}“ XML-Deklarationen (DOCTYPE/ENTITY), "
                "die Excel nie schreibt und mit denen eine Datei den Server lahmlegen kann "
                "(XML-Bombe); sie wird nicht gelesen. Bitte die Tabelle in Excel oder "
                "LibreOffice neu als XLSX speichern oder als CSV hochladen.",
                f"XLSX part {member!r} declares a DTD or entities ({what}); refused")


def _check_members(zf: zipfile.ZipFile) -> None:
    """Unpack every member once before anything is parsed, counting the bytes that really come
    out (the sizes in the zip directory are never trusted: a bomb states small ones), and
    refuse XML parts that declare a DTD or entities (the "billion laughs" bomb)."""
    infos = [i for i in zf.infolist() if not i.is_dir()]
    if len(infos) > MAX_MEMBERS:
        raise _bad(f"Die XLSX-Datei enthält {len(infos)} Teile (höchstens {MAX_MEMBERS}).",
                   f"XLSX has {len(infos)} members")
    budget = MAX_UNZIPPED
    for info in infos:
        real = _unpacked_size(zf, info, budget)
        if real > budget:
            raise _bad(f"Die XLSX-Datei ist entpackt zu groß (über {MAX_UNZIPPED // 1_048_576} "
                       f"MB, Teil „{info.filename}“); sie wird nicht gelesen.",
                       f"XLSX unpacks to more than {MAX_UNZIPPED} bytes ({info.filename!r})")
        if real != info.file_size:
            raise _bad(f"Die XLSX-Datei ist beschädigt oder manipuliert: Der Teil "
                       f"„{info.filename}“ ist entpackt größer als angegeben ({real} statt "
                       f"{info.file_size} Byte). Bitte die Tabelle neu als XLSX speichern.",
                       f"XLSX member {info.filename!r} unpacks to {real} bytes, directory "
                       f"says {info.file_size}")
        budget -= real


def _unpacked_size(zf: zipfile.ZipFile, info: zipfile.ZipInfo, budget: int) -> int:
    """The real unpacked size of ``info`` (stops counting past ``budget``)."""
    if info.flag_bits & 0x1:
        raise _bad(f"Die XLSX-Datei ist verschlüsselt (Teil „{info.filename}“): bitte ohne "
                   "Kennwort speichern.", f"encrypted XLSX member {info.filename!r}")
    probe = copy.copy(info)
    # read on until the compressed data really ends; the margin keeps zipfile from stopping
    # (and checking the CRC of a partial read) before the budget is seen to be exceeded
    probe.file_size = budget + 2 * _SCAN_CHUNK + 1
    is_xml = info.filename.lower().endswith((".xml", ".rels", ".vml"))
    real, tail = 0, b""
    try:
        with zf.open(probe) as fh:
            while chunk := fh.read(_SCAN_CHUNK):
                real += len(chunk)
                if real > budget:
                    return real
                if is_xml:
                    window = tail + chunk
                    if any(marker in window for marker in _DTD_MARKERS):
                        raise _xml_declarations(info.filename, "DOCTYPE/ENTITY")
                    tail = window[-_MARKER_TAIL:]
    except (zipfile.BadZipFile, EOFError, zlib.error, NotImplementedError, OSError,
            RuntimeError) as exc:
        raise _bad(f"Die XLSX-Datei ist beschädigt: Der Teil „{info.filename}“ lässt sich nicht "
                   "entpacken. Bitte die Tabelle neu als XLSX speichern.",
                   f"XLSX member {info.filename!r} cannot be unpacked: {exc}") from None
    return real


def read_xlsx(data: bytes, sheet: str | None = None) -> Table:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as zf:
            names = zf.namelist()
            if "mimetype" in names and b"opendocument" in zf.read("mimetype"):
                raise _bad("ODS-Dateien werden nicht gelesen: bitte als XLSX oder CSV speichern.",
                           "ODS not supported")
            _check_members(zf)
    except (zipfile.BadZipFile, KeyError, OSError, ValueError, EOFError) as exc:
        if isinstance(exc, ValidationError):
            raise
        raise _unreadable(exc) from None
    try:
        return _read_sheet(data, sheet)
    except ValidationError:
        raise
    except (zipfile.BadZipFile, KeyError, OSError, ValueError, EOFError, zlib.error,
            ElementTree.ParseError) as exc:  # also while the rows are read (read-only mode)
        raise _unreadable(exc) from None


def _read_sheet(data: bytes, sheet: str | None) -> Table:
    wb = load_workbook(io.BytesIO(data), read_only=True, data_only=False)
    try:
        ws = wb[sheet] if sheet is not None and sheet in wb.sheetnames else wb.worksheets[0]
        header: list[str] | None = None
        rows: list[tuple[int, list[Cell]]] = []
        for number, values in enumerate(ws.iter_rows(values_only=True), start=1):
            cells: list[Cell] = list(values)
            if _blank(cells):
                continue
            if header is None:
                header = ["" if c is None else str(c) for c in cells]
            else:
                rows.append((number, cells))
            if len(rows) > MAX_ROWS:
                raise _bad(f"Mehr als {MAX_ROWS} Zeilen – bitte in mehrere Dateien teilen.",
                           "too many rows")
    finally:
        wb.close()
    if header is None:
        raise _bad("Die Datei ist leer.", "empty file")
    return Table(header, rows, f"XLSX, Blatt „{ws.title}“")


def read_table(data: bytes, filename: str = "", sheet: str | None = None) -> Table:
    """The table of a CSV or XLSX file (detected by content, not only by name); of an XLSX
    file, the sheet called ``sheet`` if there is one, else the first."""
    if not data:
        raise _bad("Die Datei ist leer.", "empty file")
    if len(data) > MAX_BYTES:
        raise _bad(f"Die Datei ist zu groß ({len(data) // 1_048_576} MB, höchstens 10 MB).",
                   "file too large")
    if data.startswith(_OLE) or filename.lower().endswith(".xls"):
        raise _bad("Das alte Excel-Format .xls wird nicht gelesen: bitte als .xlsx oder CSV "
                   "speichern.", "legacy XLS")
    if filename.lower().endswith(".xlsx") and not data.startswith(_ZIP):
        raise _bad("Die Datei ist keine lesbare XLSX-Datei (beschädigt oder anderes Format).",
                   "not a zip")
    table = read_xlsx(data, sheet) if data.startswith(_ZIP) else read_csv(data)
    if not table.rows:
        raise _bad("Die Datei enthält keine ausgefüllten Zeilen (nur die Kopfzeile).",
                   "no data rows")
    return _drop_empty_columns(table)


def _drop_empty_columns(table: Table) -> Table:
    """Columns without a heading and without any value (separators at the line end, an empty
    column between others, Excel's used range) are not part of the table."""
    width = len(table.header)
    keep = [i for i, name in enumerate(table.header) if name.strip() or any(
        i < len(cells) and not _blank([cells[i]]) for _, cells in table.rows)]
    if len(keep) == width:
        return table
    rows = [(n, [cells[i] if i < len(cells) else None for i in keep] + cells[width:])
            for n, cells in table.rows]
    return Table([table.header[i] for i in keep], rows, table.source)
