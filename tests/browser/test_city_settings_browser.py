"""The page "Einstellungen" and its effect on the citizens' form in the real browser (Debian's
Chromium). At 1366×768 and 1024×768 the admin sets the city's name, logo, main colour,
privacy contact and notice, Impressum and accessibility statement, saves, and is refused a
colour with too little contrast (the measured ratio shown). The citizens' form (also at
390×844, a phone) then shows the city's name and notice, the Impressum and the statement
behind their links, and the primary button in the chosen colour. axe-core finds no serious
or critical violation; no request leaves localhost; no page scrolls sideways. Screenshots go
to docs/screenshots/einstellungen-*.png (for docs/verwaltung.md)."""

from __future__ import annotations

import io
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from PIL import Image, ImageDraw
from sqlalchemy import select
from sqlalchemy.orm import Session

from tests.browser.conftest import AppServer, Outside, open_page, serve_admin_app, sign_in
from tests.browser.probes import axe_violations, wait_idle

pytestmark = pytest.mark.browser
ROOT = Path(__file__).resolve().parents[2]
DOC_SHOTS = ROOT / "docs" / "screenshots"
VIEWPORTS = ((1366, 768), (1024, 768))
COLOUR = "#0b4f6c"  # 8.5:1 on white
NOTICE = ("Verantwortlich ist die Stadt Musterstadt, Rathausplatz 1. Rechtsgrundlage: "
          "Art. 6 Abs. 1 lit. e DSGVO. Sie haben das Recht auf Auskunft und Beschwerde.")
IMPRINT = "Stadt Musterstadt\nDer Oberbürgermeister\nRathausplatz 1, 12345 Musterstadt"
STATEMENT = ("Die Stadt Musterstadt ist bemüht, diesen Fragebogen barrierefrei zugänglich zu "
             "machen (BITV 2.0). Stand: Dezember 2026. Barrieren melden: "
             "barrierefrei@musterstadt.example")


@dataclass
class Town:
    server: AppServer
    token: str


def _logo() -> bytes:
    img = Image.new("RGB", (360, 96), "white")
    draw = ImageDraw.Draw(img)
    draw.rectangle((0, 0, 95, 95), fill=COLOUR)
    draw.text((22, 30), "MS", fill="white", font_size=40)
    draw.text((112, 30), "Musterstadt", fill=COLOUR, font_size=36)
    buffer = io.BytesIO()
    img.save(buffer, format="PNG")
    return buffer.getvalue()


@pytest.fixture(scope="module")
def town(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Town]:
    """A tiny city with one open campaign whose citizens' link is on, one admin."""
    from stadtraum.accounts.permissions import SYSTEM
    from stadtraum.citizen.public_link import enable_public_link
    from tests.helpers import make_city

    tokens: list[str] = []

    def prepare(engine: Any) -> None:
        city = make_city(engine, name="Musterstadt", campaign="Befragung Nord 2026")
        tokens.append(enable_public_link(engine, city.campaign_id, actor=SYSTEM))

    with serve_admin_app(tmp_path_factory.mktemp("einstellungen"), prepare) as server:
        yield Town(server, tokens[0])


def _stored(db_url: str) -> dict[str, str | None]:
    from stadtraum.store.db_city import CitySetting
    from stadtraum.store.engine import make_engine

    engine = make_engine(db_url)
    try:
        with Session(engine) as session:
            return {r.key: r.value for r in session.scalars(select(CitySetting))}
    finally:
        engine.dispose()


def _check(page: Any, width: int) -> None:
    wait_idle(page)
    problems = axe_violations(page)
    assert problems == [], problems
    assert page.evaluate("document.documentElement.scrollWidth") <= width


def _fill(page: Any, label: str, value: str) -> None:
    field = page.get_by_label(label, exact=True)
    field.fill(value)


def _save(page: Any) -> None:
    page.get_by_role("button", name="Einstellungen speichern").click()
    wait_idle(page)


def _settings_flow(page: Any, town: Town, width: int, height: int) -> None:
    page.set_viewport_size({"width": width, "height": height})
    _fill(page, "Name der Stadt", "Musterstadt")
    _fill(page, "Hauptfarbe", COLOUR)
    _fill(page, "Kontakt für Datenschutzfragen",
          "Datenschutzbeauftragte, datenschutz@musterstadt.example")
    _fill(page, "Datenschutzhinweis (Bürger*innen und Erfasser*innen)", NOTICE)
    _fill(page, "Impressum", IMPRINT)
    _fill(page, "Erklärung zur Barrierefreiheit (BITV 2.0)", STATEMENT)
    if width == VIEWPORTS[0][0]:
        page.locator("[data-testid=stFileUploader] input[type=file]").set_input_files(
            files=[{"name": "logo.png", "mimeType": "image/png", "buffer": _logo()}])
        page.get_by_text("logo.png").wait_for(timeout=60_000)
    _save(page)
    page.get_by_text("Gespeichert:" if width == VIEWPORTS[0][0] else "Nichts geändert.") \
        .wait_for(timeout=60_000)
    stored = _stored(town.server.db_url)
    assert stored["city_name"] == "Musterstadt" and stored["main_colour"] == COLOUR
    assert stored["imprint"] == IMPRINT and "logo" in stored
    page.get_by_text("Herkunft: Datenbank (geändert am").first.wait_for(timeout=60_000)
    page.get_by_role("heading", name="Einstellungen", exact=True).scroll_into_view_if_needed()
    _check(page, width)
    DOC_SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(DOC_SHOTS / f"einstellungen-1-gespeichert-{width}x{height}.png"))
    _fill(page, "Hauptfarbe", "#8a8a8a")  # too light for white text
    _save(page)
    refusal = page.get_by_text("Hauptfarbe: Der Kontrast von #8a8a8a zu Weiß ist 3,45:1")
    refusal.wait_for(timeout=60_000)
    assert _stored(town.server.db_url)["main_colour"] == COLOUR  # nothing stored
    refusal.scroll_into_view_if_needed()
    _check(page, width)
    page.screenshot(path=str(DOC_SHOTS / f"einstellungen-2-kontrast-{width}x{height}.png"))
    _fill(page, "Hauptfarbe", COLOUR)


def _citizens_form(browser: object, town: Town, width: int, height: int,
                   outside: Outside) -> None:
    page: Any = open_page(browser, town.server, width, height, outside, f"/?t={town.token}")
    page.get_by_text("Musterstadt", exact=True).wait_for(timeout=60_000)
    page.get_by_text(NOTICE).wait_for(timeout=60_000)
    page.get_by_text("Datenschutzbeauftragte, datenschutz@musterstadt.example").wait_for()
    start = page.get_by_role("button", name="Los geht’s") \
        if page.get_by_role("button", name="Los geht’s").count() else \
        page.locator("[data-testid=stBaseButton-primary]").first
    assert start.evaluate("e => getComputedStyle(e).backgroundColor") == "rgb(11, 79, 108)"
    page.get_by_text("Musterstadt", exact=True).scroll_into_view_if_needed()
    _check(page, width)
    page.screenshot(path=str(DOC_SHOTS / f"einstellungen-3-fragebogen-{width}x{height}.png"))
    page.get_by_text("Impressum", exact=True).click()
    page.get_by_text("Der Oberbürgermeister").wait_for(timeout=60_000)
    page.get_by_text("Erklärung zur Barrierefreiheit", exact=True).click()
    page.get_by_text("Barrieren melden: barrierefrei@musterstadt.example").wait_for()
    assert page.locator("img[alt='Logo']").count() == 1  # st.logo: an image, not HTML
    _check(page, width)
    page.get_by_text("Barrieren melden: barrierefrei@musterstadt.example") \
        .scroll_into_view_if_needed()
    page.screenshot(path=str(DOC_SHOTS / f"einstellungen-4-impressum-{width}x{height}.png"))
    page.close()


def test_settings_and_the_citizens_form(browser: object, town: Town) -> None:
    outside = Outside()
    page: Any = open_page(browser, town.server, *VIEWPORTS[0], outside)
    page.get_by_label("Benutzername").wait_for(timeout=60_000)
    sign_in(page, "ada")
    page.get_by_text("Angemeldet:").wait_for(timeout=60_000)
    page.get_by_role("link", name="Einstellungen", exact=True).click()
    page.get_by_role("heading", name="Einstellungen", exact=True).wait_for(timeout=60_000)
    wait_idle(page)
    for width, height in VIEWPORTS:
        _settings_flow(page, town, width, height)
    page.close()
    for width, height in ((390, 844), *VIEWPORTS):
        _citizens_form(browser, town, width, height, outside)
    assert outside.requests == []
