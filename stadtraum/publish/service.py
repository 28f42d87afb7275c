"""Use cases of the published snapshot: publish (admin, or the command line), and read what is
public (the thank-you page; later the published URLs, open data and reports).

Publishing takes the campaign's results from the one engine (the default survey view: every
mode but focus groups, all people, the whole campaign), applies the republication rule of
:mod:`stadtraum.publish.snapshot` against what is stored, and writes the changed cells and the
audit entry in one transaction.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session

from stadtraum.accounts.permissions import Actor, require
from stadtraum.analysis.cube import CubeFilter
from stadtraum.analysis.cube_store import CubeProvider
from stadtraum.analysis.results import compute_results
from stadtraum.publish.snapshot import INDEX, Cell, Key, cells_of, changed, republish
from stadtraum.store.audit import audit
from stadtraum.store.campaigns import find_campaign
from stadtraum.store.db import Campaign, PublishedCell
from stadtraum.store.engine import write_engine

__all__ = ["Publication", "PublishReport", "PublishedArea", "publication_status",
           "publish_results", "published_area"]


@dataclass(frozen=True)
class PublishReport:
    cells: int  # cells in the snapshot now
    updated: int  # cells whose public value changed with this publication
    shown: int  # cells with a public value


@dataclass(frozen=True)
class PublishedArea:
    values: dict[str, float | None]  # criterion id -> rounded value, None: hidden
    index: float | None
    published_at: dt.datetime


def _stored(session: Session, campaign_id: int) -> dict[Key, Cell]:
    rows = session.scalars(select(PublishedCell).where(PublishedCell.campaign_id == campaign_id))
    return {(r.level, r.area_code, r.criterion_id): Cell(r.value, r.basis_n) for r in rows}


def publish_results(engine: Engine, provider: CubeProvider, campaign_id: int, *, actor: Actor,
                    now: dt.datetime | None = None) -> PublishReport:
    """Publish (or republish) campaign ``campaign_id``'s results. Needs ``results.publish``."""
    require(actor, "results.publish")
    now = now or dt.datetime.now(dt.UTC)
    with Session(engine) as session:
        find_campaign(session, campaign_id)  # a German error for an unknown campaign
    results = compute_results(engine, provider, CubeFilter(campaign_ids=(campaign_id,)))
    with Session(write_engine(engine)) as session, session.begin():
        old = _stored(session, campaign_id)  # read under the write lock: one publisher at once
        now_cells = republish(old, cells_of(results), results.min_n)
        keys = list(changed(old, now_cells))
        for level, code, cid in keys:
            cell = now_cells[(level, code, cid)]
            session.merge(PublishedCell(campaign_id=campaign_id, level=level, area_code=code,
                                        criterion_id=cid, value=cell.value,
                                        basis_n=cell.basis_n, published_at=now))
        updated = sum(1 for k in keys if old.get(k, Cell(None, 0)).value != now_cells[k].value)
        audit(session, actor.name, "publish_results", "campaign", campaign_id,
              cells=len(now_cells), updated=updated)
    return PublishReport(len(now_cells), updated,
                         sum(1 for c in now_cells.values() if c.value is not None))


def published_area(engine: Engine, campaign_id: int, level: str,
                   area_code: str) -> PublishedArea | None:
    """The public figures of one area, or None while the campaign was never published. No n
    and nothing exact: only what the snapshot shows."""
    with Session(engine) as session:
        rows = session.execute(select(PublishedCell.criterion_id, PublishedCell.value,
                                      PublishedCell.published_at)
                               .where(PublishedCell.campaign_id == campaign_id,
                                      PublishedCell.level == level,
                                      PublishedCell.area_code == area_code)).all()
    if not rows:
        return None
    values = {cid: value for cid, value, _ in rows if cid != INDEX}
    index = next((value for cid, value, _ in rows if cid == INDEX), None)
    return PublishedArea(values, index, max(at for _, _, at in rows))


@dataclass(frozen=True)
class Publication:
    campaign_id: int
    name: str
    status: str
    published_at: dt.datetime | None  # None: never published


def publication_status(engine: Engine) -> list[Publication]:
    """Every campaign with the time its snapshot last changed (for the admin page)."""
    with Session(engine) as session:
        last = {cid: at for cid, at in session.execute(
            select(PublishedCell.campaign_id, func.max(PublishedCell.published_at))
            .group_by(PublishedCell.campaign_id))}
        return [Publication(c.id, c.name, c.status, last.get(c.id))
                for c in session.scalars(select(Campaign).order_by(Campaign.id))]
