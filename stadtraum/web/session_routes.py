"""The session cookie's own HTTP routes (DESIGN §5).

Streamlit talks to the browser over a WebSocket and cannot set a cookie, and a cookie set by
page JavaScript cannot be ``HttpOnly``. So after the password was checked in the script, the
browser posts the session's one-time code to :data:`SESSION_PATH`; the route exchanges it
(:func:`stadtraum.accounts.sessions.exchange_code`) and answers with
``Set-Cookie: srm_session=<id>.<signature>; HttpOnly; SameSite=Lax; Path=/`` (``Secure``
when the request came over HTTPS). :data:`SIGN_OUT_PATH` ends the cookie's session and
clears the cookie. Both need the header ``X-Stadtraum: 1``, which a cross-site form cannot
send, and answer ``Cache-Control: no-store``.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache

from sqlalchemy.engine import Engine
from sqlalchemy.exc import SQLAlchemyError
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from stadtraum.accounts.sessions import (
    COOKIE,
    end_session,
    exchange_code,
    sign_cookie,
    verify_cookie,
)
from stadtraum.config import Settings, load_settings, project_root, session_secret
from stadtraum.store.engine import make_engine

__all__ = ["SESSION_PATH", "SIGN_OUT_PATH", "WebContext", "routes"]

log = logging.getLogger(__name__)
SESSION_PATH = "/_srm/session"
SIGN_OUT_PATH = "/_srm/sign-out"
HEADER = "x-stadtraum"


@dataclass(frozen=True)
class WebContext:
    engine: Callable[[], Engine]
    settings: Callable[[], Settings]
    secret: Callable[[], bytes]


@cache
def _engine(url: str) -> Engine:
    return make_engine(url)


def default_context() -> WebContext:
    """The running app's database, settings and session secret (read on first use)."""
    return WebContext(
        engine=lambda: _engine(load_settings().database_url), settings=load_settings,
        secret=lambda: session_secret(load_settings(), project_root() / "data"))


def _over_https(request: Request, settings: Settings) -> bool:
    if request.url.scheme == "https":
        return True
    proto = request.headers.get("x-forwarded-proto", "").split(",")[0].strip().lower()
    return settings.trusted_proxy_hops > 0 and proto == "https"


def _no_store(response: Response) -> Response:
    response.headers["Cache-Control"] = "no-store"
    return response


def routes(context: WebContext | None = None) -> list[Route]:
    ctx = context or default_context()

    async def session(request: Request) -> Response:
        if request.headers.get(HEADER) != "1":
            return _no_store(Response(status_code=403))
        code = (await request.body())[:200].decode("ascii", errors="replace")
        try:
            session_id = await run_in_threadpool(exchange_code, ctx.engine(), code)
        except SQLAlchemyError as exc:
            log.error("session code not exchanged, database error: %s", exc)
            return _no_store(Response(status_code=503))
        if session_id is None:
            log.info("session code refused")
            return _no_store(Response(status_code=403))
        settings = ctx.settings()
        response = Response(status_code=204)
        response.set_cookie(COOKIE, sign_cookie(session_id, ctx.secret()),
                            max_age=int(settings.session_hours * 3600), path="/",
                            httponly=True, samesite="lax",
                            secure=_over_https(request, settings))
        return _no_store(response)

    async def sign_out(request: Request) -> Response:
        if request.headers.get(HEADER) != "1":
            return _no_store(Response(status_code=403))
        session_id = verify_cookie(request.cookies.get(COOKIE), ctx.secret())
        if session_id is not None:
            try:
                await run_in_threadpool(end_session, ctx.engine(), session_id)
            except SQLAlchemyError as exc:  # the cookie is cleared all the same
                log.error("session not ended at sign-out, database error: %s", exc)
        response = Response(status_code=204)
        response.delete_cookie(COOKIE, path="/", httponly=True, samesite="lax",
                               secure=_over_https(request, ctx.settings()))
        return _no_store(response)

    return [Route(SESSION_PATH, session, methods=["POST"]),
            Route(SIGN_OUT_PATH, sign_out, methods=["POST"])]
