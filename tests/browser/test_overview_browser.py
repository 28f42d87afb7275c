"""The overview page in a real browser at tablet sizes, without internet."""

from __future__ import annotations

import pytest

from tests.browser.conftest import AppServer, Outside, open_page, screenshot, sign_in

pytestmark = pytest.mark.browser


@pytest.mark.parametrize(("width", "height"), [(768, 1024), (1024, 768)])
def test_overview_renders_the_demo_results(browser: object, app_server: AppServer,
                                           width: int, height: int) -> None:
    outside = Outside()
    page = open_page(browser, app_server, width, height, outside)
    sign_in(page, "pia")
    page.wait_for_selector("[data-testid=stDataFrame]", timeout=120_000)  # type: ignore[attr-defined]
    page.wait_for_timeout(1000)  # type: ignore[attr-defined]
    text = page.inner_text("body")  # type: ignore[attr-defined]
    assert "Übersicht" in text and "Beispielstadt" in text
    assert "zu wenige" not in text or "Antworten" in text
    scroll_w = page.evaluate("document.documentElement.scrollWidth")  # type: ignore[attr-defined]
    assert scroll_w <= width, f"horizontal scrolling at {width}px ({scroll_w}px)"
    shot = screenshot(page, f"uebersicht-{width}x{height}")
    assert shot.stat().st_size > 10_000
    assert outside.requests == [], f"requests left localhost: {outside.requests}"
    page.close()  # type: ignore[attr-defined]
