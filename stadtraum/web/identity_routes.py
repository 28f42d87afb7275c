"""Our own ``GET /auth/logout``: drops Streamlit's identity cookies and goes back to the app,
without the provider's end-session page.

The single sign-on (:mod:`stadtraum.ui.sso_view`) calls ``st.logout()`` only to drop
Streamlit's identity right after it was exchanged for our own session, so that only our
session signs the browser in. Streamlit's route of this path sends the browser through the
provider's ``end_session_endpoint`` when the provider has one: every SSO sign-in would also
sign the person out at the provider (with Entra ID, out of every Microsoft app in that
browser), and some providers ask to confirm it. ``st.App``'s own routes take precedence over
Streamlit's, so this one answers instead: it deletes the identity cookies (and their numbered
chunks) and redirects to the app, relative, so a base path is kept.
"""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import RedirectResponse, Response
from starlette.routing import Route

__all__ = ["IDENTITY_COOKIES", "LOGOUT_PATH", "identity_routes", "is_identity_cookie"]

LOGOUT_PATH = "/auth/logout"
IDENTITY_COOKIES = ("_streamlit_user", "_streamlit_user_tokens")  # Streamlit 1.67's names


def is_identity_cookie(name: str) -> bool:
    """A Streamlit identity cookie or one of its numbered chunks (``_streamlit_user_1``)."""
    for base in IDENTITY_COOKIES:
        if name == base:
            return True
        rest = name.removeprefix(base + "_")
        if rest != name and rest.lstrip("_").isdigit():
            return True
    return False


def identity_routes() -> list[Route]:
    async def logout(request: Request) -> Response:
        response = RedirectResponse("../", status_code=302)
        base = request.url.path.removesuffix(LOGOUT_PATH) or "/"
        names = set(IDENTITY_COOKIES) | {n for n in request.cookies if is_identity_cookie(n)}
        for name in sorted(names):
            for path in {"/", base}:
                response.delete_cookie(name, path=path)
        response.headers["Cache-Control"] = "no-store"
        return response

    return [Route(LOGOUT_PATH, logout, methods=["GET"])]
