"""The interview wizard's state (pure): steps, guards, payload, freezing, JSON round trip."""

from __future__ import annotations

import datetime as dt

from stadtraum.collect.interview import ABOUT, AREA, CONSENT, PRIORITIES, REVIEW, Interview
from stadtraum.collect.payload import content_hash
from stadtraum.criteria import get_catalogue

CAT = get_catalogue()


def test_steps_are_area_consent_criteria_priorities_about_review() -> None:
    steps = Interview.steps(CAT)
    assert steps[:2] == [AREA, CONSENT] and steps[-3:] == [PRIORITIES, ABOUT, REVIEW]
    assert steps[2:-3] == list(CAT.ids) and len(steps) == 19


def test_guards_block_advancing_without_area_consent_or_rating() -> None:
    iv = Interview(campaign_id=1, entered_by="helfer")
    iv.advance(CAT)
    assert iv.step == 0 and iv.can_advance(CAT) == "Bitte zuerst das Gebiet wählen."
    iv.area_code = "101"
    iv.advance(CAT)
    assert iv.current(CAT) == CONSENT
    iv.advance(CAT)
    assert iv.step == 1 and "Einwilligung" in (iv.can_advance(CAT) or "")
    iv.consent = True
    for _ in range(30):
        iv.advance(CAT)
    assert iv.current(CAT) == REVIEW
    assert iv.can_advance(CAT) == "Mindestens ein Thema muss bewertet sein."
    iv.back()
    assert iv.current(CAT) == ABOUT


def test_payload_leaves_out_no_answer_and_empty_comments() -> None:
    iv = Interview(campaign_id=3, entered_by="helfer", area_code="101",
                   ratings={"moving_around": 5, "housing": 0},
                   comments={"moving_around": {"good": " Breite Wege ", "better": "  "}},
                   priorities=["housing"], age_band="30_44", started_on="2026-05-04")
    p = iv.payload()
    assert dict(p.ratings) == {"moving_around": 5}
    assert [(c.criterion_id, c.kind, c.text) for c in p.comments] == [
        ("moving_around", "good", " Breite Wege ")]
    assert p.mode == "street" and p.entered_by == "helfer"
    assert p.survey_date == dt.date(2026, 5, 4) and p.priorities == ("housing",)


def test_frozen_payload_does_not_change_when_the_state_does() -> None:
    iv = Interview(campaign_id=3, entered_by="helfer", area_code="101",
                   ratings={"moving_around": 5})
    first = iv.freeze()
    iv.ratings["moving_around"] = 1  # e.g. a stray tap after "Senden"
    assert iv.frozen and content_hash(iv.payload()) == content_hash(first)
    assert content_hash(iv.freeze()) == content_hash(first)


def test_json_round_trip_keeps_everything_including_the_frozen_payload() -> None:
    iv = Interview(campaign_id=3, entered_by="helfer", area_code="101", consent=True, step=5,
                   ratings={"moving_around": 5}, comments={"housing": {"better": "<b>x</b>"}})
    iv.freeze()
    back = Interview.from_json(iv.to_json())
    assert back == iv
    assert content_hash(back.payload()) == content_hash(iv.payload())
