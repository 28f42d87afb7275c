"""Use cases of the field-work dashboard ("Feldarbeit", issue 11 item 6): response counts of
an open campaign per area against its target, by mode, today and in total; helpers active
today (admins only), drafts not yet sent, the last hour's pace. No figure derived from
ratings.

Every count per area is the planners' respondent count of the campaign's family, with the
family's mask (:func:`~stadtraum.analysis.results.compute_results`): the dashboard shows an
exact count exactly where the overview and the map show it. Today's figures are
campaign-wide only and protected by :mod:`stadtraum.admin.fieldwork_counts`.

Cost: the per-area part and today's responses are read once per (campaign, change counter,
campaign version, local day) and kept; a refresh when nothing changed reads the change
counter, the campaign's version and the drafts, and counts today's windows in Python.
"""

from __future__ import annotations

import datetime as dt
import threading
from collections import OrderedDict
from dataclasses import dataclass

from sqlalchemy import case, func, select
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session

from stadtraum.accounts.permissions import Actor, may, require
from stadtraum.admin.fieldwork_counts import (
    Cell,
    Received,
    cell,
    hour_counts,
    local_day_start,
    protect_parts,
    since,
)
from stadtraum.analysis.cube import CubeFilter
from stadtraum.analysis.cube_store import CubeProvider
from stadtraum.analysis.results import LevelTable, compute_results
from stadtraum.config import load_settings
from stadtraum.store.campaigns import find_campaign
from stadtraum.store.db import Campaign, CampaignTarget, InterviewDraft, Response, utcnow
from stadtraum.vocab import SURVEY_MODES

__all__ = ["AreaRow", "Dashboard", "Drafts", "HelperRow", "OpenCampaign", "clear_cache",
           "dashboard", "helpers_today", "open_campaigns"]

FOCUS = "focus_group"
HELPER_MODES = ("street", "paper")  # what a helper enters besides focus groups
_MAX_ENTRIES = 16


@dataclass(frozen=True)
class OpenCampaign:
    id: int
    name: str
    min_n: int


@dataclass(frozen=True)
class AreaRow:
    """One area of the campaign's level: its target and its counts as the planners see
    them (``total``: street, paper and online together; ``modes``: each of them;
    ``focus``: the focus groups, outside the total)."""

    code: str
    name: str
    target: int | None
    total: Cell
    modes: dict[str, Cell]
    focus: Cell


@dataclass(frozen=True)
class HelperRow:
    name: str
    today: int | None  # street and paper received today; None: hidden (see helpers_today)
    drafts: int  # drafts not yet sent


@dataclass(frozen=True)
class Drafts:
    open: int  # not yet sent, not older than the drafts' lifetime
    waiting: int  # sent but not stored (the helper has to send again)


@dataclass(frozen=True)
class Dashboard:
    campaign_id: int
    name: str
    level: str
    min_n: int
    areas: tuple[AreaRow, ...]
    total: Cell  # campaign-wide (street, paper, online)
    modes: dict[str, Cell]  # campaign-wide per survey mode
    focus: Cell
    today: Cell
    today_modes: dict[str, Cell]
    today_focus: Cell
    last_hour: Cell
    hours: tuple[tuple[int, Cell], ...]  # (local hour, count) of today
    drafts: Drafts
    helpers: tuple[HelperRow, ...] | None  # None: the actor may not see names
    change_seq: int
    at: dt.datetime


@dataclass(frozen=True)
class _Base:
    """What is read once per change: per-area cells and today's responses."""

    name: str
    level: str
    min_n: int
    areas: tuple[AreaRow, ...]
    total: Cell
    modes: dict[str, Cell]
    focus: Cell
    received: tuple[Received, ...]


_cache: OrderedDict[tuple[object, ...], _Base] = OrderedDict()
_lock = threading.Lock()


def clear_cache() -> None:
    with _lock:
        _cache.clear()


def open_campaigns(engine: Engine, *, actor: Actor) -> list[OpenCampaign]:
    """The open campaigns, the newest first. Needs ``fieldwork.view``."""
    require(actor, "fieldwork.view")
    with Session(engine) as session:
        rows = session.execute(select(Campaign.id, Campaign.name, Campaign.min_n)
                               .where(Campaign.status == "open")
                               .order_by(Campaign.created_at.desc(), Campaign.id.desc()))
        return [OpenCampaign(int(i), n, int(m)) for i, n, m in rows]


def _cells(table: LevelTable, row: int, min_n: int) -> Cell:
    return cell(int(table.respondents[row]), not bool(table.respondents_suppressed[row]),
                min_n)


def _targets(session: Session, campaign: Campaign) -> dict[int, int]:
    return {int(a): int(t) for a, t in session.execute(
        select(CampaignTarget.area_id, CampaignTarget.target)
        .where(CampaignTarget.campaign_id == campaign.id))}


def _received(session: Session, campaign_id: int, start: dt.datetime,
              seq: int) -> tuple[Received, ...]:
    rows = session.execute(select(Response.created_at, Response.mode, Response.entered_by)
                           .where(Response.campaign_id == campaign_id,
                                  Response.status == "valid", Response.created_at >= start,
                                  Response.change_seq <= seq))
    return tuple(Received(at, mode, by) for at, mode, by in rows)


def _build(engine: Engine, provider: CubeProvider, campaign_id: int, seq: int,
           start: dt.datetime) -> _Base:
    base = CubeFilter(campaign_ids=(campaign_id,))
    views = {"all": compute_results(engine, provider, base)}
    for mode in (*SURVEY_MODES, FOCUS):
        views[mode] = compute_results(engine, provider, CubeFilter((campaign_id,), (mode,)))
    with Session(engine) as session:
        campaign = find_campaign(session, campaign_id)
        own = _targets(session, campaign)
        default = None if campaign.default_target is None else int(campaign.default_target)
        received = _received(session, campaign_id, start, seq)
        name = campaign.name
    min_n = views["all"].min_n
    bottom = {k: v.levels[0] for k, v in views.items()}
    frame = bottom["all"].areas
    areas = tuple(
        AreaRow(str(code), str(label), own.get(int(area_id), default),
                _cells(bottom["all"], i, min_n),
                {m: _cells(bottom[m], i, min_n) for m in SURVEY_MODES},
                _cells(bottom[FOCUS], i, min_n))
        for i, (area_id, code, label) in enumerate(zip(
            frame["id"].tolist(), frame["code"].tolist(), frame["name"].tolist(),
            strict=True)))
    city = {k: v.levels[-1] for k, v in views.items()}
    return _Base(name, views["all"].levels[0].name, min_n, areas, _cells(city["all"], 0, min_n),
                 {m: _cells(city[m], 0, min_n) for m in SURVEY_MODES},
                 _cells(city[FOCUS], 0, min_n), received)


def _base(engine: Engine, provider: CubeProvider, campaign_id: int, now: dt.datetime
          ) -> tuple[_Base, int]:
    seq = provider.get().change_seq
    start = local_day_start(now)
    with Session(engine) as session:
        version = session.scalar(select(Campaign.version).where(Campaign.id == campaign_id))
    key = (engine.url.render_as_string(hide_password=True), campaign_id, seq, version, start)
    with _lock:
        hit = _cache.get(key)
    if hit is None:
        hit = _build(engine, provider, campaign_id, seq, start)
        with _lock:
            _cache[key] = hit
            while len(_cache) > _MAX_ENTRIES:
                _cache.popitem(last=False)
    return hit, seq


def _drafts(session: Session, campaign_id: int, now: dt.datetime) -> dict[str, tuple[int, int]]:
    """Helper -> (open drafts, of them frozen) of the campaign, within the drafts' lifetime."""
    cutoff = now - dt.timedelta(hours=load_settings().draft_ttl_hours)
    rows = session.execute(
        select(InterviewDraft.entered_by, func.count(),
               func.sum(case((InterviewDraft.frozen, 1), else_=0)))
        .where(InterviewDraft.campaign_id == campaign_id, InterviewDraft.updated_at >= cutoff)
        .group_by(InterviewDraft.entered_by))
    return {str(by): (int(n), int(frozen or 0)) for by, n, frozen in rows}


def _helper_counts(base: _Base, start: dt.datetime) -> dict[str, int]:
    counts: dict[str, int] = {}
    for r in base.received:
        at = r.at if r.at.tzinfo is not None else r.at.replace(tzinfo=dt.UTC)
        if r.entered_by and r.mode in HELPER_MODES and at >= start:
            counts[r.entered_by] = counts.get(r.entered_by, 0) + 1
    return counts


def _helpers(base: _Base, drafts: dict[str, tuple[int, int]], today_shown: bool,
             start: dt.datetime) -> tuple[HelperRow, ...]:
    counts = _helper_counts(base, start)
    names = sorted(set(counts) | set(drafts), key=str.casefold)
    return tuple(HelperRow(n, counts.get(n, 0) if today_shown else None,
                           drafts.get(n, (0, 0))[0]) for n in names)


def helpers_today(engine: Engine, provider: CubeProvider, campaign_id: int, *, actor: Actor,
                  now: dt.datetime | None = None) -> tuple[HelperRow, ...]:
    """The helpers with a response (street or paper) received today or a draft not yet sent,
    by name: their count today and their drafts. The counts are hidden (None) whenever the
    dashboard hides today's modes, since their sum with the online part is today's total.
    Needs ``fieldwork.helpers``."""
    require(actor, "fieldwork.helpers")
    return dashboard(engine, provider, campaign_id, actor=actor, now=now).helpers or ()


def dashboard(engine: Engine, provider: CubeProvider, campaign_id: int, *, actor: Actor,
              now: dt.datetime | None = None) -> Dashboard:
    """Everything the dashboard shows for one campaign; helpers' names only for an actor
    with ``fieldwork.helpers``. Needs ``fieldwork.view``."""
    require(actor, "fieldwork.view")
    now = now or utcnow()
    base, seq = _base(engine, provider, campaign_id, now)
    start = local_day_start(now)
    min_n, shown = base.min_n, not base.total.hidden
    today = base.received  # read from the start of today (the cache key's day)
    survey = [r for r in today if r.mode in SURVEY_MODES]
    today_modes = protect_parts({m: since(survey, start, (m,)) for m in SURVEY_MODES},
                                {m: not base.modes[m].hidden for m in SURVEY_MODES}, min_n)
    today_focus = protect_parts({FOCUS: since(today, start, (FOCUS,))},
                                {FOCUS: not base.focus.hidden}, min_n)[FOCUS]
    hours = tuple((h, cell(n, shown, min_n))
                  for h, n in hour_counts(survey, now, SURVEY_MODES))
    with Session(engine) as session:
        drafts = _drafts(session, campaign_id, now)
    helpers = None
    if may(actor, "fieldwork.helpers"):
        parts_shown = not any(c.hidden for c in today_modes.values())
        helpers = _helpers(base, drafts, parts_shown, start)
    return Dashboard(
        campaign_id, base.name, base.level, min_n, base.areas, base.total, base.modes,
        base.focus, cell(len(survey), shown, min_n), today_modes, today_focus,
        cell(since(survey, now - dt.timedelta(minutes=60)), shown, min_n), hours,
        Drafts(sum(n for n, _ in drafts.values()), sum(f for _, f in drafts.values())),
        helpers, seq, now)
