"""What the thank-you page shows: the citizen's own ratings next to the area's figures from the
campaign's **published snapshot** (:mod:`stadtraum.publish`), never the live engine.

Public figures are rounded, carry no n, and change only when at least min_n more people rated
a cell (the republication rule), so someone who submits before and after a neighbour cannot
solve for the neighbour's answer. The own ratings are exempt from suppression: a person's view
of their own answers.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session

from stadtraum.privacy.response_number import short_number
from stadtraum.publish.service import published_area
from stadtraum.store.campaigns import find_campaign
from stadtraum.store.catalogues import catalogue_for
from stadtraum.store.db import AreaLevel

__all__ = ["AreaProfile", "area_profile", "response_number_text"]

# language ("de", "plain", "en") -> (the number line, the hint why to keep it)
_NUMBER_TEXTS = {
    "de": ("Ihre Antwortnummer: {number}",
           "Bitte notieren Sie die Nummer: Mit ihr können Sie verlangen, dass Ihre Antwort "
           "gelöscht wird."),
    "plain": ("Ihre Nummer: {number}",
              "Schreiben Sie die Nummer auf. Mit der Nummer können Sie sagen: Bitte löschen Sie "
              "meine Antworten."),
    "en": ("Your response number: {number}",
           "Please note it down: with it you can ask for your response to be deleted."),
}


def response_number_text(response_id: str, lang: str) -> tuple[str, str]:
    """The thank-you page's line with the response number, and the hint what it is for."""
    line, hint = _NUMBER_TEXTS.get(lang, _NUMBER_TEXTS["de"])
    return line.format(number=short_number(response_id)), hint


@dataclass(frozen=True)
class AreaProfile:
    """The citizen's own ratings next to the area's published result."""

    labels: tuple[str, ...]
    own: tuple[float | None, ...]
    area: tuple[float | None, ...]  # None: hidden, or not published
    published: bool  # False: the campaign's results have not been published yet
    min_n: int

    @property
    def area_shown(self) -> int:
        return sum(v is not None for v in self.area)


def area_profile(engine: Engine, campaign_id: int, area_code: str, ratings: Mapping[str, int],
                 lang: str) -> AreaProfile:
    """Own ratings against the published figures of ``area_code`` (rounded, no n)."""
    with Session(engine) as session:
        campaign = find_campaign(session, campaign_id)
        criteria = catalogue_for(session, campaign.catalogue_id).criteria
        level = session.get(AreaLevel, campaign.level_id)
        level_name, min_n = (level.name if level else ""), campaign.min_n
    labels = tuple(c.label("en" if lang == "en" else "de") for c in criteria)
    own = tuple(float(ratings[c.id]) if ratings.get(c.id) else None for c in criteria)
    public = published_area(engine, campaign_id, level_name, area_code)
    if public is None:
        return AreaProfile(labels, own, (None,) * len(labels), False, min_n)
    return AreaProfile(labels, own, tuple(public.values.get(c.id) for c in criteria), True, min_n)
