"""The column contract of typed-in paper forms, and the CSV/XLSX templates that carry it.

One row per paper form. The importer (:mod:`stadtraum.paper.importer`) expects exactly these
columns; the order follows the printed questionnaire so typing goes top to bottom:
``bogen_nr, gebiet, datum``, then per criterion ``<id>, <id>_gut, <id>_besser``, then
``prioritaet_1..3, alter, geschlecht, bezug``.
"""

from __future__ import annotations

import io
from dataclasses import dataclass

from openpyxl import Workbook  # type: ignore[import-untyped,unused-ignore]
from openpyxl.comments import Comment  # type: ignore[import-untyped,unused-ignore]
from openpyxl.styles import Font, PatternFill  # type: ignore[import-untyped,unused-ignore]
from openpyxl.utils import get_column_letter  # type: ignore[import-untyped,unused-ignore]
from openpyxl.worksheet.datavalidation import (  # type: ignore[import-untyped,unused-ignore]
    DataValidation,
)
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session

from stadtraum.criteria import Catalogue
from stadtraum.exports.spreadsheet import neutralise
from stadtraum.store.campaigns import find_campaign
from stadtraum.store.catalogues import catalogue_for
from stadtraum.store.queries import areas_frame
from stadtraum.vocab import AGE_BANDS, GENDERS, MAX_PRIORITIES, RELATIONS, Vocabulary

FORM_NO = "bogen_nr"
AREA = "gebiet"
DATE = "datum"
GOOD, BETTER = "_gut", "_besser"
PRIORITY = "prioritaet_"
DEMOGRAPHICS: dict[str, tuple[str, Vocabulary]] = {
    "alter": ("age_band", AGE_BANDS), "geschlecht": ("gender", GENDERS),
    "bezug": ("relation", RELATIONS)}
SHEET_FORMS, SHEET_HELP, SHEET_AREAS = "Bögen", "Hinweise", "Gebiete"
TEMPLATE_ROWS = 1000  # rows of the XLSX template that carry data validation


@dataclass(frozen=True)
class PaperCampaign:
    """What paper forms of one campaign need: its catalogue and the areas of its level."""

    id: int
    name: str
    status: str
    catalogue: Catalogue
    areas: dict[str, str]  # code -> name, in code order


def paper_campaign(engine: Engine, id_or_name: str | int) -> PaperCampaign:
    with Session(engine) as session:
        c = find_campaign(session, id_or_name)
        frame = areas_frame(session, c.level_id)
        return PaperCampaign(int(c.id), c.name, c.status, catalogue_for(session, c.catalogue_id),
                             {str(k): str(v) for k, v in zip(frame["code"], frame["name"],
                                                             strict=True)})


def template_columns(catalogue: Catalogue) -> list[str]:
    cols = [FORM_NO, AREA, DATE]
    for cid in catalogue.ids:
        cols += [cid, cid + GOOD, cid + BETTER]
    cols += [f"{PRIORITY}{i}" for i in range(1, MAX_PRIORITIES + 1)]
    return cols + list(DEMOGRAPHICS)


def required_columns(catalogue: Catalogue) -> list[str]:
    """A missing rating column would silently turn every form's rating into "keine Angabe"."""
    return [FORM_NO, AREA, *catalogue.ids]


def column_help(catalogue: Catalogue) -> dict[str, str]:
    """A German explanation of every column (XLSX comments and the "Hinweise" sheet)."""
    scores = "1 bis 7 (1 = großer, 7 = kaum Verbesserungsbedarf); leer = keine Angabe"
    out = {FORM_NO: "Pflicht. Die Nummer auf dem Papierbogen (je Befragung eindeutig; ein "
                    "erneuter Import derselben Nummer legt nichts doppelt an).",
           AREA: "Pflicht. Code oder Name des bewerteten Gebiets (siehe Blatt „Gebiete“).",
           DATE: "Datum der Befragung, TT.MM.JJJJ oder JJJJ-MM-TT; leer = Tag des Imports."}
    for pos, crit in enumerate(catalogue.criteria, start=1):
        out[crit.id] = f"Pflichtspalte. Thema {pos}: {crit.label_de}. {scores}."
        out[crit.id + GOOD] = f"Thema {pos}, „Was ist hier gut?“ (Freitext, optional)."
        out[crit.id + BETTER] = f"Thema {pos}, „Was könnte besser werden?“ (Freitext, optional)."
    for i in range(1, MAX_PRIORITIES + 1):
        out[f"{PRIORITY}{i}"] = (f"Priorität {i}: Nummer des Themas (1–{len(catalogue.ids)}) "
                                 "oder seine Id; optional.")
    for col, (_, vocab) in DEMOGRAPHICS.items():
        out[col] = f"Optional, einer von: {', '.join(vocab.labels_de)}."
    return out


def csv_template(catalogue: Catalogue) -> bytes:
    """Header only, ``;``-separated, UTF-8 with BOM: German Excel opens it correctly."""
    return ("\ufeff" + ";".join(template_columns(catalogue)) + "\r\n").encode("utf-8")


def _validation(ws: object, formula: str, cols: list[int], prompt: str) -> None:
    dv = DataValidation(type="list", formula1=formula, allow_blank=True, showErrorMessage=True,
                        errorTitle="Ungültiger Wert", error=prompt)
    for col in cols:
        letter = get_column_letter(col)
        dv.add(f"{letter}2:{letter}{TEMPLATE_ROWS + 1}")
    ws.add_data_validation(dv)  # type: ignore[attr-defined]


def xlsx_template(campaign: PaperCampaign) -> bytes:
    """Sheet "Bögen" (header with explanations as cell comments, 1..7 validation), a sheet
    "Hinweise" explaining every column and a sheet "Gebiete" with codes and names."""
    cat, cols, help_de = campaign.catalogue, template_columns(campaign.catalogue), \
        column_help(campaign.catalogue)
    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.title = SHEET_FORMS
    bold, fill = Font(bold=True), PatternFill("solid", fgColor="DDEBF7")
    for i, col in enumerate(cols, start=1):
        cell = ws.cell(row=1, column=i, value=col)
        cell.font, cell.fill = bold, fill
        cell.comment = Comment(help_de[col], "StadtRaumMonitor", width=300, height=120)
        ws.column_dimensions[get_column_letter(i)].width = 28 if col.endswith(
            (GOOD, BETTER)) else max(10, len(col) + 2)
    ws.freeze_panes = "C2"
    text_cols = [cols.index(c) + 1 for c in (FORM_NO, AREA)]
    for pos in text_cols:  # keep "007" and area codes as typed, not as numbers
        for row in range(2, TEMPLATE_ROWS + 2):
            ws.cell(row=row, column=pos).number_format = "@"
    scores = DataValidation(type="whole", operator="between", formula1="1", formula2="7",
                            allow_blank=True, showErrorMessage=True, errorTitle="Ungültig",
                            error="Bitte eine ganze Zahl von 1 bis 7 eintragen (leer = keine "
                                  "Angabe).")
    for cid in cat.ids:
        letter = get_column_letter(cols.index(cid) + 1)
        scores.add(f"{letter}2:{letter}{TEMPLATE_ROWS + 1}")
    ws.add_data_validation(scores)
    for col, (_, vocab) in DEMOGRAPHICS.items():
        _validation(ws, '"' + ",".join(vocab.labels_de) + '"', [cols.index(col) + 1],
                    "Bitte einen Wert aus der Liste wählen.")
    areas = wb.create_sheet(SHEET_AREAS)
    areas.append(["code", "name"])
    for code, name in campaign.areas.items():
        areas.append([str(neutralise(code)), str(neutralise(name))])
    areas.column_dimensions["B"].width = 40
    if campaign.areas:
        _validation(ws, f"'{SHEET_AREAS}'!$A$2:$A${len(campaign.areas) + 1}",
                    [cols.index(AREA) + 1], "Bitte einen Gebietscode aus dem Blatt „Gebiete“.")
        ws.data_validations.dataValidation[-1].showErrorMessage = False  # names allowed too
    hints = wb.create_sheet(SHEET_HELP)
    hints.append(["Spalte", "Bedeutung"])
    hints.append(["", f"Befragung: {neutralise(campaign.name)} (Id {campaign.id}). "
                      "Eine Zeile je Papierbogen; leere Zeilen werden übersprungen."])
    for col in cols:
        hints.append([col, help_de[col]])
    hints.column_dimensions["A"].width, hints.column_dimensions["B"].width = 26, 110
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()
