"""Every way a rating enters the system, checked in the real browser: the focus-group and
paper-form pages (moderator, 1024×768), the admin page, and the citizens' form on a phone
(390×844) and a tablet (768×1024) — axe-core finds no serious or critical violation, the
page declares its language, nothing leaves localhost, no horizontal scrolling."""

from __future__ import annotations

import pytest

from stadtraum.accounts.permissions import Actor
from stadtraum.citizen.public_link import enable_public_link
from stadtraum.collect.setup import open_campaigns
from stadtraum.store.engine import make_engine
from tests.browser.conftest import AppServer, Outside, open_page, screenshot, sign_in
from tests.browser.probes import axe_violations, wait_idle

pytestmark = pytest.mark.browser


def _settle(page: object) -> None:
    wait_idle(page, pause_ms=500)


def _check(page: object, where: str, width: int, problems: list[str]) -> None:
    _settle(page)
    problems += [f"{where}: {v}" for v in axe_violations(page)]
    if page.evaluate("document.documentElement.scrollWidth") > width:  # type: ignore[attr-defined]
        problems.append(f"{where}: horizontal scrolling")


@pytest.mark.parametrize(("user", "path", "heading", "shot"), [
    ("mona", "/fokusgruppe", "Fokusgruppe", "fokusgruppe-1024x768"),
    ("mona", "/papier", "Papierbögen", "papierboegen-1024x768"),
    ("ada", "/verwaltung", "Verwaltung", "verwaltung-1024x768"),
])
def test_staff_entry_pages_are_accessible(browser: object, app_server: AppServer, user: str,
                                          path: str, heading: str, shot: str) -> None:
    outside = Outside()
    page = open_page(browser, app_server, 1024, 768, outside)
    page.get_by_label("Benutzername").wait_for(timeout=60_000)  # type: ignore[attr-defined]
    sign_in(page, user)
    page.get_by_text("Angemeldet:").wait_for(timeout=60_000)  # type: ignore[attr-defined]
    # through the navigation, as a person would (a reload right after signing in can come
    # before the session cookie is written)
    page.get_by_role("link", name=heading).first.click()  # type: ignore[attr-defined]
    page.wait_for_url("**" + path, timeout=60_000)  # type: ignore[attr-defined]
    page.get_by_role("heading", name=heading).first.wait_for(timeout=60_000)  # type: ignore[attr-defined]
    problems: list[str] = []
    _check(page, path, 1024, problems)
    screenshot(page, shot)
    assert page.evaluate("document.documentElement.lang") == "de"  # type: ignore[attr-defined]
    assert not problems, "\n".join(problems)
    assert outside.requests == []
    page.close()  # type: ignore[attr-defined]


@pytest.mark.parametrize(("width", "height"), [(390, 844), (768, 1024)])
def test_citizens_form_is_accessible_on_phone_and_tablet(browser: object, app_server: AppServer,
                                                         width: int, height: int) -> None:
    engine = make_engine(app_server.db_url)
    campaign = open_campaigns(engine)[0].info.id
    token = enable_public_link(engine, campaign, actor=Actor("test", "admin"))
    engine.dispose()
    outside = Outside()
    page = open_page(browser, app_server, width, height, outside, path=f"/?t={token}")
    consent = page.get_by_text("Ich habe die Hinweise gelesen")  # type: ignore[attr-defined]
    consent.wait_for(timeout=60_000)
    problems: list[str] = []
    _check(page, "Mitmachen: Start", width, problems)
    assert page.evaluate("document.documentElement.lang") == "de"  # type: ignore[attr-defined]
    screenshot(page, f"mitmachen-1-start-{width}x{height}")
    box = page.locator("[data-testid=stCheckbox] label").first.bounding_box()  # type: ignore[attr-defined]
    assert box["height"] >= 44, box  # the consent box was a 24 px target
    consent.click()
    _settle(page)
    page.get_by_role("button", name="Los geht").click()  # type: ignore[attr-defined]
    page.get_by_role("combobox").first.wait_for(timeout=30_000)  # type: ignore[attr-defined]
    _check(page, "Mitmachen: Gebiet", width, problems)
    screenshot(page, f"mitmachen-2-gebiet-{width}x{height}")
    if width < 768:  # on the phone by street, as someone who does not know their quarter
        page.get_by_role("radio", name="Ihre Straße").click()  # type: ignore[attr-defined]
        field = page.get_by_label("Ihre Straße")  # type: ignore[attr-defined]
        field.fill("ackeralle")
        field.press("Enter")
        street = page.locator("[data-testid=stRadio] label", has_text="Ackerallee")  # type: ignore[attr-defined]
        street.first.wait_for(timeout=30_000)
        assert street.count() == 2  # the street runs through two quarters
        heights = page.evaluate("""[...document.querySelectorAll(
            '[data-testid=stRadioOption], [data-testid=stCheckbox] label')]
            .map(e => e.getBoundingClientRect().height)""")  # type: ignore[attr-defined]
        assert heights and min(heights) >= 44, heights  # a thumb's target on the phone
        street.last.click()
        page.get_by_text("Gewähltes Gebiet:").wait_for(timeout=30_000)  # type: ignore[attr-defined]
        _check(page, "Mitmachen: Gebiet über die Straße", width, problems)
        screenshot(page, f"mitmachen-2-strasse-{width}x{height}")
    else:
        box = page.get_by_role("combobox").first  # type: ignore[attr-defined]
        box.click()
        box.press_sequentially("Mühlbach")
        page.get_by_role("option", name="Am Mühlbach").click()  # type: ignore[attr-defined]
    _settle(page)
    page.get_by_role("button", name="Weiter").click()  # type: ignore[attr-defined]
    page.get_by_role("radio", name="4", exact=True).wait_for(timeout=30_000)  # type: ignore[attr-defined]
    _check(page, "Mitmachen: Thema", width, problems)
    tops = page.evaluate("""[...document.querySelectorAll(
        '[data-testid=stButtonGroup] button')].filter(b => /^[1-7]( |$)/.test(b.innerText.trim()))
        .map(b => Math.round(b.getBoundingClientRect().top))""")  # type: ignore[attr-defined]
    assert len(tops) == 7 and len(set(tops)) == 1, tops  # 1 to 7 on one row (it wrapped)
    page.get_by_role("radio", name="4", exact=True).click()  # type: ignore[attr-defined]
    _settle(page)
    chosen = page.get_by_role("radio", name="4", exact=True)  # type: ignore[attr-defined]
    colours = chosen.evaluate(
        "b => [getComputedStyle(b).backgroundColor, getComputedStyle(b).color]")
    assert colours[1] == "rgb(255, 255, 255)", colours  # white on the city's colour, not faint
    screenshot(page, f"mitmachen-3-thema-{width}x{height}")
    assert not problems, "\n".join(problems)
    assert outside.requests == []
    page.close()  # type: ignore[attr-defined]
