"""Konten: every account with its role, e-mail and last sign-in; create one, change its role,
reset its password (a one-time password shown once), deactivate or reactivate it, sign it out
everywhere (admins)."""

from __future__ import annotations

import streamlit as st

from stadtraum.ui.admin import accounts_view
from stadtraum.ui.i18n import lang
from stadtraum.ui.session import require_page

user = require_page("konten")
st.title("Accounts" if lang() == "en" else "Konten", anchor=False)
accounts_view.show(user.actor)
