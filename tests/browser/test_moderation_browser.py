"""The page "Kommentare prüfen" in the real browser (Debian's Chromium) at 1366×768 and 390×844:
a moderator sees the queue of new comments with the checker's marks, redacts the one with a
name and a phone number through "Schwärzen" (which releases it) and hides the one carrying an
HTML/Markdown payload with a reason. A planner, in a browser context of her own, then opens
the area profile: the redacted text reads „[entfernt]“, neither the phone number nor the
hidden comment is anywhere on the page. The payload never becomes an ``<img>`` or bold text;
axe-core finds no serious or critical violation; no request leaves localhost. The phone-sized
screenshot goes to docs/screenshots/ (for docs/benutzerhandbuch.md)."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import text
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
PERSONAL = "Frau Müller, Tel. 0234 123456, parkt jeden Tag auf dem Gehweg"
REDACTED = "[entfernt], Tel. [entfernt], parkt jeden Tag auf dem Gehweg"
PAYLOAD = "<img src=x onerror=alert(1)> **fett** und Müll am Spielplatz"
PLAIN = "Schöne Bäume am Bach"
REASON = "HTML-Code statt Kommentar"


def _fill(engine: Engine) -> None:
    from stadtraum.accounts.permissions import SYSTEM
    from stadtraum.accounts.users import create_user
    from stadtraum.collect.submit import submit_response
    from tests.helpers import make_city, make_payload

    city = make_city(engine, min_n=3, campaign="Befragung Süd 2026")
    for words in (PERSONAL, PAYLOAD, PLAIN):
        submit_response(engine, make_payload(city.campaign_id, "Q1", {"housing": 5},
                                             comments=[("housing", "better", words)]))
    for score in (3, 4, 6):  # enough ratings in Q1 for shown cells on the profile
        submit_response(engine, make_payload(city.campaign_id, "Q1", {"housing": score}))
    create_user(engine, "mona", "moderator", PASSWORD, actor=SYSTEM)
    create_user(engine, "pia", "planner", PASSWORD, actor=SYSTEM)


@pytest.fixture(scope="module")
def town(tmp_path_factory: pytest.TempPathFactory) -> Iterator[AppServer]:
    with serve_admin_app(tmp_path_factory.mktemp("moderation"), _fill) as server:
        yield server


def _check(page: Any, width: int) -> None:
    wait_idle(page)
    problems = axe_violations(page)
    assert problems == [], problems
    assert page.evaluate("document.documentElement.scrollWidth") <= width


def _no_payload_markup(page: Any, dialogs: list[str]) -> None:
    assert page.locator("img[src=x]").count() == 0
    assert page.locator("strong", has_text="fett").count() == 0
    assert page.locator("b", has_text="fett").count() == 0
    assert dialogs == []


def _comments(db_url: str) -> dict[str, tuple[str, str | None, str | None]]:
    from stadtraum.store.engine import make_engine

    engine = make_engine(db_url)
    try:
        with engine.connect() as conn:
            return {str(t): (str(s), shown, reason) for t, s, shown, reason in conn.execute(
                text("SELECT text, status, shown_text, hidden_reason FROM comments"))}
    finally:
        engine.dispose()


def _card(page: Any, words: str) -> Any:
    return page.locator('[class*="st-key-mod_"][class*="_card"]').filter(has_text=words)


def _signed_in(browser: object, town: AppServer, outside: Outside, attach: Any, name: str,
               link: str) -> Any:
    """A new browser context at the root, signed in as ``name``, then on the page ``link``
    through the sidebar, like a person."""
    page: Any = open_page(browser, town, 1366, 768, outside, on_page=attach)
    page.get_by_label("Benutzername").wait_for(timeout=60_000)
    sign_in(page, name)
    page.get_by_text("Angemeldet:").wait_for(timeout=60_000)
    page.get_by_role("link", name=link, exact=True).click()
    return page


def test_a_moderator_redacts_and_hides_and_the_planner_sees_only_the_redacted(
        browser: object, town: AppServer) -> None:
    outside, dialogs = Outside(), []

    def on_dialog(dialog: Any) -> None:
        dialogs.append(dialog.message)
        dialog.dismiss()

    def attach(page: Any) -> None:
        page.on("dialog", on_dialog)

    page: Any = _signed_in(browser, town, outside, attach, "mona", "Kommentare prüfen")
    page.get_by_role("heading", name="Kommentare prüfen", exact=True).wait_for(timeout=60_000)
    page.wait_for_url("**/moderation", timeout=30_000)
    page.get_by_text("3 neue Kommentare warten auf Prüfung.").wait_for(timeout=60_000)
    page.get_by_text("3 Kommentare, Seite 1 von 1").wait_for(timeout=60_000)
    personal = _card(page, "Frau Müller")
    personal.get_by_text(PERSONAL, exact=True).wait_for(timeout=30_000)
    marks = personal.get_by_text("Mögliche persönliche Daten (vom Prüfprogramm markiert):")
    marks_text = marks.inner_text()
    assert "Name: „Frau Müller“" in marks_text
    assert "Telefonnummer: „0234 123456“" in marks_text
    payload = _card(page, "onerror")
    payload.get_by_text(PAYLOAD, exact=True).wait_for(timeout=30_000)  # literal, as typed
    _no_payload_markup(page, dialogs)
    _check(page, 1366)

    page.set_viewport_size({"width": 390, "height": 844})
    _check(page, 390)
    page.get_by_text("3 Kommentare, Seite 1 von 1").evaluate(
        "e => e.scrollIntoView({block: 'start'})")  # the queue, to review
    DOC_SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(DOC_SHOTS / "kommentare-pruefen-390x844.png"))
    screenshot(page, "kommentare-pruefen-390x844")

    # redact: both marks are preselected; "Schwärzen und freigeben" stores and releases
    personal.locator("summary", has_text="Schwärzen").click()
    personal.get_by_role("button", name="Schwärzen und freigeben").click()
    page.get_by_text("geschwärzt und freigegeben. Planerinnen und Planer sehen:").wait_for(
        timeout=60_000)
    page.get_by_text(REDACTED, exact=True).wait_for(timeout=30_000)
    page.get_by_text("2 Kommentare, Seite 1 von 1").wait_for(timeout=60_000)
    wait_idle(page)

    # hide the payload with a reason
    payload = _card(page, "onerror")
    payload.locator("summary", has_text="Ausblenden").click()
    payload.get_by_label("Grund (Pflicht; nur für Moderation und Verwaltung sichtbar)").fill(
        REASON)
    payload.get_by_role("button", name="Ausblenden", exact=True).click()
    page.get_by_text(re.compile(r"^Kommentar \d+ ausgeblendet\.$")).wait_for(timeout=60_000)
    page.get_by_text("1 Kommentare, Seite 1 von 1").wait_for(timeout=60_000)
    _no_payload_markup(page, dialogs)
    _check(page, 390)

    stored = _comments(town.db_url)
    assert stored[PERSONAL] == ("released", REDACTED, None)
    assert stored[PAYLOAD][0] == "hidden" and stored[PAYLOAD][2] == REASON
    assert stored[PLAIN][0] == "new"
    page.close()

    # the planner, in a browser context of her own
    planner: Any = _signed_in(browser, town, outside, attach, "pia", "Gebietsprofil")
    planner.get_by_role("heading", name="Gebietsprofil").first.wait_for(timeout=90_000)
    planner.get_by_role("combobox", name="Gebiet (tippen zum Suchen)").click()
    planner.get_by_role("option", name="Quartier Q1 (Quartier)").click()
    wait_idle(planner, timeout_ms=90_000)
    planner.get_by_text("1 Kommentare, Seite 1 von 1").wait_for(timeout=60_000)
    planner.get_by_text(REDACTED).first.wait_for(timeout=30_000)
    body = planner.inner_text("body")
    assert "[entfernt]" in body
    for gone in ("0234", "123456", "Müller", "onerror", "fett", PLAIN, REASON):
        assert gone not in body, gone
    assert planner.locator("img[src=x]").count() == 0
    problems = axe_violations(planner)
    assert problems == [], problems
    assert dialogs == []
    assert outside.requests == [], f"requests left localhost: {outside.requests}"
    planner.close()


def test_a_bookmark_of_the_page_opened_first_after_a_start_shows_the_sign_in(
        browser: object, tmp_path: Path) -> None:
    """The first visitor after the server starts follows a bookmark of /moderation: the
    sign-in form, and after signing in the page (not Streamlit's own navigation of the
    ``pages/`` files with "Bitte zuerst anmelden." and no form)."""
    outside = Outside()
    with serve_admin_app(tmp_path, _fill) as cold:  # a server nobody has opened yet
        page: Any = open_page(browser, cold, 1366, 768, outside, "/moderation")
        page.get_by_text(re.compile("Benutzername|Bitte zuerst anmelden")).first.wait_for(
            timeout=60_000)
        wait_idle(page)
        assert page.get_by_text("Bitte zuerst anmelden.").count() == 0
        assert page.get_by_text("Page not found").count() == 0
        assert page.locator('a[data-testid="stSidebarNavLink"]', has_text="audit log"
                            ).count() == 0  # no navigation made of the source file names
        sign_in(page, "mona")
        page.get_by_role("heading", name="Kommentare prüfen", exact=True).wait_for(
            timeout=60_000)
        assert outside.requests == []
        page.close()
