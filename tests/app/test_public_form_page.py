"""AppTest flows of the citizens' anonymous form (no sign-in): the token check, a complete
submission, a flagged one, and the rate limit."""

from __future__ import annotations

import time

import pytest
from sqlalchemy import text
from streamlit.testing.v1 import AppTest

from stadtraum.accounts.permissions import SYSTEM, Actor
from stadtraum.accounts.users import create_user
from stadtraum.citizen.form import CitizenForm
from stadtraum.citizen.invitations import code_digest, generate_codes, set_codes_required
from stadtraum.citizen.public_link import disable_public_link, enable_public_link
from stadtraum.criteria import get_catalogue
from stadtraum.store.campaigns import set_campaign_status
from stadtraum.store.engine import make_engine
from stadtraum.store.migrate import migrate
from tests.app.conftest import ROOT
from tests.app.flow import click as _click
from tests.app.flow import run as _run
from tests.helpers import count_rows, make_city

IDS = list(get_catalogue().ids)
SCORES = [5, 3, 4, 6, 2, 7, 5, 4, 3, 6, 5, 2, 4, 0]  # 0 = keine Angabe


@pytest.fixture
def public(app_db: str, monkeypatch: pytest.MonkeyPatch) -> tuple[str, str, int]:
    """A small city with an open campaign whose public link is on: (url, token, campaign)."""
    monkeypatch.setenv("STADTRAUM_DEMO_ON_EMPTY", "0")
    engine = make_engine(app_db)
    migrate(engine)
    city = make_city(engine, min_n=1)
    token = enable_public_link(engine, city.campaign_id, actor=Actor("admin", "admin"))
    create_user(engine, "ada", "admin", "Sieben-Brücken-2027", actor=SYSTEM)  # set up already
    engine.dispose()
    return app_db, token, city.campaign_id


def _open(token: str, code: str | None = None) -> AppTest:
    at = AppTest.from_file(str(ROOT / "streamlit_app.py"), default_timeout=120)
    at.query_params["t"] = token
    if code is not None:
        at.query_params["c"] = code
    return _run(at)


def _form(at: AppTest) -> CitizenForm:
    form = at.session_state["citizen_form"]
    assert isinstance(form, CitizenForm)
    return form


def _begin(token: str) -> AppTest:
    at = _open(token)
    at.checkbox(key="pub_consent").check()
    return _click(at, "pub_start")


def _jump_to_send(at: AppTest, scores: dict[str, int]) -> AppTest:
    """Skip the clicking through all steps (tested in the full flow): fill the form state."""
    form = _form(at)
    form.area_code, form.ratings = "Q1", dict(scores)
    form.step = len(form.steps(get_catalogue())) - 1
    form.started_at = (form.started_at or time.time()) - 3600  # a patient citizen
    return _run(at)


def test_wrong_token_shows_no_form(public: tuple[str, str, int]) -> None:
    _, token, _ = public
    near = token[:-1] + ("A" if token[-1] != "A" else "B")  # one character off
    for wrong in ("falsch", near, ""):
        at = _open(wrong) if wrong else _run(AppTest.from_file(
            str(ROOT / "streamlit_app.py"), default_timeout=120))
        if not wrong:  # no token at all: the normal sign-in page
            assert "Anmelden" in [s.value for s in at.subheader]
            continue
        assert any("ungültig oder nicht mehr aktiv" in e.value for e in at.error)
        assert not at.checkbox and not at.button and not at.text_input  # no form, no sign-in
        assert "citizen_form" not in at.session_state


def test_switched_off_link_shows_no_form(public: tuple[str, str, int]) -> None:
    url, token, campaign_id = public
    engine = make_engine(url)
    disable_public_link(engine, campaign_id, actor=Actor("admin", "admin"))
    engine.dispose()
    at = _open(token)
    assert any("ungültig oder nicht mehr aktiv" in e.value for e in at.error)
    assert not at.checkbox


def test_closed_campaign_shows_a_friendly_notice(public: tuple[str, str, int]) -> None:
    url, token, campaign_id = public
    engine = make_engine(url)
    set_campaign_status(engine, campaign_id, "closed")
    engine.dispose()
    at = _open(token)
    assert [i.value for i in at.info] == ["Diese Befragung ist beendet. Danke für Ihr Interesse!"]
    assert not at.error and not at.checkbox


def test_complete_anonymous_submission_stores_exactly_one_online_response(
        public: tuple[str, str, int]) -> None:
    url, token, _ = public
    at = _open(token)
    assert at.title[0].value == "Wie lebenswert ist Ihr Viertel?"
    assert not at.text_input  # no sign-in
    _click(at, "pub_start")  # without consent: refused in German
    assert any("bestätigen Sie zuerst" in e.value for e in at.error)
    at.checkbox(key="pub_consent").check()
    _click(at, "pub_start")
    _click(at, "pub_next")  # no area yet
    assert any("zuerst ein Gebiet" in e.value for e in at.error)
    at.selectbox(key="pub_area").set_value("Q2")
    _click(at, "pub_next")
    for crit, score in zip(IDS, SCORES, strict=True):
        at.button_group(key=f"pub_rate_{crit}").set_value(score)
        if crit == "housing":
            at.text_area(key="pub_c_housing_better").input("<img src=x onerror=alert(1)> Mieten")
        _click(at, "pub_next")
    at.button_group(key="pub_age_band").set_value("30_44")
    _form(at).started_at -= 3600  # as if the citizen took their time
    _click(at, "pub_send")
    assert any("Vielen Dank" in s.value for s in at.success)
    _run(at)  # a rerun (double tap, reload of the session) stores nothing new
    engine = make_engine(url)
    assert count_rows(engine, "responses") == 1
    with engine.connect() as conn:
        mode, status, age, entered_by = conn.execute(text(
            "SELECT mode, status, age_band, entered_by FROM responses")).one()
        ratings = dict(conn.execute(text("SELECT criterion_id, score FROM ratings")).all())
        comment = conn.execute(text("SELECT text FROM comments")).scalar_one()
    engine.dispose()
    assert (mode, status, age, entered_by) == ("online", "valid", "30_44", None)
    assert ratings == {c: s for c, s in zip(IDS, SCORES, strict=True) if s}
    assert comment == "<img src=x onerror=alert(1)> Mieten"
    # the thank-you page: own radar against the area's result (min_n = 1 here) and a table
    assert at.get("plotly_chart")
    table = at.dataframe[0].value
    assert list(table.columns) == ["Thema", "Sie", "Quartier Q2"]
    assert table["Sie"].tolist()[:3] == [5, 3, 4]


def test_fast_straight_lined_response_is_stored_flagged(public: tuple[str, str, int]) -> None:
    url, token, _ = public
    at = _begin(token)
    form = _form(at)
    form.area_code, form.ratings = "Q1", dict.fromkeys(IDS, 4)
    form.step = len(form.steps(get_catalogue())) - 1  # a bot: seconds, not minutes
    _run(at)
    _click(at, "pub_send")
    assert any("Vielen Dank" in s.value for s in at.success)  # the bot is not told
    engine = make_engine(url)
    with engine.connect() as conn:
        status, reason = conn.execute(text("SELECT status, status_reason FROM responses")).one()
    engine.dispose()
    assert status == "flagged"
    assert "too_fast" in reason and "straight_lined" in reason


def test_rate_limit_refuses_in_german_after_n_submissions(public: tuple[str, str, int],
                                                          monkeypatch: pytest.MonkeyPatch) -> None:
    url, token, _ = public
    monkeypatch.setenv("STADTRAUM_PUBLIC_MAX_SUBMISSIONS_PER_HOUR", "2")
    varied = dict(zip(IDS, SCORES, strict=True))
    for _ in range(2):
        at = _jump_to_send(_begin(token), varied)
        _click(at, "pub_send")
        assert any("Vielen Dank" in s.value for s in at.success)
    at = _jump_to_send(_begin(token), varied)
    _click(at, "pub_send")
    assert any("Von Ihrem Internetanschluss wurden in der letzten Stunde schon sehr viele "
               "Fragebögen abgeschickt" in e.value for e in at.error)
    assert not at.success
    at.button_group(key="pub_lang").set_value("en")
    _run(at)
    assert any("Very many forms" in e.value for e in at.error)
    engine = make_engine(url)
    assert count_rows(engine, "responses") == 2
    engine.dispose()


def test_plain_language_and_english(public: tuple[str, str, int]) -> None:
    _, token, _ = public
    at = _open(token)
    at.button_group(key="pub_lang").set_value("plain")
    _run(at)
    assert at.title[0].value == "Wie gut ist es in Ihrem Viertel?"
    assert any("Wir speichern nicht" in t.value for t in at.text)
    at.checkbox(key="pub_consent").check()
    _click(at, "pub_start")
    at.selectbox(key="pub_area").set_value("Q1")
    _click(at, "pub_next")
    # catalogue texts are shown literally (md_literal): "?" arrives escaped as "\?"
    assert any("Kann ich hier gut zu Fuß gehen und Rad fahren\\?" in m.value for m in at.markdown)
    at.button_group(key="pub_lang").set_value("en")
    _run(at)
    assert any("Can I easily walk\\, wheel and cycle" in m.value for m in at.markdown)
    assert at.button(key="pub_next").label == "Next"


@pytest.fixture
def with_codes(public: tuple[str, str, int]) -> tuple[str, str, int, list[str]]:
    """The same campaign, now sending only with a one-time invitation code."""
    url, token, campaign_id = public
    engine = make_engine(url)
    set_codes_required(engine, campaign_id, True, actor=SYSTEM)
    codes = generate_codes(engine, campaign_id, 2, actor=SYSTEM)
    engine.dispose()
    return url, token, campaign_id, codes


def _used(url: str) -> int:
    engine = make_engine(url)
    n = count_rows(engine, "invitation_codes", "used")
    engine.dispose()
    return n


def test_a_typed_code_is_checked_at_the_start_and_used_by_the_send(
        with_codes: tuple[str, str, int, list[str]]) -> None:
    url, token, _, [code, _other] = with_codes
    at = _open(token)
    assert at.text_input(key="pub_code").label.startswith("Einladungscode")
    at.checkbox(key="pub_consent").check()
    _click(at, "pub_start")  # no code
    assert any("brauchen Sie einen Einladungscode" in e.value for e in at.error)
    assert not _form(at).started
    at.text_input(key="pub_code").input("ABCD-EFGH-JKMN")  # not one of ours
    _click(at, "pub_start")
    assert any("ungültig oder wurde schon verwendet" in e.value for e in at.error)
    assert not _form(at).started
    at.text_input(key="pub_code").input(code.lower().replace("-", " "))
    _click(at, "pub_start")
    assert _form(at).started and not at.error
    _jump_to_send(at, {"moving_around": 5, "housing": 3})
    _click(at, "pub_send")
    assert any("Vielen Dank" in s.value for s in at.success)
    assert _used(url) == 1
    engine = make_engine(url)
    assert count_rows(engine, "responses") == 1
    engine.dispose()


def test_a_code_in_the_link_works_once_and_is_refused_in_english_too(
        with_codes: tuple[str, str, int, list[str]]) -> None:
    url, token, _, [code, _other] = with_codes
    at = _open(token, code)
    assert at.text_input(key="pub_code").value == code  # filled in from the link
    at.checkbox(key="pub_consent").check()
    _click(at, "pub_start")
    _jump_to_send(at, {"moving_around": 5})
    _click(at, "pub_send")
    assert any("Vielen Dank" in s.value for s in at.success)
    again = _open(token, code)  # the same letter, another phone
    again.segmented_control(key="pub_lang").set_value("en")
    _run(again)
    again.checkbox(key="pub_consent").check()
    _click(again, "pub_start")
    assert any("not valid or has already been used" in e.value for e in again.error)
    assert not _form(again).started and _used(url) == 1


def test_a_code_used_meanwhile_can_be_replaced_before_sending(
        with_codes: tuple[str, str, int, list[str]]) -> None:
    url, token, campaign_id, [code, other] = with_codes
    at = _open(token)
    at.text_input(key="pub_code").input(code)
    at.checkbox(key="pub_consent").check()
    _click(at, "pub_start")
    _jump_to_send(at, {"moving_around": 5})
    engine = make_engine(url)  # someone else sends with the same code first
    with engine.begin() as conn:
        conn.execute(text("UPDATE invitation_codes SET used = :u WHERE campaign_id = :c"),
                     {"u": True, "c": campaign_id})
    with engine.begin() as conn:  # ... and only the other code is left unused
        conn.execute(text("UPDATE invitation_codes SET used = :u WHERE code_hash = :h"),
                     {"u": False, "h": code_digest(other)})
    engine.dispose()
    _click(at, "pub_send")
    assert any("ungültig oder wurde schon verwendet" in e.value for e in at.error)
    assert not _form(at).sent
    at.text_input(key="pub_code").input(other)  # shown again on the last step
    _click(at, "pub_send")
    assert any("Vielen Dank" in s.value for s in at.success)


def test_without_required_codes_there_is_no_code_field(public: tuple[str, str, int]) -> None:
    _, token, _ = public
    assert not _open(token).text_input
