"""Results files for spreadsheets (pure): CSV and XLSX from the long results table of
:mod:`stadtraum.exports.results_table`.

- CSV: UTF-8 with BOM (Excel detects the encoding), German (``;`` and ``3,5``) or
  international (``,`` and ``3.5``) numbers. The first line is the header, so pandas, Excel
  and QGIS's "delimited text" read it as it is; the metadata go into a sidecar
  ``<file>-metadata.json`` in the form of W3C CSV on the Web (the name CSVW tools look for
  next to ``<file>``), with the column descriptions, filter, campaign, min_n and date.
- XLSX: a sheet per level, suppressed figures shown as "·", a legend sheet and a metadata
  sheet.

Every text cell is neutralised against spreadsheet formulas (area names are user text).
"""

from __future__ import annotations

import io
import json
import re
from collections.abc import Sequence

import pandas as pd
from openpyxl import Workbook  # type: ignore[import-untyped,unused-ignore]
from openpyxl.styles import Font  # type: ignore[import-untyped,unused-ignore]

from stadtraum.exports.results_table import COLUMNS, STAT_COLUMNS, ExportMeta
from stadtraum.exports.spreadsheet import neutralise, safe_frame

__all__ = ["HIDDEN_MARK", "NUMBER_FORMATS", "csv_bytes", "csvw_metadata", "sheet_title",
           "xlsx_bytes"]

HIDDEN_MARK = "·"
NUMBER_FORMATS = {"de": (";", ","), "intl": (",", ".")}  # (separator, decimal mark)
_COLUMN_TITLES = {
    "ebene": "Gebietsebene", "gebiet_code": "Gebietsschlüssel", "gebiet": "Gebietsname",
    "kriterium_id": "Kriterium (Kennung; gesamtindex = Gesamtindex)",
    "kriterium": "Kriterium", "n": "Anzahl Bewertungen (beim Gesamtindex: Befragte)",
    "mittelwert": "Mittelwert (1–7)", "ki95_unten": "95-%-Konfidenzintervall, untere Grenze",
    "ki95_oben": "95-%-Konfidenzintervall, obere Grenze", "median": "Median (1–7)",
    "unterdrueckt": "wahr: Zelle zum Schutz der Befragten unterdrückt (keine Werte)",
}


def _check_numbers(numbers: str) -> tuple[str, str]:
    if numbers not in NUMBER_FORMATS:
        raise ValueError(f"unknown number format {numbers!r}")
    return NUMBER_FORMATS[numbers]


def csv_bytes(long: pd.DataFrame, numbers: str = "de") -> bytes:
    """The long table as CSV bytes (UTF-8 with BOM); suppressed figures are empty fields."""
    sep, decimal = _check_numbers(numbers)
    frame = safe_frame(long.astype({"unterdrueckt": "object"}).assign(
        unterdrueckt=long["unterdrueckt"].map({True: "ja", False: "nein"})))
    text = frame.to_csv(index=False, sep=sep, decimal=decimal, lineterminator="\r\n")
    return b"\xef\xbb\xbf" + text.encode("utf-8")


def csvw_metadata(meta: ExportMeta, file_name: str, numbers: str = "de", *,
                  title: str = "Ergebnisse je Gebiet und Kriterium",
                  columns: dict[str, str] | None = None) -> bytes:
    """The CSVW sidecar ``<file_name>-metadata.json`` describing the CSV (the results table's
    columns unless ``columns`` (name -> title) are given)."""
    sep, decimal = _check_numbers(numbers)
    titles = columns or {col: _COLUMN_TITLES[col] for col in COLUMNS}
    doc = {
        "@context": ["http://www.w3.org/ns/csvw", {"@language": "de"}],
        "url": file_name,
        "dc:title": f"{title}: " + "; ".join(name for _, name in meta.campaigns),
        "dc:created": meta.created_at.isoformat(),
        "dialect": {"delimiter": sep, "encoding": "utf-8", "header": True},
        "tableSchema": {"columns": [
            {"name": col, "titles": text,
             **({"datatype": {"base": "number", "format": {"decimalChar": decimal}}}
                if col in STAT_COLUMNS[1:] else {})} for col, text in titles.items()]},
        "stadtraum:metadaten": meta.as_dict(),
    }
    return json.dumps(doc, ensure_ascii=False, indent=1).encode("utf-8")


_BAD_SHEET = re.compile(r"[\[\]:*?/\\]")


def sheet_title(name: str, taken: Sequence[str]) -> str:
    """A valid, unique sheet title (≤ 31 characters, no ``[]:*?/\\``)."""
    base = _BAD_SHEET.sub("-", name).strip("'") or "Ebene"
    title, k = base[:31], 2
    while title.lower() in {t.lower() for t in taken}:
        suffix = f" ({k})"
        title, k = base[:31 - len(suffix)] + suffix, k + 1
    return title


def _cell(value: object) -> object:
    if value is None or value is pd.NA or (isinstance(value, float) and value != value):
        return None
    if hasattr(value, "item"):  # numpy scalars
        value = value.item()
    return neutralise(value)


def xlsx_bytes(long: pd.DataFrame, meta: ExportMeta) -> bytes:
    """A workbook: one sheet per level, then "Legende" and "Metadaten"."""
    wb = Workbook()
    first = wb.active
    assert first is not None
    wb.remove(first)
    bold = Font(bold=True)
    titles: list[str] = []
    for level in meta.levels:
        part = long[long["ebene"] == level]
        ws = wb.create_sheet(sheet_title(level, titles))
        titles.append(ws.title)
        ws.append(list(COLUMNS))  # the CSV's names; the legend sheet explains them
        for cell in ws[1]:
            cell.font = bold
        for row in part.itertuples(index=False):
            hidden = bool(row.unterdrueckt)
            values: list[object] = []
            for col, value in zip(COLUMNS, row, strict=True):
                if col == "unterdrueckt":
                    values.append("ja" if hidden else "nein")
                elif col in STAT_COLUMNS and hidden:
                    values.append(HIDDEN_MARK)
                else:
                    values.append(_cell(value))
            ws.append(values)
        ws.freeze_panes = "A2"
    legend = wb.create_sheet("Legende")
    legend.append(["Zeichen", "Bedeutung"])
    legend.append([HIDDEN_MARK, f"unterdrückt: zu wenige Antworten (n < {meta.min_n}) oder "
                   "zum Schutz einer solchen Zelle mitunterdrückt (Sekundärgeheimhaltung); "
                   "weder Wert noch Fallzahl werden gezeigt"])
    legend.append(["(leer)", "kein Wert berechenbar (z. B. KI bei n < 2, beim Gesamtindex "
                   "kein KI und kein Median)"])
    for col in COLUMNS:
        legend.append([col, _COLUMN_TITLES[col]])
    metadata = wb.create_sheet("Metadaten")
    metadata.append(["Angabe", "Wert"])
    for label, value in meta.items():
        metadata.append([_cell(label), _cell(value)])
    for ws in (legend, metadata):
        for cell in ws[1]:
            cell.font = bold
        ws.column_dimensions["A"].width = 22
        ws.column_dimensions["B"].width = 100
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()
