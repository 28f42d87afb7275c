"""Deletions survive a restore: the list of tombstones, kept outside the database, is applied
again to a database restored from a backup taken before some of them.

The list is content-free: per deleted response the SHA-256 of its UUID and its campaign, per
purged campaign its id, each with the time. ``stadtraum maintenance --tombstones FILE`` writes
it daily next to the backups (and ``stadtraum responses tombstones -o FILE`` on demand);
after a restore, ``stadtraum responses reapply-tombstones FILE`` deletes every response whose
UUID hash is listed (with its correction chain, as a deletion on request does), stores the
missing tombstones so resends stay refused, and purges the listed campaigns again.
"""

from __future__ import annotations

import json
from dataclasses import dataclass

from sqlalchemy import insert, select
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session

from stadtraum.accounts.permissions import Actor, require
from stadtraum.errors import ValidationError
from stadtraum.privacy.deletion import delete_response
from stadtraum.privacy.purge import purge_campaign
from stadtraum.store.audit import audit
from stadtraum.store.changes import next_change_seq
from stadtraum.store.db import Campaign, Response, ResponseTombstone
from stadtraum.store.engine import write_engine
from stadtraum.store.tombstones import uuid_hash

__all__ = ["FORMAT", "ReplayResult", "reapply_tombstones", "tombstone_list"]

FORMAT = "stadtraum-tombstones/1"
_CHUNK = 50_000


@dataclass(frozen=True)
class ReplayResult:
    responses: int  # responses found again and deleted (versions counted)
    guards: int  # tombstones stored again (resends stay refused)
    campaigns: int  # campaigns purged again


def tombstone_list(engine: Engine, *, actor: Actor) -> str:
    """Every tombstone as JSON (no UUID, no content). Needs ``responses.delete``."""
    require(actor, "responses.delete")
    with Session(engine) as session:
        rows = session.execute(select(ResponseTombstone.uuid_hash, ResponseTombstone.campaign_id,
                                      ResponseTombstone.deleted_at)
                               .order_by(ResponseTombstone.id)).all()
    return json.dumps({
        "format": FORMAT,
        "responses": [{"uuid_sha256": h, "campaign": c, "deleted_at": at.isoformat()}
                      for h, c, at in rows if h is not None],
        "campaigns": sorted({c for h, c, _ in rows if h is None}),
    }, indent=1) + "\n"


def _parse(listing: str) -> tuple[dict[str, int], list[int]]:
    bad = ValidationError("Die Datei ist keine Liste gelöschter Antworten von StadtRaumMonitor "
                          "(erzeugt mit „stadtraum responses tombstones“).",
                          "not a tombstone list", field="file")
    try:
        data = json.loads(listing)
        if data.get("format") != FORMAT:
            raise bad
        hashes = {str(r["uuid_sha256"]): int(r["campaign"]) for r in data["responses"]}
        campaigns = [int(c) for c in data["campaigns"]]
    except (ValueError, TypeError, KeyError, AttributeError):
        raise bad from None
    if any(len(h) != 64 for h in hashes):
        raise bad
    return hashes, campaigns


def _matching(engine: Engine, hashes: set[str]) -> list[str]:
    """The stored UUIDs whose hash is listed (every UUID is hashed, in chunks)."""
    found: list[str] = []
    last = 0
    with engine.connect() as conn:
        while rows := conn.execute(select(Response.id, Response.uuid).where(Response.id > last)
                                   .order_by(Response.id).limit(_CHUNK)).all():
            found += [u for _, u in rows if uuid_hash(u) in hashes]
            last = int(rows[-1][0])
    return found


def reapply_tombstones(engine: Engine, listing: str, *, actor: Actor) -> ReplayResult:
    """Apply a tombstone list again after a restore. Needs ``responses.delete``."""
    require(actor, "responses.delete")
    hashes, campaigns = _parse(listing)
    deleted = 0
    for u in _matching(engine, set(hashes)):
        with Session(engine) as session:
            still = session.scalar(select(Response.id).where(Response.uuid == u))
        if still is not None:  # (an earlier one's chain may have taken it already)
            deleted += delete_response(engine, u, actor=actor).versions
    with Session(write_engine(engine)) as session, session.begin():
        known = set(session.scalars(select(ResponseTombstone.uuid_hash).where(
            ResponseTombstone.uuid_hash.is_not(None))))
        missing = [(h, c) for h, c in hashes.items() if h not in known]
        if missing:
            seq = next_change_seq(session)
            session.execute(insert(ResponseTombstone), [
                {"response_id": None, "uuid_hash": h, "campaign_id": c, "change_seq": seq}
                for h, c in missing])
        with_rows = select(Response.campaign_id).where(Response.campaign_id.in_(campaigns))
        present = set(session.scalars(select(Campaign.id).where(
            Campaign.id.in_(campaigns),
            Campaign.purged_at.is_(None) | Campaign.id.in_(with_rows))))
        audit(session, actor.name, "reapply_tombstones", "response", None,
              responses=deleted, guards=len(missing), campaigns=len(present))
    for cid in sorted(present):
        purge_campaign(engine, cid, actor=actor, reason="restore")
    return ReplayResult(deleted, len(missing), len(present))
