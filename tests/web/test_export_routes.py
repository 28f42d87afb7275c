"""Signed, short-lived download links served by ``uvicorn app:app`` on a free port against a
real SQLite file: a link works only with the cookie of the session it was made for, before
it expires, with its signature intact, and for a role the use case allows (the account's
current role); the results file and the streamed raw-response CSV read back complete, and
every download is audited."""

from __future__ import annotations

import csv
import datetime as dt
import io
import os
import subprocess
import sys
import urllib.error
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import openpyxl
import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from stadtraum.accounts.permissions import SYSTEM
from stadtraum.accounts.sessions import end_session, open_session
from stadtraum.accounts.users import authenticate, create_user
from stadtraum.collect.submit import submit_response
from stadtraum.store.db import AuditEntry
from stadtraum.store.engine import make_engine
from stadtraum.store.migrate import migrate
from stadtraum.web.export_routes import read_link, sign_link
from tests.helpers import make_city, make_payload
from tests.servers import free_port, wait_healthy

ROOT = Path(__file__).resolve().parents[2]
SECRET = "export-link-secret-" + "x" * 30
PW = "Quartier-2027"
RESPONSES = 40


@dataclass(frozen=True)
class Site:
    url: str
    db_url: str
    campaign: int


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Site]:
    tmp = tmp_path_factory.mktemp("export-links")
    db_url = f"sqlite:///{tmp / 'app.db'}"
    engine = make_engine(db_url)
    migrate(engine)
    create_user(engine, "pia", "planner", PW, actor=SYSTEM)
    create_user(engine, "ada", "admin", PW, actor=SYSTEM)
    city = make_city(engine)
    for i in range(RESPONSES):
        submit_response(engine, make_payload(city.campaign_id, ("Q1", "Q3")[i % 2],
                                             {"moving_around": 1 + i % 7}))
    engine.dispose()
    port = free_port()
    env = dict(os.environ, STADTRAUM_DATABASE_URL=db_url, STADTRAUM_SESSION_SECRET=SECRET,
               STADTRAUM_DEMO_ON_EMPTY="0")
    log = (tmp / "uvicorn.log").open("wb")
    proc = subprocess.Popen([sys.executable, "-m", "uvicorn", "app:app", "--host", "127.0.0.1",
                             "--port", str(port)], cwd=ROOT, env=env, stdout=log, stderr=log)
    url = f"http://127.0.0.1:{port}"
    wait_healthy(url, proc, tmp / "uvicorn.log", timeout_s=90)
    try:
        yield Site(url, db_url, city.campaign_id)
    finally:
        proc.terminate()
        proc.wait(timeout=30)
        log.close()


def _request(url: str, headers: dict[str, str] | None = None, body: bytes | None = None
             ) -> tuple[int, bytes, dict[str, str]]:
    request = urllib.request.Request(url, data=body, headers=headers or {},
                                     method="POST" if body is not None else "GET")
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return response.status, response.read(), {
                k.lower(): v for k, v in response.headers.items()}
    except urllib.error.HTTPError as exc:
        return exc.code, exc.read(), {k.lower(): v for k, v in exc.headers.items()}


def _signed_in(site: Site, name: str) -> tuple[str, str]:
    """(session id, cookie header) of a fresh session, the cookie set by our route."""
    engine = make_engine(site.db_url)
    opened = open_session(engine, authenticate(engine, name, PW), hours=1)
    engine.dispose()
    url = site.url + "/_srm/session"
    request = urllib.request.Request(url, data=opened.code.encode(), method="POST",
                                     headers={"X-Stadtraum": "1"})
    with urllib.request.urlopen(request, timeout=10) as response:
        cookie = (response.headers.get_all("Set-Cookie") or [""])[0].split(";")[0]
    return opened.session_id, cookie


def _link(site: Site, token: str) -> str:
    return f"{site.url}/_srm/export/{token}"


def _audits(site: Site, action: str) -> list[str | None]:
    engine = make_engine(site.db_url)
    with Session(engine) as session:
        out = list(session.scalars(select(AuditEntry.actor).where(AuditEntry.action == action)
                                   .order_by(AuditEntry.id)))
    engine.dispose()
    return out


def test_a_results_link_works_once_signed_in_as_that_session(site: Site) -> None:
    sid, cookie = _signed_in(site, "pia")
    token = sign_link(SECRET.encode(), sid, "pia", "results",
                      {"campaign": site.campaign, "format": "xlsx"})
    before = len(_audits(site, "export_results"))
    status, body, headers = _request(_link(site, token), {"Cookie": cookie})
    assert status == 200 and headers["cache-control"] == "no-store"
    assert headers["content-disposition"].startswith('attachment; filename="ergebnisse_')
    assert openpyxl.load_workbook(io.BytesIO(body)).sheetnames[:2] == ["Quartier",
                                                                        "Stadtbezirk"]
    assert _audits(site, "export_results")[before:] == ["pia"]
    assert _request(_link(site, token))[:2] == (403, b"")  # no cookie
    _, other_cookie = _signed_in(site, "pia")  # same person, another session
    assert _request(_link(site, token), {"Cookie": other_cookie})[:2] == (403, b"")
    engine = make_engine(site.db_url)
    end_session(engine, sid)  # signed out: the link dies with the session
    engine.dispose()
    assert _request(_link(site, token), {"Cookie": cookie})[:2] == (403, b"")
    assert _audits(site, "export_results")[before:] == ["pia"]


def test_expired_tampered_or_malformed_links_are_refused(site: Site) -> None:
    sid, cookie = _signed_in(site, "pia")
    params = {"campaign": site.campaign, "format": "csv"}
    old = sign_link(SECRET.encode(), sid, "pia", "results", params,
                    now=dt.datetime.now(dt.UTC) - dt.timedelta(minutes=6))
    assert read_link(SECRET.encode(), old) is None
    assert _request(_link(site, old), {"Cookie": cookie})[:2] == (403, b"")
    good = sign_link(SECRET.encode(), sid, "pia", "results", params)
    body, sig = good.split(".")
    forged = sign_link(b"another-secret-" + b"y" * 30, sid, "pia", "results", params)
    for token in (body + "." + sig[::-1], forged, body, "x" * 3000):
        assert _request(_link(site, token), {"Cookie": cookie})[0] == 403, token[:20]
    assert _request(site.url + "/_srm/export/a/b", {"Cookie": cookie})[:2] == (404, b"")
    status, data, _ = _request(_link(site, good), {"Cookie": cookie})
    assert status == 200 and data.startswith(b"\xef\xbb\xbf")


def test_raw_responses_stream_for_admins_only(site: Site) -> None:
    sid, cookie = _signed_in(site, "pia")
    token = sign_link(SECRET.encode(), sid, "pia", "responses", {"campaigns": [site.campaign]})
    assert _request(_link(site, token), {"Cookie": cookie})[:2] == (403, b"")  # a planner
    assert _audits(site, "export_responses") == []
    sid, cookie = _signed_in(site, "ada")
    token = sign_link(SECRET.encode(), sid, "ada", "responses", {"campaigns": [site.campaign]})
    status, body, headers = _request(_link(site, token), {"Cookie": cookie})
    assert status == 200 and headers.get("transfer-encoding") == "chunked"
    rows = list(csv.DictReader(io.StringIO(body.decode("utf-8"))))
    assert len(rows) == RESPONSES and {r["gebiet_code"] for r in rows} == {"Q1", "Q3"}
    assert _audits(site, "export_responses") == ["ada"]
