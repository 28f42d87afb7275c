"""The city's settings applied around every page: the logo (``st.logo``, an image, never
HTML), the city's name in the sidebar and the privacy notice a helper reads on the sign-in
page before collecting. All texts are shown as plain text."""

from __future__ import annotations

from typing import Any

import streamlit as st

from stadtraum.ui.admin.settings_cache import city
from stadtraum.ui.i18n import lang

__all__ = ["helper_privacy_notice", "logo", "sidebar_name"]


def _tr(de: str, en: str) -> str:
    return en if lang() == "en" else de


def logo() -> None:
    """The city's logo at the top of the sidebar (or the header while it is collapsed)."""
    image = city().logo
    if image:
        st.logo(image, size="large")


def sidebar_name(container: Any = st.sidebar) -> None:
    name = city().city_name
    if name:
        container.text(name)


def helper_privacy_notice() -> None:
    """The city's privacy notice and contact for helpers, folded (nothing when neither is
    set)."""
    profile = city()
    if not (profile.privacy_notice or profile.privacy_contact):
        return
    with st.expander(_tr("Datenschutzhinweis", "Privacy notice")):
        if profile.privacy_notice:
            st.text(profile.privacy_notice)
        if profile.privacy_contact:
            st.text(_tr("Fragen zum Datenschutz: ", "Questions about privacy: ")
                    + profile.privacy_contact)
