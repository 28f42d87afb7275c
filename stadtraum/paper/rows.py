"""Checking the rows of a paper-form table: every bad cell as (row, column, German reason).

Pure: takes the table read by :mod:`stadtraum.files.tables` and the campaign's catalogue and
areas; returns the payloads of the good rows and the errors. Nothing touches the database.
"""

from __future__ import annotations

import datetime as dt
import difflib
import re
import uuid
from collections import defaultdict
from dataclasses import dataclass

from openpyxl.utils import get_column_letter  # type: ignore[import-untyped,unused-ignore]

from stadtraum.collect.payload import CommentIn, ResponsePayload, validate_payload
from stadtraum.criteria import Catalogue
from stadtraum.errors import ValidationError
from stadtraum.files.tables import Cell, Table
from stadtraum.paper import cells as cells_mod
from stadtraum.paper.cells import BadCellError
from stadtraum.paper.template import (
    AREA,
    BETTER,
    DATE,
    DEMOGRAPHICS,
    FORM_NO,
    GOOD,
    PRIORITY,
    PaperCampaign,
    required_columns,
    template_columns,
)
from stadtraum.vocab import MAX_PRIORITIES

# Fixed for ever: a paper form's response id is uuid5(PAPER_NAMESPACE, "paper:<campaign>:<no>")
PAPER_NAMESPACE = uuid.UUID("6f3b8f5e-2c1d-5a7e-9b40-7d2e51c0a9d3")


@dataclass(frozen=True)
class CellError:
    row: int  # as a spreadsheet shows it: the header is row 1
    column: str
    reason: str


@dataclass(frozen=True)
class PaperRow:
    row: int
    form_no: str
    payload: ResponsePayload


def form_uuid(campaign_id: int, form_no: str) -> str:
    return str(uuid.uuid5(PAPER_NAMESPACE, f"paper:{campaign_id}:{form_no}"))


def normalise_header(name: str) -> str:
    """"Bogen-Nr." → "bogen_nr", "Priorität 1" → "prioritaet_1"."""
    text = name.replace("\ufeff", "").strip().casefold()
    for a, b in (("ä", "ae"), ("ö", "oe"), ("ü", "ue"), ("ß", "ss")):
        text = text.replace(a, b)
    return re.sub(r"_+", "_", re.sub(r"[\s.\-]+", "_", text)).strip("_")


def check_header(header: list[str], catalogue: Catalogue) -> tuple[dict[str, int],
                                                                   list[CellError]]:
    expected = template_columns(catalogue)
    index: dict[str, int] = {}
    errors: list[CellError] = []
    for pos, raw in enumerate(header):
        name = normalise_header(str(raw))
        label = str(raw).strip() or f"(Spalte {get_column_letter(pos + 1)})"
        if not name:
            errors.append(CellError(1, label, "Spalte ohne Überschrift."))
        elif name not in expected:
            near = difflib.get_close_matches(name, expected, n=1)
            errors.append(CellError(1, label, "Unbekannte Spalte" + (
                f" – gemeint „{near[0]}“?" if near else " (nicht in der Vorlage).")))
        elif name in index:
            errors.append(CellError(1, label, f"Spalte „{name}“ kommt doppelt vor (auch Spalte "
                                              f"{get_column_letter(index[name] + 1)})."))
        else:
            index[name] = pos
    errors += [CellError(1, col, "Pflichtspalte fehlt.")
               for col in required_columns(catalogue) if col not in index]
    return index, errors


def _parse_row(number: int, cells: list[Cell], index: dict[str, int], width: int,
               campaign: PaperCampaign, entered_by: str | None,
               today: dt.date) -> tuple[PaperRow | None, list[CellError]]:
    errors: list[CellError] = []
    cat = campaign.catalogue

    def get(col: str, fn, *args):  # type: ignore[no-untyped-def]
        value = cells[index[col]] if col in index and index[col] < len(cells) else None
        try:
            return fn(value, *args)
        except BadCellError as bad:
            errors.append(CellError(number, col, bad.reason))
            return None

    errors += [CellError(number, f"(Spalte {get_column_letter(i + 1)})",
                         "Wert ohne Spaltenüberschrift.")
               for i in range(width, len(cells)) if cells_mod.text_of(cells[i])]
    form_no, area = get(FORM_NO, cells_mod.form_no), get(AREA, cells_mod.area_code, campaign)
    survey_date = get(DATE, cells_mod.survey_date, today)
    ratings = {cid: s for cid in cat.ids if (s := get(cid, cells_mod.score)) is not None}
    comments = tuple(CommentIn(cid, kind, text) for cid in cat.ids
                     for kind, suffix in (("good", GOOD), ("better", BETTER))
                     if (text := get(cid + suffix, cells_mod.comment)))
    priorities: list[str] = []
    for i in range(1, MAX_PRIORITIES + 1):
        cid = get(f"{PRIORITY}{i}", cells_mod.priority, cat)
        if cid in priorities:
            errors.append(CellError(number, f"{PRIORITY}{i}", f"Thema „{cid}“ ist schon als "
                                                              "Priorität genannt."))
        elif cid is not None:
            priorities.append(cid)
    demo = {attr: get(col, cells_mod.choice, vocab)
            for col, (attr, vocab) in DEMOGRAPHICS.items()}
    if not ratings and not any(e.column in cat.ids for e in errors):
        errors.append(CellError(number, "(Bewertungen)", "Keine einzige Bewertung – mindestens "
                                                         "ein Thema braucht 1 bis 7."))
    if errors or form_no is None or area is None:
        return None, errors
    payload = ResponsePayload(
        response_id=form_uuid(campaign.id, form_no), campaign_id=campaign.id, mode="paper",
        ratings=ratings, area_code=area, comments=comments, priorities=tuple(priorities),
        survey_date=survey_date, entered_by=entered_by, **demo)
    try:
        payload = validate_payload(payload, cat)
    except ValidationError as exc:  # a last guard: the checks above should catch it all
        return None, [CellError(number, exc.field or "", exc.message_de)]
    return PaperRow(number, form_no, payload), []


def parse_rows(table: Table, campaign: PaperCampaign, entered_by: str | None,
               today: dt.date) -> tuple[list[PaperRow], list[CellError]]:
    """Good rows and every bad cell. A bad header stops before the rows are looked at."""
    index, errors = check_header(table.header, campaign.catalogue)
    if errors:
        return [], errors
    good: list[PaperRow] = []
    for number, cells in table.rows:
        row, row_errors = _parse_row(number, cells, index, len(table.header), campaign,
                                     entered_by, today)
        errors += row_errors
        if row is not None:
            good.append(row)
    seen: dict[str, list[int]] = defaultdict(list)
    for number, cells in table.rows:
        try:
            pos = index[FORM_NO]
            no = cells_mod.form_no(cells[pos] if pos < len(cells) else None)
        except BadCellError:
            continue
        seen[no].append(number)
    dupes = {no: rows for no, rows in seen.items() if len(rows) > 1}
    for no, rows in dupes.items():
        where = ", ".join(map(str, rows))
        errors += [CellError(r, FORM_NO, f"Bogen-Nr. „{no}“ kommt in dieser Datei mehrmals vor "
                                         f"(Zeilen {where}).") for r in rows]
    good = [r for r in good if r.form_no not in dupes]
    return good, sorted(errors, key=lambda e: e.row)
