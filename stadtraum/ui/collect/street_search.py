"""Finding the area by street name, for helpers and for citizens: type (part of) the street's
name, then tap one of the streets found, each shown with its area.

The search is the street directory's own (:func:`stadtraum.geo.streets.search_streets`): names
that start with what was typed, or else contain it, after the directory's normalisation
("Str." = "Straße", case and accents ignored). Nothing fuzzy: a selectbox's built-in
matching offered "Haselpfad" for "haupt". When nothing matches, the page says so.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import streamlit as st

from stadtraum.geo.streets import search_streets, street_key
from stadtraum.ui.plain import md_literal
from stadtraum.ui.state import engine

__all__ = ["HELPER_WORDS", "StreetWords", "street_area"]

MAX_HITS = 12


@dataclass(frozen=True)
class StreetWords:
    label: str  # the search field
    placeholder: str
    pick: str  # the list of streets found
    nothing: str  # "{query}": nothing found
    more: str  # more than MAX_HITS found: type more


HELPER_WORDS = StreetWords(
    "Straße", "Anfang des Straßennamens, z. B. „Haupt“", "Gefundene Straßen",
    "Keine Straße gefunden, die mit „{query}“ beginnt oder es enthält. Bitte anders "
    "schreiben oder das Gebiet über „Name“ oder „Karte“ wählen.",
    "Mehr als {n} Straßen gefunden: bitte weiter tippen.")


def street_area(level_id: int, key: str, areas: Mapping[str, str],
                words: StreetWords = HELPER_WORDS) -> str | None:
    """The area code of the street tapped (only areas in ``areas``), or None."""
    query = st.text_input(words.label, key=f"{key}_q", placeholder=words.placeholder,
                          max_chars=80, autocomplete="off")
    if not street_key(query or ""):
        return None
    hits = [h for h in search_streets(engine(), level_id, query, limit=MAX_HITS + 1)
            if h.area_code in areas]
    if not hits:
        st.info(md_literal(words.nothing.format(query=query.strip())))
        return None
    if len(hits) > MAX_HITS:
        st.caption(words.more.format(n=MAX_HITS))
        hits = hits[:MAX_HITS]
    # radio labels are markdown: the imported names go in literally
    pick = st.radio(words.pick, range(len(hits)), index=None,
                    format_func=lambda i: md_literal(f"{hits[i].street} – {hits[i].area_name}"),
                    key=f"{key}_pick_{street_key(query)}")
    return None if pick is None else hits[pick].area_code
