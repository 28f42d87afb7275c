"""The ``stadtraum`` command end to end on a real SQLite file: exit codes, messages,
the demo, results with suppression, and the import of Bochum's real boundaries."""

from __future__ import annotations

import csv
import io
import os
import sqlite3
import zipfile
from pathlib import Path

import geopandas as gpd
import pytest

from stadtraum.cli.main import main
from tests.geo.conftest import GEODATA, require_folder
from tests.helpers import run_cli as run


def test_help_lists_every_command(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exc:
        main(["--help"])
    assert exc.value.code == 0
    text = capsys.readouterr().out
    for command in ("init", "demo", "areas", "results", "bench", "campaigns"):
        assert command in text


def test_usage_error_exits_2(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exc:
        main(["results", "--level", "Quartier"])  # --campaign missing
    assert exc.value.code == 2


def test_init_then_unknown_campaign_is_one_german_line(capsys: pytest.CaptureFixture[str],
                                                       db: str) -> None:
    assert run(capsys, "--db", db, "init")[0] == 0
    code, _, err = run(capsys, "--db", db, "results", "--campaign", "gibtsnicht",
                         "--level", "Quartier")
    assert code == 1
    assert err.startswith("Fehler: Befragung „gibtsnicht“ gibt es nicht")
    assert "Traceback" not in err and len(err.strip().splitlines()) == 1


def test_missing_file_is_a_clear_error(capsys: pytest.CaptureFixture[str], db: str,
                                       tmp_path: Path) -> None:
    code, _, err = run(capsys, "--db", db, "areas", "import", str(tmp_path / "fehlt.geojson"),
                       "--level", "Bezirk")
    assert code == 1
    assert err.startswith("Fehler:") and "Traceback" not in err


def test_demo_results_csv_one_row_per_area_and_criterion(capsys: pytest.CaptureFixture[str],
                                                         db: str) -> None:
    assert run(capsys, "--db", db, "demo")[0] == 0
    code, out, _ = run(capsys, "--db", db, "demo")
    assert code == 0 and "schon geladen" in out  # idempotent
    code, out, _ = run(capsys, "--db", db, "campaigns", "list")
    assert code == 0 and out.count("(Demo)") == 2
    code, out, _ = run(capsys, "--db", db, "results", "--campaign",
                       "Beispielstadt Welle 2 (2026)", "--level", "Quartier", "--format", "csv")
    assert code == 0
    rows = list(csv.DictReader(io.StringIO(out)))
    assert len(rows) == 30 * 14
    assert {"area_code", "area_name", "criterion_id", "n", "mean", "ci_low", "ci_high",
            "median", "suppressed"} <= set(rows[0])
    hidden = [r for r in rows if r["suppressed"] == "True"]
    assert hidden, "the demo city has quarters under min_n"
    for r in hidden:
        assert r["n"] == "" and r["mean"] == "" and "zu wenige Antworten" in r["note"]
    for r in rows:
        if r["suppressed"] == "False":
            assert int(r["n"]) >= 5
            assert float(r["ci_low"]) <= float(r["mean"]) <= float(r["ci_high"])
    code, out, _ = run(capsys, "--db", db, "results", "--campaign", "2", "--level",
                       "Stadtbezirk", "--criterion", "feeling_safe", "--format", "json")
    assert code == 0 and out.count('"criterion_id": "feeling_safe"') == 6


def _gis_export(src: Path, dest: Path, rename: dict[str, str], drop: list[str]) -> Path:
    """Like a city GIS export: EPSG:25832, short upper-case field names, zipped Shapefile."""
    frame = gpd.read_file(src).to_crs("EPSG:25832").drop(columns=drop).rename(columns=rename)
    folder = dest.with_suffix("")
    folder.mkdir()
    frame.to_file(folder / "export.shp", engine="pyogrio", encoding="UTF-8")
    with zipfile.ZipFile(dest, "w", zipfile.ZIP_DEFLATED) as zf:
        for part in folder.iterdir():
            zf.write(part, part.name)
    return dest


def test_bochum_zipped_shapefiles_with_parents_by_overlap(capsys: pytest.CaptureFixture[str],
                                                          db: str, tmp_path: Path) -> None:
    folder = require_folder(GEODATA, os.environ)
    bezirke = _gis_export(folder / "bochum_stadtbezirke_dissolved_wgs84.geojson",
                          tmp_path / "stadtbezirke.zip",
                          {"stadtbezirk_nr": "BEZ_NR", "stadtbezirk_name": "BEZ_NAME"},
                          ["n_stat_bezirke", "area_km2_approx"])
    stat = _gis_export(folder / "bochum_statistische_bezirke_wgs84.geojson",
                       tmp_path / "statbezirke.zip",
                       {"stat_bezirk_nr": "STATBEZ_NR", "stat_bezirk_name": "STATBEZ_NA"},
                       ["stadtbezirk_nr", "stadtbezirk_name", "area_km2_source"])
    code, out, err = run(capsys, "--db", db, "areas", "import", str(bezirke), "--level",
                         "Stadtbezirk", "--code-field", "BEZ_NR", "--name-field", "BEZ_NAME")
    assert code == 0, err
    assert "6 Gebiete" in out and "EPSG:25832" in out
    code, out, err = run(capsys, "--db", db, "areas", "import", str(stat), "--level",
                         "Statistischer Bezirk", "--code-field", "STATBEZ_NR", "--name-field",
                         "STATBEZ_NA", "--parent-level", "Stadtbezirk")
    assert code == 0, err
    assert "30 Gebiete" in out and "Überlappung" in out
    expected = gpd.read_file(folder / "bochum_statistische_bezirke_wgs84.geojson")
    want = {str(r.stat_bezirk_nr): str(r.stadtbezirk_nr) for r in expected.itertuples()}
    con = sqlite3.connect(db.removeprefix("sqlite:///"))
    got = dict(con.execute(
        "SELECT c.code, p.code FROM areas c JOIN areas p ON p.id = c.parent_id").fetchall())
    assert got == want
    code, out, _ = run(capsys, "--db", db, "areas", "list", "--level", "Stadtbezirk")
    assert code == 0 and "Wattenscheid" in out


def test_bad_boundary_file_is_rejected_with_row(capsys: pytest.CaptureFixture[str], db: str,
                                                tmp_path: Path) -> None:
    bad = tmp_path / "punkte.geojson"
    bad.write_text('{"type":"FeatureCollection","features":['
                   '{"type":"Feature","properties":{"code":"1","name":"A"},'
                   '"geometry":{"type":"Point","coordinates":[7.2,51.5]}}]}', encoding="utf-8")
    code, _, err = run(capsys, "--db", db, "areas", "import", str(bad), "--level", "X")
    assert code == 1
    assert "Objekt 1" in err and "Traceback" not in err
    con = sqlite3.connect(db.removeprefix("sqlite:///"))
    assert con.execute("SELECT COUNT(*) FROM areas").fetchone() == (0,)


def test_bench_smoke(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "bench", "--responses", "3000")
    assert code == 0
    for label in ("kalt", "warm", "naiv", "Absenden", "Punkt → Gebiet", "Spitzenspeicher",
                  "Export CSV", "Export naiv"):
        assert label in out


@pytest.mark.postgres
def test_bench_smoke_on_postgresql(capsys: pytest.CaptureFixture[str],
                                   pg_server: object) -> None:
    from tests.conftest import _new_pg_db

    url = _new_pg_db(pg_server)  # type: ignore[arg-type]
    code, out, _ = run(capsys, "bench", "--responses", "3000", "--postgres-url", url)
    assert code == 0
    assert out.count("| PostgreSQL |") >= 7 and out.count("| SQLite |") >= 7


def test_campaigns_catalogues_and_compare(capsys: pytest.CaptureFixture[str], db: str,
                                          tmp_path: Path) -> None:
    assert run(capsys, "--db", db, "demo")[0] == 0
    code, out, err = run(capsys, "--db", db, "campaigns", "add", "Welle 3", "--level",
                         "Quartier", "--status", "open", "--start", "2027-05-03")
    assert code == 0, err
    assert "angelegt" in out
    code, _, err = run(capsys, "--db", db, "campaigns", "add", "Welle 3", "--level", "Quartier")
    assert code == 1 and "gibt es schon" in err
    code, out, _ = run(capsys, "--db", db, "campaigns", "status", "Welle 3", "closed")
    assert code == 0 and "closed" in out
    with pytest.raises(SystemExit) as exc:
        main(["--db", db, "campaigns", "add", "X", "--level", "Quartier", "--start", "morgen"])
    assert exc.value.code == 2
    capsys.readouterr()

    toml = Path(__file__).resolve().parents[2] / "stadtraum" / "catalogues" / \
        "stadtraummonitor14_klima.toml"
    own = tmp_path / "eigen.toml"
    own.write_text(toml.read_text(encoding="utf-8").replace(
        'id = "stadtraummonitor14_klima"', 'id = "bochum_klima_2027"'), encoding="utf-8")
    code, out, err = run(capsys, "--db", db, "catalogues", "add", str(own))
    assert code == 0, err
    assert "16 Kriterien" in out
    code, _, err = run(capsys, "--db", db, "catalogues", "add", str(own))
    assert code == 1 and "gibt es schon" in err
    code, out, _ = run(capsys, "--db", db, "catalogues", "list")
    assert "bochum_klima_2027" in out and "stadtraummonitor14\t14" in out

    code, out, err = run(capsys, "--db", db, "compare", "--campaign", "1", "--campaign", "2",
                         "--criterion", "feeling_safe", "--format", "json")
    assert code == 0, err
    import json

    rows = json.loads(out)
    assert len(rows) == 30
    shown = [r for r in rows if not r["suppressed"]]
    assert shown and all(r["diff"] == pytest.approx(r["mean_b"] - r["mean_a"], abs=2e-3)
                         for r in shown)
    assert all(r["mean_a"] is None for r in rows if r["suppressed"])
    code, _, err = run(capsys, "--db", db, "compare", "--campaign", "1")
    assert code == 1 and "genau zwei" in err
