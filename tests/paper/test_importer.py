"""Paper-form import on SQLite and PostgreSQL: every bad input of DESIGN §7 that applies is
reported per cell (row as in the file, column, German reason) and nothing is stored; a
re-import adds nothing; a changed form is a conflict; ``partial`` keeps only good rows."""

from __future__ import annotations

import contextlib
import datetime as dt
from collections.abc import Iterator
from typing import Any

import pytest
from sqlalchemy import event, text
from sqlalchemy.engine import Engine

from stadtraum.accounts.permissions import SYSTEM
from stadtraum.collect.submit import submit_response
from stadtraum.errors import NotSavedError, ValidationError
from stadtraum.paper.importer import ImportReport, form_uuid, import_paper
from stadtraum.store.engine import make_engine
from tests.files import hostile_xlsx
from tests.helpers import change_counter, count_rows, make_city, make_payload
from tests.paper_files import CAT, COLUMNS, csv_bytes, form, xlsx_bytes

TODAY = dt.date(2025, 6, 1)


@pytest.fixture
def cid(engine: Engine) -> int:
    return make_city(engine).campaign_id


def run(engine: Engine, cid: int, data: bytes, name: str = "boegen.csv",
        **kw: object) -> ImportReport:
    kw.setdefault("entered_by", "erika")
    kw.setdefault("actor", SYSTEM)
    return import_paper(engine, data, name, cid, today=TODAY, **kw)  # type: ignore[arg-type]


def cells(report: ImportReport) -> set[tuple[int, str]]:
    return {(e.row, e.column) for e in report.errors}


def reason(report: ImportReport, row: int, column: str) -> str:
    return next(e.reason for e in report.errors if (e.row, e.column) == (row, column))


def test_good_file_is_stored_as_paper_responses(engine: Engine, cid: int) -> None:
    data = csv_bytes([form(1, moving_around=5, housing=2, housing_gut="Nette Nachbarn",
                           prioritaet_1=9, prioritaet_2="feeling_safe", alter="18–29",
                           geschlecht="w", bezug="wohne hier", datum="06.05.2025"),
                      form("2", "Quartier Q3", feeling_safe="7")])
    report = run(engine, cid, data)
    assert (report.created, report.unchanged, report.errors, report.rows) == (2, 0, (), 2)
    with engine.connect() as conn:
        row = conn.execute(text("SELECT uuid, mode, entered_by, age_band, gender, relation, "
                                "survey_date FROM responses ORDER BY id")).first()
        assert row is not None
        assert tuple(row[:6]) == (form_uuid(cid, "1"), "paper", "erika", "18_29", "female",
                                  "live")
        assert str(row[6]) == "2025-05-06"
        prios = conn.execute(text("SELECT criterion_id FROM priorities ORDER BY rank")).all()
    assert [p[0] for p in prios] == ["housing", "feeling_safe"]
    assert count_rows(engine, "comments") == 1 and count_rows(engine, "ratings") == 3


@pytest.mark.parametrize(("values", "column", "expected"), [
    ({"moving_around": 0}, "moving_around", "außerhalb von 1 bis 7"),
    ({"moving_around": 8}, "moving_around", "außerhalb von 1 bis 7"),
    ({"moving_around": "x"}, "moving_around", "keine Zahl von 1 bis 7"),
    ({"moving_around": "3.5"}, "moving_around", "keine ganze Zahl"),
    ({"moving_around": "3,5"}, "moving_around", "keine ganze Zahl"),
    ({"gebiet": "Q9"}, "gebiet", "gibt es in dieser Befragung nicht"),
    ({"gebiet": ""}, "gebiet", "Gebiet fehlt"),
    ({"bogen_nr": ""}, "bogen_nr", "Bogen-Nr. fehlt"),
    ({"moving_around": "", "housing": "k.A."}, "(Bewertungen)", "Keine einzige Bewertung"),
    ({"prioritaet_1": 15}, "prioritaet_1", "Thema Nr. 15 gibt es nicht"),
    ({"prioritaet_1": 2, "prioritaet_2": "public_transport"}, "prioritaet_2", "schon als"),
    ({"alter": "uralt"}, "alter", "nicht erlaubt"),
    ({"datum": "31.02.2025"}, "datum", "kein Datum"),
    ({"datum": "2030-01-01"}, "datum", "in der Zukunft"),
    ({"housing_besser": "x" * 2001}, "housing_besser", "länger als 2000"),
], ids=lambda v: str(v)[:30])
def test_bad_cell_is_named_and_nothing_is_stored(engine: Engine, cid: int,
                                                 values: dict[str, object], column: str,
                                                 expected: str) -> None:
    report = run(engine, cid, csv_bytes([form(7), form(1, **values)]))
    assert cells(report) == {(3, column)}
    assert expected in reason(report, 3, column)
    assert report.created == 0 and count_rows(engine, "responses") == 0


def test_every_bad_cell_is_reported_at_once(engine: Engine, cid: int) -> None:
    data = csv_bytes([form(1, moving_around=0, housing="x"), form(2), form(3, "Q9",
                                                                           feeling_safe=9)])
    report = run(engine, cid, data)
    assert cells(report) == {(2, "moving_around"), (2, "housing"), (4, "gebiet"),
                             (4, "feeling_safe")}
    assert report.bad_rows == 2 and count_rows(engine, "responses") == 0
    assert report.error_lines()[0].startswith("Zeile 2, Spalte ")


def test_duplicate_form_numbers_in_one_file(engine: Engine, cid: int) -> None:
    report = run(engine, cid, csv_bytes([form(5), form(6), form("005", housing=3)]))
    assert cells(report) == {(2, "bogen_nr"), (4, "bogen_nr")}
    assert "Zeilen 2, 4" in reason(report, 2, "bogen_nr")
    assert count_rows(engine, "responses") == 0


@pytest.mark.parametrize(("header", "column", "expected"), [
    ([c for c in COLUMNS if c != "feeling_safe"], "feeling_safe", "Pflichtspalte fehlt"),
    ([c for c in COLUMNS if c != "bogen_nr"], "bogen_nr", "Pflichtspalte fehlt"),
    ([*COLUMNS, "moving_aroun"], "moving_aroun", "gemeint „moving_around“"),
    ([*COLUMNS, "Lieblingsfarbe"], "Lieblingsfarbe", "Unbekannte Spalte"),
    ([*COLUMNS, "Moving_Around"], "Moving_Around", "doppelt"),
])
def test_missing_unknown_and_duplicate_columns(engine: Engine, cid: int, header: list[str],
                                               column: str, expected: str) -> None:
    report = run(engine, cid, csv_bytes([form(1, feeling_safe=3)], header=header))
    assert cells(report) == {(1, column)} and expected in reason(report, 1, column)
    assert count_rows(engine, "responses") == 0


def test_headers_are_matched_leniently(engine: Engine, cid: int) -> None:
    header = ["Bogen-Nr.", " Gebiet ", *COLUMNS[2:-6], "Priorität 1", "PRIORITAET_2",
              "prioritaet_3", "Alter", "Geschlecht", "Bezug"]
    assert len(header) == len(COLUMNS)
    lines = csv_bytes([form(1)]).decode().split("\r\n")
    lines[0] = ";".join(header)
    assert run(engine, cid, "\r\n".join(lines).encode()).created == 1


@pytest.mark.parametrize(("data", "expected"), [
    (b"", "Die Datei ist leer"),
    (b"  \r\n\r\n", "Die Datei ist leer"),
    (csv_bytes([]), "nur die Kopfzeile"),
    ("bogen_nr;gebiet".encode("utf-16-le"), "Null-Bytes"),
    (b"bogen_nr;gebiet\r\n1;\x81\x8d\xc3", "Zeichenkodierung nicht erkannt"),
    (b"bogen_nr gebiet moving_around\r\n1 Q1 4\r\n", "kein Trennzeichen"),
    (b"\xef\xbb\xbfbogen_nr;gebiet\r\n1;\xff\r\n", "ungültige Zeichen"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 100, ".xls"),
    (b"PK\x03\x04garbage", "keine lesbare XLSX"),
])
def test_unreadable_files_are_refused_with_a_german_reason(engine: Engine, cid: int,
                                                           data: bytes, expected: str) -> None:
    with pytest.raises(ValidationError) as exc:
        run(engine, cid, data)
    assert expected in exc.value.message_de
    assert count_rows(engine, "responses") == 0


@pytest.mark.parametrize(("sep", "encoding", "bom"), [
    (";", "utf-8", False), (",", "utf-8", False), ("\t", "utf-8", False),
    (";", "utf-8", True), (";", "cp1252", False), (",", "utf-16", False),
])
def test_encodings_and_separators(engine: Engine, cid: int, sep: str, encoding: str,
                                  bom: bool) -> None:
    comment = "Grünfläche am Bäckerweg; „schön“, groß"
    data = csv_bytes([form(1, moving_around="4,0", natural_space_gut=comment),
                      form(2, moving_around="6.0")], sep=sep, encoding=encoding, bom=bom)
    report = run(engine, cid, data)
    assert report.errors == () and report.created == 2
    with engine.connect() as conn:
        assert conn.execute(text("SELECT text FROM comments")).scalar_one() == comment
        scores = conn.execute(text("SELECT score FROM ratings ORDER BY score")).scalars().all()
    assert scores == [4, 6]


def test_formula_and_markup_in_comments_are_stored_as_plain_text(engine: Engine,
                                                                 cid: int) -> None:
    texts = ['=HYPERLINK("http://evil.example","klick")', "+49 234 1", "-- schlecht",
             "@SUM(A1)", "<img src=x onerror=alert(1)>", "${7*7} ![x](http://e.x/p.png)"]
    rows = [form(i, moving_around_gut=t) for i, t in enumerate(texts, start=1)]
    assert run(engine, cid, csv_bytes(rows)).created == len(texts)
    assert run(engine, cid, xlsx_bytes([form(i + 10, housing_besser=t)
                                         for i, t in enumerate(texts)]), "b.xlsx").created == 6
    with engine.connect() as conn:
        stored = conn.execute(text("SELECT text FROM comments ORDER BY id")).scalars().all()
    assert stored == texts + texts


def test_reimport_adds_nothing_and_moves_no_counter(engine: Engine, cid: int) -> None:
    data = csv_bytes([form(1), form(2, housing=3), form("A-17", "Q2")])
    assert run(engine, cid, data).created == 3
    counter = change_counter(engine)
    again = run(engine, cid, data)
    assert (again.created, again.unchanged, again.errors) == (0, 3, ())
    other_user = run(engine, cid, data, entered_by="paul")  # the first importer stays
    assert (other_user.created, other_user.unchanged) == (0, 3)
    assert run(engine, cid, csv_bytes([form("001"), form("2", housing=3)])).unchanged == 2
    assert count_rows(engine, "responses") == 3 and change_counter(engine) == counter


def test_changed_form_is_a_conflict_and_nothing_is_imported(engine: Engine, cid: int) -> None:
    run(engine, cid, csv_bytes([form(1), form(2, housing=3)]))
    report = run(engine, cid, csv_bytes([form(1), form(2, housing=4), form(3)]))
    assert cells(report) == {(3, "bogen_nr")}
    assert "schon mit anderem Inhalt" in reason(report, 3, "bogen_nr")
    assert report.created == 0 and count_rows(engine, "responses") == 2
    with engine.connect() as conn:
        assert conn.execute(text("SELECT score FROM ratings WHERE criterion_id = 'housing'")
                            ).scalar_one() == 3


def test_partial_keeps_good_rows_and_a_fixed_reimport_adds_only_the_fixed(
        engine: Engine, cid: int) -> None:
    bad = csv_bytes([form(1), form(2, moving_around=9), form(3)])
    report = run(engine, cid, bad, partial=True)
    assert (report.created, cells(report)) == (2, {(3, "moving_around")})
    fixed = run(engine, cid, csv_bytes([form(1), form(2, moving_around=6), form(3)]))
    assert (fixed.created, fixed.unchanged, fixed.errors) == (1, 2, ())
    assert count_rows(engine, "responses") == 3


def test_dry_run_reports_and_stores_nothing(engine: Engine, cid: int) -> None:
    data = csv_bytes([form(1), form(2)])
    report = run(engine, cid, data, dry_run=True)
    assert (report.dry_run, report.created, report.errors) == (True, 2, ())
    assert "würden neu gespeichert" in report.summary_de()
    assert count_rows(engine, "responses") == 0


def test_xlsx_rows_are_numbered_as_in_the_sheet(engine: Engine, cid: int) -> None:
    data = xlsx_bytes([form(1), form(2.0, moving_around=4.0), form(3, moving_around=3.5),
                       form(4, moving_around="=3+4"), form(5, datum=dt.datetime(2025, 5, 2))],
                      blank_rows_before=2)
    report = run(engine, cid, data, "boegen.xlsx")
    assert cells(report) == {(6, "moving_around"), (7, "moving_around")}
    assert "„3,5“ ist keine ganze Zahl" in reason(report, 6, "moving_around")


def test_a_closed_campaign_takes_no_paper_forms(engine: Engine) -> None:
    city = make_city(engine, status="closed")
    with pytest.raises(ValidationError, match="campaign is not open") as exc:
        run(engine, city.campaign_id, csv_bytes([form(1)]))
    assert "nicht geöffnet" in exc.value.message_de


def test_a_form_number_stored_by_other_means_is_a_conflict(engine: Engine, cid: int) -> None:
    submit_response(engine, make_payload(cid, response_id=form_uuid(cid, "9"), mode="paper"))
    report = run(engine, cid, csv_bytes([form(9, moving_around=2)]))
    assert cells(report) == {(2, "bogen_nr")} and count_rows(engine, "responses") == 1


def test_every_catalogue_column_is_in_the_template() -> None:
    for cid in CAT.ids:
        assert {cid, f"{cid}_gut", f"{cid}_besser"} <= set(COLUMNS)


def test_empty_columns_are_ignored_but_values_need_a_heading(engine: Engine, cid: int) -> None:
    lines = csv_bytes([form(1), form(2)]).decode().split("\r\n")
    spaced = [line.replace(";", ";;", 1) + ";;" if line else line for line in lines]
    assert run(engine, cid, "\r\n".join(spaced).encode()).created == 2
    lines[1] = lines[1].replace(";", ";Hallo;", 1)
    lines[0] = lines[0].replace(";", ";;", 1)
    report = run(engine, cid, "\r\n".join(lines).encode())
    assert cells(report) == {(1, "(Spalte B)")} and "ohne Überschrift" in report.errors[0].reason
    lines = csv_bytes([form(3)]).decode().split("\r\n")
    lines[1] += ";Rest"
    report = run(engine, cid, "\r\n".join(lines).encode())
    assert report.errors[0].reason == "Wert ohne Spaltenüberschrift."
    assert report.errors[0].row == 2 and count_rows(engine, "responses") == 2


def test_the_importing_name_is_checked(engine: Engine, cid: int) -> None:
    with pytest.raises(ValidationError, match="entered_by"):
        run(engine, cid, csv_bytes([form(1)]), entered_by="x" * 65)


@pytest.mark.parametrize("kind", ["entity_bomb", "lying_size"])
def test_a_hostile_xlsx_is_refused_with_a_german_message(engine: Engine, cid: int,
                                                        kind: str) -> None:
    honest = hostile_xlsx.workbook([list(COLUMNS[:3]), [1, "Q1", 4]])
    if kind == "entity_bomb":
        data = hostile_xlsx.replace_member(honest, hostile_xlsx.SHARED_STRINGS,
                                           hostile_xlsx.BILLION_LAUGHS.encode())
    else:
        data = hostile_xlsx.lie_about_size(honest, hostile_xlsx.SHEET, 10)
    with pytest.raises(ValidationError) as info:
        run(engine, cid, data, "boegen.xlsx")
    assert info.value.field == "file" and info.value.message_de.startswith("Die XLSX-Datei")
    assert count_rows(engine, "responses") == 0


# --- a write that fails midway (disk full) stores nothing; a re-import then stores all ----

def _forms(n: int) -> bytes:
    return csv_bytes([form(i, moving_around=i % 7 + 1, housing_gut=f"Bogen {i} " + "x" * 200)
                      for i in range(1, n + 1)])


@contextlib.contextmanager
def _disk_full_after_a_few_forms(engine: Engine, db_url: str) -> Iterator[Engine]:
    """An engine on the same database whose writes fail for real once a few forms went in:
    SQLite with ``PRAGMA max_page_count`` ("database or disk is full"), PostgreSQL with a
    trigger raising SQLSTATE 53100 (disk_full) from the 14th response on."""
    if engine.dialect.name == "sqlite":
        with engine.connect() as conn:
            pages = int(conn.exec_driver_sql("PRAGMA page_count").scalar_one())
        full = make_engine(db_url)

        @event.listens_for(full, "connect")
        def _limit(dbapi_conn: Any, _record: Any) -> None:
            dbapi_conn.execute(f"PRAGMA max_page_count = {pages + 6}")

        try:
            yield full
        finally:
            full.dispose()
        return
    with engine.begin() as conn:
        conn.exec_driver_sql(
            "CREATE FUNCTION disk_full() RETURNS trigger AS $$ BEGIN "
            "IF (SELECT count(*) FROM responses) >= 13 THEN RAISE EXCEPTION "
            "'could not extend file: No space left on device' USING ERRCODE = '53100'; "
            "END IF; RETURN NEW; END $$ LANGUAGE plpgsql")
        conn.exec_driver_sql("CREATE TRIGGER disk_full BEFORE INSERT ON responses "
                             "FOR EACH ROW EXECUTE FUNCTION disk_full()")
    try:
        yield engine
    finally:
        with engine.begin() as conn:
            conn.exec_driver_sql("DROP TRIGGER disk_full ON responses")
            conn.exec_driver_sql("DROP FUNCTION disk_full()")


def test_disk_full_midway_stores_nothing_and_a_reimport_stores_every_form(
        engine: Engine, db_url: str, cid: int) -> None:
    data = _forms(300)
    with _disk_full_after_a_few_forms(engine, db_url) as full, \
            pytest.raises(NotSavedError) as info:
        run(full, cid, data)
    for table in ("responses", "ratings", "comments", "audit_log"):
        assert count_rows(engine, table, "1 = 1" if table != "audit_log"
                          else "action = 'paper_import'") == 0, table
    message = info.value.message_de
    assert "nichts importiert" in message and "erneut importieren" in message
    assert "\n" not in message
    report = run(engine, cid, data)  # space freed
    assert (report.created, report.unchanged, report.errors) == (300, 0, ())
    assert count_rows(engine, "responses") == 300 and count_rows(engine, "comments") == 300
    again = run(engine, cid, data)
    assert (again.created, again.unchanged) == (0, 300)
    assert count_rows(engine, "responses") == 300


def test_one_import_is_one_change_and_one_audit_entry(engine: Engine, cid: int) -> None:
    before = change_counter(engine)
    report = run(engine, cid, _forms(25))
    assert report.created == 25
    assert change_counter(engine) == before + 1
    assert count_rows(engine, "audit_log", "action = 'paper_import'") == 1
