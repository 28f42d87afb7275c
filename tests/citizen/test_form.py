"""The citizens' form wizard state (pure): steps, what blocks going on, the payload."""

from __future__ import annotations

import datetime as dt

import pytest

from stadtraum.citizen.form import ABOUT, AREA, NO_ANSWER, WELCOME, CitizenForm
from stadtraum.citizen.texts import PRIVACY, TEXTS, privacy, text
from stadtraum.criteria import get_catalogue

CAT = get_catalogue()
TODAY = dt.date(2025, 6, 1)


def test_steps_and_the_welcome_step_is_left_only_by_starting() -> None:
    form = CitizenForm(campaign_id=1)
    assert form.steps(CAT) == [WELCOME, AREA, *CAT.ids, ABOUT]
    assert form.missing(CAT) == "consent"
    form.consent = True
    form.go(+1, CAT)  # consent alone does not start the clock: stays on the welcome step
    assert form.step == 0 and not form.started
    with pytest.raises(ValueError):
        CitizenForm(campaign_id=1).start(1.0, TODAY)  # no consent, no start
    form.start(100.0, TODAY)
    assert (form.step, form.started_at, form.started_on) == (1, 100.0, "2025-06-01")
    assert form.missing(CAT) == "area"
    form.go(+1, CAT)
    assert form.step == 1
    form.area_code = "Q1"
    form.go(+1, CAT)
    assert form.current(CAT) == CAT.ids[0]
    form.go(-1, CAT)
    form.go(-1, CAT)  # never back to the welcome step once started
    assert form.current(CAT) == AREA


def test_last_step_needs_a_rating_and_a_frozen_form_does_not_move() -> None:
    form = CitizenForm(campaign_id=1, consent=True, area_code="Q1")
    form.start(0.0, TODAY)
    form.step = len(form.steps(CAT)) - 1
    assert form.is_last(CAT) and form.missing(CAT) == "rating"
    form.ratings = {CAT.ids[0]: NO_ANSWER}
    assert form.missing(CAT) == "rating"  # keine Angabe is not a rating
    form.ratings[CAT.ids[1]] = 3
    assert form.missing(CAT) is None
    form.freeze(60.0)
    form.go(-1, CAT)
    assert form.is_last(CAT)


def test_payload_is_anonymous_online_and_leaves_out_keine_angabe() -> None:
    form = CitizenForm(campaign_id=7, consent=True, area_code="Q2")
    form.start(0.0, TODAY)
    form.ratings = {"housing": 2, "feeling_safe": NO_ANSWER, "moving_around": 6}
    form.comments = {"housing": {"good": "  ", "better": "Mieten"}}
    form.age_band = "65plus"
    p = form.payload()
    assert (p.mode, p.campaign_id, p.area_code, p.entered_by) == ("online", 7, "Q2", None)
    assert dict(p.ratings) == {"housing": 2, "moving_around": 6}
    assert [(c.criterion_id, c.kind, c.text) for c in p.comments] == [
        ("housing", "better", "Mieten")]
    assert p.survey_date == TODAY and p.age_band == "65plus"
    assert p.lon is None and p.lat is None  # no device location, ever


def test_every_text_exists_in_three_languages() -> None:
    for key, variants in TEXTS.items():
        assert len(variants) == 3 and all(v.strip() for v in variants), key
    assert set(PRIVACY) == {"de", "plain", "en"}
    paragraphs, contact = privacy("plain", 5, "")
    assert any("Mindestens 5 Menschen" in p for p in paragraphs)
    assert contact.endswith("die Stadt-Verwaltung")
    assert privacy("de", 5, "datenschutz@example.de")[1] == (
        "Fragen zum Datenschutz: datenschutz@example.de")
    assert text("step_of", "en", number=2, total=14) == "Question 2 of 14"
