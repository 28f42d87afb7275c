"""The maps in a real browser (Debian's Chromium, 1024×768) with every request that leaves
localhost blocked and counted: Leaflet comes from the app, one drawn polygon per area, fill
colours from the statistics engine (suppressed: the hatch pattern), clicks report the area
(a second click on the same area too), pan and zoom cause no rerun, and area names with
HTML/JS/markdown payloads are shown as text and never run.

The app is a test-only script (tests/browser/apps/map_app.py) started next to a link to the
repository's static/ folder, the way Streamlit serves static/ beside streamlit_app.py."""

from __future__ import annotations

import json
import shutil
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import pytest
import shapely
from shapely.geometry import shape
from sqlalchemy import update
from sqlalchemy.orm import Session

from tests.browser.conftest import ROOT, AppServer, Outside, open_page, screenshot, serve
from tests.browser.leaflet import FRAME, map_frame, screen_point
from tests.browser.leaflet import polygons as drawn_polygons
from tests.browser.probes import RerunCounter

pytestmark = pytest.mark.browser
XSS = '<img src=x onerror="window.__xss=1">'
TEMPLATE = "${alert(1)}"
MARKDOWN = "![Bild](https://tracker.example/pixel.png)"


@dataclass
class MapCase:
    server: AppServer
    colours: dict[str, str]  # area code -> expected fill ("url(#sr-hatch)" when suppressed)
    points: dict[str, tuple[float, float]]  # area code -> (lat, lng) inside the area
    names: dict[str, str]  # code -> name, for the renamed areas


def _prepare(db_url: str) -> tuple[dict[str, str], dict[str, tuple[float, float]],
                                   dict[str, str]]:
    from stadtraum.accounts.permissions import SYSTEM
    from stadtraum.accounts.users import create_user
    from stadtraum.analysis.cube import CubeFilter
    from stadtraum.analysis.cube_store import CubeProvider
    from stadtraum.analysis.results import compute_results
    from stadtraum.demo.loader import load_demo
    from stadtraum.maps.area_values import area_values
    from stadtraum.maps.base import HATCH_FILL
    from stadtraum.maps.colours import RATING_SCALE
    from stadtraum.maps.display_geojson import level_geojson
    from stadtraum.store.db import Area
    from stadtraum.store.engine import make_engine, write_engine
    from stadtraum.store.migrate import migrate
    from stadtraum.store.queries import areas_frame, list_campaigns

    engine = make_engine(db_url)
    migrate(engine)
    load_demo(engine)
    create_user(engine, "pia", "planner", "Browser-Test-123", actor=SYSTEM)
    with Session(engine) as session:
        campaign = list_campaigns(session)[0]
        codes = areas_frame(session, campaign.level_id)["code"].tolist()
    names = dict(zip(codes[:3], [XSS, TEMPLATE, MARKDOWN], strict=True))
    with Session(write_engine(engine)) as session, session.begin():
        for code, name in names.items():  # names are not statistics: no change counter
            session.execute(update(Area).where(Area.level_id == campaign.level_id,
                                               Area.code == code).values(name=name))
    res = compute_results(engine, CubeProvider(engine),
                          CubeFilter(campaign_ids=(campaign.id,)))
    colours = {code: HATCH_FILL if v.suppressed else str(RATING_SCALE.colour_for(v.value))
               for code, v in area_values(res, 0, res.criteria[0].id).items()}
    points = {}
    for f in level_geojson(engine, campaign.level_id)["features"]:
        area = shape(f["geometry"])
        inner = area.buffer(-0.0015)  # keep off the borders (about 100 m)
        p = shapely.point_on_surface(area if inner.is_empty else inner)
        points[f["properties"]["code"]] = (p.y, p.x)
    engine.dispose()
    return colours, points, names


@pytest.fixture(scope="module")
def map_case(tmp_path_factory: pytest.TempPathFactory) -> Iterator[MapCase]:
    tmp = tmp_path_factory.mktemp("mapapp")
    db_url = f"sqlite:///{tmp / 'map.db'}"
    colours, points, names = _prepare(db_url)
    app_dir = tmp / "app"
    app_dir.mkdir()
    (app_dir / "static").symlink_to(ROOT / "static")
    shutil.copy(ROOT / "tests" / "browser" / "apps" / "map_app.py", app_dir / "map_app.py")
    with serve(app_dir / "map_app.py", db_url, tmp) as server:
        yield MapCase(server, colours, points, names)


def _wait_events(page: Any, expected: list[str]) -> None:
    text = "events: " + json.dumps(expected)
    page.wait_for_function("t => document.body.innerText.includes(t)", arg=text,
                           timeout=30_000)


def _no_xss(page: Any, frame: Any, dialogs: list[str]) -> None:
    assert frame.evaluate("() => window.__xss") is None
    assert page.evaluate("() => window.__xss") is None
    assert dialogs == []


def _open(browser: object, case: MapCase, view: str, outside: Outside, dialogs: list[str],
          counter: RerunCounter | None = None, size: tuple[int, int] = (1024, 768)) -> Any:
    def attach(page: Any) -> None:
        page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
        if counter is not None:
            counter.attach(page)

    page = open_page(browser, case.server, size[0], size[1], outside, f"/?view={view}",
                     on_page=attach)
    page.wait_for_selector(FRAME, timeout=120_000)
    page.query_selector(FRAME).scroll_into_view_if_needed()
    return page


def test_choropleth_offline_colours_legend_and_escaped_names(browser: object,
                                                              map_case: MapCase) -> None:
    outside, dialogs = Outside(), []
    page = _open(browser, map_case, "choropleth", outside, dialogs)
    frame = map_frame(page)
    polygons = drawn_polygons(frame)
    assert len(polygons) == len(map_case.colours)
    assert frame.evaluate("document.querySelectorAll('path.leaflet-interactive').length") \
        == len(map_case.colours)
    drawn = {p["code"]: p["fill"] for p in polygons}
    assert drawn == map_case.colours
    assert "url(#sr-hatch)" in drawn.values() and len(set(drawn.values())) >= 3
    assert frame.evaluate("() => !!document.getElementById('sr-hatch')")
    assert frame.evaluate("() => typeof L === 'object' && L.version") == "1.9.4"
    legend = page.inner_text(".sr-legend")
    assert "zu wenige Antworten (n < 5)" in legend and "1 bis unter 2" in legend
    xss_code = next(c for c, n in map_case.names.items() if n == XSS)
    page.mouse.move(*screen_point(page, frame, map_case.points[xss_code]))
    frame.wait_for_selector(".leaflet-tooltip", timeout=10_000)
    tip = frame.inner_text(".leaflet-tooltip")
    assert XSS in tip, tip
    code = next(c for c in map_case.points if c not in map_case.names)
    for clicks in ([code], [code, code]):  # the explorer's map reports clicks the same way
        page.mouse.click(*screen_point(page, frame, map_case.points[code]))
        _wait_events(page, clicks)
    screenshot(page, "karte-choropleth-1024x768")
    _no_xss(page, frame, dialogs)
    assert outside.requests == [], f"requests left localhost: {outside.requests}"
    page.close()


def test_picker_click_reports_every_tap_and_pan_zoom_do_not_rerun(browser: object,
                                                                   map_case: MapCase) -> None:
    outside, dialogs, counter = Outside(), [], RerunCounter()
    page = _open(browser, map_case, "picker", outside, dialogs, counter)
    frame = map_frame(page)
    assert len(drawn_polygons(frame)) == len(map_case.points)
    frame.evaluate("() => { window.__sameMap = 1; }")  # gone if the map were re-created
    a, b = [c for c in map_case.points if c not in map_case.names][:2]
    events: list[str] = []
    for code in (a, a, b, b, a):
        page.mouse.click(*screen_point(page, frame, map_case.points[code]))
        events.append(code)
        _wait_events(page, events)
        frame.wait_for_function(  # the choice is outlined, without re-creating the map
            """code => Object.values(window.map._layers).some(l => l.feature
                && l.options.interactive === false && l.feature.properties.code === code)""",
            arg=code, timeout=10_000)
    assert frame.evaluate("() => window.__sameMap") == 1
    # textContent: a label hidden because it would overlap another is still text, not markup
    labels = frame.evaluate("() => [...document.querySelectorAll('.sr-label')]"
                            ".map(e => e.textContent)")
    assert len(labels) == len(map_case.points)
    assert {XSS, TEMPLATE, MARKDOWN} <= set(labels)  # shown as text, never as markup
    page.wait_for_timeout(500)
    reruns = counter.reruns
    frame.evaluate("() => { window.map.setZoom(window.map.getZoom() + 1);"
                   " window.map.panBy([60, 40]); }")
    page.wait_for_timeout(1500)
    assert counter.reruns == reruns, "pan/zoom caused a rerun"
    assert frame.evaluate("() => window.__sameMap") == 1
    screenshot(page, "karte-gebietswahl-1024x768")
    _no_xss(page, frame, dialogs)
    assert outside.requests == [], f"requests left localhost: {outside.requests}"
    page.close()


def test_picker_fills_a_portrait_tablet_and_tiles_load_only_when_configured(
        browser: object, map_case: MapCase) -> None:
    outside, dialogs = Outside(), []
    page = _open(browser, map_case, "picker", outside, dialogs, size=(768, 1024))
    frame = map_frame(page)
    box = page.query_selector(FRAME).bounding_box()
    assert box["width"] >= 680 and box["height"] >= 480, box
    assert page.evaluate("document.documentElement.scrollWidth") <= 768
    assert len(frame.query_selector_all(".sr-label")) == len(map_case.points)
    misplaced = frame.evaluate("""() => Object.values(window.map._layers)
        .filter(l => l.feature && l._path && l.getTooltip && l.getTooltip())
        .filter(l => { const p = l._path.getBoundingClientRect();
                       const t = l.getTooltip()._container.getBoundingClientRect();
                       const x = t.x + t.width / 2, y = t.y + t.height / 2;
                       return x < p.left || x > p.right || y < p.top || y > p.bottom; })
        .map(l => l.feature.properties.code)""")
    assert misplaced == [], f"labels outside their area: {misplaced}"
    # no two shown labels overlap; most are shown, and zooming in shows more
    overlaps = """() => { const r = [...document.querySelectorAll('.sr-label')]
        .filter(e => getComputedStyle(e).visibility === 'visible')
        .map(e => e.getBoundingClientRect());
      let bad = 0;
      for (let i = 0; i < r.length; i++) for (let j = i + 1; j < r.length; j++)
        if (r[i].left < r[j].right && r[j].left < r[i].right && r[i].top < r[j].bottom
            && r[j].top < r[i].bottom) bad++;
      return [r.length, bad]; }"""
    shown, bad = frame.evaluate(overlaps)
    assert bad == 0 and shown >= 0.6 * len(map_case.points), (shown, bad)
    frame.evaluate("() => window.map.setZoom(window.map.getZoom() + 1)")
    page.wait_for_timeout(800)
    more, bad = frame.evaluate(overlaps)
    assert bad == 0 and more >= shown, (more, shown)
    frame.evaluate("() => window.map.setZoom(window.map.getZoom() - 1)")
    page.wait_for_timeout(800)
    screenshot(page, "karte-gebietswahl-768x1024")
    assert outside.requests == [], f"requests left localhost: {outside.requests}"
    page.close()
    # the counting is real: with the OpenStreetMap base map the tiles are the only requests
    # that leave (and are blocked)
    tiles = Outside()
    page = _open(browser, map_case, "picker&basemap=osm", tiles, dialogs)
    map_frame(page)
    page.wait_for_timeout(1000)
    assert tiles.requests, "no tile was requested with STADTRAUM_BASEMAP=osm"
    assert all(u.startswith("https://tile.openstreetmap.org/") for u in tiles.requests), \
        tiles.requests
    page.close()
