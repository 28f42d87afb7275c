"""A helper records a full interview on a 768×1024 tablet in a real browser: sign in, tap
through, reload mid-interview (draft resumed, still signed in), double-tap "speichern" →
exactly one new response with the tapped values. Touch targets are measured, axe-core checks
every entry page (no serious or critical violation, colour contrast included), the page
declares lang="de", and the taps and script reruns of the interview are counted."""

from __future__ import annotations

import sqlite3

import pytest
from playwright.sync_api import expect

from stadtraum.criteria import get_catalogue
from tests.browser.conftest import (
    ROOT,
    AppServer,
    Outside,
    discard_drafts,
    open_page,
    screenshot,
    sign_in,
)
from tests.browser.probes import RerunCounter, axe_violations, wait_idle

pytestmark = pytest.mark.browser
SCORES = [5, 3, 4, 6, 2, 7, 5, 4, 3, 6, 5, 2, 4, 1]


def _wait_idle(page: object) -> None:
    wait_idle(page, pause_ms=300)


def _tap(page: object, name: str, counter: list[int]) -> None:
    page.get_by_role("button", name=name, exact=True).last.click()  # type: ignore[attr-defined]
    counter[0] += 1
    _wait_idle(page)


def _small_targets(page: object) -> list[str]:
    """Visible interactive elements whose touch target is under 44 px high (an input inside
    a label is measured by its label, which is what a finger hits; 1 px high = a visually
    hidden skip link, which only appears on keyboard focus)."""
    return page.evaluate("""() => [...document.querySelectorAll(
        'button, [role=radio], [role=checkbox], input, [role=combobox], a[href]')]
        .filter(e => e.offsetParent !== null)
        .map(e => [e.innerText || e.getAttribute('aria-label') || e.tagName,
                   (e.closest('label') || e).getBoundingClientRect().height])
        .filter(([, h]) => h > 1 && h < 44).map(([t, h]) => t + ': ' + h)""")  # type: ignore[attr-defined,no-any-return]


def _accessible(page: object, where: str, problems: list[str]) -> None:
    """axe-core on the page as it is now; collect serious/critical findings."""
    _wait_idle(page)
    problems += [f"{where}: {v}" for v in axe_violations(page)]


def test_full_interview_by_tapping(browser: object, app_server: AppServer) -> None:
    db = app_server.db_url.removeprefix("sqlite:///")
    before = sqlite3.connect(db).execute("SELECT COUNT(*) FROM responses").fetchone()[0]
    discard_drafts(app_server, "erika")
    counter = RerunCounter()
    outside = Outside()
    page = open_page(browser, app_server, 768, 1024, outside, on_page=counter.attach)
    taps = [0]
    axe: list[str] = []
    page.get_by_label("Benutzername").wait_for(timeout=60_000)  # type: ignore[attr-defined]
    _accessible(page, "Anmelden", axe)
    sign_in(page, "erika")
    page.get_by_text("Neue Befragung beginnen").wait_for(timeout=60_000)  # type: ignore[attr-defined]
    assert page.evaluate("document.documentElement.lang") == "de"  # type: ignore[attr-defined]
    _accessible(page, "Befragung: Start", axe)
    assert page.get_by_role("button", name="Verwerfen").count() == 0  # type: ignore[attr-defined]
    reruns_at_start = counter.reruns
    _tap(page, "Neue Befragung beginnen", taps)
    page.get_by_text("Welches Gebiet wird bewertet?").wait_for()  # type: ignore[attr-defined]
    screenshot(page, "befragung-1-gebiet-768x1024")
    _accessible(page, "Befragung: Gebiet", axe)
    # type to search, then tap the one option left (the long list scrolls under the finger)
    box = page.get_by_role("combobox").first  # type: ignore[attr-defined]
    box.click()
    box.press_sequentially("Mühlbach")
    page.get_by_role("option", name="Am Mühlbach").click()  # type: ignore[attr-defined]
    taps[0] += 2
    expect(box).to_have_value("Am Mühlbach")
    _wait_idle(page)
    _tap(page, "Weiter", taps)
    page.get_by_text("Die befragte Person ist einverstanden.").click()  # type: ignore[attr-defined]
    taps[0] += 1
    _wait_idle(page)
    _tap(page, "Weiter", taps)
    ids = get_catalogue().ids
    for i, score in enumerate(SCORES):
        page.get_by_text(f"Thema {i + 1} von 14").wait_for()  # type: ignore[attr-defined]
        if i > 0:  # the previous step's elements are gone (no stale buttons to hit)
            page.get_by_text(f"Thema {i} von 14", exact=True).wait_for(  # type: ignore[attr-defined]
                state="detached")
        if i == 0:
            screenshot(page, "befragung-2-thema-768x1024")
            _accessible(page, "Befragung: Thema", axe)
            small = _small_targets(page)
            assert not small, f"touch targets under 44 px: {small}"
        page.get_by_role("radio", name=str(score), exact=True).click()  # type: ignore[attr-defined]
        taps[0] += 1
        page.get_by_role("radio", name=str(score), exact=True, checked=True).wait_for()  # type: ignore[attr-defined]
        _wait_idle(page)
        if i == 6:  # reload mid-interview: still signed in, the draft is offered and resumed
            page.reload()  # type: ignore[attr-defined]
            page.get_by_role("button", name="Fortsetzen").click(timeout=60_000)  # type: ignore[attr-defined]
            taps[0] += 1
            _wait_idle(page)
            page.get_by_text(f"Thema {i + 1} von 14").wait_for()  # type: ignore[attr-defined]
        _tap(page, "Weiter", taps)
    _tap(page, "Weiter", taps)  # priorities
    _tap(page, "Weiter", taps)  # about the person
    page.get_by_text("Prüfen und speichern").wait_for()  # type: ignore[attr-defined]
    send = page.get_by_role("button", name="Befragung speichern")  # type: ignore[attr-defined]
    send.wait_for()
    page.get_by_role("cell", name="Sicherheitsgefühl").wait_for()  # type: ignore[attr-defined]
    screenshot(page, "befragung-3-pruefen-768x1024")
    _accessible(page, "Befragung: Prüfen", axe)
    send.dblclick()  # the double tap
    taps[0] += 2
    page.get_by_text("ist sicher in der Datenbank").wait_for(timeout=30_000)  # type: ignore[attr-defined]
    _wait_idle(page)
    reruns = counter.reruns - reruns_at_start
    screenshot(page, "befragung-4-gespeichert-768x1024")
    scroll_w = page.evaluate("document.documentElement.scrollWidth")  # type: ignore[attr-defined]
    assert scroll_w <= 768
    con = sqlite3.connect(db)
    assert con.execute("SELECT COUNT(*) FROM responses").fetchone()[0] == before + 1
    rows = con.execute("SELECT r.criterion_id, r.score FROM ratings r JOIN responses p "
                       "ON p.id = r.response_id WHERE p.entered_by = 'erika'").fetchall()
    assert dict(rows) == dict(zip(ids, SCORES, strict=True))
    # the helper's list of the day shows it, and is accessible too
    page.goto(app_server.url + "/meine_befragungen")  # type: ignore[attr-defined]
    page.get_by_text("1 gültige Befragung heute").wait_for(timeout=30_000)  # type: ignore[attr-defined]
    page.get_by_role("button", name="Korrigieren").wait_for()  # type: ignore[attr-defined]
    _accessible(page, "Meine Befragungen heute", axe)
    screenshot(page, "befragung-5-meine-befragungen-768x1024")
    assert not axe, "axe-core: " + "\n".join(axe)
    assert outside.requests == []
    assert 0 < reruns <= 2 * taps[0]
    print(f"\ninterview taps: {taps[0]}, script reruns: {reruns}")
    (ROOT / "artifacts").mkdir(exist_ok=True)
    (ROOT / "artifacts" / "interview_counts.txt").write_text(
        f"taps={taps[0]}\nreruns={reruns}\n", encoding="utf-8")
    page.close()  # type: ignore[attr-defined]
