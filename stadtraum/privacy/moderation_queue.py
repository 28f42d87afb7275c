"""The moderators' queue: comments of one state (new, released or hidden), each with the
detector's marks, and the number of comments per campaign and state.

Only comments of responses that can count are listed: valid ones and flagged online ones
(they count once accepted); the comments of voided and superseded responses never reach
planners and are not moderated. The order: new comments oldest first (first in, first out:
nothing waits for ever behind the newest); released and hidden ones the most recently
moderated first.

What a moderator sees of a comment (:attr:`QueueItem.text`): a new comment's original
text, a released one's text as planners see it (the redacted version where there is one), and
nothing of a hidden one. The original of a redacted or hidden comment is for admins only
(:func:`stadtraum.privacy.moderation.original_text`, audited). Spans for a redaction refer to
``QueueItem.text``.

The street directory's names are read once per process and read again only when the
directory changed (its row count and highest id).
"""

from __future__ import annotations

import datetime as dt
import threading
from dataclasses import dataclass

from sqlalchemy import ColumnElement, func, select
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session

from stadtraum.accounts.permissions import Actor, require
from stadtraum.errors import ValidationError
from stadtraum.privacy.personal_data import Detector, Mark
from stadtraum.store.catalogues import all_catalogues
from stadtraum.store.db import Area, Campaign, Comment, Response, Street
from stadtraum.vocab import COMMENT_STATUSES

__all__ = ["MAX_LIMIT", "MODERATED_RESPONSES", "CampaignCounts", "QueueItem", "QueuePage",
           "Seen", "comment_counts", "detector", "moderation_queue", "seen_of", "visible_text"]

MAX_LIMIT = 200
MODERATED_RESPONSES = ("valid", "flagged")  # the responses whose comments can reach planners


@dataclass(frozen=True)
class Seen:
    """The state of a comment the moderator acted on: a use case refuses the action when the
    comment changed since (someone else moderated it meanwhile)."""

    status: str
    moderated_at: dt.datetime | None


@dataclass(frozen=True)
class QueueItem:
    comment_id: int
    campaign_id: int
    campaign: str
    area: str
    criterion_id: str
    criterion_de: str
    criterion_en: str
    kind: str  # "good" | "better"
    status: str
    text: str | None  # what the actor may see (see the module's note); None: hidden
    marks: tuple[Mark, ...]  # the detector's marks in ``text``
    redacted: bool
    hidden_reason: str | None
    moderated_by: str | None
    moderated_at: dt.datetime | None
    survey_date: dt.date
    seen: Seen

    def criterion(self, lang: str) -> str:
        return self.criterion_en if lang == "en" else self.criterion_de


@dataclass(frozen=True)
class QueuePage:
    items: tuple[QueueItem, ...]
    total: int  # comments of this state and campaign filter


@dataclass(frozen=True)
class CampaignCounts:
    campaign_id: int
    campaign: str
    new: int
    released: int
    hidden: int


def utc(value: dt.datetime | None) -> dt.datetime | None:
    """A stored time as an aware UTC time (SQLite gives it back naive)."""
    if value is None:
        return None
    return value.replace(tzinfo=dt.UTC) if value.tzinfo is None else value.astimezone(dt.UTC)


def seen_of(comment: Comment) -> Seen:
    return Seen(comment.status, utc(comment.moderated_at))


def visible_text(status: str, text: str, shown_text: str | None) -> str | None:
    """What a moderator may see of a comment in ``status``."""
    if status == "new":
        return text
    if status == "released":
        return shown_text if shown_text is not None else text
    return None


_lock = threading.Lock()
_cached: tuple[tuple[int, int], Detector] | None = None


def detector(session: Session) -> Detector:
    """The detector with the street directory's names (cached while the directory stays)."""
    global _cached
    stamp_row = session.execute(select(func.count(Street.id), func.max(Street.id))).one()
    stamp = (int(stamp_row[0] or 0), int(stamp_row[1] or 0))
    with _lock:
        if _cached is not None and _cached[0] == stamp:
            return _cached[1]
    names = session.scalars(select(Street.name).distinct()).all()
    built = Detector(names)
    with _lock:
        _cached = (stamp, built)
    return built


def _check(status: str | None, limit: int, offset: int) -> None:
    if status is not None and status not in COMMENT_STATUSES.codes:
        raise ValidationError(f"Unbekannter Status „{status}“ (erlaubt: neu, freigegeben, "
                              "ausgeblendet).", f"unknown comment status {status!r}",
                              field="status")
    if not 1 <= limit <= MAX_LIMIT or offset < 0:
        raise ValidationError(f"Ungültige Seite: höchstens {MAX_LIMIT} Kommentare je Seite, "
                              "ab 0.", f"invalid limit {limit} or offset {offset}",
                              field="page")


def moderation_queue(engine: Engine, *, actor: Actor, campaign_id: int | None = None,
                     status: str | None = "new", limit: int = 20, offset: int = 0
                     ) -> QueuePage:
    """One page of the comments in ``status`` (None: every state), of one campaign or all.
    Needs ``comments.moderate``."""
    require(actor, "comments.moderate")
    _check(status, limit, offset)
    where: list[ColumnElement[bool]] = [Response.status.in_(MODERATED_RESPONSES)]
    if campaign_id is not None:
        where.append(Response.campaign_id == campaign_id)
    if status is not None:
        where.append(Comment.status == status)
    order = ((Comment.id,) if status == "new"
             else (Comment.moderated_at.desc().nulls_last(), Comment.id.desc()))
    stmt = (select(Comment, Response.campaign_id, Campaign.name, Campaign.catalogue_id,
                   Area.name, Response.survey_date)
            .join(Response, Response.id == Comment.response_id)
            .join(Campaign, Campaign.id == Response.campaign_id)
            .join(Area, Area.id == Response.area_id)
            .where(*where))
    with Session(engine) as session:
        total = int(session.scalar(select(func.count(Comment.id))
                                   .join(Response, Response.id == Comment.response_id)
                                   .where(*where)) or 0)
        rows = session.execute(stmt.order_by(*order).offset(offset).limit(limit)).all()
        find = detector(session) if rows else None
        cats = all_catalogues(session) if rows else {}
        items = []
        for comment, cid, campaign, catalogue_id, area, day in rows:
            text = visible_text(comment.status, comment.text, comment.shown_text)
            crit = {c.id: c for c in cats[catalogue_id].criteria} if catalogue_id in cats else {}
            label = crit.get(comment.criterion_id)
            items.append(QueueItem(
                comment.id, int(cid), str(campaign), str(area), comment.criterion_id,
                label.label("de") if label else comment.criterion_id,
                label.label("en") if label else comment.criterion_id, comment.kind,
                comment.status, text, find.find(text) if find and text is not None else (),
                comment.shown_text is not None, comment.hidden_reason, comment.moderated_by,
                utc(comment.moderated_at), day, seen_of(comment)))
    return QueuePage(tuple(items), total)


def comment_counts(engine: Engine, *, actor: Actor) -> list[CampaignCounts]:
    """Per campaign with comments (newest campaign first): how many are new, released and
    hidden. Needs ``comments.moderate``."""
    require(actor, "comments.moderate")
    stmt = (select(Campaign.id, Campaign.name, Comment.status, func.count(Comment.id))
            .join(Response, Response.id == Comment.response_id)
            .join(Campaign, Campaign.id == Response.campaign_id)
            .where(Response.status.in_(MODERATED_RESPONSES))
            .group_by(Campaign.id, Campaign.name, Comment.status))
    counts: dict[int, dict[str, int]] = {}
    names: dict[int, str] = {}
    with Session(engine) as session:
        for cid, name, status, n in session.execute(stmt):
            names[int(cid)] = str(name)
            counts.setdefault(int(cid), {})[str(status)] = int(n)
    return [CampaignCounts(cid, names[cid], c.get("new", 0), c.get("released", 0),
                           c.get("hidden", 0)) for cid, c in sorted(counts.items(), reverse=True)]
