"""Payload validation (DESIGN §7: bad input gives a clear error naming the field) and the
content fingerprint that makes resends idempotent."""

from __future__ import annotations

import dataclasses
import datetime as dt
from typing import Any

import numpy as np
import pytest

from stadtraum.collect.payload import (
    MAX_COMMENT_CHARS,
    CommentIn,
    ResponsePayload,
    content_hash,
    validate_payload,
)
from stadtraum.criteria import get_catalogue
from stadtraum.errors import ValidationError

CAT = get_catalogue()
RID = "6f1c2a3b-4d5e-4f60-8a7b-9c0d1e2f3a4b"


def payload(**changes: Any) -> ResponsePayload:
    base = ResponsePayload(
        response_id=RID, campaign_id=1, mode="street", area_code="Q1",
        ratings={"moving_around": 4, "housing": 2},
        comments=(CommentIn("housing", "better", "Mieten zu hoch"),),
        priorities=("housing",), age_band="30_44", gender="female", relation="live",
        survey_date=dt.date(2025, 5, 6))
    return dataclasses.replace(base, **changes)


def test_valid_payload_is_normalised() -> None:
    p = validate_payload(payload(
        response_id=RID.upper(), area_code=" Q1 ",
        ratings={"housing": "2", "feeling_safe": None, "moving_around": 4.0},
        comments=(CommentIn("housing", "good", "  Ruhig  "), CommentIn("housing", "better", " "))),
        CAT)
    assert p.response_id == RID
    assert p.area_code == "Q1"
    # catalogue order, ints, "keine Angabe" (None) dropped
    assert list(p.ratings.items()) == [("moving_around", 4), ("housing", 2)]
    assert all(type(v) is int for v in p.ratings.values())
    assert p.comments == (CommentIn("housing", "good", "Ruhig"),)


@pytest.mark.parametrize(
    ("ratings", "field", "german"),
    [
        ({"moving_around": 0}, "moving_around", "außerhalb von 1 bis 7"),
        ({"moving_around": 8}, "moving_around", "außerhalb von 1 bis 7"),
        ({"moving_around": -3}, "moving_around", "außerhalb von 1 bis 7"),
        ({"moving_around": "x"}, "moving_around", "keine ganze Zahl"),
        ({"moving_around": ""}, "moving_around", "keine ganze Zahl"),
        ({"moving_around": "8"}, "moving_around", "außerhalb von 1 bis 7"),
        ({"moving_around": 3.5}, "moving_around", "keine ganze Zahl"),
        ({"moving_around": float("nan")}, "moving_around", "keine ganze Zahl"),
        ({"moving_around": float("inf")}, "moving_around", "keine ganze Zahl"),
        ({"moving_around": True}, "moving_around", "keine Zahl"),
        ({"moving_around": [4]}, "moving_around", "keine Zahl"),
        ({"housing": 3, "parking_lots": 4}, "parking_lots", "Unbekanntes Kriterium"),
        ({}, "ratings", "Mindestens eine Bewertung"),
        ({"moving_around": None, "housing": None}, "ratings", "Mindestens eine Bewertung"),
    ],
    ids=lambda v: repr(v)[:40],
)
def test_bad_ratings_name_the_field(ratings: dict[str, Any], field: str, german: str) -> None:
    with pytest.raises(ValidationError) as exc:
        validate_payload(payload(ratings=ratings), CAT)
    assert exc.value.field == field
    assert german in exc.value.message_de
    assert "Bewertung" in exc.value.message_de or "Kriterium" in exc.value.message_de


@pytest.mark.parametrize(
    ("changes", "field", "german"),
    [
        ({"priorities": ("housing", "moving_around", "feeling_safe", "natural_space")},
         "priorities", "Höchstens 3"),
        ({"priorities": ("housing", "housing")}, "priorities", "verschiedene Prioritäten"),
        ({"priorities": ("parking_lots",)}, "priorities", "unbekanntes Kriterium"),
        ({"age_band": "40"}, "age_band", "Altersgruppe"),
        ({"gender": "w"}, "gender", "Geschlecht"),
        ({"relation": "pendle"}, "relation", "Bezug zum Ort"),
        ({"mode": "telephone"}, "mode", "Erhebungsart"),
        ({"comments": (CommentIn("housing", "bad", "x"),)}, "comments", "Kommentarart"),
        ({"comments": (CommentIn("parking_lots", "good", "x"),)}, "comments",
         "unbekanntem Kriterium"),
        ({"comments": (CommentIn("housing", "good", "x" * (MAX_COMMENT_CHARS + 1)),)},
         "comments", "länger als"),
        ({"response_id": "12345"}, "response_id", "keine UUID"),
        ({"response_id": ""}, "response_id", "keine UUID"),
        ({"participants": 5}, "participants", "Fokusgruppen"),
        ({"participants": 0, "mode": "focus_group"}, "participants", "Teilnehmendenzahl"),
        ({"lon": 7.2}, "location", "Länge und Breite"),
        ({"area_code": None}, "area", "Gebiet fehlt"),
    ],
    ids=lambda v: repr(v)[:40],
)
def test_bad_fields_are_named(changes: dict[str, Any], field: str, german: str) -> None:
    with pytest.raises(ValidationError) as exc:
        validate_payload(payload(**changes), CAT)
    assert exc.value.field == field
    assert german in exc.value.message_de


def test_numpy_numbers_from_a_table_are_ratings_too() -> None:
    p = validate_payload(payload(ratings={"moving_around": np.int64(4), "housing": np.float64(2.0),
                                          "feeling_safe": np.uint8(7)}), CAT)
    assert p.ratings == {"moving_around": 4, "housing": 2, "feeling_safe": 7}
    assert all(type(v) is int for v in p.ratings.values())
    for bad in (np.int64(8), np.float32(2.5), np.bool_(True)):
        with pytest.raises(ValidationError) as exc:
            validate_payload(payload(ratings={"housing": bad}), CAT)
        assert exc.value.field == "housing"


def test_three_priorities_and_focus_group_participants_are_fine() -> None:
    p = validate_payload(payload(priorities=("housing", "moving_around", "feeling_safe"),
                                 mode="focus_group", participants=8), CAT)
    assert p.priorities == ("housing", "moving_around", "feeling_safe")
    assert p.participants == 8


def test_location_instead_of_area_code_is_fine() -> None:
    p = validate_payload(payload(area_code=None, lon=7.21, lat=51.46), CAT)
    assert (p.lon, p.lat, p.area_code) == (7.21, 51.46, None)


# ------------------------------------------------------------------------- content hash


def _hash(p: ResponsePayload) -> str:
    return content_hash(validate_payload(p, CAT))


def test_equal_content_gives_equal_hash() -> None:
    a = payload(ratings={"moving_around": 4, "housing": 2})
    b = payload(ratings={"housing": "2", "moving_around": 4.0, "feeling_safe": None},
                response_id=RID.upper(), area_code="Q1 ")
    assert _hash(a) == _hash(b)
    assert len(_hash(a)) == 64


@pytest.mark.parametrize(
    "changes",
    [
        {"ratings": {"moving_around": 5, "housing": 2}},
        {"ratings": {"moving_around": 4}},
        {"ratings": {"moving_around": 4, "housing": 2, "feeling_safe": 1}},
        {"comments": (CommentIn("housing", "better", "Mieten viel zu hoch"),)},
        {"comments": (CommentIn("housing", "good", "Mieten zu hoch"),)},
        {"priorities": ("moving_around",)},
        {"priorities": ()},
        {"area_code": "Q2"},
        {"mode": "paper"},
        {"age_band": "65plus"},
        {"survey_date": dt.date(2025, 5, 7)},
        {"response_id": "6f1c2a3b-4d5e-4f60-8a7b-9c0d1e2f3a4c"},
        {"campaign_id": 2},
    ],
    ids=lambda v: repr(v)[:40],
)
def test_different_content_gives_different_hash(changes: dict[str, Any]) -> None:
    assert _hash(payload()) != _hash(payload(**changes))
