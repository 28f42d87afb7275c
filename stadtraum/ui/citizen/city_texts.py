"""The city's own texts on the citizens' form (from the settings page): the city's name
above the title, the city's privacy notice after the built-in one, and at the foot of every
step (also of a wrong or closed link) the Impressum and the accessibility statement, each
folded in an expander. Reachable without signing in, on the form's own page, so a citizen
keeps the answers given so far when opening them. Shown as plain text only (``st.text``)."""

from __future__ import annotations

import streamlit as st

from stadtraum.admin.city_settings import CityProfile
from stadtraum.ui.admin.settings_cache import city

__all__ = ["city_footer", "city_header", "city_notice"]

# lang -> (imprint, accessibility, the city's notice heading, missing text)
_WORDS = {
    "de": ("Impressum", "Erklärung zur Barrierefreiheit", "Hinweise der Stadt zum Datenschutz",
           "Die Stadt hat diesen Text noch nicht hinterlegt."),
    "plain": ("Impressum", "Barrierefreiheit", "Mehr von der Stadt zu Ihren Daten",
              "Die Stadt hat diesen Text noch nicht hinterlegt."),
    "en": ("Legal notice (Impressum)", "Accessibility statement",
           "The city's privacy information", "The city has not provided this text yet."),
}


def _words(lang: str) -> tuple[str, str, str, str]:
    return _WORDS.get(lang, _WORDS["de"])


def city_header(profile: CityProfile | None = None) -> None:
    """The city's name above the form's title (when set)."""
    name = (profile or city()).city_name
    if name:
        st.text(name)


def city_notice(lang: str, profile: CityProfile | None = None) -> None:
    """The city's privacy notice, after the built-in paragraphs (when set)."""
    notice = (profile or city()).privacy_notice
    if notice:
        st.markdown(f"**{_words(lang)[2]}**")
        st.text(notice)


def city_footer(lang: str, profile: CityProfile | None = None) -> None:
    """Impressum and accessibility statement at the foot of the page."""
    p = profile or city()
    imprint, accessibility, _, missing = _words(lang)
    st.divider()
    left, right = st.columns(2)
    with left.expander(imprint):
        st.text(p.imprint or missing)
    with right.expander(accessibility):
        st.text(p.accessibility or missing)
