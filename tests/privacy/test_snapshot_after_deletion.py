"""After a deletion the app process that deleted writes a fresh snapshot from its warm engine,
so the next cold start of any process need not read every response again; the new snapshot
holds neither the deleted row nor its values (on SQLite and PostgreSQL)."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session

from stadtraum.accounts.permissions import SYSTEM
from stadtraum.analysis.cube import ResponseCube
from stadtraum.analysis.cube_store import CubeProvider
from stadtraum.collect.submit import submit_response
from stadtraum.privacy.deletion import delete_response
from stadtraum.store.db import Response, StatsSnapshot
from tests.helpers import change_counter, make_city, make_payload


def _snapshots(engine: Engine) -> list[tuple[int, bytes]]:
    with Session(engine) as session:
        return [(int(s), bytes(p)) for s, p in session.execute(
            select(StatsSnapshot.change_seq, StatsSnapshot.payload))]


def test_the_deleting_process_writes_a_snapshot_without_the_row(engine: Engine) -> None:
    city = make_city(engine)
    payloads = [make_payload(city.campaign_id, "Q1", {"moving_around": 2 + i % 5})
                for i in range(8)]
    for p in payloads:
        submit_response(engine, p)
    provider = CubeProvider(engine, snapshot_after_rows=1)
    provider.get()  # warm, and a snapshot with every row
    assert len(_snapshots(engine)) == 1
    with Session(engine) as session:
        gone = session.scalar(select(Response.id).where(
            Response.uuid == payloads[0].response_id))
    delete_response(engine, payloads[0].response_id, actor=SYSTEM)
    assert _snapshots(engine) == []
    assert provider.save_current()
    ((seq, blob),) = _snapshots(engine)
    assert seq == change_counter(engine)
    stored = ResponseCube.from_bytes(blob)
    assert stored.n == 7 and int(gone) not in stored.col("ids").tolist()
    cold = CubeProvider(engine).get()
    assert cold.n == 7 and sorted(cold.col("ids").tolist()) == sorted(stored.col("ids").tolist())
