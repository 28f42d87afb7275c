"""Bulk loading of many responses at once (demo data, benchmark, large paper imports).

Rows are written in large batches (SQLite ``executemany``, PostgreSQL ``COPY``) inside one
write transaction per batch; the change counter is bumped once per batch. The comments'
moderation state is the batch's ``comment_status`` (one for all) or ``comment_statuses`` (one
per comment, in the order of ``comments``); by default they wait for moderation ("new").
"""

from __future__ import annotations

import datetime as dt
import uuid as uuidlib
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np
from sqlalchemy import func, select
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session

from stadtraum.store.changes import next_change_seq
from stadtraum.store.db import Response
from stadtraum.store.engine import write_engine
from stadtraum.vocab import AGE_BANDS, COMMENT_STATUSES, GENDERS, MODES, RELATIONS

Progress = Callable[[int, int], None]


@dataclass
class BulkBatch:
    """Responses of one campaign as arrays (codes are vocabulary indices, -1 = none)."""

    campaign_id: int
    area_ids: np.ndarray  # database area id per response
    mode: np.ndarray
    age: np.ndarray
    gender: np.ndarray
    relation: np.ndarray
    survey_date: np.ndarray  # datetime64[D]
    scores: np.ndarray  # (N, C) uint8, 0 = keine Angabe
    criteria: Sequence[str]
    comments: Sequence[tuple[int, int, str, str]] = ()  # (row, criterion idx, kind, text)
    priorities: np.ndarray | None = None  # (N, 3) criterion idx or -1
    entered_by: str = "demo"
    uuid_seed: int = 0
    comment_status: str = "new"  # COMMENT_STATUSES: "new", "released" (or "hidden")
    comment_statuses: Sequence[str] | None = None  # per comment; overrides comment_status

    def statuses(self) -> list[str]:
        """The moderation state of each comment (checked against COMMENT_STATUSES)."""
        out = (list(self.comment_statuses) if self.comment_statuses is not None
               else [self.comment_status] * len(self.comments))
        if len(out) != len(self.comments):
            raise ValueError(f"{len(out)} comment statuses for {len(self.comments)} comments")
        unknown = set(out) - set(COMMENT_STATUSES.codes)
        if unknown:
            raise ValueError(f"unknown comment status {sorted(unknown)}")
        return out


def _uuids(seed: int, start: int, n: int) -> list[str]:
    rng = np.random.default_rng([seed, start])
    raw = rng.integers(0, 256, size=(n, 16), dtype=np.uint8)
    return [str(uuidlib.UUID(bytes=bytes(r), version=4)) for r in raw]


def _code(vocab_codes: tuple[str, ...], i: int) -> str | None:
    return None if i < 0 else vocab_codes[i]


def insert_batch(engine: Engine, b: BulkBatch, *, chunk: int = 50_000,
                 progress: Progress | None = None) -> int:
    n = len(b.area_ids)
    statuses = b.statuses()
    done = 0
    now = dt.datetime.now(dt.UTC)
    pg = engine.dialect.name == "postgresql"
    for start in range(0, n, chunk):
        stop = min(n, start + chunk)
        ids = _uuids(b.uuid_seed, start, stop - start)
        with Session(write_engine(engine)) as session, session.begin():
            seq = next_change_seq(session)
            first = int(session.scalar(select(func.coalesce(func.max(Response.id), 0))) or 0) + 1
            rows = []
            for i in range(start, stop):
                rows.append((first + i - start, ids[i - start], b.campaign_id,
                             int(b.area_ids[i]), MODES.codes[int(b.mode[i])], b.entered_by, now,
                             str(b.survey_date[i]), _code(AGE_BANDS.codes, int(b.age[i])),
                             _code(GENDERS.codes, int(b.gender[i])),
                             _code(RELATIONS.codes, int(b.relation[i])), 1, 1, "valid",
                             "bulk-" + ids[i - start], seq))
            sc = b.scores[start:stop]
            r_idx, c_idx = np.nonzero(sc)
            ratings = list(zip((r_idx + first).tolist(), [b.criteria[int(c)] for c in c_idx],
                               sc[r_idx, c_idx].tolist(), strict=True))
            comments = [(first + r - start, b.criteria[c], kind, text, status)
                        for (r, c, kind, text), status in zip(b.comments, statuses, strict=True)
                        if start <= r < stop]
            prios: list[tuple[int, int, str]] = []
            if b.priorities is not None:
                for r, row in enumerate(b.priorities[start:stop]):
                    prios += [(first + r, k + 1, b.criteria[int(c)])
                              for k, c in enumerate(row) if c >= 0]
            _write(session, pg, rows, ratings, comments, prios)
        done = stop
        if progress:
            progress(done, n)
    return done


_RESP_COLS = ("id", "uuid", "campaign_id", "area_id", "mode", "entered_by", "created_at",
              "survey_date", "age_band", "gender", "relation", "participants", "version",
              "status", "content_hash", "change_seq")


def _write(session: Session, pg: bool, rows: Sequence[tuple[object, ...]],
           ratings: Sequence[tuple[object, ...]], comments: Sequence[tuple[object, ...]],
           prios: Sequence[tuple[object, ...]]) -> None:
    conn = session.connection()
    raw = conn.connection.dbapi_connection
    assert raw is not None
    tables = [("responses", _RESP_COLS, rows),
              ("ratings", ("response_id", "criterion_id", "score"), ratings),
              ("comments", ("response_id", "criterion_id", "kind", "text", "status"), comments),
              ("priorities", ("response_id", "rank", "criterion_id"), prios)]
    cur = raw.cursor()
    for table, cols, data in tables:
        if not data:
            continue
        if pg:
            with cur.copy(f"COPY {table} ({', '.join(cols)}) FROM STDIN") as copy:
                for row in data:
                    copy.write_row(row)
        else:
            marks = ", ".join("?" for _ in cols)
            cur.executemany(f"INSERT INTO {table} ({', '.join(cols)}) VALUES ({marks})", data)
    if pg:
        cur.execute("SELECT setval(pg_get_serial_sequence('responses', 'id'), "
                    "(SELECT MAX(id) FROM responses))")
    cur.close()


