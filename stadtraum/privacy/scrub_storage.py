"""After a deletion has committed: make the database files forget the deleted bytes.

SQLite: every connection runs with ``secure_delete`` (:mod:`stadtraum.store.engine`), so a
deleted row's bytes are zeroed in the page the deletion writes. The older page images, with the
row still in them, may sit in the ``-wal`` file until a checkpoint; ``wal_checkpoint(TRUNCATE)``
copies the zeroed pages into the database file and empties the WAL. A reader holding an old
snapshot can delay the checkpoint: it is retried once after the busy timeout, then logged (the
next deletion or the daily maintenance tries again).

PostgreSQL: a deleted tuple stays in its page until VACUUM marks the space free and a later
write reuses it; VACUUM runs on the touched tables right after the commit (outside a
transaction). The server's WAL segments and backups keep the data until they are recycled or
expire: ``docs/datenschutz.md`` says for how long.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Sequence

from sqlalchemy.engine import Engine

from stadtraum.store.engine import is_sqlite

__all__ = ["RAW_TABLES", "scrub_storage"]

log = logging.getLogger(__name__)
RAW_TABLES = ("responses", "ratings", "comments", "priorities", "interview_drafts",
              "stats_snapshots", "audit_log")
_ATTEMPTS = 2  # each waits up to the connection's busy timeout for readers


def _checkpoint(engine: Engine) -> bool:
    raw = engine.raw_connection()  # pysqlite in autocommit: no BEGIN around the pragma
    try:
        for attempt in range(_ATTEMPTS):
            cur = raw.cursor()
            cur.execute("PRAGMA wal_checkpoint(TRUNCATE)")
            busy = cur.fetchone()
            cur.close()
            if busy is not None and int(busy[0]) == 0:
                return True
            time.sleep(0.05 * (attempt + 1))
    finally:
        raw.close()
    log.warning("WAL checkpoint after a deletion stayed busy; deleted pages remain in the "
                "-wal file until the next checkpoint")
    return False


def scrub_storage(engine: Engine, tables: Sequence[str] = RAW_TABLES) -> bool:
    """Checkpoint the WAL (SQLite) or VACUUM ``tables`` (PostgreSQL); False if SQLite's
    checkpoint could not complete."""
    if is_sqlite(engine):
        return _checkpoint(engine)
    with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
        conn.exec_driver_sql("VACUUM " + ", ".join(tables))
    return True
