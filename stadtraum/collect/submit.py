"""Use case: store one response, exactly once.

The response UUID is fixed when the interview starts. The insert is ``ON CONFLICT DO
NOTHING``: the same UUID with the same content is a success without a new row; the same UUID
with other content is a :class:`ConflictError` and the original stays untouched. Lost
connections and a locked database are retried; if that fails the caller gets
:class:`NotSavedError` and keeps (and can resend) the frozen payload.
"""

from __future__ import annotations

import datetime as dt
import logging
import time
from collections.abc import Callable
from dataclasses import dataclass

from sqlalchemy import insert, select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.engine import Engine
from sqlalchemy.exc import DBAPIError, OperationalError
from sqlalchemy.orm import Session

from stadtraum.collect.payload import ResponsePayload, content_hash, validate_payload
from stadtraum.errors import ConflictError, NotFoundError, NotSavedError, ValidationError
from stadtraum.store.campaigns import require_mode
from stadtraum.store.catalogues import catalogue_for
from stadtraum.store.changes import next_change_seq
from stadtraum.store.db import Area, Campaign, Comment, Priority, Rating, Response
from stadtraum.store.engine import write_engine
from stadtraum.store.tombstones import refuse_deleted

log = logging.getLogger(__name__)

# the statuses a response may be stored with (flagged: kept out of the statistics)
NEW_STATUSES = ("valid", "flagged")
# (lon, lat, level_id) -> area code or None; the caller may pass a cached locator
PointLocator = Callable[[float, float, int], str | None]
# (session, campaign, area id) -> (status, status_reason), called inside the insert's
# transaction only when a new row is about to be stored (never for a resend); it may lock and
# count (the online form's burst check) or raise to store nothing (a used invitation code)
Judge = Callable[[Session, Campaign, int], tuple[str, str | None]]


@dataclass(frozen=True)
class SubmitResult:
    response_id: str
    row_id: int
    created: bool  # False: the same content had been stored before (idempotent resend)


def _resolve_area(session: Session, campaign: Campaign, p: ResponsePayload,
                  locate: PointLocator | None) -> int:
    code = p.area_code
    if code is None and p.lon is not None and p.lat is not None:
        if locate is None:
            from stadtraum.geo.area_index import locate_point  # lazy: needs geometry libraries
            locate = locate_point(session)
        code = locate(p.lon, p.lat, campaign.level_id)
        if code is None:
            raise ValidationError("Der Standort liegt in keinem Gebiet dieser Befragung.",
                                  "location lies in no area of the campaign", field="location")
    area_id = session.scalar(select(Area.id).where(Area.level_id == campaign.level_id,
                                                   Area.code == code))
    if area_id is None:
        raise ValidationError(f"Gebiet „{code}“ gehört nicht zur Gebietsebene dieser Befragung.",
                              f"area {code!r} is not in the campaign's level", field="area")
    return int(area_id)


def _insert_stmt(session: Session, values: dict[str, object]):  # type: ignore[no-untyped-def]
    dialect = session.get_bind().dialect.name
    ins = postgresql.insert(Response) if dialect == "postgresql" else sqlite.insert(Response)
    return ins.values(**values).on_conflict_do_nothing(index_elements=["uuid"]).returning(
        Response.id)


def _store(session: Session, p: ResponsePayload, digest: str, area_id: int,
           today: dt.date, status: str, status_reason: str | None,
           judge: Callable[[], tuple[str, str | None]] | None = None,
           created_at: dt.datetime | None = None, comment_status: str = "new") -> SubmitResult:
    existing = session.execute(select(Response.id, Response.content_hash)
                               .where(Response.uuid == p.response_id)).first()
    if existing is not None:
        return _same_or_conflict(p, digest, existing[0], existing[1])
    refuse_deleted(session, p.response_id)  # deleted on request: never stored again
    if judge is not None:
        status, status_reason = judge()
    replaces_id, version = None, 1
    seq = next_change_seq(session)
    if p.replaces is not None:
        old = session.scalar(select(Response).where(Response.uuid == p.replaces))
        if old is None or old.campaign_id != p.campaign_id:
            raise ValidationError("Die zu korrigierende Befragung gibt es in dieser Befragung "
                                  "nicht.", f"replaced response {p.replaces!r} not found",
                                  field="replaces")
        if old.status == "superseded":
            raise ConflictError("Diese Befragung wurde bereits korrigiert; bitte die neueste "
                                "Fassung bearbeiten.", "response already superseded")
        replaces_id, version = old.id, old.version + 1
        old.status, old.change_seq = "superseded", seq
    values = response_values(p, area_id, digest, seq, today, version=version,
                             replaces_id=replaces_id, status=status, status_reason=status_reason)
    if created_at is not None:
        values["created_at"] = created_at
    row_id = session.execute(_insert_stmt(session, values)).scalar()
    if row_id is None:  # a concurrent writer stored the same UUID first: roll back, re-check
        raise _RacedError()
    for model, rows in zip((Rating, Comment, Priority),
                           child_rows(int(row_id), p, comment_status), strict=True):
        if rows:
            session.execute(insert(model), rows)
    return SubmitResult(p.response_id, int(row_id), created=True)


def response_values(p: ResponsePayload, area_id: int, digest: str, seq: int, today: dt.date,
                    *, version: int = 1, replaces_id: int | None = None, status: str = "valid",
                    status_reason: str | None = None) -> dict[str, object]:
    """The ``responses`` row of a payload (shared by every writer of responses)."""
    return {"uuid": p.response_id, "campaign_id": p.campaign_id, "area_id": area_id,
            "mode": p.mode, "entered_by": p.entered_by, "survey_date": p.survey_date or today,
            "age_band": p.age_band, "gender": p.gender, "relation": p.relation,
            "lon": p.lon, "lat": p.lat, "group_id": p.group_id, "participants": p.participants,
            "version": version, "replaces_id": replaces_id, "status": status,
            "status_reason": status_reason, "content_hash": digest, "change_seq": seq}


def comment_status_of(campaign: Campaign) -> str:
    """The moderation state a new comment of ``campaign`` starts in."""
    return "released" if campaign.comments_auto_release else "new"


def child_rows(row_id: int, p: ResponsePayload,
               comment_status: str = "new") -> tuple[list[dict[str, object]], ...]:
    """The payload's ``ratings``, ``comments`` and ``priorities`` rows for response ``row_id``;
    comments start as ``comment_status`` (see :func:`comment_status_of`)."""
    return ([{"response_id": row_id, "criterion_id": cid, "score": s}
             for cid, s in p.ratings.items()],
            [{"response_id": row_id, "criterion_id": c.criterion_id, "kind": c.kind,
              "text": c.text, "status": comment_status} for c in p.comments],
            [{"response_id": row_id, "rank": i, "criterion_id": cid}
             for i, cid in enumerate(p.priorities, start=1)])


class _RacedError(Exception):
    pass


def _same_or_conflict(p: ResponsePayload, digest: str, row_id: int, stored: str) -> SubmitResult:
    if stored == digest:
        return SubmitResult(p.response_id, int(row_id), created=False)
    log.warning("conflict: response %s resent with different content; original kept",
                p.response_id)
    raise ConflictError(
        "Diese Befragung wurde schon mit anderem Inhalt gespeichert; das Original bleibt "
        "unverändert. Bitte eine neue Befragung beginnen oder die gespeicherte korrigieren.",
        f"response {p.response_id} exists with different content")


def _is_transient(exc: DBAPIError) -> bool:
    if exc.connection_invalidated:
        return True
    text = str(exc.orig).lower() if exc.orig is not None else str(exc).lower()
    return any(k in text for k in ("locked", "busy", "connection", "terminating",
                                   "server closed", "could not connect", "shutting down"))


def submit_response(engine: Engine, payload: ResponsePayload, *, locate: PointLocator | None
                    = None, attempts: int = 4, today: dt.date | None = None,
                    status: str = "valid", status_reason: str | None = None,
                    judge: Judge | None = None,
                    created_at: dt.datetime | None = None) -> SubmitResult:
    """Validate and store ``payload`` once. Raises ValidationError, ConflictError,
    NotFoundError or NotSavedError (nothing stored; resend the same payload).

    ``status`` "flagged" (with ``status_reason``) stores the response in the same
    transaction but keeps it out of the statistics until an admin accepts it. The status is
    the server's judgement, not content: a resend with the same content is idempotent
    whatever status it asks for (the stored one stays). ``judge`` (see :data:`Judge`) decides
    the status of a new row inside the transaction; ``created_at`` sets the stored time
    (the caller's clock; default: now)."""
    if status not in NEW_STATUSES:
        raise ValidationError(f"Eine neue Antwort kann nicht den Status „{status}“ haben.",
                              f"a new response cannot have status {status!r}", field="status")
    today = today or dt.datetime.now(dt.UTC).date()
    weng = write_engine(engine)
    delay = 0.05
    for attempt in range(1, attempts + 1):
        try:
            with Session(weng) as session, session.begin():
                campaign = session.get(Campaign, payload.campaign_id)
                if campaign is None:
                    raise NotFoundError(f"Befragung {payload.campaign_id} gibt es nicht.",
                                        f"campaign {payload.campaign_id} not found")
                p = validate_payload(payload, catalogue_for(session, campaign.catalogue_id))
                digest = content_hash(p)
                if campaign.status != "open":
                    existing = session.execute(select(Response.id, Response.content_hash)
                                               .where(Response.uuid == p.response_id)).first()
                    if existing is not None:  # a resend of an interview stored while open
                        return _same_or_conflict(p, digest, existing[0], existing[1])
                    raise ValidationError(
                        f"Die Befragung „{campaign.name}“ ist nicht geöffnet "
                        f"(Status: {campaign.status}).", "campaign is not open", field="campaign")
                require_mode(campaign, p.mode)
                area_id = _resolve_area(session, campaign, p, locate)
                decide = None if judge is None else \
                    (lambda s=session, c=campaign, a=area_id: judge(s, c, a))
                return _store(session, p, digest, area_id, today, status, status_reason,
                              decide, created_at, comment_status_of(campaign))
        except _RacedError:
            continue  # the next attempt finds the stored row and compares content
        except (OperationalError, DBAPIError) as exc:
            if not _is_transient(exc) or attempt == attempts:
                log.error("response %s not saved: %s", payload.response_id, exc)
                raise NotSavedError("Nicht gespeichert – bitte erneut senden.",
                                    f"not saved: {exc.__class__.__name__}: {exc.orig}") from exc
            log.warning("transient database error (attempt %d): %s", attempt, exc.orig)
            time.sleep(delay)
            delay *= 3
    raise NotSavedError("Nicht gespeichert – bitte erneut senden.", "not saved after retries")
