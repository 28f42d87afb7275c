"""What the interview page needs from the database: open campaigns and their areas."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session

from stadtraum.criteria import Catalogue
from stadtraum.store.catalogues import catalogue_for
from stadtraum.store.queries import CampaignInfo, areas_frame, list_campaigns


@dataclass(frozen=True)
class CampaignChoice:
    info: CampaignInfo
    catalogue: Catalogue
    areas: dict[str, str]  # code -> name, in name order


def open_campaigns(engine: Engine) -> list[CampaignChoice]:
    with Session(engine) as session:
        result = []
        for info in list_campaigns(session):
            if info.status != "open":
                continue
            frame = areas_frame(session, info.level_id).sort_values("name")
            result.append(CampaignChoice(info, catalogue_for(session, info.catalogue_id),
                                         dict(zip(frame["code"], frame["name"], strict=True))))
        return result
