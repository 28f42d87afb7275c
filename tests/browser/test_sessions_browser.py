"""Server-side sessions in a real browser (issue 9, items 1–3 and the bookmark of 7): the
cookie is HttpOnly and set by our route; a reload keeps the sign-in; "Abmelden" signs out for
good (also for a copy of the old cookie in a fresh browser); the idle lock holds across a
reload and a new tab; a bookmarked page opens after signing in."""

from __future__ import annotations

import time
from typing import Any

from sqlalchemy import update
from sqlalchemy.orm import Session

from stadtraum.accounts.sessions import COOKIE, session_hash, verify_cookie
from stadtraum.store.db import UserSession
from stadtraum.store.engine import make_engine
from tests.browser.conftest import PASSWORD, AppServer, Outside, open_page, screenshot, sign_in

SECRET = ("browser-test-secret-" + "x" * 20).encode()  # as serve() configures the app
SIGNED_IN = "Angemeldet:"


def _session_cookie(page: Any, timeout_s: float = 20) -> dict[str, Any]:
    """Our cookie as the browser stores it (Playwright sees HttpOnly cookies too)."""
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        found = [c for c in page.context.cookies() if c["name"] == COOKIE and c["value"]]
        if found:
            return found[0]
        time.sleep(0.1)
    raise AssertionError("the session cookie was never set")


def _signed_in_page(browser: Any, server: AppServer, name: str, path: str = "/") -> Any:
    page = open_page(browser, server, 1024, 768, Outside(), path,
                     context={"base_url": server.url})
    page.get_by_label("Benutzername").wait_for(timeout=60_000)
    sign_in(page, name)
    page.get_by_text(SIGNED_IN).wait_for(timeout=60_000)
    return page


def test_sign_in_sets_an_http_only_cookie_that_survives_a_reload(browser: Any,
                                                                  app_server: AppServer) -> None:
    page = _signed_in_page(browser, app_server, "pia")
    cookie = _session_cookie(page)
    assert cookie["httpOnly"] is True and cookie["sameSite"] == "Lax" and cookie["path"] == "/"
    assert verify_cookie(cookie["value"], SECRET) is not None
    assert COOKIE not in page.evaluate("document.cookie")  # page scripts cannot read it
    page.reload()
    page.get_by_text(SIGNED_IN).wait_for(timeout=60_000)
    page.context.close()


def test_sign_out_holds_after_a_reload_and_for_a_copied_cookie(browser: Any,
                                                               app_server: AppServer) -> None:
    page = _signed_in_page(browser, app_server, "pia")
    stolen = _session_cookie(page)
    page.get_by_role("button", name="Abmelden").click()
    page.get_by_label("Benutzername").wait_for(timeout=60_000)
    page.reload()
    page.get_by_label("Benutzername").wait_for(timeout=60_000)
    page.wait_for_timeout(1500)
    assert page.get_by_text(SIGNED_IN).count() == 0
    screenshot(page, "abgemeldet-nach-neu-laden-1024x768")
    page.context.close()
    # the old cookie value in a fresh browser: the session row has ended, so nobody is in
    fresh = browser.new_context(viewport={"width": 1024, "height": 768})
    fresh.add_cookies([{"name": COOKIE, "value": stolen["value"], "url": app_server.url}])
    other = fresh.new_page()
    other.goto(app_server.url + "/")
    other.get_by_label("Benutzername").wait_for(timeout=60_000)
    other.wait_for_timeout(1500)
    assert other.get_by_text(SIGNED_IN).count() == 0
    fresh.close()


def test_the_lock_holds_across_a_reload_and_a_new_tab(browser: Any,
                                                      app_server: AppServer) -> None:
    page = _signed_in_page(browser, app_server, "erika")
    session_id = verify_cookie(_session_cookie(page)["value"], SECRET)
    assert session_id is not None
    engine = make_engine(app_server.db_url)
    with Session(engine) as session, session.begin():  # as the idle lock does
        session.execute(update(UserSession).where(UserSession.id_hash == session_hash(session_id))
                        .values(locked=True))
    engine.dispose()
    for tab in (page, page.context.new_page()):
        if tab is page:
            tab.reload()
        else:
            tab.goto(app_server.url + "/befragung")
        tab.get_by_text("Gesperrt").first.wait_for(timeout=60_000)
        tab.wait_for_timeout(1000)  # no navigation, no sign-out button: nothing but the lock
        assert tab.get_by_role("button", name="Abmelden").count() == 0
    screenshot(page, "gesperrt-nach-neu-laden-1024x768")
    page.get_by_label("Passwort").fill(PASSWORD)
    page.get_by_role("button", name="Entsperren").click()
    page.get_by_text(SIGNED_IN).wait_for(timeout=60_000)
    page.context.close()


def test_a_bookmarked_page_opens_right_after_signing_in(browser: Any,
                                                        app_server: AppServer) -> None:
    page = open_page(browser, app_server, 1024, 768, Outside(), "/karte")
    page.get_by_label("Benutzername").wait_for(timeout=60_000)
    assert page.get_by_text("Page not found").count() == 0
    sign_in(page, "pia")
    page.get_by_text(SIGNED_IN).wait_for(timeout=60_000)
    page.get_by_role("heading", name="Karte").first.wait_for(timeout=60_000)
    assert page.url.endswith("/karte")
    page.context.close()
