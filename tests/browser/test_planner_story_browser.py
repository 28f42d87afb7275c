"""Issue 4's "done when", walked in the real browser at 1366×768 on the demo city: a planner
shows "Sicherheitsgefühl" on the map, finds the quarter with the lowest rating, opens its
profile by clicking it, compares it with its neighbour and with the previous wave, and
downloads the comparison table. Every step is screenshotted for docs/planung.md."""

from __future__ import annotations

import csv
import io
from pathlib import Path
from typing import Any

import pytest
import shapely
from shapely.geometry import shape

from tests.browser.conftest import AppServer, Outside, open_page, screenshot, sign_in
from tests.browser.leaflet import map_frame, tap
from tests.browser.probes import wait_idle

pytestmark = pytest.mark.browser


def _lowest_safety(db_url: str) -> tuple[str, str, tuple[float, float]]:
    """(code, name, a point inside) of the newest wave's quarter with the lowest published
    mean for feeling_safe, from the statistics engine."""
    from sqlalchemy.orm import Session

    from stadtraum.analysis.cube import CubeFilter
    from stadtraum.analysis.cube_store import CubeProvider
    from stadtraum.analysis.results import compute_results
    from stadtraum.maps.area_values import area_values
    from stadtraum.maps.display_geojson import level_geojson
    from stadtraum.store.engine import make_engine
    from stadtraum.store.queries import list_campaigns

    engine = make_engine(db_url)
    with Session(engine) as session:
        campaign = list_campaigns(session)[-1]
    res = compute_results(engine, CubeProvider(engine), CubeFilter((campaign.id,)))
    values = {code: v.value for code, v in area_values(res, 0, "feeling_safe").items()
              if not v.suppressed and v.value is not None}
    code = min(values, key=values.__getitem__)
    feature = next(f for f in level_geojson(engine, campaign.level_id)["features"]
                   if f["properties"]["code"] == code)
    engine.dispose()
    area = shape(feature["geometry"])
    inner = area.buffer(-0.0015)
    p = shapely.point_on_surface(area if inner.is_empty else inner)
    return code, str(feature["properties"]["name"]), (p.y, p.x)


def _settle(page: Any) -> None:
    wait_idle(page, pause_ms=600)


def _choose(page: Any, label: str, typed: str, option: str) -> None:
    box = page.get_by_label(label, exact=True)
    box.click()
    box.press_sequentially(typed)
    page.get_by_role("option", name=option).first.click()
    _settle(page)


def test_lowest_safety_quarter_profile_neighbour_wave_and_export(
        browser: object, app_server: AppServer) -> None:
    _code, name, point = _lowest_safety(app_server.db_url)
    outside = Outside()
    page: Any = open_page(browser, app_server, 1366, 768, outside)
    sign_in(page, "pia")
    page.get_by_role("link", name="Karte").first.click()
    page.wait_for_url("**/karte", timeout=60_000)
    map_frame(page)
    _choose(page, "Kriterium", "Sicherheit", "Sicherheitsgefühl")
    page.get_by_text("Sicherheitsgefühl").first.wait_for()
    frame = map_frame(page)
    screenshot(page, "planung-1-karte-sicherheitsgefuehl-1366x768")
    tap(page, frame, point)
    page.wait_for_url("**/gebietsprofil**", timeout=60_000)
    page.wait_for_function("n => [...document.querySelectorAll('h1,h2,h3')]"
                           ".some(h => h.innerText.includes(n))", arg=name, timeout=60_000)
    _settle(page)
    screenshot(page, "planung-2-gebietsprofil-1366x768")
    page.get_by_role("link", name="Vergleich").first.click()
    page.wait_for_url("**/vergleich", timeout=60_000)
    page.get_by_text("Gebiete vergleichen").wait_for(timeout=60_000)
    _settle(page)
    page.get_by_text("Zwei Befragungswellen vergleichen").wait_for(timeout=60_000)
    page.get_by_text("Frühere Befragung").first.wait_for(timeout=60_000)
    screenshot(page, "planung-3-vergleich-1366x768")
    with page.expect_download(timeout=60_000) as info:
        page.get_by_role("button", name="Tabelle als CSV herunterladen").first.click()
    download = info.value
    text = Path(download.path()).read_text(encoding="utf-8")
    rows = list(csv.reader(io.StringIO(text)))
    assert download.suggested_filename.endswith(".csv")
    header = " ".join(rows[0])
    assert name in header  # the chosen quarter is a column of the comparison
    assert any("Sicherheitsgefühl" in cell for row in rows for cell in row)
    assert len(rows) >= 15  # 14 criteria (and the index) compared
    assert outside.requests == []
    page.close()
