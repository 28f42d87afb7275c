"""Legend data for a choropleth and its HTML, drawn outside the map.

A branca legend on the map would make streamlit-folium fetch d3 from the internet, so the
legend is plain HTML next to the map. All text in it is escaped (it is ours anyway: scale
labels, units, the suppression note; never an area name or a comment).
"""

from __future__ import annotations

import html
from dataclasses import dataclass

from stadtraum.analysis.suppression import suppressed_text
from stadtraum.maps.colours import HATCH_GREY, SUPPRESSED_GREY, ColourScale

__all__ = [
    "HATCH_CSS",
    "Legend",
    "LegendEntry",
    "legend_for",
    "legend_html",
]

# the same look as the SVG hatch pattern on the map (stadtraum.maps.choropleth)
HATCH_CSS = (f"repeating-linear-gradient(45deg, {HATCH_GREY} 0 2px, "
             f"{SUPPRESSED_GREY} 2px 6px)")


@dataclass(frozen=True)
class LegendEntry:
    colour: str
    label: str
    hatched: bool = False


@dataclass(frozen=True)
class Legend:
    title: str
    entries: tuple[LegendEntry, ...]


def legend_for(scale: ColourScale, min_n: int, lang: str = "de",
               title: str | None = None) -> Legend:
    """The scale's bins from low to high, then the hatched grey entry for suppressed areas."""
    entries = [LegendEntry(b.colour, b.label(lang)) for b in scale.bins]
    entries.append(LegendEntry(SUPPRESSED_GREY, suppressed_text(min_n, lang), hatched=True))
    return Legend(title or scale.unit(lang), tuple(entries))


def legend_html(legend: Legend) -> str:
    """A small HTML list: a swatch (hatched for suppressed) and an escaped label per entry."""
    rows = []
    for e in legend.entries:
        fill = HATCH_CSS if e.hatched else html.escape(e.colour, quote=True)
        rows.append(
            '<li style="display:flex;align-items:center;gap:0.5rem;margin:0.15rem 0">'
            f'<span class="sr-swatch" data-colour="{html.escape(e.colour, quote=True)}" '
            f'data-hatched="{str(e.hatched).lower()}" style="display:inline-block;'
            f'width:1.6rem;height:1.1rem;border:1px solid #555;background:{fill}"></span>'
            f"<span>{html.escape(e.label)}</span></li>")
    return ('<div class="sr-legend" role="group" '
            f'aria-label="{html.escape(legend.title, quote=True)}">'
            f'<div style="font-weight:600">{html.escape(legend.title)}</div>'
            '<ul style="list-style:none;padding:0;margin:0.25rem 0">'
            + "".join(rows) + "</ul></div>")
