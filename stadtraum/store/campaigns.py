"""Use cases for campaigns (survey waves): create, open, close; look-ups by id or name."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session

from stadtraum.errors import NotFoundError, ValidationError
from stadtraum.store.audit import audit
from stadtraum.store.catalogues import catalogue_for
from stadtraum.store.changes import next_change_seq
from stadtraum.store.db import AreaLevel, Campaign
from stadtraum.store.engine import write_engine
from stadtraum.store.limits import check_length
from stadtraum.vocab import CAMPAIGN_STATUSES


def find_campaign(session: Session, id_or_name: str | int) -> Campaign:
    text = str(id_or_name).strip()
    campaign = None
    if text.isdigit():
        campaign = session.get(Campaign, int(text))
    if campaign is None:
        campaign = session.scalar(select(Campaign).where(Campaign.name == text))
    if campaign is None:
        raise NotFoundError(f"Befragung „{text}“ gibt es nicht.", f"campaign {text!r} not found")
    return campaign


def create_campaign(engine: Engine, *, name: str, level_id: int, catalogue_id: str,
                    min_n: int = 5, starts_on: dt.date | None = None,
                    ends_on: dt.date | None = None, status: str = "draft",
                    is_demo: bool = False, actor: str | None = None) -> int:
    name = name.strip()
    if not name:
        raise ValidationError("Name der Befragung fehlt.", "campaign name missing", field="name")
    check_length(name, Campaign, "name", what_de="Der Name der Befragung", field="name")
    if min_n < 1:
        raise ValidationError("Mindestzahl je Zelle muss mindestens 1 sein.",
                              "min_n must be >= 1", field="min_n")
    if status not in CAMPAIGN_STATUSES.codes:
        raise ValidationError(f"Status „{status}“ ist unbekannt.", f"unknown status {status!r}",
                              field="status")
    if starts_on and ends_on and ends_on < starts_on:
        raise ValidationError("Das Ende liegt vor dem Beginn.", "ends before it starts",
                              field="ends_on")
    with Session(write_engine(engine)) as session, session.begin():
        catalogue_for(session, catalogue_id)
        if session.get(AreaLevel, level_id) is None:
            raise NotFoundError(f"Gebietsebene {level_id} gibt es nicht.",
                                f"level {level_id} not found")
        if session.scalar(select(Campaign.id).where(Campaign.name == name)) is not None:
            raise ValidationError(f"Eine Befragung „{name}“ gibt es schon.",
                                  f"campaign {name!r} exists", field="name")
        campaign = Campaign(name=name, level_id=level_id, catalogue_id=catalogue_id, min_n=min_n,
                            starts_on=starts_on, ends_on=ends_on, status=status, is_demo=is_demo)
        session.add(campaign)
        session.flush()
        audit(session, actor, "create", "campaign", campaign.id, name=name)
        return int(campaign.id)


def set_campaign_status(engine: Engine, campaign_id: int, status: str,
                        actor: str | None = None) -> None:
    if status not in CAMPAIGN_STATUSES.codes:
        raise ValidationError(f"Status „{status}“ ist unbekannt.", f"unknown status {status!r}",
                              field="status")
    with Session(write_engine(engine)) as session, session.begin():
        campaign = find_campaign(session, campaign_id)
        campaign.status = status
        next_change_seq(session)  # min_n/status may matter to cached views
        audit(session, actor, "status", "campaign", campaign_id, status=status)
