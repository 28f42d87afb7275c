"""Veröffentlichung: Ergebnisse als CSV, XLSX, GeoJSON und GeoPackage, freigegebene Kommentare,
das Open-Data-Paket und die öffentlichen Adressen (planners, admins)."""

from __future__ import annotations

import streamlit as st

from stadtraum.ui.admin import publication_view
from stadtraum.ui.i18n import lang
from stadtraum.ui.session import require_page

user = require_page(publication_view.PAGE)
st.title("Publication" if lang() == "en" else "Veröffentlichung", anchor=False)
publication_view.show(user.actor)
