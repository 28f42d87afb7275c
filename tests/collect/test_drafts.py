"""Drafts on SQLite and PostgreSQL: saved at every step, resumed by the same helper only,
expired after the TTL, and a frozen payload resent exactly once."""

from __future__ import annotations

import datetime as dt
import sqlite3
from typing import Any

import pytest
from sqlalchemy import event
from sqlalchemy.engine import Engine

from stadtraum.accounts.permissions import SYSTEM
from stadtraum.collect.drafts import (
    discard_draft,
    open_drafts,
    purge_expired,
    save_draft,
    send_interview,
)
from stadtraum.collect.interview import Interview
from stadtraum.errors import NotSavedError
from stadtraum.store.engine import make_engine
from tests.helpers import count_rows, make_city


def _interview(campaign_id: int, helper: str = "helfer") -> Interview:
    return Interview(campaign_id=campaign_id, entered_by=helper, area_code="Q1", consent=True,
                     step=4, ratings={"moving_around": 6, "public_transport": 2})


def test_save_resume_only_for_the_same_helper_and_expire(engine: Engine) -> None:
    city = make_city(engine)
    iv = _interview(city.campaign_id)
    save_draft(engine, iv, actor=SYSTEM)
    iv.step, iv.ratings["traffic_parking"] = 5, 3
    save_draft(engine, iv, actor=SYSTEM)  # every step overwrites the same draft
    assert count_rows(engine, "interview_drafts") == 1
    resumed = open_drafts(engine, "helfer", ttl_hours=12)
    assert resumed == [iv]
    assert open_drafts(engine, "jemand_anders", ttl_hours=12) == []
    later = dt.datetime.now(dt.UTC) + dt.timedelta(hours=13)
    assert open_drafts(engine, "helfer", ttl_hours=12, now=later) == []
    assert purge_expired(engine, 12) == 0
    assert purge_expired(engine, 12, now=later) == 1
    assert count_rows(engine, "interview_drafts") == 0


def test_send_stores_once_and_removes_the_draft(engine: Engine) -> None:
    city = make_city(engine)
    iv = _interview(city.campaign_id)
    save_draft(engine, iv, actor=SYSTEM)
    first = send_interview(engine, iv, actor=SYSTEM)
    again = send_interview(engine, iv, actor=SYSTEM)  # double tap
    assert first.created and not again.created
    assert count_rows(engine, "responses") == 1 and count_rows(engine, "ratings") == 2
    assert count_rows(engine, "interview_drafts") == 0
    discard_draft(engine, iv.response_id, actor=SYSTEM)  # harmless when already gone


@pytest.mark.parametrize("db_url", ["sqlite"], indirect=True)
def test_locked_database_keeps_the_frozen_draft_and_a_resend_after_reload_stores_once(
        db_url: str) -> None:
    eng = make_engine(db_url)

    @event.listens_for(eng, "connect")
    def _busy(dbapi_connection: Any, _record: Any) -> None:
        dbapi_connection.execute("PRAGMA busy_timeout=100")

    city = make_city(eng)
    iv = _interview(city.campaign_id)
    save_draft(eng, iv, actor=SYSTEM)
    blocker = sqlite3.connect(db_url.removeprefix("sqlite:///"), isolation_level=None)
    try:
        blocker.execute("BEGIN IMMEDIATE")
        with pytest.raises(NotSavedError) as exc:
            send_interview(eng, iv, actor=SYSTEM)
        assert "erneut senden" in exc.value.message_de
    finally:
        blocker.execute("ROLLBACK")
        blocker.close()
    assert count_rows(eng, "responses") == 0 and iv.frozen
    iv.ratings["moving_around"] = 1  # a stray tap after the failed send changes nothing
    save_draft(eng, iv, actor=SYSTEM)
    resumed = open_drafts(eng, "helfer", ttl_hours=12)[0]  # e.g. after a reload
    assert resumed.frozen and resumed.payload().ratings["moving_around"] == 6
    assert send_interview(eng, resumed, actor=SYSTEM).created
    assert count_rows(eng, "responses") == 1
    assert count_rows(eng, "ratings") == 2
    eng.dispose()
