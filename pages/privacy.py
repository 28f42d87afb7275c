"""Datenschutz: eine Antwort auf Wunsch löschen (nach ihrer Antwortnummer), die Rohdaten einer
Befragung löschen, abgelaufene Entwürfe und Aufbewahrungsfristen (admins)."""

from __future__ import annotations

import streamlit as st

from stadtraum.ui.admin import privacy_view
from stadtraum.ui.i18n import lang
from stadtraum.ui.session import require_page

user = require_page(privacy_view.PAGE)
st.title("Data protection" if lang() == "en" else "Datenschutz", anchor=False)
privacy_view.show(user.actor)
