"""The catalogue use cases (issue 11, item 5) on SQLite and PostgreSQL: the list with sources,
counts and the campaigns using each; every bad upload refused with its line in German and
nothing stored; add, copy, replace and delete with their audit rows in the same transaction;
a catalogue a campaign uses (or a shipped one) is never replaced or deleted, only copied."""

from __future__ import annotations

import dataclasses
import json
import threading
import time
from pathlib import Path

import pytest
from sqlalchemy import select
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session

from stadtraum.accounts.permissions import Actor
from stadtraum.admin.campaigns import create_campaign
from stadtraum.admin.catalogue_check import MAX_UPLOAD_BYTES, check_catalogue_text, key_lines
from stadtraum.admin.catalogues import (
    CatalogueFileError,
    CatalogueInUseError,
    add_catalogue,
    catalogue_source,
    catalogue_toml,
    check_upload,
    copy_catalogue,
    delete_catalogue,
    list_catalogues,
    replace_catalogue,
)
from stadtraum.criteria import (
    DEFAULT_CATALOGUE,
    Catalogue,
    builtin_catalogues,
    parse_catalogue_text,
)
from stadtraum.errors import NotFoundError, ValidationError
from stadtraum.store import catalogues as store
from stadtraum.store.catalogues import catalogue_for
from stadtraum.store.db import AuditEntry, Campaign, StoredCatalogue
from stadtraum.store.engine import make_engine
from tests.conftest import _new_pg_db
from tests.helpers import add_campaign, make_city
from tests.pgserver import PgServer

ADA = Actor("ada", "admin")
SHIPPED = Path(__file__).parents[2] / "stadtraum" / "catalogues" / "stadtraummonitor14.toml"


def _toml(cat_id: str = "bochum_2026", name: str = "Bochum 2026") -> str:
    return (SHIPPED.read_text(encoding="utf-8")
            .replace('id = "stadtraummonitor14"', f'id = "{cat_id}"')
            .replace('name_de = "StadtRaumMonitor (14 Themen)"', f'name_de = "{name}"'))


def _stored(engine: Engine) -> dict[str, str]:
    with Session(engine) as session:
        return {r.id: r.toml for r in session.scalars(select(StoredCatalogue))}


def _audit(engine: Engine) -> list[tuple[str | None, str, str, str | None, dict[str, object]]]:
    with Session(engine) as session:
        return [(a.actor, a.action, a.object_type, a.object_id, json.loads(a.detail or "{}"))
                for a in session.scalars(select(AuditEntry).where(
                    AuditEntry.object_type == "catalogue").order_by(AuditEntry.id))]


def test_the_list_names_source_count_and_campaigns(engine: Engine) -> None:
    city = make_city(engine)  # its campaign uses the default catalogue
    add_catalogue(engine, _toml(), actor=ADA)
    add_campaign(engine, city, "Bochum Frühjahr", catalogue_id="bochum_2026")
    rows = {r.id: r for r in list_catalogues(engine, actor=ADA)}
    assert list(rows)[:2] == list(builtin_catalogues())  # shipped first
    default, klima, mine = (rows[DEFAULT_CATALOGUE], rows["stadtraummonitor14_klima"],
                            rows["bochum_2026"])
    assert (default.source, default.n_criteria, len(default.campaigns)) == ("shipped", 14, 1)
    assert (klima.n_criteria, klima.campaigns) == (16, ())
    assert (mine.source, mine.name_de, mine.campaigns) == ("stored", "Bochum 2026",
                                                           ("Bochum Frühjahr",))
    assert mine.created_at is not None and not mine.changeable


def test_add_stores_the_text_and_audits_in_the_same_transaction(engine: Engine) -> None:
    cat = add_catalogue(engine, _toml().encode("utf-8"), actor=ADA)
    assert cat.id == "bochum_2026" and len(cat.criteria) == 14
    assert _stored(engine) == {"bochum_2026": _toml()}
    assert _audit(engine) == [("ada", "create", "catalogue", "bochum_2026",
                               {"name": "Bochum 2026", "criteria": 14})]
    with Session(engine) as session:
        assert catalogue_for(session, "bochum_2026") == cat  # what the results engine reads
    with pytest.raises(ValidationError) as exc:  # the same id again
        add_catalogue(engine, _toml(name="Anders"), actor=ADA)
    assert "gibt es schon" in exc.value.message_de
    assert len(_audit(engine)) == 1


def _line_of(text: str, needle: str) -> int:
    return next(i for i, line in enumerate(text.splitlines(), start=1) if needle in line)


BASE = _toml()


def _prompt_line() -> str:
    return next(line for line in BASE.splitlines() if line.startswith('prompts_de = ["Fahren Bus'))


SECOND_ID = 'id = "public_transport"'
# case -> (TOML text, the line the message must name, words it must contain)
BAD = {
    "TOML syntax": (BASE.replace('label_de = "Bus und Bahn"', 'label_de = Bus und Bahn'),
                    _line_of(BASE, 'label_de = "Bus und Bahn"'), "kein gültiges TOML"),
    "unclosed string": (BASE.replace('label_en = "Housing', 'label_en = "Housing\n#'),
                        _line_of(BASE, 'label_en = "Housing'), "kein gültiges TOML"),
    "missing field": (BASE.replace('label_en = "Public transport"\n', ""),
                      _line_of(BASE, SECOND_ID) - 1, "es fehlt „label_en“"),
    "missing catalogue id": (BASE.replace('id = "bochum_2026"\n', ""), 1, "es fehlt „id“"),
    "duplicate id": (BASE.replace(SECOND_ID, 'id = "moving_around"'),
                     _line_of(BASE, SECOND_ID), "kommt schon in Zeile 8 vor"),
    "empty text": (BASE.replace('question_en = "Does public transport', 'question_en = "  '
                                '"\n#'), _line_of(BASE, 'question_en = "Does public'),
                   "„question_en“ ist leer"),
    "wrong type": (BASE.replace('plain_de = "Kann ich gut mit Bus und Bahn fahren?"',
                                "plain_de = 42"),
                   _line_of(BASE, 'plain_de = "Kann ich gut mit Bus'),
                   "muss ein Text sein, ist aber eine Zahl"),
    "prompts not a list": (BASE.replace(_prompt_line(), 'prompts_de = "Fahren Bus?"'),
                           _line_of(BASE, 'prompts_de = ["Fahren Bus'), "Liste von Texten"),
    "too few prompts": (BASE.replace(', "Sind Haltestellen barrierefrei?"', '').replace(
        ', "Kann ich mir die Fahrkarten leisten?"', ''),
        _line_of(BASE, 'prompts_de = ["Fahren Bus'), "hat 2 Denkanstöße; nötig sind 3 bis 5"),
    "bad criterion id": (BASE.replace(SECOND_ID, 'id = "Bus-Bahn"'),
                         _line_of(BASE, SECOND_ID), "Id „Bus-Bahn“ ist ungültig"),
    "unknown field": (BASE.replace('label_en = "Public transport"',
                                   'label_en = "Public transport"\nlable_de = "x"'),
                      _line_of(BASE, 'label_en = "Public transport"') + 1,
                      "unbekanntes Feld „lable_de“"),
    "shipped id": (BASE.replace('id = "bochum_2026"', 'id = "stadtraummonitor14_klima"'), 3,
                   "gehört einem mitgelieferten Katalog"),
    "too few criteria": (BASE[:BASE.index("[[criteria]]", BASE.index(SECOND_ID))],
                         _line_of(BASE, "[[criteria]]"), "hat 2 Kriterien; erlaubt sind 3 bis 24"),
    "too many criteria": (BASE + "".join(
        BASE[BASE.index("[[criteria]]"):].replace('id = "', f'id = "x{i}_') for i in range(1)),
        _line_of(BASE, "[[criteria]]"), "hat 28 Kriterien; erlaubt sind 3 bis 24"),
    "no criteria": (BASE[:BASE.index("[[criteria]]")], len(BASE[:BASE.index("[[criteria]]")]
                                                           .splitlines()),
                    "enthält keine Kriterien"),
}


@pytest.mark.parametrize("case", list(BAD))
def test_every_bad_file_is_refused_naming_the_line_and_stores_nothing(engine: Engine,
                                                                     case: str) -> None:
    text, line, words = BAD[case]
    check = check_upload(engine, text.encode("utf-8"), actor=ADA).check
    assert not check.ok and check.catalogue is None
    assert any(p.line == line and words in p.de for p in check.problems), \
        [p.text() for p in check.problems]
    with pytest.raises(CatalogueFileError) as exc:
        add_catalogue(engine, text.encode("utf-8"), actor=ADA)
    assert f"Zeile {line}: " in exc.value.message_de and words in exc.value.message_de
    assert _stored(engine) == {} and _audit(engine) == []


def test_every_problem_is_reported_at_once() -> None:
    text = (BASE.replace('label_en = "Public transport"\n', "")
            .replace('id = "housing"', 'id = "moving_around"')
            .replace('plain_de = "Kann ich hier gut zu Fuß gehen und Rad fahren?"',
                     'plain_de = ""'))
    problems = check_catalogue_text(text).problems
    assert [p.line for p in problems] == sorted(p.line for p in problems)
    assert len(problems) == 3, [p.text() for p in problems]


def test_a_big_or_non_utf8_upload_is_refused(engine: Engine) -> None:
    big = _toml().encode("utf-8") + b"#" * MAX_UPLOAD_BYTES
    latin = _toml().encode("utf-8").replace(b"Bochum 2026", "Süd".encode("latin-1"))
    for data, line, words in ((big, 1, "höchstens 256 KiB"), (latin, 4, "nicht in UTF-8")):
        check = check_upload(engine, data, actor=ADA).check
        assert [(p.line, words in p.de) for p in check.problems] == [(line, True)]
        with pytest.raises(CatalogueFileError):
            add_catalogue(engine, data, actor=ADA)
    assert _stored(engine) == {}
    bom = b"\xef\xbb\xbf" + _toml().encode("utf-8")  # UTF-8 with a byte-order mark is fine
    assert check_upload(engine, bom, actor=ADA).check.ok


def test_lines_are_found_outside_multiline_strings_and_in_arrays() -> None:
    text = ('id = "k"\nname_de = """\nid = "nicht hier"\n"""\n\n[[criteria]]\n'
            'prompts_de = [\n  "a",\n  "b",\n]\nlabel_de = "x"\n')
    lines = key_lines(text)
    assert lines.top == {"id": 1, "name_de": 2}
    assert lines.tables == [(6, {"prompts_de": 7, "label_de": 11})]


def test_a_catalogue_in_use_is_not_replaced_or_deleted_only_copied(engine: Engine) -> None:
    city = make_city(engine)
    add_catalogue(engine, _toml(), actor=ADA)
    add_campaign(engine, city, "Herbst 2026", catalogue_id="bochum_2026", status="closed")
    add_campaign(engine, city, "Frühjahr 2027", catalogue_id="bochum_2026", status="draft")
    before, audit_before = _stored(engine), _audit(engine)
    changed = _toml(name="Bochum geändert")
    upload = check_upload(engine, changed.encode("utf-8"), actor=ADA)
    assert upload.existing is not None
    assert upload.existing.campaigns == ("Frühjahr 2027", "Herbst 2026")
    for call in (lambda: replace_catalogue(engine, changed, actor=ADA),
                 lambda: delete_catalogue(engine, "bochum_2026", actor=ADA)):
        with pytest.raises(CatalogueInUseError) as exc:
            call()
        assert "„Frühjahr 2027“, „Herbst 2026“" in exc.value.message_de
        assert "kopieren" in exc.value.message_de
    with pytest.raises(ValidationError, match="shipped"):
        delete_catalogue(engine, DEFAULT_CATALOGUE, actor=ADA)
    with pytest.raises(ValidationError, match="shipped"):
        replace_catalogue(engine, _toml(DEFAULT_CATALOGUE), actor=ADA)
    with pytest.raises(NotFoundError):
        delete_catalogue(engine, "gibt_es_nicht", actor=ADA)
    assert (_stored(engine), _audit(engine)) == (before, audit_before)

    copy = copy_catalogue(engine, "bochum_2026", "bochum_2027", actor=ADA)
    assert copy.name_de == "Kopie von Bochum 2026" and copy.name_en.startswith("Copy of ")
    assert copy.criteria == catalogue_for_engine(engine, "bochum_2026").criteria
    assert _audit(engine)[-1] == ("ada", "copy", "catalogue", "bochum_2027",
                                  {"name": "Kopie von Bochum 2026", "criteria": 14,
                                   "copied_from": "bochum_2026"})
    replace_catalogue(engine, _toml("bochum_2027", "Bochum 2027"), actor=ADA)  # unused: may
    assert _audit(engine)[-1][1:] == ("replace", "catalogue", "bochum_2027",
                                      {"name": "Bochum 2027", "criteria": 14, "old": 14})
    assert catalogue_for_engine(engine, "bochum_2027").name_de == "Bochum 2027"
    delete_catalogue(engine, "bochum_2027", actor=ADA)
    assert set(_stored(engine)) == {"bochum_2026"}
    assert _audit(engine)[-1][1:3] == ("delete", "catalogue")


def catalogue_for_engine(engine: Engine, cat_id: str) -> Catalogue:
    with Session(engine) as session:
        return catalogue_for(session, cat_id)


def test_copy_of_a_shipped_catalogue_with_names_and_refusals(engine: Engine) -> None:
    cat = copy_catalogue(engine, "stadtraummonitor14_klima", "klima_bochum", actor=ADA,
                         name_de="Klima Bochum", name_en="Climate Bochum")
    shipped = builtin_catalogues()["stadtraummonitor14_klima"]
    assert cat == dataclasses.replace(shipped, id="klima_bochum", name_de="Klima Bochum",
                                      name_en="Climate Bochum")
    for new_id, words in (("Klima Bochum", "ungültig"), ("klima_bochum", "gibt es schon"),
                          (DEFAULT_CATALOGUE, "gibt es schon")):
        with pytest.raises(ValidationError) as exc:
            copy_catalogue(engine, DEFAULT_CATALOGUE, new_id, actor=ADA)
        assert words in exc.value.message_de
    with pytest.raises(NotFoundError):
        copy_catalogue(engine, "gibt_es_nicht", "neu_x", actor=ADA)
    assert set(_stored(engine)) == {"klima_bochum"} and len(_audit(engine)) == 1


def test_the_toml_writer_round_trips_awkward_text() -> None:
    shipped = builtin_catalogues()[DEFAULT_CATALOGUE]
    first = dataclasses.replace(shipped.criteria[0], label_de='Zu "Fuß" \\ und\t<b>*x*</b>\x7f',
                                question_de="Zeile 1\nZeile 2 ${x} ''' \"\"\"")
    cat = dataclasses.replace(shipped, id="schraeg", criteria=(first, *shipped.criteria[1:]))
    assert parse_catalogue_text(catalogue_toml(cat)) == cat


def test_the_source_of_shipped_and_stored_catalogues(engine: Engine) -> None:
    cat, text = catalogue_source(engine, DEFAULT_CATALOGUE, actor=ADA)
    assert text == SHIPPED.read_text(encoding="utf-8") and cat.id == DEFAULT_CATALOGUE
    add_catalogue(engine, _toml(), actor=ADA)
    assert catalogue_source(engine, "bochum_2026", actor=ADA)[1] == _toml()
    with pytest.raises(NotFoundError):
        catalogue_source(engine, "gibt_es_nicht", actor=ADA)


@pytest.mark.postgres
def test_a_campaign_cannot_take_a_catalogue_while_it_is_being_deleted(
        pg_server: PgServer, monkeypatch: pytest.MonkeyPatch) -> None:
    """PostgreSQL (SQLite serialises writers): the delete holds the row; a campaign created
    meanwhile waits for it and then finds the catalogue gone, instead of naming a catalogue
    that no longer exists once the delete commits."""
    engine = make_engine(_new_pg_db(pg_server))
    city = make_city(engine)
    add_catalogue(engine, _toml("gone_soon"), actor=ADA)
    deleted = threading.Event()
    original = store.delete_stored

    def slow_delete(session: Session, catalogue_id: str) -> None:
        original(session, catalogue_id)
        deleted.set()  # the row is deleted and locked; the commit follows in a second
        time.sleep(1.0)

    monkeypatch.setattr(store, "delete_stored", slow_delete)
    deleting = threading.Thread(target=delete_catalogue, args=(engine, "gone_soon"),
                                kwargs={"actor": ADA})
    deleting.start()
    assert deleted.wait(30)
    with pytest.raises(ValidationError) as err:
        create_campaign(engine, name="Welle im Wettlauf", level_id=city.quarter_level_id,
                        catalogue_id="gone_soon", actor=ADA)
    deleting.join(30)
    assert "gibt es nicht" in err.value.message_de
    with Session(engine) as session:
        assert session.scalar(select(StoredCatalogue).where(
            StoredCatalogue.id == "gone_soon")) is None
        assert session.scalar(select(Campaign).where(Campaign.name == "Welle im Wettlauf")) \
            is None
    engine.dispose()
