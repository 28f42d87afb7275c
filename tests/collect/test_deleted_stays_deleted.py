"""A response deleted on request cannot come back, on SQLite and PostgreSQL: the tablet's
resend of the same interview, a re-import of the same paper form and a replay of the same
citizen's form are refused with a German reason, and nothing is stored. And a new comment
starts in the moderation queue unless its campaign releases comments automatically."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import text, update
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session

from stadtraum.accounts.permissions import SYSTEM
from stadtraum.collect.submit import submit_response
from stadtraum.errors import ConflictError, ValidationError
from stadtraum.paper.importer import form_uuid, import_paper
from stadtraum.store.db import Campaign, ResponseTombstone
from stadtraum.store.tombstones import uuid_hash
from tests.helpers import count_rows, make_city, make_payload
from tests.paper_files import csv_bytes, form


def _tombstone(engine: Engine, campaign_id: int, response_uuid: str) -> None:
    """What a deletion leaves behind (the deletion itself is tested in tests/privacy)."""
    with Session(engine) as session, session.begin():
        session.add(ResponseTombstone(response_id=999_999, uuid_hash=uuid_hash(response_uuid),
                                      campaign_id=campaign_id, change_seq=1))


def test_a_resend_of_a_deleted_interview_is_refused(engine: Engine) -> None:
    city = make_city(engine)
    payload = make_payload(city.campaign_id, comments=[("moving_around", "good", "x")])
    _tombstone(engine, city.campaign_id, payload.response_id.upper())
    with pytest.raises(ConflictError) as caught:
        submit_response(engine, payload)
    assert "auf Wunsch gelöscht" in caught.value.message_de
    assert (count_rows(engine, "responses"), count_rows(engine, "comments")) == (0, 0)


def test_a_re_import_of_a_deleted_paper_form_is_refused(engine: Engine) -> None:
    city = make_city(engine)
    _tombstone(engine, city.campaign_id, form_uuid(city.campaign_id, "2"))
    data = csv_bytes([form(1, moving_around=5), form(2, moving_around=3)])
    with pytest.raises(ValidationError) as caught:
        import_paper(engine, data, "boegen.csv", city.campaign_id, entered_by="erika",
                     actor=SYSTEM, today=dt.date(2025, 6, 1))
    assert caught.value.message_de.startswith("Zeile 3: Diese Antwort wurde auf Wunsch gelöscht")
    assert count_rows(engine, "responses") == 0


@pytest.mark.parametrize(("auto", "expected"), [(False, "new"), (True, "released")])
def test_new_comments_start_in_the_queue_unless_released_automatically(
        engine: Engine, auto: bool, expected: str) -> None:
    city = make_city(engine)
    with Session(engine) as session, session.begin():
        session.execute(update(Campaign).values(comments_auto_release=auto))
    submit_response(engine, make_payload(city.campaign_id, comments=[
        ("moving_around", "good", "Schöne Wege")]))
    data = csv_bytes([form(1, moving_around=5, moving_around_gut="Nette Nachbarn")])
    import_paper(engine, data, "boegen.csv", city.campaign_id, entered_by="erika",
                 actor=SYSTEM, today=dt.date(2025, 6, 1))
    with engine.connect() as conn:
        statuses = conn.execute(text("SELECT status FROM comments")).scalars().all()
    assert statuses == [expected, expected]
