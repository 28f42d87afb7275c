"""The display GeoJSON service: per level, from the stored boundaries, cached by version."""

from __future__ import annotations

import pytest
import shapely
from shapely.geometry import box, shape
from sqlalchemy import update
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session

from stadtraum.errors import NotFoundError
from stadtraum.maps.display_geojson import clear_cache, level_geojson
from stadtraum.store.db import Area
from stadtraum.store.engine import write_engine
from tests.helpers import make_city


@pytest.fixture(autouse=True)
def _fresh_cache() -> None:
    clear_cache()


def test_features_in_code_order_with_raw_names_and_shared_borders(engine: Engine) -> None:
    city = make_city(engine)
    gj = level_geojson(engine, city.quarter_level_id)
    assert [f["properties"] for f in gj["features"]] == [
        {"code": "Q1", "name": "Quartier Q1"}, {"code": "Q2", "name": "Quartier Q2"},
        {"code": "Q3", "name": "Quartier Q3"}]
    q1, q2 = (shape(f["geometry"]) for f in gj["features"][:2])
    assert q1.intersection(q2).length > 0.009 and q1.intersection(q2).area == 0
    coords = shapely.get_coordinates(q1)
    assert (coords.round(6) == coords).all()
    districts = level_geojson(engine, city.district_level_id)
    assert [f["properties"]["code"] for f in districts["features"]] == ["D1", "D2"]


def test_cached_per_level_and_version(engine: Engine) -> None:
    city = make_city(engine)
    first = level_geojson(engine, city.quarter_level_id)
    assert level_geojson(engine, city.quarter_level_id) is first
    assert level_geojson(engine, city.district_level_id) is not first
    assert level_geojson(engine, city.quarter_level_id, tolerance_m=0) is not first
    with Session(write_engine(engine)) as session, session.begin():  # levels are immutable
        session.execute(update(Area).where(Area.level_id == city.quarter_level_id,
                                           Area.code == "Q1").values(name="Neuer Name"))
    assert level_geojson(engine, city.quarter_level_id) is first
    # a database emptied and filled again can reuse level ids: the area count is in the key
    with Session(write_engine(engine)) as session, session.begin():
        session.add(Area(level_id=city.quarter_level_id, code="Q9", name="Neu",
                         geometry_wkb=shapely.to_wkb(box(7.30, 51.45, 7.31, 51.46))))
    fresh = level_geojson(engine, city.quarter_level_id)
    assert fresh is not first and len(fresh["features"]) == 4
    assert fresh["features"][0]["properties"]["name"] == "Neuer Name"


def test_unknown_level(engine: Engine) -> None:
    with pytest.raises(NotFoundError):
        level_geojson(engine, 9999)
