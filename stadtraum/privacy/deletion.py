"""Use case: delete one response on request, by its response number (DESIGN §5).

Everything of the response goes in one write transaction: every version of its correction
chain (``replaces_id`` links them), their ratings, comments and priorities (foreign-key
cascade), any interview draft with one of their UUIDs or correcting one of them, and every
statistics snapshot (a snapshot holds the rows' values; the next engine load writes a new
one). Per deleted row a content-free tombstone (row id, SHA-256 of the UUID, campaign,
``change_seq``) tells every statistics engine in every process to drop the row, and refuses a
resend. Audit entries that named one of the UUIDs (void, accept, reject) keep what happened
and when, but lose the UUID and the free-text reason. The deletion itself is audited with
the campaign and the counts only: never the number or content.

Published snapshots are not recomputed: a new publication right after one deletion would
reveal the deleted answer by differencing.

After the commit, :func:`~stadtraum.privacy.scrub_storage.scrub_storage` makes the database
files forget the bytes (SQLite checkpoint, PostgreSQL VACUUM).
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import delete, func, insert, or_, select, update
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session

from stadtraum.accounts.permissions import Actor, require
from stadtraum.privacy.response_number import find_paper_response, find_response, short_number
from stadtraum.privacy.scrub_storage import scrub_storage
from stadtraum.store.audit import audit
from stadtraum.store.changes import next_change_seq
from stadtraum.store.db import (
    Area,
    AuditEntry,
    Campaign,
    Comment,
    InterviewDraft,
    Priority,
    Rating,
    Response,
    ResponseTombstone,
    StatsSnapshot,
)
from stadtraum.store.engine import write_engine
from stadtraum.store.tombstones import uuid_hash

__all__ = ["DeletionPreview", "DeletionResult", "delete_response", "paper_campaigns",
           "preview_deletion", "write_tombstones"]


@dataclass(frozen=True)
class DeletionPreview:
    """What a deletion would remove (for the confirmation; no ratings, no comments)."""

    number: str  # the short form
    campaign_id: int
    campaign_name: str
    area_code: str
    area_name: str
    survey_date: dt.date
    mode: str
    versions: int


@dataclass(frozen=True)
class DeletionResult:
    campaign_id: int
    versions: int
    ratings: int
    comments: int
    priorities: int
    drafts: int
    storage_scrubbed: bool  # False: SQLite's WAL checkpoint stayed busy (retried later)


def _locate(session: Session, number: str, paper_campaign: int | None) -> Response:
    if paper_campaign is not None:
        return find_paper_response(session, paper_campaign, number)
    return find_response(session, number)


def _chain(session: Session, start: Response) -> list[Response]:
    """Every version linked to ``start`` by ``replaces_id``, in either direction."""
    found = {start.id: start}
    frontier = {start.id}
    while frontier:
        older = {r for r in session.scalars(select(Response.replaces_id).where(
            Response.id.in_(frontier))) if r is not None}
        rows = list(session.scalars(select(Response).where(or_(
            Response.id.in_(older), Response.replaces_id.in_(frontier)))))
        frontier = {r.id for r in rows if r.id not in found}
        found.update({r.id: r for r in rows})
    return sorted(found.values(), key=lambda r: (r.version, r.id))


def paper_campaigns(engine: Engine, *, actor: Actor) -> list[tuple[int, str]]:
    """(id, name) of the campaigns with paper forms, newest first (to find a form by its
    number). Needs ``responses.delete``."""
    require(actor, "responses.delete")
    with Session(engine) as session:
        with_paper = select(Response.campaign_id).where(Response.mode == "paper").distinct()
        return [(int(i), str(n)) for i, n in session.execute(
            select(Campaign.id, Campaign.name).where(Campaign.id.in_(with_paper))
            .order_by(Campaign.id.desc()))]


def preview_deletion(engine: Engine, number: str, *, actor: Actor,
                     paper_campaign: int | None = None) -> DeletionPreview:
    """What deleting response ``number`` would remove. Needs ``responses.delete``."""
    require(actor, "responses.delete")
    with Session(engine) as session:
        row = _locate(session, number, paper_campaign)
        versions = _chain(session, row)
        newest = versions[-1]
        campaign = session.get(Campaign, row.campaign_id)
        area = session.get(Area, newest.area_id)
        return DeletionPreview(short_number(row.uuid), row.campaign_id,
                               campaign.name if campaign else "", area.code if area else "",
                               area.name if area else "", newest.survey_date, newest.mode,
                               len(versions))


def _count(session: Session, model: type, ids: list[int]) -> int:
    column = model.response_id  # type: ignore[attr-defined]
    return int(session.scalar(select(func.count()).select_from(model)
                              .where(column.in_(ids))) or 0)


def write_tombstones(session: Session, rows: Sequence[tuple[int, str, int]], seq: int) -> None:
    """One tombstone per deleted (row id, UUID, campaign id). SQLite may hand a deleted row's
    id to the next insert; an older tombstone of that id keeps its UUID hash (against resends)
    but gives the id to the new one, which covers both rows."""
    ids = [r[0] for r in rows]
    session.execute(update(ResponseTombstone).where(ResponseTombstone.response_id.in_(ids))
                    .values(response_id=None))
    session.execute(insert(ResponseTombstone), [
        {"response_id": rid, "uuid_hash": uuid_hash(u), "campaign_id": cid, "change_seq": seq}
        for rid, u, cid in rows])


def _scrub_audit(session: Session, uuids: list[str]) -> int:
    """Audit entries that named a deleted response keep the action, actor and time only."""
    result = session.execute(
        update(AuditEntry).where(AuditEntry.object_type == "response",
                                 AuditEntry.object_id.in_(uuids))
        .values(object_id=None, detail=json.dumps({"response_deleted": True})))
    return int(result.rowcount or 0)  # type: ignore[attr-defined]


def _drafts_of(uuids: list[str]):  # type: ignore[no-untyped-def]
    """Drafts with one of the UUIDs, or correcting one (their state names it)."""
    return or_(InterviewDraft.response_uuid.in_(uuids),
               *(InterviewDraft.state_json.contains(u) for u in uuids))


def delete_response(engine: Engine, number: str, *, actor: Actor,
                    paper_campaign: int | None = None) -> DeletionResult:
    """Delete response ``number`` (full UUID or short form; with ``paper_campaign`` the paper
    form number in that campaign) with every version and child row. Needs
    ``responses.delete``."""
    require(actor, "responses.delete")
    with Session(write_engine(engine)) as session, session.begin():
        versions = _chain(session, _locate(session, number, paper_campaign))
        ids = [r.id for r in versions]
        uuids = [r.uuid for r in versions]
        campaign_id = versions[0].campaign_id
        counts = {m: _count(session, m, ids) for m in (Rating, Comment, Priority)}
        drafts = session.execute(delete(InterviewDraft).where(_drafts_of(uuids)))
        seq = next_change_seq(session)
        write_tombstones(session, [(r.id, r.uuid, r.campaign_id) for r in versions], seq)
        session.expunge_all()
        session.execute(update(Response).where(Response.id.in_(ids)).values(replaces_id=None))
        session.execute(delete(Response).where(Response.id.in_(ids)))
        session.execute(delete(StatsSnapshot))
        scrubbed_audit = _scrub_audit(session, uuids)
        n_drafts = int(drafts.rowcount or 0)  # type: ignore[attr-defined]
        audit(session, actor.name, "delete_response", "campaign", campaign_id,
              versions=len(ids), ratings=counts[Rating], comments=counts[Comment],
              priorities=counts[Priority], drafts=n_drafts, audit_entries=scrubbed_audit)
    return DeletionResult(campaign_id, len(ids), counts[Rating], counts[Comment],
                          counts[Priority], n_drafts, scrub_storage(engine))
