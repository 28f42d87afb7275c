"""AppTest of the page "Gebiete" (issue 11, item 4): every role but the admin is refused;
the admin uploads the real Bochum Stadtbezirke, sees fields preselected, the CRS, the map
and the report, imports them, then the statistical districts with parents derived from the
Stadtbezirke; a file without CRS needs the tick; a refused file names the reason and stores
nothing; names with markup from a file are shown literally; the street directory with its
report. English UI too."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from pathlib import Path

import pandas as pd
import pytest
from sqlalchemy import func, select
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session
from streamlit.testing.v1 import AppTest

from stadtraum.accounts.permissions import SYSTEM
from stadtraum.accounts.users import AuthUser, create_user
from stadtraum.store.db import Area, AuditEntry, Street
from stadtraum.store.engine import make_engine
from stadtraum.store.migrate import migrate
from tests.app.conftest import PASSWORD, ROOT
from tests.app.flow import run
from tests.app.test_hostile_text import Findings, hostile
from tests.geo.builders import frame, square
from tests.geo.conftest import GEODATA, require_folder

STADTBEZIRKE = "bochum_stadtbezirke_dissolved_wgs84.geojson"
DISTRICTS = "bochum_statistische_bezirke_wgs84.geojson"


@pytest.fixture
def geo_db(app_db: str, monkeypatch: pytest.MonkeyPatch) -> Iterator[Engine]:
    """An app database with an admin and no areas (no demo)."""
    monkeypatch.setenv("STADTRAUM_DEMO_ON_EMPTY", "0")
    engine = make_engine(app_db)
    migrate(engine)
    create_user(engine, "ada", "admin", PASSWORD, actor=SYSTEM)
    yield engine
    engine.dispose()


@pytest.fixture
def geodata() -> Path:
    import os

    return require_folder(GEODATA, os.environ)


def _page(role: str = "admin", en: bool = False) -> AppTest:
    at = AppTest.from_file(str(ROOT / "pages" / "boundaries.py"), default_timeout=120)
    at.session_state["user"] = AuthUser(id=1, name="ada" if role == "admin" else "x",
                                        role=role)
    if en:
        at.session_state["lang"] = "English"
    return run(at)


def _plain(text: str) -> str:
    return re.sub(r"\\(.)", r"\1", text)


def _upload(at: AppTest, name: str, data: bytes, n: int = 0) -> AppTest:
    at.file_uploader(key=f"geb_upload_{n}").set_value((name, data, "application/geo+json"))
    return run(at)


def _table(at: AppTest, column: str) -> pd.DataFrame:
    """The first table (data grid or static) with ``column`` (no keys in AppTest)."""
    return next(d.value for d in [*at.dataframe, *at.table] if column in d.value.columns)


def _count(engine: Engine, model: type) -> int:
    with Session(engine) as session:
        return int(session.scalar(select(func.count()).select_from(model)) or 0)


def _import(at: AppTest, level: str) -> AppTest:
    at.text_input(key="geb_level").input(level)
    run(at)
    at.button(key="geb_import").click()
    return run(at)


@pytest.mark.parametrize("role", ["helper", "moderator", "planner"])
def test_other_roles_do_not_reach_the_page(geo_db: Engine, role: str) -> None:
    at = _page(role)
    assert any("nicht freigegeben" in e.value for e in at.error)
    assert not at.file_uploader and not at.button and not at.dataframe


def test_the_admin_imports_bochum_with_parents_derived(geo_db: Engine, geodata: Path) -> None:
    at = _page()
    assert at.title[0].value == "Gebiete"
    assert any("Noch keine Gebiete" in i.value for i in at.info)
    fk_select = _upload(at, STADTBEZIRKE, (geodata / STADTBEZIRKE).read_bytes())
    at = fk_select
    assert at.selectbox[0].value == "stadtbezirk_name"  # name, code, parent: preselected
    assert at.selectbox[1].value == "stadtbezirk_nr"
    assert at.selectbox[2].value == ""
    assert any("EPSG:4326" in _plain(m.value) and "aus der Datei" in m.value
               for m in at.markdown)
    report = _table(at, "Meldung")
    assert "Überlappungen und Lücken" in list(report["Art"])
    assert _count(geo_db, Area) == 0  # looked at, nothing stored
    at.selectbox(key="geb_set").set_value("\u2795")
    run(at)
    at.text_input(key="geb_set_new").input("Bochum")
    at = _import(at, "Stadtbezirk")
    assert not at.error, [e.value for e in at.error]
    assert any("6 Gebiete der Ebene" in _plain(s.value) for s in at.success)
    assert _count(geo_db, Area) == 6
    sets = _table(at, "Rang")
    assert list(sets["Ebene"]) == ["Stadtbezirk"] and list(sets["Gebiete"]) == [6]

    at = _upload(at, DISTRICTS, (geodata / DISTRICTS).read_bytes(), n=1)
    assert at.selectbox[1].value == "stat_bezirk_nr"
    at.selectbox[2].set_value("")  # parents by location, not from the field
    run(at)
    assert at.selectbox(key="geb_set").value == "Bochum"
    assert at.selectbox(key="geb_parent_level_Bochum_2").value == "Stadtbezirk"
    at = _import(at, "Statistischer Bezirk")
    assert any("30 Gebiete" in _plain(s.value) and "Überlappung" in _plain(s.value)
               for s in at.success)
    areas = _table(at, "Schlüssel")
    expected = json.loads((geodata / DISTRICTS).read_text(encoding="utf-8"))["features"]
    want = {str(f["properties"]["stat_bezirk_nr"]): f["properties"]["stadtbezirk_name"]
            for f in expected}
    got = dict(zip(areas["Schlüssel"], areas["Übergeordnet (Stadtbezirk)"], strict=True))
    assert got == want
    with Session(geo_db) as session:
        actions = session.execute(select(AuditEntry.actor, AuditEntry.action,
                                         AuditEntry.object_type)).all()
    assert actions.count(("ada", "import", "area_level")) == 2


def test_a_file_without_crs_needs_the_tick(geo_db: Engine, tmp_path: Path) -> None:
    gdf = frame([square(i) for i in range(3)], crs=None)  # metres, EPSG:25832 unsaid
    path = tmp_path / "ohne_crs.gpkg"
    with pytest.warns(UserWarning, match="'crs' was not provided"):  # the point of the file
        gdf.to_file(path, engine="pyogrio")
    at = _upload(_page(), "ohne_crs.gpkg", path.read_bytes())
    assert any("geschätzt: EPSG:25832" in _plain(w.value) for w in at.warning)
    at.text_input(key="geb_level").input("Quartier")
    run(at)
    assert at.button(key="geb_import").disabled
    tick = next(c for c in at.checkbox if "EPSG:25832 verwenden" in c.label)
    tick.check()
    run(at)
    at.button(key="geb_import").click()
    run(at)
    assert any("3 Gebiete" in _plain(s.value) for s in at.success)
    assert _count(geo_db, Area) == 3


def test_a_refused_file_names_the_reason_and_stores_nothing(geo_db: Engine) -> None:
    at = _upload(_page(), "kaputt.geojson", b'{"type": "FeatureCollection", "features": [')
    assert any("'kaputt.geojson'" in _plain(e.value) and "beschädigt" in _plain(e.value)
               for e in at.error)
    assert "geb_import" not in [b.key for b in at.button]
    assert _count(geo_db, Area) == 0


def test_markup_in_names_is_shown_literally(geo_db: Engine, tmp_path: Path) -> None:
    name = hostile("area")
    gdf = frame([square(0), square(1)], code=["1", "2"], name=[name, "Normal"]).to_crs(
        "EPSG:4326")
    path = tmp_path / "namen.geojson"
    gdf.to_file(path, engine="pyogrio")
    found = Findings()
    at = _upload(_page(), "namen.geojson", path.read_bytes())
    found.check(at, "preview")  # the map (a component: HTML) included
    assert "u0026lt;img src=x" in str(at.get("component_instance")[0].proto)  # escaped
    assert "area" in found.seen
    at = _import(at, hostile("level")[:100])
    found.check(at, "imported")
    assert name in list(_table(at, "Schlüssel")["Name"])  # a dataframe cell: as it is
    assert found.problems == []


def test_the_street_directory_with_its_report(geo_db: Engine, geodata: Path) -> None:
    at = _upload(_page(), STADTBEZIRKE, (geodata / STADTBEZIRKE).read_bytes())
    _import(at, "Stadtbezirk")
    at.file_uploader(key="geb_streets_0").set_value(
        ("strassen.csv", "strasse;gebiet\nKortumstraße;1\nHattinger Straße;1\n"
         "Hattinger Straße;5\nUnbekannt;9\n".encode(), "text/csv"))
    run(at)
    at.button(key="geb_streets_import").click()
    run(at)
    assert any("Zeile 5" in _plain(e.value) and "9" in e.value for e in at.error)
    assert _count(geo_db, Street) == 0
    at.file_uploader(key="geb_streets_0").set_value(
        ("strassen.csv", "strasse;gebiet\nKortumstraße;1\nHattinger Straße;1\n"
         "Hattinger Straße;5\n".encode(), "text/csv"))
    run(at)
    at.button(key="geb_streets_import").click()
    run(at)
    assert any("3 Zuordnungen von 2 Straßen" in _plain(s.value) for s in at.success)
    assert any("4 Gebiete ohne Straße" in _plain(w.value) for w in at.warning)
    per_area = _table(at, "Gebiet")
    assert dict(zip(per_area["Schlüssel"], per_area["Straßen"], strict=True))["1"] == 2
    assert _count(geo_db, Street) == 3


def test_english(geo_db: Engine, geodata: Path) -> None:
    at = _upload(_page(en=True), STADTBEZIRKE, (geodata / STADTBEZIRKE).read_bytes())
    assert at.title[0].value == "Areas"
    assert any("(from the file)" in _plain(m.value) for m in at.markdown)
    assert "Overlaps and gaps" in list(_table(at, "Kind")["Kind"])
