"""Fixed colour scales for maps, so a colour means the same in every campaign (DESIGN §6).

- :data:`RATING_SCALE`: sequential, for means on the 1..7 scale, six bins of width 1
  (ColorBrewer YlGnBu, colour-blind safe): light = much to improve, dark blue = little.
- :data:`CHANGE_SCALE`: diverging, for the change between two waves (ColorBrewer PuOr,
  colour-blind safe): orange = worse, purple = better, near white = hardly changed.
- :data:`SUPPRESSED_GREY`: suppressed areas (drawn hatched, see :mod:`stadtraum.maps.choropleth`).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

__all__ = [
    "CHANGE_SCALE",
    "HATCH_GREY",
    "NO_DATA_COLOUR",
    "RATING_SCALE",
    "SUPPRESSED_GREY",
    "Bin",
    "ColourScale",
    "decimal_de",
]

SUPPRESSED_GREY = "#bdbdbd"  # fill behind the hatching of a suppressed area
HATCH_GREY = "#737373"  # the hatch lines
NO_DATA_COLOUR = "#ffffff"  # an area without any figure (drawn almost transparent)
_TOLERANCE = 1e-9


def decimal_de(value: float, digits: int = 1) -> str:
    """``4.26`` → ``"4,3"`` (German decimal comma); ``-0.04`` → ``"0,0"`` (no negative zero)."""
    text = f"{value:.{digits}f}"
    if text.startswith("-") and float(text) == 0:
        text = text[1:]
    return text.replace(".", ",")


@dataclass(frozen=True)
class Bin:
    """Values ``low <= v < high`` (the last bin of a scale also includes its ``high``)."""

    low: float
    high: float
    colour: str
    label_de: str
    label_en: str

    def label(self, lang: str = "de") -> str:
        return self.label_en if lang == "en" else self.label_de


@dataclass(frozen=True)
class ColourScale:
    """Explicit bins with fixed edges; values outside ``[lo, hi]`` are an error."""

    name: str
    bins: tuple[Bin, ...]
    unit_de: str
    unit_en: str

    @property
    def lo(self) -> float:
        return self.bins[0].low

    @property
    def hi(self) -> float:
        return self.bins[-1].high

    def bin_index(self, value: float | None) -> int | None:
        """The bin of ``value``; ``None`` for a missing value (None or NaN)."""
        if value is None or (isinstance(value, float) and math.isnan(value)):
            return None
        v = float(value)
        if not (self.lo - _TOLERANCE <= v <= self.hi + _TOLERANCE):
            raise ValueError(f"{self.name}: value {v} outside [{self.lo}, {self.hi}]")
        for i, b in enumerate(self.bins):
            if v < b.high:
                return i
        return len(self.bins) - 1

    def colour_for(self, value: float | None) -> str | None:
        """The fill colour of ``value``; ``None`` for a missing value."""
        i = self.bin_index(value)
        return None if i is None else self.bins[i].colour

    def unit(self, lang: str = "de") -> str:
        return self.unit_en if lang == "en" else self.unit_de


def _rating_bins() -> tuple[Bin, ...]:
    colours = ("#ffffcc", "#c7e9b4", "#7fcdbb", "#41b6c4", "#2c7fb8", "#253494")
    bins = []
    for i, colour in enumerate(colours):
        low, high = i + 1, i + 2
        last = high == 7
        bins.append(Bin(float(low), float(high), colour,
                        f"{low} bis {high}" if last else f"{low} bis unter {high}",
                        f"{low} to {high}" if last else f"{low} to under {high}"))
    return tuple(bins)


def _change_bins() -> tuple[Bin, ...]:
    # bins are half-open [low, high); the last includes its high (6, the largest change)
    edges = (-6.0, -1.0, -0.5, -0.2, 0.2, 0.5, 1.0, 6.0)
    colours = ("#b35806", "#f1a340", "#fee0b6", "#f7f7f7", "#d8daeb", "#998ec3", "#542788")
    labels = (("schlechter: unter −1", "worse: below −1"),
              ("schlechter: −1 bis unter −0,5", "worse: −1 to under −0.5"),
              ("schlechter: −0,5 bis unter −0,2", "worse: −0.5 to under −0.2"),
              ("kaum verändert: −0,2 bis unter +0,2", "hardly changed: −0.2 to under +0.2"),
              ("besser: +0,2 bis unter +0,5", "better: +0.2 to under +0.5"),
              ("besser: +0,5 bis unter +1", "better: +0.5 to under +1"),
              ("besser: +1 oder mehr", "better: +1 or more"))
    return tuple(Bin(lo, hi, c, de, en) for lo, hi, c, (de, en)
                 in zip(edges[:-1], edges[1:], colours, labels, strict=True))


RATING_SCALE = ColourScale("rating", _rating_bins(), "Mittelwert (1 bis 7)", "mean (1 to 7)")
CHANGE_SCALE = ColourScale("change", _change_bins(), "Veränderung des Mittelwerts",
                           "change of the mean")
