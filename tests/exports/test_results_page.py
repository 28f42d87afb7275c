"""AppTest of the page "Veröffentlichung": planners get the downloads but no public switch;
an admin cannot switch a never-published campaign public, and after publishing switches it
on, sees the public addresses, and the switch is stored and audited. (An AppTest of a page:
it could live in tests/app/ as well.)"""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from stadtraum.accounts.permissions import SYSTEM
from stadtraum.accounts.users import AuthUser
from stadtraum.analysis.cube_store import CubeProvider
from stadtraum.collect.submit import submit_response
from stadtraum.publish.public_results import public_switches
from stadtraum.publish.service import publish_results
from stadtraum.store.db import AuditEntry
from stadtraum.store.engine import make_engine
from stadtraum.store.migrate import migrate
from tests.app.flow import run
from tests.helpers import make_city, make_payload


@pytest.fixture
def page_db(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> str:
    """An empty SQLite file the page uses (as tests/app's ``app_db``)."""
    from tests.app.conftest import ROOT

    url = f"sqlite:///{tmp_path / 'app.db'}"
    monkeypatch.setenv("STADTRAUM_DATABASE_URL", url)
    monkeypatch.setenv("STADTRAUM_SESSION_SECRET", "x" * 40)
    monkeypatch.setenv("STADTRAUM_DEMO_ON_EMPTY", "0")
    monkeypatch.chdir(ROOT)
    return url


def _page(role: str, name: str):  # type: ignore[no-untyped-def]
    from streamlit.testing.v1 import AppTest

    from tests.app.conftest import ROOT

    at = AppTest.from_file(str(ROOT / "pages" / "publication.py"), default_timeout=120)
    at.session_state["user"] = AuthUser(id=1, name=name, role=role)
    return run(at)


def test_the_page_for_planners_and_admins(page_db: str,
                                          monkeypatch: pytest.MonkeyPatch) -> None:
    engine = make_engine(page_db)
    migrate(engine)
    city = make_city(engine, campaign="Befragung Süd 2025")
    for _ in range(6):
        submit_response(engine, make_payload(city.campaign_id, "Q1", {"housing": 3}))
    planner = _page("planner", "pia")
    assert not planner.exception and not planner.toggle
    buttons = {b.key for b in planner.get("download_button")}
    assert {"pub_download", "pub_comments"} <= buttons and "pub_open_data" not in buttons
    assert any("noch nie veröffentlicht" in i.value for i in planner.info)
    admin = _page("admin", "ada")
    toggle = admin.toggle(key=f"pub_public_{city.campaign_id}")
    assert toggle.disabled and not toggle.value
    assert any("noch nie veröffentlicht" in c.value for c in admin.caption)
    publish_results(engine, CubeProvider(engine), city.campaign_id, actor=SYSTEM)
    admin = _page("admin", "ada")
    toggle = admin.toggle(key=f"pub_public_{city.campaign_id}")
    assert not toggle.disabled
    toggle.set_value(True)
    run(admin)
    assert any("öffentlich abrufbar" in s.value for s in admin.success)
    assert any(f"/opendata/{city.campaign_id}/results.geojson" in c.value for c in admin.code)
    assert public_switches(engine)[city.campaign_id] is True
    monkeypatch.setenv("STADTRAUM_CITY_NAME", "Teststadt")
    planner = _page("planner", "pia")
    assert "pub_open_data" in {b.key for b in planner.get("download_button")}
    with Session(engine) as session:
        actors = session.scalars(select(AuditEntry.actor).where(
            AuditEntry.action == "set_results_public")).all()
    assert actors == ["ada"]
    engine.dispose()
