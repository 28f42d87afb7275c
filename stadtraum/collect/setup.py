"""What the collecting pages need from the database: the open campaigns (that take the page's
mode of collection), and their areas."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session

from stadtraum.criteria import Catalogue
from stadtraum.store.campaigns import modes_of
from stadtraum.store.catalogues import catalogue_for
from stadtraum.store.db import Campaign
from stadtraum.store.queries import CampaignInfo, areas_frame, list_campaigns


@dataclass(frozen=True)
class CampaignChoice:
    info: CampaignInfo
    catalogue: Catalogue
    areas: dict[str, str]  # code -> name, in name order


def open_campaigns(engine: Engine, mode: str | None = None) -> list[CampaignChoice]:
    """The open campaigns, of those that allow ``mode`` (a code of MODES) if given."""
    with Session(engine) as session:
        result = []
        for info in list_campaigns(session):
            campaign = session.get(Campaign, info.id)
            if info.status != "open" or campaign is None or (
                    mode is not None and mode not in modes_of(campaign)):
                continue
            frame = areas_frame(session, info.level_id).sort_values("name")
            result.append(CampaignChoice(info, catalogue_for(session, info.catalogue_id),
                                         dict(zip(frame["code"], frame["name"], strict=True))))
        return result
