"""StadtRaumMonitor: page configuration, language and navigation (nothing else)."""

from __future__ import annotations

import streamlit as st

from stadtraum.ui.i18n import t
from stadtraum.ui.state import ASSETS

st.set_page_config(page_title="StadtRaumMonitor", page_icon=str(ASSETS / "favicon.png"),
                   layout="wide")
st.sidebar.radio("Sprache / Language", ["Deutsch", "English"], key="lang", horizontal=True)
pages = [st.Page("pages/overview.py", title=t("overview"), url_path="uebersicht", default=True)]
st.navigation(pages).run()
