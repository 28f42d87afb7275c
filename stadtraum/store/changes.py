"""The change counter: every write that changes what the statistics engine holds (a new
response, a status change, a campaign's min_n or status) bumps it in the same transaction, and
every engine in every process catches up on the rows with a higher ``change_seq``."""

from __future__ import annotations

from sqlalchemy import update
from sqlalchemy.orm import Session

from stadtraum.store.db import ChangeCounter

__all__ = ["next_change_seq"]


def next_change_seq(session: Session) -> int:
    """Bump the change counter; its row lock orders concurrent writers by commit."""
    value = session.execute(
        update(ChangeCounter).where(ChangeCounter.id == 1)
        .values(value=ChangeCounter.value + 1).returning(ChangeCounter.value)).scalar_one()
    return int(value)
