"""Builders of filled paper-form files (CSV and XLSX) for the paper import tests."""

from __future__ import annotations

import csv
import io
from collections.abc import Mapping, Sequence

from openpyxl import Workbook, load_workbook  # type: ignore[import-untyped,unused-ignore]

from stadtraum.criteria import get_catalogue
from stadtraum.paper.template import template_columns

CAT = get_catalogue()
COLUMNS = template_columns(CAT)
Row = Mapping[str, object]


def form(no: object, area: object = "Q1", **values: object) -> dict[str, object]:
    """A row: form number, area and any other columns; ``moving_around`` defaults to 4."""
    row: dict[str, object] = {"bogen_nr": no, "gebiet": area}
    if not any(c in values for c in CAT.ids):
        row["moving_around"] = 4
    row.update(values)
    return row


def csv_bytes(rows: Sequence[Row], *, sep: str = ";", encoding: str = "utf-8",
              header: Sequence[str] | None = None, bom: bool = False) -> bytes:
    cols = list(header or COLUMNS)
    buf = io.StringIO(newline="")
    writer = csv.writer(buf, delimiter=sep, lineterminator="\r\n")
    writer.writerow(cols)
    for row in rows:
        writer.writerow(["" if row.get(c) is None else str(row.get(c)) for c in cols])
    return (b"\xef\xbb\xbf" if bom else b"") + buf.getvalue().encode(encoding)


def xlsx_bytes(rows: Sequence[Row], *, header: Sequence[str] | None = None,
               template: bytes | None = None, blank_rows_before: int = 0) -> bytes:
    """Rows written into a fresh workbook, or into the sheet "Bögen" of a template."""
    cols = list(header or COLUMNS)
    if template is not None:
        wb = load_workbook(io.BytesIO(template))
        ws = wb["Bögen"]
        cols = [c.value for c in ws[1]]
    else:
        wb = Workbook()
        ws = wb.active
        ws.append(cols)
    for r, row in enumerate(rows, start=2 + blank_rows_before):  # typed from row 2 on
        for c, col in enumerate(cols, start=1):
            ws.cell(row=r, column=c, value=row.get(col))
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()
