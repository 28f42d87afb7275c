"""The interview's area in the real browser at 768×1024: "Mein Standort" with a position
granted to the browser suggests the quarter containing it, and tapping a quarter on the map
chooses it — both on the demo city, with nothing leaving localhost."""

from __future__ import annotations

import geopandas as gpd
import pytest
from playwright.sync_api import expect

from stadtraum.config import project_root
from tests.browser.conftest import (
    AppServer,
    Outside,
    discard_drafts,
    open_page,
    screenshot,
    sign_in,
)
from tests.browser.leaflet import map_frame, screen_point
from tests.browser.probes import axe_violations

pytestmark = pytest.mark.browser


def _inside(code: str) -> tuple[float, float]:
    """(lat, lon) of a point surely inside the demo quarter ``code``."""
    quarters = gpd.read_file(project_root() / "geodata" / "beispielstadt_quartiere.geojson")
    point = quarters.set_index("code").geometry[code].representative_point()
    return point.y, point.x


def _area_step(page: object, server: AppServer, way: str) -> None:
    discard_drafts(server, "erika")  # drafts of earlier tests in this session
    sign_in(page, "erika")
    page.get_by_text("Neue Befragung beginnen").wait_for(timeout=60_000)  # type: ignore[attr-defined]
    page.get_by_role("button", name="Neue Befragung beginnen").click()  # type: ignore[attr-defined]
    page.get_by_text("Welches Gebiet wird bewertet?").wait_for()  # type: ignore[attr-defined]
    page.get_by_role("radio", name=way).click()  # type: ignore[attr-defined]


def test_my_position_suggests_the_quarter(browser: object, app_server: AppServer) -> None:
    lat, lon = _inside("203")
    outside = Outside()
    page = open_page(browser, app_server, 768, 1024, outside, context={
        "geolocation": {"latitude": lat, "longitude": lon, "accuracy": 12},
        "permissions": ["geolocation"]})
    _area_step(page, app_server, "Mein Standort")
    page.get_by_role("button", name="Meinen Standort bestimmen").click()  # type: ignore[attr-defined]
    quarters = gpd.read_file(project_root() / "geodata" / "beispielstadt_quartiere.geojson")
    name = str(quarters.set_index("code").loc["203", "name"])
    page.get_by_text(f"Ihr Standort liegt in: {name} (Genauigkeit ± 12 m)").wait_for(  # type: ignore[attr-defined]
        timeout=30_000)
    page.get_by_role("button", name="Dieses Gebiet übernehmen").click()  # type: ignore[attr-defined]
    page.get_by_text(f"Gewähltes Gebiet: {name}").wait_for(timeout=30_000)  # type: ignore[attr-defined]
    screenshot(page, "befragung-standort-768x1024")
    assert not axe_violations(page)
    page.get_by_role("radio", name="Name").click()  # type: ignore[attr-defined]
    expect(page.get_by_role("combobox").first).to_have_value(name)  # type: ignore[attr-defined]
    assert outside.requests == []
    page.close()  # type: ignore[attr-defined]


def test_tapping_the_map_chooses_the_quarter(browser: object, app_server: AppServer) -> None:
    outside = Outside()
    page = open_page(browser, app_server, 768, 1024, outside)
    _area_step(page, app_server, "Karte")
    frame = map_frame(page)
    quarters = gpd.read_file(project_root() / "geodata" / "beispielstadt_quartiere.geojson")
    name = str(quarters.set_index("code").loc["305", "name"])
    page.mouse.click(*screen_point(page, frame, _inside("305")))  # type: ignore[attr-defined]
    page.get_by_text(f"Gewähltes Gebiet: {name}").wait_for(timeout=30_000)  # type: ignore[attr-defined]
    screenshot(page, "befragung-karte-768x1024")
    page.get_by_role("button", name="Weiter").click()  # type: ignore[attr-defined]
    page.get_by_text("Die befragte Person ist einverstanden.").wait_for(timeout=30_000)  # type: ignore[attr-defined]
    assert outside.requests == []
    page.close()  # type: ignore[attr-defined]
