"""A campaign knows when it was closed (its retention counts from then), forgets it when it
is reopened, and a campaign whose raw data were deleted cannot be opened again: on SQLite and
PostgreSQL, through the campaigns page's use cases and the command line's status change."""

from __future__ import annotations

import pytest
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session

from stadtraum.accounts.permissions import SYSTEM
from stadtraum.admin.campaigns import close_campaign, reopen_campaign, set_campaign_status
from stadtraum.errors import ValidationError
from stadtraum.privacy.purge import purge_campaign
from stadtraum.store.db import Campaign
from tests.helpers import add_campaign, make_city


def _campaign(engine: Engine, campaign_id: int) -> Campaign:
    with Session(engine) as session:
        campaign = session.get(Campaign, campaign_id)
        assert campaign is not None
        return campaign


def test_closing_sets_the_time_and_reopening_clears_it(engine: Engine) -> None:
    city = make_city(engine)
    assert _campaign(engine, city.campaign_id).closed_at is None
    close_campaign(engine, city.campaign_id, actor=SYSTEM)
    assert _campaign(engine, city.campaign_id).closed_at is not None
    reopen_campaign(engine, city.campaign_id, actor=SYSTEM)
    assert _campaign(engine, city.campaign_id).closed_at is None
    set_campaign_status(engine, city.campaign_id, "closed", actor=SYSTEM)
    assert _campaign(engine, city.campaign_id).closed_at is not None


def test_a_campaign_created_closed_counts_as_closed_now(engine: Engine) -> None:
    city = make_city(engine)
    closed = add_campaign(engine, city, "Alte Welle", status="closed")
    assert _campaign(engine, closed).closed_at is not None


@pytest.mark.parametrize("how", ["reopen", "status"])
def test_a_purged_campaign_cannot_be_opened_again(engine: Engine, how: str) -> None:
    city = make_city(engine)
    close_campaign(engine, city.campaign_id, actor=SYSTEM)
    purge_campaign(engine, city.campaign_id, actor=SYSTEM)
    with pytest.raises(ValidationError) as caught:
        if how == "reopen":
            reopen_campaign(engine, city.campaign_id, actor=SYSTEM)
        else:
            set_campaign_status(engine, city.campaign_id, "open", actor=SYSTEM)
    assert "Rohdaten" in caught.value.message_de and "neue Befragung" in caught.value.message_de
    assert _campaign(engine, city.campaign_id).status == "closed"
