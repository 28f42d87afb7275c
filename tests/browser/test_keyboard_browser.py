"""Keyboard only, on a landscape tablet (1024×768): a helper completes an interview without
a pointer — Tab to move, typing to search the area, arrows, Space and Enter to choose and to
press buttons — and it is stored."""

from __future__ import annotations

import sqlite3

import pytest

from tests.browser.conftest import AppServer, Outside, discard_drafts, open_page, sign_in
from tests.browser.probes import wait_idle

pytestmark = pytest.mark.browser


def _settle(page: object) -> None:
    wait_idle(page, pause_ms=400)


def _tab_to(page: object, label: str, limit: int = 60) -> None:
    """Once the control is on the page (a keyboard user, too, waits until they see it),
    press Tab until the focused element's accessible text is ``label``."""
    page.wait_for_function(  # type: ignore[attr-defined]
        """label => [...document.querySelectorAll('button, input, [role=radio], [tabindex]')]
            .some(e => (e.getAttribute('aria-label') || e.innerText || e.value || '').trim()
                       === label)""", arg=label, timeout=60_000)
    _settle(page)
    for _ in range(limit):
        page.keyboard.press("Tab")  # type: ignore[attr-defined]
        if _focused(page) == label:
            return
    raise AssertionError(f"{label!r} not reachable with Tab")


def _focused(page: object) -> str:
    return page.evaluate("""() => { const e = document.activeElement;
        return (e.getAttribute('aria-label') || e.innerText || e.value || '').trim(); }""")  # type: ignore[attr-defined,no-any-return]


def _choose(page: object, first: str, target: str) -> None:
    """A group of options: Tab into it, arrow keys to ``target``, Space to choose."""
    _tab_to(page, first)
    for _ in range(10):
        if _focused(page) == target:
            break
        page.keyboard.press("ArrowRight")  # type: ignore[attr-defined]
    assert _focused(page) == target
    page.keyboard.press("Space")  # type: ignore[attr-defined]
    _settle(page)


def _press(page: object, label: str, key: str = "Enter") -> None:
    _tab_to(page, label)
    page.keyboard.press(key)  # type: ignore[attr-defined]
    _settle(page)


def test_interview_by_keyboard_only(browser: object, app_server: AppServer) -> None:
    db = app_server.db_url.removeprefix("sqlite:///")
    before = sqlite3.connect(db).execute(
        "SELECT COUNT(*) FROM responses WHERE entered_by = 'erika'").fetchone()[0]
    discard_drafts(app_server, "erika")  # set-up: drafts left by earlier browser tests
    page = open_page(browser, app_server, 1024, 768, Outside())
    sign_in(page, "erika")  # typing and Enter-equivalent; the rest uses only the keyboard
    page.get_by_text("Neue Befragung beginnen").wait_for(timeout=60_000)  # type: ignore[attr-defined]
    _settle(page)
    _press(page, "Neue Befragung beginnen")
    page.get_by_text("Welches Gebiet wird bewertet?").wait_for()  # type: ignore[attr-defined]
    _tab_to(page, "Gebiet (zum Suchen tippen)")
    page.keyboard.type("Mühlbach")  # type: ignore[attr-defined]
    page.keyboard.press("ArrowDown")  # type: ignore[attr-defined]
    page.keyboard.press("Enter")  # type: ignore[attr-defined]
    _settle(page)
    _press(page, "Weiter")
    page.get_by_text("Einwilligung").first.wait_for()  # type: ignore[attr-defined]
    _press(page, "Die befragte Person ist einverstanden.", key="Space")
    _press(page, "Weiter")
    page.get_by_text("Thema 1 von 14").wait_for()  # type: ignore[attr-defined]
    _choose(page, "1", "6")
    _press(page, "Weiter")
    page.get_by_text("Thema 2 von 14").wait_for()  # type: ignore[attr-defined]
    _choose(page, "1", "3")
    # topic 2 and 12 more ("keine Angabe"), priorities, about you: each "Weiter" is seen to
    # arrive before the next (a key pressed while the step still renders can be lost)
    following = [f"Thema {k} von 14" for k in range(3, 15)]
    for shows in [*following, "Was ist am wichtigsten?", "Angaben zur Person (freiwillig)",
                  "Prüfen und speichern"]:
        _press(page, "Weiter")
        page.get_by_text(shows, exact=False).first.wait_for()  # type: ignore[attr-defined]
    # landscape tablet: the review table fits without horizontal scrolling
    assert page.evaluate("document.documentElement.scrollWidth") <= 1024  # type: ignore[attr-defined]
    _press(page, "Befragung speichern")
    page.get_by_text("ist sicher in der Datenbank").wait_for(timeout=30_000)  # type: ignore[attr-defined]
    con = sqlite3.connect(db)
    assert con.execute("SELECT COUNT(*) FROM responses WHERE entered_by = 'erika'"
                       ).fetchone()[0] == before + 1
    rows = con.execute("SELECT r.criterion_id, r.score FROM ratings r JOIN responses p ON "
                       "p.id = r.response_id WHERE p.entered_by = 'erika' ORDER BY p.id DESC "
                       "LIMIT 2").fetchall()
    assert sorted(s for _, s in rows) == [3, 6]
    page.close()  # type: ignore[attr-defined]
