"""Use cases behind the audit log page ("Protokoll"): who did what and when, filtered by
person, kind and period, one page at a time, and as a formula-safe CSV download.

Read-only: nothing here changes an entry; the only write is the audit entry recording that
the log itself was downloaded. Every function needs ``audit.read`` (admins).

The log can grow large, so a page is read with ``LIMIT``/``OFFSET`` over the indexes of
migration 0008 (time, person + time, kind + time), and the download is bounded to
:data:`MAX_CSV_ROWS` rows, read in batches. Times are stored in UTC and shown in the city's
time zone (Europe/Berlin); a period is a range of local calendar days, both ends included.
"""

from __future__ import annotations

import datetime as dt
import io
import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

import pandas as pd
from sqlalchemy import Select, and_, false, func, or_, select
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session

from stadtraum.accounts.permissions import Actor, require
from stadtraum.admin.audit_words import (
    KINDS,
    action_label,
    detail_text,
    kind_label,
    kind_of,
    object_label,
)
from stadtraum.config import CITY_TZ
from stadtraum.errors import ValidationError
from stadtraum.exports.spreadsheet import safe_frame
from stadtraum.store.audit import audit
from stadtraum.store.db import AuditEntry
from stadtraum.store.engine import write_engine

__all__ = ["MAX_CSV_ROWS", "PAGE_SIZE", "AuditFilter", "AuditPage", "AuditRow",
           "audit_csv_text", "audit_entries", "audit_file_name", "audit_frame", "audit_kinds",
           "audit_people"]

PAGE_SIZE = 50
MAX_PAGE_SIZE = 500
MAX_CSV_ROWS = 100_000
_BATCH = 2_000


@dataclass(frozen=True)
class AuditFilter:
    """Which entries: one person (the actor's name), one kind key (see
    :data:`~stadtraum.admin.audit_words.KINDS`, or a literal kind of an unnamed pair) and a
    period of local days; ``None`` means any."""

    person: str | None = None
    kind: str | None = None
    since: dt.date | None = None
    until: dt.date | None = None


@dataclass(frozen=True)
class AuditRow:
    id: int
    at: dt.datetime  # local time (Europe/Berlin)
    person: str  # "" when nobody was signed in (a failed sign-in)
    kind: str  # the kind key
    kind_label: str
    action: str  # what happened, in words
    object: str
    details: str  # the JSON detail as "key: value" text


@dataclass(frozen=True)
class AuditPage:
    rows: list[AuditRow]
    total: int  # entries matching the filter
    page: int  # 1-based, clamped to the pages there are
    pages: int
    page_size: int


def _local(at: dt.datetime) -> dt.datetime:
    if at.tzinfo is None:  # SQLite hands back naive UTC
        at = at.replace(tzinfo=dt.UTC)
    return at.astimezone(CITY_TZ)


def _day_start(day: dt.date) -> dt.datetime:
    """Local midnight of ``day`` in UTC (SQLite compares the stored UTC text)."""
    return dt.datetime.combine(day, dt.time.min, tzinfo=CITY_TZ).astimezone(dt.UTC)


def _pairs(session: Session) -> list[tuple[str, str]]:
    return [(str(a), str(o)) for a, o in session.execute(
        select(AuditEntry.action, AuditEntry.object_type).distinct())]


def _check(filters: AuditFilter) -> None:
    if filters.since and filters.until and filters.since > filters.until:
        raise ValidationError("Der Zeitraum endet vor seinem Anfang: „bis“ muss am oder nach "
                              "„von“ liegen.", "the period ends before it starts: 'until' "
                              "must be on or after 'from'", field="until")


def _where(session: Session, stmt: Select[Any], filters: AuditFilter) -> Select[Any]:
    if filters.person:
        stmt = stmt.where(AuditEntry.actor == filters.person)
    if filters.kind:
        pairs = [p for p in _pairs(session) if kind_of(*p) == filters.kind]
        stmt = stmt.where(or_(*(and_(AuditEntry.action == a, AuditEntry.object_type == o)
                                for a, o in pairs)) if pairs else false())
    if filters.since:
        stmt = stmt.where(AuditEntry.at >= _day_start(filters.since))
    if filters.until:
        stmt = stmt.where(AuditEntry.at < _day_start(filters.until + dt.timedelta(days=1)))
    return stmt


def _rows(entries: Iterable[AuditEntry], lang: str) -> list[AuditRow]:
    rows = []
    for e in entries:
        kind = kind_of(e.action, e.object_type)
        rows.append(AuditRow(int(e.id), _local(e.at), e.actor or "", kind,
                             kind_label(kind, lang), action_label(e.action, e.object_type, lang),
                             object_label(e.object_type, e.object_id, lang),
                             detail_text(e.detail, lang)))
    return rows


_NEWEST_FIRST = (AuditEntry.at.desc(), AuditEntry.id.desc())


def audit_entries(engine: Engine, *, actor: Actor, filters: AuditFilter = AuditFilter(),
                  page: int = 1, page_size: int = PAGE_SIZE, lang: str = "de") -> AuditPage:
    """One page of the entries ``filters`` selects, newest first. A page past the end
    gives the last page. Needs ``audit.read``."""
    require(actor, "audit.read")
    _check(filters)
    page_size = max(1, min(int(page_size), MAX_PAGE_SIZE))
    with Session(engine) as session:
        total = int(session.scalar(_where(session, select(func.count()).select_from(AuditEntry),
                                          filters)) or 0)
        pages = max(1, math.ceil(total / page_size))
        page = max(1, min(int(page), pages))
        stmt = _where(session, select(AuditEntry), filters).order_by(*_NEWEST_FIRST)
        entries = session.scalars(stmt.limit(page_size).offset((page - 1) * page_size)).all()
        rows = _rows(entries, lang)
    return AuditPage(rows, total, page, pages, page_size)


def audit_kinds(engine: Engine, *, actor: Actor, lang: str = "de") -> list[tuple[str, str]]:
    """The kinds the log holds, as (key, label): the named kinds in their order, then the
    literal ones alphabetically. Needs ``audit.read``."""
    require(actor, "audit.read")
    with Session(engine) as session:
        present = {kind_of(*p) for p in _pairs(session)}
    named = [k for k in KINDS if k in present]
    return [(k, kind_label(k, lang)) for k in [*named, *sorted(present - set(KINDS))]]


def audit_people(engine: Engine, *, actor: Actor) -> list[str]:
    """Everyone who appears as the actor of an entry, by name. Needs ``audit.read``."""
    require(actor, "audit.read")
    with Session(engine) as session:
        return [str(n) for n in session.scalars(
            select(AuditEntry.actor).where(AuditEntry.actor.is_not(None)).distinct()
            .order_by(AuditEntry.actor))]


_COLUMNS = {"de": ("Zeit (Europe/Berlin)", "Person", "Art", "Vorgang", "Objekt",
                   "Einzelheiten"),
            "en": ("Time (Europe/Berlin)", "Person", "Kind", "Action", "Object", "Details")}


def _time_text(at: dt.datetime, lang: str) -> str:
    return f"{at:%Y-%m-%d %H:%M:%S}" if lang == "en" else f"{at:%d.%m.%Y %H:%M:%S}"


def audit_frame(rows: Sequence[AuditRow], lang: str = "de") -> pd.DataFrame:
    """The rows as a table with German (or English) column names; every cell is text."""
    columns = _COLUMNS["en" if lang == "en" else "de"]
    return pd.DataFrame([(_time_text(r.at, lang), r.person or "–", r.kind_label, r.action,
                          r.object, r.details) for r in rows],
                        columns=list(columns), dtype=object)


def audit_csv_text(engine: Engine, *, actor: Actor, filters: AuditFilter = AuditFilter(),
                   lang: str = "de") -> str:
    """Every entry ``filters`` selects (at most :data:`MAX_CSV_ROWS`, newest first) as CSV
    text, formula-safe (:func:`~stadtraum.exports.spreadsheet.safe_frame`); times as
    ISO local time. The download is audited afterwards (who, which filter, how many rows).
    Needs ``audit.read``."""
    require(actor, "audit.read")
    _check(filters)
    out = io.StringIO()
    written = 0
    with Session(engine) as session:
        stmt = _where(session, select(AuditEntry), filters).order_by(*_NEWEST_FIRST)
        result = session.scalars(stmt.limit(MAX_CSV_ROWS).execution_options(yield_per=_BATCH))
        for batch in result.partitions():
            rows = _rows(batch, lang)
            frame = audit_frame(rows, "en")  # ISO times in the file, whatever the language
            frame.columns = list(_COLUMNS["en" if lang == "en" else "de"])
            safe_frame(frame).to_csv(out, index=False, header=written == 0)
            written += len(rows)
    if written == 0:
        safe_frame(audit_frame([], lang)).to_csv(out, index=False)
    with Session(write_engine(engine)) as session, session.begin():
        audit(session, actor.name, "export", "audit_log", "", rows=written,
              **{k: v for k, v in _filter_detail(filters).items() if v is not None})
    return out.getvalue()


def _filter_detail(filters: AuditFilter) -> dict[str, str | None]:
    return {"person": filters.person, "kind": filters.kind,
            "since": filters.since.isoformat() if filters.since else None,
            "until": filters.until.isoformat() if filters.until else None}


def audit_file_name(filters: AuditFilter, today: dt.date) -> str:
    """``protokoll_2026-12-01.csv`` (with the period when one is chosen)."""
    period = "_".join(d.isoformat() for d in (filters.since, filters.until) if d)
    return f"protokoll_{period or today.isoformat()}.csv"
