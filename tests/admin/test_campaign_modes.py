"""A campaign's allowed modes bind every way of collecting (on SQLite and PostgreSQL): a helper
cannot send a street interview, a moderator cannot open a focus group, paper forms cannot be
imported and citizens cannot answer online where the campaign does not allow it; the pages
offer only the campaigns that take their mode. Nothing is stored on a refusal."""

from __future__ import annotations

import dataclasses

import pytest
from sqlalchemy.engine import Engine

from stadtraum.accounts.permissions import Actor
from stadtraum.admin.campaign_settings import update_settings
from stadtraum.admin.campaigns import list_campaign_rows
from stadtraum.citizen.public_link import (
    CampaignClosedError,
    campaign_for_token,
    enable_public_link,
)
from stadtraum.collect.drafts import send_interview
from stadtraum.collect.interview import Interview
from stadtraum.collect.setup import open_campaigns
from stadtraum.collect.submit import submit_response
from stadtraum.errors import ValidationError
from stadtraum.focus.sessions import open_session
from stadtraum.paper.importer import import_paper
from tests.helpers import City, count_rows, make_city, make_payload
from tests.paper_files import csv_bytes, form

ADA = Actor("ada", "admin")


def _allow(engine: Engine, city: City, *modes: str) -> None:
    row = next(r for r in list_campaign_rows(engine, actor=ADA) if r.id == city.campaign_id)
    update_settings(engine, row.id, dataclasses.replace(row.settings, allowed_modes=modes),
                    actor=ADA)


@pytest.fixture
def paper_only(engine: Engine) -> City:
    city = make_city(engine)
    _allow(engine, city, "paper")
    return city


def test_a_helper_cannot_send_a_street_interview(engine: Engine, paper_only: City) -> None:
    erika = Actor("erika", "helper")
    iv = Interview(campaign_id=paper_only.campaign_id, entered_by="erika", area_code="Q1",
                   consent=True, ratings={"moving_around": 5})
    with pytest.raises(ValidationError) as err:
        send_interview(engine, iv, actor=erika)
    assert err.value.field == "mode"
    assert "nimmt keine Antworten der Erhebungsart „Straßenbefragung“ an (erlaubt: " \
        "Papierbogen)" in err.value.message_de
    assert count_rows(engine, "responses") == 0
    assert [c.info.id for c in open_campaigns(engine, "street")] == []
    assert [c.info.id for c in open_campaigns(engine, "paper")] == [paper_only.campaign_id]
    assert [c.info.id for c in open_campaigns(engine)] == [paper_only.campaign_id]


@pytest.mark.parametrize("mode", ["street", "online", "focus_group"])
def test_submit_refuses_every_mode_not_allowed(engine: Engine, paper_only: City,
                                               mode: str) -> None:
    with pytest.raises(ValidationError) as err:
        submit_response(engine, make_payload(paper_only.campaign_id, mode=mode))
    assert err.value.field == "mode"
    assert count_rows(engine, "responses") == 0


def test_a_focus_group_needs_its_mode(engine: Engine, paper_only: City) -> None:
    with pytest.raises(ValidationError) as err:
        open_session(engine, campaign_id=paper_only.campaign_id, area_code="Q1",
                     title="Abendrunde", actor=Actor("mona", "moderator"))
    assert err.value.field == "mode" and "Fokusgruppe" in err.value.message_de
    assert count_rows(engine, "focus_groups") == 0


def test_paper_forms_need_their_mode(engine: Engine) -> None:
    city = make_city(engine)
    _allow(engine, city, "street", "online")
    for dry_run in (True, False):
        with pytest.raises(ValidationError) as err:
            import_paper(engine, csv_bytes([form(1)]), "boegen.csv", city.campaign_id,
                         entered_by="erika", actor=Actor("erika", "helper"), dry_run=dry_run)
        assert err.value.field == "mode" and "Papierbogen" in err.value.message_de
    assert count_rows(engine, "responses") == 0


def test_citizens_cannot_answer_without_the_online_mode(engine: Engine,
                                                        paper_only: City) -> None:
    token = enable_public_link(engine, paper_only.campaign_id, actor=ADA)
    with pytest.raises(CampaignClosedError) as err:
        campaign_for_token(engine, token)
    assert err.value.status == "no_online"
    assert "keine Antworten über das Internet" in err.value.message_de
    _allow(engine, paper_only, "paper", "online")
    assert campaign_for_token(engine, token).id == paper_only.campaign_id


def test_an_allowed_mode_is_stored(engine: Engine, paper_only: City) -> None:
    submit_response(engine, make_payload(paper_only.campaign_id, mode="paper"))
    assert count_rows(engine, "responses") == 1
