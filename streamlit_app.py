"""StadtRaumMonitor: page configuration, sign-in and role-based navigation (nothing else)."""

from __future__ import annotations

import streamlit as st

from stadtraum.auth import allowed_pages
from stadtraum.ui import style
from stadtraum.ui.i18n import t
from stadtraum.ui.session import current_user, flush_cookie, locked, sign_out, touch
from stadtraum.ui.state import ASSETS, engine

st.set_page_config(page_title="StadtRaumMonitor", page_icon=str(ASSETS / "favicon.png"),
                   layout="wide")
style.apply()
# page key -> (file, German title); only the pages of the signed-in role are registered, so
# other roles' pages cannot be reached by URL, and each page checks again on the server
PAGES = {
    "befragung": ("pages/interview.py", "Befragung durchführen"),
    "uebersicht": ("pages/overview.py", t("overview")),
}
engine()  # first start: create the schema, load the demo city into an empty database
user = current_user()
flush_cookie()
sign_in_page = st.Page("pages/sign_in.py", title="Anmelden", url_path="anmelden")
if user is None or locked():
    st.navigation([sign_in_page], position="hidden").run()
    st.stop()
touch()
st.sidebar.radio("Sprache / Language", ["Deutsch", "English"], key="lang", horizontal=True)
st.sidebar.caption(f"Angemeldet: {user.name} ({user.role})")
if st.sidebar.button("Abmelden", key="sign_out"):
    sign_out()
    st.rerun()
pages = [st.Page(PAGES[key][0], title=PAGES[key][1], url_path=key)
         for key in allowed_pages(user.role) if key in PAGES]
st.navigation(pages).run()
