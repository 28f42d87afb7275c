"""The administrator's whole story in the real browser (issue 11, "Tests that must exist"),
as docs/verwaltung.md tells it, without a console:

1. a fresh install shows the set-up page; the admin is created with the code from the file;
2. the Bochum Stadtbezirke and statistical districts are uploaded from ``../shared/geodata``,
   the districts' parents derived from their field;
3. a campaign on the statistical districts with a target of 40 per area is created and opened;
4. a helper account is created (one-time password shown once);
5. in a second browser context (a tablet, 1024×768) the helper signs in with it, chooses an
   own password and records an interview;
6. the admin, with the field-work dashboard open, watches it appear there by itself.

The admin works at 1366×768, the helper at 1024×768. axe-core finds no serious or critical
violation at any step, no page scrolls sideways and no request leaves localhost. Every step
leaves a screenshot in docs/screenshots/ (``ablauf-*``), which docs/verwaltung.md shows."""

from __future__ import annotations

import os
import time
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from stadtraum.accounts.sessions import COOKIE
from tests.browser.conftest import Outside, open_page, screenshot, serve
from tests.browser.leaflet import FRAME
from tests.browser.probes import axe_violations, wait_idle
from tests.geo.conftest import GEODATA, require_folder

pytestmark = pytest.mark.browser
ROOT = Path(__file__).resolve().parents[2]
DOC_SHOTS = ROOT / "docs" / "screenshots"
ADMIN = (1366, 768)
TABLET = (1024, 768)
ADMIN_PASSWORD = "Sieben-Brücken-2027"
HELPER_PASSWORD = "Grumme-Lindenstraße-7"
CAMPAIGN = "Quartiersbefragung Bochum 2027"
SCORES = [5, 3, 4, 6, 2, 7, 5, 4, 3, 6, 5, 2, 4, 1]


class Story:
    """What every step checks, and the screenshots it leaves."""

    def __init__(self) -> None:
        self.problems: list[str] = []

    def look(self, page: Any, step: str, width: int, *, exclude: list[str] | None = None,
             shot: str | None = None) -> None:
        wait_idle(page, pause_ms=400)
        self.problems += [f"{step}: {v}" for v in axe_violations(page, exclude=exclude)]
        if page.evaluate("document.documentElement.scrollWidth") > width:
            self.problems.append(f"{step}: horizontal scrolling")
        if shot is not None:
            DOC_SHOTS.mkdir(parents=True, exist_ok=True)
            height = page.viewport_size["height"]
            page.screenshot(path=str(DOC_SHOTS / f"ablauf-{shot}-{width}x{height}.png"))


def _count(db_url: str, model: Any, *where: Any) -> int:
    from stadtraum.store.engine import make_engine

    engine = make_engine(db_url)
    try:
        with Session(engine) as session:
            return int(session.scalar(select(func.count()).select_from(model).where(*where))
                       or 0)
    finally:
        engine.dispose()


def _choose(page: Any, scope: Any, label: str, option: str) -> None:
    """Pick ``option`` in the select box labelled ``label`` inside ``scope``."""
    box = scope.get_by_role("combobox", name=label)
    box.click()
    page.get_by_role("option", name=option).first.click()
    wait_idle(page)


def _set_up(page: Any, code_file: Path, story: Story) -> None:
    page.get_by_role("heading", name="StadtRaumMonitor einrichten").wait_for(timeout=60_000)
    story.look(page, "Einrichtung", ADMIN[0], shot="1-einrichtung")
    page.get_by_label("Einrichtungscode").fill(code_file.read_text().strip())
    page.get_by_label("Benutzername").fill("ada")
    page.get_by_label("Passwort (mindestens").fill(ADMIN_PASSWORD)
    page.get_by_label("Passwort wiederholen").fill(ADMIN_PASSWORD)
    page.get_by_role("button", name="Admin anlegen und anmelden").click()
    page.get_by_text("Angemeldet: ada (Admin)").wait_for(timeout=60_000)
    assert not code_file.exists()  # the code works once
    _wait_session_cookie(page)  # before an address is opened directly (next step)


def _wait_session_cookie(page: Any, timeout_s: float = 30) -> None:
    """The browser stores our session cookie a moment after the page says "Angemeldet"
    (its one-time code goes to our route): only then does a newly loaded address know
    the person."""
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        if any(c["name"] == COOKIE and c["value"] for c in page.context.cookies()):
            return
        time.sleep(0.1)
    raise AssertionError("the session cookie was never set")


def _import(page: Any, url: str, source: Path, level: str, n: int, story: Story,
            shot: str) -> None:
    page.goto(url + "/gebiete")  # a fresh page: no upload of the previous import left
    page.get_by_role("heading", name="Gebietsgrenzen importieren").wait_for(timeout=60_000)
    wait_idle(page)
    page.locator("input[type=file]").first.set_input_files(str(source))
    page.get_by_text(f"{n} Objekte").wait_for(timeout=60_000)
    page.get_by_text("Prüfbericht").wait_for(timeout=60_000)
    new_set = page.get_by_label("Name des neuen Grenzstands")
    if new_set.count():  # the first import: a new boundary set
        new_set.fill("Bochum")
    page.get_by_label("Name der Ebene").fill(level)
    page.get_by_label("Name der Ebene").press("Enter")
    wait_idle(page)
    page.locator(FRAME).scroll_into_view_if_needed()
    story.look(page, f"Gebiete {level}", ADMIN[0], exclude=[FRAME], shot=shot)
    page.get_by_role("button", name="Gebiete importieren").click()
    page.get_by_text(f"{n} Gebiete der Ebene").wait_for(timeout=60_000)


def _campaign(page: Any, story: Story) -> None:
    page.get_by_role("link", name="Befragungen", exact=True).click()
    page.get_by_role("heading", name="Befragungen", exact=True).wait_for(timeout=60_000)
    new = page.locator("[data-testid=stExpander]").filter(has_text="Neue Befragung anlegen")
    new.get_by_label("Name der Befragung").fill(CAMPAIGN)
    _choose(page, new, "Gebietsebene und Grenzstand", "Statistischer Bezirk")
    new.get_by_role("spinbutton", name="Zielzahl je Gebiet (freiwillig)").fill("40")
    wait_idle(page)
    story.look(page, "Befragung anlegen", ADMIN[0], shot="4-befragung")
    new.get_by_role("button", name="Befragung anlegen").click()
    page.get_by_text("Befragung angelegt (Entwurf)").wait_for(timeout=60_000)
    wait_idle(page)
    page.get_by_role("button", name="Befragung öffnen").click()
    page.get_by_text("Befragung geöffnet").wait_for(timeout=60_000)


def _helper_account(page: Any, story: Story) -> str:
    page.get_by_role("link", name="Konten", exact=True).click()
    page.get_by_role("heading", name="Konten", exact=True).wait_for(timeout=60_000)
    form = page.locator("[data-testid=stForm]").first
    form.get_by_role("textbox", name="Anmeldename").fill("hans")
    _choose(page, form, "Rolle", "Erfasser*in")
    form.get_by_role("button", name="Konto anlegen").click()
    page.get_by_text("Einmal-Passwort für hans").wait_for(timeout=60_000)
    page.locator("[data-testid=stCode]").first.scroll_into_view_if_needed()
    story.look(page, "Konto angelegt", ADMIN[0], shot="5-helferkonto")
    return str(page.locator("[data-testid=stCode] code").first.inner_text()).strip()


def _interview(page: Any, one_time: str, story: Story) -> None:
    width = TABLET[0]
    page.get_by_label("Benutzername").wait_for(timeout=60_000)
    page.get_by_label("Benutzername").fill("hans")
    page.get_by_label("Passwort").fill(one_time)
    page.get_by_role("button", name="Anmelden").click()
    page.get_by_label("Neues Passwort (mindestens").fill(HELPER_PASSWORD, timeout=60_000)
    page.get_by_label("Passwort wiederholen").fill(HELPER_PASSWORD)
    story.look(page, "Neues Passwort", width, shot="6-eigenes-passwort")
    page.get_by_role("button", name="Passwort speichern").click()
    page.get_by_role("button", name="Neue Befragung beginnen").click(timeout=60_000)
    page.get_by_text("Welches Gebiet wird bewertet?").wait_for(timeout=60_000)
    box = page.get_by_role("combobox").first
    box.click()
    box.press_sequentially("Grumme")
    page.get_by_role("option", name="Grumme").click()
    wait_idle(page)
    page.get_by_role("button", name="Weiter", exact=True).last.click()
    page.get_by_text("Die befragte Person ist einverstanden.").click()
    wait_idle(page)
    page.get_by_role("button", name="Weiter", exact=True).last.click()
    for i, score in enumerate(SCORES):
        page.get_by_text(f"Thema {i + 1} von 14").wait_for(timeout=60_000)
        page.get_by_role("radio", name=str(score), exact=True).click()
        page.get_by_role("radio", name=str(score), exact=True, checked=True).wait_for()
        wait_idle(page, pause_ms=200)
        page.get_by_role("button", name="Weiter", exact=True).last.click()
    for step in ("Was ist am wichtigsten?", "Angaben zur Person (freiwillig)"):  # optional
        page.get_by_role("heading", name=step).wait_for(timeout=60_000)
        wait_idle(page, pause_ms=200)
        page.get_by_role("button", name="Weiter", exact=True).last.click()
    page.get_by_role("heading", name="Prüfen und speichern").wait_for(timeout=60_000)
    wait_idle(page, pause_ms=200)
    page.get_by_role("button", name="Befragung speichern").click(timeout=60_000)
    page.get_by_text("ist sicher in der Datenbank").wait_for(timeout=60_000)
    story.look(page, "Befragung gespeichert", width, shot="7-helfer-gespeichert")


def _total(page: Any) -> Any:
    return page.locator("[data-testid=stMetric]").filter(has_text="Antworten insgesamt")


def _dashboard_before(page: Any) -> None:
    page.get_by_role("link", name="Feldarbeit", exact=True).click()
    page.get_by_role("heading", name="Feldarbeit", exact=True).wait_for(timeout=60_000)
    _total(page).get_by_text("von 1200").wait_for(timeout=60_000)  # 30 areas × 40
    page.get_by_text("Heute noch niemand.").wait_for(timeout=60_000)  # no helper yet today


def _dashboard_after(page: Any, story: Story) -> None:
    """The admin's page, left open, shows the helper by itself (no reload): hans is active
    today. One response is fewer than min_n, so the counts read "unter 5", as the planners'
    views would show them."""
    helpers = page.locator("[data-testid=stDataFrame] table").filter(has_text="hans")
    helpers.wait_for(state="attached", timeout=90_000)  # the refresh runs every 30 s
    assert page.get_by_text("Heute noch niemand.").count() == 0
    _total(page).get_by_text("unter 5 von 1200").wait_for(timeout=60_000)
    assert CAMPAIGN in page.inner_text("body")
    page.get_by_role("heading", name="Feldarbeit", exact=True).scroll_into_view_if_needed()
    story.look(page, "Feldarbeit", ADMIN[0], exclude=[FRAME], shot="8-feldarbeit")


def test_from_an_empty_install_to_a_helper_in_the_field(browser: Any, tmp_path: Path) -> None:
    from stadtraum.store.db import Area, Response, User

    geodata = require_folder(GEODATA, os.environ)
    code_file = tmp_path / "setup-code"
    db_url = f"sqlite:///{tmp_path / 'bochum.db'}"
    story = Story()
    with serve(ROOT / "app.py", db_url, tmp_path, STADTRAUM_DEMO_ON_EMPTY="0",
               STADTRAUM_SETUP_CODE_FILE=str(code_file)) as server:
        outside = Outside()
        admin: Any = open_page(browser, server, *ADMIN, outside)
        _set_up(admin, code_file, story)
        _import(admin, server.url, geodata / "bochum_stadtbezirke_dissolved_wgs84.geojson",
                "Stadtbezirk", 6, story, "2-stadtbezirke")
        _import(admin, server.url, geodata / "bochum_statistische_bezirke_wgs84.geojson",
                "Statistischer Bezirk", 30, story, "3-statistische-bezirke")
        _campaign(admin, story)
        one_time = _helper_account(admin, story)
        assert _count(db_url, User, User.name == "hans", User.role == "helper") == 1

        assert _count(db_url, Area, Area.parent_id.is_not(None)) == 30  # parents derived
        _dashboard_before(admin)
        tablet: Any = open_page(browser, server, *TABLET, outside)  # its own context
        try:
            _interview(tablet, one_time, story)
        except Exception:
            screenshot(tablet, "ablauf-fehler-tablet")  # artifacts/: what the helper saw
            raise
        assert _count(db_url, Response) == 1

        _dashboard_after(admin, story)
        assert outside.requests == []
        assert not story.problems, "\n".join(story.problems)
        tablet.context.close()
        admin.close()
