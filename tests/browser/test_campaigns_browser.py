"""The page "Befragungen" in the real browser (Debian's Chromium) at 1366×768 and 1024×768: the
admin creates a campaign with a target for every area, uploads targets per area from a CSV
file, opens the campaign and closes it after the confirmation that shows what closing
changes. axe-core finds no serious or critical violation; no request leaves localhost; the
page does not scroll sideways. Screenshots of each step go to docs/screenshots/ (for
docs/verwaltung.md)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from tests.browser.conftest import AppServer, Outside, open_page, serve_admin_app, sign_in
from tests.browser.probes import axe_violations, wait_idle

pytestmark = pytest.mark.browser
ROOT = Path(__file__).resolve().parents[2]
DOC_SHOTS = ROOT / "docs" / "screenshots"


@pytest.fixture(scope="module")
def town(tmp_path_factory: pytest.TempPathFactory) -> Iterator[AppServer]:
    """The app on a tiny city (quarters Q1-Q3, one open campaign) with one admin."""
    from tests.helpers import make_city

    with serve_admin_app(tmp_path_factory.mktemp("befragungen"),
                         lambda engine: make_city(engine, name="Musterstadt")) as server:
        yield server


def _shot(page: Any, name: str, width: int, height: int) -> None:
    DOC_SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(DOC_SHOTS / f"befragungen-{name}-{width}x{height}.png"))


def _check(page: Any, width: int, *, axe: bool = True) -> None:
    """No sideways scrolling; no serious or critical axe-core violation (axe runs at every
    step of the first viewport and at the confirmation of the second: CI time is tight)."""
    wait_idle(page)
    if axe:
        problems = axe_violations(page)
        assert problems == [], problems
    assert page.evaluate("document.documentElement.scrollWidth") <= width


def _campaign(db_url: str, name: str) -> tuple[str, dict[str, int]]:
    from stadtraum.store.campaigns import area_targets
    from stadtraum.store.db import Campaign
    from stadtraum.store.engine import make_engine

    engine = make_engine(db_url)
    try:
        with Session(engine) as session:
            c = session.scalars(select(Campaign).where(Campaign.name == name)).one()
            return c.status, area_targets(session, c.id)
    finally:
        engine.dispose()


VIEWPORTS = ((1366, 768), (1024, 768))


def _flow(page: Any, town: AppServer, width: int, height: int) -> None:
    """Create, set targets, open and close one campaign at this viewport."""
    name = f"Quartiersbefragung {width}"
    first = (width, height) == VIEWPORTS[0]
    page.set_viewport_size({"width": width, "height": height})
    new = page.locator("[data-testid=stExpander]").filter(  # the form for a new campaign
        has_text="Neue Befragung anlegen")
    if not new.get_by_label("Name der Befragung").is_visible():
        page.get_by_text("Neue Befragung anlegen").click()  # open the expander
    new.get_by_label("Name der Befragung").fill(name)
    new.get_by_role("spinbutton", name="Zielzahl je Gebiet (freiwillig)").fill("40")
    wait_idle(page)
    new.scroll_into_view_if_needed()
    _check(page, width, axe=first)
    _shot(page, "1-anlegen", width, height)
    new.get_by_role("button", name="Befragung anlegen").click()
    page.get_by_text("Befragung angelegt (Entwurf)").wait_for(timeout=60_000)
    assert _campaign(town.db_url, name) == ("draft", {"Q1": 40, "Q2": 40, "Q3": 40})
    wait_idle(page)  # the page of the new campaign is drawn (no stale uploader left)

    page.locator("[data-testid=stFileUploader] input[type=file]").set_input_files(
        files=[{"name": "zielzahlen.csv", "mimeType": "text/csv",
                "buffer": b"code;target\nQ1;25\nQ3;60\n"}])
    page.get_by_text("zielzahlen.csv").wait_for(timeout=60_000)
    wait_idle(page)
    page.get_by_role("button", name="Zielzahlen aus der Datei übernehmen").click()
    page.get_by_text("Zielzahlen für 2 Gebiete übernommen").wait_for(timeout=60_000)
    assert _campaign(town.db_url, name) == ("draft", {"Q1": 25, "Q2": 40, "Q3": 60})
    wait_idle(page)
    page.get_by_role("heading", name="Zielzahlen je Gebiet").scroll_into_view_if_needed()
    _check(page, width, axe=first)
    _shot(page, "2-zielzahlen", width, height)

    page.get_by_role("button", name="Befragung öffnen").click()
    page.get_by_text("Befragung geöffnet").wait_for(timeout=60_000)
    assert _campaign(town.db_url, name)[0] == "open"
    page.get_by_role("button", name="Befragung abschließen …").click()
    page.get_by_text("Das ändert sich").wait_for(timeout=60_000)
    close = page.get_by_role("button", name="Jetzt abschließen")
    assert close.is_disabled()  # not before the tick
    page.get_by_text("Ich habe gelesen, was sich ändert.").click()
    wait_idle(page)
    page.get_by_text("Das ändert sich").scroll_into_view_if_needed()
    _check(page, width)
    _shot(page, "3-abschliessen", width, height)
    close.click()
    page.get_by_text("Befragung abgeschlossen.").wait_for(timeout=60_000)
    assert _campaign(town.db_url, name)[0] == "closed"
    page.get_by_role("button", name="Wieder öffnen").wait_for(timeout=60_000)


def test_create_set_targets_open_and_close(browser: object, town: AppServer) -> None:
    """One sign-in, then the whole flow at each viewport (a new campaign each time)."""
    outside = Outside()
    page: Any = open_page(browser, town, *VIEWPORTS[0], outside)
    page.get_by_label("Benutzername").wait_for(timeout=60_000)
    sign_in(page, "ada")
    page.get_by_text("Angemeldet:").wait_for(timeout=60_000)
    page.get_by_role("link", name="Befragungen", exact=True).click()  # every page listed
    page.get_by_role("heading", name="Befragungen", exact=True).wait_for(timeout=60_000)
    for width, height in VIEWPORTS:
        _flow(page, town, width, height)
    assert outside.requests == []
    page.close()
