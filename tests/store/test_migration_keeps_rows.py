"""Migrations that rebuild a table on SQLite (Alembic's batch mode: copy, DROP, rename) keep
every row that refers to it. With foreign keys on, SQLite's DROP TABLE deletes the children
first: ``ON DELETE CASCADE`` children (targets, invitation codes, published cells, drafts)
would vanish silently and a response would make the migration fail. Here a populated
database goes down to 0010 and up to the newest revision, which rebuilds ``campaigns``
several times, and nothing is lost."""

from __future__ import annotations

from sqlalchemy import text
from sqlalchemy.engine import Engine

from stadtraum.collect.submit import submit_response
from stadtraum.store.migrate import migrate, run_alembic
from tests.helpers import count_rows, make_city, make_payload

TABLES = ("responses", "ratings", "comments", "campaign_targets", "invitation_codes",
          "published_cells", "interview_drafts")


def test_rebuilding_campaigns_keeps_its_children(engine: Engine) -> None:
    city = make_city(engine)
    submit_response(engine, make_payload(city.campaign_id, comments=[
        ("moving_around", "good", "Schöne Wege")]))
    with engine.begin() as conn:
        params = {"c": city.campaign_id, "a": city.area_id("Q1")}
        conn.execute(text("INSERT INTO campaign_targets (campaign_id, area_id, target) "
                          "VALUES (:c, :a, 40)"), params)
        conn.execute(text("INSERT INTO invitation_codes (campaign_id, code_hash, batch, used) "
                          "VALUES (:c, 'h', 1, false)"), params)
        conn.execute(text("INSERT INTO published_cells (campaign_id, level, area_code, "
                          "criterion_id, value, basis_n, published_at) VALUES "
                          "(:c, 'Quartier', 'Q1', '', 4.0, 5, CURRENT_TIMESTAMP)"), params)
        conn.execute(text("INSERT INTO interview_drafts (response_uuid, entered_by, "
                          "campaign_id, step, state_json, frozen, created_at, updated_at) "
                          "VALUES ('d', 'erika', :c, 0, '{}', false, CURRENT_TIMESTAMP, "
                          "CURRENT_TIMESTAMP)"), params)
    before = {t: count_rows(engine, t) for t in TABLES}
    assert all(before.values()), before
    run_alembic(engine, "downgrade", "0010")
    migrate(engine)
    assert {t: count_rows(engine, t) for t in TABLES} == before
