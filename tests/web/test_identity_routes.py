"""Our /auth/logout (instead of Streamlit's): the identity cookies and their chunks are
deleted, nothing else, and the browser goes back to the app, never to the provider."""

from __future__ import annotations

import asyncio

from starlette.requests import Request

from stadtraum.web.identity_routes import identity_routes, is_identity_cookie


def test_identity_cookies_and_chunks_are_recognised() -> None:
    for name in ("_streamlit_user", "_streamlit_user_tokens", "_streamlit_user_1",
                 "_streamlit_user__2", "_streamlit_user_tokens_3"):
        assert is_identity_cookie(name), name
    for name in ("srm_session", "_streamlit_user_x", "_streamlit_xsrf", "_streamlit_user_1a"):
        assert not is_identity_cookie(name), name


def test_logout_deletes_the_identity_and_returns_to_the_app() -> None:
    (route,) = identity_routes()
    cookies = "_streamlit_user=a; _streamlit_user_1=b; _streamlit_user_tokens=c; srm_session=x"
    request = Request({"type": "http", "method": "GET", "path": "/auth/logout",
                       "query_string": b"", "headers": [(b"cookie", cookies.encode())]})
    response = asyncio.run(route.endpoint(request))  # type: ignore[arg-type]
    assert response.status_code == 302
    assert response.headers["location"] == "../"  # the app, relative: never the provider
    assert response.headers["cache-control"] == "no-store"
    deleted = {v.decode().split("=", 1)[0] for k, v in response.raw_headers
               if k == b"set-cookie" and b"Max-Age=0" in v}
    assert deleted == {"_streamlit_user", "_streamlit_user_1", "_streamlit_user_tokens"}
