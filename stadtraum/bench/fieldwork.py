"""The field-work dashboard's cost on a large database, against a bare ``SELECT count(*)`` of
the responses measured in the same run.

``python -m stadtraum.bench.fieldwork --responses 1000000`` builds the demo city with that
many responses in a temporary SQLite file (``--url`` for another, empty database), moves
every response to 30 days ago except the newest ``--today`` ones (spread over the last 8
hours: a busy day in the field), and times: the count baseline; the dashboard's first call
(statistics cube and family, today's responses); a refresh when nothing changed (what the
page's 30-second fragment costs); and the first call after one new response.
"""

from __future__ import annotations

import argparse
import datetime as dt
import statistics
import tempfile
import time
import uuid
from collections.abc import Callable
from pathlib import Path

from sqlalchemy import text
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session

from stadtraum.accounts.permissions import SYSTEM
from stadtraum.admin.fieldwork import _received, clear_cache, dashboard
from stadtraum.admin.fieldwork_counts import local_day_start
from stadtraum.analysis.cube_store import CubeProvider
from stadtraum.collect.payload import ResponsePayload
from stadtraum.collect.submit import submit_response
from stadtraum.store.engine import make_engine
from stadtraum.store.migrate import migrate

__all__ = ["bench_fieldwork", "main"]


def _ms(call: Callable[[], object], repeat: int) -> list[float]:
    out = []
    for _ in range(repeat):
        t = time.perf_counter()
        call()
        out.append((time.perf_counter() - t) * 1000)
    return out


def _spread(engine: Engine, today: int) -> None:
    now = dt.datetime.now(dt.UTC)
    with engine.begin() as conn:
        top = int(conn.execute(text("SELECT max(id) FROM responses")).scalar_one())
        conn.execute(text("UPDATE responses SET created_at = :old WHERE id <= :cut"),
                     {"old": now - dt.timedelta(days=30), "cut": top - today})
        rows = conn.execute(text("SELECT id FROM responses WHERE id > :cut"),
                            {"cut": top - today}).scalars().all()
        conn.execute(text("UPDATE responses SET created_at = :at WHERE id = :id"),
                     [{"at": now - dt.timedelta(minutes=(top - int(i)) * 480 / max(today, 1)),
                       "id": int(i)} for i in rows])


def _payload(campaign_id: int, area_code: str) -> ResponsePayload:
    return ResponsePayload(response_id=str(uuid.uuid4()), campaign_id=campaign_id,
                           mode="street", ratings={"moving_around": 4}, area_code=area_code,
                           entered_by="bench")


def bench_fieldwork(engine: Engine, campaign_id: int, area_code: str,
                    repeat: int = 7) -> list[tuple[str, float]]:
    """(measurement, median milliseconds) pairs; see the module docstring."""
    def count() -> object:
        with engine.connect() as conn:
            return conn.execute(text("SELECT count(*) FROM responses")).scalar_one()

    out = [("SELECT count(*) FROM responses (Vergleich)", statistics.median(_ms(count, repeat)))]

    def today() -> object:
        with Session(engine) as session:
            return _received(session, campaign_id, local_day_start(dt.datetime.now(dt.UTC)),
                             1 << 62)

    out.append(("davon: Antworten von heute lesen (je Änderung)",
                statistics.median(_ms(today, repeat))))
    clear_cache()
    provider = CubeProvider(engine)
    t = time.perf_counter()
    provider.get()
    out.append(("Statistik-Würfel laden (einmal je Prozess)", (time.perf_counter() - t) * 1000))
    first = _ms(lambda: dashboard(engine, provider, campaign_id, actor=SYSTEM), 1)[0]
    out.append(("Feldarbeit, erster Aufruf (Familie, Antworten von heute)", first))
    out.append(("Feldarbeit, Aktualisierung ohne Änderung", statistics.median(
        _ms(lambda: dashboard(engine, provider, campaign_id, actor=SYSTEM), repeat * 3))))
    after = []
    for _ in range(repeat):
        submit_response(engine, _payload(campaign_id, area_code))
        after += _ms(lambda: dashboard(engine, provider, campaign_id, actor=SYSTEM), 1)
    out.append(("Feldarbeit nach einer neuen Antwort", statistics.median(after)))
    return out


def main(argv: list[str] | None = None) -> None:
    from stadtraum.demo.loader import QUARTER_LEVEL, load_demo
    from stadtraum.store.queries import areas_frame, current_level, list_campaigns

    parser = argparse.ArgumentParser(prog="python -m stadtraum.bench.fieldwork")
    parser.add_argument("--responses", type=int, default=100_000)
    parser.add_argument("--today", type=int, default=2_000)
    parser.add_argument("--url", default=None, help="an empty database (default: SQLite)")
    args = parser.parse_args(argv)
    url = args.url or f"sqlite:///{Path(tempfile.mkdtemp(prefix='fw-bench-')) / 'bench.db'}"
    engine = make_engine(url)
    migrate(engine)
    t = time.perf_counter()
    load_demo(engine, n_responses=args.responses)
    _spread(engine, args.today)
    with Session(engine) as session:
        campaign = next(c for c in list_campaigns(session) if c.status == "open")
        code = str(areas_frame(session, current_level(session, QUARTER_LEVEL).id)["code"][0])
    print(f"{args.responses:,} Antworten, davon {args.today:,} heute; aufgebaut in "
          f"{time.perf_counter() - t:.0f} s ({engine.dialect.name})")
    for label, ms in bench_fieldwork(engine, campaign.id, code):
        print(f"| {label} | {ms:,.1f} ms |")


if __name__ == "__main__":
    main()
