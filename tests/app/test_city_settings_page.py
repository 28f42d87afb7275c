"""AppTest of the page "Einstellungen" (issue 11, item 8): an admin sees every city setting with
where its value comes from, changes several at once, uploads a logo, is refused a colour with
too little contrast (with the measured ratio) and a bad address with nothing stored, gets a
conflict for a change made meanwhile, resets a value to its default; English names the field;
helpers, moderators and planners do not reach the page."""

from __future__ import annotations

import io
import re
from collections.abc import Iterator

import pytest
from PIL import Image
from sqlalchemy import select
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session
from streamlit.proto.Common_pb2 import FileURLs
from streamlit.runtime.uploaded_file_manager import UploadedFile, UploadedFileRec
from streamlit.testing.v1 import AppTest

from stadtraum.accounts.permissions import Actor
from stadtraum.accounts.users import AuthUser
from stadtraum.admin.city_settings import update_city_settings
from stadtraum.store.db import AuditEntry
from stadtraum.store.db_city import CitySetting
from stadtraum.store.engine import make_engine
from stadtraum.store.migrate import migrate
from tests.app.conftest import ROOT
from tests.app.flow import run

SAVE, SAVE_EN = "Einstellungen speichern", "Save settings"


@pytest.fixture
def db(app_db: str, monkeypatch: pytest.MonkeyPatch) -> Iterator[Engine]:
    monkeypatch.setenv("STADTRAUM_DEMO_ON_EMPTY", "0")
    for name in ("STADTRAUM_CITY_NAME", "STADTRAUM_MAIN_COLOR", "STADTRAUM_PUBLIC_BASE_URL",
                 "STADTRAUM_IMPRINT", "STADTRAUM_LOGO_FILE", "STADTRAUM_DEFAULT_MIN_N"):
        monkeypatch.delenv(name, raising=False)
    engine = make_engine(app_db)
    migrate(engine)
    yield engine
    engine.dispose()


def _page(role: str = "admin", en: bool = False) -> AppTest:
    at = AppTest.from_file(str(ROOT / "pages" / "city_settings.py"), default_timeout=120)
    at.session_state["user"] = AuthUser(id=1, name="ada", role=role)
    if en:
        at.session_state["lang"] = "English"
    return run(at)


def _plain(text: str) -> str:
    return re.sub(r"\\(.)", r"\1", text).replace("\u2060", "")


def _captions(at: AppTest) -> list[str]:
    return [_plain(c.value) for c in at.caption]


def _save(at: AppTest, label: str = SAVE) -> AppTest:
    next(b for b in at.button if b.label == label).click()
    return run(at)


def _rows(engine: Engine) -> dict[str, tuple[str | None, int]]:
    with Session(engine) as session:
        return {r.key: (r.value, r.version) for r in session.scalars(select(CitySetting))}


def _png() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (120, 40), (31, 95, 153)).save(buffer, format="PNG")
    return buffer.getvalue()


@pytest.mark.parametrize("role", ["helper", "moderator", "planner"])
def test_other_roles_do_not_reach_the_page(db: Engine, role: str) -> None:
    at = _page(role)
    assert any("nicht freigegeben" in e.value for e in at.error)
    assert not at.text_input and not at.text_area and not at.button and not at.number_input


def test_every_setting_is_shown_with_its_source(db: Engine,
                                                monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("STADTRAUM_CITY_NAME", "Stadt Umgebung")
    at = _page()
    assert at.title[0].value == "Einstellungen"
    assert at.text_input(key="cs_city_name_0_env").value == "Stadt Umgebung"
    assert at.text_input(key="cs_main_colour_0_default").value == "#1f5f99"
    assert at.number_input(key="cs_default_min_n_0_default").value == 5
    captions = _captions(at)
    assert "Herkunft: Umgebungsvariable STADTRAUM_CITY_NAME" in captions
    assert captions.count("Herkunft: Voreinstellung") == 8
    assert any("Kontrast zu Weiß: 6,65:1" in c for c in captions)
    assert any("Noch nicht hinterlegt: Kontakt für Datenschutzfragen, Impressum" in
               _plain(w.value) for w in at.warning)


def test_an_admin_changes_several_settings_and_resets_one(db: Engine) -> None:
    at = _page()
    at.text_input(key="cs_city_name_0_default").input("Bochum")
    at.text_input(key="cs_main_colour_0_default").input("#0B4F6C")
    at.text_input(key="cs_public_base_url_0_default").input("https://Mitmachen.Bochum.de/")
    at.text_area(key="cs_imprint_0_default").input("Stadt Bochum\nRathaus")
    at.number_input(key="cs_default_min_n_0_default").set_value(7)
    at.session_state["cs_logo_0_default"] = UploadedFile(
        UploadedFileRec("f1", "logo.png", "image/png", _png()), FileURLs())
    _save(at)
    assert [_plain(s.value) for s in at.success] == [
        "Gespeichert: Name der Stadt, Logo, Hauptfarbe, Öffentliche Adresse (Links und "
        "QR-Codes), Impressum, Mindestzahl je Zelle für neue Befragungen."]
    rows = _rows(db)
    assert rows["city_name"] == ("Bochum", 1) and rows["main_colour"] == ("#0b4f6c", 1)
    assert rows["public_base_url"] == ("https://mitmachen.bochum.de", 1)
    assert rows["imprint"] == ("Stadt Bochum\nRathaus", 1) and rows["default_min_n"] == ("7", 1)
    assert "logo" in rows and len(at.get("image")) == 1  # the stored logo is shown
    assert at.text_input(key="cs_city_name_1_db").value == "Bochum"
    assert any(re.fullmatch(r"Herkunft: Datenbank \(geändert am \d\d\.\d\d\.\d{4} \d\d:\d\d "
                            r"von ada\)", c) for c in _captions(at))
    at.button(key="cs_reset_city_name").click()
    run(at)
    assert "city_name" not in _rows(db)
    assert at.text_input(key="cs_city_name_0_default").value == ""
    with Session(db) as session:
        actions = [(e.action, e.object_id) for e in session.scalars(
            select(AuditEntry).where(AuditEntry.object_type == "city_settings")
            .order_by(AuditEntry.id))]
    assert ("set", "logo") in actions and actions[-1] == ("reset", "city_name")


def test_a_light_colour_and_an_http_address_are_refused_with_nothing_stored(db: Engine) -> None:
    at = _page()
    at.text_input(key="cs_city_name_0_default").input("Bochum")
    at.text_input(key="cs_main_colour_0_default").input("#8a8a8a")
    _save(at)
    errors = [_plain(e.value) for e in at.error]
    assert errors[0].startswith("Hauptfarbe: Der Kontrast von #8a8a8a zu Weiß ist 3,45:1; "
                                "nötig sind mindestens 4,5:1")
    assert _rows(db) == {}
    at.text_input(key="cs_main_colour_0_default").input("#1f5f99")
    at.text_input(key="cs_public_base_url_0_default").input("http://bochum.de")
    _save(at)
    assert "Bitte https:// verwenden" in _plain(at.error[0].value)
    assert _rows(db) == {}
    at.number_input(key="cs_default_min_n_0_default").set_value(2)
    at.text_input(key="cs_public_base_url_0_default").input("")
    _save(at)
    assert "ganze Zahl von 3 bis 100" in _plain(at.error[0].value) and _rows(db) == {}


def test_a_change_made_meanwhile_is_a_conflict(db: Engine) -> None:
    update_city_settings(db, {"city_name": "Bochum"}, {}, actor=Actor("ada", "admin"))
    at = _page()
    update_city_settings(db, {"city_name": "Herne"}, {"city_name": 1},
                         actor=Actor("bea", "admin"))
    at.text_input(key="cs_city_name_1_db").input("Witten")
    _save(at)
    assert "inzwischen von jemand anderem geändert" in _plain(at.error[0].value)
    assert _rows(db) == {"city_name": ("Herne", 2)}
    assert at.text_input(key="cs_city_name_2_db").value == "Herne"  # the current state


def test_english_names_the_field(db: Engine) -> None:
    at = _page(en=True)
    assert at.title[0].value == "Settings"
    at.text_input(key="cs_main_colour_0_default").input("#ffcc00")
    _save(at, SAVE_EN)
    assert _plain(at.error[0].value).startswith(
        "Main colour: The contrast of #ffcc00 with white is 1.")
    assert _rows(db) == {}


# --- where the settings apply ------------------------------------------------------------------

def test_the_citizens_form_shows_the_city_its_notice_imprint_and_statement(
        db: Engine) -> None:
    from stadtraum.citizen.public_link import enable_public_link
    from tests.helpers import make_city

    city = make_city(db)
    token = enable_public_link(db, city.campaign_id, actor=Actor("ada", "admin"))
    update_city_settings(db, {"city_name": "Musterstadt", "privacy_notice": "Art. 6 DSGVO",
                              "privacy_contact": "datenschutz@musterstadt.example",
                              "imprint": "Rathausplatz 1", "accessibility": "BITV-Erklärung"},
                         {}, actor=Actor("ada", "admin"))
    at = AppTest.from_file(str(ROOT / "streamlit_app.py"), default_timeout=120)
    at.query_params["t"] = token
    run(at)
    texts = [t.value for t in at.text]
    assert texts[0] == "Musterstadt"  # above the title
    assert "Art. 6 DSGVO" in texts
    assert "Fragen zum Datenschutz: datenschutz@musterstadt.example" in texts
    expanders = {e.label: [t.value for t in e.text] for e in at.expander}
    assert expanders["Impressum"] == ["Rathausplatz 1"]
    assert expanders["Erklärung zur Barrierefreiheit"] == ["BITV-Erklärung"]
    at.query_params["t"] = "x" * 32  # a wrong link: the two texts are reachable there too
    run(at)
    assert {e.label for e in at.expander} >= {"Impressum", "Erklärung zur Barrierefreiheit"}


def test_a_helper_reads_the_notice_on_the_sign_in_page(db: Engine) -> None:
    from stadtraum.accounts.permissions import SYSTEM
    from stadtraum.accounts.users import create_user

    create_user(db, "ada", "admin", "Sieben-Brücken-2027", actor=SYSTEM)  # set up already
    update_city_settings(db, {"privacy_notice": "Ihre Anmeldung wird protokolliert."}, {},
                         actor=Actor("ada", "admin"))
    at = run(AppTest.from_file(str(ROOT / "streamlit_app.py"), default_timeout=120))
    notice = next(e for e in at.expander if e.label == "Datenschutzhinweis")
    assert [t.value for t in notice.text] == ["Ihre Anmeldung wird protokolliert."]


def test_new_campaigns_start_with_the_default_min_n_setting(db: Engine) -> None:
    from tests.helpers import make_city

    make_city(db)
    update_city_settings(db, {"default_min_n": "11"}, {}, actor=Actor("ada", "admin"))
    at = AppTest.from_file(str(ROOT / "pages" / "campaigns.py"), default_timeout=120)
    at.session_state["user"] = AuthUser(id=1, name="ada", role="admin")
    run(at)
    assert at.number_input(key="camp_new_min_n").value == 11
