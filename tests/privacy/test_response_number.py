"""The response number: the short printable form of the UUID and what a lookup accepts."""

from __future__ import annotations

import uuid

import pytest

from stadtraum.errors import ValidationError
from stadtraum.privacy.response_number import ParsedNumber, parse_number, short_number

U = "3f2a9c1b-04d7-4e2a-9b11-0123456789ab"


def test_the_short_form_is_the_first_twelve_hex_digits_in_three_groups() -> None:
    assert short_number(U) == "3F2A-9C1B-04D7"
    assert short_number(U.upper()) == "3F2A-9C1B-04D7"


@pytest.mark.parametrize("typed", ["3F2A-9C1B-04D7", "3f2a9c1b04d7", " 3f2a 9c1b 04d7 ",
                                   "3F2A–9C1B–04D7"])
def test_the_short_form_in_any_case_with_or_without_dashes(typed: str) -> None:
    assert parse_number(typed) == ParsedNumber(prefix="3f2a9c1b-04d7")


@pytest.mark.parametrize("typed", [U, U.upper(), U.replace("-", ""), f"  {U}  "])
def test_the_full_uuid(typed: str) -> None:
    assert parse_number(typed) == ParsedNumber(full=U)


def test_every_uuid_round_trips_through_its_short_form() -> None:
    for _ in range(200):
        u = str(uuid.uuid4())
        prefix = parse_number(short_number(u)).prefix
        assert prefix is not None and u.startswith(prefix + "-")


@pytest.mark.parametrize(("typed", "words"), [
    ("", "Bitte eine Antwortnummer eingeben"),
    ("-- --", "Bitte eine Antwortnummer eingeben"),
    ("3F2A-9C1B-04D", "keine Antwortnummer"),
    ("3F2A-9C1B-04D7-1", "keine Antwortnummer"),
    ("3G2A-9C1B-04D7", "keine Antwortnummer"),
    ("<img src=x onerror=alert(1)>", "keine Antwortnummer"),
])
def test_malformed_numbers_get_a_german_error_naming_the_field(typed: str, words: str) -> None:
    with pytest.raises(ValidationError) as err:
        parse_number(typed)
    assert words in err.value.message_de and err.value.field == "number"
