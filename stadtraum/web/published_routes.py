"""The published results at stable public URLs, without sign-in (issue 12, item 7):

- ``/opendata/<campaign id>/results.geojson``: the campaign's level, one feature per area,
  WGS84 (QGIS: "Vektorlayer hinzufügen" → Protokoll HTTP(S) → this address);
- ``/opendata/<campaign id>/results.csv``: every level, one row per area and criterion;
- ``/opendata/<campaign id>/results.csv-metadata.json``: the CSV's CSVW description.

They serve the published snapshot only (rounded, no n, never a live figure), and only while
an admin has switched the campaign's results public. Anything else below ``/opendata/`` (an
unknown or unpublished campaign, another file name) is an empty 404, which says nothing
about whether the campaign exists.
"""

from __future__ import annotations

import logging

from sqlalchemy.exc import SQLAlchemyError
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from stadtraum.publish.public_files import public_csv, public_csv_metadata, public_geojson
from stadtraum.publish.public_results import public_snapshot
from stadtraum.web.session_routes import WebContext, default_context

__all__ = ["PREFIX", "published_routes"]

log = logging.getLogger(__name__)
PREFIX = "/opendata"
_MEDIA = {"results.geojson": "application/geo+json",
          "results.csv": "text/csv; charset=utf-8",
          "results.csv-metadata.json": "application/csvm+json"}


def _headers(response: Response) -> Response:
    response.headers["Cache-Control"] = "public, max-age=60"
    response.headers["Access-Control-Allow-Origin"] = "*"  # open data: portals may fetch it
    response.headers["X-Content-Type-Options"] = "nosniff"
    return response


def _not_found() -> Response:
    response = Response(status_code=404)
    response.headers["Cache-Control"] = "no-store"
    return response


def published_routes(context: WebContext | None = None) -> list[Route]:
    ctx = context or default_context()

    def build(campaign_id: int, name: str) -> bytes | None:
        engine = ctx.engine()
        snap = public_snapshot(engine, campaign_id)
        if snap is None:
            return None
        if name == "results.geojson":
            return public_geojson(engine, snap)
        if name == "results.csv":
            return public_csv(snap)
        return public_csv_metadata(snap)

    async def published(request: Request) -> Response:
        name = str(request.path_params["name"])
        campaign_id = int(request.path_params["campaign_id"])
        if name not in _MEDIA or not 0 < campaign_id < 2**31:
            return _not_found()
        try:
            data = await run_in_threadpool(build, campaign_id, name)
        except SQLAlchemyError as exc:
            log.error("published results not served, database error: %s", exc)
            return Response(status_code=503, headers={"Cache-Control": "no-store"})
        if data is None:
            return _not_found()
        return _headers(Response(data, media_type=_MEDIA[name]))

    async def nothing(request: Request) -> Response:
        return _not_found()

    return [Route(PREFIX + "/{campaign_id:int}/{name}", published, methods=["GET"]),
            Route(PREFIX, nothing), Route(PREFIX + "/{rest:path}", nothing)]
