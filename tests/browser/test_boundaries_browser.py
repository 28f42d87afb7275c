"""The page "Gebiete" in the real browser (Debian's Chromium) at 1366×768 and 1024×768, on an
install without demo data: the admin uploads the real Bochum Stadtbezirke, sees the six
areas drawn on the offline map with their names, the preselected fields, the CRS and the
cleaning report, imports them, and sees the summary and the boundary set in the list.
axe-core finds no serious or critical violation; no request leaves localhost; the page
does not scroll sideways. Screenshots of the preview and of the result."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.browser.conftest import (
    AppServer,
    Outside,
    open_page,
    screenshot,
    serve_admin_app,
    sign_in,
)
from tests.browser.leaflet import FRAME, map_frame, polygons
from tests.browser.probes import axe_violations, wait_idle
from tests.geo.conftest import GEODATA, require_folder

pytestmark = pytest.mark.browser
ROOT = Path(__file__).resolve().parents[2]
STADTBEZIRKE = "bochum_stadtbezirke_dissolved_wgs84.geojson"
NAMES = {"Bochum-Mitte", "Bochum-Wattenscheid", "Bochum-Nord", "Bochum-Ost", "Bochum-Süd",
         "Bochum-Südwest"}


@pytest.fixture(scope="module")
def empty_city(tmp_path_factory: pytest.TempPathFactory) -> Iterator[AppServer]:
    """The app on a database with one admin and no areas."""
    with serve_admin_app(tmp_path_factory.mktemp("gebiete")) as server:
        yield server


def _preview_and_import(page: Any, source: Path, width: int, height: int) -> None:
    page.get_by_role("heading", name="Gebietsgrenzen importieren").wait_for(timeout=60_000)
    wait_idle(page)  # a file chosen while the page's first run is still going was lost
    page.locator("input[type=file]").first.set_input_files(str(source))
    page.get_by_text("Prüfbericht").wait_for(timeout=60_000)
    frame = map_frame(page)
    assert len(polygons(frame)) == 6
    labels = frame.evaluate("[...document.querySelectorAll('.sr-label')]"
                            ".map(e => e.textContent)")
    assert set(labels) == NAMES
    body = page.inner_text("body")
    assert "6 Objekte" in body and "EPSG:4326 (aus der Datei)" in body
    wait_idle(page)
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    problems = axe_violations(page, exclude=[FRAME])  # Leaflet's own map: not our markup
    assert problems == [], problems
    page.query_selector(FRAME).scroll_into_view_if_needed()
    screenshot(page, f"gebiete-1-vorschau-{width}x{height}")

    new_set = page.get_by_label("Name des neuen Grenzstands")
    if new_set.count():  # the first import of this install: a new set, name suggested
        assert new_set.input_value() == "Gebietsgliederung"
        new_set.fill("Bochum")
    page.get_by_label("Name der Ebene").fill("Stadtbezirk")
    page.get_by_label("Name der Ebene").press("Enter")
    wait_idle(page)
    page.get_by_role("button", name="Gebiete importieren").click()
    done = page.get_by_text("6 Gebiete der Ebene")
    done.wait_for(timeout=60_000)
    wait_idle(page)
    assert "Grenzstand „Bochum“ Version" in page.inner_text("body")
    problems = axe_violations(page)
    assert problems == [], problems
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    done.scroll_into_view_if_needed()
    screenshot(page, f"gebiete-2-importiert-{width}x{height}")


def test_the_admin_previews_and_imports_the_bochum_stadtbezirke(
        browser: object, empty_city: AppServer) -> None:
    """At 1366×768, then (same sign-in, the page reloaded) at 1024×768: the second import
    of the level makes version 2 of the set."""
    source = require_folder(GEODATA, os.environ) / STADTBEZIRKE
    outside = Outside()
    page: Any = open_page(browser, empty_city, 1366, 768, outside)
    page.get_by_label("Benutzername").wait_for(timeout=60_000)
    sign_in(page, "ada")
    page.get_by_role("link", name="Gebiete").first.click()
    _preview_and_import(page, source, 1366, 768)
    page.set_viewport_size({"width": 1024, "height": 768})
    page.goto(empty_city.url + "/gebiete")
    _preview_and_import(page, source, 1024, 768)
    assert "Version 2" in page.inner_text("body")
    assert outside.requests == []
    page.close()
