"""Use cases of a focus group (Fokusgruppe): open a session, find and list sessions, and the
moderator's notes per criterion.

A session belongs to one campaign and one area of the campaign's level; its ratings are
ordinary responses with mode ``focus_group`` and ``group_id`` = the session id (see
:mod:`stadtraum.focus.ratings`), kept out of the survey statistics unless a filter
includes that mode. A moderator sees and edits only their own sessions; an admin all
(``only_moderator=None``).
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Mapping
from dataclasses import dataclass

from sqlalchemy import delete, func, select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session

from stadtraum.accounts.permissions import Actor, require
from stadtraum.collect.payload import MAX_COMMENT_CHARS
from stadtraum.criteria import Catalogue
from stadtraum.errors import NotFoundError, ValidationError
from stadtraum.store.audit import audit
from stadtraum.store.campaigns import require_mode
from stadtraum.store.catalogues import catalogue_for
from stadtraum.store.db import Area, Campaign, FocusGroup, FocusGroupNote, Response
from stadtraum.store.engine import write_engine
from stadtraum.store.limits import column_limit

MAX_TITLE_CHARS = column_limit(FocusGroup, "title")


@dataclass(frozen=True)
class FocusGroupInfo:
    id: str
    campaign_id: int
    campaign_name: str
    campaign_status: str
    catalogue_id: str
    area_id: int
    area_code: str
    area_name: str
    title: str
    moderator: str
    held_on: dt.date
    participants: int  # people behind the valid ratings (grid rows + consensus size)

    def label(self) -> str:
        return f"{self.held_on:%d.%m.%Y} · {self.title} · {self.area_name}"


def _plain_line(text: str, what: str, limit: int, field: str) -> str:
    value = " ".join(str(text).split())  # no line breaks or control whitespace in a title
    if not value:
        raise ValidationError(f"{what} fehlt.", f"{field} missing", field=field)
    if len(value) > limit:
        raise ValidationError(f"{what} ist zu lang (höchstens {limit} Zeichen).",
                              f"{field} too long", field=field)
    if any(ord(c) < 32 for c in value):
        raise ValidationError(f"{what} enthält Steuerzeichen.", f"{field} has control chars",
                              field=field)
    return value


def _info(session: Session, group: FocusGroup) -> FocusGroupInfo:
    campaign = session.get(Campaign, group.campaign_id)
    area = session.get(Area, group.area_id)
    assert campaign is not None and area is not None  # foreign keys
    people = session.scalar(select(func.coalesce(func.sum(Response.participants), 0))
                            .where(Response.group_id == group.id, Response.status == "valid"))
    return FocusGroupInfo(group.id, campaign.id, campaign.name, campaign.status,
                          campaign.catalogue_id, area.id, area.code, area.name, group.title,
                          group.moderator, group.held_on, int(people or 0))


def load_group(session: Session, group_id: str, only_moderator: str | None) -> FocusGroup:
    """The session row; NotFoundError also when it belongs to another moderator."""
    group = session.get(FocusGroup, str(group_id))
    if group is None or (only_moderator is not None and group.moderator != only_moderator):
        raise NotFoundError("Diese Fokusgruppe gibt es nicht (oder sie gehört einer anderen "
                            "Moderation).", f"focus group {group_id!r} not found for actor")
    return group


def open_session(engine: Engine, *, campaign_id: int, area_code: str, title: str,
                 actor: Actor, held_on: dt.date | None = None,
                 today: dt.date | None = None) -> FocusGroupInfo:
    """Open a session for one area of an open campaign (audited), moderated by ``actor``.
    Needs ``focus.run``."""
    require(actor, "focus.run")
    moderator = actor.name
    title = _plain_line(title, "Titel der Fokusgruppe", MAX_TITLE_CHARS, "title")
    moderator = _plain_line(moderator, "Moderation", column_limit(FocusGroup, "moderator"),
                            "moderator")
    held_on = held_on or today or dt.datetime.now(dt.UTC).date()
    with Session(write_engine(engine)) as session, session.begin():
        campaign = session.get(Campaign, campaign_id)
        if campaign is None:
            raise NotFoundError(f"Befragung {campaign_id} gibt es nicht.",
                                f"campaign {campaign_id} not found")
        if campaign.status != "open":
            raise ValidationError(f"Die Befragung „{campaign.name}“ ist nicht geöffnet; eine "
                                  "Fokusgruppe kann nur in einer offenen Befragung stattfinden.",
                                  "campaign is not open", field="campaign")
        require_mode(campaign, "focus_group")
        area = session.scalar(select(Area).where(Area.level_id == campaign.level_id,
                                                 Area.code == str(area_code).strip()))
        if area is None:
            raise ValidationError(f"Gebiet „{area_code}“ gehört nicht zur Gebietsebene dieser "
                                  "Befragung.", f"area {area_code!r} not in the campaign's level",
                                  field="area")
        group = FocusGroup(id=str(uuid.uuid4()), campaign_id=campaign.id, area_id=area.id,
                           title=title, moderator=moderator, held_on=held_on)
        session.add(group)
        session.flush()
        audit(session, moderator, "open", "focus_group", group.id, campaign=campaign.id,
              area=area.code, title=title)
        return _info(session, group)


def get_session(engine: Engine, group_id: str, *,
                only_moderator: str | None = None) -> FocusGroupInfo:
    with Session(engine) as session:
        return _info(session, load_group(session, group_id, only_moderator))


def group_catalogue(engine: Engine, info: FocusGroupInfo) -> Catalogue:
    """The catalogue of the session's campaign (shipped or added by an admin)."""
    with Session(engine) as session:
        return catalogue_for(session, info.catalogue_id)


def list_sessions(engine: Engine, *, campaign_id: int | None = None,
                  moderator: str | None = None) -> list[FocusGroupInfo]:
    """Sessions, newest first; optionally of one campaign and/or one moderator."""
    query = select(FocusGroup).order_by(FocusGroup.held_on.desc(), FocusGroup.created_at.desc())
    if campaign_id is not None:
        query = query.where(FocusGroup.campaign_id == campaign_id)
    if moderator is not None:
        query = query.where(FocusGroup.moderator == moderator)
    with Session(engine) as session:
        return [_info(session, g) for g in session.scalars(query)]


def load_notes(engine: Engine, group_id: str, *,
               only_moderator: str | None = None) -> dict[str, str]:
    """criterion id -> note text."""
    with Session(engine) as session:
        load_group(session, group_id, only_moderator)
        rows = session.execute(select(FocusGroupNote.criterion_id, FocusGroupNote.text)
                               .where(FocusGroupNote.group_id == group_id))
        return {cid: text for cid, text in rows}


def save_notes(engine: Engine, group_id: str, notes: Mapping[str, str | None], *,
               actor: Actor, only_moderator: str | None = None) -> int:
    """Insert or update the notes given (an empty text deletes that note); notes of criteria
    not named stay as they are. Returns the number of notes stored afterwards. Notes are
    plain text and do not change any statistics. Needs ``focus.run``."""
    require(actor, "focus.run")
    with Session(write_engine(engine)) as session, session.begin():
        group = load_group(session, group_id, only_moderator)
        campaign = session.get(Campaign, group.campaign_id)
        assert campaign is not None
        catalogue = catalogue_for(session, campaign.catalogue_id)
        cleaned: dict[str, str] = {}
        for cid, text in notes.items():
            label = catalogue.get(cid).label_de  # ValidationError for an unknown criterion
            value = (text or "").strip()
            if len(value) > MAX_COMMENT_CHARS:
                raise ValidationError(f"Notiz zu „{label}“ ist zu lang (höchstens "
                                      f"{MAX_COMMENT_CHARS} Zeichen).", f"note {cid} too long",
                                      field=cid)
            cleaned[cid] = value
        empty = [cid for cid, v in cleaned.items() if not v]
        if empty:
            session.execute(delete(FocusGroupNote).where(FocusGroupNote.group_id == group.id,
                                                         FocusGroupNote.criterion_id.in_(empty)))
        dialect = session.get_bind().dialect.name
        ins = postgresql.insert(FocusGroupNote) if dialect == "postgresql" else sqlite.insert(
            FocusGroupNote)
        for cid, value in cleaned.items():
            if value:
                stmt = ins.values(group_id=group.id, criterion_id=cid, text=value)
                session.execute(stmt.on_conflict_do_update(
                    index_elements=["group_id", "criterion_id"], set_={"text": value}))
        audit(session, actor.name, "notes", "focus_group", group.id, criteria=sorted(cleaned))
        return int(session.scalar(select(func.count()).select_from(FocusGroupNote)
                                  .where(FocusGroupNote.group_id == group.id)) or 0)
