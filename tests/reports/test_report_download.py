"""AppTest of the report downloads on the Gebietsprofil page: a planner builds the area
report and the city report (with its progress bar) as PDF, audited under the planner's name;
the public version of an unpublished campaign is refused in German; a moderator, who may see
the profile, gets no report buttons."""

from __future__ import annotations

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from stadtraum.accounts.users import AuthUser
from stadtraum.store.engine import make_engine
from stadtraum.store.migrate import migrate
from tests.app.conftest import ROOT
from tests.app.flow import click, run
from tests.helpers import count_rows
from tests.reports.report_city import build_report_city

PAGE = str(ROOT / "pages" / "profile.py")


@pytest.fixture
def report_app(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> str:
    url = f"sqlite:///{tmp_path / 'app.db'}"
    monkeypatch.setenv("STADTRAUM_DATABASE_URL", url)
    monkeypatch.setenv("STADTRAUM_SESSION_SECRET", "x" * 40)
    monkeypatch.chdir(ROOT)
    engine = make_engine(url)
    migrate(engine)
    build_report_city(engine, publish=False)
    engine.dispose()
    return url


def _page(role: str) -> AppTest:
    at = AppTest.from_file(PAGE, default_timeout=180)
    at.session_state["user"] = AuthUser(id=99, name="pia", role=role)
    at.session_state["profile_area"] = "Q1"
    return at


def _downloads(at: AppTest) -> list[str]:
    return [str(getattr(e.proto, "label", "")) for e in at.get("download_button")]


def test_planner_builds_area_and_city_reports(report_app: str) -> None:
    at = run(_page("planner"))
    assert at.radio(key="report_source").value == "published"
    at = click(at, "report_area_build")  # not published yet: refused, nothing built
    assert any("noch keine veröffentlichten Ergebnisse" in e.value for e in at.error)
    assert not [d for d in _downloads(at) if "gebietsbericht" in d]
    at.radio(key="report_source").set_value("live")
    at = click(run(at), "report_area_build")
    assert not at.error
    assert any("gebietsbericht_Q1_live.pdf" in d for d in _downloads(at))
    stored = at.session_state["report_download_files"]
    data = next(v[1] for k, v in stored.items() if k[0] == "area")
    assert data.startswith(b"%PDF")
    at = click(at, "report_city_build")
    assert not at.error
    bars = at.get("progress")
    assert bars and "fertig" in str(bars[-1].proto.text)
    assert any(d.startswith("stadtbericht") for d in _downloads(at))
    engine = make_engine(report_app)
    assert count_rows(engine, "audit_log", "action = 'build_report' AND actor = 'pia'") == 2
    engine.dispose()


def test_moderator_gets_no_report_buttons(report_app: str) -> None:
    at = run(_page("moderator"))
    assert not [b for b in at.button if str(b.key).startswith("report_")]
    assert at.get("expander") == [] or all(
        "Bericht" not in str(e.proto.label) for e in at.get("expander"))
