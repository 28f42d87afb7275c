"""The focus-group grid in the real browser at 1024×768: every theme is a row, so all 14 are
visible without scrolling sideways or down inside the grid; a 9 typed into a cell is refused
with the cell named (person and theme), instead of being turned into a 7 and saved; a valid
grid typed by keyboard is stored."""

from __future__ import annotations

import sqlite3
from typing import Any

import pytest

from stadtraum.accounts.permissions import Actor
from stadtraum.collect.setup import open_campaigns
from stadtraum.focus.sessions import open_session
from stadtraum.store.engine import make_engine
from tests.browser.conftest import AppServer, Outside, open_page, screenshot, sign_in
from tests.browser.probes import axe_violations, wait_idle

pytestmark = pytest.mark.browser
ROW_PX = 35  # Streamlit's data editor: header and rows are 35 px high
THEME_PX = 201  # the theme column ("medium") with its border


def _grid_cell(page: Any, row: int, person: int, people: int = 6) -> None:
    """Select the cell of ``person`` (1-based) in theme row ``row``: the grid is a canvas, so
    by position (the theme column is Streamlit's "medium", 200 px; the people share the rest).
    A click focuses the grid, a double click opens the cell's editor."""
    grid = page.get_by_test_id("stDataFrameResizable").first
    grid.scroll_into_view_if_needed()  # all 15 rows (525 px) fit a 768 px high screen
    box = grid.bounding_box()
    y = box["y"] + ROW_PX * (row + 1) + ROW_PX / 2
    assert 0 < y < page.viewport_size["height"], (row, box)
    width = (box["width"] - THEME_PX) / people
    x = box["x"] + THEME_PX + width * (person - 0.5)
    page.mouse.click(x, y)
    page.wait_for_timeout(150)
    page.mouse.dblclick(x, y)


def _type(page: Any, text: str) -> None:
    """Into the cell's editor (opened by the double click), then commit with Enter (the edit
    reruns the page)."""
    editor = page.locator("textarea.gdg-input").first
    editor.wait_for(timeout=10_000)
    editor.fill(text)
    page.keyboard.press("Enter")
    wait_idle(page)


def test_a_nine_is_refused_with_its_cell_named_and_all_themes_fit(
        browser: object, app_server: AppServer) -> None:
    engine = make_engine(app_server.db_url)
    campaign = open_campaigns(engine, "focus_group")[0].info.id
    group = open_session(engine, campaign_id=campaign, area_code="101",
                         title="Raster im Browser", actor=Actor("mona", "moderator"))
    engine.dispose()
    outside = Outside()
    page: Any = open_page(browser, app_server, 1024, 768, outside)
    page.get_by_label("Benutzername").wait_for(timeout=60_000)
    sign_in(page, "mona")
    page.get_by_text("Angemeldet:").wait_for(timeout=60_000)
    page.get_by_role("link", name="Fokusgruppe").first.click()
    grid = page.get_by_test_id("stDataFrameResizable").first
    grid.wait_for(timeout=60_000)
    wait_idle(page)
    # (the newest session, ours, is preselected; the stored rows below are checked by its id)
    fits = page.evaluate("""() => {
        const s = document.querySelector('[data-testid=stDataFrameResizable] .dvn-scroller');
        return [s.scrollWidth - s.clientWidth, s.scrollHeight - s.clientHeight]; }""")
    assert fits[0] <= 1 and fits[1] <= 1, f"the grid scrolls inside itself: {fits}"
    assert page.evaluate("document.documentElement.scrollWidth") <= 1024
    assert axe_violations(page) == []

    _grid_cell(page, 8, 3)  # "Wohnen", Person 3
    _type(page, "9")
    _grid_cell(page, 0, 1)  # "Zu Fuß und mit dem Rad", Person 1
    _type(page, "5")
    page.get_by_role("button", name="Bewertungen speichern").click()
    page.get_by_text("Person 3: Bewertung für „Wohnen“ liegt außerhalb von 1 bis 7: 9."
                     ).wait_for(timeout=30_000)
    screenshot(page, "fokusgruppe-raster-fehler-1024x768")
    con = sqlite3.connect(app_server.db_url.removeprefix("sqlite:///"))
    assert con.execute("SELECT COUNT(*) FROM responses WHERE group_id = ?",
                       (group.id,)).fetchone()[0] == 0  # not even the good cell

    _grid_cell(page, 8, 3)
    _type(page, "6")
    page.get_by_role("button", name="Bewertungen speichern").click()
    page.get_by_text("Gespeichert: 2 neu").wait_for(timeout=30_000)
    rows = con.execute("SELECT r.criterion_id, r.score FROM ratings r JOIN responses p ON "
                       "p.id = r.response_id WHERE p.group_id = ? ORDER BY r.criterion_id",
                       (group.id,)).fetchall()
    assert rows == [("housing", 6), ("moving_around", 5)]
    wait_idle(page)
    screenshot(page, "fokusgruppe-raster-1024x768")
    assert outside.requests == []
    page.close()
