"""Submitting a response, exactly once (DESIGN §5 and §7), on SQLite and PostgreSQL."""

from __future__ import annotations

import socket
import sqlite3
import uuid
from typing import Any

import pytest
from sqlalchemy import event, select, text
from sqlalchemy.engine import Engine
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from stadtraum.collect.submit import submit_response
from stadtraum.errors import ConflictError, NotFoundError, NotSavedError, ValidationError
from stadtraum.store.campaigns import set_campaign_status
from stadtraum.store.db import Comment, Priority, Rating, Response
from stadtraum.store.engine import make_engine
from tests.helpers import (
    SURVEY_DATE,
    City,
    change_counter,
    count_rows,
    make_city,
    make_payload,
)


@pytest.fixture
def city(engine: Engine) -> City:
    return make_city(engine)


def _stored(engine: Engine, response_id: str) -> dict[str, Any]:
    """Everything stored for one response, as plain data."""
    with Session(engine) as session:
        r = session.scalar(select(Response).where(Response.uuid == response_id))
        assert r is not None
        ratings = {c: s for c, s in session.execute(
            select(Rating.criterion_id, Rating.score).where(Rating.response_id == r.id))}
        comments = sorted(tuple(row) for row in session.execute(
            select(Comment.criterion_id, Comment.kind, Comment.text)
            .where(Comment.response_id == r.id)))
        priorities = [tuple(row) for row in session.execute(
            select(Priority.rank, Priority.criterion_id).where(Priority.response_id == r.id)
            .order_by(Priority.rank))]
        return {"id": r.id, "area_id": r.area_id, "mode": r.mode, "status": r.status,
                "version": r.version, "replaces_id": r.replaces_id, "hash": r.content_hash,
                "age_band": r.age_band, "survey_date": r.survey_date,
                "change_seq": r.change_seq, "ratings": ratings, "comments": comments,
                "priorities": priorities}


def _nothing_stored(engine: Engine) -> None:
    for table in ("responses", "ratings", "comments", "priorities"):
        assert count_rows(engine, table) == 0, table


def test_valid_submit_stores_everything(engine: Engine, city: City) -> None:
    seq_before = change_counter(engine)
    p = make_payload(city.campaign_id, "Q2", {"housing": 2, "moving_around": "6",
                                              "feeling_safe": None},
                     comments=[("housing", "better", "Mieten zu hoch"),
                               ("moving_around", "good", "<img src=x onerror=alert(1)>")],
                     priorities=("housing", "feeling_safe"), age_band="30_44")
    result = submit_response(engine, p)
    assert result.created and result.response_id == p.response_id
    assert count_rows(engine, "responses") == 1
    got = _stored(engine, p.response_id)
    assert got["id"] == result.row_id
    assert got["area_id"] == city.area_id("Q2")
    assert got["ratings"] == {"moving_around": 6, "housing": 2}  # keine Angabe: no row
    assert got["comments"] == [("housing", "better", "Mieten zu hoch"),
                               ("moving_around", "good", "<img src=x onerror=alert(1)>")]
    assert got["priorities"] == [(1, "housing"), (2, "feeling_safe")]
    assert (got["status"], got["version"], got["replaces_id"]) == ("valid", 1, None)
    assert (got["mode"], got["age_band"], got["survey_date"]) == ("street", "30_44", SURVEY_DATE)
    assert got["change_seq"] == change_counter(engine) == seq_before + 1


def test_same_payload_twice_is_one_row(engine: Engine, city: City) -> None:
    p = make_payload(city.campaign_id, ratings={"housing": 3})
    first = submit_response(engine, p)
    seq = change_counter(engine)
    second = submit_response(engine, p)
    assert first.created and not second.created
    assert second.row_id == first.row_id
    assert count_rows(engine, "responses") == 1
    assert count_rows(engine, "ratings") == 1
    assert change_counter(engine) == seq  # an idempotent resend changes no statistics


def test_resend_with_equivalent_spelling_is_still_the_same(engine: Engine, city: City) -> None:
    p = make_payload(city.campaign_id, ratings={"housing": 3, "moving_around": 5})
    submit_response(engine, p)
    again = make_payload(city.campaign_id, ratings={"moving_around": "5", "housing": 3.0,
                                                    "feeling_safe": None},
                         response_id=p.response_id.upper())
    assert not submit_response(engine, again).created
    assert count_rows(engine, "responses") == 1


def test_same_uuid_other_content_is_a_conflict(engine: Engine, city: City,
                                               caplog: pytest.LogCaptureFixture) -> None:
    p = make_payload(city.campaign_id, ratings={"housing": 3, "moving_around": 5},
                     comments=[("housing", "good", "ruhig")])
    submit_response(engine, p)
    before = _stored(engine, p.response_id)
    changed = make_payload(city.campaign_id, ratings={"housing": 4, "moving_around": 5},
                           comments=[("housing", "good", "ruhig")], response_id=p.response_id)
    with pytest.raises(ConflictError) as exc:
        submit_response(engine, changed)
    assert "Original bleibt" in exc.value.message_de
    assert _stored(engine, p.response_id) == before
    assert count_rows(engine, "responses") == 1
    assert count_rows(engine, "ratings") == 2
    assert any("conflict" in r.getMessage() for r in caplog.records)  # logged


@pytest.mark.parametrize(
    ("ratings", "field"),
    [({"moving_around": 8}, "moving_around"), ({"moving_around": 0}, "moving_around"),
     ({"moving_around": "x"}, "moving_around"), ({"housing": 4, "unknown_id": 3}, "unknown_id"),
     ({}, "ratings")],
    ids=repr,
)
def test_invalid_payload_stores_nothing(engine: Engine, city: City, ratings: dict[str, Any],
                                        field: str) -> None:
    seq = change_counter(engine)
    with pytest.raises(ValidationError) as exc:
        submit_response(engine, make_payload(city.campaign_id, ratings=ratings))
    assert exc.value.field == field
    _nothing_stored(engine)
    assert change_counter(engine) == seq


@pytest.mark.parametrize("status", ["draft", "closed"])
def test_campaign_not_open_is_refused(engine: Engine, city: City, status: str) -> None:
    set_campaign_status(engine, city.campaign_id, status)
    with pytest.raises(ValidationError) as exc:
        submit_response(engine, make_payload(city.campaign_id))
    assert exc.value.field == "campaign"
    assert "nicht geöffnet" in exc.value.message_de
    _nothing_stored(engine)


def test_resend_after_closing_is_still_idempotent(engine: Engine, city: City) -> None:
    p = make_payload(city.campaign_id)
    submit_response(engine, p)
    set_campaign_status(engine, city.campaign_id, "closed")
    assert not submit_response(engine, p).created
    changed = make_payload(city.campaign_id, ratings={"moving_around": 1},
                           response_id=p.response_id)
    with pytest.raises(ConflictError):
        submit_response(engine, changed)
    assert count_rows(engine, "responses") == 1


def test_unknown_campaign_is_not_found(engine: Engine, city: City) -> None:
    with pytest.raises(NotFoundError):
        submit_response(engine, make_payload(city.campaign_id + 100))
    _nothing_stored(engine)


@pytest.mark.parametrize("code", ["Q9", "D1", ""])
def test_area_not_in_the_campaign_level_is_refused(engine: Engine, city: City,
                                                   code: str) -> None:
    # "D1" exists, but on the district level, not on the campaign's quarter level
    with pytest.raises(ValidationError) as exc:
        submit_response(engine, make_payload(city.campaign_id, code))
    assert exc.value.field == "area"
    assert "gehört nicht zur Gebietsebene" in exc.value.message_de
    _nothing_stored(engine)


def test_location_is_assigned_by_the_given_locator(engine: Engine, city: City) -> None:
    calls: list[tuple[float, float, int]] = []

    def locate(lon: float, lat: float, level_id: int) -> str | None:
        calls.append((lon, lat, level_id))
        return "Q3" if lon > 7.22 else None

    p = make_payload(city.campaign_id, None, lon=7.225, lat=51.455)
    submit_response(engine, p, locate=locate)
    assert calls == [(7.225, 51.455, city.quarter_level_id)]
    assert _stored(engine, p.response_id)["area_id"] == city.area_id("Q3")
    with pytest.raises(ValidationError) as exc:
        submit_response(engine, make_payload(city.campaign_id, None, lon=7.0, lat=51.0),
                        locate=locate)
    assert exc.value.field == "location"
    assert count_rows(engine, "responses") == 1


def test_correction_is_a_new_version(engine: Engine, city: City) -> None:
    old = make_payload(city.campaign_id, "Q1", {"housing": 2})
    submit_response(engine, old)
    fix = make_payload(city.campaign_id, "Q1", {"housing": 5}, replaces=old.response_id)
    result = submit_response(engine, fix)
    assert result.created
    before, after = _stored(engine, old.response_id), _stored(engine, fix.response_id)
    assert before["status"] == "superseded" and before["ratings"] == {"housing": 2}
    assert (after["status"], after["version"], after["replaces_id"]) == ("valid", 2,
                                                                         before["id"])
    # the superseded row moved in the change order too, so caches see the status change
    assert before["change_seq"] == after["change_seq"] == change_counter(engine)
    # resending the correction is idempotent
    assert not submit_response(engine, fix).created
    # a second correction of the old version is refused; the newest must be corrected
    with pytest.raises(ConflictError):
        submit_response(engine, make_payload(city.campaign_id, "Q1", {"housing": 6},
                                             replaces=old.response_id))
    third = make_payload(city.campaign_id, "Q1", {"housing": 6}, replaces=fix.response_id)
    submit_response(engine, third)
    assert _stored(engine, third.response_id)["version"] == 3
    assert _stored(engine, fix.response_id)["status"] == "superseded"
    assert count_rows(engine, "responses", "status = 'valid'") == 1
    with pytest.raises(ValidationError) as exc:
        submit_response(engine, make_payload(city.campaign_id, replaces=str(uuid.uuid4())))
    assert exc.value.field == "replaces"
    assert count_rows(engine, "responses") == 3


@pytest.mark.parametrize("score", [8, 0, -1])
def test_database_check_constraint_rejects_bad_scores(engine: Engine, city: City,
                                                      score: int) -> None:
    result = submit_response(engine, make_payload(city.campaign_id, ratings={"housing": 4}))
    with pytest.raises(IntegrityError), engine.begin() as conn:
        conn.execute(text("INSERT INTO ratings (response_id, criterion_id, score) "
                          "VALUES (:r, 'moving_around', :s)"), {"r": result.row_id, "s": score})
    with pytest.raises(IntegrityError), engine.begin() as conn:
        conn.execute(text("UPDATE ratings SET score = :s WHERE response_id = :r"),
                     {"r": result.row_id, "s": score})
    assert _stored(engine, result.response_id)["ratings"] == {"housing": 4}


def test_database_rejects_unknown_mode_and_duplicate_uuid(engine: Engine, city: City) -> None:
    p = make_payload(city.campaign_id)
    submit_response(engine, p)
    with pytest.raises(IntegrityError), engine.begin() as conn:
        conn.execute(text("UPDATE responses SET mode = 'telephone'"))
    with pytest.raises(IntegrityError), engine.begin() as conn:
        conn.execute(text(
            "INSERT INTO responses (uuid, campaign_id, area_id, mode, survey_date, "
            "participants, version, status, content_hash, change_seq, created_at) "
            "SELECT uuid, campaign_id, area_id, mode, survey_date, participants, version, "
            "status, 'x', change_seq, created_at FROM responses"))
    assert count_rows(engine, "responses") == 1


# ------------------------------------------------------------- database unavailable


def _short_busy_timeout(url: str, ms: int = 100) -> Engine:
    """An engine like the app's, but one that gives up on a locked database quickly."""
    eng = make_engine(url)

    @event.listens_for(eng, "connect")
    def _busy(dbapi_connection: Any, _record: Any) -> None:  # runs after db.py's listener
        dbapi_connection.execute(f"PRAGMA busy_timeout={ms}")

    return eng


@pytest.mark.parametrize("db_url", ["sqlite"], indirect=True)
def test_sqlite_locked_gives_not_saved_and_resend_stores_once(db_url: str) -> None:
    assert db_url.startswith("sqlite:///")
    eng = _short_busy_timeout(db_url)
    city = make_city(eng)
    p = make_payload(city.campaign_id, "Q2", {"housing": 5, "feeling_safe": 2})
    blocker = sqlite3.connect(db_url.removeprefix("sqlite:///"), isolation_level=None)
    try:
        blocker.execute("BEGIN IMMEDIATE")  # another writer holds the write lock
        with pytest.raises(NotSavedError) as exc:
            submit_response(eng, p)
        assert "erneut senden" in exc.value.message_de
        _nothing_stored(eng)  # readers are not blocked in WAL mode
    finally:
        blocker.execute("ROLLBACK")
        blocker.close()
    first = submit_response(eng, p)  # "erneut senden": exactly the same payload
    again = submit_response(eng, p)
    assert first.created and not again.created
    assert count_rows(eng, "responses") == 1
    assert count_rows(eng, "ratings") == 2
    eng.dispose()


@pytest.mark.postgres
@pytest.mark.parametrize("db_url", ["postgresql"], indirect=True)
def test_postgres_backends_terminated_between_submits(db_url: str, engine: Engine) -> None:
    assert db_url.startswith("postgresql")
    city = make_city(engine)
    first = make_payload(city.campaign_id, "Q1", {"housing": 3})
    assert submit_response(engine, first).created
    assert engine.pool.checkedin() >= 1  # type: ignore[attr-defined]  # the pool holds a connection that is about to die
    admin = make_engine(db_url).execution_options(isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        killed = conn.execute(text(
            "SELECT count(*) FROM (SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
            "WHERE datname = current_database() AND pid <> pg_backend_pid()) t")).scalar_one()
    admin.dispose()
    assert killed >= 1
    second = make_payload(city.campaign_id, "Q2", {"housing": 4})
    assert submit_response(engine, second).created
    assert not submit_response(engine, first).created
    assert count_rows(engine, "responses") == 2
    assert count_rows(engine, "responses", f"uuid = '{second.response_id}'") == 1


def test_unreachable_postgres_gives_not_saved() -> None:
    """A server that is down (nothing listens on the port) after retries: NotSavedError."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]  # closed again when the block ends: nobody listens
    down = make_engine(f"postgresql+psycopg://postgres@127.0.0.1:{port}/stadtraum")
    try:
        with pytest.raises(NotSavedError) as exc:
            submit_response(down, make_payload(1), attempts=2)
        assert "erneut senden" in exc.value.message_de
    finally:
        down.dispose()
