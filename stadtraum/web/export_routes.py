"""Downloads behind a signed, short-lived link (issue 12: large exports stream from a route of
``st.App`` instead of being built in memory for ``st.download_button``).

The page asks :func:`sign_link` for a token and shows the link ``_srm/export/<token>``
(relative, so a base path is kept). The token is ``payload.signature``: the payload (JSON,
base64url) names what to export, who asked, the first 32 hex digits of the SHA-256 of the
asking session's id, and an expiry (:data:`LINK_SECONDS`); the signature is an HMAC-SHA256
under a key derived from the session secret. The route serves it only when the signature
holds, the link has not expired, the request carries the session cookie of that very
session, and that session is live and unlocked; the account's *current* role is the actor,
and the use case checks its permission itself and writes the audit entry. Anything else is
an empty 403 (404 for a malformed path), ``Cache-Control: no-store``.

Kinds: ``results`` (any format of :mod:`stadtraum.exports.results_export`), ``comments``,
and ``responses`` (the raw response CSV, streamed chunk by chunk with constant memory while
a worker thread writes it; admins only, through its own permission).
"""

from __future__ import annotations

import base64
import binascii
import contextlib
import datetime as dt
import hashlib
import hmac
import io
import json
import logging
import queue
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from functools import cache
from typing import Any, TextIO, cast

from sqlalchemy.engine import Engine
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import Response, StreamingResponse
from starlette.routing import Route

from stadtraum.accounts.permissions import Actor, require
from stadtraum.accounts.sessions import COOKIE, lookup, session_hash, verify_cookie
from stadtraum.analysis.cube_store import CubeProvider
from stadtraum.errors import PermissionDeniedError, StadtraumError
from stadtraum.exports.comments_export import export_comments
from stadtraum.exports.responses import plan_export, record_export, write_responses_csv
from stadtraum.exports.results_export import export_results
from stadtraum.web.session_routes import WebContext, default_context

__all__ = ["EXPORT_PATH", "KINDS", "LINK_SECONDS", "export_routes", "read_link", "shared_provider",
           "sign_link"]

log = logging.getLogger(__name__)
EXPORT_PATH = "/_srm/export"
LINK_SECONDS = 300
KINDS = ("results", "comments", "responses")
_STREAM_CHUNK = 256 * 1024  # characters per streamed piece
_QUEUE = 8  # pieces in flight at most: the writer waits for a slow reader


def _key(secret: bytes) -> bytes:
    return hmac.new(secret, b"stadtraum export link v1", hashlib.sha256).digest()


def _b64(raw: bytes) -> str:
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode()


def _unb64(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def _bind(session_id: str) -> str:
    return session_hash(session_id)[:32]


def sign_link(secret: bytes, session_id: str, user: str, kind: str, params: dict[str, Any],
              now: dt.datetime | None = None, seconds: int = LINK_SECONDS) -> str:
    """The token of a download of ``kind`` with ``params`` for ``user`` in ``session_id``."""
    if kind not in KINDS:
        raise ValueError(f"unknown export kind {kind!r}")
    now = now or dt.datetime.now(dt.UTC)
    payload = {"k": kind, "p": params, "u": user, "s": _bind(session_id),
               "e": int(now.timestamp()) + seconds}
    body = _b64(json.dumps(payload, separators=(",", ":"), sort_keys=True).encode())
    return f"{body}.{_b64(hmac.new(_key(secret), body.encode(), hashlib.sha256).digest())}"


@dataclass(frozen=True)
class Link:
    kind: str
    params: dict[str, Any]
    user: str
    bound_to: str
    expires: int


def read_link(secret: bytes, token: str, now: dt.datetime | None = None) -> Link | None:
    """The link in ``token`` if its signature holds and it has not expired, else None."""
    if len(token) > 2000 or token.count(".") != 1 or not token.isascii():
        return None
    body, signature = token.split(".")
    expected = _b64(hmac.new(_key(secret), body.encode(), hashlib.sha256).digest())
    if not hmac.compare_digest(expected, signature):
        return None
    try:
        data = json.loads(_unb64(body))
        link = Link(str(data["k"]), dict(data["p"]), str(data["u"]), str(data["s"]),
                    int(data["e"]))
    except (binascii.Error, ValueError, KeyError, TypeError):
        return None
    now_s = (now or dt.datetime.now(dt.UTC)).timestamp()
    if link.kind not in KINDS or not now_s <= link.expires <= now_s + LINK_SECONDS:
        return None
    return link


@cache
def shared_provider(engine: Engine) -> CubeProvider:
    """One statistics engine per database and process for the routes (the app's pages should
    use the same one, so the arrays are held once)."""
    return CubeProvider(engine)


@dataclass(frozen=True)
class ExportContext:
    web: WebContext
    provider: Callable[[Engine], CubeProvider]


def _refused(status: int = 403) -> Response:
    return Response(status_code=status, headers={"Cache-Control": "no-store"})


def _attachment(name: str) -> dict[str, str]:
    return {"Content-Disposition": f'attachment; filename="{name}"',
            "Cache-Control": "no-store", "X-Content-Type-Options": "nosniff"}


class _QueueWriter(io.TextIOBase):
    """A text sink that hands UTF-8 pieces to the response through a bounded queue."""

    def __init__(self, pieces: queue.Queue[bytes | None], stop: threading.Event) -> None:
        super().__init__()
        self.pieces, self.stop = pieces, stop
        self.buffer: list[str] = []
        self.size = 0

    def write(self, text: str) -> int:
        self.buffer.append(text)
        self.size += len(text)
        if self.size >= _STREAM_CHUNK:
            self.flush()
        return len(text)

    def flush(self) -> None:
        if self.buffer:
            piece = "".join(self.buffer).encode("utf-8")
            self.buffer, self.size = [], 0
            _put(self.pieces, piece, self.stop)


def _put(pieces: queue.Queue[bytes | None], item: bytes | None, stop: threading.Event) -> None:
    while True:
        if stop.is_set():
            raise ConnectionAbortedError("the download was cancelled")
        try:
            pieces.put(item, timeout=0.5)
            return
        except queue.Full:
            continue


def stream_responses(engine: Engine, provider: CubeProvider, campaigns: list[int],
                     actor: Actor) -> Iterator[bytes]:
    """The raw responses CSV piece by piece (constant memory), audited when complete."""
    require(actor, "responses.export")
    plan = plan_export(engine, campaigns, actor=actor)  # refuses before the first byte
    pieces: queue.Queue[bytes | None] = queue.Queue(maxsize=_QUEUE)
    stop = threading.Event()

    def work() -> None:
        try:
            out = _QueueWriter(pieces, stop)
            rows = write_responses_csv(engine, provider, plan, cast(TextIO, out), actor=actor)
            out.flush()
            record_export(engine, plan, rows, actor=actor)
        except ConnectionAbortedError:
            log.info("responses export cancelled by the client")
        except Exception:  # the response is cut short; the log says why
            log.exception("responses export failed while streaming")
        finally:
            with contextlib.suppress(ConnectionAbortedError):
                _put(pieces, None, stop)

    def pieces_of() -> Iterator[bytes]:
        worker = threading.Thread(target=work, name="responses-export", daemon=True)
        worker.start()
        try:
            while (piece := pieces.get()) is not None:
                yield piece
        finally:
            stop.set()

    return pieces_of()


def _actor(ctx: ExportContext, request: Request, link: Link) -> Actor | None:
    session_id = verify_cookie(request.cookies.get(COOKIE), ctx.web.secret())
    if session_id is None or not hmac.compare_digest(_bind(session_id), link.bound_to):
        return None
    state = lookup(ctx.web.engine(), session_id, ctx.web.settings().idle_lock_minutes)
    if state is None or state.locked or state.user.name != link.user:
        return None
    return Actor(state.user.name, state.user.role)


def _build(ctx: ExportContext, request: Request, token: str) -> Response:
    link = read_link(ctx.web.secret(), token)
    if link is None:
        return _refused()
    actor = _actor(ctx, request, link)
    if actor is None:
        return _refused()
    engine = ctx.web.engine()
    provider = ctx.provider(engine)
    p = link.params
    try:
        if link.kind == "results":
            out = export_results(engine, provider, int(p["campaign"]), str(p["format"]),
                                 actor=actor, levels=p.get("levels"),
                                 numbers=str(p.get("numbers", "de")))
            return Response(out.data, media_type=out.media_type, headers=_attachment(out.name))
        if link.kind == "comments":
            com = export_comments(engine, provider, int(p["campaign"]), actor=actor,
                                  numbers=str(p.get("numbers", "de")))
            return Response(com.data, media_type=com.media_type, headers=_attachment(com.name))
        campaigns = [int(c) for c in p["campaigns"]]
        name = f"antworten_{'_'.join(str(c) for c in campaigns)}.csv"
        return StreamingResponse(stream_responses(engine, provider, campaigns, actor),
                                 media_type="text/csv; charset=utf-8",
                                 headers=_attachment(name))
    except PermissionDeniedError:
        return _refused()
    except StadtraumError as exc:
        log.info("export link refused: %s", exc.message_en)
        return Response(exc.message_de, status_code=400, media_type="text/plain",
                        headers={"Cache-Control": "no-store"})
    except (KeyError, TypeError, ValueError):
        return _refused(400)


def export_routes(context: WebContext | None = None,
                  provider: Callable[[Engine], CubeProvider] = shared_provider) -> list[Route]:
    ctx = ExportContext(context or default_context(), provider)

    async def download(request: Request) -> Response:
        return await run_in_threadpool(_build, ctx, request, str(request.path_params["token"]))

    async def nothing(request: Request) -> Response:
        return _refused(404)

    return [Route(EXPORT_PATH + "/{token}", download, methods=["GET"]),
            Route(EXPORT_PATH + "/{rest:path}", nothing)]
