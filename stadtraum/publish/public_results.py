"""Use cases of the published results at public URLs: an admin switches a campaign's results
public (``results.publish``, audited), and the web routes read what may be served.

Only the published snapshot (:mod:`stadtraum.publish.service`) is ever served: rounded
values, no n, never live figures. :func:`public_snapshot` returns None for an unknown
campaign, a campaign that is not switched public, or one that was never published, and the
routes answer all three alike with an empty 404.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session

from stadtraum.accounts.permissions import Actor, require
from stadtraum.analysis.results import CITY_CODE
from stadtraum.errors import ConflictError
from stadtraum.publish.snapshot import INDEX
from stadtraum.store.audit import audit
from stadtraum.store.campaigns import find_campaign
from stadtraum.store.catalogues import catalogue_for
from stadtraum.store.db import Area, AreaLevel, Campaign, PublishedCell
from stadtraum.store.engine import write_engine

__all__ = ["PUBLIC_FILES", "PublicSnapshot", "public_paths", "public_snapshot",
           "public_switches", "set_results_public"]

CITY_LEVEL = "Gesamtstadt"
# the public files of a campaign, below /opendata/<campaign id>/
PUBLIC_FILES = ("results.geojson", "results.csv", "results.csv-metadata.json")


def public_paths(campaign_id: int) -> list[str]:
    """The stable paths (relative to the app's address) of a public campaign's files."""
    return [f"/opendata/{int(campaign_id)}/{name}" for name in PUBLIC_FILES]


def public_switches(engine: Engine) -> dict[int, bool]:
    """Campaign id -> whether its results are switched public (for the admin page)."""
    with Session(engine) as session:
        return {int(cid): bool(on) for cid, on in session.execute(
            select(Campaign.id, Campaign.results_public))}


def _published(session: Session, campaign_id: int) -> bool:
    return session.scalar(select(func.count()).select_from(PublishedCell)
                          .where(PublishedCell.campaign_id == campaign_id)) != 0


def set_results_public(engine: Engine, campaign_id: int, on: bool, *, actor: Actor) -> bool:
    """Serve (``on``) or stop serving campaign ``campaign_id``'s published snapshot at the
    public URLs. Needs ``results.publish``. Refused while the campaign was never published.
    Returns whether the switch changed (an unchanged switch writes nothing)."""
    require(actor, "results.publish")
    with Session(write_engine(engine)) as session, session.begin():
        campaign = find_campaign(session, campaign_id)
        if on and not _published(session, campaign.id):
            raise ConflictError(
                f"„{campaign.name}“ wurde noch nie veröffentlicht. Bitte zuerst die Ergebnisse "
                "veröffentlichen; öffentlich abrufbar ist nur der veröffentlichte Stand.",
                f"campaign {campaign.id} was never published")
        if bool(campaign.results_public) == on:
            return False
        campaign.results_public = on
        audit(session, actor.name, "set_results_public", "campaign", campaign.id, public=on)
    return True


@dataclass(frozen=True)
class PublicSnapshot:
    campaign_id: int
    name: str
    min_n: int
    criteria: tuple[tuple[str, str], ...]  # (id, German label), catalogue order
    levels: tuple[str, ...]  # the campaign's level first, the city last
    areas: dict[str, list[tuple[str, str]]]  # level -> (code, name), code order
    values: dict[tuple[str, str, str], float | None]  # (level, code, criterion or "") -> value
    published_at: dt.datetime
    bottom_level_id: int
    level_ids: dict[str, int]  # level name -> area level id (not the city)
    period: tuple[dt.date | None, dt.date | None]  # the campaign's start and end

    def value(self, level: str, code: str, criterion: str = INDEX) -> float | None:
        return self.values.get((level, code, criterion))


def _levels(session: Session, level_id: int) -> list[AreaLevel]:
    level = session.get(AreaLevel, level_id)
    if level is None:
        return []
    rows = session.scalars(select(AreaLevel).where(
        AreaLevel.boundary_set_id == level.boundary_set_id, AreaLevel.rank <= level.rank)
        .order_by(AreaLevel.rank.desc())).all()
    return list(rows)


def public_snapshot(engine: Engine, campaign_id: int, *,
                    require_public: bool = True) -> PublicSnapshot | None:
    """What the public URLs serve for ``campaign_id``, or None (unknown, not public unless
    ``require_public`` is off, never published). No n, no live figure: the stored snapshot
    only."""
    with Session(engine) as session:
        campaign = session.get(Campaign, campaign_id)
        if campaign is None or (require_public and not campaign.results_public):
            return None
        cells = session.execute(select(PublishedCell.level, PublishedCell.area_code,
                                       PublishedCell.criterion_id, PublishedCell.value,
                                       PublishedCell.published_at)
                                .where(PublishedCell.campaign_id == campaign_id)).all()
        if not cells:
            return None
        criteria = tuple((c.id, c.label("de"))
                         for c in catalogue_for(session, campaign.catalogue_id).criteria)
        published = {(lv, code) for lv, code, *_ in cells}
        areas: dict[str, list[tuple[str, str]]] = {}
        level_ids: dict[str, int] = {}
        for level in _levels(session, campaign.level_id):
            rows = session.execute(select(Area.code, Area.name)
                                   .where(Area.level_id == level.id)
                                   .order_by(Area.code)).all()
            shown = [(str(c), str(n)) for c, n in rows if (level.name, str(c)) in published]
            if shown:
                areas[level.name] = shown
                level_ids[level.name] = int(level.id)
        if (CITY_LEVEL, CITY_CODE) in published:
            areas[CITY_LEVEL] = [(CITY_CODE, CITY_LEVEL)]
        return PublicSnapshot(
            campaign.id, campaign.name, campaign.min_n, criteria, tuple(areas), areas,
            {(lv, code, cid): value for lv, code, cid, value, _ in cells},
            max(at for *_, at in cells), campaign.level_id, level_ids,
            (campaign.starts_on, campaign.ends_on))
