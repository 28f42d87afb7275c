"""Several processes submitting the same responses at once store each exactly once."""

from __future__ import annotations

import multiprocessing as mp
import queue
import random
import sys
import traceback
import types
import uuid
from typing import Any

import pytest
from sqlalchemy import text
from sqlalchemy.engine import Engine

from stadtraum.collect.submit import submit_response
from stadtraum.store.engine import make_engine
from tests.helpers import count_rows, make_city, make_payload

N_RESPONSES = 300
N_PROCESSES = 4
CRITERIA = ("moving_around", "housing", "feeling_safe", "natural_space")


def _payloads(campaign_id: int, ids: list[str]) -> dict[str, Any]:
    """The same content for every process: ratings derived from the position of the id."""
    return {rid: make_payload(campaign_id, ("Q1", "Q2", "Q3")[i % 3],
                              {c: 1 + (i + k) % 7 for k, c in enumerate(CRITERIA)},
                              response_id=rid)
            for i, rid in enumerate(ids)}


def _order(ids: list[str], which: int) -> list[str]:
    """Four different orders; the first two collide on the same id almost every step."""
    if which == 0:
        return list(ids)
    if which == 1:  # pairs swapped: 1, 0, 3, 2, ...
        return [ids[i ^ 1] for i in range(len(ids))]
    if which == 2:
        return ids[::-1]
    order = list(ids)
    random.Random(which).shuffle(order)
    return order


def _worker(url: str, campaign_id: int, ids: list[str], seed: int, barrier: Any,
            results: Any) -> None:
    """Child process: submit all ids in its own order; report (created, errors)."""
    created, errors = 0, []
    engine = make_engine(url)
    try:
        payloads = _payloads(campaign_id, ids)
        order = _order(ids, seed)
        barrier.wait(timeout=120)
        for rid in order:
            try:
                created += submit_response(engine, payloads[rid]).created
            except Exception:  # report every failure to the parent
                errors.append(traceback.format_exc())
    except Exception:
        errors.append(traceback.format_exc())
    finally:
        engine.dispose()
        results.put((seed, created, errors))


@pytest.mark.slow
def test_four_processes_submit_the_same_responses_once(db_url: str, engine: Engine,
                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    # Streamlit's AppTest (run earlier in the same pytest process) installs the app script as
    # ``__main__``; a spawned child would re-run it. Start the children from a blank main.
    monkeypatch.setitem(sys.modules, "__main__", types.ModuleType("__main__"))
    city = make_city(engine)
    ids = [str(uuid.uuid4()) for _ in range(N_RESPONSES)]
    ctx = mp.get_context("spawn")
    barrier = ctx.Barrier(N_PROCESSES)
    results = ctx.Queue()
    procs = [ctx.Process(target=_worker, args=(db_url, city.campaign_id, ids, seed, barrier,
                                               results))
             for seed in range(N_PROCESSES)]
    for proc in procs:
        proc.start()
    reports: list[tuple[int, int, list[str]]] = []
    try:
        for _ in procs:
            reports.append(results.get(timeout=240))
    except queue.Empty:  # pragma: no cover - a hung child
        pytest.fail(f"only {len(reports)} of {N_PROCESSES} processes reported")
    finally:
        for proc in procs:
            proc.join(timeout=60)
            if proc.is_alive():  # pragma: no cover
                proc.kill()
    assert all(proc.exitcode == 0 for proc in procs)
    errors = [e for _, _, errs in reports for e in errs]
    assert not errors, errors[0]
    assert sum(created for _, created, _ in reports) == N_RESPONSES
    assert count_rows(engine, "responses") == N_RESPONSES
    assert count_rows(engine, "ratings") == N_RESPONSES * len(CRITERIA)
    # every response got its own place in the change order
    assert count_rows(engine, "(SELECT DISTINCT change_seq FROM responses) t") == N_RESPONSES
    # and the stored content is the one all processes sent
    expected = _payloads(city.campaign_id, ids)
    with engine.connect() as conn:
        rows = conn.execute(text(
            "SELECT p.uuid, r.criterion_id, r.score FROM ratings r "
            "JOIN responses p ON p.id = r.response_id")).all()
    for rid, cid, score in rows:
        assert expected[rid].ratings[cid] == score
