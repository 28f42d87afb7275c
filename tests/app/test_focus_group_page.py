"""AppTest flow of the Fokusgruppe page: a moderator opens a session, enters a grid, sees the
projector view; a helper cannot reach the page (server-side role check)."""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import text
from streamlit.testing.v1 import AppTest

from stadtraum.accounts.users import AuthUser
from stadtraum.store.engine import make_engine
from tests.app.conftest import PASSWORD, ROOT
from tests.app.flow import run as _run

PAGE = str(ROOT / "pages" / "focus_group.py")
EVIL = "<img src=x onerror=alert(1)> Treff"


def _page(name: str, role: str) -> AppTest:
    at = AppTest.from_file(PAGE, default_timeout=120)
    at.session_state["user"] = AuthUser(id=99, name=name, role=role)
    return at


def _html(at: AppTest) -> str:
    return "\n".join(str(getattr(e.proto, "body", "")) for e in at.get("html"))


def _rows(url: str, sql: str) -> list[Any]:
    engine = make_engine(url)
    with engine.connect() as conn:
        rows = list(conn.execute(text(sql)).all())
    engine.dispose()
    return rows


def _open_session(at: AppTest) -> str:
    area = at.selectbox(key="fg_new_area")
    area.set_value("101")
    at.text_input(key="fg_new_title").input(EVIL)
    at.button(key="fg_open").click()
    _run(at)
    assert any("Fokusgruppe eröffnet" in s.value for s in at.success)
    return str(at.session_state["fg_group"])


def test_moderator_opens_a_session_enters_a_grid_and_projects(demo_db: str) -> None:
    at = _run(_page("mona", "moderator"))
    assert at.title[0].value == "Fokusgruppe"
    group_id = _open_session(at)
    assert at.selectbox(key="fg_pick").value == group_id
    assert _rows(demo_db, "SELECT a.code FROM focus_groups g JOIN areas a ON a.id = g.area_id"
                 ) == [("101",)]
    editor = at.data_editor[0]
    # every theme is a row (all 14 visible, labelled), every person a column; empty is empty
    assert editor.editing_mode == "fixed" and len(editor.value) == 14
    assert list(editor.value.columns) == [f"Person {i}" for i in range(1, 7)]
    assert editor.value.index[0] == "Zu Fuß und mit dem Rad"
    assert set(editor.value.stack().tolist()) == {""}
    safe = list(editor.value.index).index("Sicherheitsgefühl")
    at.session_state[f"fg_grid_{group_id}_0"] = {
        "edited_rows": {0: {"Person 1": "5", "Person 2": "3"}, safe: {"Person 1": "2"}},
        "added_rows": [], "deleted_rows": []}
    _run(at)
    at.button(key="fg_save_grid").click()
    _run(at)
    assert any("2 neu" in s.value for s in at.success), [s.value for s in at.success]
    stored = _rows(demo_db, "SELECT mode, entered_by, participants, group_id FROM responses "
                            f"WHERE group_id = '{group_id}'")
    assert sorted(stored) == [("focus_group", "mona", 1, group_id)] * 2
    # saving again without changes stores nothing
    at.button(key="fg_save_grid").click()
    _run(at)
    assert any("0 neu" in s.value and "2 unverändert" in s.value for s in at.success)
    assert len(_rows(demo_db, f"SELECT id FROM responses WHERE group_id = '{group_id}'")) == 2

    at.button(key="fg_projector_on").click()
    _run(at)
    assert not at.title  # the entry page is replaced by the projector view
    assert len(at.get("plotly_chart")) == 1
    html = _html(at)
    assert "stSidebar" in html and "display: none" in html  # sidebar hidden
    assert "stElementToolbar" in html[:html.index("display: none")]  # and chart toolbars
    assert "&lt;img src=x" in html and "<img" not in html  # the title is shown as text
    assert "Geheimhaltungsregel" in html and "fg-table" in html
    at.button(key="fg_projector_off").click()
    _run(at)
    assert at.title[0].value == "Fokusgruppe"
    assert at.selectbox(key="fg_pick").value == group_id  # still the same session


def test_bad_grid_input_is_refused_with_a_german_message(demo_db: str) -> None:
    at = _run(_page("mona", "moderator"))
    group_id = _open_session(at)
    housing = list(at.data_editor[0].value.index).index("Wohnen")
    at.session_state[f"fg_grid_{group_id}_0"] = {
        "edited_rows": {0: {"Person 1": "5"}, housing: {"Person 3": "9"}},
        "added_rows": [], "deleted_rows": []}
    _run(at)
    at.button(key="fg_save_grid").click()
    _run(at)
    errors = [e.value.replace("\\", "") for e in at.error]  # markdown-escaped text
    assert any(e.startswith("Person 3: ") and "„Wohnen“" in e
               and "außerhalb von 1 bis 7" in e for e in errors), errors
    assert _rows(demo_db, f"SELECT id FROM responses WHERE group_id = '{group_id}'") == []


def test_consensus_and_notes(demo_db: str) -> None:
    at = _run(_page("mona", "moderator"))
    group_id = _open_session(at)
    at.radio(key="fg_mode").set_value("consensus")
    _run(at)
    at.number_input(key=f"fg_people_{group_id}_0").set_value(6)
    at.selectbox(key=f"fg_cons_{group_id}_0_feeling_safe").set_value(4)
    at.button(key="fg_save_consensus").click()
    _run(at)
    assert _rows(demo_db, "SELECT participants FROM responses "
                          f"WHERE group_id = '{group_id}'") == [(6,)]
    at.radio(key="fg_mode").set_value("notes")
    _run(at)
    at.text_area(key=f"fg_note_{group_id}_1_housing").input(EVIL)
    at.button(key="fg_save_notes").click()
    _run(at)
    assert _rows(demo_db, "SELECT criterion_id, text FROM focus_group_notes") == [
        ("housing", EVIL)]
    assert any("(1 Thema mit Notiz)" in s.value.replace("\\", "") for s in at.success), [
        s.value for s in at.success]  # not "1 Themen"


def test_a_helper_cannot_open_the_page(demo_db: str) -> None:
    page = _run(_page("erika", "helper"))
    assert any("nicht freigegeben" in e.value for e in page.error)
    assert not page.title and not page.button and not page.data_editor
    # the app does not even register the page for a helper, but does for a moderator
    app = _signed_in("erika")
    assert app.title[0].value == "Befragung durchführen"
    with pytest.raises(ValueError, match="Could not find a navigation page"):
        app.switch_page("pages/focus_group.py")
    app = _signed_in("mona")
    app.switch_page("pages/focus_group.py")
    _run(app)
    assert app.title[0].value == "Fokusgruppe"


def _signed_in(name: str) -> AppTest:
    app = _run(AppTest.from_file(str(ROOT / "streamlit_app.py"), default_timeout=180))
    app.text_input(key="sign_in_name").input(name)
    app.text_input(key="sign_in_password").input(PASSWORD)
    next(b for b in app.button if b.label == "Anmelden").click()
    return _run(app)
