"""Targets per area from an uploaded file (DESIGN §7): a good file replaces the per-area targets
as a whole; every bad row is reported with its number in German (and English) and then nothing
is stored: not the targets, not the version, not an audit entry. On SQLite and PostgreSQL."""

from __future__ import annotations

import json

import pytest
from sqlalchemy import select
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session

from stadtraum.accounts.permissions import Actor
from stadtraum.admin.campaign_targets import (
    MAX_FILE_BYTES,
    TargetsFileError,
    area_target_rows,
    clear_area_targets,
    set_area_targets,
    targets_template,
)
from stadtraum.errors import ValidationError
from stadtraum.store.campaigns import StaleCampaignError, area_targets
from stadtraum.store.db import AuditEntry, Campaign
from tests.helpers import City, count_rows, make_city
from tests.paper_files import xlsx_bytes

ADA = Actor("ada", "admin")


@pytest.fixture
def city(engine: Engine) -> City:
    return make_city(engine)  # quarters Q1, Q2, Q3


def _state(engine: Engine, city: City) -> tuple[object, ...]:
    with Session(engine) as session:
        c = session.get(Campaign, city.campaign_id)
        assert c is not None
        return (area_targets(session, c.id), c.version, count_rows(engine, "audit_log"))


def _set(engine: Engine, city: City, data: bytes, name: str = "ziele.csv") -> object:
    return set_area_targets(engine, city.campaign_id, data, name, actor=ADA)


@pytest.mark.parametrize(("data", "source"), [
    (b"code;target\nQ1;40\nQ3;25\n", "CSV, UTF-8, Trennzeichen ;"),
    (b"\xef\xbb\xbfcode;target\r\nQ1;40\r\nQ3;25\r\n", "CSV, UTF-8 mit BOM, Trennzeichen ;"),
    (b"code,target\nQ1,40\nQ3,25\n", "CSV, UTF-8, Trennzeichen ,"),
    ("Gebiet\tZielzahl\nQ1\t40\nQ3\t 25 \n".encode("utf-16"), "CSV, UTF-16, Trennzeichen "
     "Tabulator"),
    (b"Code;Name;Target\nQ1;Nord \xfcber;40\n\nQ3;S\xfcd;25\n", "CSV, Windows-1252, "
     "Trennzeichen ;"),
])
def test_a_good_file_sets_the_targets(engine: Engine, city: City, data: bytes,
                                      source: str) -> None:
    report = _set(engine, city, data)
    assert (report.areas, report.total, report.source) == (2, 65, source)  # type: ignore[attr-defined]
    with Session(engine) as session:
        assert area_targets(session, city.campaign_id) == {"Q1": 40, "Q3": 25}
        entry = session.scalars(select(AuditEntry).where(AuditEntry.action == "targets")).one()
    assert (entry.actor, json.loads(entry.detail or "")["areas"]) == ("ada", 2)


def test_an_xlsx_file_with_numbers_as_numbers(engine: Engine, city: City) -> None:
    data = xlsx_bytes([{"code": "Q2", "target": 12.0}, {"code": "Q1", "target": 3}],
                      header=["code", "target"])
    assert _set(engine, city, data, "ziele.xlsx").total == 15  # type: ignore[attr-defined]


def test_a_new_file_replaces_the_old_targets_and_the_default_fills_the_rest(
        engine: Engine, city: City) -> None:
    _set(engine, city, b"code;target\nQ1;40\nQ2;30\n")
    _set(engine, city, b"code;target\nQ3;5\n")
    with Session(engine) as session:
        assert area_targets(session, city.campaign_id) == {"Q3": 5}
        session.get(Campaign, city.campaign_id)
    rows = area_target_rows(engine, city.campaign_id, actor=ADA)
    assert [(r.code, r.target, r.source) for r in rows] == [
        ("Q1", None, None), ("Q2", None, None), ("Q3", 5, "file")]


@pytest.mark.parametrize(("data", "rows", "german"), [
    (b"code;target\nQ1;40\nQX;5\n", [3], "Zeile 3: Gebiet „QX“ gibt es in der Ebene "
     "„Quartier“ nicht."),
    (b"code;target\nQ1;40\nQ2;7\nQ1;41\n", [4], "Zeile 4: Gebiet „Q1“ steht schon in Zeile 2."),
    (b"code;target\nQ1;-3\n", [2], "Zeile 2: Die Zielzahl -3 ist negativ."),
    (b"code;target\nQ1;vierzig\nQ2;4,5\nQ3;\n", [2, 3, 4], "Zeile 2: Die Zielzahl „vierzig“ "
     "ist keine ganze Zahl."),
    (b"code;target\nQ1;100001\n", [2], "Zeile 2: Die Zielzahl 100.001 ist zu groß (höchstens "
     "100.000)."),
    (b"code;target\n;40\n", [2], "Zeile 2: Der Gebietscode fehlt."),
])
def test_bad_rows_are_reported_by_row_and_nothing_is_stored(engine: Engine, city: City,
                                                            data: bytes, rows: list[int],
                                                            german: str) -> None:
    _set(engine, city, b"code;target\nQ2;9\n")  # what a refused file must leave alone
    before = _state(engine, city)
    with pytest.raises(TargetsFileError) as err:
        _set(engine, city, data)
    assert [p.row for p in err.value.problems] == rows
    assert german in err.value.message_de
    assert err.value.message_de.startswith("Die Datei mit Zielzahlen hat")
    assert "nothing was stored" in err.value.message_en
    assert err.value.field == "targets_file"
    assert _state(engine, city) == before


@pytest.mark.parametrize(("data", "german"), [
    (b"", "Die Datei ist leer."),
    (b"   \n\n", "Die Datei ist leer."),
    (b"code;target\n", "keine ausgefüllten Zeilen"),
    ("code;target\nQ1;40\n".encode("utf-16-le"), "Null-Bytes"),  # UTF-16 without a BOM
    (b"\xef\xbb\xbfcode;target\nQ1;4\xff\xfe0\n", "ungültige Zeichen"),  # BOM, then not UTF-8
    (b"gebiet;anzahl\nQ1;40\n", "braucht die Spalten „code“ (Gebietscode) und „target“"),
    (b"code target\nQ1 40\n", "kein Trennzeichen"),
    (b"code;target\n" + b"Q1;1\n" * (MAX_FILE_BYTES // 5 + 1), "Die Datei ist zu groß"),
    (b"\xd0\xcf\x11\xe0" + b"\x00" * 100, "Das alte Excel-Format .xls"),
])
def test_unreadable_files_are_refused_and_nothing_is_stored(engine: Engine, city: City,
                                                            data: bytes, german: str) -> None:
    before = _state(engine, city)
    with pytest.raises(ValidationError) as err:
        _set(engine, city, data)
    assert german in err.value.message_de
    assert _state(engine, city) == before


def test_many_bad_rows_are_counted_and_the_first_twenty_named(engine: Engine,
                                                              city: City) -> None:
    data = b"code;target\n" + b"".join(f"X{i};1\n".encode() for i in range(30))
    with pytest.raises(TargetsFileError) as err:
        _set(engine, city, data)
    assert len(err.value.problems) == 30
    assert "(und 10 weitere)" in err.value.message_de


def test_a_stale_version_stores_nothing(engine: Engine, city: City) -> None:
    before = _state(engine, city)
    with pytest.raises(StaleCampaignError):
        set_area_targets(engine, city.campaign_id, b"code;target\nQ1;4\n", "z.csv", actor=ADA,
                         expected_version=0)
    assert _state(engine, city) == before


def test_clearing_removes_only_the_per_area_targets(engine: Engine, city: City) -> None:
    _set(engine, city, b"code;target\nQ1;40\n")
    assert clear_area_targets(engine, city.campaign_id, actor=ADA) == 1
    assert clear_area_targets(engine, city.campaign_id, actor=ADA) == 0  # nothing: no entry
    actions = [a for (a,) in Session(engine).execute(
        select(AuditEntry.action).where(AuditEntry.action.like("targets%")))]
    assert actions == ["targets", "targets_clear"]


def test_the_template_lists_every_area_formula_safe_and_reads_back(engine: Engine,
                                                                   city: City) -> None:
    from sqlalchemy import update

    from stadtraum.store.db import Area
    with Session(engine) as session, session.begin():
        session.execute(update(Area).where(Area.code == "Q2").values(name="=HYPERLINK(1)"))
    data = targets_template(engine, city.campaign_id, actor=ADA)
    text = data.decode("utf-8-sig")
    assert text.splitlines() == ["code;name;target", "Q1;Quartier Q1;", "Q2;'=HYPERLINK(1);",
                                 "Q3;Quartier Q3;"]
    filled = text.replace("Q1;Quartier Q1;", "Q1;Quartier Q1;8").encode("utf-8-sig")
    with pytest.raises(TargetsFileError):  # two rows have no number yet
        _set(engine, city, filled)
    filled = filled.replace(b"'=HYPERLINK(1);", b"'=HYPERLINK(1);2").replace(b"Q3;", b"Q3;0")
    assert _set(engine, city, filled).total == 10  # type: ignore[attr-defined]
