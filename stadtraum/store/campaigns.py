"""Campaigns (survey waves) in the store: look-ups by id or name, the unchecked primitives
behind :mod:`stadtraum.admin.campaigns` (create, set the status), and the rules every writer
of a campaign or of its responses keeps inside its own transaction: a form's row version is
still current, a response's mode is one the campaign allows, the targets per area."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import delete, func, select
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session

from stadtraum.errors import ConflictError, NotFoundError, ValidationError
from stadtraum.store.audit import audit
from stadtraum.store.catalogues import catalogue_for, stored_catalogue
from stadtraum.store.changes import next_change_seq
from stadtraum.store.db import ALL_MODES, Area, AreaLevel, Campaign, CampaignTarget, utcnow
from stadtraum.store.engine import write_engine
from stadtraum.store.limits import check_length
from stadtraum.vocab import CAMPAIGN_STATUSES, MODES


class StaleCampaignError(ConflictError):
    """The campaign was changed by someone else since the form was shown."""

    def __init__(self, name: str) -> None:
        super().__init__(
            f"Die Befragung „{name}“ wurde inzwischen von jemand anderem geändert. Ihre "
            "Änderung wurde nicht gespeichert; bitte den aktuellen Stand ansehen und sie bei "
            "Bedarf noch einmal vornehmen.",
            f"The survey “{name}” was changed by someone else in the meantime. Your change "
            "was not saved; please look at the current state and make it again if needed.")
        self.name = name


def find_for_update(session: Session, campaign_id: int) -> Campaign:
    """The campaign ``campaign_id``, its row locked until the commit."""
    campaign = session.scalar(select(Campaign).where(Campaign.id == campaign_id)
                              .with_for_update())
    if campaign is None:
        raise NotFoundError(f"Befragung {campaign_id} gibt es nicht.",
                            f"campaign {campaign_id} not found")
    return campaign


def check_version(campaign: Campaign, expected: int | None) -> None:
    """Refuse a change made from a form that showed an older version of ``campaign``."""
    if expected is not None and campaign.version != expected:
        raise StaleCampaignError(campaign.name)


def modes_of(campaign: Campaign) -> tuple[str, ...]:
    """The codes of the modes ``campaign`` accepts, in the order of :data:`MODES`."""
    stored = set((campaign.allowed_modes or ALL_MODES).split(","))
    return tuple(code for code in MODES.codes if code in stored)


def require_mode(campaign: Campaign, mode: str) -> None:
    """Refuse a response (or a focus group, a paper import) in a mode the campaign does not
    accept, naming the modes it does."""
    allowed = modes_of(campaign)
    if mode in allowed:
        return
    label_de = MODES.label(mode) if mode in MODES.codes else mode
    label_en = MODES.label(mode, "en") if mode in MODES.codes else mode
    raise ValidationError(
        f"Die Befragung „{campaign.name}“ nimmt keine Antworten der Erhebungsart "
        f"„{label_de}“ an (erlaubt: {', '.join(MODES.label(m) for m in allowed)}).",
        f"The survey “{campaign.name}” accepts no responses of the mode “{label_en}” "
        f"(allowed: {', '.join(MODES.label(m, 'en') for m in allowed)}).", field="mode")


def clear_targets(session: Session, campaign_id: int) -> int:
    """Remove the campaign's per-area targets in the caller's transaction; how many."""
    n = session.scalar(select(func.count()).select_from(CampaignTarget)
                       .where(CampaignTarget.campaign_id == campaign_id)) or 0
    session.execute(delete(CampaignTarget).where(CampaignTarget.campaign_id == campaign_id))
    return int(n)


def area_targets(session: Session, campaign_id: int) -> dict[str, int]:
    """The campaign's target per area code: the per-area number where one was set, else the
    campaign's number for every area; areas without either are missing."""
    campaign = session.get(Campaign, campaign_id)
    if campaign is None:
        raise NotFoundError(f"Befragung {campaign_id} gibt es nicht.",
                            f"campaign {campaign_id} not found")
    own = dict(session.execute(select(Area.code, CampaignTarget.target)
                               .join(Area, Area.id == CampaignTarget.area_id)
                               .where(CampaignTarget.campaign_id == campaign_id)).all())
    if campaign.default_target is None:
        return own
    codes = session.scalars(select(Area.code).where(Area.level_id == campaign.level_id))
    return {code: own.get(code, int(campaign.default_target)) for code in codes}


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
                    is_demo: bool = False, actor: str | None = None,
                    allowed_modes: str = ALL_MODES, default_target: int | None = None) -> int:
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
        stored_catalogue(session, catalogue_id, share=True)  # no delete under way meanwhile
        catalogue_for(session, catalogue_id)
        if session.get(AreaLevel, level_id) is None:
            raise NotFoundError(f"Gebietsebene {level_id} gibt es nicht.",
                                f"level {level_id} not found")
        if session.scalar(select(Campaign.id).where(Campaign.name == name)) is not None:
            raise ValidationError(f"Eine Befragung „{name}“ gibt es schon.",
                                  f"campaign {name!r} exists", field="name")
        campaign = Campaign(name=name, level_id=level_id, catalogue_id=catalogue_id, min_n=min_n,
                            starts_on=starts_on, ends_on=ends_on, status=status, is_demo=is_demo,
                            closed_at=utcnow() if status == "closed" else None,
                            allowed_modes=allowed_modes, default_target=default_target)
        session.add(campaign)
        session.flush()
        audit(session, actor, "create", "campaign", campaign.id, name=name, status=status,
              min_n=min_n, modes=allowed_modes)
        return int(campaign.id)


def set_campaign_status(engine: Engine, campaign_id: int, status: str,
                        actor: str | None = None) -> None:
    if status not in CAMPAIGN_STATUSES.codes:
        raise ValidationError(f"Status „{status}“ ist unbekannt.", f"unknown status {status!r}",
                              field="status")
    with Session(write_engine(engine)) as session, session.begin():
        campaign = find_campaign(session, campaign_id)
        campaign.status = status
        campaign.closed_at = utcnow() if status == "closed" else None  # retention counts
        campaign.version += 1
        next_change_seq(session)  # min_n/status may matter to cached views
        audit(session, actor, "status", "campaign", campaign_id, status=status)
