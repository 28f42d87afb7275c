"""Fixed colour scales for the map metrics besides the mean (DESIGN §6): shares in percent
and the number of respondents. ColorBrewer sequential schemes (colour-blind safe)."""

from __future__ import annotations

from stadtraum.maps.colours import Bin, ColourScale

__all__ = ["N_SCALE", "SHARE_HIGH_SCALE", "SHARE_LOW_SCALE"]

_SHARE_EDGES = (0.0, 10.0, 20.0, 30.0, 40.0, 50.0, 100.0)


def _share_bins(colours: tuple[str, ...]) -> tuple[Bin, ...]:
    out = []
    for i, colour in enumerate(colours):
        lo, hi = _SHARE_EDGES[i], _SHARE_EDGES[i + 1]
        last = i == len(colours) - 1
        out.append(Bin(lo, hi, colour,
                       f"{lo:.0f} bis {hi:.0f} %" if last else f"{lo:.0f} bis unter {hi:.0f} %",
                       f"{lo:.0f} to {hi:.0f} %" if last else f"{lo:.0f} to under {hi:.0f} %"))
    return tuple(out)


def _n_bins() -> tuple[Bin, ...]:
    edges = (0.0, 10.0, 20.0, 50.0, 100.0, 200.0, 1e12)
    colours = ("#f2f0f7", "#dadaeb", "#bcbddc", "#9e9ac8", "#756bb1", "#54278f")
    out = []
    for i, colour in enumerate(colours):
        lo, hi = edges[i], edges[i + 1]
        if i == len(colours) - 1:
            de, en = f"{lo:.0f} und mehr", f"{lo:.0f} or more"
        else:
            de, en = f"{lo:.0f} bis unter {hi:.0f}", f"{lo:.0f} to under {hi:.0f}"
        out.append(Bin(lo, hi, colour, de, en))
    return tuple(out)


# problems: the more, the darker orange (ColorBrewer Oranges)
SHARE_LOW_SCALE = ColourScale(
    "share_low", _share_bins(("#feedde", "#fdd0a2", "#fdae6b", "#fd8d3c", "#e6550d", "#a63603")),
    "Anteil der Bewertungen 1–2 (in %)", "share of ratings 1–2 (in %)")
# strengths: the more, the darker blue (ColorBrewer YlGnBu, as the rating scale)
SHARE_HIGH_SCALE = ColourScale(
    "share_high", _share_bins(("#ffffcc", "#c7e9b4", "#7fcdbb", "#41b6c4", "#2c7fb8", "#253494")),
    "Anteil der Bewertungen 6–7 (in %)", "share of ratings 6–7 (in %)")
N_SCALE = ColourScale("n", _n_bins(), "Anzahl Antworten (n)", "number of responses (n)")
