"""The ASGI app: Streamlit's ``st.App`` (Starlette) running ``streamlit_app.py``, plus our own
HTTP routes (the HttpOnly session cookie, the published results under ``/opendata/``, signed
download links: :mod:`stadtraum.web`).

Start with ``streamlit run app.py`` (README) or under any ASGI server:
``uvicorn app:app --host 127.0.0.1 --port 8501``. ``streamlit_app.py`` alone still runs (and
is what AppTest drives), but without these routes a sign-in does not survive a reload.
"""

from __future__ import annotations

import streamlit as st
from streamlit.runtime.pages_manager import PagesManager

from stadtraum.accounts.sso import streamlit_secrets
from stadtraum.web.export_routes import export_routes
from stadtraum.web.identity_routes import identity_routes
from stadtraum.web.page_routes import page_routes
from stadtraum.web.published_routes import published_routes
from stadtraum.web.session_routes import routes

# Our navigation is st.navigation in streamlit_app.py. Streamlit decides once per process,
# when the first session starts, whether the app is an old-style multipage app: it is when a
# folder named pages/ sits beside the main script, as ours does. The first visit after a
# start then ran Streamlit's own navigation of the pages/ files instead of streamlit_app.py
# (a bookmark of /moderation showed "Bitte zuerst anmelden." with no form, /karte "Page not
# found"); st.navigation resets the flag only after that run. Decide it before any session.
PagesManager.uses_pages_directory = False

# optional single sign-on: Streamlit's [auth] secrets built from STADTRAUM_OIDC_* in memory
# (no secrets file to keep out of git); None when it is not configured
# (our /auth/logout drops Streamlit's identity without the provider's sign-out, and
# /anmelden leads to the root, where the sign-in page is served: see there)
app = st.App("streamlit_app.py",
             routes=[*routes(), *identity_routes(), *page_routes(), *published_routes(),
                     *export_routes()],
             secrets=streamlit_secrets())
