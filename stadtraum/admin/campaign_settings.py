"""A campaign's settings: what the campaigns page (and ``stadtraum campaigns``) may set, the
rules each value keeps, and the use case that changes them.

The rules are pure (:func:`check_settings`) and shared by creating and editing: a name, a
catalogue, an area level of one boundary set, a period whose start is not after its end, at
least one allowed mode, ``min_n`` from :data:`MIN_N_FLOOR` (never below 3) and a target number
of responses per area (or none). Every refusal is a :class:`ValidationError` naming the field,
in German and in English.

:func:`update_settings` needs ``campaigns.manage``, takes the row version the form showed (a
change made meanwhile is a conflict, not an overwrite), keeps the rules that depend on the
stored data (catalogue and level change only while no response exists; a closed campaign keeps
its boundary set) and writes the audit log in the same transaction.

:func:`set_comments_auto_release` switches the campaign's automatic release of comments
(„Kommentare automatisch freigeben“, off by default): while it is on, new comments reach
planners without waiting in the moderation queue, and moderators can still redact or hide
them afterwards. Switching it on does not release the comments already waiting.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, fields

from sqlalchemy import func, select
from sqlalchemy.engine import Engine
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from stadtraum.accounts.permissions import Actor, require
from stadtraum.errors import NotFoundError, ValidationError
from stadtraum.store.audit import audit
from stadtraum.store.campaigns import (
    check_version,
    clear_targets,
    find_for_update,
    modes_of,
)
from stadtraum.store.catalogues import catalogue_for, stored_catalogue
from stadtraum.store.changes import next_change_seq
from stadtraum.store.db import MAX_TARGET, AreaLevel, Campaign, Response
from stadtraum.store.engine import write_engine
from stadtraum.store.limits import column_limit
from stadtraum.vocab import MODES

__all__ = ["DEFAULT_MIN_N", "MAX_MIN_N", "MAX_TARGET", "MIN_N_FLOOR", "CampaignSettings",
           "check_settings", "comments_auto_release", "set_comments_auto_release",
           "update_settings"]

DEFAULT_MIN_N = 5
MIN_N_FLOOR = 3  # below this, a shown cell would all but name its respondents
MAX_MIN_N = 100


@dataclass(frozen=True)
class CampaignSettings:
    """Everything the settings form of a campaign sets."""

    name: str
    catalogue_id: str
    level_id: int
    starts_on: dt.date | None = None
    ends_on: dt.date | None = None
    allowed_modes: tuple[str, ...] = MODES.codes
    min_n: int = DEFAULT_MIN_N
    default_target: int | None = None  # responses wanted in every area; None: no target

    @property
    def modes_text(self) -> str:
        """The allowed modes as stored (comma-separated, in the order of MODES)."""
        return ",".join(self.allowed_modes)


def de_number(n: int) -> str:
    """``100000`` as Germans write it: ``100.000``."""
    return f"{n:,}".replace(",", ".")


def _err(field: str, de: str, en: str) -> ValidationError:
    return ValidationError(de, en, field=field)


def _whole(value: object) -> int | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return None


def check_min_n(value: object) -> int:
    number = _whole(value)
    if number is None or not MIN_N_FLOOR <= number <= MAX_MIN_N:
        raise _err("min_n",
                   f"Die Mindestzahl je Zelle muss eine ganze Zahl von {MIN_N_FLOOR} bis "
                   f"{MAX_MIN_N} sein (nicht „{value}“): darunter ließen sich einzelne Befragte "
                   "erkennen.",
                   f"The minimum cell size must be a whole number from {MIN_N_FLOOR} to "
                   f"{MAX_MIN_N} (not “{value}”): below that, single respondents could be "
                   "recognised.")
    return number


def check_target(value: object) -> int | None:
    """The target for every area (None: none); 1 to :data:`MAX_TARGET`."""
    if value is None or value == "":
        return None
    number = _whole(value)
    if number is None or not 1 <= number <= MAX_TARGET:
        raise _err("default_target",
                   f"Die Zielzahl je Gebiet muss leer oder eine ganze Zahl von 1 bis "
                   f"{de_number(MAX_TARGET)} sein (nicht „{value}“).",
                   f"The target per area must be empty or a whole number from 1 to "
                   f"{MAX_TARGET:,} (not “{value}”).")
    return number


def check_modes(modes: Iterable[str]) -> tuple[str, ...]:
    """The chosen modes in the order of MODES; at least one, each a known code."""
    chosen = set(modes)
    unknown = sorted(chosen - set(MODES.codes))
    if unknown:
        raise _err("allowed_modes", f"Unbekannte Erhebungsart: {', '.join(unknown)}.",
                   f"Unknown mode: {', '.join(unknown)}.")
    if not chosen:
        raise _err("allowed_modes",
                   "Bitte mindestens eine Erhebungsart erlauben (Straßenbefragung, "
                   "Fokusgruppe, Papierbogen oder Online); sonst kann niemand antworten.",
                   "Please allow at least one mode (street survey, focus group, paper form or "
                   "online); otherwise nobody can respond.")
    return tuple(code for code in MODES.codes if code in chosen)


def check_settings(s: CampaignSettings) -> CampaignSettings:
    """``s`` with the name trimmed and the modes in order, or the first rule it breaks."""
    name = s.name.strip()
    if not name:
        raise _err("name", "Bitte einen Namen für die Befragung angeben.",
                   "Please give the survey a name.")
    limit = column_limit(Campaign, "name")
    if len(name) > limit:
        raise _err("name", f"Der Name ist zu lang ({len(name)} Zeichen, höchstens {limit}).",
                   f"The name is too long ({len(name)} characters, at most {limit}).")
    if not s.catalogue_id:
        raise _err("catalogue_id", "Bitte einen Kriterienkatalog wählen.",
                   "Please choose a criteria catalogue.")
    if s.starts_on and s.ends_on and s.ends_on < s.starts_on:
        raise _err("ends_on",
                   f"Das Ende ({s.ends_on:%d.%m.%Y}) liegt vor dem Beginn "
                   f"({s.starts_on:%d.%m.%Y}).",
                   f"The end ({s.ends_on:%Y-%m-%d}) is before the start "
                   f"({s.starts_on:%Y-%m-%d}).")
    return CampaignSettings(name, s.catalogue_id, s.level_id, s.starts_on, s.ends_on,
                            check_modes(s.allowed_modes), check_min_n(s.min_n),
                            check_target(s.default_target))


def check_refs(session: Session, s: CampaignSettings, *, other_than: int | None = None) -> None:
    """The rules that need the database: the catalogue and the level exist, the name is
    free."""
    try:
        stored_catalogue(session, s.catalogue_id, share=True)  # no delete under way meanwhile
        catalogue_for(session, s.catalogue_id)
    except ValidationError:
        raise _err("catalogue_id", f"Den Kriterienkatalog „{s.catalogue_id}“ gibt es nicht.",
                   f"There is no criteria catalogue “{s.catalogue_id}”.") from None
    if session.get(AreaLevel, s.level_id) is None:
        raise _err("level_id", f"Die Gebietsebene {s.level_id} gibt es nicht.",
                   f"There is no area level {s.level_id}.")
    query = select(Campaign.id).where(Campaign.name == s.name)
    if other_than is not None:
        query = query.where(Campaign.id != other_than)
    if session.scalar(query) is not None:
        raise name_taken(s.name)


def name_taken(name: str) -> ValidationError:
    return _err("name", f"Eine Befragung „{name}“ gibt es schon; bitte einen anderen Namen "
                "wählen.", f"A survey “{name}” exists already; please choose another name.")


def current_settings(c: Campaign) -> CampaignSettings:
    """The settings as stored."""
    return CampaignSettings(c.name, c.catalogue_id, c.level_id, c.starts_on, c.ends_on,
                            modes_of(c), c.min_n, c.default_target)


def _frozen_by_data(session: Session, campaign: Campaign, old: CampaignSettings,
                    new: CampaignSettings) -> bool:
    """Refuse a new catalogue or level where stored data or a closed campaign forbid it;
    True when the level changes (its per-area targets then go)."""
    level_changes = new.level_id != old.level_id
    if not level_changes and new.catalogue_id == old.catalogue_id:
        return False
    responses = session.scalar(select(func.count(Response.id))
                               .where(Response.campaign_id == campaign.id)) or 0
    if level_changes and campaign.status == "closed":
        raise _err("level_id",
                   "Eine abgeschlossene Befragung behält die Gebietsebene und den Grenzstand, "
                   "mit denen sie erhoben wurde.",
                   "A closed survey keeps the area level and the boundary set it was "
                   "collected on.")
    what_de, what_en, field = (("die Gebietsebene", "area level", "level_id") if level_changes
                               else ("der Katalog", "catalogue", "catalogue_id"))
    if responses:
        raise _err(field,
                   f"Die Befragung hat schon {responses} Antworten: {what_de} lässt sich nur "
                   "ändern, solange es keine Antworten gibt.",
                   f"The survey has {responses} responses already: the {what_en} can only be "
                   "changed while there are none.")
    return level_changes


def update_settings(engine: Engine, campaign_id: int, settings: CampaignSettings, *,
                    actor: Actor, expected_version: int | None = None) -> list[str]:
    """Store ``settings`` for the campaign; returns the names of the fields that changed
    (empty: nothing to do, no audit entry). A new level removes the per-area targets of the
    old one. Needs ``campaigns.manage``."""
    require(actor, "campaigns.manage")
    new = check_settings(settings)
    try:
        with Session(write_engine(engine)) as session, session.begin():
            campaign = find_for_update(session, campaign_id)
            check_version(campaign, expected_version)
            old = current_settings(campaign)
            changed = [f.name for f in fields(CampaignSettings)
                       if getattr(old, f.name) != getattr(new, f.name)]
            if not changed:
                return []
            check_refs(session, new, other_than=campaign.id)
            detail: dict[str, object] = {"name": campaign.name}
            if _frozen_by_data(session, campaign, old, new):
                detail["area_targets_removed"] = clear_targets(session, campaign.id)
            campaign.name, campaign.catalogue_id = new.name, new.catalogue_id
            campaign.level_id, campaign.min_n = new.level_id, new.min_n
            campaign.starts_on, campaign.ends_on = new.starts_on, new.ends_on
            campaign.allowed_modes, campaign.default_target = new.modes_text, new.default_target
            campaign.version += 1
            if {"min_n", "level_id", "catalogue_id"} & set(changed):
                next_change_seq(session)  # cached views depend on them
            for key in changed:
                detail[key] = {"old": _plain(getattr(old, key)), "new": _plain(getattr(new, key))}
            audit(session, actor.name, "settings", "campaign", campaign.id, **detail)
    except IntegrityError as exc:  # the name was taken at the same moment
        raise name_taken(new.name) from exc
    return changed


def comments_auto_release(engine: Engine, campaign_id: int, *, actor: Actor) -> bool:
    """Whether the campaign releases its new comments automatically. Needs
    ``campaigns.manage``."""
    require(actor, "campaigns.manage")
    with Session(engine) as session:
        campaign = session.get(Campaign, campaign_id)
        if campaign is None:
            raise NotFoundError(f"Befragung {campaign_id} gibt es nicht.",
                                f"campaign {campaign_id} not found")
        return bool(campaign.comments_auto_release)


def set_comments_auto_release(engine: Engine, campaign_id: int, enabled: bool, *,
                              actor: Actor, expected_version: int | None = None) -> bool:
    """Switch the automatic release of the campaign's new comments; True if it changed
    (False: it was so already, no audit entry). Needs ``campaigns.manage``."""
    require(actor, "campaigns.manage")
    if not isinstance(enabled, bool):
        raise _err("comments_auto_release", "Bitte „an“ oder „aus“ wählen.",
                   "Please choose on or off.")
    with Session(write_engine(engine)) as session, session.begin():
        campaign = find_for_update(session, campaign_id)
        check_version(campaign, expected_version)
        old = bool(campaign.comments_auto_release)
        if old == enabled:
            return False
        campaign.comments_auto_release = enabled
        campaign.version += 1
        audit(session, actor.name, "comments_auto_release", "campaign", campaign.id,
              name=campaign.name, comments_auto_release={"old": old, "new": enabled})
    return True


def _plain(value: object) -> object:
    if isinstance(value, tuple):
        return ",".join(str(v) for v in value)
    return value
