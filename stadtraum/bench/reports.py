"""``stadtraum bench``, reports section (issue 12, item 8): the printable reports on the demo
city (30 quarters, two waves), built the way the app and the command line build them.

- Area report PDF (internal, live figures: the heaviest content — profile, priorities,
  comments, wave comparison): median over several quarters, and its HTML alone. Target ≤ 3 s.
- City report PDF (14 small maps and the index map over 30 quarters, the overall table):
  target ≤ 30 s.

The engine's arrays are loaded first (the app holds them anyway). Run on its own with
``python -m stadtraum.bench.reports [N]`` (a temporary SQLite database with the demo city).
"""

from __future__ import annotations

import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session

from stadtraum.accounts.permissions import SYSTEM
from stadtraum.analysis.cube_store import CubeProvider
from stadtraum.reports.area_report import build_area_report
from stadtraum.reports.city_report import build_city_report
from stadtraum.store.campaigns import find_campaign
from stadtraum.store.queries import areas_frame

__all__ = ["bench_reports"]

AREA_TARGET_S = 3.0
CITY_TARGET_S = 30.0
SAMPLES = 5


def _timed(build: Callable[[], bytes]) -> tuple[float, int]:
    t = time.perf_counter()
    data = build()
    return time.perf_counter() - t, len(data)


def _ok(seconds: float, target: float) -> str:
    return f"≤ {target:.0f} s " + ("✓" if seconds <= target else "✗")


def bench_reports(engine: Engine, provider: CubeProvider, campaign_id: int,
                  label: str) -> list[list[str]]:
    """Rows for the bench table: | Engine | Messung | Wert | Verhältnis | Ziel |."""
    with Session(engine) as session:
        level_id = find_campaign(session, campaign_id).level_id
        codes = areas_frame(session, level_id)["code"].astype(str).tolist()
    provider.get()
    picks = codes[:: max(1, len(codes) // SAMPLES)][:SAMPLES]

    def area(code: str, fmt: str) -> Callable[[], bytes]:
        return lambda: build_area_report(engine, provider, campaign_id, code, actor=SYSTEM,
                                         source="live", fmt=fmt)

    first, _ = _timed(area(picks[0], "pdf"))  # the first report: fonts, caches
    pdf = [_timed(area(code, "pdf")) for code in picks[1:]] or [(first, 0)]
    html = [_timed(area(code, "html"))[0] for code in picks]
    med_pdf = statistics.median(s for s, _ in pdf)
    city_s, city_bytes = _timed(lambda: build_city_report(
        engine, provider, campaign_id, actor=SYSTEM, source="live", fmt="pdf"))
    city_html, _ = _timed(lambda: build_city_report(
        engine, provider, campaign_id, actor=SYSTEM, source="live", fmt="html"))
    kib = statistics.median(b for _, b in pdf) / 1024 if pdf[0][1] else 0.0
    return [
        [label, f"Gebietsbericht PDF, intern (Median über {len(pdf)} Quartiere, je "
         f"{kib:.0f} KiB)", f"{med_pdf:.2f} s", f"erster Bericht {first:.2f} s",
         _ok(med_pdf, AREA_TARGET_S)],
        [label, "Gebietsbericht nur HTML (Median)", f"{statistics.median(html):.2f} s",
         f"{statistics.median(html) / med_pdf:.0%} des PDF", ""],
        [label, f"Stadtbericht PDF, intern ({len(codes)} Quartiere, 15 Karten, "
         f"{city_bytes / 1024:.0f} KiB)", f"{city_s:.1f} s", f"HTML allein {city_html:.2f} s",
         _ok(city_s, CITY_TARGET_S)],
    ]


def main(argv: list[str]) -> int:
    from stadtraum.demo.loader import load_demo
    from stadtraum.store.engine import make_engine
    from stadtraum.store.migrate import migrate
    from stadtraum.store.queries import list_campaigns

    n = int(argv[0]) if argv else 6000
    with tempfile.TemporaryDirectory(prefix="stadtraum-bench-reports-") as folder:
        engine = make_engine(f"sqlite:///{Path(folder) / 'bench.db'}")
        migrate(engine)
        load_demo(engine, n_responses=n)
        with Session(engine) as session:
            campaign = next(c for c in list_campaigns(session) if c.status == "open")
        rows = bench_reports(engine, CubeProvider(engine), campaign.id, "SQLite")
        engine.dispose()
    print("| Engine | Messung | Wert | Verhältnis | Ziel |\n|---|---|---|---|---|")
    for row in rows:
        print("| " + " | ".join(row) + " |")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
