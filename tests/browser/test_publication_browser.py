"""The page "Veröffentlichung" in the real browser (Debian's Chromium) at 1366×768 and 1024×768:
an admin downloads a published campaign's results as CSV (read back with the csv module and
pandas: UTF-8 with BOM, German numbers, suppressed cells without value and n), switches
"Ergebnisse öffentlich abrufbar" on and fetches the shown public GeoJSON address without
signing in (features, no case numbers). A planner sees the downloads but not the admins'
switch. axe-core finds no serious or critical violation; no request leaves localhost; the page
does not scroll sideways. The 1024×768 screenshot goes to docs/screenshots/ (docs/planung.md)."""

from __future__ import annotations

import csv
import io
import json
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pandas as pd
import pytest
from sqlalchemy.engine import Engine

from tests.browser.conftest import (
    PASSWORD,
    AppServer,
    Outside,
    open_page,
    screenshot,
    serve_admin_app,
    sign_in,
)
from tests.browser.probes import axe_violations, wait_idle

pytestmark = pytest.mark.browser
ROOT = Path(__file__).resolve().parents[2]
DOC_SHOTS = ROOT / "docs" / "screenshots"
CAMPAIGN: dict[str, int] = {}
SWITCH = "Ergebnisse öffentlich abrufbar"


def _fill(engine: Engine) -> None:
    from stadtraum.accounts.permissions import SYSTEM
    from stadtraum.accounts.users import create_user
    from stadtraum.analysis.cube_store import CubeProvider
    from stadtraum.collect.submit import submit_response
    from stadtraum.publish.service import publish_results
    from tests.helpers import make_city, make_payload

    city = make_city(engine, min_n=5, campaign="Befragung West 2026")
    for score in (3, 4, 4, 5, 6, 6):  # Q1: shown for housing, hidden to protect Q2
        submit_response(engine, make_payload(city.campaign_id, "Q1",
                                             {"moving_around": score, "housing": 4}))
    for score in (1, 1, 2):  # Q2: too few ratings
        submit_response(engine, make_payload(city.campaign_id, "Q2", {"moving_around": score}))
    for score in (5, 5, 5, 6, 6, 6, 7):  # Q3: 40 / 7 = 5.714
        submit_response(engine, make_payload(city.campaign_id, "Q3",
                                             {"moving_around": score, "housing": 3}))
    publish_results(engine, CubeProvider(engine), city.campaign_id, actor=SYSTEM)
    create_user(engine, "pia", "planner", PASSWORD, actor=SYSTEM)
    CAMPAIGN["id"] = city.campaign_id


@pytest.fixture(scope="module")
def town(tmp_path_factory: pytest.TempPathFactory) -> Iterator[AppServer]:
    with serve_admin_app(tmp_path_factory.mktemp("veroeffentlichung"), _fill) as server:
        yield server


def _check(page: Any, width: int) -> None:
    wait_idle(page)
    problems = axe_violations(page)
    assert problems == [], problems
    assert page.evaluate("document.documentElement.scrollWidth") <= width


def _signed_in(browser: object, town: AppServer, outside: Outside, name: str) -> Any:
    """A new browser context at the root, signed in as ``name``, then on "Veröffentlichung"
    through the sidebar, like a person."""
    page: Any = open_page(browser, town, 1366, 768, outside)
    page.get_by_label("Benutzername").wait_for(timeout=60_000)
    sign_in(page, name)
    page.get_by_text("Angemeldet:").wait_for(timeout=60_000)
    page.get_by_role("link", name="Veröffentlichung", exact=True).click()
    page.get_by_role("heading", name="Veröffentlichung", exact=True).wait_for(timeout=60_000)
    page.wait_for_url("**/veroeffentlichung", timeout=30_000)
    page.get_by_role("button", name="Ergebnisse herunterladen").wait_for(timeout=60_000)
    wait_idle(page)
    return page


def _check_csv(data: bytes) -> None:
    assert data.startswith(b"\xef\xbb\xbf"), "UTF-8 with BOM, for Excel"
    text = data.decode("utf-8-sig")
    rows = {(r["ebene"], r["gebiet_code"], r["kriterium_id"]): r
            for r in csv.DictReader(io.StringIO(text), delimiter=";")}
    q3 = rows[("Quartier", "Q3", "moving_around")]
    assert (q3["unterdrueckt"], q3["n"], q3["mittelwert"]) == ("nein", "7", "5,714")
    for code in ("Q1", "Q2"):  # Q2 has 3 ratings; Q1 is hidden to protect it
        cell = rows[("Quartier", code, "moving_around")]
        assert cell["unterdrueckt"] == "ja", code
        assert [cell[c] for c in ("n", "mittelwert", "ki95_unten", "ki95_oben", "median")] \
            == [""] * 5, code
    assert "1,333" not in text and "1.333" not in text  # Q2's mean appears nowhere
    frame = pd.read_csv(io.BytesIO(data), sep=";", decimal=",", encoding="utf-8-sig")
    shown = frame[(frame.gebiet_code == "Q3") & (frame.kriterium_id == "moving_around")]
    assert float(shown["mittelwert"].iloc[0]) == pytest.approx(40 / 7, abs=5e-4)
    hidden = frame[(frame.gebiet_code == "Q2") & (frame.kriterium_id == "moving_around")]
    assert hidden["n"].isna().all() and hidden["mittelwert"].isna().all()


def _fetch(url: str) -> dict[str, Any]:
    with urllib.request.urlopen(url, timeout=60) as response:  # our own server
        assert response.status == 200
        doc: dict[str, Any] = json.loads(response.read().decode("utf-8"))
    return doc


def test_an_admin_downloads_and_switches_public_a_planner_only_downloads(
        browser: object, town: AppServer) -> None:
    outside = Outside()
    page = _signed_in(browser, town, outside, "ada")
    _check(page, 1366)
    with page.expect_download(timeout=60_000) as info:
        page.get_by_role("button", name="Ergebnisse herunterladen").click()
    download = info.value
    assert download.suggested_filename == f"ergebnisse_{CAMPAIGN['id']}.csv"
    _check_csv(Path(download.path()).read_bytes())

    assert page.get_by_role("heading", name="Öffentliche Adressen").count() == 1
    assert page.locator("[data-testid=stCode]").count() == 0  # off: no addresses shown
    page.get_by_text(SWITCH, exact=True).click()
    page.get_by_text("Ergebnisse sind jetzt öffentlich abrufbar.").wait_for(timeout=60_000)
    code = page.locator("[data-testid=stCode]")
    code.wait_for(timeout=60_000)
    urls = [u.strip() for u in code.inner_text().splitlines() if u.strip()]
    base = f"{town.url}/opendata/{CAMPAIGN['id']}/"
    assert urls == [base + name for name in ("results.geojson", "results.csv",
                                             "results.csv-metadata.json")], urls
    doc = _fetch(urls[0])  # without a session: what QGIS would load
    assert doc["type"] == "FeatureCollection"
    props = {f["properties"]["Gebiet-Code"]: f["properties"] for f in doc["features"]}
    assert set(props) == {"Q1", "Q2", "Q3"}
    assert not [k for p in props.values() for k in p if k == "n" or k.lower().startswith(
        "n ") or "fallzahl" in k.lower() or k.lower().endswith(": n")]
    walk = "Zu Fuß und mit dem Rad: Mittelwert"
    assert props["Q1"][walk] is None and props["Q2"][walk] is None  # suppressed: no value
    assert props["Q3"][walk] == pytest.approx(40 / 7, abs=0.06)  # rounded, published value

    for width in (1366, 1024):
        page.set_viewport_size({"width": width, "height": 768})
        _check(page, width)
    page.get_by_role("heading", name="Ergebnisse herunterladen").evaluate(
        "e => e.scrollIntoView({block: 'start'})")
    DOC_SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(DOC_SHOTS / "veroeffentlichung-1024x768.png"))
    screenshot(page, "veroeffentlichung-1024x768")
    page.close()

    planner = _signed_in(browser, town, outside, "pia")
    assert planner.get_by_role("button", name="Kommentare als CSV").count() == 1
    assert planner.get_by_text(SWITCH).count() == 0
    assert planner.get_by_role("heading", name="Öffentliche Adressen").count() == 0
    _check(planner, 1366)
    assert outside.requests == [], f"requests left localhost: {outside.requests}"
    planner.close()
