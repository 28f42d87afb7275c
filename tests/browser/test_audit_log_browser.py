"""The Protokoll page in the real browser at 1366×768 and 1024×768: the admin finds their
own sign-in at the top, axe-core reports no serious or critical violation, the page does
not scroll sideways, and the CSV download (generated on the click) neutralises a planted
formula and is itself written to the audit log."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
from pathlib import Path

import pytest
from sqlalchemy import text

from stadtraum.store.engine import make_engine
from tests.browser.conftest import AppServer, Outside, open_page, screenshot, sign_in
from tests.browser.probes import axe_violations, wait_idle

pytestmark = pytest.mark.browser
HYPERLINK = '=HYPERLINK("http://hostile.example/x","klick")'


def _sql(db_url: str, sql: str, **params: object) -> list[tuple[object, ...]]:
    engine = make_engine(db_url)
    try:
        with engine.begin() as conn:
            result = conn.execute(text(sql), params)
            return [tuple(r) for r in result] if result.returns_rows else []
    finally:
        engine.dispose()


@pytest.mark.parametrize(("width", "height"), [(1366, 768), (1024, 768)])
def test_the_admin_reads_and_downloads_the_log(browser: object, app_server: AppServer,
                                               width: int, height: int) -> None:
    _sql(app_server.db_url, "INSERT INTO audit_log (at, actor, action, object_type, "
         "object_id, detail) VALUES (:at, 'ada', 'void', 'response', 'x', :d)",
         at=dt.datetime.now(dt.UTC) - dt.timedelta(minutes=1),
         d=json.dumps({"reason": HYPERLINK}))
    outside = Outside()
    page = open_page(browser, app_server, width, height, outside)
    page.get_by_label("Benutzername").wait_for(timeout=60_000)  # type: ignore[attr-defined]
    sign_in(page, "ada")
    page.get_by_text("Angemeldet:").wait_for(timeout=60_000)  # type: ignore[attr-defined]
    page.get_by_role("link", name="Protokoll").first.click()  # type: ignore[attr-defined]
    page.get_by_role("heading", name="Protokoll").wait_for(timeout=60_000)  # type: ignore[attr-defined]
    button = page.get_by_role("button", name="Protokoll als CSV herunterladen")  # type: ignore[attr-defined]
    button.wait_for(timeout=60_000)
    wait_idle(page)
    assert axe_violations(page) == []
    assert page.evaluate("document.documentElement.scrollWidth") <= width  # type: ignore[attr-defined]
    screenshot(page, f"audit_log_{width}")
    with page.expect_download(timeout=120_000) as info:  # type: ignore[attr-defined]
        button.click()
    download = info.value
    assert download.suggested_filename.startswith("protokoll_")
    rows = list(csv.reader(io.StringIO(Path(download.path()).read_text(encoding="utf-8"))))
    assert rows[0][:3] == ["Zeit (Europe/Berlin)", "Person", "Art"]
    assert rows[1][1:4] == ["ada", "Anmeldung", "angemeldet"]  # this very sign-in, newest
    assert "Grund: " + HYPERLINK in [r[5] for r in rows]  # inside a cell: no formula
    cells = [c for r in rows for c in r]
    assert not [c for c in cells if c.startswith(("=", "+", "-", "@", "\t", "\r"))]
    exports = _sql(app_server.db_url, "SELECT actor, detail FROM audit_log WHERE action = "
                   "'export' AND object_type = 'audit_log'")
    assert ("ada", json.dumps({"rows": len(rows) - 1})) in exports
    assert outside.requests == []
    page.close()  # type: ignore[attr-defined]
