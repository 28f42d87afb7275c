"""The admin's response export clicked in the real browser: the CSV is generated on the
click (a deferred download), holds one row per valid response of the chosen campaign, and
the export is written to the audit log."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest
from sqlalchemy import text

from stadtraum.criteria import get_catalogue
from stadtraum.store.engine import make_engine
from tests.browser.conftest import AppServer, Outside, open_page, sign_in
from tests.browser.probes import wait_idle

pytestmark = pytest.mark.browser


def _valid(db_url: str) -> tuple[int, int]:
    """(id of the newest campaign, its valid responses now)."""
    engine = make_engine(db_url)
    try:
        with engine.connect() as conn:
            campaign = conn.execute(text("SELECT MAX(id) FROM campaigns")).scalar_one()
            n = conn.execute(text("SELECT COUNT(*) FROM responses WHERE status = 'valid' "
                                  "AND campaign_id = :c"), {"c": campaign}).scalar_one()
        return int(campaign), int(n)
    finally:
        engine.dispose()


def test_admin_downloads_the_responses_as_csv(browser: object, app_server: AppServer) -> None:
    outside = Outside()
    page = open_page(browser, app_server, 1024, 768, outside)
    page.get_by_label("Benutzername").wait_for(timeout=60_000)  # type: ignore[attr-defined]
    sign_in(page, "ada")
    page.get_by_text("Angemeldet:").wait_for(timeout=60_000)  # type: ignore[attr-defined]
    page.get_by_role("link", name="Verwaltung").first.click()  # type: ignore[attr-defined]
    button = page.get_by_role("button", name="Antworten als CSV herunterladen")  # type: ignore[attr-defined]
    button.wait_for(timeout=60_000)
    wait_idle(page)
    campaign, before = _valid(app_server.db_url)
    with page.expect_download(timeout=120_000) as info:  # type: ignore[attr-defined]
        button.click()
    download = info.value
    _, after = _valid(app_server.db_url)  # other tests may store interviews meanwhile
    assert download.suggested_filename.startswith(f"antworten_{campaign}_")
    rows = list(csv.DictReader(io.StringIO(Path(download.path()).read_text(encoding="utf-8"))))
    assert before <= len(rows) <= after and before > 0
    assert set(get_catalogue().ids) <= set(rows[0])
    assert all(r[c] in {"", "1", "2", "3", "4", "5", "6", "7"}
               for r in rows for c in get_catalogue().ids)
    engine = make_engine(app_server.db_url)
    try:
        with engine.connect() as conn:
            audited = conn.execute(text(
                "SELECT actor, object_id FROM audit_log WHERE action = 'export_responses'")).all()
    finally:
        engine.dispose()
    assert ("ada", str(campaign)) in [tuple(a) for a in audited]
    assert outside.requests == []
    page.close()  # type: ignore[attr-defined]
