"""The boundary-import use cases (issue 11, item 4) on SQLite and PostgreSQL, with the real
Bochum files: inspecting an upload stores nothing and preselects the fields; the Stadtbezirke
and then the statistical districts import with parents derived by overlap (and from the
field, as a new version); every bad upload of DESIGN §7 is refused with a German message
naming file, field or reason and leaves every table (the audit log included) unchanged; a
guessed CRS needs the confirmation; the street directory reports per area."""

from __future__ import annotations

import json
import os
import warnings
import zipfile
from collections.abc import Callable
from pathlib import Path

import pytest
from sqlalchemy import select
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session

from stadtraum.accounts.permissions import Actor
from stadtraum.admin.boundaries import (
    MAX_UPLOAD_BYTES,
    FieldChoice,
    import_boundaries,
    import_streets,
    inspect_upload,
    list_boundary_sets,
)
from stadtraum.config import GERMANY_BBOX, Region, Settings
from stadtraum.errors import StadtraumError, ValidationError
from stadtraum.store.db import Area, AreaLevel, AuditEntry, Base
from tests.geo.builders import frame, grid_frame, shapefile_zip, square, write
from tests.geo.conftest import GEODATA, require_folder

ADA = Actor("ada", "admin")
SETTINGS = Settings(region=Region(*GERMANY_BBOX))
STADTBEZIRKE = "bochum_stadtbezirke_dissolved_wgs84.geojson"
DISTRICTS = "bochum_statistische_bezirke_wgs84.geojson"


@pytest.fixture
def geodata() -> Path:
    return require_folder(GEODATA, os.environ)


def _snapshot(engine: Engine) -> dict[str, list[str]]:
    with engine.connect() as conn:
        return {t.name: sorted(repr(tuple(r)) for r in conn.execute(select(t)))
                for t in Base.metadata.sorted_tables}


def _parents(engine: Engine, level_id: int) -> dict[str, str]:
    with Session(engine) as session:
        parent = Area.__table__.alias("parent")
        rows = session.execute(select(Area.code, parent.c.code)
                               .join(parent, parent.c.id == Area.parent_id)
                               .where(Area.level_id == level_id)).all()
    return {str(c): str(p) for c, p in rows}


def _expected_parents(geodata: Path) -> dict[str, str]:
    features = json.loads((geodata / DISTRICTS).read_text(encoding="utf-8"))["features"]
    return {str(f["properties"]["stat_bezirk_nr"]): str(f["properties"]["stadtbezirk_nr"])
            for f in features}


def test_inspecting_bochum_preselects_and_stores_nothing(engine: Engine,
                                                         geodata: Path) -> None:
    before = _snapshot(engine)
    ins = inspect_upload((geodata / DISTRICTS).read_bytes(), DISTRICTS, actor=ADA,
                         settings=SETTINGS)
    assert _snapshot(engine) == before
    assert (ins.code_field, ins.name_field, ins.parent_field) == (
        "stat_bezirk_nr", "stat_bezirk_name", "stadtbezirk_nr")
    assert ins.columns[:2] == ["stat_bezirk_nr", "stat_bezirk_name"]
    assert (ins.n_features, ins.source_crs, ins.crs_guessed, ins.ok) == (30, "EPSG:4326",
                                                                          False, True)
    names = {f["properties"]["name"] for f in ins.preview["features"]}
    assert {"Grumme", "Wattenscheid-Mitte"} <= names and len(names) == 30
    kinds = [r.code for r in ins.rows]
    assert "coverage_cleaned" in kinds and "name_field_detected" in kinds
    cleaned = next(r for r in ins.rows if r.code == "coverage_cleaned")
    assert "Überlappungen" in cleaned.message_de and "Lücken" in cleaned.message_de


def test_bochum_stadtbezirke_then_districts_with_parents(engine: Engine,
                                                         geodata: Path) -> None:
    top = import_boundaries(engine, (geodata / STADTBEZIRKE).read_bytes(), STADTBEZIRKE,
                            level="Stadtbezirk", boundary_set="Bochum", actor=ADA,
                            settings=SETTINGS)
    assert (top.n_areas, top.version, top.rank, top.new_set) == (6, 1, 0, True)
    sub = import_boundaries(engine, (geodata / DISTRICTS).read_bytes(), DISTRICTS,
                            level="Statistischer Bezirk", parent_level="Stadtbezirk",
                            boundary_set="Bochum", actor=ADA, settings=SETTINGS)
    assert (sub.n_areas, sub.version, sub.rank, sub.parents_from) == (30, 1, 1, "overlap")
    assert "übergeordnete Gebiete per Überlappung" in sub.text()
    assert "Flächennetz bereinigt" in sub.text()  # the report the command line prints
    levels = {r.level: r for r in list_boundary_sets(engine, actor=ADA)}
    assert (levels["Stadtbezirk"].n_areas, levels["Statistischer Bezirk"].n_areas) == (6, 30)
    want = _expected_parents(geodata)
    assert _parents(engine, levels["Statistischer Bezirk"].level_id) == want
    assert {a[0]: a[3] for a in sub.areas}["10"] == "Bochum-Mitte"
    with Session(engine) as session:
        entries = session.scalars(select(AuditEntry).where(AuditEntry.action == "import")
                                  .order_by(AuditEntry.id)).all()
        detail = [json.loads(e.detail or "{}") for e in entries]
    assert [(e.actor, e.object_type) for e in entries] == [("ada", "area_level")] * 2
    assert detail[1] | {} == {"file": DISTRICTS, "n": 30, "level": "Statistischer Bezirk",
                             "boundary_set": "Bochum", "version": 1,
                             "parent_level": "Stadtbezirk", "crs": "EPSG:4326"}
    # the same level again, parents from the field: the next version, the old one kept
    again = import_boundaries(engine, (geodata / DISTRICTS).read_bytes(), DISTRICTS,
                              level="Statistischer Bezirk", parent_level="Stadtbezirk",
                              parent_field="stadtbezirk_nr", boundary_set="Bochum",
                              actor=ADA, settings=SETTINGS)
    assert (again.version, again.parents_from) == (2, "field")
    rows = list_boundary_sets(engine, actor=ADA)
    assert sorted((r.version, r.level, r.newest) for r in rows) == [
        (1, "Stadtbezirk", False), (1, "Statistischer Bezirk", False),
        (2, "Stadtbezirk", True), (2, "Statistischer Bezirk", True)]
    newest = next(r for r in rows if r.version == 2 and r.level == "Statistischer Bezirk")
    assert _parents(engine, newest.level_id) == want
    assert _parents(engine, levels["Statistischer Bezirk"].level_id) == want  # v1 untouched


# --- bad uploads (DESIGN §7) -----------------------------------------------------------------

Build = Callable[[Path], tuple[str, bytes]]


def _file(name: str, data: bytes) -> Build:
    return lambda _tmp: (name, data)


def _zip(entries: dict[str, bytes]) -> Build:
    def build(tmp: Path) -> tuple[str, bytes]:
        path = tmp / "grenzen.zip"
        with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
            for name, data in entries.items():
                zf.writestr(name, data)
        return path.name, path.read_bytes()
    return build


def _bomb(tmp: Path) -> tuple[str, bytes]:
    path = tmp / "bombe.zip"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf, \
            zf.open("grenzen.shp", "w", force_zip64=True) as entry:
        for _ in range(20):  # 20 MB of zeros, about 20 kB packed
            entry.write(bytes(1024 * 1024))
    return path.name, path.read_bytes()


def _written(name: str, gdf_of: Callable[[], object], **kwargs: object) -> Build:
    def build(tmp: Path) -> tuple[str, bytes]:
        with warnings.catch_warnings():
            warnings.filterwarnings("ignore", "'crs' was not provided")
            path = write(gdf_of(), tmp / name, **kwargs)  # type: ignore[arg-type]
        return name, path.read_bytes()
    return build


def _no_dbf(tmp: Path) -> tuple[str, bytes]:
    path = shapefile_zip(grid_frame(crs="EPSG:25832"), tmp / "ohne_dbf.zip", drop=[".dbf"])
    return path.name, path.read_bytes()


def _far_away() -> object:  # metres without CRS that fit no CRS of the region
    return frame([square(0)], crs=None).translate(xoff=-369_000, yoff=-5_704_000)


# name, upload, words the German message must contain; ``field_problem``: the file is
# readable, only the detection of a field fails (inspect shows it, import refuses)
BAD: list[tuple[str, Build, list[str], bool]] = [
    ("too_large", _file("gross.geojson", b" " * (MAX_UPLOAD_BYTES + 1)),
     ["'gross.geojson'", "zu groß", "100.0 MB"], False),
    ("zip_bomb", _bomb, ["ZIP-Bombe", "nicht entpackt"], False),
    ("path_traversal", _zip({"../../etc/grenzen.shp": b"x" * 100, "../../etc/grenzen.dbf": b"x"}),
     ["unzulässigen Pfad", "'../../etc/grenzen.shp'"], False),
    ("broken_geojson", _file("kaputt.geojson", b'{"type": "FeatureCollection", "features": ['),
     ["'kaputt.geojson'", "beschädigt"], False),
    ("corrupt_gpkg", _file("kaputt.gpkg", b"SQLite format 3\x00" + bytes(2000)),
     ["GeoPackage", "'kaputt.gpkg'", "beschädigt"], False),
    ("wrong_extension", _file("grenzen.kml", b"<kml/>"), ["'grenzen.kml'", "'.kml'",
                                                          "nicht unterstützt"], False),
    ("plain_shp", _file("grenzen.shp", b"x" * 100), ["als ZIP-Datei"], False),
    ("empty", _file("leer.geojson", b""), ["'leer.geojson'", "leer"], False),
    ("no_features", _file("nichts.geojson", b'{"type": "FeatureCollection", "features": []}'),
     ["'nichts.geojson'", "keine Objekte"], False),
    ("zip_without_dbf", _no_dbf, [".dbf", "fehlt"], False),
    ("unknown_crs", _written("weit_weg.gpkg", _far_away), ["Meterwerte",
                                                           "Koordinatensystem"], False),
    ("outside_region", _written("spanien.geojson", lambda: grid_frame().translate(xoff=-11)),
     ["außerhalb der Plausibilitätsregion"], False),
    ("no_name_field", _written("nur_zahlen.geojson", lambda: frame(
        [square(0), square(1)], data={"nr": ["1", "2"], "wert": [3, 4]}).to_crs("EPSG:4326")),
     ["Feld für den Namen", "nicht erkannt", "nr, wert"], True),
    ("duplicate_codes", _written("doppelt.geojson", lambda: frame(
        [square(0), square(1)], code=["1", "1"], name=["A", "B"]).to_crs("EPSG:4326")),
     ["'1'", "mehrfach", "Objekt 1", "Objekt 2"], True),
    ("points", _written("punkte.geojson", lambda: frame(
        [square(0).centroid], code=["1"], name=["A"]).to_crs("EPSG:4326")),
     ["Objekt 1", "Punkt"], True),
]


@pytest.mark.parametrize(("build", "words", "field_problem"),
                         [pytest.param(b, w, f, id=n) for n, b, w, f in BAD])
def test_a_bad_upload_is_refused_naming_the_reason_and_nothing_is_stored(
        engine: Engine, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, build: Build,
        words: list[str], field_problem: bool) -> None:
    def no_extraction(*args: object, **kwargs: object) -> None:
        raise AssertionError("extraction attempted")

    name, data = build(tmp_path)
    if "bombe" in name or "traversal" in name or name == "grenzen.zip":
        monkeypatch.setattr("stadtraum.geo.read.extract_shapefile", no_extraction)
    before = _snapshot(engine)
    if field_problem:
        ins = inspect_upload(data, name, actor=ADA, settings=SETTINGS)
        assert ins.problem_de is not None and not ins.ok
        assert all(w in ins.problem_de for w in words), ins.problem_de
        assert ins.problem_en
    else:
        with pytest.raises(StadtraumError) as seen:
            inspect_upload(data, name, actor=ADA, settings=SETTINGS)
        assert all(w in seen.value.message_de for w in words), seen.value.message_de
    with pytest.raises(StadtraumError) as refused:
        import_boundaries(engine, data, name, level="Quartier", actor=ADA, settings=SETTINGS,
                          confirm_crs=True)
    assert all(w in refused.value.message_de for w in words), refused.value.message_de
    assert refused.value.message_en and refused.value.message_en != refused.value.message_de
    assert _snapshot(engine) == before


def test_a_chosen_field_that_does_not_exist_is_named(engine: Engine, tmp_path: Path) -> None:
    name, data = _written("gebiete.geojson", lambda: grid_frame())(tmp_path)
    before = _snapshot(engine)
    ins = inspect_upload(data, name, actor=ADA, settings=SETTINGS,
                         fields=FieldChoice("code", "bezeichnung"))
    assert ins.problem_de is not None and "'bezeichnung'" in ins.problem_de
    with pytest.raises(StadtraumError, match="bezeichnung") as err:
        import_boundaries(engine, data, name, level="Quartier", code_field="code",
                          name_field="bezeichnung", actor=ADA, settings=SETTINGS)
    assert "gibt es in der Datei nicht" in err.value.message_de
    with pytest.raises(ValidationError) as err:
        import_boundaries(engine, data, name, level="Quartier", parent_field="code",
                          actor=ADA, settings=SETTINGS)
    assert err.value.field == "parent_level"
    assert _snapshot(engine) == before


def test_a_guessed_crs_is_used_only_after_confirmation(engine: Engine, tmp_path: Path) -> None:
    name, data = _written("ohne_crs.gpkg", lambda: frame([square(i) for i in range(3)],
                                                          crs=None))(tmp_path)
    ins = inspect_upload(data, name, actor=ADA, settings=SETTINGS)
    assert (ins.crs_guessed, ins.source_crs, ins.assume_crs) == (True, "EPSG:25832",
                                                                 "EPSG:25832")
    assert "EPSG:25833" in ins.crs_alternatives or len(ins.crs_alternatives) >= 1
    x0, y0 = ins.preview["features"][0]["geometry"]["coordinates"][0][0]
    assert 7.0 < x0 < 7.4 and 51.4 < y0 < 51.6  # Bochum, as the builder's squares are
    before = _snapshot(engine)
    with pytest.raises(ValidationError) as err:
        import_boundaries(engine, data, name, level="Quartier", assume_crs=ins.assume_crs,
                          actor=ADA, settings=SETTINGS)
    assert err.value.field == "crs" and "bestätigen" in err.value.message_de
    assert _snapshot(engine) == before
    done = import_boundaries(engine, data, name, level="Quartier", assume_crs=ins.assume_crs,
                             confirm_crs=True, actor=ADA, settings=SETTINGS)
    assert (done.n_areas, done.source_crs) == (3, "EPSG:25832")


def test_the_file_name_is_never_a_path(engine: Engine, tmp_path: Path) -> None:
    _, data = _written("g.geojson", lambda: grid_frame())(tmp_path)
    report = import_boundaries(engine, data, "../../../tmp/evil/grenzen.geojson",
                               level="Quartier", actor=ADA, settings=SETTINGS)
    with Session(engine) as session:
        assert session.scalars(select(AreaLevel.source)).all() == ["grenzen.geojson"]
    assert report.n_areas == 3


def test_street_directory_of_bochum(engine: Engine, geodata: Path) -> None:
    import_boundaries(engine, (geodata / STADTBEZIRKE).read_bytes(), STADTBEZIRKE,
                      level="Stadtbezirk", boundary_set="Bochum", actor=ADA, settings=SETTINGS)
    level_id = list_boundary_sets(engine, actor=ADA)[0].level_id
    before = _snapshot(engine)
    bad = "strasse;gebiet\nKortumstraße;1\n;2\nHattinger Straße;9\n".encode()
    with pytest.raises(StadtraumError) as err:
        import_streets(engine, bad, "strassen.csv", level_id=level_id, actor=ADA)
    assert "Zeile 3" in err.value.message_de
    with pytest.raises(StadtraumError) as err:
        import_streets(engine, b"x", "strassen.xlsx", level_id=level_id, actor=ADA)
    assert "'strassen.xlsx'" in err.value.message_de and "CSV" in err.value.message_de
    with pytest.raises(StadtraumError) as err:
        import_streets(engine, b"", "strassen.csv", level_id=level_id, actor=ADA)
    assert "ist leer" in err.value.message_de
    assert _snapshot(engine) == before
    good = ("Straße,Gebiet\nKortumstraße,1\nHattinger Straße,1\nHattinger Straße,5\n"
            "Hattinger Str.,5\n").encode("cp1252")
    report = import_streets(engine, good, "strassen.csv", level_id=level_id, actor=ADA)
    assert (report.lines, report.pairs, report.streets, report.replaced) == (4, 3, 2, 0)
    per_area = {code: n for code, _, n in report.per_area}
    assert per_area == {"1": 2, "2": 0, "3": 0, "4": 0, "5": 1, "6": 0}
    assert "3 Zuordnungen von 2 Straßen" in report.headline()
    with Session(engine) as session:
        entry = session.scalars(select(AuditEntry).where(AuditEntry.object_type == "streets")
                                ).one()
    assert (entry.actor, json.loads(entry.detail or "{}")) == ("ada", {"pairs": 3})
