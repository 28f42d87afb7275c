"""Use case: import typed-in paper forms (CSV/XLSX) into a campaign.

Every row is checked first and every bad cell reported (row, column, German reason); by
default nothing is stored when any row is bad (``partial=True`` keeps the good rows). A form's
response id is derived from campaign and form number (:func:`form_uuid`), so importing the same
file again adds nothing; the same form number with other content is reported as a conflict and
the stored form stays as it is. All forms of a file are stored in one transaction
(:mod:`stadtraum.paper.writer`): when the database fails midway (disk full), none is stored
and the same file can be imported again.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import logging
from collections.abc import Iterable
from dataclasses import dataclass

import pandas as pd
from sqlalchemy import select
from sqlalchemy.engine import Engine
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session

from stadtraum.accounts.permissions import Actor, require
from stadtraum.collect.payload import content_hash, validate_payload
from stadtraum.errors import NotSavedError, ValidationError
from stadtraum.files.tables import read_table
from stadtraum.paper.rows import CellError, PaperRow, form_uuid, parse_rows
from stadtraum.paper.template import FORM_NO, SHEET_FORMS, PaperCampaign, paper_campaign
from stadtraum.paper.writer import store_forms
from stadtraum.store.audit import audit
from stadtraum.store.campaigns import find_campaign, require_mode
from stadtraum.store.db import Response
from stadtraum.store.engine import write_engine

__all__ = ["CellError", "ImportReport", "form_uuid", "import_paper"]
log = logging.getLogger(__name__)
_CHUNK = 500


@dataclass(frozen=True)
class ImportReport:
    campaign_id: int
    rows: int  # filled rows read from the file
    created: int  # stored now (dry run: would be stored)
    unchanged: int  # already stored with the same content
    errors: tuple[CellError, ...]
    dry_run: bool
    source: str = ""

    @property
    def bad_rows(self) -> int:
        return len({e.row for e in self.errors})

    def summary_de(self) -> str:
        verb = "würden neu gespeichert" if self.dry_run else "neu gespeichert"
        text = (f"{self.rows} Bögen gelesen: {self.created} {verb}, {self.unchanged} schon "
                "vorhanden")
        if self.errors:
            text += (f", {len(self.errors)} Fehler in {self.bad_rows} Zeilen")
        return text + "."

    def errors_frame(self) -> pd.DataFrame:
        """The bad cells as a table (Zeile, Spalte, Grund) to show as plain text."""
        return pd.DataFrame([(e.row, e.column, e.reason) for e in self.errors],
                            columns=["Zeile", "Spalte", "Grund"])

    def error_lines(self, limit: int = 50) -> list[str]:
        lines = [f"Zeile {e.row}, Spalte {e.column}: {e.reason}" for e in self.errors[:limit]]
        if len(self.errors) > limit:
            lines.append(f"… und {len(self.errors) - limit} weitere Fehler.")
        return lines


def _stored(engine: Engine, uuids: Iterable[str]) -> dict[str, tuple[str, str | None]]:
    """uuid -> (content hash, entered_by) of the forms already stored."""
    ids, out = list(uuids), {}
    with Session(engine) as session:
        for i in range(0, len(ids), _CHUNK):
            for uid, digest, by in session.execute(
                    select(Response.uuid, Response.content_hash, Response.entered_by)
                    .where(Response.uuid.in_(ids[i:i + _CHUNK]))):
                out[str(uid)] = (str(digest), by)
    return out


def _conflict(row: PaperRow) -> CellError:
    return CellError(row.row, FORM_NO, f"Bogen-Nr. „{row.form_no}“ ist in dieser Befragung schon "
                     "mit anderem Inhalt gespeichert; der gespeicherte Bogen bleibt unverändert.")


def _sort_out(engine: Engine, campaign: PaperCampaign, rows: list[PaperRow]
              ) -> tuple[list[PaperRow], int, list[CellError]]:
    """New rows, the number already stored unchanged, and conflicts with stored forms.

    A form stored earlier keeps its ``entered_by``: importing the same file under another
    account is still "unchanged", not a conflict."""
    stored = _stored(engine, (r.payload.response_id for r in rows))
    new: list[PaperRow] = []
    unchanged, conflicts = 0, []
    for row in rows:
        if row.payload.response_id not in stored:
            new.append(row)
            continue
        digest, by = stored[row.payload.response_id]
        same = dataclasses.replace(row.payload, entered_by=by)
        if content_hash(validate_payload(same, campaign.catalogue)) == digest:
            unchanged += 1
        else:
            conflicts.append(_conflict(row))
    return new, unchanged, conflicts


class _RolledBackError(Exception):
    pass


def _not_saved(exc: DBAPIError) -> NotSavedError:
    text = str(exc.orig if exc.orig is not None else exc).lower()
    full = any(k in text for k in ("full", "no space", "disk"))
    log.error("paper import rolled back: %s: %s", type(exc).__name__, exc.orig)
    why = ("die Datenbank hat keinen Speicherplatz mehr" if full
           else "die Datenbank war nicht erreichbar oder gesperrt")
    return NotSavedError(
        f"Die Bögen wurden nicht gespeichert, weil {why}; es wurde nichts importiert. Bitte "
        "dieselbe Datei erneut importieren, sobald das behoben ist – Bögen werden dabei nie "
        "doppelt angelegt.",
        f"paper import rolled back, nothing stored: {type(exc).__name__}: {exc.orig}")


def import_paper(engine: Engine, data: bytes, filename: str, campaign: str | int, *,
                 entered_by: str | None, actor: Actor, partial: bool = False,
                 dry_run: bool = False, today: dt.date | None = None) -> ImportReport:
    """Check (and unless ``dry_run`` store) the forms of a CSV/XLSX file. Needs
    ``paper.import``, also for the check; ``entered_by`` is who typed the forms in.

    Raises :class:`ValidationError` for a file that cannot be read at all (empty, wrong
    format, campaign not open); bad cells are returned in the report, not raised."""
    require(actor, "paper.import")
    if entered_by is not None and not 0 < len(entered_by.strip()) <= 64:
        raise ValidationError("Der Name der erfassenden Person muss 1 bis 64 Zeichen haben.",
                              "entered_by must have 1..64 characters", field="entered_by")
    ctx = paper_campaign(engine, campaign)
    if ctx.status != "open":
        raise ValidationError(f"Die Befragung „{ctx.name}“ ist nicht geöffnet (Status: "
                              f"{ctx.status}); Papierbögen können nur in offene Befragungen "
                              "importiert werden.", "campaign is not open", field="campaign")
    with Session(engine) as session:
        require_mode(find_campaign(session, ctx.id), "paper")
    table = read_table(data, filename, SHEET_FORMS)
    today = today or dt.datetime.now(dt.UTC).date()
    rows, errors = parse_rows(table, ctx, entered_by, today)
    new, unchanged, conflicts = _sort_out(engine, ctx, rows)
    errors = sorted(errors + conflicts, key=lambda e: e.row)
    report = ImportReport(ctx.id, len(table.rows), len(new), unchanged, tuple(errors), True,
                          table.source)
    if dry_run or (errors and not partial):
        return report if dry_run else dataclasses.replace(report, created=0, dry_run=False)
    try:
        with Session(write_engine(engine)) as session, session.begin():
            written = store_forms(session, ctx.id, new, today)
            errors += [_conflict(row) for row in written.raced]
            if written.raced and not partial:
                raise _RolledBackError()
            created, unchanged = written.created, unchanged + written.unchanged
            if created:
                audit(session, actor.name, "paper_import", "campaign", ctx.id, file=filename,
                      created=created, unchanged=unchanged, errors=len(errors))
    except _RolledBackError:  # raced with another import: nothing of this file is stored
        return ImportReport(ctx.id, len(table.rows), 0, unchanged,
                            tuple(sorted(errors, key=lambda e: e.row)), False, table.source)
    except DBAPIError as exc:  # disk full, connection lost: rolled back as a whole
        raise _not_saved(exc) from exc
    return ImportReport(ctx.id, len(table.rows), created, unchanged,
                        tuple(sorted(errors, key=lambda e: e.row)), False, table.source)
