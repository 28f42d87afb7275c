"""AppTest flows: first start with the demo city, sign-in, role-based navigation, a page of
another role refused on the server, and a complete street interview driven by widget keys."""

from __future__ import annotations

import re
from pathlib import Path

from streamlit.testing.v1 import AppTest

from stadtraum.accounts.permissions import Actor
from stadtraum.accounts.sign_in_guard import MAX_FAILURES
from stadtraum.accounts.users import AuthUser, set_password
from stadtraum.criteria import get_catalogue
from stadtraum.store.engine import make_engine
from stadtraum.vocab import AGE_BANDS
from tests.app.conftest import ROOT
from tests.app.flow import click as _click
from tests.app.flow import run as _run
from tests.app.flow import sign_in as _sign_in
from tests.app.flow import whole_app as _app
from tests.helpers import count_rows


def test_first_start_loads_demo_and_asks_for_sign_in(app_db: str) -> None:
    at = _app()
    assert Path(app_db.removeprefix("sqlite:///")).exists()
    assert at.title[0].value == "StadtRaumMonitor" and "Anmelden" in [s.value for s in at.subheader]
    engine = make_engine(app_db)
    assert count_rows(engine, "responses") == 6000
    assert count_rows(engine, "users") == 4  # demo accounts with generated passwords
    engine.dispose()


def test_wrong_password_is_refused_in_german(demo_db: str) -> None:
    at = _sign_in(_app(), "pia", "falsch-falsch-1")
    assert any("Anmeldung fehlgeschlagen" in e.value or "Benutzername" in e.value
               for e in at.error)
    assert "Anmelden" in [s.value for s in at.subheader]


def test_planner_sees_the_overview_with_suppressed_results(demo_db: str) -> None:
    at = _sign_in(_app(), "pia")
    assert at.title[0].value == "Übersicht"
    table = at.dataframe[0].value
    assert len(table) == 30 and "Sicherheitsgefühl" in table.columns
    shown = table["Sicherheitsgefühl"].dropna()
    assert shown.between(1, 7).all() and len(shown) < 30
    at.radio(key="overview_level").set_value(1).run()
    assert len(at.dataframe[0].value) == 6


def test_overview_page_in_english(demo_db: str) -> None:
    page = AppTest.from_file(str(ROOT / "pages" / "overview.py"), default_timeout=60)
    page.session_state["user"] = AuthUser(id=2, name="pia", role="planner")
    page.session_state["lang"] = "English"
    _run(page)
    assert page.title[0].value == "Overview"
    assert "Feeling safe" in page.dataframe[0].value.columns


def test_a_helper_cannot_open_the_overview(demo_db: str) -> None:
    at = _sign_in(_app(), "erika")
    assert at.title[0].value == "Befragung durchführen"  # the helper's only page
    page = AppTest.from_file(str(ROOT / "pages" / "overview.py"), default_timeout=60)
    page.session_state["user"] = AuthUser(id=1, name="erika", role="helper")
    page.run()
    assert any("nicht freigegeben" in e.value for e in page.error)
    assert not page.dataframe  # no results rendered


def test_complete_interview_stores_exactly_one_response(demo_db: str) -> None:
    at = _sign_in(_app(), "erika")
    _click(at, "iv_start")
    iv = at.session_state["interview"]
    at.selectbox(key=f"area_{iv.response_id}").set_value("101")
    _click(at, "iv_next")
    at.checkbox(key=f"consent_{iv.response_id}").check()
    _click(at, "iv_next")
    scores = [5, 3, 4, 6, 2, 7, 5, 4, 3, 6, 5, 2, 4, 0]  # 0 = keine Angabe
    ids = list(get_catalogue().ids)
    for crit, score in zip(ids, scores, strict=True):
        at.button_group(key=f"rate_{iv.response_id}_{crit}").set_value(score)
        _click(at, "iv_next")
    at.multiselect(key=f"prio_{iv.response_id}").set_value(["feeling_safe", "housing"])
    _click(at, "iv_next")  # priorities
    at.button_group(key=f"age_band_{iv.response_id}").set_value(AGE_BANDS.codes[1])
    _click(at, "iv_next")  # about
    review = [str(m.value) for m in at.markdown]  # the review shows everything to be saved
    assert "**Prioritäten:** Sicherheitsgefühl, Wohnen" in review, review
    assert f"**Angaben zur Person:** Alter: {AGE_BANDS.labels_de[1]}" in [
        r.replace("\\", "") for r in review], review
    assert "**Kommentare:** 0" in review
    _click(at, "iv_send")
    assert any("Gespeichert" in s.value for s in at.success)
    engine = make_engine(demo_db)
    with engine.connect() as conn:
        from sqlalchemy import text

        rows = conn.execute(text(
            "SELECT r.criterion_id, r.score FROM ratings r JOIN responses p ON p.id = "
            "r.response_id WHERE p.entered_by = 'erika'")).all()
    assert dict(rows) == {c: s for c, s in zip(ids, scores, strict=True) if s}
    assert count_rows(engine, "responses", "entered_by = 'erika'") == 1
    # the next interview is ready on the screen but leaves no empty draft behind: drafts
    # piled up as "unterbrochene Befragung(en)" for every interview sent
    assert count_rows(engine, "interview_drafts", "entered_by = 'erika'") == 0
    nxt = at.session_state["interview"]
    assert nxt.response_id != iv.response_id and nxt.area_code == "101"
    at.selectbox(key=f"area_{nxt.response_id}").set_value("102")
    _run(at)
    assert count_rows(engine, "interview_drafts", "entered_by = 'erika'") == 0
    _click(at, "iv_next")  # on to the consent: now it is worth a draft
    assert count_rows(engine, "interview_drafts", "entered_by = 'erika'") == 1
    engine.dispose()


def test_starting_without_any_input_leaves_no_draft(demo_db: str) -> None:
    at = _sign_in(_app(), "erika")
    _click(at, "iv_start")
    engine = make_engine(demo_db)
    assert count_rows(engine, "interview_drafts", "entered_by = 'erika'") == 0
    iv = at.session_state["interview"]
    at.selectbox(key=f"area_{iv.response_id}").set_value("101")
    _run(at)
    assert count_rows(engine, "interview_drafts", "entered_by = 'erika'") == 0
    _click(at, "iv_next")
    assert count_rows(engine, "interview_drafts", "entered_by = 'erika'") == 1
    engine.dispose()
    fresh = _sign_in(_app(), "erika")  # a new session of the same helper: one draft offered
    warnings = [w.value for w in fresh.warning]
    assert warnings == ["1 unterbrochene Befragung gefunden."], warnings
    started = [str(m.value) for m in fresh.markdown if "Begonnen" in str(m.value)]
    assert started and all(re.search(r"Begonnen am \d\d\.\d\d\.\d{4}", t) for t in started)


def test_a_new_password_set_elsewhere_ends_the_open_session(demo_db: str) -> None:
    """An admin resets a helper's password (e.g. a lost tablet): the tab signed in before is
    sent to the sign-in page at its next rerun, with a word why."""
    at = _sign_in(_app(), "erika")
    assert at.title[0].value == "Befragung durchführen"
    engine = make_engine(demo_db)
    set_password(engine, "erika", "Neues-Passwort-9", actor=Actor("ada", "admin"))
    engine.dispose()
    _run(at)
    assert "Anmelden" in [s.value for s in at.subheader]
    assert any("Anmeldung wurde beendet" in i.value for i in at.info)
    at = _sign_in(at, "erika", "Neues-Passwort-9")
    assert at.title[0].value == "Befragung durchführen" and not at.info


def test_repeated_wrong_passwords_lock_the_name_in_german(demo_db: str) -> None:
    at = _app()
    for _ in range(MAX_FAILURES):
        at = _sign_in(at, "pia", "falsch-falsch-1")
        assert any("Anmeldung fehlgeschlagen" in e.value for e in at.error)
    at = _sign_in(at, "pia")  # the right password, but too many failures just now
    assert "Anmelden" in [s.value for s in at.subheader]
    assert any("Zu viele fehlgeschlagene Anmeldungen" in e.value for e in at.error)


def test_the_demo_says_so_on_every_page_also_the_helpers(demo_db: str) -> None:
    for name in ("erika", "pia"):
        at = _sign_in(_app(), name)
        banner = [c.value for c in at.caption if c.value.startswith("**Demo** – ")]
        assert banner and "erfundene Stadt" in banner[0], name  # the helper's start page too
