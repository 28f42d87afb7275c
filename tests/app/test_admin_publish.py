"""AppTest of "Ergebnisse veröffentlichen" on the Verwaltung page: the button publishes the
snapshot the thank-you page reads, and says so."""

from __future__ import annotations

import pytest

from stadtraum.accounts.users import AuthUser
from stadtraum.collect.submit import submit_response
from stadtraum.publish.service import publication_status
from stadtraum.store.engine import make_engine
from stadtraum.store.migrate import migrate
from tests.app.flow import click, run
from tests.helpers import make_city, make_payload


def test_the_admin_publishes_a_campaign(app_db: str, monkeypatch: pytest.MonkeyPatch) -> None:
    from streamlit.testing.v1 import AppTest

    from tests.app.conftest import ROOT

    monkeypatch.setenv("STADTRAUM_DEMO_ON_EMPTY", "0")
    engine = make_engine(app_db)
    migrate(engine)
    city = make_city(engine, campaign="Befragung Süd 2025")
    for _ in range(5):
        submit_response(engine, make_payload(city.campaign_id, "Q1", {"housing": 3}))
    at = AppTest.from_file(str(ROOT / "pages" / "admin.py"), default_timeout=120)
    at.session_state["user"] = AuthUser(id=1, name="ada", role="admin")
    run(at)
    assert any("noch nie veröffentlicht" in m.value for m in at.markdown)
    at = click(at, f"publish_{city.campaign_id}")
    assert any("„Befragung Süd 2025“ veröffentlicht" in i.value for i in at.info)
    assert any("zuletzt geändert am" in m.value for m in at.markdown)
    (status,) = publication_status(engine)
    assert status.published_at is not None
    engine.dispose()
