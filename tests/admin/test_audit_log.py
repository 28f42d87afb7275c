"""The audit log use cases on SQLite and PostgreSQL: filters by person, kind and period
(local days), paging newest first, German and English words, the formula-safe CSV download
(bounded, audited), and the refusal for every role but admin."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json

import pytest
from sqlalchemy import select
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session

from stadtraum.accounts.permissions import SYSTEM, Actor
from stadtraum.admin import audit_log
from stadtraum.admin.audit_log import (
    AuditFilter,
    audit_csv_text,
    audit_entries,
    audit_file_name,
    audit_kinds,
    audit_people,
)
from stadtraum.errors import PermissionDeniedError, ValidationError
from stadtraum.exports.spreadsheet import FORMULA_PREFIXES
from stadtraum.store.db import AuditEntry
from stadtraum.store.engine import write_engine

ADA = Actor("ada", "admin")
T0 = dt.datetime(2026, 3, 31, 21, 30, tzinfo=dt.UTC)  # 23:30 in Berlin (CEST)
HYPERLINK = '=HYPERLINK("http://hostile.example/x","klick")'


def _add(engine: Engine, at: dt.datetime, actor: str | None, action: str, object_type: str,
         object_id: str = "1", detail: object = None) -> None:
    text = detail if isinstance(detail, str) or detail is None else json.dumps(detail)
    with Session(write_engine(engine)) as session, session.begin():
        session.add(AuditEntry(at=at, actor=actor, action=action, object_type=object_type,
                               object_id=object_id, detail=text))


@pytest.fixture
def log(engine: Engine) -> Engine:
    """Six entries around midnight of 31 March / 1 April (Berlin time)."""
    _add(engine, T0, "ada", "create", "user", "2", {"name": "erika", "role": "helper"})
    _add(engine, T0 + dt.timedelta(minutes=45), "erika", "sign_in", "user", "2",
         {"method": "password", "source": "10.0.0.7"})  # 00:15 on 1 April
    _add(engine, T0 + dt.timedelta(hours=1), None, "sign_in_failed", "user", "erika",
         {"method": "password", "source": "10.0.0.7", "reason": "wrong password"})
    _add(engine, T0 + dt.timedelta(hours=2), "erika", "void", "response", "abc",
         {"old": "valid", "new": "voided", "reason": "test"})
    _add(engine, T0 + dt.timedelta(days=1, hours=3), "ada", "export_responses", "campaign", "1",
         {"rows": 12})
    _add(engine, T0 + dt.timedelta(days=2), "ada", "frobnicate", "widget", "9", "roh")
    return engine


def _rows(engine: Engine, **filters: object) -> list[tuple[str, str, str]]:
    page = audit_entries(engine, actor=ADA, filters=AuditFilter(**filters))  # type: ignore[arg-type]
    return [(r.person, r.kind, r.action) for r in page.rows]


def test_newest_first_with_german_words(log: Engine) -> None:
    page = audit_entries(log, actor=ADA)
    assert (page.total, page.page, page.pages) == (6, 1, 1)
    assert [r.kind_label for r in page.rows] == [
        "frobnicate (widget)", "Export", "Statusänderung", "Anmeldung fehlgeschlagen",
        "Anmeldung", "Konto"]
    first_account = page.rows[-1]
    assert first_account.at == dt.datetime(2026, 3, 31, 23, 30, tzinfo=first_account.at.tzinfo)
    assert str(first_account.at.tzinfo) == "Europe/Berlin"
    assert (first_account.person, first_account.action, first_account.object,
            first_account.details) == ("ada", "Konto angelegt", "Konto 2",
                                       "Name: erika · Rolle: helper")
    failed = page.rows[3]
    assert (failed.person, failed.object, failed.details) == (
        "", "Konto erika", "Weg: Passwort · Adresse: 10.0.0.7 · Grund: Passwort falsch")
    assert page.rows[2].details == "vorher: valid · nachher: voided · Grund: Test-Eingabe"
    assert (page.rows[0].action, page.rows[0].details) == ("frobnicate", "roh")


def test_english_words(log: Engine) -> None:
    rows = audit_entries(log, actor=ADA, lang="en").rows
    assert [r.kind_label for r in rows][1:] == ["Export", "Status change", "Failed sign-in",
                                                "Sign-in", "Account"]
    assert rows[-1].action == "account created" and rows[-1].details == \
        "name: erika · role: helper"
    frame = audit_log.audit_frame(rows, "en")
    assert frame.columns[0] == "Time (Europe/Berlin)"
    assert frame.iloc[-1, 0] == "2026-03-31 23:30:00"
    assert audit_log.audit_frame(rows, "de").iloc[-1, 0] == "31.03.2026 23:30:00"


def test_filter_by_person_kind_and_local_period(log: Engine) -> None:
    assert [k for _, k, _ in _rows(log, person="erika")] == ["status", "sign_in"]
    assert _rows(log, kind="sign_in_failed") == [("", "sign_in_failed",
                                                  "Anmeldung fehlgeschlagen")]
    assert [p for p, _, _ in _rows(log, kind="status")] == ["erika"]
    assert [k for _, k, _ in _rows(log, kind="frobnicate (widget)")] == ["frobnicate (widget)"]
    assert _rows(log, kind="delete") == []  # a kind with no entries selects none
    april_1 = dt.date(2026, 4, 1)
    assert [k for _, k, _ in _rows(log, since=april_1, until=april_1)] == [
        "status", "sign_in_failed", "sign_in"]  # 23:30 on 31 March is not in it
    assert [k for _, k, _ in _rows(log, until=dt.date(2026, 3, 31))] == ["account"]
    assert [k for _, k, _ in _rows(log, since=dt.date(2026, 4, 2))] == [
        "frobnicate (widget)", "export"]
    assert [k for _, k, _ in _rows(log, person="ada", kind="export",
                                   since=dt.date(2026, 4, 2), until=dt.date(2026, 4, 2))] \
        == ["export"]
    with pytest.raises(ValidationError) as exc:
        audit_entries(log, actor=ADA, filters=AuditFilter(since=april_1,
                                                          until=dt.date(2026, 3, 31)))
    assert exc.value.field == "until" and "„bis“" in exc.value.message_de


def test_the_filter_choices(log: Engine) -> None:
    assert audit_people(log, actor=ADA) == ["ada", "erika"]
    assert audit_kinds(log, actor=ADA) == [
        ("sign_in", "Anmeldung"), ("sign_in_failed", "Anmeldung fehlgeschlagen"),
        ("export", "Export"), ("status", "Statusänderung"), ("account", "Konto"),
        ("frobnicate (widget)", "frobnicate (widget)")]
    assert audit_kinds(log, actor=ADA, lang="en")[1] == ("sign_in_failed", "Failed sign-in")


def test_paging_reads_one_page_at_a_time(engine: Engine) -> None:
    with Session(write_engine(engine)) as session, session.begin():
        session.add_all(AuditEntry(at=T0 + dt.timedelta(minutes=i), actor=f"p{i % 3}",
                                   action="sign_in", object_type="user", object_id=str(i))
                        for i in range(120))
    first = audit_entries(engine, actor=ADA, page_size=50)
    assert (first.total, first.pages, len(first.rows)) == (120, 3, 50)
    assert [r.object for r in first.rows[:2]] == ["Konto 119", "Konto 118"]
    last = audit_entries(engine, actor=ADA, page=3, page_size=50)
    assert len(last.rows) == 20 and last.rows[-1].object == "Konto 0"
    assert audit_entries(engine, actor=ADA, page=99, page_size=50).page == 3  # clamped
    assert audit_entries(engine, actor=ADA, page=0, page_size=50).page == 1
    seen = [r.id for p in (1, 2, 3)
            for r in audit_entries(engine, actor=ADA, page=p, page_size=50).rows]
    assert len(set(seen)) == 120  # no entry twice, none left out
    mine = audit_entries(engine, actor=ADA, filters=AuditFilter(person="p1"), page=2,
                         page_size=30)
    assert (mine.total, mine.pages, len(mine.rows)) == (40, 2, 10)
    empty = audit_entries(engine, actor=ADA, filters=AuditFilter(person="niemand"))
    assert (empty.total, empty.page, empty.pages, empty.rows) == (0, 1, 1, [])


def _cells(text: str) -> list[list[str]]:
    return list(csv.reader(io.StringIO(text)))


def test_the_csv_is_formula_safe_and_audited(log: Engine) -> None:
    _add(log, T0 + dt.timedelta(days=3), HYPERLINK, "frobnicate", "=cmd|' /c calc'!A0", "1",
         HYPERLINK)
    _add(log, T0 + dt.timedelta(days=3), "ada", "create", "user", "5",
         {HYPERLINK: "@SUM(A1)", "name": "zeile\r=1+1"})
    text = audit_csv_text(log, actor=ADA)
    cells = _cells(text)
    assert cells[0] == ["Zeit (Europe/Berlin)", "Person", "Art", "Vorgang", "Objekt",
                        "Einzelheiten"]
    assert len(cells) == 1 + 8
    flat = [c for row in cells for c in row]
    assert not [c for c in flat if c.startswith(FORMULA_PREFIXES)]
    assert "\r" not in text  # a bare CR would start a new row in a spreadsheet
    planted = next(row for row in cells if row[1].startswith("'="))
    assert planted[1] == "'" + HYPERLINK and planted[5] == "'" + HYPERLINK
    assert planted[4].startswith("'=cmd")
    assert any(c.startswith("'=HYPERLINK") and "@SUM(A1)" in c for c in flat)
    assert cells[-1][0] == "2026-03-31 23:30:00"  # ISO local time, oldest last
    with Session(log) as session:
        entry = session.scalars(select(AuditEntry).order_by(AuditEntry.id.desc())).first()
    assert entry is not None
    assert (entry.actor, entry.action, entry.object_type) == ("ada", "export", "audit_log")
    assert json.loads(entry.detail or "{}") == {"rows": 8}
    assert audit_entries(log, actor=ADA, filters=AuditFilter(kind="export")).rows[0].action \
        == "Protokoll exportiert"


def test_the_csv_follows_the_filter_is_bounded_and_english(log: Engine,
                                                           monkeypatch: pytest.MonkeyPatch
                                                           ) -> None:
    chosen = AuditFilter(person="erika", since=dt.date(2026, 4, 1))
    cells = _cells(audit_csv_text(log, actor=ADA, filters=chosen, lang="en"))
    assert cells[0][0] == "Time (Europe/Berlin)" and [r[2] for r in cells[1:]] == [
        "Status change", "Sign-in"]
    with Session(log) as session:
        detail = session.scalars(select(AuditEntry.detail).where(
            AuditEntry.action == "export")).one()
    assert json.loads(detail or "{}") == {"rows": 2, "person": "erika", "since": "2026-04-01"}
    monkeypatch.setattr(audit_log, "MAX_CSV_ROWS", 3)
    monkeypatch.setattr(audit_log, "_BATCH", 2)  # read in batches, one header
    cells = _cells(audit_csv_text(log, actor=ADA))
    assert len(cells) == 4 and cells[1][2] == "Export"  # the newest: the first download
    empty = _cells(audit_csv_text(log, actor=ADA, filters=AuditFilter(person="niemand")))
    assert empty == [cells[0]]
    assert audit_file_name(chosen, dt.date(2026, 12, 1)) == "protokoll_2026-04-01.csv"
    assert audit_file_name(AuditFilter(), dt.date(2026, 12, 1)) == "protokoll_2026-12-01.csv"


@pytest.mark.parametrize("role", ["helper", "moderator", "planner"])
def test_other_roles_are_refused_and_nothing_is_written(log: Engine, role: str) -> None:
    who = Actor(f"{role}.konto", role)
    calls = [lambda: audit_entries(log, actor=who), lambda: audit_kinds(log, actor=who),
             lambda: audit_people(log, actor=who), lambda: audit_csv_text(log, actor=who)]
    for call in calls:
        with pytest.raises(PermissionDeniedError) as exc:
            call()
        assert "darf nicht: das Protokoll lesen" in exc.value.message_de
    with Session(log) as session:
        assert len(session.scalars(select(AuditEntry.id)).all()) == 6
    assert audit_entries(log, actor=SYSTEM).total == 6  # the command line may
