"""Use cases for interview drafts: save at every step, offer for resumption, expire.

Drafts belong to the helper who started them; only that helper sees them. A draft older
than ``STADTRAUM_DRAFT_TTL_HOURS`` is not offered any more and is removed by
:func:`purge_expired`.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import delete, select
from sqlalchemy.engine import Engine
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session

from stadtraum.collect.interview import Interview
from stadtraum.collect.submit import SubmitResult, submit_response
from stadtraum.errors import NotSavedError
from stadtraum.store.db import InterviewDraft, utcnow, write_engine


def save_draft(engine: Engine, interview: Interview) -> None:
    with Session(write_engine(engine)) as session, session.begin():
        row = session.get(InterviewDraft, interview.response_id)
        if row is None:
            row = InterviewDraft(response_uuid=interview.response_id,
                                 entered_by=interview.entered_by,
                                 campaign_id=interview.campaign_id)
            session.add(row)
        row.step = interview.step
        row.state_json = interview.to_json()
        row.frozen = interview.frozen
        row.updated_at = utcnow()


def open_drafts(engine: Engine, entered_by: str, ttl_hours: float,
                now: dt.datetime | None = None) -> list[Interview]:
    """The helper's unfinished interviews, newest first, not older than ``ttl_hours``."""
    cutoff = (now or utcnow()) - dt.timedelta(hours=ttl_hours)
    with Session(engine) as session:
        rows = session.scalars(select(InterviewDraft)
                               .where(InterviewDraft.entered_by == entered_by,
                                      InterviewDraft.updated_at >= cutoff)
                               .order_by(InterviewDraft.updated_at.desc())).all()
        return [Interview.from_json(r.state_json) for r in rows]


def discard_draft(engine: Engine, response_id: str) -> None:
    with Session(write_engine(engine)) as session, session.begin():
        session.execute(delete(InterviewDraft)
                        .where(InterviewDraft.response_uuid == response_id))


def purge_expired(engine: Engine, ttl_hours: float, now: dt.datetime | None = None) -> int:
    cutoff = (now or utcnow()) - dt.timedelta(hours=ttl_hours)
    with Session(write_engine(engine)) as session, session.begin():
        result = session.execute(delete(InterviewDraft)
                                 .where(InterviewDraft.updated_at < cutoff))
        return int(result.rowcount or 0)  # type: ignore[attr-defined]


def send_interview(engine: Engine, interview: Interview) -> SubmitResult:
    """Freeze the payload, keep it in the draft, submit it; the draft goes once stored.

    On :class:`NotSavedError` the frozen draft stays, so "erneut senden" (also after a
    reload or a server restart) sends exactly the same content."""
    payload = interview.freeze()
    try:
        save_draft(engine, interview)
    except DBAPIError as exc:  # the database is down: nothing stored, the session keeps it
        raise NotSavedError("Nicht gespeichert – bitte erneut senden.",
                            f"draft not saved: {exc.orig}") from exc
    result = submit_response(engine, payload)
    discard_draft(engine, interview.response_id)
    return result
