"""Use cases of the campaigns page (and ``stadtraum campaigns``): create a campaign, open it,
close it (after a summary of what closing changes), reopen it, list the campaigns.

Each needs ``campaigns.manage``, checks it before any database work, writes the audit log in
the same transaction as the change and takes the ``expected_version`` the page showed: a
change made meanwhile by someone else is refused
(:class:`~stadtraum.store.campaigns.StaleCampaignError`) instead of being overwritten. The
settings are changed by :mod:`stadtraum.admin.campaign_settings`, the targets per area by
:mod:`stadtraum.admin.campaign_targets`.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Select, func, select
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session

from stadtraum.accounts.permissions import Actor, require
from stadtraum.admin.campaign_settings import CampaignSettings, check_refs, check_settings
from stadtraum.errors import ValidationError
from stadtraum.store import campaigns as store
from stadtraum.store.audit import audit
from stadtraum.store.campaigns import check_version, find_campaign, find_for_update, modes_of
from stadtraum.store.catalogues import all_catalogues
from stadtraum.store.changes import next_change_seq
from stadtraum.store.db import (
    Area,
    AreaLevel,
    BoundarySet,
    Campaign,
    CampaignTarget,
    FocusGroup,
    InterviewDraft,
    InvitationCode,
    Response,
)
from stadtraum.store.engine import write_engine
from stadtraum.store.queries import LevelInfo, list_levels
from stadtraum.vocab import CAMPAIGN_STATUSES, MODES

__all__ = ["CampaignRow", "ClosingSummary", "SettingChoices", "close_campaign",
           "closing_summary", "create_campaign", "list_campaign_rows", "open_campaign",
           "reopen_campaign", "set_campaign_status", "setting_choices"]


@dataclass(frozen=True)
class CampaignRow:
    """One campaign as the campaigns page lists and edits it."""

    id: int
    name: str
    status: str
    catalogue_id: str
    level_id: int
    level_name: str
    boundary_set: str
    boundary_version: int
    n_areas: int
    starts_on: dt.date | None
    ends_on: dt.date | None
    allowed_modes: tuple[str, ...]
    min_n: int
    default_target: int | None
    n_area_targets: int  # areas with a target of their own (from a file)
    n_responses: int
    public_enabled: bool
    invitation_required: bool
    is_demo: bool
    version: int

    @property
    def settings(self) -> CampaignSettings:
        return CampaignSettings(self.name, self.catalogue_id, self.level_id, self.starts_on,
                                self.ends_on, self.allowed_modes, self.min_n,
                                self.default_target)


@dataclass(frozen=True)
class ClosingSummary:
    """What closing a campaign changes, shown before the admin confirms."""

    campaign_id: int
    name: str
    version: int
    responses: dict[str, int]  # mode -> stored responses (every status)
    drafts: int  # interviews begun on tablets and not sent: they cannot be sent afterwards
    focus_groups: int
    public_link_on: bool
    unused_codes: int

    @property
    def total(self) -> int:
        return sum(self.responses.values())


@dataclass(frozen=True)
class SettingChoices:
    """What the settings form offers: the catalogues (id -> German and English name) and
    the area levels of every boundary set (newest set first)."""

    catalogues: dict[str, tuple[str, str]]
    levels: list[LevelInfo]


def setting_choices(engine: Engine, *, actor: Actor) -> SettingChoices:
    """The catalogues and area levels a campaign can use. Needs ``campaigns.manage``."""
    require(actor, "campaigns.manage")
    with Session(engine) as session:
        cats = {c.id: (c.name_de, c.name_en) for c in all_catalogues(session).values()}
        levels = sorted(list_levels(session), key=lambda lv: (-lv.boundary_set_id, lv.rank))
    return SettingChoices(cats, levels)


def _count(session: Session, query: Select[Any]) -> int:
    return int(session.scalar(query) or 0)


def _row(session: Session, c: Campaign) -> CampaignRow:
    level = session.get(AreaLevel, c.level_id)
    bset = session.get(BoundarySet, level.boundary_set_id) if level else None
    return CampaignRow(
        c.id, c.name, c.status, c.catalogue_id, c.level_id, level.name if level else "?",
        bset.name if bset else "?", bset.version if bset else 0,
        _count(session, select(func.count(Area.id)).where(Area.level_id == c.level_id)),
        c.starts_on, c.ends_on, modes_of(c), c.min_n, c.default_target,
        _count(session, select(func.count()).select_from(CampaignTarget)
               .where(CampaignTarget.campaign_id == c.id)),
        _count(session, select(func.count(Response.id)).where(Response.campaign_id == c.id)),
        bool(c.public_enabled), bool(c.invitation_required), bool(c.is_demo), c.version)


def list_campaign_rows(engine: Engine, *, actor: Actor) -> list[CampaignRow]:
    """Every campaign, newest first. Needs ``campaigns.manage``."""
    require(actor, "campaigns.manage")
    with Session(engine) as session:
        return [_row(session, c) for c in
                session.scalars(select(Campaign).order_by(Campaign.id.desc()))]


def create_campaign(engine: Engine, *, name: str, level_id: int, catalogue_id: str,
                    actor: Actor, min_n: int = 5, starts_on: dt.date | None = None,
                    ends_on: dt.date | None = None, status: str = "draft",
                    is_demo: bool = False, allowed_modes: tuple[str, ...] = MODES.codes,
                    default_target: int | None = None) -> int:
    """A new campaign (survey wave), by default a draft; returns its id. The settings keep
    the rules of :func:`~stadtraum.admin.campaign_settings.check_settings` (``min_n`` at
    least 3). Needs ``campaigns.manage``."""
    require(actor, "campaigns.manage")
    s = check_settings(CampaignSettings(name, catalogue_id, level_id, starts_on, ends_on,
                                        allowed_modes, min_n, default_target))
    with Session(engine) as session:
        check_refs(session, s)
    return store.create_campaign(engine, name=s.name, level_id=s.level_id,
                                 catalogue_id=s.catalogue_id, min_n=s.min_n,
                                 starts_on=s.starts_on, ends_on=s.ends_on, status=status,
                                 is_demo=is_demo, actor=actor.name,
                                 allowed_modes=s.modes_text, default_target=s.default_target)


def _wrong_status(c: Campaign, doing_de: str, doing_en: str, needs: str) -> ValidationError:
    return ValidationError(
        f"Die Befragung „{c.name}“ ist {CAMPAIGN_STATUSES.label(c.status)}; {doing_de} geht "
        f"nur bei Status „{CAMPAIGN_STATUSES.label(needs)}“.",
        f"The survey “{c.name}” is {CAMPAIGN_STATUSES.label(c.status, 'en')}; it can only be "
        f"{doing_en} when it is {CAMPAIGN_STATUSES.label(needs, 'en')}.", field="status")


def _change_status(engine: Engine, campaign_id: int, *, actor: Actor, needs: str, to: str,
                   action: str, doing: tuple[str, str], expected_version: int | None) -> None:
    with Session(write_engine(engine)) as session, session.begin():
        campaign = find_for_update(session, campaign_id)
        check_version(campaign, expected_version)
        if campaign.status != needs:
            raise _wrong_status(campaign, *doing, needs)
        if to == "open" and campaign.purged_at is not None:
            raise ValidationError(
                f"Die Rohdaten der Befragung „{campaign.name}“ wurden gelöscht; sie kann nicht "
                "wieder geöffnet werden. Für eine neue Erhebung bitte eine neue Befragung "
                "anlegen.", f"The raw data of the survey “{campaign.name}” were deleted; it "
                "cannot be opened again. Please create a new survey.", field="status")
        if to == "open" and not _count(session, select(func.count(Area.id))
                                       .where(Area.level_id == campaign.level_id)):
            raise ValidationError(
                f"Die Gebietsebene der Befragung „{campaign.name}“ hat keine Gebiete; bitte "
                "zuerst Gebiete importieren oder eine andere Ebene wählen.",
                f"The area level of the survey “{campaign.name}” has no areas; please import "
                "areas first or choose another level.", field="level_id")
        campaign.status = to
        campaign.closed_at = dt.datetime.now(dt.UTC) if to == "closed" else None  # retention
        campaign.version += 1
        next_change_seq(session)  # the status matters to cached views
        audit(session, actor.name, action, "campaign", campaign.id, name=campaign.name,
              old=needs, new=to)


def open_campaign(engine: Engine, campaign_id: int, *, actor: Actor,
                  expected_version: int | None = None) -> None:
    """Open a draft: helpers, moderators, paper imports and (with the link on) citizens can
    send responses in its allowed modes. Needs ``campaigns.manage``."""
    require(actor, "campaigns.manage")
    _change_status(engine, campaign_id, actor=actor, needs="draft", to="open", action="open",
                   doing=("öffnen", "opened"), expected_version=expected_version)


def close_campaign(engine: Engine, campaign_id: int, *, actor: Actor,
                   expected_version: int | None = None) -> None:
    """Close an open campaign (see :func:`closing_summary` for what that changes). Needs
    ``campaigns.manage``."""
    require(actor, "campaigns.manage")
    _change_status(engine, campaign_id, actor=actor, needs="open", to="closed",
                   action="close", doing=("abschließen", "closed"),
                   expected_version=expected_version)


def reopen_campaign(engine: Engine, campaign_id: int, *, actor: Actor,
                    expected_version: int | None = None) -> None:
    """Open a closed campaign again (on the boundary set it was collected on). Needs
    ``campaigns.manage``."""
    require(actor, "campaigns.manage")
    _change_status(engine, campaign_id, actor=actor, needs="closed", to="open",
                   action="reopen", doing=("wieder öffnen", "reopened"),
                   expected_version=expected_version)


def closing_summary(engine: Engine, campaign_id: int, *, actor: Actor) -> ClosingSummary:
    """What closing the campaign would change, at its current version. Needs
    ``campaigns.manage``."""
    require(actor, "campaigns.manage")
    with Session(engine) as session:
        c = find_campaign(session, campaign_id)
        by_mode = dict(session.execute(select(Response.mode, func.count(Response.id))
                                       .where(Response.campaign_id == c.id)
                                       .group_by(Response.mode)).all())
        return ClosingSummary(
            c.id, c.name, c.version, {m: int(by_mode.get(m, 0)) for m in MODES.codes},
            _count(session, select(func.count()).select_from(InterviewDraft)
                   .where(InterviewDraft.campaign_id == c.id)),
            _count(session, select(func.count()).select_from(FocusGroup)
                   .where(FocusGroup.campaign_id == c.id)),
            bool(c.public_enabled),
            _count(session, select(func.count()).select_from(InvitationCode)
                   .where(InvitationCode.campaign_id == c.id, InvitationCode.used.is_(False))))


def set_campaign_status(engine: Engine, campaign_id: int, status: str, *, actor: Actor,
                        expected_version: int | None = None) -> bool:
    """The command line's ``campaigns status``: open (a draft, or a closed one again), close,
    or set an untouched campaign back to draft; False when it had that status already.
    Needs ``campaigns.manage``."""
    require(actor, "campaigns.manage")
    if status not in CAMPAIGN_STATUSES.codes:
        raise ValidationError(f"Status „{status}“ ist unbekannt.",
                              f"Unknown status “{status}”.", field="status")
    with Session(engine) as session:
        current = find_campaign(session, campaign_id).status
        has_responses = _count(session, select(func.count(Response.id))
                               .where(Response.campaign_id == campaign_id)) > 0
    if current == status:
        return False
    if status == "closed":
        close_campaign(engine, campaign_id, actor=actor, expected_version=expected_version)
    elif status == "open":
        (reopen_campaign if current == "closed" else open_campaign)(
            engine, campaign_id, actor=actor, expected_version=expected_version)
    elif has_responses:
        raise ValidationError("Eine Befragung mit Antworten kann nicht zurück in den Entwurf.",
                              "A survey with responses cannot go back to draft.",
                              field="status")
    else:
        store.set_campaign_status(engine, campaign_id, "draft", actor=actor.name)
    return True
