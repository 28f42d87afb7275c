"""AppTest: "Meine Befragungen heute" — a helper voids an interview with a reason and
corrects another (a new version through the interview page); a planner cannot open it."""

from __future__ import annotations

import pytest
from sqlalchemy import text
from streamlit.testing.v1 import AppTest

from stadtraum.accounts.users import AuthUser
from stadtraum.collect.setup import open_campaigns
from stadtraum.collect.submit import submit_response
from stadtraum.store.engine import make_engine
from tests.app.conftest import ROOT
from tests.app.flow import run as _run
from tests.app.flow import sign_in, whole_app
from tests.helpers import make_payload


@pytest.fixture
def helper_db(demo_db: str) -> tuple[str, list[str]]:
    """The demo database plus two interviews erika saved today."""
    engine = make_engine(demo_db)
    campaign_id = open_campaigns(engine)[0].info.id
    ids = []
    for score in (2, 6):
        p = make_payload(campaign_id, "101", {"moving_around": score, "housing": 4},
                         entered_by="erika", survey_date=None)
        submit_response(engine, p)
        ids.append(p.response_id)
    engine.dispose()
    return demo_db, ids


def _signed_in_app() -> AppTest:
    at = sign_in(whole_app(), "erika")
    at.switch_page("pages/my_interviews.py")
    return _run(at)


def _status(url: str) -> dict[str, tuple[str, str | None, int]]:
    engine = make_engine(url)
    with engine.connect() as conn:
        rows = conn.execute(text("SELECT uuid, status, status_reason, version FROM responses "
                                 "WHERE entered_by = 'erika'")).all()
    engine.dispose()
    return {r[0]: (r[1], r[2], r[3]) for r in rows}


def test_helper_voids_an_interview_with_a_reason(helper_db: tuple[str, list[str]]) -> None:
    url, (first, second) = helper_db
    at = _signed_in_app()
    assert at.title[0].value == "Meine Befragungen heute"
    assert any("2 gültige Befragungen heute" in c.value for c in at.caption)
    assert at.button(key=f"void_{first}").disabled  # no reason chosen yet
    at.radio(key=f"why_{first}").set_value("test")
    _run(at)
    at.button(key=f"void_{first}").click()
    _run(at)
    assert any("verworfen" in s.value for s in at.success)
    assert _status(url)[first] == ("voided", "test", 1)
    assert _status(url)[second] == ("valid", None, 1)
    assert any("1 gültige Befragung heute" in c.value for c in at.caption)


def test_helper_corrects_an_interview_as_a_new_version(helper_db: tuple[str, list[str]]) -> None:
    url, (first, _second) = helper_db
    at = _signed_in_app()
    at.button(key=f"fix_{first}").click()
    _run(at)
    assert at.title[0].value == "Befragung durchführen"
    assert any("Korrektur von Befragung" in i.value for i in at.info)
    iv = at.session_state["interview"]
    assert iv.replaces == first and iv.ratings == {"moving_around": 2, "housing": 4}
    # AppTest stays pinned to the page it was switched to; follow the app's switch
    at.switch_page("pages/interview.py")
    _run(at)
    at.button(key="iv_send").click()
    _run(at)
    assert any("Gespeichert" in s.value for s in at.success)
    status = _status(url)
    assert status[first] == ("superseded", None, 1)
    assert status[iv.response_id] == ("valid", None, 2)


def test_a_planner_cannot_open_the_page(helper_db: tuple[str, list[str]]) -> None:
    page = AppTest.from_file(str(ROOT / "pages" / "my_interviews.py"), default_timeout=60)
    page.session_state["user"] = AuthUser(id=2, name="pia", role="planner")
    page.run()
    assert any("nicht freigegeben" in e.value for e in page.error)
    assert not page.button
