"""The public link of a campaign: switch on/off, rotate, the token check, the audit log — on
SQLite and PostgreSQL."""

from __future__ import annotations

import json

import pytest
from sqlalchemy import text
from sqlalchemy.engine import Engine

from stadtraum.accounts.permissions import Actor
from stadtraum.citizen.public_link import (
    CampaignClosedError,
    campaign_for_token,
    disable_public_link,
    enable_public_link,
    list_public_links,
    public_link,
    public_url,
    rotate_public_token,
)
from stadtraum.errors import NotFoundError
from stadtraum.store.campaigns import set_campaign_status
from tests.helpers import City, add_campaign, make_city

ADMIN = Actor("admin", "admin")

INVALID = "Dieser Link ist ungültig oder nicht mehr aktiv"


@pytest.fixture
def city(engine: Engine) -> City:
    return make_city(engine)


def _audit(engine: Engine) -> list[tuple[str, str, dict[str, object]]]:
    with engine.connect() as conn:
        rows = conn.execute(text("SELECT actor, action, detail FROM audit_log WHERE action LIKE "
                                 "'public_link%' ORDER BY id")).all()
    return [(a, b, json.loads(c)) for a, b, c in rows]


def test_enable_creates_an_unguessable_token_and_serves_the_campaign(engine: Engine,
                                                                     city: City) -> None:
    assert public_link(engine, city.campaign_id).token is None
    with pytest.raises(NotFoundError):  # no link yet
        campaign_for_token(engine, "x" * 32)
    token = enable_public_link(engine, city.campaign_id, actor=ADMIN)
    assert len(token) == 32 and token.replace("-", "").replace("_", "").isalnum()
    served = campaign_for_token(engine, token)
    assert served.id == city.campaign_id and served.name == "Befragung 2025"
    assert list(served.areas) == ["Q1", "Q2", "Q3"] and served.areas["Q1"] == "Quartier Q1"
    assert len(served.catalogue.ids) == 14 and served.min_n == 5
    other = add_campaign(engine, city, "Welle 2")
    assert enable_public_link(engine, other, actor=ADMIN) != token


def test_switching_off_and_on_keeps_the_token_for_printed_posters(engine: Engine,
                                                                   city: City) -> None:
    token = enable_public_link(engine, city.campaign_id, actor=ADMIN)
    assert enable_public_link(engine, city.campaign_id, actor=ADMIN) == token  # repeat
    disable_public_link(engine, city.campaign_id, actor=ADMIN)
    disable_public_link(engine, city.campaign_id, actor=ADMIN)  # repeat: no second entry
    with pytest.raises(NotFoundError) as off:
        campaign_for_token(engine, token)
    assert INVALID in off.value.message_de
    link = public_link(engine, city.campaign_id)
    assert (link.enabled, link.token) == (False, token)
    assert enable_public_link(engine, city.campaign_id, actor=ADMIN) == token
    assert campaign_for_token(engine, token).id == city.campaign_id
    assert [(a, b) for a, b, _ in _audit(engine)] == [
        ("admin", "public_link_on"), ("admin", "public_link_off"), ("admin", "public_link_on")]
    first, _, again = (d for _, _, d in _audit(engine))
    assert first["new_token"] is True and again["new_token"] is False
    assert all(token not in json.dumps(d) for _, _, d in _audit(engine))  # never the token


def test_rotation_replaces_the_token(engine: Engine, city: City) -> None:
    old = enable_public_link(engine, city.campaign_id, actor=ADMIN)
    new = rotate_public_token(engine, city.campaign_id, actor=Actor("anna", "admin"))
    assert new != old
    with pytest.raises(NotFoundError):
        campaign_for_token(engine, old)
    assert campaign_for_token(engine, new).id == city.campaign_id
    assert _audit(engine)[-1][:2] == ("anna", "public_link_rotate")


@pytest.mark.parametrize("token", [
    None, "", "short", 12345, "x" * 65, "../../etc/passwd", "' OR 1=1 --", "ä" * 32,
    "<script>alert(1)</script>", ["list"],
])
def test_wrong_tokens_reveal_nothing(engine: Engine, city: City, token: object) -> None:
    enable_public_link(engine, city.campaign_id, actor=ADMIN)
    with pytest.raises(NotFoundError) as exc:
        campaign_for_token(engine, token)
    assert INVALID in exc.value.message_de
    assert "Befragung 2025" not in exc.value.message_de


def test_a_token_differing_in_case_does_not_match(engine: Engine, city: City) -> None:
    token = enable_public_link(engine, city.campaign_id, actor=ADMIN)
    swapped = token.swapcase()
    if swapped == token:  # pragma: no cover - a token of digits and symbols only
        pytest.skip("token has no letters")
    with pytest.raises(NotFoundError):
        campaign_for_token(engine, swapped)
    with pytest.raises(NotFoundError):
        campaign_for_token(engine, token[:-1])


@pytest.mark.parametrize("status, message", [
    ("closed", "Diese Befragung ist beendet. Danke für Ihr Interesse!"),
    ("draft", "Diese Befragung hat noch nicht begonnen."),
])
def test_a_campaign_that_is_not_open_gives_a_friendly_notice(engine: Engine, city: City,
                                                             status: str, message: str) -> None:
    token = enable_public_link(engine, city.campaign_id, actor=ADMIN)
    set_campaign_status(engine, city.campaign_id, status)
    with pytest.raises(CampaignClosedError) as exc:
        campaign_for_token(engine, token)
    assert message in exc.value.message_de and exc.value.status == status
    disable_public_link(engine, city.campaign_id, actor=ADMIN)  # off beats closed
    with pytest.raises(NotFoundError):
        campaign_for_token(engine, token)


def test_list_and_url(engine: Engine, city: City) -> None:
    token = enable_public_link(engine, city.campaign_id, actor=ADMIN)
    links = list_public_links(engine)
    assert [(ln.campaign_name, ln.enabled, ln.token) for ln in links] == [
        ("Befragung 2025", True, token)]
    assert public_url("https://stadt.example/app/", token) == (
        f"https://stadt.example/app/?t={token}")
    with pytest.raises(NotFoundError):
        enable_public_link(engine, 999, actor=ADMIN)
