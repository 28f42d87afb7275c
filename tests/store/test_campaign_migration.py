"""Migration 0010 (campaign settings) on SQLite and PostgreSQL: down to 0009 and up again, with
a campaign stored before it; that campaign gets version 1, every mode and no target, and the
new CHECK constraints hold."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import inspect, text
from sqlalchemy.engine import Engine
from sqlalchemy.exc import IntegrityError

from stadtraum.store.migrate import migrate, run_alembic
from tests.helpers import make_city


def test_down_and_up_again_keeps_the_campaigns(engine: Engine) -> None:
    city = make_city(engine)
    run_alembic(engine, "downgrade", "0009")
    columns = {c["name"] for c in inspect(engine).get_columns("campaigns")}
    assert {"version", "allowed_modes", "default_target"}.isdisjoint(columns)
    assert not inspect(engine).has_table("campaign_targets")
    with engine.begin() as conn:  # a campaign written by the old code
        conn.execute(text("INSERT INTO campaigns (name, catalogue_id, level_id, status, min_n, "
                          "is_demo, public_enabled, invitation_required, created_at) VALUES "
                          "('Alt', 'stadtraummonitor14', :level, 'closed', 5, false, false, "
                          "false, :at)"), {"level": city.quarter_level_id,
                                    "at": dt.datetime(2025, 1, 1, tzinfo=dt.UTC)})
    migrate(engine)
    with engine.connect() as conn:
        rows = conn.execute(text("SELECT name, version, allowed_modes, default_target FROM "
                                 "campaigns ORDER BY id")).all()
    assert [tuple(r) for r in rows] == [
        ("Befragung 2025", 1, "street,focus_group,paper,online", None),
        ("Alt", 1, "street,focus_group,paper,online", None)]
    assert inspect(engine).has_table("campaign_targets")


@pytest.mark.parametrize("sql", [
    "UPDATE campaigns SET allowed_modes = ''",
    "UPDATE campaigns SET default_target = 0",
    "INSERT INTO campaign_targets (campaign_id, area_id, target) VALUES (:c, :a, -1)",
])
def test_the_checks_hold_in_the_database(engine: Engine, sql: str) -> None:
    city = make_city(engine)
    with pytest.raises(IntegrityError), engine.begin() as conn:
        conn.execute(text(sql), {"c": city.campaign_id, "a": city.area_id("Q1")})
