"""Einstellungen (admins): the city's name, logo and main colour, the public address for
links and QR codes, the privacy contact and notice, the Impressum, the accessibility
statement and the default min_n, each shown with where its value comes from."""

from __future__ import annotations

import streamlit as st

from stadtraum.ui.admin import settings_view
from stadtraum.ui.i18n import lang
from stadtraum.ui.session import require_page

user = require_page(settings_view.PAGE)
st.title("Settings" if lang() == "en" else "Einstellungen", anchor=False)
settings_view.show(user.actor)
