"""The city's settings as the app shows them, read once and kept for a few seconds.

Every page run needs the city's name, logo and colour; the citizens' form also the privacy
texts. :func:`city` reads them with one query at most every :data:`TTL` seconds per process
(and per environment), so a page run costs no query; a save on the settings page clears the
cache of its own process at once, other app processes follow within :data:`TTL` seconds."""

from __future__ import annotations

import os

import streamlit as st

from stadtraum.admin.city_setting_rules import SPECS
from stadtraum.admin.city_settings import CityProfile, city_profile
from stadtraum.ui.state import engine, settings

__all__ = ["TTL", "city", "clear"]

TTL = 10  # seconds


@st.cache_data(ttl=TTL, show_spinner=False, max_entries=8)
def _profile(database_url: str, env: tuple[tuple[str, str], ...]) -> CityProfile:
    return city_profile(engine(), dict(env))


def city() -> CityProfile:
    """The resolved public settings (database > environment > default)."""
    env = tuple((s.env, os.environ.get(s.env, "")) for s in SPECS)
    return _profile(settings().database_url, env)


def clear() -> None:
    _profile.clear()
