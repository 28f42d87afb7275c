"""Benchmark of the response export (DESIGN §8: 1,000,000 responses to CSV, streamed,
constant memory, ≤ 30 s) against a naive export measured in the same run.

Each variant runs in its own process, so its peak memory (VmHWM) is its own. The streamed
export is measured the way the app and the CLI use it: the statistics engine's arrays are
loaded first (the app holds them anyway); its time and the extra memory it needs on top of
them are reported, for half of the responses and for all of them — equal extra memory at
both sizes is what "constant memory" means here.
"""

from __future__ import annotations

import json
import subprocess
import sys
import tempfile
from pathlib import Path

_STREAMED = """
import json, sys, time
from stadtraum.store.engine import make_engine
from stadtraum.analysis.cube_store import CubeProvider
from stadtraum.exports.responses import plan_export, write_responses_csv
from stadtraum.accounts.permissions import SYSTEM

def hwm():
    return next(int(l.split()[1]) for l in open("/proc/self/status")
                if l.startswith("VmHWM:")) / 1024

engine = make_engine(sys.argv[1])
provider = CubeProvider(engine, snapshot_after_rows=10**12)
t0 = time.perf_counter()
provider.get()
t1 = time.perf_counter()
before = hwm()
plan = plan_export(engine, sys.argv[3].split(","), actor=SYSTEM)
with open(sys.argv[2], "w", encoding="utf-8", newline="") as out:
    rows = write_responses_csv(engine, provider, plan, out, actor=SYSTEM)
t2 = time.perf_counter()
print(json.dumps({"load": t1 - t0, "export": t2 - t1, "rows": rows,
                  "extra_mib": hwm() - before, "hwm_mib": hwm()}))
"""

_NAIVE = """
import json, sys, time
import pandas as pd
from sqlalchemy import text
from stadtraum.store.engine import make_engine

engine = make_engine(sys.argv[1])
t0 = time.perf_counter()
with engine.connect() as conn:
    ratings = pd.read_sql(text(
        "SELECT p.uuid, p.campaign_id, p.area_id, p.mode, p.survey_date, p.age_band, "
        "p.gender, p.relation, r.criterion_id, r.score FROM responses p "
        "JOIN ratings r ON r.response_id = p.id WHERE p.status = 'valid' "
        f"AND p.campaign_id IN ({sys.argv[3]})"), conn)
    areas = pd.read_sql(text("SELECT id AS area_id, code, name FROM areas"), conn)
keys = ["uuid", "campaign_id", "area_id", "mode", "survey_date", "age_band", "gender",
        "relation"]
wide = ratings.pivot(index="uuid", columns="criterion_id", values="score")
meta = ratings.drop_duplicates("uuid")[keys].set_index("uuid")
wide = meta.join(wide).reset_index().merge(areas, on="area_id", how="left")
wide.to_csv(sys.argv[2], index=False)
t1 = time.perf_counter()
hwm = next(int(l.split()[1]) for l in open("/proc/self/status")
           if l.startswith("VmHWM:")) / 1024
print(json.dumps({"export": t1 - t0, "rows": len(wide), "hwm_mib": hwm}))
"""


def de_int(value: float) -> str:
    """An integer with German thousands separators: 1000000 -> 1.000.000 (all bench tables)."""
    return f"{round(value):,}".replace(",", ".")


def _run(script: str, url: str, campaigns: str) -> dict[str, float]:
    with tempfile.TemporaryDirectory(prefix="stadtraum-bench-export-") as folder:
        target = str(Path(folder) / "export.csv")
        done = subprocess.run([sys.executable, "-c", script, url, target, campaigns],
                              capture_output=True, text=True)
    if done.returncode != 0:
        raise RuntimeError(f"export benchmark process failed: {done.stderr[-2000:]}")
    result: dict[str, float] = json.loads(done.stdout.strip().splitlines()[-1])
    return result


def bench_export(url: str, campaign_ids: list[int], label: str) -> list[list[str]]:
    """Rows for the benchmark table: streamed export of all valid responses of the campaigns
    (and of the last one alone, for the memory comparison) against the naive export."""
    every = ",".join(str(c) for c in campaign_ids)
    half = _run(_STREAMED, url, str(campaign_ids[-1]))
    full = _run(_STREAMED, url, every)
    naive = _run(_NAIVE, url, every)
    n = int(full["rows"])
    return [
        [label, f"Export CSV, {de_int(n)} gültige Antworten, gestreamt (Statistik-Speicher "
         "geladen)", f"{full['export']:.1f} s",
         f"{naive['export'] / full['export']:.1f}× schneller als naiv", "≤ 30 s"],
        [label, "Export: zusätzlicher Speicher über dem Statistik-Speicher, "
         f"{de_int(half['rows'])} / {de_int(n)} Antworten",
         f"{half['extra_mib']:.0f} / {full['extra_mib']:.0f} MiB",
         f"Prozess gesamt {full['hwm_mib']:.0f} MiB, naiv {naive['hwm_mib']:.0f} MiB "
         f"({naive['hwm_mib'] / full['hwm_mib']:.1f}×)", "konstant"],
        [label, "Export naiv: alle Zeilen in pandas, pivot, to_csv",
         f"{naive['export']:.1f} s", "", ""],
    ]
