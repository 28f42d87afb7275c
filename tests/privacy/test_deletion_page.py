"""AppTest of the Datenschutz page: an admin finds a response by its number, sees what would
be deleted (no ratings), confirms and deletes it; bad numbers get the German error; a closed
campaign's raw data are purged after the confirmation; old drafts expire; other roles do not
reach the page; names with markup are shown literally."""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import update
from sqlalchemy.orm import Session
from streamlit.testing.v1 import AppTest

from stadtraum.accounts.permissions import SYSTEM
from stadtraum.accounts.users import AuthUser
from stadtraum.admin.campaigns import close_campaign
from stadtraum.collect.submit import submit_response
from stadtraum.privacy.response_number import short_number
from stadtraum.store.db import Campaign
from stadtraum.store.engine import make_engine
from stadtraum.store.migrate import migrate
from tests.app.flow import click, run
from tests.helpers import add_campaign, count_rows, make_payload
from tests.privacy.test_deletion_fixture import CRIT, Planted, plant
from tests.privacy.test_drafts_expiry import make_drafts

ROOT = Path(__file__).resolve().parents[2]
HOSTILE = "**Fett** <b>x</b> [Link](https://evil.example)"


@pytest.fixture
def planted(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Planted]:
    url = f"sqlite:///{tmp_path / 'app.db'}"
    monkeypatch.setenv("STADTRAUM_DATABASE_URL", url)
    monkeypatch.setenv("STADTRAUM_SESSION_SECRET", "x" * 40)
    monkeypatch.setenv("STADTRAUM_DEMO_ON_EMPTY", "0")
    monkeypatch.chdir(ROOT)
    engine = make_engine(url)
    migrate(engine)
    p = plant(engine)
    with Session(engine) as session, session.begin():
        session.execute(update(Campaign).values(name=HOSTILE))
    old = add_campaign(engine, p.city, "Alte Welle")
    submit_response(engine, make_payload(old, "Q2", {CRIT: 5}))
    close_campaign(engine, old, actor=SYSTEM)
    make_drafts(engine, p.city.campaign_id, dt.datetime.now(dt.UTC), (1, 9))
    yield p
    engine.dispose()


def planted_url() -> str:
    return os.environ["STADTRAUM_DATABASE_URL"]


def _page(role: str = "admin") -> AppTest:
    at = AppTest.from_file(str(ROOT / "pages" / "privacy.py"), default_timeout=120)
    at.session_state["user"] = AuthUser(id=1, name="ada", role=role)
    return run(at)


def _notes(elements: object) -> list[str]:
    """Alert texts without md_literal's escapes."""
    return [e.value.replace("\\", "") for e in elements]  # type: ignore[attr-defined]


def _texts(at: AppTest) -> list[str]:
    return [t.value for t in at.text]


@pytest.mark.parametrize("role", ["helper", "planner", "moderator"])
def test_other_roles_do_not_reach_the_page(planted: Planted, role: str) -> None:
    at = _page(role)
    assert any("nicht freigegeben" in e.value for e in at.error)
    assert not at.text_input and not at.button


def test_find_confirm_and_delete_a_response(planted: Planted) -> None:
    at = _page()
    assert at.title[0].value == "Datenschutz"
    at.text_input(key="dp_number").input(short_number(planted.target).lower())
    click(at, "dp_find")
    texts = _texts(at)
    assert f"Antwortnummer: {short_number(planted.target)}" in texts
    assert f"Befragung: {HOSTILE}" in texts  # literal text, never markdown
    assert "Gebiet: Quartier Q1 (Q1)" in texts and "Fassungen (mit Korrekturen): 2" in texts
    assert not any("Bewertung" in t or planted.marker in t for t in texts)  # no content
    assert at.button(key="dp_delete").disabled
    at.checkbox(key="dp_sure").check()
    run(at)
    click(at, "dp_delete")
    assert any("Die Antwort ist gelöscht: 2 Fassungen, " in s for s in _notes(at.success))
    assert count_rows(make_engine(planted_url()), "responses") == 6
    # the page's warm engine stored a fresh snapshot (the deletion removed every one)
    assert count_rows(make_engine(planted_url()), "stats_snapshots") == 1


@pytest.mark.parametrize(("typed", "words"), [
    ("", "Bitte eine Antwortnummer eingeben"),
    ("3F2A", "keine Antwortnummer"),
    ("0000-0000-0000", "keine gespeicherte Antwort"),
])
def test_a_bad_number_shows_the_german_error(planted: Planted, typed: str, words: str) -> None:
    at = _page()
    at.text_input(key="dp_number").input(typed)
    click(at, "dp_find")
    assert any(words in e for e in _notes(at.error))
    assert not [c for c in at.checkbox if c.key == "dp_sure"]
    assert count_rows(make_engine(planted_url()), "responses") == 8


def test_purge_a_closed_campaign_after_seeing_the_counts(planted: Planted) -> None:
    at = _page()
    assert at.selectbox(key="dp_purge_c").options == ["Alte Welle"]
    assert "Antworten: 1" in _texts(at) and "Kommentare: 0" in _texts(at)
    box = next(c for c in at.checkbox if c.key.startswith("dp_purge_ok_"))
    assert at.button(key="dp_purge").disabled
    box.check()
    run(at)
    click(at, "dp_purge")
    assert any("Rohdaten gelöscht: 1 Antwort, " in s for s in _notes(at.success))
    engine = make_engine(planted_url())
    assert count_rows(engine, "responses") == 7
    assert count_rows(engine, "stats_snapshots") == 1
    assert any("Keine abgeschlossene Befragung" in i.value for i in at.info)


def test_expire_old_drafts(planted: Planted) -> None:
    at = _page()
    click(at, "dp_drafts")
    assert any("1 Entwurf gelöscht" in s for s in _notes(at.success))
    assert count_rows(make_engine(planted_url()), "interview_drafts") == 1
    click(at, "dp_maint")
    assert any("Rohdaten nach Ablauf der Frist gelöscht: keine" in s for s in _notes(at.success))
