"""Gebietsprofil and Vergleich in the real browser on the demo city, without internet: a
hostile comment and a hostile area name (``<img onerror>``, ``${…}``, a Markdown image link)
are shown as visible text and execute nothing (``window.__xss`` stays unset in the page and
in the map's frame, the image is never requested); axe-core finds no serious or critical
violation; zero requests leave localhost; screenshots at 1366×768 and 1024×768.

The app runs on its own database here (module fixture), so the renamed area cannot disturb
other browser tests that share ``app_server``."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from sqlalchemy import text

from tests.browser.conftest import (
    PASSWORD,
    ROOT,
    AppServer,
    Outside,
    open_page,
    screenshot,
    serve,
    sign_in,
)
from tests.browser.probes import axe_violations, wait_idle

pytestmark = pytest.mark.browser

EVIL = '<img src=x onerror="window.__xss=1"> ${window.__xss=1} ![x](http://127.0.0.1:1/x.png)'
SIZES = [(1366, 768), (1024, 768)]


def _prepare(db_url: str) -> None:
    from stadtraum.accounts.permissions import SYSTEM
    from stadtraum.accounts.users import create_user
    from stadtraum.demo.loader import load_demo
    from stadtraum.store.engine import make_engine
    from stadtraum.store.migrate import migrate

    engine = make_engine(db_url)
    migrate(engine)
    load_demo(engine)
    create_user(engine, "pia", "planner", PASSWORD, actor=SYSTEM)
    with engine.begin() as conn:  # neither names nor comments are statistics
        rid = conn.execute(text(
            "SELECT r.id FROM responses r JOIN areas a ON a.id = r.area_id WHERE a.code = '101' "
            "AND r.status = 'valid' AND r.mode = 'street' ORDER BY r.campaign_id DESC, r.id "
            "LIMIT 1")).scalar_one()
        conn.execute(text("INSERT INTO comments (response_id, criterion_id, kind, text, status) "
                          "VALUES (:r, 'feeling_safe', 'better', :t, 'released')"),
                     {"r": rid, "t": EVIL})  # released: planners see released comments only
        conn.execute(text("UPDATE areas SET name = :n WHERE code = '101'"), {"n": EVIL})
    engine.dispose()


@pytest.fixture(scope="module")
def hostile_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[AppServer]:
    tmp = tmp_path_factory.mktemp("profileapp")
    db_url = f"sqlite:///{tmp / 'app.db'}"
    _prepare(db_url)
    with serve(ROOT / "app.py", db_url, tmp,
               STADTRAUM_SESSION_SECRET="browser-test-secret-" + "y" * 20) as server:
        yield server


def _settle(page: Any) -> None:
    wait_idle(page, pause_ms=800, timeout_ms=90_000)
    page.wait_for_timeout(1500)  # plotly and the map draw after the script finished


def _open(browser: object, server: AppServer, size: tuple[int, int], path: str,
          heading: str) -> tuple[Any, Outside, list[str], list[str]]:
    outside, dialogs, requested = Outside(), [], []

    def attach(page: Any) -> None:
        page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
        page.on("request", lambda r: requested.append(r.url))

    page: Any = open_page(browser, server, size[0], size[1], outside, on_page=attach)
    page.get_by_label("Benutzername").wait_for(timeout=60_000)
    sign_in(page, "pia")
    page.get_by_role("heading", name="Übersicht").first.wait_for(timeout=90_000)
    # through the navigation, like a person (a reload right after signing in could come
    # before the session cookie is written)
    page.locator('a[data-testid="stSidebarNavLink"]', has_text=heading).click()
    page.wait_for_url(f"**{path}", timeout=30_000)
    page.get_by_role("heading", name=heading).first.wait_for(timeout=90_000)
    _settle(page)
    return page, outside, dialogs, requested


def _no_xss(page: Any, dialogs: list[str], requested: list[str]) -> None:
    for frame in page.frames:  # the page and every iframe (the map's included)
        assert frame.evaluate("() => window.__xss") is None, frame.url
    assert dialogs == []
    assert page.locator('a[href*="127.0.0.1:1/"]').count() == 0, "no link made of user text"
    assert not [u for u in requested if u.endswith(("/x", "/x.png")) or "127.0.0.1:1/" in u]


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_profile_shows_hostile_text_as_text(browser: object, hostile_server: AppServer,
                                            size: tuple[int, int]) -> None:
    page, outside, dialogs, requested = _open(browser, hostile_server, size, "/gebietsprofil",
                                              "Gebietsprofil")
    page.wait_for_selector(".js-plotly-plot", timeout=60_000)
    body = page.inner_text("body")
    assert body.count(EVIL) >= 2, "area name (heading) and comment shown verbatim"
    assert page.get_by_role("heading", name=EVIL).count() == 1
    assert "Stärken" in body and "Top-Prioritäten" in body and "Kommentare" in body
    legend = page.locator(".js-plotly-plot .legend").first.text_content() or ""
    assert "window.__xss" in legend  # the radar legend shows the name as text
    _no_xss(page, dialogs, requested)
    problems = axe_violations(page)
    assert not problems, "axe-core: " + "\n".join(problems)
    shot = screenshot(page, f"gebietsprofil-{size[0]}x{size[1]}")
    assert shot.stat().st_size > 10_000
    assert outside.requests == [], f"requests left localhost: {outside.requests}"
    page.close()


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_comparison_shows_hostile_text_as_text(browser: object, hostile_server: AppServer,
                                               size: tuple[int, int]) -> None:
    page, outside, dialogs, requested = _open(browser, hostile_server, size, "/vergleich",
                                              "Vergleich")
    page.wait_for_selector('iframe[title="streamlit_folium.st_folium"]', timeout=90_000)
    frame = page.query_selector('iframe[title="streamlit_folium.st_folium"]').content_frame()
    frame.wait_for_function("() => document.querySelectorAll('path.leaflet-interactive')"
                            ".length > 0", timeout=60_000)
    _settle(page)
    body = page.inner_text("body")
    assert EVIL in body, "the hostile area name is shown verbatim (area choice)"
    assert page.locator(".js-plotly-plot").count() == 2
    assert "Veränderung" in body and "zu wenige Antworten" in body  # legend incl. hatched
    _no_xss(page, dialogs, requested)
    problems = axe_violations(page)
    assert not problems, "axe-core: " + "\n".join(problems)
    shot = screenshot(page, f"vergleich-{size[0]}x{size[1]}")
    assert shot.stat().st_size > 10_000
    assert outside.requests == [], f"requests left localhost: {outside.requests}"
    page.close()
