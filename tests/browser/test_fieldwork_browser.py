"""The page "Feldarbeit" in the real browser (Debian's Chromium) at 1366×768 and 1024×768, and
at 1920×1080 as on a projector: the admin opens the dashboard, sees the figures, the target
map (drawn from the app's own Leaflet) and the area table; a response stored meanwhile
appears by itself within the refresh interval. axe-core finds no serious or critical
violation; no request leaves localhost; the page does not scroll sideways. Screenshots go to
docs/screenshots/ (for docs/verwaltung.md)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy.engine import Engine

from tests.browser.conftest import (
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
VIEWPORTS = ((1366, 768), (1024, 768), (1920, 1080))
LAYOUT = {"D1": ("Q1", "Q2", "Q3"), "D2": ("Q4", "Q5", "Q6")}
# area -> (street by anna, paper by bert, online)
COUNTS = {"Q1": (10, 5, 5), "Q2": (2, 0, 0), "Q3": (6, 0, 0), "Q4": (15, 5, 5),
          "Q6": (30, 5, 5)}


def _fill(engine: Engine) -> None:
    from sqlalchemy import update
    from sqlalchemy.orm import Session

    from stadtraum.accounts.permissions import Actor
    from stadtraum.collect.drafts import save_draft
    from stadtraum.collect.interview import Interview
    from stadtraum.collect.submit import submit_response
    from stadtraum.store.db import Area, Campaign
    from stadtraum.store.engine import write_engine
    from tests.helpers import make_city, make_payload

    city = make_city(engine, layout=LAYOUT, name="Musterstadt", campaign="Befragung Nord 2026")
    names = dict(zip(("Q1", "Q2", "Q3", "Q4", "Q5", "Q6"), (
        "Altstadt", "Am Bahnhof", "Ehrenfeld", "Hofstede", "Riemke", "Wiemelhausen"),
        strict=True))
    with Session(write_engine(engine)) as session, session.begin():
        session.execute(update(Campaign).values(default_target=40))
        for code, name in names.items():
            session.execute(update(Area).where(Area.code == code).values(name=name))
    for area, counts in COUNTS.items():
        for mode, by, n in zip(("street", "paper", "online"), ("anna", "bert", None), counts,
                               strict=True):
            for _ in range(n):
                submit_response(engine, make_payload(city.campaign_id, area, mode=mode,
                                                     entered_by=by))
    save_draft(engine, Interview(campaign_id=city.campaign_id, entered_by="erika"),
               actor=Actor("erika", "helper"))


@pytest.fixture(scope="module")
def town(tmp_path_factory: pytest.TempPathFactory) -> Iterator[AppServer]:
    with serve_admin_app(tmp_path_factory.mktemp("feldarbeit"), _fill) as server:
        yield server


def _check(page: Any, width: int) -> None:
    wait_idle(page)
    problems = axe_violations(page)
    assert problems == [], problems
    assert page.evaluate("document.documentElement.scrollWidth") <= width


def _one_more(db_url: str) -> None:
    from stadtraum.collect.submit import submit_response
    from stadtraum.store.engine import make_engine
    from tests.helpers import make_payload

    engine = make_engine(db_url)
    try:
        submit_response(engine, make_payload(1, "Q6", mode="street", entered_by="anna"))
    finally:
        engine.dispose()


def test_the_dashboard_shows_the_counts_and_refreshes_itself(browser: object,
                                                             town: AppServer) -> None:
    outside = Outside()
    page: Any = open_page(browser, town, *VIEWPORTS[0], outside)
    page.get_by_label("Benutzername").wait_for(timeout=60_000)
    sign_in(page, "ada")
    page.get_by_text("Angemeldet:").wait_for(timeout=60_000)
    page.get_by_role("link", name="Feldarbeit", exact=True).click()
    page.get_by_role("heading", name="Feldarbeit", exact=True).wait_for(timeout=60_000)
    total = page.locator("[data-testid=stMetric]").filter(has_text="Antworten insgesamt")
    total.get_by_text("93 von 240").wait_for(timeout=60_000)
    map_frame = page.frame_locator("iframe[title='streamlit_folium.st_folium']")
    map_frame.locator("path.sr-area").first.wait_for(timeout=60_000)
    assert map_frame.locator("path.sr-suppressed").count() >= 2  # Q2 and its partner
    for width, height in VIEWPORTS:
        page.set_viewport_size({"width": width, "height": height})
        page.get_by_role("heading", name="Feldarbeit", exact=True).scroll_into_view_if_needed()
        _check(page, width)
        DOC_SHOTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(DOC_SHOTS / f"feldarbeit-{width}x{height}.png"))
        for part, name in (("Erfasser*innen heute", "helpers"), ("Je Gebiet", "areas")):
            page.get_by_role("heading", name=part, exact=True).evaluate(
                "e => e.scrollIntoView({block: 'start'})")  # the lower parts, to review
            screenshot(page, f"feldarbeit-{name}-{width}x{height}")
    _one_more(town.db_url)  # a helper sends an interview: the page shows it by itself
    total.get_by_text("94 von 240").wait_for(timeout=75_000)
    assert outside.requests == []
    page.close()
