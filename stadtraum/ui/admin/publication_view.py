"""The page "Veröffentlichung" (key ``veroeffentlichung``). Its use cases check the actor
themselves."""

from __future__ import annotations

import streamlit as st

from stadtraum.accounts.permissions import Actor
from stadtraum.ui.i18n import lang

__all__ = ["PAGE", "show"]

PAGE = "veroeffentlichung"


def show(actor: Actor) -> None:
    st.info("This page is being built." if lang() == "en" else "Diese Seite wird gerade gebaut.")
