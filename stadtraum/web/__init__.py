"""HTTP routes and middleware of the app, served by Streamlit's ``st.App`` (Starlette) beside
the Streamlit UI: today the session cookie (set and cleared only here, as ``HttpOnly``).

Pure Starlette, no Streamlit: ``app.py`` at the project root builds the ``st.App`` from
:func:`stadtraum.web.session_routes.routes`. May use every package except ``ui``.
"""
