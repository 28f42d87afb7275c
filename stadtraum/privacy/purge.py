"""Use case: delete a closed campaign's raw data (on an admin's decision, or at the end of its
retention period, :mod:`stadtraum.privacy.maintenance`).

All of the campaign's responses go, with their ratings, comments and priorities (foreign-key
cascade), its interview drafts, and its focus groups with the moderators' notes (free text).
One campaign-wide tombstone (no row id, no UUID hash) tells every statistics engine to drop
all of the campaign's rows; ``purged_at`` is set, and a purged campaign cannot be opened
again. What stays is what was published: the campaign's published snapshot
(``published_cells``), so its maps and public figures still work. Audit entries that named one
of its responses keep only what happened and when.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass

from sqlalchemy import delete, func, select, update
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session

from stadtraum.accounts.permissions import Actor, require
from stadtraum.errors import ValidationError
from stadtraum.privacy.scrub_storage import scrub_storage
from stadtraum.store.audit import audit
from stadtraum.store.campaigns import find_campaign, find_for_update
from stadtraum.store.changes import next_change_seq
from stadtraum.store.db import (
    AuditEntry,
    Campaign,
    Comment,
    FocusGroup,
    InterviewDraft,
    Priority,
    PublishedCell,
    Response,
    ResponseTombstone,
    StatsSnapshot,
    utcnow,
)
from stadtraum.store.engine import write_engine
from stadtraum.vocab import CAMPAIGN_STATUSES

__all__ = ["PurgeCounts", "PurgeResult", "closed_campaigns", "preview_purge", "purge_campaign"]


@dataclass(frozen=True)
class PurgeCounts:
    """What a purge removes (and what stays: the published cells)."""

    campaign_id: int
    name: str
    status: str
    responses: int
    comments: int
    priorities: int
    drafts: int
    focus_groups: int
    published_cells: int
    purged_at: dt.datetime | None


@dataclass(frozen=True)
class PurgeResult:
    counts: PurgeCounts
    storage_scrubbed: bool


def _n(session: Session, query: object) -> int:
    return int(session.scalar(query) or 0)  # type: ignore[call-overload]


def _counts(session: Session, c: Campaign) -> PurgeCounts:
    of_campaign = select(Response.id).where(Response.campaign_id == c.id)
    return PurgeCounts(
        c.id, c.name, c.status,
        _n(session, select(func.count(Response.id)).where(Response.campaign_id == c.id)),
        _n(session, select(func.count()).select_from(Comment)
           .where(Comment.response_id.in_(of_campaign))),
        _n(session, select(func.count()).select_from(Priority)
           .where(Priority.response_id.in_(of_campaign))),
        _n(session, select(func.count()).select_from(InterviewDraft)
           .where(InterviewDraft.campaign_id == c.id)),
        _n(session, select(func.count()).select_from(FocusGroup)
           .where(FocusGroup.campaign_id == c.id)),
        _n(session, select(func.count()).select_from(PublishedCell)
           .where(PublishedCell.campaign_id == c.id)),
        c.purged_at)


def closed_campaigns(engine: Engine, *, actor: Actor) -> list[tuple[int, str, bool]]:
    """(id, name, already purged) of the closed campaigns, newest first. Needs
    ``responses.delete``."""
    require(actor, "responses.delete")
    with Session(engine) as session:
        return [(int(i), str(n), p is not None) for i, n, p in session.execute(
            select(Campaign.id, Campaign.name, Campaign.purged_at)
            .where(Campaign.status == "closed").order_by(Campaign.id.desc()))]


def preview_purge(engine: Engine, campaign_id: int | str, *, actor: Actor) -> PurgeCounts:
    """What purging the campaign would delete. Needs ``responses.delete``."""
    require(actor, "responses.delete")
    with Session(engine) as session:
        return _counts(session, find_campaign(session, campaign_id))


def _refuse_unless_closed(c: Campaign) -> None:
    if c.status != "closed":
        raise ValidationError(
            f"Die Befragung „{c.name}“ ist {CAMPAIGN_STATUSES.label(c.status)}. Ihre Rohdaten "
            "lassen sich erst löschen, wenn sie abgeschlossen ist.",
            f"campaign {c.id} is {c.status}; only a closed campaign can be purged",
            field="campaign")


def purge_campaign(engine: Engine, campaign_id: int | str, *, actor: Actor,
                   now: dt.datetime | None = None, reason: str = "request") -> PurgeResult:
    """Delete the raw data of closed campaign ``campaign_id``; the published cells stay.
    ``reason`` ("request", "retention", or "restore": a purge made after the restored backup,
    re-applied; the campaign is closed first, as it was then) goes to the audit log. Needs
    ``responses.delete``."""
    require(actor, "responses.delete")
    with Session(write_engine(engine)) as session, session.begin():
        c = find_for_update(session, find_campaign(session, campaign_id).id)
        if reason == "restore" and c.status != "closed":
            c.status = "closed"
        _refuse_unless_closed(c)
        counts = _counts(session, c)
        of_campaign = select(Response.id).where(Response.campaign_id == c.id)
        session.execute(update(AuditEntry).where(
            AuditEntry.object_type == "response",
            AuditEntry.object_id.in_(select(Response.uuid).where(Response.campaign_id == c.id)))
            .values(object_id=None, detail=json.dumps({"response_deleted": True})))
        session.execute(update(Response).where(Response.campaign_id == c.id,
                                               Response.replaces_id.is_not(None))
                        .values(replaces_id=None))
        session.execute(update(Response).where(Response.replaces_id.in_(of_campaign))
                        .values(replaces_id=None))  # (a correction never crosses campaigns)
        session.execute(delete(Response).where(Response.campaign_id == c.id))
        session.execute(delete(InterviewDraft).where(InterviewDraft.campaign_id == c.id))
        session.execute(delete(FocusGroup).where(FocusGroup.campaign_id == c.id))
        session.execute(delete(StatsSnapshot))
        seq = next_change_seq(session)
        session.add(ResponseTombstone(response_id=None, uuid_hash=None, campaign_id=c.id,
                                      change_seq=seq))
        c.purged_at = now or utcnow()
        c.version += 1
        audit(session, actor.name, "purge_campaign", "campaign", c.id, reason=reason,
              responses=counts.responses, comments=counts.comments,
              priorities=counts.priorities, drafts=counts.drafts,
              focus_groups=counts.focus_groups, published_cells_kept=counts.published_cells)
    return PurgeResult(counts, scrub_storage(engine) if counts.responses or counts.drafts
                       or counts.focus_groups else True)
