"""Feldarbeit: the field-work dashboard for admins and moderators (also on a projector):
responses of the open campaign per area against its target, by mode, today and in total, as
a map and a table; helpers today (admins), drafts not yet sent, the last hour's pace. It
refreshes itself; no figure derived from ratings, and no count the planners' views hide."""

from __future__ import annotations

import streamlit as st

from stadtraum.ui.admin import fieldwork_view
from stadtraum.ui.i18n import lang
from stadtraum.ui.session import require_page

user = require_page(fieldwork_view.PAGE)
st.title("Field work" if lang() == "en" else "Feldarbeit", anchor=False)
fieldwork_view.show(user.actor)
