"""The audit log: who did what to which object, written in the same transaction as the change
(the caller owns the session). The detail is JSON; it records that something happened, never a
response's content."""

from __future__ import annotations

import json

from sqlalchemy.orm import Session

from stadtraum.store.db import AuditEntry

__all__ = ["audit"]


def audit(session: Session, actor: str | None, action: str, object_type: str,
          object_id: object, **detail: object) -> None:
    session.add(AuditEntry(actor=actor, action=action, object_type=object_type,
                           object_id=None if object_id is None else str(object_id),
                           detail=json.dumps(detail, ensure_ascii=False, default=str)))
