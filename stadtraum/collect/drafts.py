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

from stadtraum.accounts.permissions import Actor, may, require
from stadtraum.collect.interview import Interview
from stadtraum.collect.submit import SubmitResult, submit_response
from stadtraum.errors import NotFoundError, NotSavedError, PermissionDeniedError
from stadtraum.store.db import InterviewDraft, Response, utcnow
from stadtraum.store.engine import write_engine


def _for_others(actor: Actor) -> bool:
    """Whether ``actor`` may act on interviews someone else entered (admin, command line)."""
    return may(actor, "responses.review")


def _own(interview: Interview, actor: Actor) -> None:
    if interview.entered_by != actor.name and not _for_others(actor):
        raise PermissionDeniedError(
            "Diese Befragung wurde unter einem anderen Namen begonnen.",
            f"{actor.name!r} may not save the interview of {interview.entered_by!r}")


def _own_original(engine: Engine, interview: Interview, actor: Actor) -> None:
    """A correction replaces only an interview the actor entered (as in ``correction_of``)."""
    if interview.replaces is None or _for_others(actor):
        return
    with Session(engine) as session:
        by = session.scalar(select(Response.entered_by)
                            .where(Response.uuid == interview.replaces))
    if by != actor.name:
        raise NotFoundError("Diese Befragung gibt es nicht (oder sie stammt von jemand "
                            "anderem).", f"response {interview.replaces} not found for actor")


def save_draft(engine: Engine, interview: Interview, *, actor: Actor) -> None:
    """Save the interview's state (at every step). Needs ``responses.collect``; the
    interview must be the actor's own."""
    require(actor, "responses.collect")
    _own(interview, actor)
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


def discard_draft(engine: Engine, response_id: str, *, actor: Actor) -> None:
    """Drop one of the actor's own drafts (someone else's stays). Needs
    ``responses.collect``."""
    require(actor, "responses.collect")
    query = delete(InterviewDraft).where(InterviewDraft.response_uuid == response_id)
    if not _for_others(actor):
        query = query.where(InterviewDraft.entered_by == actor.name)
    with Session(write_engine(engine)) as session, session.begin():
        session.execute(query)


def purge_expired(engine: Engine, ttl_hours: float, now: dt.datetime | None = None) -> int:
    cutoff = (now or utcnow()) - dt.timedelta(hours=ttl_hours)
    with Session(write_engine(engine)) as session, session.begin():
        result = session.execute(delete(InterviewDraft)
                                 .where(InterviewDraft.updated_at < cutoff))
        return int(result.rowcount or 0)  # type: ignore[attr-defined]


def send_interview(engine: Engine, interview: Interview, *, actor: Actor) -> SubmitResult:
    """Freeze the payload, keep it in the draft, submit it; the draft goes once stored.
    Needs ``responses.collect``; the interview, and the one a correction replaces, must be
    the actor's own.

    On :class:`NotSavedError` the frozen draft stays, so "erneut senden" (also after a
    reload or a server restart) sends exactly the same content."""
    require(actor, "responses.collect")
    _own(interview, actor)
    _own_original(engine, interview, actor)
    payload = interview.freeze()
    try:
        save_draft(engine, interview, actor=actor)
    except DBAPIError as exc:  # the database is down: nothing stored, the session keeps it
        raise NotSavedError("Nicht gespeichert – bitte erneut senden.",
                            f"draft not saved: {exc.orig}") from exc
    result = submit_response(engine, payload)
    discard_draft(engine, interview.response_id, actor=actor)
    return result
