"""Read queries. The caller passes the session; results are plain data (DataFrames,
dataclasses), never ORM objects that outlive the session."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import pandas as pd
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from stadtraum.errors import NotFoundError
from stadtraum.store.db import Area, AreaLevel, BoundarySet, Campaign, Response


@dataclass(frozen=True)
class LevelInfo:
    id: int
    boundary_set_id: int
    boundary_set_name: str
    version: int
    name: str
    rank: int
    n_areas: int


@dataclass(frozen=True)
class CampaignInfo:
    id: int
    name: str
    catalogue_id: str
    level_id: int
    boundary_set_id: int
    status: str
    min_n: int
    starts_on: dt.date | None
    ends_on: dt.date | None
    is_demo: bool
    n_responses: int


def list_levels(session: Session, boundary_set_id: int | None = None) -> list[LevelInfo]:
    counts = (select(Area.level_id, func.count(Area.id).label("n"))
              .group_by(Area.level_id).subquery())
    q = (select(AreaLevel, BoundarySet, func.coalesce(counts.c.n, 0))
         .join(BoundarySet, BoundarySet.id == AreaLevel.boundary_set_id)
         .join(counts, counts.c.level_id == AreaLevel.id, isouter=True)
         .order_by(BoundarySet.id, AreaLevel.rank))
    if boundary_set_id is not None:
        q = q.where(AreaLevel.boundary_set_id == boundary_set_id)
    return [LevelInfo(lv.id, bs.id, bs.name, bs.version, lv.name, lv.rank, int(n))
            for lv, bs, n in session.execute(q)]


def current_level(session: Session, name: str) -> LevelInfo:
    """The level called ``name`` in the newest boundary set that has it."""
    matches = [lv for lv in list_levels(session) if lv.name == name]
    if not matches:
        known = sorted({lv.name for lv in list_levels(session)})
        raise NotFoundError(f"Gebietsebene „{name}“ gibt es nicht (vorhanden: "
                            f"{', '.join(known) or 'keine'}).", f"level {name!r} not found")
    return max(matches, key=lambda lv: (lv.version, lv.boundary_set_id))


def areas_frame(session: Session, level_id: int) -> pd.DataFrame:
    """Areas of one level: id, code, name, parent_id, in code order."""
    rows = session.execute(select(Area.id, Area.code, Area.name, Area.parent_id)
                           .where(Area.level_id == level_id).order_by(Area.code)).all()
    return pd.DataFrame(rows, columns=["id", "code", "name", "parent_id"])


def area_geometries(session: Session, level_id: int) -> list[tuple[int, str, str, bytes]]:
    return [(int(i), c, n, bytes(g)) for i, c, n, g in session.execute(
        select(Area.id, Area.code, Area.name, Area.geometry_wkb)
        .where(Area.level_id == level_id).order_by(Area.code))]


def level_info(session: Session, level_id: int) -> LevelInfo:
    for lv in list_levels(session):
        if lv.id == level_id:
            return lv
    raise NotFoundError(f"Gebietsebene {level_id} gibt es nicht.", f"level {level_id} missing")


def levels_above(session: Session, level_id: int) -> list[LevelInfo]:
    """The levels of the same boundary set with a smaller rank, nearest first."""
    level = session.get(AreaLevel, level_id)
    if level is None:
        raise NotFoundError(f"Gebietsebene {level_id} gibt es nicht.", f"level {level_id} missing")
    return sorted((lv for lv in list_levels(session, level.boundary_set_id)
                   if lv.rank < level.rank), key=lambda lv: -lv.rank)


def campaign_info(session: Session, campaign: Campaign) -> CampaignInfo:
    level = session.get(AreaLevel, campaign.level_id)
    n = session.scalar(select(func.count(Response.id))
                       .where(Response.campaign_id == campaign.id)) or 0
    return CampaignInfo(campaign.id, campaign.name, campaign.catalogue_id, campaign.level_id,
                        level.boundary_set_id if level else 0, campaign.status, campaign.min_n,
                        campaign.starts_on, campaign.ends_on, campaign.is_demo, int(n))


def list_campaigns(session: Session) -> list[CampaignInfo]:
    return [campaign_info(session, c)
            for c in session.scalars(select(Campaign).order_by(Campaign.id))]


def count_responses(session: Session, campaign_id: int | None = None) -> int:
    q = select(func.count(Response.id))
    if campaign_id is not None:
        q = q.where(Response.campaign_id == campaign_id)
    return int(session.scalar(q) or 0)
