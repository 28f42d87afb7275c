"""Which response numbers were deleted on request: a tombstone keeps a SHA-256 of the UUID
(never the UUID), so a tablet's resend, a paper re-import or a replayed citizen's form cannot
bring a deleted response back, while nothing stored tells whose it was."""

from __future__ import annotations

import hashlib
from collections.abc import Iterable

from sqlalchemy import select
from sqlalchemy.orm import Session

from stadtraum.errors import ConflictError
from stadtraum.store.db import ResponseTombstone

__all__ = ["DELETED_DE", "deleted_among", "refuse_deleted", "uuid_hash"]

DELETED_DE = ("Diese Antwort wurde auf Wunsch gelöscht und kann nicht wieder gespeichert "
              "werden.")


def uuid_hash(response_uuid: str) -> str:
    return hashlib.sha256(response_uuid.strip().lower().encode()).hexdigest()


def deleted_among(session: Session, uuids: Iterable[str]) -> set[str]:
    """The UUIDs of ``uuids`` that were deleted on request."""
    by_hash = {uuid_hash(u): u for u in uuids}
    found: set[str] = set()
    keys = list(by_hash)
    for i in range(0, len(keys), 500):
        found.update(session.scalars(select(ResponseTombstone.uuid_hash).where(
            ResponseTombstone.uuid_hash.in_(keys[i:i + 500]))))
    return {by_hash[h] for h in found}


def refuse_deleted(session: Session, response_uuid: str) -> None:
    """Raise :class:`ConflictError` if ``response_uuid`` was deleted on request."""
    if deleted_among(session, [response_uuid]):
        raise ConflictError(DELETED_DE, f"response {response_uuid} was deleted on request")
