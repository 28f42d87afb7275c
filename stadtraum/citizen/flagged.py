"""Flagged online responses: the admin's review list, and accept / reject.

A response flagged as implausible (see :mod:`stadtraum.citizen.plausibility`) is stored but left out
of the statistics. The admin sees when it came in, for which area, why it was flagged and what
it says, and either accepts it (it counts from then on) or rejects it (status "voided", kept
for the record). Both go through :func:`stadtraum.collect.status.change_status`: change
counter and audit log included.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session

from stadtraum.accounts.permissions import Actor, require
from stadtraum.citizen.plausibility import reason_text
from stadtraum.collect.status import change_status
from stadtraum.config import CITY_TZ
from stadtraum.errors import NotFoundError
from stadtraum.store.catalogues import catalogue_for
from stadtraum.store.db import Area, Campaign, Comment, Rating, Response

NO_RATING = "·"


@dataclass(frozen=True)
class FlaggedResponse:
    uuid: str
    created_at: dt.datetime  # UTC
    area_name: str
    reason: str  # in German, without the internal codes
    ratings: str  # scores in catalogue order, "·" for keine Angabe
    n_ratings: int
    comments: tuple[str, ...]

    @property
    def created_local(self) -> str:
        at = self.created_at if self.created_at.tzinfo else self.created_at.replace(tzinfo=dt.UTC)
        return at.astimezone(CITY_TZ).strftime("%d.%m.%Y %H:%M")


@dataclass(frozen=True)
class FlaggedCount:
    campaign_id: int
    campaign_name: str
    count: int


def flagged_counts(engine: Engine) -> list[FlaggedCount]:
    """Campaigns that have flagged responses, with how many."""
    with Session(engine) as session:
        rows = session.execute(
            select(Campaign.id, Campaign.name, func.count(Response.id))
            .join(Response, Response.campaign_id == Campaign.id)
            .where(Response.status == "flagged")
            .group_by(Campaign.id, Campaign.name).order_by(Campaign.id)).all()
    return [FlaggedCount(int(i), str(n), int(c)) for i, n, c in rows]


def flagged_responses(engine: Engine, campaign_id: int, limit: int = 100) -> list[FlaggedResponse]:
    """The campaign's flagged responses, newest first (at most ``limit``)."""
    with Session(engine) as session:
        campaign = session.get(Campaign, campaign_id)
        if campaign is None:
            raise NotFoundError(f"Befragung {campaign_id} gibt es nicht.",
                                f"campaign {campaign_id} not found")
        ids = catalogue_for(session, campaign.catalogue_id).ids
        rows = session.execute(
            select(Response.id, Response.uuid, Response.created_at, Area.name,
                   Response.status_reason)
            .join(Area, Area.id == Response.area_id)
            .where(Response.campaign_id == campaign_id, Response.status == "flagged")
            .order_by(Response.created_at.desc(), Response.id.desc()).limit(limit)).all()
        row_ids = [r[0] for r in rows]
        scores: dict[int, dict[str, int]] = {}
        for rid, cid, score in session.execute(
                select(Rating.response_id, Rating.criterion_id, Rating.score)
                .where(Rating.response_id.in_(row_ids))):
            scores.setdefault(rid, {})[cid] = score
        notes: dict[int, list[str]] = {}
        for rid, text in session.execute(select(Comment.response_id, Comment.text)
                                         .where(Comment.response_id.in_(row_ids))
                                         .order_by(Comment.id)):
            notes.setdefault(rid, []).append(text)
    result = []
    for rid, uuid, created, area_name, reason in rows:
        got = scores.get(rid, {})
        result.append(FlaggedResponse(
            uuid, created, area_name, reason_text(reason),
            " ".join(str(got[c]) if c in got else NO_RATING for c in ids), len(got),
            tuple(notes.get(rid, ()))))
    return result


def _flagged_reason(engine: Engine, response_uuid: str) -> str:
    """Why the response was flagged, for the audit reason. Whether it still is flagged is
    decided by :func:`change_status` in its locked transaction (``expected="flagged"``)."""
    with Session(engine) as session:
        return session.scalar(select(Response.status_reason)
                              .where(Response.uuid == response_uuid)) or ""


def accept_flagged(engine: Engine, response_uuid: str, *, actor: Actor) -> None:
    """The response counts in the statistics from now on. Needs ``responses.review``."""
    require(actor, "responses.review")
    was = _flagged_reason(engine, response_uuid)
    change_status(engine, response_uuid, "valid", actor=actor,
                  reason=f"nach Prüfung angenommen (markiert war: {was})", expected="flagged")


def reject_flagged(engine: Engine, response_uuid: str, *, actor: Actor) -> None:
    """The response stays out of the statistics for good (kept, status "voided"). Needs
    ``responses.review``."""
    require(actor, "responses.review")
    was = _flagged_reason(engine, response_uuid)
    change_status(engine, response_uuid, "voided", actor=actor,
                  reason=f"nach Prüfung verworfen (markiert war: {was})", expected="flagged")
