"""The typing templates: exactly the importer's columns, XLSX with explanations, 1..7
validation and the campaign's areas; and the round trip template → filled → import →
``compute_results`` showing exactly the typed values (SQLite and PostgreSQL)."""

from __future__ import annotations

import io
import random

import pytest
from openpyxl import load_workbook  # type: ignore[import-untyped,unused-ignore]
from sqlalchemy.engine import Engine

from stadtraum.accounts.permissions import SYSTEM
from stadtraum.analysis.cube import CubeFilter
from stadtraum.analysis.cube_store import CubeProvider
from stadtraum.analysis.results import compute_results, results_frame
from stadtraum.files.tables import read_csv
from stadtraum.paper.importer import import_paper
from stadtraum.paper.rows import check_header
from stadtraum.paper.template import (
    PaperCampaign,
    csv_template,
    paper_campaign,
    required_columns,
    template_columns,
    xlsx_template,
)
from tests.helpers import make_city
from tests.paper_files import CAT, csv_bytes, form, xlsx_bytes

CAMPAIGN = PaperCampaign(3, "Welle <1>", "open", CAT, {"Q1": "Quartier Q1", "Q2": "=HACK()"})


def test_columns_follow_the_printed_form() -> None:
    cols = template_columns(CAT)
    assert cols[:6] == ["bogen_nr", "gebiet", "datum", "moving_around", "moving_around_gut",
                        "moving_around_besser"]
    assert cols[-6:] == ["prioritaet_1", "prioritaet_2", "prioritaet_3", "alter",
                         "geschlecht", "bezug"]
    assert len(cols) == 3 + 3 * len(CAT.ids) + 6 and len(set(cols)) == len(cols)
    assert set(required_columns(CAT)) == {"bogen_nr", "gebiet", *CAT.ids}


def test_csv_template_is_the_header_the_importer_accepts() -> None:
    data = csv_template(CAT)
    assert data.startswith(b"\xef\xbb\xbf") and data.count(b"\n") == 1
    table = read_csv(data)
    assert table.header == template_columns(CAT) and "Trennzeichen ;" in table.source
    assert check_header(table.header, CAT)[1] == []


def test_xlsx_template_explains_validates_and_lists_areas() -> None:
    wb = load_workbook(io.BytesIO(xlsx_template(CAMPAIGN)))
    assert wb.sheetnames == ["Bögen", "Gebiete", "Hinweise"]
    ws = wb["Bögen"]
    header = [c.value for c in ws[1]]
    assert header == template_columns(CAT)
    assert all(c.comment is not None and c.comment.text for c in ws[1])
    assert "1 bis 7" in ws["D1"].comment.text
    rules = ws.data_validations.dataValidation
    whole = next(r for r in rules if r.type == "whole")
    assert (whole.formula1, whole.formula2) == ("1", "7")
    covered = {str(rng).split(":")[0].rstrip("0123456789") for rng in whole.sqref.ranges}
    letters = {ws.cell(row=1, column=header.index(cid) + 1).column_letter for cid in CAT.ids}
    assert covered == letters
    lists = [r for r in rules if r.type == "list"]
    assert any("weiblich" in (r.formula1 or "") for r in lists)
    areas = [[c.value for c in row] for row in wb["Gebiete"].iter_rows()]
    assert areas == [["code", "name"], ["Q1", "Quartier Q1"], ["Q2", "'=HACK()"]]
    hints = " ".join(str(c.value) for row in wb["Hinweise"].iter_rows() for c in row)
    assert "Welle <1>" in hints and "Bogen-Nr." not in header


def _typed_forms(n: int) -> list[dict[str, object]]:
    rnd = random.Random(7)
    rows = []
    for i in range(1, n + 1):
        values: dict[str, object] = {
            cid: rnd.choice([1, 2, 3, 4, 5, 6, 7, None]) for cid in CAT.ids}
        values["moving_around"] = rnd.randint(1, 7)  # at least one rating
        rows.append(form(f"{i:04d}", rnd.choice(["Q1", "Q2", "Quartier Q3"]), **values))
    return rows


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_round_trip_template_to_results(engine: Engine, fmt: str) -> None:
    city = make_city(engine, min_n=1)
    ctx = paper_campaign(engine, city.campaign_id)
    rows = _typed_forms(40)
    data = (csv_bytes(rows, bom=True) if fmt == "csv"
            else xlsx_bytes(rows, template=xlsx_template(ctx)))
    assert read_csv(csv_template(ctx.catalogue)).header == template_columns(ctx.catalogue)
    report = import_paper(engine, data, f"boegen.{fmt}", ctx.name, entered_by="erika", actor=SYSTEM)
    assert (report.created, report.errors) == (40, ())
    res = compute_results(engine, CubeProvider(engine),
                          CubeFilter(campaign_ids=(city.campaign_id,)))
    frame = results_frame(res, 0).set_index(["area_code", "criterion_id"])
    for area in ("Q1", "Q2", "Q3"):
        for cid in CAT.ids:
            typed = [r[cid] for r in rows if r[cid] is not None
                     and r["gebiet"] in (area, f"Quartier {area}")]
            cell = frame.loc[(area, cid)]
            assert int(cell["n"]) == len(typed), (area, cid)
            if typed:
                assert cell["mean"] == pytest.approx(sum(typed) / len(typed), abs=1e-3)
