"""Which cookies our /auth/logout deletes: Streamlit's identity cookies and their numbered
chunks, nothing else. The route itself is tested against the served app in
``test_session_routes.py``."""

from __future__ import annotations

from stadtraum.web.identity_routes import is_identity_cookie


def test_identity_cookies_and_chunks_are_recognised() -> None:
    for name in ("_streamlit_user", "_streamlit_user_tokens", "_streamlit_user_1",
                 "_streamlit_user__2", "_streamlit_user_tokens_3"):
        assert is_identity_cookie(name), name
    for name in ("srm_session", "_streamlit_user_x", "_streamlit_xsrf", "_streamlit_user_1a"):
        assert not is_identity_cookie(name), name
