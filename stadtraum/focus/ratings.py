"""Use cases: store a focus group's ratings — a participants × criteria grid, or one
consensus rating standing for k participants.

Every grid row is one response (mode ``focus_group``, ``group_id``, ``entered_by`` = the
session's moderator). Its UUID is fixed by (session, row, version), so saving an unchanged
grid again stores nothing, and a save that failed half-way can simply be repeated: rows
already stored are found and skipped. A changed row is a correction, i.e. a new version
that replaces the previous one (``ResponsePayload.replaces``); an emptied row (or a row cut
off by a smaller grid) is voided. Nothing is ever deleted. The whole grid is validated
before anything is written, so a bad cell stores nothing. A session holds either a grid or a
consensus rating, never both (that would count people twice).
"""

from __future__ import annotations

import datetime as dt
import math
import uuid
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import select
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session

from stadtraum.accounts.permissions import Actor, require
from stadtraum.collect.payload import ResponsePayload, clean_ratings
from stadtraum.collect.status import change_status
from stadtraum.collect.submit import submit_response
from stadtraum.criteria import Catalogue
from stadtraum.errors import ValidationError
from stadtraum.focus.sessions import load_group
from stadtraum.store.audit import audit
from stadtraum.store.catalogues import catalogue_for
from stadtraum.store.db import Area, Campaign, FocusGroup, Rating, Response
from stadtraum.store.engine import write_engine

MAX_ROWS = 60  # participants in one grid
MAX_CONSENSUS_PARTICIPANTS = 500
_NAMESPACE = uuid.UUID("5f0c3c1e-9a4b-4f57-8d5e-6f6b2f1a7c21")  # never change: keys rows
VOID_REASON = "Zeile in der Fokusgruppe geleert"


def row_uuid(group_id: str, row: int, version: int) -> str:
    """The response UUID of grid row ``row`` (0-based) in its ``version`` (1-based)."""
    return str(uuid.uuid5(_NAMESPACE, f"{group_id}/row/{row}/v{version}"))


def _row_chain(group_id: str, row: int) -> Callable[[int], str]:
    return lambda version: row_uuid(group_id, row, version)


def consensus_uuid(group_id: str, version: int) -> str:
    return str(uuid.uuid5(_NAMESPACE, f"{group_id}/consensus/v{version}"))


@dataclass(frozen=True)
class SaveReport:
    created: int = 0  # new rows
    corrected: int = 0  # new versions of changed rows
    voided: int = 0  # emptied rows
    unchanged: int = 0


@dataclass(frozen=True)
class _Stored:
    uuid: str
    status: str
    participants: int
    ratings: dict[str, int] = field(default_factory=dict)


@dataclass(frozen=True)
class _Context:
    group: FocusGroup
    area_code: str
    catalogue: Catalogue
    known: dict[str, _Stored]


def _latest(known: Mapping[str, _Stored], make: Callable[[int], str]) -> tuple[int, _Stored | None]:
    """(number of versions, newest version) of one chain of UUIDs."""
    latest, version = None, 0
    while (u := make(version + 1)) in known:
        latest, version = known[u], version + 1
    return version, latest


def _context(engine: Engine, group_id: str, only_moderator: str | None, *,
             require_open: bool = True) -> _Context:
    with Session(engine) as session:
        group = load_group(session, group_id, only_moderator)
        campaign = session.get(Campaign, group.campaign_id)
        area = session.get(Area, group.area_id)
        assert campaign is not None and area is not None
        if require_open and campaign.status != "open":
            raise ValidationError(f"Die Befragung „{campaign.name}“ ist nicht geöffnet; die "
                                  "Bewertungen dieser Fokusgruppe können nicht mehr geändert "
                                  "werden.", "campaign is not open", field="campaign")
        known = {u: _Stored(u, s, p) for u, s, p in session.execute(
            select(Response.uuid, Response.status, Response.participants)
            .where(Response.group_id == group.id))}
        ratings: dict[str, dict[str, int]] = {}
        for u, cid, score in session.execute(
                select(Response.uuid, Rating.criterion_id, Rating.score)
                .join(Rating, Rating.response_id == Response.id)
                .where(Response.group_id == group.id)):
            ratings.setdefault(u, {})[cid] = int(score)
        session.expunge(group)
        return _Context(group, area.code, catalogue_for(session, campaign.catalogue_id),
                        {u: _Stored(u, s.status, s.participants, ratings.get(u, {}))
                         for u, s in known.items()})


def _is_empty(value: Any) -> bool:
    if value is None:
        return True
    if isinstance(value, str):
        return not value.strip()
    if isinstance(value, float):
        return math.isnan(value)
    return type(value).__name__ in {"NAType", "NaTType"}  # pandas' missing values


def _clean_row(row: Mapping[str, Any], catalogue: Catalogue, where: str) -> dict[str, int]:
    filled = {cid: v for cid, v in row.items() if not _is_empty(v)}
    if not filled:
        return {}
    try:
        return clean_ratings(filled, catalogue)
    except ValidationError as exc:  # the cell named as the moderator sees it: person, theme
        labels = {c.id: c.label_de for c in catalogue.criteria}
        german = exc.message_de
        if exc.field in labels:
            german = german.replace(f"„{exc.field}“", f"„{labels[exc.field]}“")
        raise ValidationError(f"{where}: {german}", f"{where}: {exc.message_en}",
                              field=exc.field) from None


def _payload(ctx: _Context, response_id: str, ratings: dict[str, int], participants: int,
             replaces: str | None) -> ResponsePayload:
    g = ctx.group
    return ResponsePayload(response_id=response_id, campaign_id=g.campaign_id,
                           mode="focus_group", ratings=ratings, area_code=ctx.area_code,
                           survey_date=g.held_on, entered_by=g.moderator, group_id=g.id,
                           participants=participants, replaces=replaces)


def _existing_rows(ctx: _Context) -> list[int]:
    return [r for r in range(MAX_ROWS) if row_uuid(ctx.group.id, r, 1) in ctx.known]


def _has_valid(ctx: _Context, make: Callable[[int], str]) -> bool:
    latest = _latest(ctx.known, make)[1]
    return latest is not None and latest.status == "valid"


def _apply(engine: Engine, ctx: _Context, make: Callable[[int], str], ratings: dict[str, int],
           participants: int, actor: Actor, today: dt.date | None) -> str:
    """Bring one chain to ``ratings`` (empty = void). Returns what happened."""
    version, latest = _latest(ctx.known, make)
    if not ratings:
        if latest is None:
            return "empty"  # a row never filled: not counted at all
        if latest.status != "valid":
            return "unchanged"
        change_status(engine, latest.uuid, "voided", actor=actor, reason=VOID_REASON,
                      expected="valid")
        return "voided"
    if (latest is not None and latest.status == "valid" and latest.ratings == ratings
            and latest.participants == participants):
        return "unchanged"
    submit_response(engine, _payload(ctx, make(version + 1), ratings, participants,
                                     None if latest is None else latest.uuid), today=today)
    return "created" if latest is None else "corrected"


def _report(outcomes: list[str]) -> SaveReport:
    return SaveReport(**{k: outcomes.count(k) for k in ("created", "corrected", "voided",
                                                        "unchanged")})


def _audit(engine: Engine, actor: Actor, action: str, group_id: str,
           report: SaveReport) -> None:
    if report.created or report.corrected or report.voided:
        with Session(write_engine(engine)) as session, session.begin():
            audit(session, actor.name, action, "focus_group", group_id, created=report.created,
                  corrected=report.corrected, voided=report.voided)


def save_grid(engine: Engine, group_id: str, rows: Sequence[Mapping[str, Any]], *,
              actor: Actor, only_moderator: str | None = None,
              today: dt.date | None = None) -> SaveReport:
    """Store the grid: ``rows[i]`` maps criterion id -> 1..7 or empty ("keine Angabe").
    Rows beyond ``len(rows)`` that were stored before are voided. Needs ``focus.run``."""
    require(actor, "focus.run")
    ctx = _context(engine, group_id, only_moderator)
    if len(rows) > MAX_ROWS:
        raise ValidationError(f"Höchstens {MAX_ROWS} Teilnehmende je Fokusgruppe.",
                              "too many grid rows", field="rows")
    cleaned = [_clean_row(row, ctx.catalogue, f"Person {i + 1}")
               for i, row in enumerate(rows)]
    if any(cleaned) and _has_valid(ctx, lambda v: consensus_uuid(ctx.group.id, v)):
        raise ValidationError("Für diese Fokusgruppe ist schon eine gemeinsame Bewertung "
                              "gespeichert. Bitte diese zuerst entfernen, sonst würden "
                              "Teilnehmende doppelt gezählt.", "group has a consensus rating",
                              field="rows")
    todo = sorted(set(range(len(cleaned))) | set(_existing_rows(ctx)))
    outcomes = []
    for r in todo:
        wanted = cleaned[r] if r < len(cleaned) else {}
        outcomes.append(_apply(engine, ctx, _row_chain(ctx.group.id, r), wanted, 1, actor,
                               today))
    report = _report(outcomes)
    _audit(engine, actor, "grid", group_id, report)
    return report


def save_consensus(engine: Engine, group_id: str, ratings: Mapping[str, Any],
                   participants: int, *, actor: Actor, only_moderator: str | None = None,
                   today: dt.date | None = None) -> SaveReport:
    """Store (or correct) the group's one consensus rating standing for ``participants``.
    Needs ``focus.run``."""
    require(actor, "focus.run")
    if isinstance(participants, bool) or not isinstance(participants, int) or not (
            2 <= participants <= MAX_CONSENSUS_PARTICIPANTS):
        raise ValidationError("Bitte die Zahl der Teilnehmenden angeben, die die gemeinsame "
                              f"Bewertung tragen (2 bis {MAX_CONSENSUS_PARTICIPANTS}).",
                              f"participants must be 2..{MAX_CONSENSUS_PARTICIPANTS}",
                              field="participants")
    ctx = _context(engine, group_id, only_moderator)
    cleaned = _clean_row(ratings, ctx.catalogue, "Gemeinsame Bewertung")
    if not cleaned:
        raise ValidationError("Mindestens eine Bewertung ist nötig.",
                              "at least one rating is required", field="ratings")
    if any(_has_valid(ctx, _row_chain(ctx.group.id, r)) for r in _existing_rows(ctx)):
        raise ValidationError("Für diese Fokusgruppe sind schon Einzelbewertungen gespeichert. "
                              "Bitte diese zuerst leeren, sonst würden Teilnehmende doppelt "
                              "gezählt.", "group has grid rows", field="ratings")
    outcome = _apply(engine, ctx, lambda v: consensus_uuid(ctx.group.id, v), cleaned,
                     participants, actor, today)
    report = _report([outcome])
    _audit(engine, actor, "consensus", group_id, report)
    return report


def clear_consensus(engine: Engine, group_id: str, *, actor: Actor,
                    only_moderator: str | None = None) -> SaveReport:
    """Void the consensus rating (it leaves every statistic; nothing is deleted). Needs
    ``focus.run``."""
    require(actor, "focus.run")
    ctx = _context(engine, group_id, only_moderator)
    outcome = _apply(engine, ctx, lambda v: consensus_uuid(ctx.group.id, v), {}, 1, actor, None)
    return _report([outcome])


@dataclass(frozen=True)
class StoredRatings:
    rows: list[dict[str, int]]  # grid rows (an emptied row is {}), up to the last stored one
    consensus: dict[str, int] | None
    consensus_participants: int | None


def load_ratings(engine: Engine, group_id: str, *,
                 only_moderator: str | None = None) -> StoredRatings:
    """The current (valid) ratings of a session, for showing them in the editor again."""
    ctx = _context(engine, group_id, only_moderator, require_open=False)
    rows: list[dict[str, int]] = []
    for r in _existing_rows(ctx):
        latest = _latest(ctx.known, _row_chain(group_id, r))[1]
        rows.extend({} for _ in range(r - len(rows)))
        rows.append(dict(latest.ratings) if latest and latest.status == "valid" else {})
    latest = _latest(ctx.known, lambda v: consensus_uuid(group_id, v))[1]
    valid = latest is not None and latest.status == "valid"
    return StoredRatings(rows, dict(latest.ratings) if valid and latest else None,
                         latest.participants if valid and latest else None)
