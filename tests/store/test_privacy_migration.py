"""Migration 0013 (data protection) on SQLite and PostgreSQL: comments stored before it count
as released (planners saw them before moderation existed), new ones wait as "new"; campaigns
closed before it get a closing time of now and every campaign keeps its raw data 24 months;
the new CHECK constraints hold."""

from __future__ import annotations

import pytest
from sqlalchemy import text
from sqlalchemy.engine import Engine
from sqlalchemy.exc import IntegrityError

from stadtraum.collect.submit import submit_response
from stadtraum.store.migrate import migrate, run_alembic
from tests.helpers import make_city, make_payload


def test_old_comments_are_released_and_new_ones_wait(engine: Engine) -> None:
    city = make_city(engine)
    submit_response(engine, make_payload(city.campaign_id))
    run_alembic(engine, "downgrade", "0012")
    with engine.begin() as conn:
        conn.execute(text("UPDATE campaigns SET status = 'closed'"))
        rid = conn.execute(text("SELECT min(id) FROM responses")).scalar_one()
        conn.execute(text("INSERT INTO comments (response_id, criterion_id, kind, text) VALUES "
                          "(:r, 'moving_around', 'good', 'alt')"), {"r": rid})
    migrate(engine)
    with engine.begin() as conn:
        assert conn.execute(text("SELECT status FROM comments")).scalars().all() == ["released"]
        conn.execute(text("INSERT INTO comments (response_id, criterion_id, kind, text) VALUES "
                          "(:r, 'moving_around', 'better', 'neu')"), {"r": rid})
        rows = conn.execute(text("SELECT text, status FROM comments ORDER BY id")).all()
        campaigns = conn.execute(text("SELECT retention_months, closed_at IS NOT NULL, "
                                      "purged_at, results_public FROM campaigns")).all()
    assert [tuple(r) for r in rows] == [("alt", "released"), ("neu", "new")]
    assert [tuple(r) for r in campaigns] == [(24, True, None, False)]


@pytest.mark.parametrize("sql", [
    "UPDATE comments SET status = 'secret'",
    "UPDATE campaigns SET retention_months = 0",
])
def test_the_checks_hold_in_the_database(engine: Engine, sql: str) -> None:
    city = make_city(engine)
    submit_response(engine, make_payload(city.campaign_id))
    with engine.begin() as conn:
        rid = conn.execute(text("SELECT min(id) FROM responses")).scalar_one()
        conn.execute(text("INSERT INTO comments (response_id, criterion_id, kind, text) VALUES "
                          "(:r, 'moving_around', 'good', 'x')"), {"r": rid})
    with pytest.raises(IntegrityError), engine.begin() as conn:
        conn.execute(text(sql))
