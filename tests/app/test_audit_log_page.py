"""AppTest of the Protokoll page: the admin filters by person, kind and period, turns pages
and gets the CSV button; helpers, moderators and planners are refused on the server; text
planted in an entry (Markdown, HTML) is shown literally; German and English."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from sqlalchemy.orm import Session
from streamlit.testing.v1 import AppTest

from stadtraum.accounts.permissions import SYSTEM
from stadtraum.accounts.users import AuthUser, create_user
from stadtraum.store.db import AuditEntry
from stadtraum.store.engine import make_engine, write_engine
from stadtraum.store.migrate import migrate
from tests.app.conftest import PASSWORD, ROOT, USERS
from tests.app.flow import run, sign_in, whole_app
from tests.app.test_hostile_text import Findings, hostile

NOW = dt.datetime.now(dt.UTC)
PLANTED = hostile("detail")


@pytest.fixture
def audit_db(app_db: str, monkeypatch: pytest.MonkeyPatch) -> str:
    """One account per role (audited as created by the command line), 60 sign-ins of erika
    over the last hours, failed sign-ins, and an entry whose detail, object and kind hold
    Markdown and HTML."""
    monkeypatch.setenv("STADTRAUM_DEMO_ON_EMPTY", "0")
    engine = make_engine(app_db)
    migrate(engine)
    for name, role in USERS.items():
        create_user(engine, name, role, PASSWORD, actor=SYSTEM)
    with Session(write_engine(engine)) as session, session.begin():
        session.add_all(AuditEntry(at=NOW - dt.timedelta(minutes=i + 5), actor="erika",
                                   action="sign_in", object_type="user", object_id="1",
                                   detail=json.dumps({"method": "password"}))
                        for i in range(60))
        session.add_all(AuditEntry(at=NOW - dt.timedelta(days=3, minutes=i), actor=None,
                                   action="sign_in_failed", object_type="user",
                                   object_id="erika", detail=json.dumps(
                                       {"reason": "wrong password", "source": "10.0.0.7"}))
                        for i in range(2))
        session.add(AuditEntry(at=NOW - dt.timedelta(minutes=1), actor="ada",
                               action="frobnicate", object_type="**fett**",
                               object_id="<b>tag</b>", detail=json.dumps({"note": PLANTED})))
    engine.dispose()
    return app_db


def _page(role: str, lang: str | None = None) -> AppTest:
    at = AppTest.from_file(str(ROOT / "pages" / "audit_log.py"), default_timeout=120)
    name = next(n for n, r in USERS.items() if r == role)
    at.session_state["user"] = AuthUser(id=1, name=name, role=role)
    if lang:
        at.session_state["lang"] = lang
    return run(at)


def _table(at: AppTest) -> list[list[str]]:
    return at.dataframe[0].value.values.tolist()


def test_the_admin_reads_the_log_newest_first_page_by_page(audit_db: str) -> None:
    at = _page("admin")
    assert at.title[0].value == "Protokoll"
    frame = at.dataframe[0].value
    assert list(frame.columns) == ["Zeit (Europe/Berlin)", "Person", "Art", "Vorgang",
                                   "Objekt", "Einzelheiten"]
    rows = _table(at)
    assert len(rows) == 50
    assert [r[1:4] for r in rows[:6]] == [["kommandozeile", "Konto", "Konto angelegt"]] * 4 + [
        ["ada", "frobnicate (**fett**)", "frobnicate"], ["erika", "Anmeldung", "angemeldet"]]
    assert rows[5][4:] == ["Konto 1", "Weg: Passwort"]
    assert rows[0][5] == "Name: ada · Rolle: admin"
    assert any("Seite 1 von 2 · 67 Einträge" in c.value for c in at.caption)
    assert at.button(key="audit_newer").disabled
    at.button(key="audit_older").click()
    run(at)
    rows = _table(at)
    assert len(rows) == 17 and any("Seite 2 von 2" in c.value for c in at.caption)
    assert rows[-1][1:4] == ["–", "Anmeldung fehlgeschlagen", "Anmeldung fehlgeschlagen"]
    assert at.button(key="audit_older").disabled
    csv = at.download_button(key="audit_csv")
    assert csv.label == "Protokoll als CSV herunterladen" and not csv.proto.disabled


def test_filters_by_person_kind_and_period(audit_db: str) -> None:
    at = _page("admin")
    assert at.selectbox(key="audit_person_de").options == ["Alle", "ada", "erika",
                                                        "kommandozeile"]
    assert at.selectbox(key="audit_kind_de").options == [
        "Alle", "Anmeldung", "Anmeldung fehlgeschlagen", "Konto", "frobnicate (**fett**)"]
    at.button(key="audit_older").click()
    run(at)
    at.selectbox(key="audit_person_de").set_value("kommandozeile")
    run(at)  # a new filter starts on its first page
    rows = _table(at)
    assert [r[3] for r in rows] == ["Konto angelegt"] * 4
    assert {r[5] for r in rows} == {"Name: erika · Rolle: helper", "Name: mona · Rolle: moderator",
                                    "Name: pia · Rolle: planner", "Name: ada · Rolle: admin"}
    assert any(c.value == "4 Einträge" for c in at.caption)
    at.selectbox(key="audit_person_de").set_value(None)
    at.selectbox(key="audit_kind_de").set_value("sign_in_failed")
    run(at)
    rows = _table(at)
    assert len(rows) == 2 and rows[0][1:5] == ["–", "Anmeldung fehlgeschlagen",
                                               "Anmeldung fehlgeschlagen", "Konto erika"]
    assert rows[0][5] == "Grund: Passwort falsch · Adresse: 10.0.0.7"
    today = NOW.date()
    at.date_input(key="audit_period").set_value((today - dt.timedelta(days=1), today))
    run(at)
    assert not at.dataframe and "Keine Einträge" in at.info[0].value
    assert at.download_button(key="audit_csv").proto.disabled
    at.selectbox(key="audit_kind_de").set_value(None)
    run(at)
    assert {r[2] for r in _table(at)} == {"Anmeldung", "Konto", "frobnicate (**fett**)"}
    at.date_input(key="audit_period").set_value((today - dt.timedelta(days=4),))  # picking
    run(at)
    assert any("67 Einträge" in c.value for c in at.caption)
    at.date_input(key="audit_period").set_value((today - dt.timedelta(days=4),
                                                 today - dt.timedelta(days=2)))
    run(at)
    assert [r[2] for r in _table(at)] == ["Anmeldung fehlgeschlagen"] * 2


def test_english(audit_db: str) -> None:
    at = _page("admin", lang="English")
    assert at.title[0].value == "Audit log"
    assert list(at.dataframe[0].value.columns)[:3] == ["Time (Europe/Berlin)", "Person", "Kind"]
    assert _table(at)[5][2:4] == ["Sign-in", "signed in"]
    assert at.selectbox(key="audit_kind_en").options[:3] == ["All", "Sign-in", "Failed sign-in"]
    assert at.download_button(key="audit_csv").label == "Download the log as CSV"


def test_switching_the_language_shows_the_filters_in_it(audit_db: str) -> None:
    at = _page("admin")
    at.selectbox(key="audit_kind_de").set_value("sign_in_failed")
    run(at)
    assert len(_table(at)) == 2
    at.session_state["lang"] = "English"
    run(at)
    kind = at.selectbox(key="audit_kind_en")
    assert kind.value is None and kind.options[0] == "All" and len(_table(at)) == 50


@pytest.mark.parametrize("lang", [None, "English"])
def test_planted_text_is_shown_literally(audit_db: str, lang: str | None) -> None:
    at = _page("admin", lang=lang)
    found = Findings()
    found.check(at, "audit_log (admin)")
    assert not found.problems, found.problems
    row = _table(at)[4]
    assert row[4] == "**fett** <b>tag</b>" and row[5] == f"note: {PLANTED}"  # as it is


@pytest.mark.parametrize("role", ["helper", "moderator", "planner"])
def test_other_roles_cannot_reach_the_page(audit_db: str, role: str) -> None:
    at = _page(role)
    assert any("nicht freigegeben" in e.value for e in at.error)
    assert not at.dataframe and not at.download_button and not at.selectbox and not at.title


def test_in_the_whole_app_only_the_admin_finds_the_page(demo_db: str) -> None:
    at = sign_in(whole_app(), "ada")
    at.switch_page("pages/audit_log.py")
    run(at)
    assert at.title[0].value == "Protokoll"
    assert _table(at)[0][1:4] == ["ada", "Anmeldung", "angemeldet"]  # this very sign-in
    for name in ("erika", "mona", "pia"):  # not in their navigation: not even by address
        with pytest.raises(ValueError, match="Could not find a navigation page"):
            sign_in(whole_app(), name).switch_page("pages/audit_log.py")
