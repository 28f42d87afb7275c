"""Single sign-on end to end in Debian's Chromium against a real local OpenID Connect provider
(``oidc-provider-mock`` on a loopback port, in a thread): the app started through ``app.py``
with ``STADTRAUM_OIDC_*`` shows "Mit Stadt-Login anmelden"; a known e-mail lands signed in
with its account's role, on our own session only (Streamlit's identity cookie is gone);
"end all sessions" signs the browser out at its next interaction; "Abmelden" leaves nothing
that signs in again; an unknown e-mail is refused. axe on the sign-in page with the button,
screenshot at 1366x768 for docs/verwaltung.md."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import time
import warnings
from collections.abc import Iterator
from typing import Any

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from stadtraum.accounts.permissions import SYSTEM
from stadtraum.accounts.sessions import COOKIE
from stadtraum.accounts.users import create_user, end_sessions
from stadtraum.store.db import AuditEntry
from stadtraum.store.engine import make_engine
from stadtraum.store.migrate import migrate
from tests.browser.conftest import PASSWORD, ROOT, AppServer, Outside, open_page, screenshot
from tests.browser.probes import axe_violations
from tests.servers import free_port, wait_healthy

with warnings.catch_warnings():  # the mock provider imports Authlib's deprecated modules
    import authlib.deprecate  # noqa: F401  (it installs an "always" filter on first import)

    warnings.simplefilter("ignore", DeprecationWarning)
    from oidc_provider_mock import User, run_server_in_thread

# ... and the provider's thread calls Authlib's deprecated grant helpers (not our code)
pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning:authlib")

PROVIDER = "Stadt-Login"
BUTTON = f"Mit {PROVIDER} anmelden"
ADA = "ada.lovelace@stadt.example"  # the account's e-mail; the provider sends it capitalised
MALLORY = "mallory@anderswo.example"
SIGNED_IN = "Angemeldet:"
IDENTITY_COOKIES = ("_streamlit_user", "_streamlit_user_tokens")
DOCS = ROOT / "docs" / "screenshots"
# the provider's own pages load their stylesheet from a CDN (blocked and counted); the app
# itself must ask for nothing outside
PROVIDER_CSS = "https://cdn.jsdelivr.net/npm/@picocss/"


@pytest.fixture(scope="module")
def provider() -> Iterator[str]:
    os.environ["AUTHLIB_INSECURE_TRANSPORT"] = "1"  # the provider on plain http (loopback)
    users = [User(sub="ada", claims={"email": "Ada.Lovelace@Stadt.Example",
                                     "email_verified": True, "name": "Ada Lovelace"}),
             User(sub="mallory", claims={"email": MALLORY, "email_verified": True})]
    with run_server_in_thread(user_claims=users) as server:
        yield f"http://localhost:{server.server_port}"


@pytest.fixture(scope="module")
def sso_app(provider: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[AppServer]:
    """``streamlit run app.py`` (as in production) on a free port, SSO configured."""
    tmp = tmp_path_factory.mktemp("sso")
    db_url = f"sqlite:///{tmp / 'app.db'}"
    engine = make_engine(db_url)
    migrate(engine)
    create_user(engine, "ada", "planner", PASSWORD, actor=SYSTEM, email=ADA)
    create_user(engine, "root", "admin", PASSWORD, actor=SYSTEM)
    engine.dispose()
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    env = dict(os.environ, STADTRAUM_DATABASE_URL=db_url, STADTRAUM_BASEMAP="none",
               STADTRAUM_SESSION_SECRET="browser-test-secret-" + "x" * 20,
               STADTRAUM_DEMO_ON_EMPTY="0", AUTHLIB_INSECURE_TRANSPORT="1",
               STADTRAUM_OIDC_METADATA_URL=provider + "/.well-known/openid-configuration",
               STADTRAUM_OIDC_CLIENT_ID="stadtraum", STADTRAUM_OIDC_CLIENT_SECRET="geheim",
               STADTRAUM_OIDC_REDIRECT_URI=url + "/oauth2callback",
               STADTRAUM_OIDC_PROVIDER_NAME=PROVIDER)
    log = tmp / "streamlit.log"
    with log.open("wb") as out:
        proc = subprocess.Popen(
            [sys.executable, "-m", "streamlit", "run", str(ROOT / "app.py"),
             "--server.port", str(port), "--server.address", "127.0.0.1",
             "--server.headless", "true", "--server.enableStaticServing", "true",
             "--server.fileWatcherType", "none"], cwd=ROOT, env=env, stdout=out, stderr=out)
    wait_healthy(url, proc, log)
    try:
        yield AppServer(url, proc, log, db_url)
    finally:
        proc.terminate()
        proc.wait(timeout=30)


def _cookie_names(page: Any) -> set[str]:
    return {c["name"] for c in page.context.cookies() if c["value"]}


def _through_provider(page: Any, subject: str) -> None:
    """Click the SSO button, choose ``subject`` on the provider's authorization page."""
    page.get_by_role("button", name=BUTTON).click()
    page.get_by_role("button", name=subject, exact=True).click(timeout=60_000)


def _no_provider_sign_out(page: Any) -> list[str]:
    """Every request the page makes to the provider's end-session endpoint from now on:
    dropping Streamlit's identity after the exchange must not sign the person out at the
    provider (with Entra ID: out of every Microsoft app in the browser), nor ask them to."""
    seen: list[str] = []
    page.on("request", lambda r: seen.append(r.url) if "/oauth2/end_session" in r.url
            else None)
    return seen


def _wait_cookie_gone(page: Any, timeout_s: float = 30) -> None:
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline and _cookie_names(page) & set(IDENTITY_COOKIES):
        time.sleep(0.2)


def _audit(server: AppServer) -> list[tuple[str | None, str, str | None, dict[str, Any]]]:
    engine = make_engine(server.db_url)
    with Session(engine) as session:
        rows = session.execute(select(AuditEntry.actor, AuditEntry.action, AuditEntry.object_id,
                                      AuditEntry.detail)
                               .where(AuditEntry.action.like("sign_in%"))
                               .order_by(AuditEntry.id)).all()
    engine.dispose()
    return [(a, b, c, json.loads(d or "{}")) for a, b, c, d in rows]


def test_sign_in_page_shows_the_button_without_serious_axe_violations(
        browser: Any, sso_app: AppServer) -> None:
    outside = Outside()
    page: Any = open_page(browser, sso_app, 1366, 768, outside)
    page.get_by_role("button", name=BUTTON).wait_for(timeout=60_000)
    page.get_by_label("Benutzername").wait_for()  # the password form stays
    page.wait_for_timeout(800)
    assert axe_violations(page) == []
    shot = screenshot(page, "anmelden-sso-1366x768")
    DOCS.mkdir(parents=True, exist_ok=True)
    shutil.copy(shot, DOCS / "anmelden-sso-1366x768.png")
    assert outside.requests == []
    page.context.close()


def test_known_e_mail_signs_in_on_our_session_which_end_all_and_sign_out_end(
        browser: Any, sso_app: AppServer) -> None:
    outside = Outside()
    page: Any = open_page(browser, sso_app, 1366, 768, outside)
    provider_sign_outs = _no_provider_sign_out(page)
    _through_provider(page, "ada")
    page.get_by_text(SIGNED_IN).wait_for(timeout=60_000)
    assert page.get_by_text("Angemeldet: ada (Planer*in)").count() == 1
    _wait_cookie_gone(page)
    names = _cookie_names(page)
    assert COOKIE in names and not names & set(IDENTITY_COOKIES), names
    screenshot(page, "anmelden-sso-angemeldet-1366x768")
    assert [e[:2] for e in _audit(sso_app)][-1] == ("ada", "sign_in")
    assert _audit(sso_app)[-1][3]["method"] == "sso"
    # "end all sessions" on the accounts page (its use case): the next click signs out
    engine = make_engine(sso_app.db_url)
    end_sessions(engine, "ada", actor=SYSTEM)
    engine.dispose()
    page.get_by_role("link", name="Karte").click()
    page.get_by_text("Ihre Anmeldung wurde beendet").wait_for(timeout=60_000)
    page.get_by_text(SIGNED_IN).wait_for(state="detached", timeout=30_000)  # the old sidebar
    page.get_by_role("button", name=BUTTON).wait_for(timeout=60_000)
    # again through the provider, then "Abmelden": a reload signs nobody in
    _through_provider(page, "ada")
    page.get_by_text(SIGNED_IN).wait_for(timeout=60_000)
    page.get_by_role("button", name="Abmelden").click()
    page.get_by_role("button", name=BUTTON).wait_for(timeout=60_000)
    page.reload()
    page.get_by_role("button", name=BUTTON).wait_for(timeout=60_000)
    page.wait_for_timeout(2000)
    assert page.get_by_text(SIGNED_IN).count() == 0
    assert not _cookie_names(page) & {COOKIE, *IDENTITY_COOKIES}
    assert all(u.startswith(PROVIDER_CSS) for u in outside.requests), outside.requests
    assert provider_sign_outs == []
    page.context.close()


def test_unknown_e_mail_is_refused_and_leaves_no_identity(browser: Any,
                                                          sso_app: AppServer) -> None:
    outside = Outside()
    page: Any = open_page(browser, sso_app, 1366, 768, outside)
    _through_provider(page, "mallory")
    page.get_by_text("Für Ihre E-Mail-Adresse gibt es hier kein Konto").wait_for(
        timeout=60_000)
    assert page.get_by_text(SIGNED_IN).count() == 0
    screenshot(page, "anmelden-sso-abgelehnt-1366x768")
    failed = _audit(sso_app)[-1]
    assert failed[:3] == (None, "sign_in_failed", "")
    assert failed[3]["reason"] == "unknown email" and "mallory" not in json.dumps(failed)
    provider_sign_outs = _no_provider_sign_out(page)
    page.get_by_role("button", name="Zurück zur Anmeldung").click()
    page.get_by_role("button", name=BUTTON).wait_for(timeout=60_000)
    _wait_cookie_gone(page)
    assert not _cookie_names(page) & {COOKIE, *IDENTITY_COOKIES}
    assert provider_sign_outs == []
    page.context.close()
