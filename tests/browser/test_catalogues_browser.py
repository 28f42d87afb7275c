"""The page "Kataloge" in the real browser (Debian's Chromium) at 1366×768 and 1024×768: the
admin uploads a valid TOML catalogue, sees the preview as the interview shows it, adds it,
and finds it in the list. axe-core finds no serious or critical violation; no request leaves
localhost; the page does not scroll sideways. Screenshots go to docs/screenshots/ (for
docs/verwaltung.md)."""

from __future__ import annotations

import re
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
SHIPPED = ROOT / "stadtraum" / "catalogues" / "stadtraummonitor14.toml"
VIEWPORTS = ((1366, 768), (1024, 768))


@pytest.fixture(scope="module")
def town(tmp_path_factory: pytest.TempPathFactory) -> Iterator[AppServer]:
    """The app on a tiny city (one open campaign on the default catalogue), one admin."""
    from tests.helpers import make_city

    with serve_admin_app(tmp_path_factory.mktemp("kataloge"),
                         lambda engine: make_city(engine, name="Musterstadt",
                                                   campaign="Befragung Nord 2026")) as server:
        yield server


def _stored(db_url: str) -> set[str]:
    from stadtraum.store.db import StoredCatalogue
    from stadtraum.store.engine import make_engine

    engine = make_engine(db_url)
    try:
        with Session(engine) as session:
            return set(session.scalars(select(StoredCatalogue.id)))
    finally:
        engine.dispose()



def _check(page: Any, width: int) -> None:
    wait_idle(page)
    problems = axe_violations(page)
    assert problems == [], problems
    assert page.evaluate("document.documentElement.scrollWidth") <= width


def _flow(page: Any, town: AppServer, width: int, height: int) -> None:
    cat_id = f"quartier_{width}"
    text = (SHIPPED.read_text(encoding="utf-8")
            .replace('id = "stadtraummonitor14"', f'id = "{cat_id}"')
            .replace('name_de = "StadtRaumMonitor (14 Themen)"',
                     f'name_de = "Quartierskatalog {width}"'))
    page.set_viewport_size({"width": width, "height": height})
    page.locator("[data-testid=stFileUploader] input[type=file]").set_input_files(
        files=[{"name": f"{cat_id}.toml", "mimeType": "application/toml",
                "buffer": text.encode("utf-8")}])
    page.get_by_text("Die Datei ist in Ordnung").wait_for(timeout=60_000)
    page.get_by_role("heading", name="Zu Fuß und mit dem Rad").wait_for(timeout=60_000)
    wait_idle(page)
    page.get_by_role("heading", name="Zu Fuß und mit dem Rad").evaluate(
        "e => e.scrollIntoView({block: 'center'})")  # the topic as the interview shows it
    _check(page, width)
    DOC_SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(DOC_SHOTS / f"kataloge-1-vorschau-{width}x{height}.png"))
    assert _stored(town.db_url) == {f"quartier_{w}" for w, _ in VIEWPORTS if w > width}
    page.get_by_role("button", name="Katalog hinzufügen").click()
    page.get_by_text("Katalog hinzugefügt").wait_for(timeout=60_000)
    assert cat_id in _stored(town.db_url)
    wait_idle(page)
    page.get_by_role("heading", name="Kataloge", exact=True).scroll_into_view_if_needed()
    _check(page, width)
    page.screenshot(path=str(DOC_SHOTS / f"kataloge-2-hinzugefuegt-{width}x{height}.png"))


def test_upload_preview_and_add(browser: object, town: AppServer) -> None:
    """One sign-in, then upload and add a catalogue at each viewport."""
    outside = Outside()
    page: Any = open_page(browser, town, *VIEWPORTS[0], outside)
    page.get_by_label("Benutzername").wait_for(timeout=60_000)
    sign_in(page, "ada")
    page.get_by_text("Angemeldet:").wait_for(timeout=60_000)
    link = page.get_by_role("link", name="Kataloge", exact=True)
    if not link.is_visible():  # the admin has more pages than the sidebar lists at first
        page.get_by_text(re.compile(r"^View \d+ more$")).click()
    link.click()
    page.get_by_role("heading", name="Kataloge", exact=True).wait_for(timeout=60_000)
    for width, height in VIEWPORTS:
        _flow(page, town, width, height)
    assert outside.requests == []
    page.close()
