"""Loading the statistics engine's arrays from the database and keeping them current.

Cold start: the newest snapshot (a serialised cube stored in the database, so every app
process and server shares it) plus the rows changed since; without a snapshot, a full read.
Warm: one cheap read of the change counter per view; when it moved, only the responses with a
higher ``change_seq`` are read and upserted. Writers bump the counter inside their
transaction (row lock), so commit order equals counter order on both engines.

Deleted responses leave no row to read: their tombstones (:mod:`stadtraum.store.tombstones`)
with a higher ``change_seq`` are applied first (the rows are removed from the cube, a
campaign-wide tombstone removes all of the campaign's rows), then the changed rows are upserted
(SQLite may give a deleted row's id to a later response). A snapshot is written only when no
tombstone is newer than the cube, under the change counter's lock, so a snapshot never
brings back a deleted row.
"""

from __future__ import annotations

import logging
import threading
import time
import zipfile
from collections import OrderedDict
from collections.abc import Callable, Hashable
from typing import Any, TypeVar

import numpy as np
from sqlalchemy import delete, select, text
from sqlalchemy.engine import Connection, Engine
from sqlalchemy.orm import Session

from stadtraum.analysis.cube import FORMAT_VERSION, CubeRows, ResponseCube
from stadtraum.store.catalogues import criterion_universe
from stadtraum.store.db import ChangeCounter, ResponseTombstone, StatsSnapshot
from stadtraum.store.engine import write_engine
from stadtraum.vocab import AGE_BANDS, GENDERS, MODES, RELATIONS, STATUSES

log = logging.getLogger(__name__)
SNAPSHOT_AFTER_ROWS = 20_000  # write a new snapshot when a load read at least this many rows
_CHUNK = 100_000
DERIVED_ENTRIES = 8  # solved campaign groups kept per process (a few MB each)
T = TypeVar("T")


def read_change_seq(conn: Connection) -> int:
    return int(conn.execute(select(ChangeCounter.value).where(ChangeCounter.id == 1))
               .scalar_one_or_none() or 0)


_PACK = 20  # criteria per packed column: 3 bits per score, 60 bits of an int64


def _case(column: str, codes: tuple[str, ...], params: dict[str, object], tag: str) -> str:
    """SQL that maps a code column to its vocabulary index (-1 for NULL/unknown)."""
    whens = []
    for i, code in enumerate(codes):
        params[f"{tag}{i}"] = code
        whens.append(f"WHEN :{tag}{i} THEN {i}")
    return f"CASE {column} {' '.join(whens)} ELSE -1 END"


def _rows_sql(dialect: str, criteria: tuple[str, ...],
             since_seq: int) -> tuple[str, dict[str, object]]:
    params: dict[str, object] = {"s": since_seq}
    packs = []
    for j in range(0, len(criteria), _PACK):
        whens = []
        for i, cid in enumerate(criteria[j:j + _PACK]):
            params[f"c{j + i}"] = cid
            whens.append(f"WHEN :c{j + i} THEN {3 * i}")
        shift = f"CASE criterion_id {' '.join(whens)} ELSE NULL END"
        packs.append(f"SUM(CAST(score AS BIGINT) * (CAST(1 AS BIGINT) << ({shift}))) AS pk{j}")
    day = ("CAST(julianday(p.survey_date) - julianday('2000-01-01') AS INTEGER)"
           if dialect == "sqlite" else "(p.survey_date - DATE '2000-01-01')")
    where = "" if since_seq <= 0 else (
        " WHERE response_id IN (SELECT id FROM responses WHERE change_seq > :s)")
    cols = ", ".join(f"COALESCE(r.pk{j}, 0)" for j in range(0, len(criteria), _PACK))
    # A delta (since_seq > 0) is a few rows: SQLite would still walk all responses in id
    # order to skip a sort; "+p.id" lets it take the change_seq index (0.2 s -> 2 ms at a
    # million responses). A full load keeps the plain order (one pass, no sort).
    order = "+p.id" if dialect == "sqlite" and since_seq > 0 else "p.id"
    sql = (
        f"SELECT p.id, p.campaign_id, p.area_id, {_case('p.mode', MODES.codes, params, 'm')}, "
        f"{_case('p.age_band', AGE_BANDS.codes, params, 'a')}, "
        f"{_case('p.gender', GENDERS.codes, params, 'g')}, "
        f"{_case('p.relation', RELATIONS.codes, params, 'r')}, {day}, "
        f"{_case('p.status', STATUSES.codes, params, 'st')}, {cols} "
        f"FROM responses p LEFT JOIN (SELECT response_id, {', '.join(packs)} FROM ratings{where} "
        "GROUP BY response_id) r ON r.response_id = p.id "
        f"WHERE p.change_seq > :s ORDER BY {order}")
    return sql, params


def load_rows(conn: Connection, criteria: tuple[str, ...], since_seq: int) -> CubeRows:
    """All responses with ``change_seq > since_seq`` and their ratings, as arrays.

    The database does the heavy lifting: codes become integers and each response's ratings
    are packed into 64-bit integers (3 bits per criterion), so a million responses are a
    million rows of integers, not fourteen million rating rows."""
    sql, params = _rows_sql(conn.dialect.name, criteria, since_seq)
    result = conn.execute(text(sql), params)
    n_pack = (len(criteria) + _PACK - 1) // _PACK
    chunks = []
    while batch := result.fetchmany(_CHUNK):
        chunks.append(np.array(batch, dtype=np.int64).reshape(len(batch), 9 + n_pack))
    data = np.concatenate(chunks) if chunks else np.zeros((0, 9 + n_pack), dtype=np.int64)
    scores = np.zeros((len(criteria), len(data)), dtype=np.uint8)
    for k in range(len(criteria)):
        packed = data[:, 9 + k // _PACK]
        scores[k] = (packed >> (3 * (k % _PACK))) & 7
    return CubeRows(
        ids=data[:, 0].copy(), campaign=data[:, 1].astype(np.int32),
        area=data[:, 2].astype(np.int32), mode=data[:, 3].astype(np.int8),
        age=data[:, 4].astype(np.int8), gender=data[:, 5].astype(np.int8),
        relation=data[:, 6].astype(np.int8), day=data[:, 7].astype(np.int32),
        status=data[:, 8].astype(np.int8), scores=scores)


def load_snapshot(conn: Connection) -> ResponseCube | None:
    query = select(StatsSnapshot.payload).where(
        StatsSnapshot.format_version == FORMAT_VERSION).order_by(
        StatsSnapshot.change_seq.desc()).limit(1)
    if conn.dialect.name == "postgresql":
        # binary transfer: bytea as text would be hex, twice the size and slow to decode
        raw: Any = conn.connection.dbapi_connection  # a psycopg connection
        with raw.cursor(binary=True) as cur:
            cur.execute(str(query.compile(dialect=conn.dialect,
                                          compile_kwargs={"literal_binds": True})))
            row = cur.fetchone()
    else:
        row = conn.execute(query).first()
    if row is None:
        return None
    blob = row[0]
    del row
    try:
        return ResponseCube.from_bytes(blob if isinstance(blob, bytes) else bytes(blob))
    except (ValueError, KeyError, OSError, EOFError, zipfile.BadZipFile) as exc:
        # a stale format or a damaged blob: rebuild instead
        log.warning("ignoring unreadable statistics snapshot: %s", exc)
        return None


def load_tombstones(conn: Connection, since_seq: int) -> tuple[np.ndarray, np.ndarray]:
    """The row ids and the campaign ids (whole campaigns purged) deleted after ``since_seq``.
    A tombstone without row id but with a UUID hash only guards against resends (its id was
    given to a later row, whose tombstone covers both)."""
    rows = conn.execute(select(ResponseTombstone.response_id, ResponseTombstone.campaign_id,
                               ResponseTombstone.uuid_hash)
                        .where(ResponseTombstone.change_seq > since_seq)).all()
    ids = [int(r) for r, _, _ in rows if r is not None]
    campaigns = sorted({int(c) for r, c, h in rows if r is None and h is None})
    return np.array(ids, dtype=np.int64), np.array(campaigns, dtype=np.int64)


def save_snapshot(engine: Engine, cube: ResponseCube) -> bool:
    """Store ``cube`` as the newest snapshot, unless a deletion happened after the cube's
    ``change_seq`` (its rows may be in the cube): False then."""
    blob = cube.to_bytes()
    with Session(write_engine(engine)) as session, session.begin():
        # the counter's row lock orders this against a deletion on PostgreSQL (SQLite: the
        # write lock of BEGIN IMMEDIATE): either the deletion sees and removes this snapshot,
        # or this sees its tombstone
        session.execute(select(ChangeCounter.value).where(ChangeCounter.id == 1)
                        .with_for_update())
        newer = session.scalar(select(ResponseTombstone.id).where(
            ResponseTombstone.change_seq > cube.change_seq).limit(1))
        if newer is not None:
            return False
        session.execute(delete(StatsSnapshot).where(StatsSnapshot.change_seq <= cube.change_seq))
        session.add(StatsSnapshot(change_seq=cube.change_seq, format_version=FORMAT_VERSION,
                                  payload=blob))
    return True


class CubeProvider:
    """Holds one cube per process and brings it up to date when the counter moves."""

    def __init__(self, engine: Engine, *, snapshot_after_rows: int = SNAPSHOT_AFTER_ROWS) -> None:
        self.engine = engine
        self.snapshot_after_rows = snapshot_after_rows
        self._cube: ResponseCube | None = None
        self._lock = threading.Lock()
        self.last_load_seconds = 0.0
        self._derived: OrderedDict[tuple[Hashable, int], object] = OrderedDict()
        self._derived_lock = threading.Lock()

    def derived(self, key: Hashable, build: Callable[[ResponseCube], T]) -> T:
        """A value computed from the cube (e.g. a campaign group's solved tables), cached
        until the data change: the key is ``key`` and the cube's change counter. The
        :data:`DERIVED_ENTRIES` most recently used values are kept; two threads asking for
        the same new value may both build it (the result is the same)."""
        cube = self.get()
        full = (key, cube.change_seq)
        with self._derived_lock:
            if full in self._derived:
                self._derived.move_to_end(full)
                return self._derived[full]  # type: ignore[return-value]
        value = build(cube)
        with self._derived_lock:
            self._derived[full] = value
            self._derived.move_to_end(full)
            while len(self._derived) > DERIVED_ENTRIES:
                self._derived.popitem(last=False)
        return value

    def save_current(self) -> bool:
        """Bring the cube up to date and store it as the newest snapshot: a deletion removes
        every snapshot (they hold the deleted rows), so without this the next cold start of
        any process reads every response again. False when a newer deletion came first."""
        self.get()
        with self._lock:
            return self._cube is not None and save_snapshot(self.engine, self._cube)

    def get(self) -> ResponseCube:
        with self._lock:
            start = time.perf_counter()
            with self.engine.connect() as conn:
                seq = read_change_seq(conn)
                if self._cube is not None and self._cube.change_seq == seq:
                    return self._cube
                with Session(bind=conn) as session:
                    criteria = criterion_universe(session)
                cube = self._cube
                if cube is None or cube.criteria != criteria:
                    cube = load_snapshot(conn)
                    if cube is not None and cube.criteria != criteria:
                        cube = None
                since = 0 if cube is None else cube.change_seq
                gone = load_tombstones(conn, since) if cube is not None else None
                rows = load_rows(conn, criteria, since)
            if cube is None:
                cube = ResponseCube(criteria, capacity=max(1024, len(rows)))
            if gone is not None:
                cube.drop_ids(gone[0])
                cube.drop_campaigns(gone[1])
            cube.upsert(rows)
            cube.change_seq = max(seq, cube.change_seq)
            self._cube = cube
            if len(rows) >= self.snapshot_after_rows:
                save_snapshot(self.engine, cube)
            self.last_load_seconds = time.perf_counter() - start
            return cube
