"""The daily data-protection run (``stadtraum maintenance``, a cron job or systemd timer, or
the button on the Datenschutz page).

1. Interview drafts untouched for ``draft_days`` days (default 7) are deleted.
2. Retention: a closed campaign whose ``closed_at`` lies ``retention_months`` months or more
   in the past (``retention_months`` NULL: kept) has its results published first (so the
   suppressed aggregates stay as its published snapshot, and its maps and reports keep
   working), then its raw data are purged (:func:`~stadtraum.privacy.purge.purge_campaign`).
   A campaign without ``closed_at`` is skipped: nobody knows when its period began.
3. The database files are scrubbed once more (SQLite's WAL checkpoint, PostgreSQL's VACUUM),
   in case a deletion's own checkpoint found the file busy.
"""

from __future__ import annotations

import calendar
import datetime as dt
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session

from stadtraum.accounts.permissions import Actor, require
from stadtraum.analysis.cube_store import CubeProvider
from stadtraum.privacy.drafts_expiry import DEFAULT_DRAFT_DAYS, check_days, expire_drafts
from stadtraum.privacy.purge import purge_campaign
from stadtraum.privacy.scrub_storage import scrub_storage
from stadtraum.publish.service import publish_results
from stadtraum.store.db import Campaign, utcnow

__all__ = ["MaintenanceReport", "Retained", "add_months", "due_for_retention",
           "run_maintenance"]


@dataclass(frozen=True)
class Retained:
    """One campaign whose raw data reached the end of its retention period."""

    campaign_id: int
    name: str
    responses: int
    published_cells: int


@dataclass(frozen=True)
class MaintenanceReport:
    drafts: int
    purged: tuple[Retained, ...]


def add_months(when: dt.datetime, months: int) -> dt.datetime:
    """``when`` plus ``months`` calendar months (the 31st becomes the month's last day)."""
    total = when.month - 1 + months
    year, month = when.year + total // 12, total % 12 + 1
    day = min(when.day, calendar.monthrange(year, month)[1])
    return when.replace(year=year, month=month, day=day)


def _aware(value: dt.datetime) -> dt.datetime:
    return value if value.tzinfo is not None else value.replace(tzinfo=dt.UTC)


def due_for_retention(engine: Engine, now: dt.datetime | None = None) -> list[tuple[int, str]]:
    """(id, name) of the closed, not yet purged campaigns past their retention period."""
    now = now or utcnow()
    with Session(engine) as session:
        rows = session.execute(select(Campaign.id, Campaign.name, Campaign.closed_at,
                                      Campaign.retention_months)
                               .where(Campaign.status == "closed",
                                      Campaign.purged_at.is_(None),
                                      Campaign.closed_at.is_not(None),
                                      Campaign.retention_months.is_not(None))
                               .order_by(Campaign.id)).all()
    return [(int(cid), str(name)) for cid, name, closed, months in rows
            if closed is not None and months is not None
            and add_months(_aware(closed), int(months)) <= now]


def run_maintenance(engine: Engine, provider: CubeProvider, *, actor: Actor,
                    draft_days: int = DEFAULT_DRAFT_DAYS,
                    now: dt.datetime | None = None) -> MaintenanceReport:
    """Expire old drafts, then publish and purge every campaign past its retention. Needs
    ``responses.delete`` (and ``results.publish`` when a campaign is due)."""
    require(actor, "responses.delete")
    check_days(draft_days)
    now = now or utcnow()
    due = due_for_retention(engine, now)
    if due:
        require(actor, "results.publish")
    drafts = expire_drafts(engine, days=draft_days, actor=actor, now=now)
    purged = []
    for cid, name in due:
        publish_results(engine, provider, cid, actor=actor, now=now)
        result = purge_campaign(engine, cid, actor=actor, now=now, reason="retention")
        purged.append(Retained(cid, name, result.counts.responses,
                               result.counts.published_cells))
    scrub_storage(engine)
    return MaintenanceReport(drafts, tuple(purged))
