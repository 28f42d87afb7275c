"""Kommentare prüfen: die Warteschlange neuer Kommentare; freigeben, Stellen schwärzen oder mit
Grund ausblenden (moderators, admins)."""

from __future__ import annotations

import streamlit as st

from stadtraum.ui.admin import moderation_view
from stadtraum.ui.i18n import lang
from stadtraum.ui.session import require_page

user = require_page(moderation_view.PAGE)
st.title("Review comments" if lang() == "en" else "Kommentare prüfen", anchor=False)
moderation_view.show(user.actor)
