"""Benchmark of the results export (issue 12: "the results export at 1,000,000 responses")
against a naive export measured in the same run.

The export is measured the way the page, the route and the CLI run it: in a fresh process,
the statistics engine's arrays are loaded first (the app holds them anyway), then each format
is written once (CSV, XLSX, GeoJSON, GeoPackage), each call going through
:func:`stadtraum.exports.results_export.export_results` (permission, the engine's results,
the file, the audit entry). The naive export reads every rating row into pandas, groups by
area and criterion, computes n, mean, confidence interval and median, suppresses n < min_n
(primary only: it is the lower bound of the real work) and writes a CSV.

Run alone: ``python -m stadtraum.bench.results_export --responses 1000000`` (builds a demo
database in a temporary folder), or through ``bench_results_export`` from ``stadtraum bench``.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
from pathlib import Path

from stadtraum.bench.export import de_int

__all__ = ["bench_results_export"]

_ENGINE = """
import json, sys, time
from stadtraum.store.engine import make_engine
from stadtraum.analysis.cube_store import CubeProvider
from stadtraum.exports.results_export import export_results
from stadtraum.accounts.permissions import SYSTEM

def hwm():
    return next(int(l.split()[1]) for l in open("/proc/self/status")
                if l.startswith("VmHWM:")) / 1024

engine = make_engine(sys.argv[1])
campaign = int(sys.argv[2])
provider = CubeProvider(engine, snapshot_after_rows=10**12)
t0 = time.perf_counter()
provider.get()
out = {"load": time.perf_counter() - t0}
for fmt in ("csv", "xlsx", "geojson", "gpkg"):
    t = time.perf_counter()
    data = export_results(engine, provider, campaign, fmt, actor=SYSTEM).data
    out[fmt] = time.perf_counter() - t
    out[fmt + "_bytes"] = len(data)
t = time.perf_counter()
export_results(engine, provider, campaign, "csv", actor=SYSTEM)
out["csv_again"] = time.perf_counter() - t
out["hwm_mib"] = hwm()
print(json.dumps(out))
"""

_NAIVE = """
import json, sys, time
import numpy as np
import pandas as pd
from scipy import stats
from sqlalchemy import text
from stadtraum.store.engine import make_engine

engine = make_engine(sys.argv[1])
t0 = time.perf_counter()
with engine.connect() as conn:
    min_n = conn.execute(text("SELECT min_n FROM campaigns WHERE id = :c"),
                         {"c": int(sys.argv[2])}).scalar_one()
    frame = pd.read_sql(text(
        "SELECT a.code, a.name, r.criterion_id, r.score FROM responses p "
        "JOIN ratings r ON r.response_id = p.id JOIN areas a ON a.id = p.area_id "
        "WHERE p.campaign_id = :c AND p.status = 'valid' "
        "AND p.mode IN ('street', 'paper', 'online')"), conn, params={"c": int(sys.argv[2])})
g = frame.groupby(["code", "name", "criterion_id"])["score"]
out = g.agg(n="count", mean="mean", sd="std", median="median").reset_index()
half = stats.t.ppf(0.975, out["n"] - 1) * out["sd"] / np.sqrt(out["n"])
out["ci_low"], out["ci_high"] = out["mean"] - half, out["mean"] + half
hidden = out["n"] < min_n
out.loc[hidden, ["n", "mean", "sd", "median", "ci_low", "ci_high"]] = np.nan
out.to_csv(sys.argv[3], index=False, sep=";", decimal=",")
elapsed = time.perf_counter() - t0
hwm = next(int(l.split()[1]) for l in open("/proc/self/status")
           if l.startswith("VmHWM:")) / 1024
print(json.dumps({"export": elapsed, "rows": len(out), "hwm_mib": hwm}))
"""


def _run(script: str, *args: str) -> dict[str, float]:
    done = subprocess.run([sys.executable, "-c", script, *args], capture_output=True,
                          text=True)
    if done.returncode != 0:
        raise RuntimeError(f"results export benchmark process failed: {done.stderr[-2000:]}")
    result: dict[str, float] = json.loads(done.stdout.strip().splitlines()[-1])
    return result


def bench_results_export(url: str, campaign_id: int, label: str) -> list[list[str]]:
    """Rows for the benchmark table (Engine | Messung | Wert | Verhältnis | Ziel)."""
    ours = _run(_ENGINE, url, str(campaign_id))
    with tempfile.TemporaryDirectory(prefix="stadtraum-bench-results-") as folder:
        naive = _run(_NAIVE, url, str(campaign_id), str(Path(folder) / "naive.csv"))
    ratio = naive["export"] / ours["csv"]
    return [
        [label, "Ergebnisexport: Statistik-Speicher laden (neuer Prozess, einmalig)",
         f"{ours['load']:.2f} s", "", ""],
        [label, "Ergebnisexport CSV / XLSX / GeoJSON / GeoPackage (je Aufruf: Ergebnisse "
         "der Engine, Datei, Protokoll)",
         f"{ours['csv'] * 1000:.0f} / {ours['xlsx'] * 1000:.0f} / "
         f"{ours['geojson'] * 1000:.0f} / {ours['gpkg'] * 1000:.0f} ms",
         f"CSV {ratio:.0f}× schneller als naiv", ""],
        [label, "Ergebnisexport CSV, zweiter Aufruf (Tabellen gelöst)",
         f"{ours['csv_again'] * 1000:.0f} ms", "", ""],
        [label, "Ergebnisexport naiv: alle Bewertungen in pandas, groupby, CSV",
         f"{naive['export']:.1f} s", f"Speicher {naive['hwm_mib']:.0f} MiB, "
         f"Export-Prozess {ours['hwm_mib']:.0f} MiB", ""],
    ]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Benchmark des Ergebnisexports")
    parser.add_argument("--responses", type=int, default=1_000_000)
    parser.add_argument("--db", help="vorhandene Datenbank (sonst eine neue Demo-Datenbank)")
    args = parser.parse_args(argv)
    from sqlalchemy.orm import Session

    from stadtraum.demo.loader import load_demo
    from stadtraum.store.engine import make_engine
    from stadtraum.store.migrate import migrate
    from stadtraum.store.queries import list_campaigns

    url = args.db or f"sqlite:///{Path(tempfile.mkdtemp(prefix='stadtraum-bench-')) / 'b.db'}"
    engine = make_engine(url)
    migrate(engine)
    if args.db is None:
        load_demo(engine, n_responses=args.responses)
    with Session(engine) as session:
        campaigns = list_campaigns(session)
    engine.dispose()
    campaign = max(campaigns, key=lambda c: c.n_responses)
    rows = bench_results_export(url, campaign.id, "SQLite")
    print(f"{de_int(sum(c.n_responses for c in campaigns))} Antworten, Befragung "
          f"{campaign.id} mit {de_int(campaign.n_responses)}")
    print("\n".join("| " + " | ".join(r) + " |" for r in rows))
    return 0


if __name__ == "__main__":
    sys.exit(main())
