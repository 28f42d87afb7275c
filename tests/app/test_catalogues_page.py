"""AppTest of the page "Kataloge" (issue 11, item 5): every role but the admin is refused;
the admin sees the shipped catalogues with the survey using one, uploads a TOML file and
reads each problem with its line (nothing stored), uploads a good one, sees the preview as
the interview shows it, adds it; copies a catalogue in use, deletes an unused one; markup in
an uploaded catalogue is shown literally. English UI too."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator

import pandas as pd
import pytest
from sqlalchemy import select, text
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session
from streamlit.testing.v1 import AppTest

from stadtraum.accounts.permissions import SYSTEM
from stadtraum.accounts.users import AuthUser, create_user
from stadtraum.store.db import AuditEntry, StoredCatalogue
from stadtraum.store.engine import make_engine
from stadtraum.store.migrate import migrate
from tests.app.conftest import PASSWORD, ROOT
from tests.app.flow import run
from tests.app.test_hostile_text import Findings, hostile, short
from tests.helpers import make_city

SHIPPED = ROOT / "stadtraum" / "catalogues" / "stadtraummonitor14.toml"


@pytest.fixture
def kat_db(app_db: str, monkeypatch: pytest.MonkeyPatch) -> Iterator[Engine]:
    """An app database with an admin and a tiny city whose survey uses the default
    catalogue (no demo)."""
    monkeypatch.setenv("STADTRAUM_DEMO_ON_EMPTY", "0")
    engine = make_engine(app_db)
    migrate(engine)
    create_user(engine, "ada", "admin", PASSWORD, actor=SYSTEM)
    make_city(engine, campaign="Befragung Nord")
    yield engine
    engine.dispose()


def _page(role: str = "admin", en: bool = False) -> AppTest:
    at = AppTest.from_file(str(ROOT / "pages" / "catalogues.py"), default_timeout=120)
    at.session_state["user"] = AuthUser(id=1, name="ada" if role == "admin" else "x",
                                        role=role)
    if en:
        at.session_state["lang"] = "English"
    return run(at)


def _toml(cat_id: str = "bochum_2026", name: str = "Bochum 2026") -> str:
    return (SHIPPED.read_text(encoding="utf-8")
            .replace('id = "stadtraummonitor14"', f'id = "{cat_id}"')
            .replace('name_de = "StadtRaumMonitor (14 Themen)"', f'name_de = "{name}"'))


def _upload(at: AppTest, text: str | bytes, n: int = 0, name: str = "katalog.toml") -> AppTest:
    data = text.encode("utf-8") if isinstance(text, str) else text
    at.file_uploader(key=f"kat_upload_{n}").set_value((name, data, "application/toml"))
    return run(at)


def _plain(text: str) -> str:
    return re.sub(r"\\(.)", r"\1", text).replace("\u2060", "")


def _frame(at: AppTest, column: str) -> pd.DataFrame:
    """The first data grid or static table with ``column`` (cells unescaped)."""
    frame = next(d.value for d in [*at.dataframe, *at.table] if column in d.value.columns)
    return frame.map(lambda v: _plain(v) if isinstance(v, str) else v)


def _stored(engine: Engine) -> dict[str, str]:
    with Session(engine) as session:
        return {r.id: r.toml for r in session.scalars(select(StoredCatalogue))}


@pytest.mark.parametrize("role", ["helper", "moderator", "planner"])
def test_other_roles_do_not_reach_the_page(kat_db: Engine, role: str) -> None:
    at = _page(role)
    assert any("nicht freigegeben" in e.value for e in at.error)
    assert not at.file_uploader and not at.button and not at.dataframe and not at.title


def test_the_admin_uploads_previews_and_adds_a_catalogue(kat_db: Engine) -> None:
    at = _page()
    assert at.title[0].value == "Kataloge"
    listing = _frame(at, "Verwendet von")
    assert list(listing["Id"]) == ["stadtraummonitor14", "stadtraummonitor14_klima"]
    assert list(listing["Themen"]) == [14, 16]
    assert list(listing["Herkunft"]) == ["mitgeliefert", "mitgeliefert"]
    assert list(listing["Verwendet von"]) == ["Befragung Nord", "–"]

    bad = _toml().replace('label_en = "Public transport"\n', "").replace(
        'id = "housing"', 'id = "moving_around"')
    at = _upload(at, bad)
    assert any("2 Probleme; nichts wurde gespeichert" in e.value for e in at.error)
    problems = _frame(at, "Zeile")
    assert list(problems["Zeile"]) == [19, 103]  # criterion 2's header, housing's id
    assert "es fehlt „label_en“" in problems["Problem"][0]
    assert "kommt schon in Zeile 8 vor" in problems["Problem"][1]
    assert "kat_add" not in [b.key for b in at.button] and _stored(kat_db) == {}

    at = _upload(at, _toml())
    assert not at.error, [e.value for e in at.error]
    assert any("Die Datei ist in Ordnung" in _plain(s.value) and "14 Themen" in s.value
               for s in at.success)
    preview = _frame(at, "Leichte Sprache")
    assert list(preview["Id"])[:2] == ["moving_around", "public_transport"]
    # one topic as the street interview shows it: its label, question, prompts and the scale
    assert any(h.value == "Zu Fuß und mit dem Rad" for h in at.subheader)
    assert at.segmented_control(key="rate_kat_preview_upload_moving_around")
    at.selectbox(key="kat_pick_crit_upload").set_value(1)
    run(at)
    assert any(h.value == "Bus und Bahn" for h in at.subheader)
    assert _stored(kat_db) == {}  # looked at: nothing stored

    at.button(key="kat_add").click()
    run(at)
    assert any("Katalog hinzugefügt" in s.value for s in at.success)
    assert set(_stored(kat_db)) == {"bochum_2026"}
    assert "bochum_2026" in list(_frame(at, "Verwendet von")["Id"])
    assert not at.file_uploader(key="kat_upload_1").value  # a fresh uploader
    with Session(kat_db) as session:
        audits = session.execute(select(AuditEntry.actor, AuditEntry.action,
                                        AuditEntry.object_id)).all()
    assert ("ada", "create", "bochum_2026") in audits


def test_copy_a_catalogue_in_use_and_delete_an_unused_one(kat_db: Engine) -> None:
    at = _page()
    assert at.selectbox(key="kat_pick").value == "stadtraummonitor14"
    assert any("nur kopiert" in c.value for c in at.caption)
    assert "kat_delete" not in [b.key for b in at.button]  # shipped: never deleted
    at.text_input(key="kat_copy_id").input("nord_2027")
    at.text_input(key="kat_copy_de").input("Nord 2027")
    run(at)
    at.button(key="kat_copy").click()
    run(at)
    assert any("Kopie nord_2027 angelegt" in _plain(s.value) for s in at.success)
    assert at.selectbox(key="kat_pick").value == "nord_2027"
    assert "id = \"nord_2027\"" in _stored(kat_db)["nord_2027"]

    at.text_input(key="kat_copy_id").input("Nord 2027!")  # refused, the field named
    run(at)
    at.button(key="kat_copy").click()
    run(at)
    assert any("ungültig" in e.value for e in at.error)

    assert at.button(key="kat_delete").disabled  # the tick first
    at.checkbox(key="kat_delete_ok_nord_2027").check()
    run(at)
    at.button(key="kat_delete").click()
    run(at)
    assert any("gelöscht" in _plain(s.value) for s in at.success)
    assert _stored(kat_db) == {}


def test_a_stored_catalogue_in_use_cannot_be_replaced_by_upload(kat_db: Engine) -> None:
    at = _upload(_page(), _toml())
    at.button(key="kat_add").click()
    run(at)
    with kat_db.begin() as conn:  # a survey starts using it
        conn.execute(text("UPDATE campaigns SET catalogue_id = 'bochum_2026'"))
    at = _upload(at, _toml(name="Bochum geändert"), n=1)
    assert any("Befragung Nord" in _plain(e.value) and "kopieren" in e.value
               for e in at.error)
    assert "kat_add" not in [b.key for b in at.button]
    assert "Bochum 2026" in _stored(kat_db)["bochum_2026"]


def test_an_unused_stored_catalogue_is_replaced_by_upload(kat_db: Engine) -> None:
    at = _upload(_page(), _toml())
    at.button(key="kat_add").click()
    run(at)
    at = _upload(at, _toml(name="Bochum neu"), n=1)
    assert any("kann ersetzt werden" in _plain(w.value) for w in at.warning)
    assert at.button(key="kat_add").label == "Katalog ersetzen"
    at.button(key="kat_add").click()
    run(at)
    assert any("Katalog ersetzt" in s.value for s in at.success)
    assert 'name_de = "Bochum neu"' in _stored(kat_db)["bochum_2026"]


def _hostile_toml() -> str:
    text = _toml("boese_texte")
    for key, value in (("name_de", short("name")), ("label_de", short("label")),
                       ("question_de", hostile("question")), ("plain_de", hostile("plain"))):
        text = re.sub(rf'^{key} = ".*"$', f"{key} = {_q(value)}", text, count=1,
                      flags=re.M)
    return re.sub(r'^prompts_de = \[".*?"', f"prompts_de = [{_q(hostile('prompt'))}", text,
                  count=1, flags=re.M)


def _q(value: str) -> str:
    return json.dumps(value)  # a JSON string is a TOML basic string


def test_markup_in_an_uploaded_catalogue_is_shown_literally(kat_db: Engine) -> None:
    findings = Findings()
    at = _upload(_page(), _hostile_toml())
    assert not at.error, [e.value for e in at.error]
    findings.check(at, "preview")
    at.button(key="kat_add").click()
    run(at)
    at.selectbox(key="kat_pick").set_value("boese_texte")
    run(at)
    findings.check(at, "manage")
    assert findings.problems == []
    assert any("label! " in _plain(h.value) for h in at.subheader)  # it was shown


def test_english(kat_db: Engine) -> None:
    at = _page(en=True)
    assert at.title[0].value == "Catalogues"
    assert list(_frame(at, "Used by")["Source"]) == ["shipped", "shipped"]
    at = _upload(at, "id = oops")
    assert any("Line" in c for c in _frame(at, "Line").columns)
    assert any("nothing was stored" in e.value for e in at.error)
