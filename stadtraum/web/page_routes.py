"""``GET /anmelden``: a bookmark of the sign-in page goes to the app's root.

The sign-in page is the default page of the signed-out navigation, and Streamlit serves a
default page only at ``/``: opening ``/anmelden`` itself showed Streamlit's "Page not found"
dialog over the sign-in form (and, once signed in, again over the role's first page). This
route answers first (``st.App``'s routes take precedence) and redirects, relative, so a base
path is kept: signed out, the root is the sign-in page; signed in, the role's first page.
"""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import RedirectResponse, Response
from starlette.routing import Route

__all__ = ["SIGN_IN_PATH", "page_routes"]

SIGN_IN_PATH = "/anmelden"


def page_routes() -> list[Route]:
    async def sign_in(request: Request) -> Response:
        return RedirectResponse("./", status_code=302, headers={"Cache-Control": "no-store"})

    return [Route(SIGN_IN_PATH, sign_in, methods=["GET"])]
