"""Plausibility flags of online responses (pure, table-driven)."""

from __future__ import annotations

import pytest

from stadtraum.citizen.plausibility import (
    STRAIGHT_LINE_MIN,
    plausibility_flags,
    reason_codes,
    reason_text,
    status_reason,
)
from stadtraum.criteria import get_catalogue

IDS = get_catalogue().ids


def ratings(scores: list[int | None]) -> dict[str, int | None]:
    return dict(zip(IDS, scores, strict=False))


VARIED = [5, 3, 4, 6, 2, 7, 5, 4, 3, 6, 5, 2, 4, 6]


@pytest.mark.parametrize("scores, seconds, per_answer, expected", [
    (VARIED, 200, 2, ()),
    (VARIED, 27.9, 2, ("too_fast",)),  # 14 ratings need 28 s
    (VARIED, 28, 2, ()),
    (VARIED[:3], 7, 2, ()),  # three ratings need 6 s
    (VARIED[:3], 5, 2, ("too_fast",)),
    (VARIED, 1, 0, ()),  # 0 switches the time check off
    ([4] * 14, 200, 2, ("straight_lined",)),
    ([4] * 14, 10, 2, ("too_fast", "straight_lined")),
    ([1] * STRAIGHT_LINE_MIN, 100, 2, ("straight_lined",)),
    ([1] * (STRAIGHT_LINE_MIN - 1), 100, 2, ()),  # too few to tell
    ([7] * 8 + [None] * 6, 100, 2, ("straight_lined",)),  # keine Angabe does not count
    ([7] * 13 + [6], 100, 2, ()),
    ([None] * 14, 0, 2, ()),  # nothing answered, nothing to judge
])
def test_flags(scores: list[int | None], seconds: float, per_answer: float,
               expected: tuple[str, ...]) -> None:
    flags = plausibility_flags(ratings(scores), seconds, per_answer)
    assert tuple(f.code for f in flags) == expected
    for flag in flags:
        assert flag.message_de and flag.message_en


def test_german_reasons_explain_and_round_trip_the_codes() -> None:
    flags = plausibility_flags(ratings([4] * 14), 10, 2)
    reason = status_reason(flags)
    assert reason is not None
    assert "sehr schnell ausgefüllt (10 s für 14 Bewertungen" in reason
    assert "alle 14 Bewertungen gleich (4)" in reason
    assert reason_codes(reason) == ("too_fast", "straight_lined")
    assert status_reason(()) is None and reason_codes(None) == ()


@pytest.mark.parametrize(("stored", "shown"), [
    (None, ""),
    ("too_fast: sehr schnell ausgefüllt (3 s für 2 Bewertungen, erwartet mindestens 4 s)",
     "sehr schnell ausgefüllt (3 s für 2 Bewertungen, erwartet mindestens 4 s)"),
    ("straight_lined: alle 9 Bewertungen gleich (4); burst: Häufung im Gebiet: 11. "
     "Online-Antwort innerhalb einer Stunde (Schwelle 10)",
     "alle 9 Bewertungen gleich (4); Häufung im Gebiet: 11. Online-Antwort innerhalb einer "
     "Stunde (Schwelle 10)"),
    ("von Hand markiert: Test", "von Hand markiert: Test"),  # no code: shown as it is
])
def test_reason_text_shows_no_internal_codes(stored: str | None, shown: str) -> None:
    assert reason_text(stored) == shown
