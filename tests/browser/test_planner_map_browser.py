"""The Karte page in the real browser (Debian's Chromium) on the demo city, at 1366×768 and
1024×768, with every request outside localhost blocked and counted (none may happen): one
drawn polygon per area, sampled fill colours equal to the statistics engine's values, a
visible legend, axe-core without serious or critical findings, and a click on an area opens
its Gebietsprofil — again after going back and clicking the same area once more."""

from __future__ import annotations

from typing import Any

import pytest
import shapely
from shapely.geometry import shape

from tests.browser.conftest import AppServer, Outside, open_page, screenshot, sign_in
from tests.browser.leaflet import FRAME, map_frame, tap
from tests.browser.leaflet import polygons as drawn_polygons
from tests.browser.probes import axe_violations

pytestmark = pytest.mark.browser
SIZES = [(1366, 768), (1024, 768)]


def _expected(db_url: str) -> tuple[dict[str, str], dict[str, tuple[float, float]],
                                    dict[str, str]]:
    """Per quarter of the newest campaign (the page's default: overall index, mean): the
    fill colour from the engine, a point inside the area, and the area name."""
    from sqlalchemy.orm import Session

    from stadtraum.analysis.cube import CubeFilter
    from stadtraum.analysis.cube_store import CubeProvider
    from stadtraum.analysis.results import compute_results
    from stadtraum.maps.area_values import area_values
    from stadtraum.maps.base import HATCH_FILL
    from stadtraum.maps.colours import RATING_SCALE
    from stadtraum.maps.display_geojson import level_geojson
    from stadtraum.store.engine import make_engine
    from stadtraum.store.queries import list_campaigns

    engine = make_engine(db_url)
    with Session(engine) as session:
        campaign = list_campaigns(session)[-1]
    res = compute_results(engine, CubeProvider(engine), CubeFilter((campaign.id,)))
    colours = {code: HATCH_FILL if v.suppressed else str(RATING_SCALE.colour_for(v.value))
               for code, v in area_values(res, 0, None).items()}
    points, names = {}, {}
    for f in level_geojson(engine, campaign.level_id)["features"]:
        area = shape(f["geometry"])
        inner = area.buffer(-0.0015)
        p = shapely.point_on_surface(area if inner.is_empty else inner)
        points[f["properties"]["code"]] = (p.y, p.x)
        names[f["properties"]["code"]] = str(f["properties"]["name"])
    engine.dispose()
    return colours, points, names


def _scrolled_map_frame(page: Any) -> Any:
    page.wait_for_selector(FRAME, timeout=120_000)
    page.query_selector(FRAME).scroll_into_view_if_needed()
    return map_frame(page)


def _polygons(frame: Any) -> dict[str, str]:
    return {p["code"]: p["fill"] for p in drawn_polygons(frame)}


def _profile_opened(page: Any, name: str) -> None:
    page.wait_for_url("**/gebietsprofil**", timeout=60_000)
    page.wait_for_function("n => [...document.querySelectorAll('h1,h2,h3')]"
                           ".some(h => h.innerText.includes(n))", arg=name, timeout=60_000)


@pytest.mark.parametrize(("width", "height"), SIZES)
def test_map_page_offline_colours_legend_axe_and_profile_clicks(
        browser: object, app_server: AppServer, width: int, height: int) -> None:
    colours, points, names = _expected(app_server.db_url)
    outside = Outside()
    page: Any = open_page(browser, app_server, width, height, outside)
    sign_in(page, "pia")
    page.get_by_role("link", name="Karte").first.click()
    page.wait_for_url("**/karte", timeout=60_000)
    frame = _scrolled_map_frame(page)
    drawn = _polygons(frame)
    assert len(drawn) == len(colours) == 30
    assert frame.evaluate("document.querySelectorAll('path.leaflet-interactive').length") == 30
    sample = sorted(colours)[::3]
    assert {c: drawn[c] for c in sample} == {c: colours[c] for c in sample}
    assert drawn == colours
    legend = page.locator(".sr-legend")
    assert legend.is_visible() and "zu wenige Antworten (n < 5)" in legend.inner_text()
    assert "nicht automatisch repräsentativ" in page.inner_text("body")
    page.wait_for_timeout(800)
    screenshot(page, f"karte-{width}x{height}")
    problems = axe_violations(page)
    assert problems == [], problems
    code = next(c for c in sorted(colours) if not colours[c].startswith("url("))
    tap(page, frame, points[code])
    _profile_opened(page, names[code])
    page.go_back()
    page.wait_for_url("**/karte", timeout=60_000)
    frame = _scrolled_map_frame(page)
    tap(page, frame, points[code])  # the same area once more
    _profile_opened(page, names[code])
    assert outside.requests == [], f"requests left localhost: {outside.requests}"
    page.close()
