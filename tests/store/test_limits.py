"""Text length limits, one check for both engines: a value longer than its column is refused
with a German message naming the field and nothing is stored; a value exactly at the limit
is stored (PostgreSQL would refuse one character more with a raw SQL error, SQLite would
silently store it)."""

from __future__ import annotations

import pytest
from sqlalchemy import select
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session

from stadtraum.accounts.permissions import Actor
from stadtraum.criteria import DEFAULT_CATALOGUE
from stadtraum.errors import ValidationError
from stadtraum.focus.sessions import open_session
from stadtraum.store.campaigns import create_campaign
from stadtraum.store.db import Area, Campaign, FocusGroup, Street
from stadtraum.store.limits import check_length, column_limit, fit_length
from tests.helpers import count_rows, make_city


def test_limits_come_from_the_model_columns() -> None:
    assert column_limit(Area, "name") == 300
    assert column_limit(Area, "code") == 100
    assert column_limit(Campaign, "name") == 200
    assert column_limit(Street, "name_key") == 200
    with pytest.raises(TypeError):
        column_limit(Area, "geometry_wkb")


def test_check_length_names_the_field_and_the_place() -> None:
    assert check_length("x" * 100, Area, "code", what_de="Der Schlüssel") == "x" * 100
    with pytest.raises(ValidationError) as info:
        check_length("x" * 101, Area, "code", what_de="Der Schlüssel", field="code",
                     where_de="Objekt 7: ", where_en="feature 7: ")
    err = info.value
    assert err.field == "code"
    assert err.message_de.startswith("Objekt 7: Der Schlüssel ist zu lang (101 Zeichen, "
                                     "höchstens 100)")
    assert "areas.code" in err.message_en and "feature 7" in err.message_en
    assert "\n" not in err.message_de


def test_fit_length_cuts_program_labels() -> None:
    assert fit_length("EPSG:25832", Area, "code") == "EPSG:25832"
    cut = fit_length("y" * 150, Area, "code")
    assert len(cut) == 100 and cut.endswith("…")


def test_campaign_name_over_the_limit_is_refused(engine: Engine) -> None:
    city = make_city(engine)
    before = count_rows(engine, "campaigns")
    with pytest.raises(ValidationError) as info:
        create_campaign(engine, name="B" * 201, level_id=city.quarter_level_id,
                        catalogue_id=DEFAULT_CATALOGUE)
    assert info.value.field == "name"
    assert "Name der Befragung ist zu lang (201 Zeichen, höchstens 200)" in info.value.message_de
    assert count_rows(engine, "campaigns") == before


def test_campaign_name_at_the_limit_is_stored(engine: Engine) -> None:
    city = make_city(engine)
    name = "Ä" * 200  # characters, not bytes: 400 bytes in UTF-8
    cid = create_campaign(engine, name=name, level_id=city.quarter_level_id,
                          catalogue_id=DEFAULT_CATALOGUE)
    with Session(engine) as session:
        assert session.scalar(select(Campaign.name).where(Campaign.id == cid)) == name


@pytest.mark.parametrize(("field", "value"), [("title", "T" * 201), ("moderator", "m" * 65)])
def test_focus_group_names_over_the_limit_are_refused(engine: Engine, field: str,
                                                      value: str) -> None:
    city = make_city(engine)
    args = {"title": "Abend", "moderator": "mona", field: value}
    with pytest.raises(ValidationError) as info:  # the moderator is the signed-in actor
        open_session(engine, campaign_id=city.campaign_id, area_code="Q1", title=args["title"],
                     actor=Actor(args["moderator"], "moderator"))
    assert info.value.field == field and "zu lang" in info.value.message_de
    assert count_rows(engine, "focus_groups") == 0


def test_focus_group_names_at_the_limit_are_stored(engine: Engine) -> None:
    city = make_city(engine)
    info = open_session(engine, campaign_id=city.campaign_id, area_code="Q1", title="T" * 200,
                        actor=Actor("m" * 64, "moderator"))
    with Session(engine) as session:
        group = session.get(FocusGroup, info.id)
        assert group is not None and (group.title, group.moderator) == ("T" * 200, "m" * 64)
