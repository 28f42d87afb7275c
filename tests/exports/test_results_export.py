"""The results exports (issue 12, item 5) on SQLite and PostgreSQL: every file read back by an
independent reader (the csv module, pandas, openpyxl, geopandas) matches the engine cell by
cell; a suppressed cell, also one hidden only by secondary suppression, shows no value and no
n anywhere; hostile area names are neutralised; metadata name filter, campaign, min_n and
date; the export is audited and refused to roles without ``results.export``."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import math
from pathlib import Path

import geopandas as gpd
import openpyxl
import pandas as pd
import pytest
from sqlalchemy import select, update
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session

from stadtraum.accounts.permissions import SYSTEM, Actor
from stadtraum.analysis.cube import CubeFilter
from stadtraum.analysis.cube_store import CubeProvider
from stadtraum.analysis.results import Results, compute_results
from stadtraum.collect.submit import submit_response
from stadtraum.errors import PermissionDeniedError, ValidationError
from stadtraum.exports.results_export import export_results
from stadtraum.store.db import Area, AuditEntry
from tests.helpers import City, make_city, make_payload

MIN_N = 5
NOW = dt.datetime(2026, 3, 1, 9, 30, tzinfo=dt.UTC)
Expected = dict[tuple[str, str, str], tuple[int, float, float | None, float | None,
                                             float | None] | None]
# the planted, suppressed cell: Q2 "moving_around" from three ratings 1, 1, 2 -> mean 1.333
PLANTED = ("1.333", "1,333")
HOSTILE = {"Q1": '=HYPERLINK("http://x.test","klick")', "Q2": "+1", "Q3": "@x"}


@pytest.fixture
def city(engine: Engine) -> City:
    city = make_city(engine, min_n=MIN_N)
    for score in (3, 4, 4, 5, 6, 6):
        submit_response(engine, make_payload(city.campaign_id, "Q1",
                                             {"moving_around": score, "housing": 4}))
    for score in (1, 1, 2):
        submit_response(engine, make_payload(city.campaign_id, "Q2", {"moving_around": score}))
    for score in (5, 5, 5, 6, 6, 6, 7):
        submit_response(engine, make_payload(city.campaign_id, "Q3",
                                             {"moving_around": score, "housing": 3}))
    return city


def _results(engine: Engine, city: City) -> Results:
    return compute_results(engine, CubeProvider(engine), CubeFilter((city.campaign_id,)))


def _r(x: float) -> float | None:
    return None if math.isnan(x) else round(float(x), 3)


def expected(res: Results) -> Expected:
    """(level, area code, criterion id) -> (n, mean, ci low, ci high, median) or None when
    the engine suppresses the cell."""
    out: Expected = {}
    for t in res.levels:
        for a, code in enumerate(t.areas["code"].astype(str)):
            for c, crit in enumerate(res.criteria):
                out[(t.name, code, crit.id)] = None if t.suppressed[a, c] else (
                    int(t.stats.n[a, c]), float(round(t.stats.mean[a, c], 3)),
                    _r(t.stats.ci_low[a, c]), _r(t.stats.ci_high[a, c]),
                    _r(t.stats.median[a, c]))
    return out


def _num(text: str, decimal: str) -> float | None:
    return None if text == "" else float(text.replace(decimal, "."))


def test_the_engine_hides_q1_only_to_protect_q2(engine: Engine, city: City) -> None:
    """The secondary-suppression case the other tests rely on."""
    quarters = _results(engine, city).level("Quartier")
    c = [crit.id for crit in _results(engine, city).criteria].index("moving_around")
    assert quarters.stats.n[0, c] == 6 and quarters.suppressed[0, c]  # Q1: n >= min_n, hidden
    assert quarters.stats.n[1, c] == 3 and quarters.suppressed[1, c]  # Q2: too few
    assert not quarters.suppressed[2, c]  # Q3


@pytest.mark.parametrize("numbers", ["de", "intl"])
def test_csv_matches_the_engine_cell_by_cell(engine: Engine, city: City, numbers: str) -> None:
    out = export_results(engine, CubeProvider(engine), city.campaign_id, "csv", actor=SYSTEM,
                         numbers=numbers, now=NOW)
    sep, decimal = (";", ",") if numbers == "de" else (",", ".")
    assert out.data.startswith(b"\xef\xbb\xbf")
    text = out.data.decode("utf-8-sig")
    rows = list(csv.DictReader(io.StringIO(text), delimiter=sep))
    want = expected(_results(engine, city))
    got = {(r["ebene"], r["gebiet_code"], r["kriterium_id"]): r for r in rows
           if r["kriterium_id"] != "gesamtindex"}
    assert set(got) == set(want)
    for key, cell in want.items():
        row = got[key]
        if cell is None:
            assert row["unterdrueckt"] == "ja"
            assert [row[c] for c in ("n", "mittelwert", "ki95_unten", "ki95_oben",
                                     "median")] == [""] * 5, key
        else:
            assert row["unterdrueckt"] == "nein"
            assert (int(row["n"]), _num(row["mittelwert"], decimal),
                    _num(row["ki95_unten"], decimal), _num(row["ki95_oben"], decimal),
                    _num(row["median"], decimal)) == cell, key
    assert got[("Gesamtstadt", "__city__", "moving_around")]["n"] == "16"
    assert not any(p in text for p in PLANTED)
    # pandas reads the same file with the number format it says it has
    frame = pd.read_csv(io.BytesIO(out.data), sep=sep, decimal=decimal, encoding="utf-8-sig")
    q3 = frame[(frame.gebiet_code == "Q3") & (frame.kriterium_id == "moving_around")]
    assert float(q3["mittelwert"].iloc[0]) == pytest.approx(40 / 7, abs=5e-4)
    assert out.sidecar is not None and out.sidecar[0] == out.name + "-metadata.json"
    meta = json.loads(out.sidecar[1])
    assert meta["url"] == out.name and meta["dialect"]["delimiter"] == sep
    info = meta["stadtraum:metadaten"]
    assert info["min_n"] == MIN_N and info["campaigns"] == [{"id": city.campaign_id,
                                                             "name": "Befragung 2025"}]
    assert info["created_at"].startswith("2026-03-01T09:30") and "Erhebungsarten" in info[
        "filter"]


def test_xlsx_has_a_sheet_per_level_dots_a_legend_and_metadata(engine: Engine,
                                                               city: City) -> None:
    out = export_results(engine, CubeProvider(engine), city.campaign_id, "xlsx", actor=SYSTEM,
                         now=NOW)
    wb = openpyxl.load_workbook(io.BytesIO(out.data))
    assert wb.sheetnames == ["Quartier", "Stadtbezirk", "Gesamtstadt", "Legende", "Metadaten"]
    want = expected(_results(engine, city))
    seen = 0
    for level in ("Quartier", "Stadtbezirk", "Gesamtstadt"):
        rows = list(wb[level].iter_rows(values_only=True))
        head = list(rows[0])
        for row in rows[1:]:
            r = dict(zip(head, row, strict=True))
            if r["kriterium_id"] == "gesamtindex":
                continue
            cell = want[(level, str(r["gebiet_code"]), str(r["kriterium_id"]))]
            figures = [r[c] for c in ("n", "mittelwert", "ki95_unten", "ki95_oben", "median")]
            if cell is None:
                assert figures == ["·"] * 5 and r["unterdrueckt"] == "ja"
            else:
                assert tuple(figures) == cell
            seen += 1
    assert seen == len(want)
    every = [str(v) for ws in wb for row in ws.iter_rows(values_only=True) for v in row
             if v is not None]
    assert not any(p in v for v in every for p in PLANTED)
    legend = dict(wb["Legende"].iter_rows(values_only=True))
    assert "n < 5" in legend["·"] and "Sekundärgeheimhaltung" in legend["·"]
    meta = dict(wb["Metadaten"].iter_rows(values_only=True))
    assert meta["Befragung"] == f"Befragung 2025 (Id {city.campaign_id})"
    assert meta["Stand"] == "2026-03-01T09:30:00Z" and "min_n = 5" in meta["Geheimhaltung"]
    assert meta["Filter"].startswith("Erhebungsarten:")


def _geo_check(frame: gpd.GeoDataFrame, level: str, want: Expected, res: Results) -> None:
    for _, row in frame.iterrows():
        for crit in res.criteria:
            cell = want[(level, str(row["Gebiet-Code"]), crit.id)]
            label = crit.label("de")
            figures = [row[f"{label}: {s}"] for s in ("n", "Mittelwert", "KI95 unten",
                                                      "KI95 oben", "Median")]
            if cell is None:
                assert all(pd.isna(v) for v in figures), (level, row["Gebiet-Code"], crit.id)
            else:
                assert int(figures[0]) == cell[0]
                for got, exp in zip(figures[1:], cell[1:], strict=True):
                    assert (pd.isna(got) and exp is None) or got == pytest.approx(exp), crit.id


def test_geojson_and_gpkg_match_the_engine(engine: Engine, city: City,
                                           tmp_path: Path) -> None:
    provider = CubeProvider(engine)
    res, want = _results(engine, city), expected(_results(engine, city))
    geo = export_results(engine, provider, city.campaign_id, "geojson", actor=SYSTEM, now=NOW)
    doc = json.loads(geo.data)
    assert doc["metadata"]["min_n"] == MIN_N and doc["metadata"]["levels"] == ["Quartier"]
    assert not any(p in geo.data.decode() for p in PLANTED)
    frame = gpd.read_file(io.BytesIO(geo.data))
    assert frame.crs.to_epsg() == 4326 and sorted(frame["Gebiet-Code"]) == ["Q1", "Q2", "Q3"]
    _geo_check(frame, "Quartier", want, res)
    pkg = export_results(engine, provider, city.campaign_id, "gpkg", actor=SYSTEM, now=NOW)
    path = tmp_path / pkg.name
    path.write_bytes(pkg.data)
    for level in ("Quartier", "Stadtbezirk", "Gesamtstadt"):
        layer = gpd.read_file(path, layer=level)
        assert layer.crs.to_epsg() == 25832  # no source CRS stored: the fallback
        _geo_check(layer, level, want, res)
    meta = gpd.read_file(path, layer="metadaten")
    assert dict(zip(meta["angabe"], meta["wert"], strict=True))["Stand"] == "2026-03-01T09:30:00Z"


def test_hostile_area_names_are_neutralised_everywhere(engine: Engine, city: City,
                                                       tmp_path: Path) -> None:
    with Session(engine) as session, session.begin():
        for code, name in HOSTILE.items():
            session.execute(update(Area).where(Area.id == city.area_id(code)).values(name=name))
    provider = CubeProvider(engine)
    names: dict[str, list[str]] = {}
    data = export_results(engine, provider, city.campaign_id, "csv", actor=SYSTEM).data
    names["csv"] = [r["gebiet"] for r in csv.DictReader(
        io.StringIO(data.decode("utf-8-sig")), delimiter=";") if r["ebene"] == "Quartier"]
    wb = openpyxl.load_workbook(io.BytesIO(export_results(
        engine, provider, city.campaign_id, "xlsx", actor=SYSTEM).data))
    names["xlsx"] = [str(r[2]) for r in wb["Quartier"].iter_rows(min_row=2, values_only=True)]
    assert all(c.data_type == "s" for row in wb["Quartier"].iter_rows() for c in row
               if c.value is not None and isinstance(c.value, str))
    names["geojson"] = list(gpd.read_file(io.BytesIO(export_results(
        engine, provider, city.campaign_id, "geojson", actor=SYSTEM).data))["Gebiet"])
    path = tmp_path / "x.gpkg"
    path.write_bytes(export_results(engine, provider, city.campaign_id, "gpkg",
                                    actor=SYSTEM).data)
    names["gpkg"] = list(gpd.read_file(path, layer="Quartier")["Gebiet"])
    for fmt, got in names.items():
        assert set(got) == {"'" + n for n in HOSTILE.values()}, fmt


@pytest.mark.parametrize("role", ["helper", "moderator"])
def test_roles_without_results_export_are_refused(engine: Engine, city: City,
                                                  role: str) -> None:
    with pytest.raises(PermissionDeniedError):
        export_results(engine, CubeProvider(engine), city.campaign_id, "csv",
                       actor=Actor("max", role))
    with Session(engine) as session:
        assert session.scalars(select(AuditEntry).where(
            AuditEntry.action == "export_results")).all() == []


def test_exports_are_audited(engine: Engine, city: City) -> None:
    export_results(engine, CubeProvider(engine), city.campaign_id, "xlsx",
                   actor=Actor("pia", "planner"))
    with Session(engine) as session:
        entry = session.scalars(select(AuditEntry).where(
            AuditEntry.action == "export_results")).one()
    assert (entry.actor, entry.object_type, entry.object_id) == (
        "pia", "campaign", str(city.campaign_id))
    assert json.loads(entry.detail or "{}")["format"] == "xlsx"


def test_bad_choices_are_german_errors(engine: Engine, city: City) -> None:
    provider = CubeProvider(engine)
    for kwargs in ({"fmt": "pdf"}, {"fmt": "csv", "numbers": "fr"},
                   {"fmt": "csv", "levels": ["Ortsteil"]},
                   {"fmt": "geojson", "levels": ["Quartier", "Stadtbezirk"]}):
        with pytest.raises(ValidationError) as err:
            export_results(engine, provider, city.campaign_id, actor=SYSTEM,
                           **kwargs)  # type: ignore[arg-type]
        assert err.value.message_de
