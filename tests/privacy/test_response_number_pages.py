"""The response number is shown where a person needs it: on the helper's screen right after an
interview is saved, and on the citizen's thank-you page (literal text, with a hint that it is
needed to ask for deletion); it is the stored UUID's short form and finds the response."""

from __future__ import annotations

import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import text
from sqlalchemy.orm import Session
from streamlit.testing.v1 import AppTest

from stadtraum.accounts.permissions import SYSTEM, Actor
from stadtraum.accounts.users import AuthUser, create_user
from stadtraum.citizen.form import CitizenForm
from stadtraum.citizen.public_link import enable_public_link
from stadtraum.collect.interview import Interview
from stadtraum.criteria import get_catalogue
from stadtraum.privacy.response_number import find_response, short_number
from stadtraum.store.engine import make_engine
from stadtraum.store.migrate import migrate
from tests.app.flow import click, run
from tests.helpers import make_city

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def town(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[tuple[str, str]]:
    """(database URL, public token) of a small city with an open campaign."""
    url = f"sqlite:///{tmp_path / 'app.db'}"
    for key, value in {"STADTRAUM_DATABASE_URL": url, "STADTRAUM_SESSION_SECRET": "x" * 40,
                       "STADTRAUM_DEMO_ON_EMPTY": "0"}.items():
        monkeypatch.setenv(key, value)
    monkeypatch.chdir(ROOT)
    engine = make_engine(url)
    migrate(engine)
    city = make_city(engine, min_n=1)
    token = enable_public_link(engine, city.campaign_id, actor=Actor("admin", "admin"))
    create_user(engine, "ada", "admin", "Sieben-Brücken-2027", actor=SYSTEM)
    engine.dispose()
    yield url, token


def _stored_uuid(url: str) -> str:
    engine = make_engine(url)
    with engine.connect() as conn:
        value = conn.execute(text("SELECT uuid FROM responses")).scalar_one()
    engine.dispose()
    return str(value)


def test_the_thank_you_page_shows_the_number_as_text(town: tuple[str, str]) -> None:
    url, token = town
    at = AppTest.from_file(str(ROOT / "streamlit_app.py"), default_timeout=120)
    at.query_params["t"] = token
    run(at)
    at.checkbox(key="pub_consent").check()
    click(at, "pub_start")
    form = at.session_state["citizen_form"]
    assert isinstance(form, CitizenForm)
    form.area_code, form.ratings = "Q1", {"moving_around": 5, "housing": 3}
    form.step = len(form.steps(get_catalogue())) - 1
    form.started_at = (form.started_at or time.time()) - 3600
    run(at)
    click(at, "pub_send")
    assert any("Vielen Dank" in s.value for s in at.success)
    stored = _stored_uuid(url)
    assert f"Ihre Antwortnummer: {short_number(stored)}" in [t.value for t in at.text]
    assert any("verlangen, dass Ihre Antwort gelöscht wird" in c.value for c in at.caption)
    engine = make_engine(url)
    with Session(engine) as session:
        assert find_response(session, short_number(stored)).uuid == stored
    engine.dispose()


def test_the_helper_sees_the_number_after_saving(town: tuple[str, str]) -> None:
    url, _ = town
    at = AppTest.from_file(str(ROOT / "pages" / "interview.py"), default_timeout=120)
    at.session_state["user"] = AuthUser(id=2, name="hugo", role="helper")
    run(at)
    assert not at.code and not at.get("image")  # nothing saved yet
    click(at, "iv_start")
    iv = at.session_state["interview"]
    assert isinstance(iv, Interview)
    iv.area_code, iv.consent, iv.ratings = "Q1", True, {"moving_around": 6}
    iv.step = len(Interview.steps(get_catalogue())) - 1
    run(at)
    click(at, "iv_send")
    assert any("Gespeichert" in s.value for s in at.success)
    stored = _stored_uuid(url)
    assert [c.value for c in at.code] == [short_number(stored)]
    assert any("verlangen, dass ihre Antwort gelöscht wird" in c.value for c in at.caption)
    assert len(at.get("image")) == 1  # the same number as a QR code to photograph
