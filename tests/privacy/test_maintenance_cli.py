"""``stadtraum maintenance`` on a real SQLite file."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import text

from stadtraum.store.engine import make_engine
from stadtraum.store.migrate import migrate
from tests.helpers import count_rows, make_city
from tests.helpers import run_cli as run
from tests.privacy.test_drafts_expiry import make_drafts


def test_maintenance_expires_old_drafts(capsys: pytest.CaptureFixture[str], db: str) -> None:
    engine = make_engine(db)
    migrate(engine)
    city = make_city(engine)
    make_drafts(engine, city.campaign_id, dt.datetime.now(dt.UTC), (1, 3, 8, 20))
    code, out, err = run(capsys, "--db", db, "maintenance")
    assert code == 0, err
    assert "2 Entwürfe gelöscht (älter als 7 Tage)" in out
    assert "Keine Befragung hat ihre Aufbewahrungsfrist erreicht" in out
    code, out, err = run(capsys, "--db", db, "maintenance", "--draft-days", "2")
    assert code == 0 and "1 Entwurf gelöscht (älter als 2 Tage)" in out
    assert count_rows(engine, "interview_drafts") == 1
    with engine.connect() as conn:
        assert conn.execute(text("SELECT count(*) FROM audit_log WHERE action = "
                                 "'expire_drafts' AND actor = 'kommandozeile'")).scalar() == 2
    code, _, err = run(capsys, "--db", db, "maintenance", "--draft-days", "0")
    assert code == 1 and "ganze Zahl von 1 bis 3650 Tagen" in err


def test_maintenance_purges_a_campaign_past_retention(capsys: pytest.CaptureFixture[str],
                                                      db: str) -> None:
    from stadtraum.accounts.permissions import SYSTEM
    from stadtraum.admin.campaigns import close_campaign
    from tests.privacy.test_deletion_fixture import plant

    engine = make_engine(db)
    migrate(engine)
    cid = plant(engine).city.campaign_id
    close_campaign(engine, cid, actor=SYSTEM)
    with engine.begin() as conn:
        conn.execute(text("UPDATE campaigns SET closed_at = :t, retention_months = 1"),
                     {"t": dt.datetime(2020, 1, 1, tzinfo=dt.UTC)})
    code, out, err = run(capsys, "--db", db, "maintenance")
    assert code == 0, err
    assert "Aufbewahrungsfrist abgelaufen: Befragung „Befragung 2025“ veröffentlicht" in out
    assert "(7 Antworten)" in out
    assert count_rows(engine, "responses") == 0
    assert count_rows(engine, "published_cells", f"campaign_id = {cid}") > 0
