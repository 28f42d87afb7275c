"""import_areas on SQLite and PostgreSQL: length limits of codes, names and level names are
checked before anything is written (with the file's row named); values at the limit are
stored; every stored geometry is valid."""

from __future__ import annotations

from pathlib import Path

import pytest
import shapely
from shapely.geometry import Polygon
from sqlalchemy import select
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session

from stadtraum.accounts.permissions import SYSTEM
from stadtraum.config import GERMANY_BBOX, Region, Settings
from stadtraum.errors import StadtraumError
from stadtraum.geo.area_import import import_areas
from stadtraum.store.db import Area, AreaLevel
from tests.geo.builders import frame, square, write
from tests.helpers import count_rows


@pytest.fixture
def settings() -> Settings:
    return Settings(region=Region(*GERMANY_BBOX))


def _file(tmp_path: Path, codes: list[str], names: list[str]) -> Path:
    gdf = frame([square(i) for i in range(len(codes))], code=codes, name=names)
    return write(gdf, tmp_path / "gebiete.gpkg")


@pytest.mark.parametrize(("codes", "names", "words"), [
    (["1", "C" * 101, "3"], ["A", "B", "C"],
     ["Objekt 2", "Schlüssel", "zu lang (101 Zeichen, höchstens 100)"]),
    (["1", "2", "3"], ["A", "B", "N" * 301],
     ["Objekt 3", "Name", "zu lang (301 Zeichen, höchstens 300)"]),
])
def test_too_long_code_or_name_is_refused_with_the_row(engine: Engine, tmp_path: Path,
                                                        settings: Settings, codes: list[str],
                                                        names: list[str],
                                                        words: list[str]) -> None:
    with pytest.raises(StadtraumError) as info:
        import_areas(engine, _file(tmp_path, codes, names), level="Quartier",
                     code_field="code", name_field="name", settings=settings,
                     actor=SYSTEM)
    for word in words:
        assert word in info.value.message_de
    assert "\n" not in info.value.message_de
    assert count_rows(engine, "areas") == 0 and count_rows(engine, "area_levels") == 0


def test_too_long_level_name_is_refused(engine: Engine, tmp_path: Path,
                                        settings: Settings) -> None:
    with pytest.raises(StadtraumError) as info:
        import_areas(engine, _file(tmp_path, ["1"], ["A"]), level="L" * 101,
                     code_field="code", name_field="name", settings=settings,
                     actor=SYSTEM)
    assert "Name der Gebietsebene ist zu lang" in info.value.message_de
    with pytest.raises(StadtraumError) as info:
        import_areas(engine, _file(tmp_path, ["1"], ["A"]), level="Quartier",
                     boundary_set="G" * 201, code_field="code", name_field="name",
                     settings=settings, actor=SYSTEM)
    assert "Name der Gebietsgliederung ist zu lang" in info.value.message_de
    assert count_rows(engine, "boundary_sets") == 0


def test_values_at_the_limit_are_stored(engine: Engine, tmp_path: Path,
                                        settings: Settings) -> None:
    codes, names = ["C" * 100, "2"], ["N" * 299 + "ß", "B"]
    report = import_areas(engine, _file(tmp_path, codes, names), level="L" * 100,
                          boundary_set="G" * 200, code_field="code", name_field="name",
                          settings=settings, actor=SYSTEM)
    assert report.n_areas == 2
    with Session(engine) as session:
        rows = session.execute(select(Area.code, Area.name, Area.geometry_wkb)
                               .order_by(Area.id)).all()
        assert session.scalar(select(AreaLevel.name)) == "L" * 100
    assert [(r.code, r.name) for r in rows] == list(zip(codes, names, strict=True))
    assert all(shapely.from_wkb(bytes(r.geometry_wkb)).is_valid for r in rows)


def test_a_ring_crossing_itself_only_in_degrees_is_stored_valid(engine: Engine,
                                                               tmp_path: Path,
                                                               settings: Settings) -> None:
    ax, bx, lat = 7.0, 7.15, 51.40  # see tests/geo/test_clean.py::_bent_ring
    bent = Polygon([(ax, lat), (bx, lat), (bx, lat - 0.01), ((ax + bx) / 2, lat + 3e-6),
                    (ax, lat - 0.01), (ax, lat)])
    path = write(frame([bent], crs="EPSG:4326"), tmp_path / "gebiet.geojson")
    report = import_areas(engine, path, level="Quartier", code_field="code",
                          name_field="name", settings=settings, actor=SYSTEM)
    assert "geometry_repaired" in {n.code for n in report.notes}
    with Session(engine) as session:
        stored = shapely.from_wkb(bytes(session.scalars(select(Area.geometry_wkb)).one()))
    assert stored.is_valid and stored.area == pytest.approx(bent.area, rel=1e-3)
