"""Create a campaign and change its status, as the admin (or the command line) may.

The rows are written by :mod:`stadtraum.store.campaigns`; this module is the only way the
library's callers reach it, so the permission is checked before any database work.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy.engine import Engine

from stadtraum.accounts.permissions import Actor, require
from stadtraum.store import campaigns as store


def create_campaign(engine: Engine, *, name: str, level_id: int, catalogue_id: str,
                    actor: Actor, min_n: int = 5, starts_on: dt.date | None = None,
                    ends_on: dt.date | None = None, status: str = "draft",
                    is_demo: bool = False) -> int:
    """A new campaign (survey wave); returns its id. Needs ``campaigns.manage``."""
    require(actor, "campaigns.manage")
    return store.create_campaign(engine, name=name, level_id=level_id,
                                 catalogue_id=catalogue_id, min_n=min_n, starts_on=starts_on,
                                 ends_on=ends_on, status=status, is_demo=is_demo,
                                 actor=actor.name)


def set_campaign_status(engine: Engine, campaign_id: int, status: str, *,
                        actor: Actor) -> None:
    """Open, close or reset a campaign to draft. Needs ``campaigns.manage``."""
    require(actor, "campaigns.manage")
    store.set_campaign_status(engine, campaign_id, status, actor=actor.name)
