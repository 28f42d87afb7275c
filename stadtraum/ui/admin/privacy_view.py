"""The page "Datenschutz" (key ``datenschutz``). Its use cases check the actor themselves."""

from __future__ import annotations

import streamlit as st

from stadtraum.accounts.permissions import Actor
from stadtraum.ui.i18n import lang

__all__ = ["PAGE", "show"]

PAGE = "datenschutz"


def show(actor: Actor) -> None:
    st.info("This page is being built." if lang() == "en" else "Diese Seite wird gerade gebaut.")
