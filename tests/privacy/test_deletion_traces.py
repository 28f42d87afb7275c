"""A deleted response is provably gone: the engine's histograms drop by exactly that response
in this process, in a second OS process and on a cold start; a unique marker from its comment
and its UUID are found before the deletion and nowhere after it (the SQLite file and its -wal,
every snapshot blob, the raw responses export)."""

from __future__ import annotations

import io
import subprocess
import sys
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.engine import Engine

from stadtraum.accounts.permissions import SYSTEM, Actor
from stadtraum.analysis.cube import ResponseCube
from stadtraum.analysis.cube_store import CubeProvider
from stadtraum.exports.responses import plan_export, write_responses_csv
from stadtraum.privacy.deletion import delete_response
from stadtraum.privacy.response_number import short_number
from stadtraum.store.db import StatsSnapshot
from stadtraum.store.engine import make_engine
from tests.helpers import count_rows
from tests.privacy.test_deletion_fixture import CHILD_SCRIPT, counts, plant, read_json_line

ROOT = Path(__file__).resolve().parents[2]
ADMIN = Actor("anna", "admin")


def _snapshot_blobs(engine: Engine) -> list[bytes]:
    with engine.connect() as conn:
        return [bytes(b) for b in conn.execute(select(StatsSnapshot.payload)).scalars()]


def _export(engine: Engine, provider: CubeProvider, campaign_id: int) -> str:
    plan = plan_export(engine, [campaign_id], actor=SYSTEM)
    out = io.StringIO()
    write_responses_csv(engine, provider, plan, out, actor=SYSTEM)
    return out.getvalue()


def _files(engine: Engine) -> bytes:
    path = Path(str(engine.url.database))
    wal = path.with_name(path.name + "-wal")
    return path.read_bytes() + (wal.read_bytes() if wal.exists() else b"")


def test_the_engine_drops_exactly_the_deleted_response_in_two_processes(
        engine: Engine, db_url: str) -> None:
    p = plant(engine)  # the target's correction (score 6) is the version that counts
    cid = p.city.campaign_id
    here = CubeProvider(engine)
    child = subprocess.Popen([sys.executable, "-c", CHILD_SCRIPT, db_url, str(cid)],
                             cwd=ROOT, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                             text=True)
    try:
        assert child.stdin is not None and child.stdout is not None
        child.stdin.write("\n")
        child.stdin.flush()
        before_child = read_json_line(child.stdout)  # warmed before the deletion
        before = counts(here.get(), cid)
        assert before == before_child == [1, 1, 1, 1, 1, 1, 0]
        delete_response(engine, p.target, actor=ADMIN)
        child.stdin.write("\n")
        child.stdin.flush()
        after_child = read_json_line(child.stdout)
    finally:
        if child.stdin is not None:
            child.stdin.close()
        child.wait(timeout=60)
    expected = [1, 1, 1, 1, 1, 0, 0]
    assert counts(here.get(), cid) == after_child == expected
    assert counts(CubeProvider(engine).get(), cid) == expected  # cold, no snapshot
    assert here.get().n == 5 and int(here.get().col("ids").max()) > 0


def test_a_warm_engine_snapshot_after_the_deletion_holds_no_deleted_row(engine: Engine) -> None:
    p = plant(engine)
    with engine.connect() as conn:
        ids = [r for r, in conn.exec_driver_sql(
            "SELECT id FROM responses WHERE uuid IN "
            f"('{p.target}', '{p.correction}')")]
    warm = CubeProvider(engine, snapshot_after_rows=1)
    warm.get()
    assert len(_snapshot_blobs(engine)) == 1
    delete_response(engine, p.target, actor=ADMIN)
    assert _snapshot_blobs(engine) == []
    warm.snapshot_after_rows = 0  # the catch-up (0 rows) writes a snapshot now
    cube = warm.get()
    assert not set(ids) & set(cube.col("ids").tolist())
    assert cube._scores[:, cube.n:].sum() == 0  # the freed slots hold no value either
    assert not cube._cols["ids"][cube.n:].any()
    blobs = _snapshot_blobs(engine)
    assert len(blobs) == 1
    stored = ResponseCube.from_bytes(blobs[0])
    assert stored.n == 5 and not set(ids) & set(stored.col("ids").tolist())


def test_marker_and_uuid_are_nowhere_after_the_deletion(engine: Engine) -> None:
    # another process's idle connection (the running app): without it SQLite would
    # checkpoint and remove the -wal file when the last connection closes
    bystander = engine.raw_connection() if engine.dialect.name == "sqlite" else None
    try:
        _marker_and_uuid_are_nowhere(engine)
    finally:
        if bystander is not None:
            bystander.close()


def _marker_and_uuid_are_nowhere(engine: Engine) -> None:
    p = plant(engine)
    cid = p.city.campaign_id
    provider = CubeProvider(engine, snapshot_after_rows=1)
    provider.get()
    secrets = (p.marker, p.target, p.correction)
    sqlite = engine.dialect.name == "sqlite"
    # before: found (so this test can fail)
    if sqlite:
        files = _files(engine)
        assert all(s.encode() in files for s in secrets)
    assert p.correction in _export(engine, provider, cid)
    assert len(_snapshot_blobs(engine)) == 1
    counts_before = {t: count_rows(engine, t) for t in ("responses", "ratings", "comments",
                                                         "priorities")}

    result = delete_response(engine, short_number(p.target), actor=ADMIN)
    assert result.storage_scrubbed

    assert {t: count_rows(engine, t) for t in counts_before} == {
        "responses": counts_before["responses"] - 2, "ratings": counts_before["ratings"] - 4,
        "comments": counts_before["comments"] - 2, "priorities": counts_before["priorities"] - 1}
    assert count_rows(engine, "audit_log", "action = 'delete_response' AND object_type = "
                      f"'campaign' AND object_id = '{cid}'") == 1
    exported = _export(engine, provider, cid)
    assert _export(engine, CubeProvider(engine), cid) == exported
    CubeProvider(engine, snapshot_after_rows=1).get()  # a cold load writes a new snapshot
    blobs = _snapshot_blobs(engine)
    assert len(blobs) == 1
    for secret in secrets:
        assert secret not in exported
        for blob in blobs:
            assert secret.encode() not in blob
    if sqlite:
        files = _files(engine)
        for secret in secrets:
            assert secret.encode() not in files, secret
            assert secret.encode("utf-16-le") not in files


def test_secure_delete_is_on_for_every_connection(tmp_path: Path) -> None:
    engine = make_engine(f"sqlite:///{tmp_path / 'x.db'}")
    for _ in range(2):
        with engine.connect() as conn:
            assert conn.exec_driver_sql("PRAGMA secure_delete").scalar() == 1
    engine.dispose()
