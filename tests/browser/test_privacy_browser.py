"""The page "Datenschutz" in the real browser (Debian's Chromium) at 1366×768 and 1024×768: the
admin types a response number, sees what will be deleted, confirms with the checkbox and
deletes it; the response is gone from the database. axe-core finds no serious or critical
violation; no request leaves localhost; the page does not scroll sideways. Screenshots go to
artifacts/screenshots/ (for docs/datenschutz.md)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from sqlalchemy.engine import Engine

from tests.browser.conftest import (
    AppServer,
    Outside,
    open_page,
    screenshot,
    serve_admin_app,
    sign_in,
)
from tests.browser.probes import axe_violations, wait_idle

pytestmark = pytest.mark.browser
PLANTED: dict[str, str] = {}


def _fill(engine: Engine) -> None:
    from tests.privacy.test_deletion_fixture import plant

    p = plant(engine)
    PLANTED["target"] = p.target


@pytest.fixture(scope="module")
def town(tmp_path_factory: pytest.TempPathFactory) -> Iterator[AppServer]:
    with serve_admin_app(tmp_path_factory.mktemp("datenschutz"), _fill) as server:
        yield server


def _check(page: Any, width: int) -> None:
    wait_idle(page)
    problems = axe_violations(page)
    assert problems == [], problems
    assert page.evaluate("document.documentElement.scrollWidth") <= width


def _responses(db_url: str) -> int:
    from stadtraum.store.engine import make_engine
    from tests.helpers import count_rows

    engine = make_engine(db_url)
    try:
        return count_rows(engine, "responses")
    finally:
        engine.dispose()


def test_an_admin_deletes_a_response_by_its_number(browser: object, town: AppServer) -> None:
    from stadtraum.privacy.response_number import short_number

    number = short_number(PLANTED["target"])
    outside = Outside()
    page: Any = open_page(browser, town, 1366, 768, outside)
    page.get_by_label("Benutzername").wait_for(timeout=60_000)
    sign_in(page, "ada")
    page.get_by_text("Angemeldet:").wait_for(timeout=60_000)
    page.get_by_role("link", name="Datenschutz", exact=True).click()
    page.get_by_role("heading", name="Antwort löschen", exact=True).wait_for(timeout=60_000)
    page.get_by_label("Antwortnummer").fill(number.lower())
    page.get_by_label("Antwortnummer").press("Enter")
    page.get_by_role("button", name="Antwort suchen").click()
    page.get_by_text("Fassungen (mit Korrekturen): 2").wait_for(timeout=60_000)
    page.get_by_text(f"Antwortnummer: {number}").wait_for(timeout=10_000)
    for width in (1366, 1024):
        page.set_viewport_size({"width": width, "height": 768})
        _check(page, width)
        screenshot(page, f"datenschutz-vorschau-{width}x768")
    assert page.get_by_role("button", name="Endgültig löschen").is_disabled()
    page.get_by_text("Ja, diese Antwort endgültig löschen").click()
    page.get_by_role("button", name="Endgültig löschen").click()
    page.get_by_text("Die Antwort ist gelöscht: 2 Fassungen, ").wait_for(timeout=60_000)
    _check(page, 1024)
    screenshot(page, "datenschutz-geloescht-1024x768")
    assert _responses(town.db_url) == 5
    assert outside.requests == []
    page.close()
