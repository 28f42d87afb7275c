"""UI texts in German (first) and English."""

from __future__ import annotations

from typing import Any

import streamlit as st

TEXTS: dict[str, tuple[str, str]] = {
    "app_title": ("StadtRaumMonitor", "StadtRaumMonitor"),
    "language": ("Sprache", "Language"),
    "overview": ("Übersicht", "Overview"),
    "campaign": ("Befragung", "Survey"),
    "level": ("Gebietsebene", "Area level"),
    "criterion": ("Kriterium", "Criterion"),
    "demo_banner": ("Demodaten: „Beispielstadt“ ist eine erfundene Stadt mit synthetischen "
                    "Antworten.", "Demo data: “Beispielstadt” is an invented city with synthetic "
                    "responses."),
    "not_representative": ("Die Ergebnisse sind nicht automatisch repräsentativ: sie zeigen, "
                           "wie die Befragten ihr Umfeld bewerten.",
                           "Results are not automatically representative: they show how the "
                           "respondents rate their surroundings."),
    "suppressed_note": ("Zellen mit weniger als {min_n} Antworten werden nicht gezeigt "
                        "(Geheimhaltung).", "Cells with fewer than {min_n} responses are not "
                        "shown (confidentiality)."),
    "no_campaigns": ("Noch keine Befragung angelegt.", "No survey yet."),
    "area": ("Gebiet", "Area"),
    "respondents": ("Befragte", "Respondents"),
    "index": ("Gesamtindex", "Overall index"),
    "scale": ("Skala 1 (großer Verbesserungsbedarf) bis 7 (kaum Verbesserungsbedarf).",
              "Scale 1 (a lot needs improving) to 7 (hardly anything needs improving)."),
    "download_csv": ("Tabelle als CSV herunterladen", "Download table as CSV"),
}


_SAVED = "lang__saved"
_LANGUAGES = ["Deutsch", "English"]


def language_switch(container: Any = st) -> None:
    """The switch "Sprache / Language" (on the sign-in page in the main area, afterwards in
    the sidebar). The choice is kept under a plain key as well: a widget that another page
    draws elsewhere starts from its default otherwise."""
    current = st.session_state.get("lang")
    # set explicitly, so a radio drawn in another place takes the value over
    st.session_state["lang"] = current if current in _LANGUAGES \
        else st.session_state.get(_SAVED, _LANGUAGES[0])
    container.radio("Sprache / Language", _LANGUAGES, key="lang", horizontal=True)
    st.session_state[_SAVED] = st.session_state["lang"]


def lang() -> str:
    return "en" if st.session_state.get("lang") == "English" else "de"


def plural(n: int, one: str, many: str, number: str | None = None) -> str:
    """``1 Thema`` / ``3 Themen``: the count and the noun (phrase) that fits it; ``number`` is
    how the count is written (e.g. with a thousands separator), else ``str(n)``."""
    return f"{number if number is not None else n} {one if n == 1 else many}"


def t(key: str, **fmt: object) -> str:
    de, en = TEXTS[key]
    text = en if lang() == "en" else de
    return text.format(**fmt) if fmt else text
