"""Use cases behind "Meine Befragungen heute": a helper's own interviews of one day, and a
stored interview re-opened as a correction (a new version that replaces it).

"Today" is the local calendar day of the city (``Europe/Berlin``), not the UTC day.
"""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session

from stadtraum.collect.interview import REVIEW, Interview
from stadtraum.config import CITY_TZ
from stadtraum.errors import ConflictError, NotFoundError
from stadtraum.store.catalogues import catalogue_for
from stadtraum.store.db import Area, Campaign, Comment, Priority, Rating, Response

LOCAL_TZ = CITY_TZ


@dataclass(frozen=True)
class InterviewSummary:
    response_id: str
    saved_at: dt.datetime  # local time
    campaign: str
    area: str
    answered: int
    status: str
    version: int
    status_reason: str | None


def _day_bounds(day: dt.date) -> tuple[dt.datetime, dt.datetime]:
    start = dt.datetime.combine(day, dt.time.min, tzinfo=LOCAL_TZ)
    return start.astimezone(dt.UTC), (start + dt.timedelta(days=1)).astimezone(dt.UTC)


def local_today(now: dt.datetime | None = None) -> dt.date:
    return (now or dt.datetime.now(dt.UTC)).astimezone(LOCAL_TZ).date()


def interviews_of_day(engine: Engine, entered_by: str, day: dt.date) -> list[InterviewSummary]:
    """The helper's interviews saved on ``day`` (local), newest first, every status."""
    start, end = _day_bounds(day)
    answered = (select(Rating.response_id, func.count().label("n"))
                .group_by(Rating.response_id).subquery())
    stmt = (select(Response.uuid, Response.created_at, Campaign.name, Area.name,
                   func.coalesce(answered.c.n, 0), Response.status, Response.version,
                   Response.status_reason)
            .join(Campaign, Campaign.id == Response.campaign_id)
            .join(Area, Area.id == Response.area_id)
            .outerjoin(answered, answered.c.response_id == Response.id)
            .where(Response.entered_by == entered_by, Response.created_at >= start,
                   Response.created_at < end)
            .order_by(Response.created_at.desc(), Response.id.desc()))
    with Session(engine) as session:
        rows = session.execute(stmt).all()
    result = []
    for rid, created, campaign, area, n, status, version, reason in rows:
        if created.tzinfo is None:  # SQLite returns naive UTC
            created = created.replace(tzinfo=dt.UTC)
        result.append(InterviewSummary(rid, created.astimezone(LOCAL_TZ), campaign, area,
                                       int(n), status, int(version), reason))
    return result


def correction_of(engine: Engine, response_id: str, entered_by: str) -> Interview:
    """A new interview pre-filled with a stored one, replacing it when sent.

    Only the helper's own, currently valid interview of an open campaign can be corrected.
    The new version gets a new UUID; the original stays stored (status "ersetzt")."""
    with Session(engine) as session:
        row = session.scalar(select(Response).where(Response.uuid == response_id))
        if row is None or row.entered_by != entered_by:
            raise NotFoundError("Diese Befragung gibt es nicht (oder sie stammt von jemand "
                                "anderem).", f"response {response_id} not found for helper")
        if row.status != "valid":
            raise ConflictError("Nur gültige Befragungen können korrigiert werden; bitte die "
                                "neueste Fassung wählen.",
                                f"response {response_id} has status {row.status}")
        campaign = session.get(Campaign, row.campaign_id)
        if campaign is None or campaign.status != "open":
            raise ConflictError("Die Befragung ist nicht mehr geöffnet; Korrekturen sind nicht "
                                "möglich.", "campaign not open")
        area_code = session.scalar(select(Area.code).where(Area.id == row.area_id))
        ratings = {cid: int(score) for cid, score in session.execute(
            select(Rating.criterion_id, Rating.score).where(Rating.response_id == row.id))}
        comments: dict[str, dict[str, str]] = {}
        for cid, kind, text in session.execute(
                select(Comment.criterion_id, Comment.kind, Comment.text)
                .where(Comment.response_id == row.id)):
            comments.setdefault(cid, {})[kind] = text
        priorities = list(session.scalars(select(Priority.criterion_id)
                                          .where(Priority.response_id == row.id)
                                          .order_by(Priority.rank)))
        iv = Interview(campaign_id=row.campaign_id, entered_by=entered_by,
                       response_id=str(uuid.uuid4()), area_code=area_code, consent=True,
                       ratings=ratings, comments=comments, priorities=priorities,
                       age_band=row.age_band, gender=row.gender, relation=row.relation,
                       started_on=row.survey_date.isoformat(), replaces=row.uuid)
        iv.step = Interview.steps(catalogue_for(session, campaign.catalogue_id)).index(REVIEW)
        return iv
