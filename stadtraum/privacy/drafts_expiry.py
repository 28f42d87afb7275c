"""Use case: delete interview drafts nobody has touched for ``days`` days (default 7).

A draft holds a half-finished interview, ratings and comments included. A helper resumes it
within hours; one left for a week is abandoned and must not keep personal answers. The
command ``stadtraum maintenance`` runs this daily; the Datenschutz page has a button for it.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import delete
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session

from stadtraum.accounts.permissions import Actor, require
from stadtraum.errors import ValidationError
from stadtraum.privacy.scrub_storage import scrub_storage
from stadtraum.store.audit import audit
from stadtraum.store.db import InterviewDraft, utcnow
from stadtraum.store.engine import write_engine

__all__ = ["DEFAULT_DRAFT_DAYS", "check_days", "expire_drafts"]

DEFAULT_DRAFT_DAYS = 7
MAX_DAYS = 3650


def check_days(days: int) -> int:
    """``days`` if it is a whole number of days from 1 to 3650, else a German error."""
    if isinstance(days, bool) or not isinstance(days, int) or not 1 <= days <= MAX_DAYS:
        raise ValidationError(f"Die Frist für Entwürfe muss eine ganze Zahl von 1 bis "
                              f"{MAX_DAYS} Tagen sein (angegeben: {days}).",
                              f"draft age must be 1..{MAX_DAYS} days, got {days!r}",
                              field="days")
    return days


def expire_drafts(engine: Engine, *, days: int = DEFAULT_DRAFT_DAYS, actor: Actor,
                  now: dt.datetime | None = None) -> int:
    """Delete the drafts last saved more than ``days`` days before ``now``; returns how
    many. Audited with the count (also when it is 0, so the daily run shows in the log).
    Needs ``responses.delete``."""
    require(actor, "responses.delete")
    check_days(days)
    cutoff = (now or utcnow()) - dt.timedelta(days=days)
    with Session(write_engine(engine)) as session, session.begin():
        result = session.execute(delete(InterviewDraft)
                                 .where(InterviewDraft.updated_at < cutoff))
        count = int(result.rowcount or 0)  # type: ignore[attr-defined]
        audit(session, actor.name, "expire_drafts", "interview_draft", None, count=count,
              days=days)
    if count:
        scrub_storage(engine, ("interview_drafts",))
    return count
