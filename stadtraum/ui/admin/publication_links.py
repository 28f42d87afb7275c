"""A signed, short-lived download link for this tab's session
(:mod:`stadtraum.web.export_routes`), relative to the page so a base path is kept.

None when the tab has no server session (a demo sign-in without the cookie route, or
AppTest): the caller then offers ``st.download_button`` for small files.
"""

from __future__ import annotations

from typing import Any

import streamlit as st

from stadtraum.config import session_secret
from stadtraum.ui.session import SID, current_user
from stadtraum.ui.state import data_dir, settings
from stadtraum.web.export_routes import EXPORT_PATH, sign_link

__all__ = ["export_link"]


def export_link(kind: str, params: dict[str, Any]) -> str | None:
    session_id = st.session_state.get(SID)
    user = current_user()
    if not isinstance(session_id, str) or user is None:
        return None
    token = sign_link(session_secret(settings(), data_dir()), session_id, user.name, kind,
                      params)
    return f"{EXPORT_PATH.lstrip('/')}/{token}"
