"""The session cookie's routes, served by ``uvicorn app:app`` (the ASGI app, no Streamlit
CLI) on a free port against a real SQLite file: the one-time code becomes an HttpOnly cookie
exactly once, sign-out ends the row and clears the cookie, cross-site requests without our
header are refused, and our /auth/logout drops Streamlit's identity cookies and returns to the
app, never to the provider."""

from __future__ import annotations

import http.client
import os
import subprocess
import sys
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from stadtraum.accounts.permissions import SYSTEM
from stadtraum.accounts.sessions import COOKIE, open_session, session_hash, verify_cookie
from stadtraum.accounts.users import authenticate, create_user
from stadtraum.store.db import UserSession
from stadtraum.store.engine import make_engine
from stadtraum.store.migrate import migrate
from tests.servers import free_port, wait_healthy

ROOT = Path(__file__).resolve().parents[2]
SECRET = "route-test-secret-" + "y" * 30
PW = "Quartier-2027"


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, str]]:
    tmp = tmp_path_factory.mktemp("routes")
    db_url = f"sqlite:///{tmp / 'app.db'}"
    engine = make_engine(db_url)
    migrate(engine)
    create_user(engine, "erika", "helper", PW, actor=SYSTEM)
    engine.dispose()
    port = free_port()
    env = dict(os.environ, STADTRAUM_DATABASE_URL=db_url, STADTRAUM_SESSION_SECRET=SECRET,
               STADTRAUM_TRUSTED_PROXY_HOPS="1", STADTRAUM_DEMO_ON_EMPTY="0")
    log = (tmp / "uvicorn.log").open("wb")
    proc = subprocess.Popen([sys.executable, "-m", "uvicorn", "app:app", "--host", "127.0.0.1",
                             "--port", str(port)], cwd=ROOT, env=env, stdout=log, stderr=log)
    url = f"http://127.0.0.1:{port}"
    wait_healthy(url, proc, tmp / "uvicorn.log", timeout_s=90)
    try:
        yield url, db_url
    finally:
        proc.terminate()
        proc.wait(timeout=30)
        log.close()


def _post(url: str, body: bytes = b"", headers: dict[str, str] | None = None
          ) -> tuple[int, list[str]]:
    request = urllib.request.Request(url, data=body, method="POST", headers=headers or {})
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return response.status, response.headers.get_all("Set-Cookie") or []
    except urllib.error.HTTPError as exc:
        return exc.code, exc.headers.get_all("Set-Cookie") or []


def _code(db_url: str) -> tuple[str, str]:
    engine = make_engine(db_url)
    opened = open_session(engine, authenticate(engine, "erika", PW), hours=10)
    engine.dispose()
    return opened.session_id, opened.code


def test_the_code_becomes_an_http_only_cookie_once(server: tuple[str, str]) -> None:
    url, db_url = server
    session_id, code = _code(db_url)
    status, cookies = _post(url + "/_srm/session", code.encode(), {"X-Stadtraum": "1"})
    assert status == 204 and len(cookies) == 1
    flags = [part.strip() for part in cookies[0].split(";")]
    value = flags[0].removeprefix(f"{COOKIE}=")
    assert verify_cookie(value, SECRET.encode()) == session_id
    assert {"HttpOnly", "Path=/", "SameSite=lax", "Max-Age=36000"} <= set(flags)
    assert "Secure" not in flags  # plain http, and no proxy said https
    assert _post(url + "/_srm/session", code.encode(), {"X-Stadtraum": "1"})[0] == 403


def test_secure_behind_a_trusted_tls_proxy(server: tuple[str, str]) -> None:
    url, db_url = server
    _, code = _code(db_url)
    status, cookies = _post(url + "/_srm/session", code.encode(),
                            {"X-Stadtraum": "1", "X-Forwarded-Proto": "https"})
    assert status == 204 and "Secure" in [p.strip() for p in cookies[0].split(";")]


def test_without_our_header_nothing_happens(server: tuple[str, str]) -> None:
    url, db_url = server
    _, code = _code(db_url)
    assert _post(url + "/_srm/session", code.encode()) == (403, [])
    assert _post(url + "/_srm/session", code.encode(), {"X-Stadtraum": "1"})[0] == 204
    assert _post(url + "/_srm/sign-out")[0] == 403


def test_sign_out_ends_the_row_and_clears_the_cookie(server: tuple[str, str]) -> None:
    url, db_url = server
    session_id, code = _code(db_url)
    _, cookies = _post(url + "/_srm/session", code.encode(), {"X-Stadtraum": "1"})
    cookie = cookies[0].split(";")[0]
    status, cleared = _post(url + "/_srm/sign-out", b"", {"X-Stadtraum": "1", "Cookie": cookie})
    assert status == 204 and "Max-Age=0" in cleared[0] and "HttpOnly" in cleared[0]
    engine = make_engine(db_url)
    with Session(engine) as session:
        row = session.scalars(select(UserSession).where(
            UserSession.id_hash == session_hash(session_id))).one()
    engine.dispose()
    assert row.ended_reason == "sign_out"


def test_auth_logout_drops_only_the_identity_and_returns_to_the_app(
        server: tuple[str, str]) -> None:
    host, port = server[0].removeprefix("http://").split(":")
    connection = http.client.HTTPConnection(host, int(port), timeout=10)
    cookie = "_streamlit_user=a; _streamlit_user_1=b; _streamlit_user_tokens=c; srm_session=x"
    connection.request("GET", "/auth/logout", headers={"Cookie": cookie})
    response = connection.getresponse()
    cookies = response.headers.get_all("Set-Cookie") or []
    connection.close()
    assert response.status == 302
    assert response.headers["Location"] == "../"  # the app, relative: never the provider
    assert response.headers["Cache-Control"] == "no-store"
    deleted = {c.split("=", 1)[0] for c in cookies if "Max-Age=0" in c}
    assert deleted == {"_streamlit_user", "_streamlit_user_1", "_streamlit_user_tokens"}
    assert len(deleted) == len(cookies)  # srm_session is left alone


def test_a_bookmark_of_the_sign_in_page_goes_to_the_root(server: tuple[str, str]) -> None:
    host, port = server[0].removeprefix("http://").split(":")
    connection = http.client.HTTPConnection(host, int(port), timeout=10)
    connection.request("GET", "/anmelden")
    response = connection.getresponse()
    connection.close()
    assert (response.status, response.headers["Location"]) == (302, "./")
