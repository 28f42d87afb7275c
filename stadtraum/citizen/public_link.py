"""The public link of a campaign: the anonymous citizens' form behind an unguessable token.

An admin switches the link on per campaign. The first switch-on creates the token
(``secrets.token_urlsafe(24)``: 192 random bits); switching off and on again keeps it, so
printed posters and QR codes keep working. Only "Neuen Link erzeugen" (rotate) replaces it,
e.g. after a link was misused. Every change is written to the audit log (with a short prefix
of the token only).

:func:`campaign_for_token` is what the form asks first. An unknown token and a switched-off
link give the same :class:`NotFoundError` that reveals nothing; a known link of a campaign
that is not open gives :class:`CampaignClosedError`, shown as a friendly notice.
"""

from __future__ import annotations

import hmac
import re
import secrets
from dataclasses import dataclass
from urllib.parse import quote

from sqlalchemy import select
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session

from stadtraum.accounts.permissions import Actor, require
from stadtraum.citizen.form import MODE
from stadtraum.criteria import Catalogue
from stadtraum.errors import NotFoundError, StadtraumError
from stadtraum.store.audit import audit
from stadtraum.store.campaigns import find_campaign, modes_of
from stadtraum.store.catalogues import catalogue_for
from stadtraum.store.db import Campaign
from stadtraum.store.engine import write_engine
from stadtraum.store.queries import areas_frame

PUBLIC_PATH = "mitmachen"
TOKEN_PARAM = "t"
_TOKEN = re.compile(r"[A-Za-z0-9_-]{16,64}")


class CampaignClosedError(StadtraumError):
    """The link is valid, but the campaign is not (or not yet) open. ``status`` says which."""

    def __init__(self, message_de: str, message_en: str, status: str) -> None:
        super().__init__(message_de, message_en)
        self.status = status


@dataclass(frozen=True)
class PublicLink:
    """A campaign's public-link state, for the admin page."""

    campaign_id: int
    campaign_name: str
    campaign_status: str
    enabled: bool
    token: str | None


@dataclass(frozen=True)
class PublicCampaign:
    """What the anonymous form needs: an open campaign, its catalogue and its areas."""

    id: int
    name: str
    catalogue: Catalogue
    areas: dict[str, str]  # code -> name, in name order
    min_n: int
    codes_required: bool = False  # one-time invitation codes (stadtraum.citizen.invitations)
    level_id: int = 0  # the areas' level (street directory, map)


def new_token() -> str:
    return secrets.token_urlsafe(24)


def public_url(base_url: str, token: str) -> str:
    """``base_url`` + ``/?t=TOKEN`` (the address printed on posters).

    The form is served at the app's root: Streamlit serves the only page of a navigation
    at ``/`` and answers any other path with a "page not found" notice first."""
    return f"{base_url.rstrip('/')}/?{TOKEN_PARAM}={quote(token, safe='')}"


def _link(c: Campaign) -> PublicLink:
    return PublicLink(c.id, c.name, c.status, bool(c.public_enabled), c.public_token)


def list_public_links(engine: Engine) -> list[PublicLink]:
    with Session(engine) as session:
        return [_link(c) for c in session.scalars(select(Campaign).order_by(Campaign.id))]


def public_link(engine: Engine, campaign_id: int) -> PublicLink:
    with Session(engine) as session:
        return _link(find_campaign(session, campaign_id))


def enable_public_link(engine: Engine, campaign_id: int, *, actor: Actor) -> str:
    """Switch the link on; create the token on first use, keep an existing one. Needs
    ``campaigns.manage``."""
    require(actor, "campaigns.manage")
    with Session(write_engine(engine)) as session, session.begin():
        campaign = find_campaign(session, campaign_id)
        if campaign.public_enabled and campaign.public_token:
            return campaign.public_token  # a repeated click changes nothing
        created = campaign.public_token is None
        if created:
            campaign.public_token = new_token()
        campaign.public_enabled = True
        token = str(campaign.public_token)
        audit(session, actor.name, "public_link_on", "campaign", campaign_id,
              token_prefix=token[:4], new_token=created)
        return token


def disable_public_link(engine: Engine, campaign_id: int, *, actor: Actor) -> None:
    """Switch the link off; the token is kept for a later switch-on. Needs
    ``campaigns.manage``."""
    require(actor, "campaigns.manage")
    with Session(write_engine(engine)) as session, session.begin():
        campaign = find_campaign(session, campaign_id)
        if not campaign.public_enabled:
            return
        campaign.public_enabled = False
        audit(session, actor.name, "public_link_off", "campaign", campaign_id)


def rotate_public_token(engine: Engine, campaign_id: int, *, actor: Actor) -> str:
    """Replace the token: the old link and printed QR codes stop working at once. Needs
    ``campaigns.manage``."""
    require(actor, "campaigns.manage")
    with Session(write_engine(engine)) as session, session.begin():
        campaign = find_campaign(session, campaign_id)
        old = campaign.public_token
        campaign.public_token = new_token()
        token = campaign.public_token
        audit(session, actor.name, "public_link_rotate", "campaign", campaign_id,
              old_prefix=old[:4] if old else None, token_prefix=token[:4])
        return token


def _unknown() -> NotFoundError:
    return NotFoundError(
        "Dieser Link ist ungültig oder nicht mehr aktiv. Bitte prüfen Sie die Adresse oder "
        "scannen Sie den QR-Code noch einmal.", "unknown or disabled public token")


def campaign_for_token(engine: Engine, token: object) -> PublicCampaign:
    """The open campaign behind ``token``. Raises :class:`NotFoundError` (unknown or
    switched-off link, the same message for both) or :class:`CampaignClosedError`."""
    if not isinstance(token, str) or not _TOKEN.fullmatch(token):
        raise _unknown()
    with Session(engine) as session:
        campaign = session.scalar(select(Campaign).where(Campaign.public_token == token))
        # the index lookup finds the row; the final comparison is constant-time and exact
        # (it also guards against a case-insensitive collation on some databases)
        stored = campaign.public_token if campaign is not None else None
        if (campaign is None or stored is None or not campaign.public_enabled
                or not hmac.compare_digest(stored.encode("ascii"), token.encode("ascii"))):
            raise _unknown()
        if campaign.status == "draft":
            raise CampaignClosedError(
                "Diese Befragung hat noch nicht begonnen. Bitte schauen Sie später wieder "
                "vorbei!", "campaign not open yet", status="draft")
        if campaign.status != "open":
            raise CampaignClosedError("Diese Befragung ist beendet. Danke für Ihr Interesse!",
                                      "campaign closed", status=campaign.status)
        if MODE not in modes_of(campaign):
            raise CampaignClosedError(
                "Diese Befragung nimmt keine Antworten über das Internet an. Danke für Ihr "
                "Interesse!", "This survey takes no answers over the internet. Thank you for "
                "your interest!", status="no_online")
        frame = areas_frame(session, campaign.level_id).sort_values("name", kind="stable")
        return PublicCampaign(campaign.id, campaign.name,
                              catalogue_for(session, campaign.catalogue_id),
                              dict(zip(frame["code"], frame["name"], strict=True)),
                              campaign.min_n, bool(campaign.invitation_required),
                              int(campaign.level_id))
