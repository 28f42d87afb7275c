"""Befragungen: every campaign with its status, period, modes and responses; create one, set
it up (catalogue, area level, period, allowed modes, min_n, targets per area), open it, close
it after a confirmation that shows what closing changes, reopen it; the citizens' link and
the invitation codes (admins)."""

from __future__ import annotations

import streamlit as st

from stadtraum.ui.admin import campaigns_view
from stadtraum.ui.i18n import lang
from stadtraum.ui.session import require_page

user = require_page(campaigns_view.PAGE)
st.title("Campaigns" if lang() == "en" else "Befragungen", anchor=False)
campaigns_view.show(user.actor)
