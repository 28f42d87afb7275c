"""Use cases that change a stored response's status: void, accept or reject a flagged one.

A response is never deleted. Its status moves along a small set of allowed transitions; every
change bumps the change counter and stamps the row, so every app process's statistics see it,
and is written to the audit log with who did it and why.
"""

from __future__ import annotations

from collections.abc import Mapping

from sqlalchemy import select
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session

from stadtraum.accounts.permissions import Actor, may, require
from stadtraum.errors import ConflictError, NotFoundError, ValidationError
from stadtraum.store.audit import audit
from stadtraum.store.changes import next_change_seq
from stadtraum.store.db import Response
from stadtraum.store.engine import write_engine
from stadtraum.vocab import STATUSES

# Reasons a helper may give when voiding an interview (code -> German, English label).
VOID_REASONS: Mapping[str, tuple[str, str]] = {
    "wrong_area": ("falsches Gebiet", "wrong area"),
    "consent_withdrawn": ("Einwilligung zurückgezogen", "consent withdrawn"),
    "test": ("Test-Eingabe", "test entry"),
}
# Which status may become which: (from, to) -> action name in the audit log.
_TRANSITIONS: Mapping[tuple[str, str], str] = {
    ("valid", "voided"): "void",
    ("flagged", "voided"): "reject",
    ("flagged", "valid"): "accept",
}


def change_status(engine: Engine, response_uuid: str, status: str, *, actor: Actor,
                  reason: str, expected: str | None = None) -> None:
    """Move one response to ``status``. Voiding needs ``responses.collect`` and, unless the
    actor may review responses (admin), the response must be one the actor entered (a helper
    voids only their own interviews, a moderator only their group's ratings); accepting or
    rejecting a flagged one needs ``responses.review``. ``expected`` is the status the caller
    saw: if someone else changed the response since (an admin accepted it while another
    rejects it), the change is refused instead of silently overriding theirs. The row is
    read and changed in one locked transaction."""
    require(actor, "responses.collect")
    only_entered_by = None if may(actor, "responses.review") else actor.name
    if status not in STATUSES.codes:
        raise ValidationError(f"Unbekannter Status „{status}“.", f"unknown status {status!r}",
                              field="status")
    if not reason.strip():
        raise ValidationError("Bitte einen Grund angeben.", "a reason is required",
                              field="reason")
    with Session(write_engine(engine)) as session, session.begin():
        row = session.scalar(select(Response).where(Response.uuid == response_uuid)
                             .with_for_update())
        if row is None or (only_entered_by is not None and row.entered_by != only_entered_by):
            raise NotFoundError("Diese Befragung gibt es nicht (oder sie stammt von jemand "
                                "anderem).", f"response {response_uuid} not found for actor")
        if row.status == status:
            return  # repeated click: already done, nothing to change
        if expected is not None and row.status != expected:
            raise ConflictError(
                "Diese Befragung wurde inzwischen von jemand anderem geändert (Status jetzt: "
                f"„{STATUSES.label(row.status)}“). Bitte die Liste neu laden.",
                f"response {response_uuid} is {row.status}, caller expected {expected}")
        action = _TRANSITIONS.get((row.status, status))
        if action is None:
            raise ConflictError(
                f"Eine Befragung mit Status „{STATUSES.label(row.status)}“ kann nicht "
                f"„{STATUSES.label(status)}“ werden.",
                f"transition {row.status} -> {status} not allowed")
        if action in ("accept", "reject"):
            require(actor, "responses.review")
        old = row.status
        row.status, row.status_reason = status, reason.strip()
        row.change_seq = next_change_seq(session)
        audit(session, actor.name, action, "response", response_uuid, old=old, new=status,
              reason=reason.strip())


def void_response(engine: Engine, response_uuid: str, reason_code: str, *,
                  actor: Actor) -> None:
    """Void an interview (wrong area, consent withdrawn, test); it leaves the statistics.
    Needs ``responses.collect``; a helper may void only their own (see :func:`change_status`)."""
    require(actor, "responses.collect")
    if reason_code not in VOID_REASONS:
        raise ValidationError("Bitte einen der vorgegebenen Gründe wählen.",
                              f"unknown void reason {reason_code!r}", field="reason")
    change_status(engine, response_uuid, "voided", actor=actor, reason=reason_code,
                  expected="valid")
