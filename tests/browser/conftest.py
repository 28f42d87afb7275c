"""Browser fixtures: the app on a free port (own SQLite file) and Debian's Chromium driven
by Playwright. Playwright never downloads a browser; requests leaving localhost are counted
and blocked."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

from tests.servers import free_port, wait_healthy

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = Path("/usr/bin/chromium")
ARTIFACTS = ROOT / "artifacts" / "screenshots"


PASSWORD = "Browser-Test-123"


@dataclass
class AppServer:
    url: str
    process: subprocess.Popen[bytes]
    log: Path
    db_url: str


@contextmanager
def serve(script: Path, db_url: str, tmp: Path, **env_extra: str) -> Iterator[AppServer]:
    """Run ``streamlit run script`` on a free port against ``db_url`` until the block ends.
    As in production, source edits during a run do not reload pages (no file watcher)."""
    port = free_port()
    env = dict(os.environ, STADTRAUM_DATABASE_URL=db_url, STADTRAUM_BASEMAP="none",
               STADTRAUM_SESSION_SECRET="browser-test-secret-" + "x" * 20)
    env.update(env_extra)
    log = tmp / f"streamlit-{port}.log"
    with log.open("wb") as out:
        proc = subprocess.Popen(
            [sys.executable, "-m", "streamlit", "run", str(script),
             "--server.port", str(port), "--server.address", "127.0.0.1",
             "--server.headless", "true", "--server.enableStaticServing", "true",
             "--server.fileWatcherType", "none"], cwd=ROOT, env=env, stdout=out, stderr=out)
    url = f"http://127.0.0.1:{port}"
    wait_healthy(url, proc, log)
    try:
        yield AppServer(url, proc, log, db_url)
    finally:
        proc.terminate()
        proc.wait(timeout=30)


@contextmanager
def serve_admin_app(tmp: Path, prepare: Any = None) -> Iterator[AppServer]:
    """The app on a fresh database with one admin ("ada") and no demo data; ``prepare``
    (optional) fills the database first, given its engine."""
    from stadtraum.accounts.permissions import SYSTEM
    from stadtraum.accounts.users import create_user
    from stadtraum.store.engine import make_engine
    from stadtraum.store.migrate import migrate

    db_url = f"sqlite:///{tmp / 'app.db'}"
    engine = make_engine(db_url)
    migrate(engine)
    if prepare is not None:
        prepare(engine)
    create_user(engine, "ada", "admin", PASSWORD, actor=SYSTEM)
    engine.dispose()
    with serve(ROOT / "app.py", db_url, tmp, STADTRAUM_DEMO_ON_EMPTY="0") as server:
        yield server


@pytest.fixture(scope="session")
def app_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[AppServer]:
    from stadtraum.accounts.permissions import SYSTEM
    from stadtraum.accounts.users import create_user
    from stadtraum.demo.loader import load_demo
    from stadtraum.store.engine import make_engine
    from stadtraum.store.migrate import migrate

    tmp = tmp_path_factory.mktemp("app")
    db_url = f"sqlite:///{tmp / 'app.db'}"
    engine = make_engine(db_url)
    migrate(engine)
    load_demo(engine)
    create_user(engine, "pia", "planner", PASSWORD, actor=SYSTEM)
    create_user(engine, "erika", "helper", PASSWORD, actor=SYSTEM)
    create_user(engine, "mona", "moderator", PASSWORD, actor=SYSTEM)
    create_user(engine, "ada", "admin", PASSWORD, actor=SYSTEM)
    engine.dispose()
    with serve(ROOT / "app.py", db_url, tmp) as server:
        yield server


@dataclass
class Outside:
    requests: list[str] = field(default_factory=list)


@pytest.fixture(scope="session")
def browser() -> Iterator[object]:
    if not CHROMIUM.exists():
        if os.environ.get("CI") == "true":
            pytest.fail("Debian's chromium is required in CI")
        pytest.skip("no /usr/bin/chromium")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=str(CHROMIUM), args=[
            "--no-sandbox", "--headless", "--disable-gpu", "--disable-background-networking",
            "--disable-component-update", "--no-first-run", "--disable-sync"])
        yield b
        b.close()


def open_page(browser: object, server: AppServer, width: int, height: int,
              outside: Outside, path: str = "/", *, on_page: Any = None,
              context: dict[str, Any] | None = None) -> object:
    """A new page at ``path``; ``on_page(page)`` runs before the first request (to attach
    listeners such as the rerun counter); ``context`` are extra browser-context options
    (e.g. a granted geolocation)."""
    viewport = {"width": width, "height": height}
    if context:
        page = browser.new_context(viewport=viewport, **context).new_page()  # type: ignore[attr-defined]
    else:
        page = browser.new_page(viewport=viewport)  # type: ignore[attr-defined]
    if on_page is not None:
        on_page(page)

    def route(r: object) -> None:
        req_url = r.request.url  # type: ignore[attr-defined]
        if req_url.startswith(("http://127.0.0.1", "http://localhost", "ws://127.0.0.1",
                               "data:", "blob:")):
            r.continue_()  # type: ignore[attr-defined]
        else:
            outside.requests.append(req_url)
            r.abort()  # type: ignore[attr-defined]

    page.route("**/*", route)
    page.goto(server.url + path)
    return page


def screenshot(page: object, name: str) -> Path:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    out = ARTIFACTS / f"{name}.png"
    page.screenshot(path=str(out), full_page=True)  # type: ignore[attr-defined]
    return out


def discard_drafts(server: AppServer, name: str) -> None:
    """Set-up: drop the unfinished interviews that earlier browser tests of this session left
    for ``name``, through the library before the page opens (clicking "Verwerfen" on each one
    races the page's own rerun)."""
    from stadtraum.accounts.permissions import Actor
    from stadtraum.collect.drafts import discard_draft, open_drafts
    from stadtraum.store.engine import make_engine

    engine = make_engine(server.db_url)
    actor = Actor(name, "helper")
    for iv in open_drafts(engine, name, ttl_hours=24 * 365):
        discard_draft(engine, iv.response_id, actor=actor)
    assert open_drafts(engine, name, ttl_hours=24 * 365) == []
    engine.dispose()


def sign_in(page: object, name: str) -> None:
    """Fill the sign-in form like a person (tap, type, tap)."""
    page.get_by_label("Benutzername").fill(name)  # type: ignore[attr-defined]
    page.get_by_label("Passwort").fill(PASSWORD)  # type: ignore[attr-defined]
    page.get_by_role("button", name="Anmelden").click()  # type: ignore[attr-defined]
