"""``stadtraum export results|comments`` and ``stadtraum opendata`` on a real SQLite file
with the demo city: each format is written and read back (pandas, openpyxl, geopandas) with
the figures of ``stadtraum results``, the CSV's metadata lands next to it, the comments file
holds the released comments, and switching the public URLs needs a published snapshot."""

from __future__ import annotations

import io
from pathlib import Path

import geopandas as gpd
import openpyxl
import pandas as pd
import pytest

from tests.helpers import run_cli as run


@pytest.fixture
def demo(capsys: pytest.CaptureFixture[str], db: str) -> str:
    assert run(capsys, "--db", db, "demo", "--responses", "600")[0] == 0
    return db


def test_every_format_from_the_command_line(capsys: pytest.CaptureFixture[str], demo: str,
                                            tmp_path: Path) -> None:
    code, out, err = run(capsys, "--db", demo, "results", "--campaign", "2", "--level",
                         "Quartier", "--format", "csv")
    assert (code, err) == (0, "")
    live = pd.read_csv(io.StringIO(out), dtype={"area_code": str})
    shown = live[~live["suppressed"]].iloc[0]
    target = tmp_path / "ergebnisse.csv"
    code, out, err = run(capsys, "--db", demo, "export", "results", "--campaign", "2",
                         "--numbers", "intl", "-o", str(target))
    assert (code, err) == (0, "") and "Metadaten" in out
    assert (tmp_path / "ergebnisse.csv-metadata.json").is_file()
    frame = pd.read_csv(target, encoding="utf-8-sig", dtype={"gebiet_code": str})
    row = frame[(frame.ebene == "Quartier") & (frame.gebiet_code == shown["area_code"])
                & (frame.kriterium_id == shown["criterion_id"])].iloc[0]
    assert row["mittelwert"] == pytest.approx(shown["mean"], abs=1e-3)
    assert int(row["n"]) == int(shown["n"])
    hidden = frame[frame.unterdrueckt == "ja"]
    assert len(hidden) and hidden[["n", "mittelwert", "median"]].isna().all().all()
    for fmt in ("xlsx", "geojson", "gpkg"):
        path = tmp_path / f"ergebnisse.{fmt}"
        code, out, err = run(capsys, "--db", demo, "export", "results", "--campaign", "2",
                             "-o", str(path))
        assert (code, err) == (0, ""), fmt
    assert "Quartier" in openpyxl.load_workbook(tmp_path / "ergebnisse.xlsx").sheetnames
    geo = gpd.read_file(tmp_path / "ergebnisse.geojson")
    assert shown["area_code"] in set(geo["Gebiet-Code"])
    assert gpd.read_file(tmp_path / "ergebnisse.gpkg", layer="Quartier").crs is not None


def test_comments_and_bad_input(capsys: pytest.CaptureFixture[str], demo: str,
                                tmp_path: Path) -> None:
    target = tmp_path / "kommentare.csv"
    code, out, err = run(capsys, "--db", demo, "export", "comments", "--campaign", "2",
                         "-o", str(target))
    assert (code, err) == (0, "") and "freigegebene Kommentare" in out
    frame = pd.read_csv(target, sep=";", encoding="utf-8-sig")
    assert list(frame.columns) == ["gebiet", "kriterium_id", "kriterium", "art", "kommentar",
                                   "datum"]
    code, _, err = run(capsys, "--db", demo, "export", "results", "--campaign", "2",
                       "-o", str(tmp_path / "x.pdf"))
    assert code == 1 and "--format" in err
    code, _, err = run(capsys, "--db", demo, "export", "results", "--campaign", "99",
                       "-o", str(tmp_path / "x.csv"))
    assert code == 1 and "gibt es nicht" in err


def test_opendata_needs_a_published_snapshot(capsys: pytest.CaptureFixture[str],
                                             demo: str) -> None:
    code, _, err = run(capsys, "--db", demo, "opendata", "on", "--campaign", "2")
    assert code == 1 and "noch nie veröffentlicht" in err
    assert run(capsys, "--db", demo, "results", "publish", "--campaign", "2")[0] == 0
    code, out, err = run(capsys, "--db", demo, "opendata", "on", "--campaign", "2")
    assert (code, err) == (0, "") and "/opendata/2/results.geojson" in out
    code, out, _ = run(capsys, "--db", demo, "opendata", "off", "--campaign", "2")
    assert code == 0 and "Nicht mehr öffentlich" in out


def test_open_data_package_from_the_command_line(capsys: pytest.CaptureFixture[str],
                                                 demo: str, tmp_path: Path) -> None:
    import zipfile

    target = tmp_path / "offen.zip"
    code, _, err = run(capsys, "--db", demo, "export", "open-data", "--campaign", "2",
                       "-o", str(target))
    assert code == 1 and "noch nie veröffentlicht" in err and not target.exists()
    assert run(capsys, "--db", demo, "results", "publish", "--campaign", "2")[0] == 0
    code, _, err = run(capsys, "--db", demo, "export", "open-data", "--campaign", "2",
                       "-o", str(target))
    assert code == 1 and "Namen der Stadt" in err  # the demo city has no name in its settings
    code, out, err = run(capsys, "--db", demo, "export", "open-data", "--campaign", "2",
                         "--publisher", "Beispielstadt",
                         "--contact", "Stadtplanung, plan@beispielstadt.example",
                         "-o", str(target))
    assert (code, err) == (0, "") and "metadaten.jsonld" in out
    with zipfile.ZipFile(target) as zf:
        record = zf.read("metadaten.jsonld").decode("utf-8")
        assert "mailto:plan@beispielstadt.example" in record and "Beispielstadt" in record
        assert zf.testzip() is None
