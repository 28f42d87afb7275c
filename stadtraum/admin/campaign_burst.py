"""The burst detector's controls of a campaign (the campaigns page's "Schutz vor
Massenantworten", and ``stadtraum campaigns burst``): on or off, its floor and its factor, and
what the page shows beside them.

The rule itself is :mod:`stadtraum.citizen.burst`: an online response is flagged when it is
the k-th of its area in the last hour and k > ``max(floor, factor × median)`` of the week's
hourly counts. :func:`set_burst_controls` needs ``campaigns.manage``, checks every value
(:func:`check_controls`: a refusal names the field, in German and English), takes the row
version the form showed (a change made meanwhile is a conflict, not an overwrite) and writes
the audit log in the same transaction. The submit path reads the controls in its own
transaction, so a change applies from the next online response on; responses flagged before
stay flagged until an admin reviews them.

:func:`burst_status` reads the controls, how many online responses of the campaign await
review (and how many of them for a burst) and, if asked, each area's count in the last hour
against its current threshold.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import case, func, or_, select
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session

from stadtraum.accounts.permissions import Actor, require
from stadtraum.citizen.burst import (
    BASELINE_HOURS,
    CODE,
    FACTOR,
    FLOOR,
    HOUR,
    MAX_FACTOR,
    MAX_FLOOR,
    baseline_median,
    burst_threshold,
    hourly_counts,
)
from stadtraum.citizen.form import MODE
from stadtraum.errors import ValidationError
from stadtraum.store.audit import audit
from stadtraum.store.campaigns import check_version, find_campaign, find_for_update
from stadtraum.store.db import Area, Campaign, Response
from stadtraum.store.engine import write_engine

__all__ = ["FACTOR", "FLOOR", "MAX_FACTOR", "MAX_FLOOR", "AreaThreshold", "BurstControls",
           "BurstStatus", "burst_status", "check_controls", "set_burst_controls"]


@dataclass(frozen=True)
class BurstControls:
    """The detector of one campaign: on or off, ``max(floor, factor × median)``."""

    enabled: bool = True
    floor: int = FLOOR
    factor: int = FACTOR


@dataclass(frozen=True)
class AreaThreshold:
    """One area now: its online responses in the last hour, the median of the week's hourly
    counts and the threshold the next online response is compared with."""

    code: str
    name: str
    last_hour: int
    median: float
    threshold: float


@dataclass(frozen=True)
class BurstStatus:
    campaign_id: int
    name: str
    version: int  # the row version a form built from this must send back
    controls: BurstControls
    flagged: int  # online responses flagged (for any reason) and not yet reviewed
    flagged_burst: int  # ... of them flagged (also) for a burst
    areas: tuple[AreaThreshold, ...] | None  # None: not asked for


def _whole(value: object) -> int | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, str) and value.strip().isdigit():
        return int(value.strip())
    return None


def _de(n: int) -> str:
    return f"{n:,}".replace(",", ".")


def check_controls(enabled: object, floor: object, factor: object) -> BurstControls:
    """The controls, or a :class:`ValidationError` naming the first field that is wrong."""
    if not isinstance(enabled, bool):
        raise ValidationError(
            f"Der Schalter „Häufungserkennung eingeschaltet“ kennt nur an oder aus (nicht "
            f"„{enabled}“).", f"The switch “burst detector on” is on or off only (not "
            f"“{enabled}”).", field="burst_enabled")
    low = _whole(floor)
    if low is None or not 1 <= low <= MAX_FLOOR:
        raise ValidationError(
            f"Die Untergrenze der Häufungserkennung muss eine ganze Zahl von 1 bis "
            f"{_de(MAX_FLOOR)} sein (nicht „{floor}“): so viele Online-Antworten je Gebiet "
            "und Stunde werden nie markiert.",
            f"The burst detector's floor must be a whole number from 1 to {MAX_FLOOR:,} (not "
            f"“{floor}”): that many online responses per area and hour are never flagged.",
            field="burst_floor")
    times = _whole(factor)
    if times is None or not 1 <= times <= MAX_FACTOR:
        raise ValidationError(
            f"Der Faktor der Häufungserkennung muss eine ganze Zahl von 1 bis {MAX_FACTOR} "
            f"sein (nicht „{factor}“): er vervielfacht den Median der stündlichen Antworten "
            "der Vorwoche.",
            f"The burst detector's factor must be a whole number from 1 to {MAX_FACTOR} (not "
            f"“{factor}”): it multiplies the median of the previous week's hourly responses.",
            field="burst_factor")
    return BurstControls(enabled, low, times)


def _controls(c: Campaign) -> BurstControls:
    return BurstControls(bool(c.burst_enabled), int(c.burst_floor), int(c.burst_factor))


_COLUMNS = (("enabled", "burst_enabled"), ("floor", "burst_floor"), ("factor", "burst_factor"))


def set_burst_controls(engine: Engine, campaign_id: int, controls: BurstControls, *,
                       actor: Actor, expected_version: int | None = None) -> list[str]:
    """Store the campaign's detector controls; returns the names of the columns that changed
    (empty: nothing to do, no audit entry). Needs ``campaigns.manage``."""
    require(actor, "campaigns.manage")
    new = check_controls(controls.enabled, controls.floor, controls.factor)
    with Session(write_engine(engine)) as session, session.begin():
        campaign = find_for_update(session, campaign_id)
        check_version(campaign, expected_version)
        old = _controls(campaign)
        changed = [column for attr, column in _COLUMNS
                   if getattr(old, attr) != getattr(new, attr)]
        if not changed:
            return []
        campaign.burst_enabled, campaign.burst_floor = new.enabled, new.floor
        campaign.burst_factor = new.factor
        campaign.version += 1
        detail: dict[str, object] = {"name": campaign.name}
        for attr, column in _COLUMNS:
            if column in changed:
                detail[column] = {"old": getattr(old, attr), "new": getattr(new, attr)}
        audit(session, actor.name, "burst_controls", "campaign", campaign.id, **detail)
    return changed


def _area_thresholds(session: Session, campaign: Campaign, controls: BurstControls,
                     now: dt.datetime) -> tuple[AreaThreshold, ...]:
    since = now - dt.timedelta(seconds=HOUR * (BASELINE_HOURS + 1))
    ages: dict[int, list[float]] = {}
    for area_id, stamp in session.execute(
            select(Response.area_id, Response.created_at).where(
                Response.campaign_id == campaign.id, Response.mode == MODE,
                Response.created_at > since)):
        at = stamp if stamp.tzinfo else stamp.replace(tzinfo=dt.UTC)
        ages.setdefault(int(area_id), []).append((now - at).total_seconds())
    areas = session.execute(select(Area.id, Area.code, Area.name)
                            .where(Area.level_id == campaign.level_id).order_by(Area.code))
    result = []
    for area_id, code, name in areas:
        current, baseline = hourly_counts(ages.get(int(area_id), ()))
        result.append(AreaThreshold(str(code), str(name), current, baseline_median(baseline),
                                    burst_threshold(baseline, controls.floor,
                                                    controls.factor)))
    return tuple(result)


def _flagged(session: Session, campaign_id: int) -> tuple[int, int]:
    """The campaign's online responses awaiting review, and how many of them were flagged
    (also) for a burst (the codes as ``status_reason`` joins them), in one pass."""
    for_burst = or_(Response.status_reason.like(f"{CODE}: %"),
                    Response.status_reason.like(f"%; {CODE}: %"))
    total, burst = session.execute(
        select(func.count(Response.id), func.count(case((for_burst, 1))))
        .where(Response.campaign_id == campaign_id, Response.mode == MODE,
               Response.status == "flagged")).one()
    return int(total or 0), int(burst or 0)


def burst_status(engine: Engine, campaign_id: int, *, actor: Actor,
                 with_areas: bool = False, now: dt.datetime | None = None) -> BurstStatus:
    """The campaign's controls and its online responses awaiting review; with ``with_areas``
    also every area of its level with its count in the hour before ``now`` (default: the
    current time) and its current threshold. Needs ``campaigns.manage``."""
    require(actor, "campaigns.manage")
    at = now or dt.datetime.now(dt.UTC)
    with Session(engine) as session:
        campaign = find_campaign(session, campaign_id)
        controls = _controls(campaign)
        flagged, for_burst = _flagged(session, campaign.id)
        areas = _area_thresholds(session, campaign, controls, at) if with_areas else None
        return BurstStatus(campaign.id, campaign.name, campaign.version, controls, flagged,
                           for_burst, areas)
