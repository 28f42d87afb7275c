"""The fixed colour scales: explicit bins, edges, colour-blind-safe ordering by lightness."""

from __future__ import annotations

import math
from itertools import pairwise

import pytest
from hypothesis import given
from hypothesis import strategies as st

from stadtraum.maps.colours import (
    CHANGE_SCALE,
    HATCH_GREY,
    NO_DATA_COLOUR,
    RATING_SCALE,
    SUPPRESSED_GREY,
    ColourScale,
    decimal_de,
)

YLGNBU = ["#ffffcc", "#c7e9b4", "#7fcdbb", "#41b6c4", "#2c7fb8", "#253494"]
PUOR = ["#b35806", "#f1a340", "#fee0b6", "#f7f7f7", "#d8daeb", "#998ec3", "#542788"]


def luminance(colour: str) -> float:
    """WCAG relative luminance of #rrggbb."""
    def channel(c: int) -> float:
        s = c / 255
        return s / 12.92 if s <= 0.03928 else ((s + 0.055) / 1.055) ** 2.4
    r, g, b = (int(colour[i:i + 2], 16) for i in (1, 3, 5))
    return 0.2126 * channel(r) + 0.7152 * channel(g) + 0.0722 * channel(b)


@pytest.mark.parametrize(("value", "colour"), [
    (1.0, YLGNBU[0]), (1.999, YLGNBU[0]), (2.0, YLGNBU[1]), (3.5, YLGNBU[2]),
    (4.0, YLGNBU[3]), (5.0197, YLGNBU[4]), (5.99, YLGNBU[4]), (6.0, YLGNBU[5]),
    (7.0, YLGNBU[5]), (7.0 + 1e-12, YLGNBU[5]), (None, None), (math.nan, None),
])
def test_rating_colours_for_given_values(value: float | None, colour: str | None) -> None:
    assert RATING_SCALE.colour_for(value) == colour


@pytest.mark.parametrize(("value", "colour"), [
    (-6.0, PUOR[0]), (-1.01, PUOR[0]), (-1.0, PUOR[1]), (-0.5, PUOR[2]), (-0.21, PUOR[2]),
    (-0.2, PUOR[3]), (0.0, PUOR[3]), (0.19, PUOR[3]), (0.2, PUOR[4]), (0.5, PUOR[5]),
    (0.99, PUOR[5]), (1.0, PUOR[6]), (6.0, PUOR[6]),
])
def test_change_colours_for_given_values(value: float, colour: str) -> None:
    assert CHANGE_SCALE.colour_for(value) == colour


@pytest.mark.parametrize(("scale", "value"), [(RATING_SCALE, 0.99), (RATING_SCALE, 7.01),
                                              (RATING_SCALE, 0.0), (CHANGE_SCALE, 6.5),
                                              (CHANGE_SCALE, -7.0)])
def test_values_outside_the_scale_are_an_error(scale: ColourScale, value: float) -> None:
    with pytest.raises(ValueError, match="outside"):
        scale.colour_for(value)


def test_rating_bins_are_fixed_contiguous_and_labelled() -> None:
    bins = RATING_SCALE.bins
    assert [(b.low, b.high) for b in bins] == [(float(i), float(i + 1)) for i in range(1, 7)]
    assert [b.colour for b in bins] == YLGNBU
    assert [b.label_de for b in bins] == ["1 bis unter 2", "2 bis unter 3", "3 bis unter 4",
                                          "4 bis unter 5", "5 bis unter 6", "6 bis 7"]
    assert bins[0].label("en") == "1 to under 2" and bins[-1].label("en") == "6 to 7"
    assert RATING_SCALE.unit() == "Mittelwert (1 bis 7)"


def test_change_bins_are_contiguous_and_symmetric() -> None:
    bins = CHANGE_SCALE.bins
    assert all(a.high == b.low for a, b in pairwise(bins))
    assert [b.colour for b in bins] == PUOR
    lows = [b.low for b in bins]
    highs = [b.high for b in bins]
    assert lows == [-h for h in reversed(highs)]
    assert bins[3].label_de.startswith("kaum verändert")


def test_sequential_scale_gets_darker_so_order_survives_colour_blindness() -> None:
    lum = [luminance(c) for c in YLGNBU]
    assert lum == sorted(lum, reverse=True) and len(set(lum)) == len(lum)


def test_diverging_scale_is_lightest_in_the_middle() -> None:
    lum = [luminance(c) for c in PUOR]
    assert lum.index(max(lum)) == 3
    assert lum[:4] == sorted(lum[:4]) and lum[3:] == sorted(lum[3:], reverse=True)


def test_suppressed_and_no_data_are_not_scale_colours() -> None:
    scale_colours = {b.colour for b in RATING_SCALE.bins + CHANGE_SCALE.bins}
    assert not {SUPPRESSED_GREY, HATCH_GREY, NO_DATA_COLOUR} & scale_colours
    r, g, b = (int(SUPPRESSED_GREY[i:i + 2], 16) for i in (1, 3, 5))
    assert r == g == b  # a true grey


@given(st.floats(min_value=1.0, max_value=7.0))
def test_every_rating_lands_in_the_bin_that_contains_it(value: float) -> None:
    i = RATING_SCALE.bin_index(value)
    assert i is not None
    b = RATING_SCALE.bins[i]
    assert b.low <= value < b.high or (value == 7.0 and i == len(RATING_SCALE.bins) - 1)


@pytest.mark.parametrize(("value", "text"), [(4.25, "4,2"), (4.26, "4,3"), (5.0, "5,0"),
                                             (-0.04, "0,0"), (-0.4, "-0,4"), (7.0, "7,0")])
def test_decimal_comma(value: float, text: str) -> None:
    assert decimal_de(value) == text
