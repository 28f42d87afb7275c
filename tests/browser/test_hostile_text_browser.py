"""The citizens' form in the real browser with an area name full of Markdown and HTML (an
image and a link to an outside host, a raw ``<img>``, a bare ``www.`` address): from the
area choice through one rating to the thank-you page, whose notice names the area. The
name is shown as text, no ``<img>`` or ``<a>`` pointing outside the app is created, and no
request leaves localhost. (The AppTest ``tests/app/test_hostile_text.py`` checks every page
and field; this one checks what the browser's Markdown renderer makes of the result.)

Own server and database (the renamed area must not disturb tests that share
``app_server``)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from sqlalchemy import text

from tests.browser.conftest import ROOT, AppServer, Outside, open_page, serve
from tests.browser.probes import wait_idle

pytestmark = pytest.mark.browser

NAME = ("Hostile ![bild](http://hostile.example/x.png) [klick](http://hostile.example/a) "
        "<img src=http://hostile.example/i.png> www.hostile.example **fett**")


@pytest.fixture(scope="module")
def hostile_form(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[AppServer, str]]:
    from stadtraum.accounts.permissions import Actor
    from stadtraum.citizen.public_link import enable_public_link
    from stadtraum.collect.setup import open_campaigns
    from stadtraum.demo.loader import load_demo
    from stadtraum.store.engine import make_engine
    from stadtraum.store.migrate import migrate

    tmp = tmp_path_factory.mktemp("hostileform")
    db_url = f"sqlite:///{tmp / 'app.db'}"
    engine = make_engine(db_url)
    migrate(engine)
    load_demo(engine)
    campaign = open_campaigns(engine)[0].info.id
    token = enable_public_link(engine, campaign, actor=Actor("test", "admin"))
    with engine.begin() as conn:  # every area result withheld: the notice names the area
        conn.execute(text("UPDATE areas SET name = :n WHERE code = '101'"), {"n": NAME})
        conn.execute(text("UPDATE campaigns SET min_n = 100000"))
    engine.dispose()
    with serve(ROOT / "app.py", db_url, tmp,
               STADTRAUM_SESSION_SECRET="browser-test-secret-" + "h" * 20) as server:
        yield server, token


def _outside_markup(page: Any, base: str) -> list[str]:
    """Images and links the page (or any frame) created that point outside the app."""
    found: list[str] = []
    for frame in page.frames:
        found += frame.evaluate("""(base) => [
            ...Array.from(document.querySelectorAll('img[src]'), e => 'img ' + e.src),
            ...Array.from(document.querySelectorAll('a[href]'), e => 'a ' + e.href)]
            .filter(u => u.includes('hostile.example') || !(u.split(' ')[1].startsWith(base)
                     || u.split(' ')[1].startsWith('data:') || u.split(' ')[1].startsWith('blob:')
                     || u.split(' ')[1].startsWith('about:')))""", base)
    return found


def test_citizens_form_shows_a_hostile_area_name_as_text(
        browser: object, hostile_form: tuple[AppServer, str]) -> None:
    server, token = hostile_form
    outside, requested = Outside(), []
    page: Any = open_page(browser, server, 1024, 768, outside, path=f"/?t={token}",
                          on_page=lambda p: p.on("request", lambda r: requested.append(r.url)))
    consent = page.get_by_text("Ich habe die Hinweise gelesen")
    consent.wait_for(timeout=60_000)
    consent.click()
    wait_idle(page, pause_ms=400)
    page.get_by_role("button", name="Los geht").click()
    box = page.get_by_role("combobox").first
    box.wait_for(timeout=30_000)
    box.click()
    box.press_sequentially("Hostile")
    page.get_by_role("option").first.click()
    wait_idle(page, pause_ms=400)
    page.get_by_role("button", name="Weiter").click()
    page.get_by_role("radio", name="4", exact=True).click()
    wait_idle(page, pause_ms=400)
    for _ in range(30):  # the remaining themes and the optional questions, unanswered
        if page.get_by_role("button", name="Abschicken").count():
            break
        page.get_by_role("button", name="Weiter").click()
        wait_idle(page, pause_ms=300)
    page.get_by_role("button", name="Abschicken").click()
    page.get_by_text("Vielen Dank").wait_for(timeout=60_000)
    notice = page.locator('[data-testid="stAlertContentInfo"]').filter(has_text="Hostile")
    notice.wait_for(timeout=30_000)
    shown = notice.inner_text().replace("\u2060", "")  # md_literal's invisible word joiner
    assert NAME in shown, "the name verbatim"
    assert notice.locator("strong, img, a").count() == 0
    assert _outside_markup(page, server.url) == []
    # the thank-you page is for reading: its table shows every row without scrolling inside
    # itself, and neither chart nor table shows a toolbar
    wait_idle(page, pause_ms=400)
    table = page.get_by_test_id("stDataFrameResizable").first
    table.hover()
    inner = page.evaluate("""() => { const s = document.querySelector(
        '[data-testid=stDataFrameResizable] .dvn-scroller');
        return s.scrollHeight - s.clientHeight; }""")
    assert inner <= 1, f"the table scrolls inside itself by {inner} px"
    visible = page.evaluate("""[...document.querySelectorAll(
        '[data-testid=stElementToolbar], .modebar-container')]
        .filter(e => getComputedStyle(e).display !== 'none').length""")
    assert visible == 0, f"{visible} toolbars on the thank-you page"
    assert [u for u in requested if "hostile.example" in u] == []
    assert outside.requests == [], f"requests left localhost: {outside.requests}"
    page.close()
