"""GeoJSON and GeoPackage results on Bochum's real boundaries (../shared/geodata, imported in
EPSG:25832 as a city's own files would be): the GeoJSON is WGS84 with one feature per
statistical district, the GeoPackage keeps EPSG:25832 with a layer per level and the same
shapes, and both match the engine cell by cell when read back with geopandas."""

from __future__ import annotations

import io
import json
import os
from pathlib import Path

import geopandas as gpd
import pytest
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session

from stadtraum.accounts.permissions import SYSTEM
from stadtraum.admin.boundaries import import_boundaries
from stadtraum.analysis.cube import CubeFilter
from stadtraum.analysis.cube_store import CubeProvider
from stadtraum.analysis.results import compute_results
from stadtraum.collect.submit import submit_response
from stadtraum.config import GERMANY_BBOX, Region, Settings
from stadtraum.criteria import DEFAULT_CATALOGUE
from stadtraum.exports.results_export import export_results
from stadtraum.store.campaigns import create_campaign
from stadtraum.store.queries import current_level
from tests.exports.test_results_export import _geo_check, expected
from tests.geo.conftest import GEODATA, require_folder
from tests.helpers import make_payload

SETTINGS = Settings(region=Region(*GERMANY_BBOX))
TOP = "bochum_stadtbezirke_dissolved_wgs84.geojson"
SUB = "bochum_statistische_bezirke_wgs84.geojson"


@pytest.fixture
def bochum(engine: Engine, tmp_path: Path) -> tuple[int, gpd.GeoDataFrame]:
    geodata = require_folder(GEODATA, os.environ)
    files = {}
    for name, target in ((TOP, "top.gpkg"), (SUB, "sub.gpkg")):
        frame = gpd.read_file(geodata / name).to_crs("EPSG:25832")  # a copy in tmp only
        frame.to_file(tmp_path / target, driver="GPKG")
        files[name] = frame
    import_boundaries(engine, (tmp_path / "top.gpkg").read_bytes(), "top.gpkg",
                      level="Stadtbezirk", boundary_set="Bochum", actor=SYSTEM,
                      settings=SETTINGS)
    import_boundaries(engine, (tmp_path / "sub.gpkg").read_bytes(), "sub.gpkg",
                               level="Statistischer Bezirk", parent_level="Stadtbezirk",
                               parent_field="stadtbezirk_nr", boundary_set="Bochum",
                               actor=SYSTEM, settings=SETTINGS)
    with Session(engine) as session:
        level_id = current_level(session, "Statistischer Bezirk").id
    campaign = create_campaign(engine, name="Bochum 2026", level_id=level_id,
                               catalogue_id=DEFAULT_CATALOGUE, min_n=5, status="open")
    codes = [str(c) for c in files[SUB]["stat_bezirk_nr"]]
    for i, code in enumerate(codes[:20]):  # 10 districts get 6 answers, 10 only 2
        for k in range(6 if i % 2 == 0 else 2):
            submit_response(engine, make_payload(campaign, code, {
                "moving_around": 1 + (i + k) % 7, "housing": 2 + k % 5}))
    return campaign, files[SUB]


def test_geojson_and_gpkg_on_real_boundaries(engine: Engine, bochum: tuple[int, gpd.GeoDataFrame],
                                             tmp_path: Path) -> None:
    campaign, source = bochum
    provider = CubeProvider(engine)
    res = compute_results(engine, provider, CubeFilter((campaign,)))
    want = expected(res)
    assert any(v is None for v in want.values()) and any(v is not None for v in want.values())
    geo = export_results(engine, provider, campaign, "geojson", actor=SYSTEM)
    frame = gpd.read_file(io.BytesIO(geo.data))
    assert frame.crs.to_epsg() == 4326 and len(frame) == 30
    assert json.loads(geo.data)["metadata"]["campaigns"][0]["name"] == "Bochum 2026"
    _geo_check(frame, "Statistischer Bezirk", want, res)
    pkg = export_results(engine, provider, campaign, "gpkg", actor=SYSTEM)
    path = tmp_path / pkg.name
    path.write_bytes(pkg.data)
    layers = {"Statistischer Bezirk": 30, "Stadtbezirk": 6, "Gesamtstadt": 1}
    for level, count in layers.items():
        layer = gpd.read_file(path, layer=level)
        assert layer.crs.to_epsg() == 25832 and len(layer) == count, level
        _geo_check(layer, level, want, res)
    districts = gpd.read_file(path, layer="Statistischer Bezirk").set_index("Gebiet-Code")
    original = source.assign(code=source["stat_bezirk_nr"].astype(str)).set_index("code")
    for code in original.index:  # the city's shapes, in its CRS (within a metre of area)
        got = districts.geometry[code]
        assert got.symmetric_difference(original.geometry[code]).area < 0.01 * got.area
    city = gpd.read_file(path, layer="Gesamtstadt").geometry.iloc[0]
    assert city.area == pytest.approx(original.geometry.union_all().area, rel=0.01)
