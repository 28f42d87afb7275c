"""The first start in the real browser (issue 11, item 1): an empty install shows the set-up
page, the first admin is created with the code from the file and is signed in; the demo's
sign-in page offers one button per role. axe-core finds no serious or critical violation,
nothing leaves localhost, no horizontal scrolling; screenshots of each step."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.browser.conftest import Outside, open_page, screenshot, serve
from tests.browser.probes import axe_violations, wait_idle

pytestmark = pytest.mark.browser
ROOT = Path(__file__).resolve().parents[2]


def _problems(page: object, where: str, width: int) -> list[str]:
    wait_idle(page, pause_ms=500)
    out = [f"{where}: {v}" for v in axe_violations(page)]
    if page.evaluate("document.documentElement.scrollWidth") > width:  # type: ignore[attr-defined]
        out.append(f"{where}: horizontal scrolling")
    return out


@pytest.mark.parametrize(("width", "height"), [(1366, 768), (1024, 768)])
def test_first_start_creates_the_admin_in_the_browser(browser: object, tmp_path: Path,
                                                      width: int, height: int) -> None:
    code_file = tmp_path / "setup-code"
    with serve(ROOT / "app.py", f"sqlite:///{tmp_path / 'fresh.db'}", tmp_path,
               STADTRAUM_DEMO_ON_EMPTY="0", STADTRAUM_SETUP_CODE_FILE=str(code_file)) as server:
        outside = Outside()
        page = open_page(browser, server, width, height, outside)
        page.get_by_role("heading", name="StadtRaumMonitor einrichten").wait_for(  # type: ignore[attr-defined]
            timeout=60_000)
        problems = _problems(page, "set-up", width)
        screenshot(page, f"einrichtung-1-{width}x{height}")
        page.get_by_label("Einrichtungscode").fill(code_file.read_text().strip())  # type: ignore[attr-defined]
        page.get_by_label("Benutzername").fill("erika")  # type: ignore[attr-defined]
        page.get_by_label("Passwort (mindestens").fill("Sieben-Brücken-2027")  # type: ignore[attr-defined]
        page.get_by_label("Passwort wiederholen").fill("Sieben-Brücken-2027")  # type: ignore[attr-defined]
        page.get_by_role("button", name="Admin anlegen und anmelden").click()  # type: ignore[attr-defined]
        page.get_by_text("Angemeldet: erika (Admin)").wait_for(timeout=60_000)  # type: ignore[attr-defined]
        problems += _problems(page, "signed in", width)
        screenshot(page, f"einrichtung-2-angemeldet-{width}x{height}")
        assert not code_file.exists()
        assert not problems, "\n".join(problems)
        assert outside.requests == []
        page.close()  # type: ignore[attr-defined]


def test_demo_sign_in_buttons_in_the_browser(browser: object, tmp_path: Path) -> None:
    from stadtraum.demo.loader import load_demo
    from stadtraum.store.engine import make_engine
    from stadtraum.store.migrate import migrate

    db_url = f"sqlite:///{tmp_path / 'demo.db'}"
    engine = make_engine(db_url)
    migrate(engine)
    load_demo(engine, n_responses=300)
    engine.dispose()
    with serve(ROOT / "app.py", db_url, tmp_path) as server:
        outside = Outside()
        page = open_page(browser, server, 1366, 768, outside)
        page.get_by_role("button", name="Planung (Karten, Profile)").wait_for(timeout=60_000)  # type: ignore[attr-defined]
        problems = _problems(page, "demo sign-in", 1366)
        page.get_by_role("button", name="Verwaltung (Admin)").wait_for(timeout=60_000)  # type: ignore[attr-defined]
        screenshot(page, "anmelden-demo-1366x768")
        page.get_by_role("button", name="Planung (Karten, Profile)").click()  # type: ignore[attr-defined]
        page.get_by_text("Angemeldet: planung (Planer*in)").wait_for(timeout=60_000)  # type: ignore[attr-defined]
        assert not problems, "\n".join(problems)
        assert outside.requests == []
        page.close()  # type: ignore[attr-defined]
        # a bookmark of the sign-in page: the sign-in form, not Streamlit's "Page not found"
        page = open_page(browser, server, 1366, 768, outside, "/anmelden")
        page.get_by_role("button", name="Verwaltung (Admin)").wait_for(timeout=60_000)  # type: ignore[attr-defined]
        page.wait_for_timeout(1500)  # type: ignore[attr-defined]
        assert page.get_by_text("Page not found").count() == 0  # type: ignore[attr-defined]
        assert page.url == server.url + "/"  # type: ignore[attr-defined]
        page.close()  # type: ignore[attr-defined]
