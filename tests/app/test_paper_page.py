"""AppTest flow of the Papierbögen page: downloads offered, a checked file with bad cells shows
the error table and no import button, a good file is imported only by the explicit button and
exactly once, ``partial`` imports the good rows; roles without the page are refused."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from streamlit.testing.v1 import AppTest

from stadtraum.accounts.users import AuthUser
from stadtraum.store.engine import make_engine
from tests.app.conftest import ROOT
from tests.app.flow import run as _run
from tests.helpers import count_rows, make_city
from tests.paper_files import csv_bytes, form, xlsx_bytes

PAGE = str(ROOT / "pages" / "paper_forms.py")
EVIL = "<img src=x onerror=alert(1)>"


@pytest.fixture
def city_db(app_db: str, monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    monkeypatch.setenv("STADTRAUM_DEMO_ON_EMPTY", "0")
    engine = make_engine(app_db)
    from stadtraum.store.migrate import migrate

    migrate(engine)
    make_city(engine)
    engine.dispose()
    yield app_db


def _page(role: str = "helper", name: str = "erika") -> AppTest:
    at = AppTest.from_file(PAGE, default_timeout=120)
    at.session_state["user"] = AuthUser(id=7, name=name, role=role)
    return _run(at)


def _upload(at: AppTest, data: bytes, name: str = "boegen.csv") -> AppTest:
    at.file_uploader(key="paper_upload").set_value((name, data, "text/csv"))
    return _run(at)


def _check(at: AppTest) -> AppTest:
    at.button(key="paper_check").click()
    return _run(at)


def _responses(url: str) -> int:
    engine = make_engine(url)
    try:
        return count_rows(engine, "responses")
    finally:
        engine.dispose()


def _keys(at: AppTest) -> set[str]:
    return {b.key for b in at.button if b.key}


def test_downloads_are_offered(city_db: str) -> None:
    at = _page()
    assert at.title[0].value == "Papierbögen"
    labels = {b.proto.label for b in at.get("download_button")}
    assert labels == {"Fragebogen (HTML) herunterladen", "Vorlage als Excel (XLSX)",
                      "Vorlage als CSV"}
    assert "paper_import" not in _keys(at)


def test_bad_file_shows_every_bad_cell_and_imports_nothing(city_db: str) -> None:
    at = _upload(_page(), csv_bytes([form(1), form(2, moving_around=8), form(3, EVIL)]))
    _check(at)
    table = at.dataframe[0].value
    assert table.to_dict("records") == [
        {"Zeile": 3, "Spalte": "moving_around", "Grund": "8 liegt außerhalb von 1 bis 7."},
        {"Zeile": 4, "Spalte": "gebiet", "Grund": f"Gebiet „{EVIL}“ gibt es in dieser Befragung "
                                                  "nicht (Code oder Name laut Blatt „Gebiete“ "
                                                  "der Vorlage)."}]
    assert any("nichts importiert" in e.value for e in at.error)
    assert "paper_import" not in _keys(at)
    assert not at.get("html") and all("<img" not in m.value for m in at.markdown)
    assert _responses(city_db) == 0


def test_good_file_is_imported_by_the_button_exactly_once(city_db: str) -> None:
    data = xlsx_bytes([form(1), form(2, "Q2", housing=6)])
    at = _upload(_page(), data, "boegen.xlsx")
    assert "paper_import" not in _keys(at)  # check first
    _check(at)
    assert any("2 würden neu gespeichert" in i.value for i in at.info)
    assert _responses(city_db) == 0
    at.button(key="paper_import").click()
    _run(at)
    assert any("Importiert. 2 Bögen gelesen: 2 neu gespeichert" in s.value for s in at.success)
    assert _responses(city_db) == 2
    _check(at)  # the same file again: nothing new, no import button
    assert any("0 würden neu gespeichert, 2 schon vorhanden" in i.value for i in at.info)
    assert "paper_import" not in _keys(at) and _responses(city_db) == 2


def test_a_changed_upload_needs_a_new_check(city_db: str) -> None:
    at = _check(_upload(_page(), csv_bytes([form(1)])))
    assert "paper_import" in _keys(at)
    _upload(at, csv_bytes([form(1), form(2, moving_around=0)]))
    assert "paper_import" not in _keys(at)


def test_partial_imports_only_the_good_rows(city_db: str) -> None:
    at = _upload(_page(), csv_bytes([form(1), form(2, moving_around="x"), form(3)]))
    at.checkbox(key="paper_partial").check()
    _check(_run(at))
    assert len(at.dataframe[0].value) == 1
    assert at.button(key="paper_import").label == "2 Bögen importieren"
    at.button(key="paper_import").click()
    _run(at)
    assert _responses(city_db) == 2
    assert any("Diese Zeilen wurden ausgelassen" in w.value for w in at.warning)


def test_unreadable_file_is_one_german_message(city_db: str) -> None:
    at = _check(_upload(_page("moderator", "mona"), b"", "leer.csv"))
    assert [e.value for e in at.error] == ["Die Datei ist leer."]


def test_a_planner_cannot_open_the_page(city_db: str) -> None:
    at = _page("planner", "pia")
    assert any("nicht freigegeben" in e.value for e in at.error)
    assert not at.get("download_button") and not at.file_uploader
