"""Use cases of the citizens' online form: start (rate-limited), the invitation code (when
the campaign requires one), send (rate-limited, plausibility- and burst-flagged, code consumed,
idempotent) and the area profile shown on the thank-you page.

The burst check (:mod:`stadtraum.citizen.burst`) and the code run inside the insert's
transaction (:data:`stadtraum.collect.submit.Judge`), so concurrent sends are counted one
after the other: SQLite serialises writers by ``BEGIN IMMEDIATE``; on PostgreSQL the judge
first takes a transaction-scoped advisory lock per (campaign, area), so the count it then reads
includes every send that held the lock before. The burst check follows the campaign's controls
as that transaction reads the campaign (``burst_enabled``, ``burst_floor``, ``burst_factor``,
set on the campaigns page): switched off, it flags nothing for that campaign.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import dataclass

from sqlalchemy import select, text
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session

from stadtraum.citizen.burst import BASELINE_HOURS, HOUR, burst_flag, hourly_counts
from stadtraum.citizen.form import MODE, CitizenForm
from stadtraum.citizen.invitations import InvitationCodeError, check_code, consume_code
from stadtraum.citizen.plausibility import Flag, plausibility_flags, status_reason
from stadtraum.citizen.rate_limit import RateLimitedError, SlidingWindowLimiter
from stadtraum.collect.submit import Judge, SubmitResult, submit_response
from stadtraum.config import Settings
from stadtraum.store.db import Campaign, Response
from stadtraum.store.engine import is_sqlite

WINDOW_SECONDS = 3600.0


@dataclass(frozen=True)
class OnlineLimits:
    """The process-wide limiters of the public form (one per app process)."""

    starts: SlidingWindowLimiter
    submissions: SlidingWindowLimiter


def make_limits(settings: Settings) -> OnlineLimits:
    return OnlineLimits(
        SlidingWindowLimiter(settings.public_max_starts_per_hour, WINDOW_SECONDS),
        SlidingWindowLimiter(settings.public_max_submissions_per_hour, WINDOW_SECONDS))


def _limited(what_de: str, what_en: str) -> RateLimitedError:
    return RateLimitedError(
        f"Von Ihrem Internetanschluss wurden in der letzten Stunde schon sehr viele "
        f"Fragebögen {what_de}. Bitte versuchen Sie es später noch einmal.",
        f"rate limit: too many forms {what_en} from this address")


def start_form(form: CitizenForm, limits: OnlineLimits, address: str, *, now: float,
               today: dt.date) -> None:
    """Start the clock after consent; a form started before is not counted again."""
    if not form.started and not limits.starts.acquire(address):
        raise _limited("begonnen", "started")
    form.start(now, today)


def enter_code(engine: Engine, form: CitizenForm, limits: OnlineLimits, address: str,
               code: object) -> None:
    """Check a typed or linked invitation code (without using it) and keep it with the form.
    A wrong code counts against the address's start budget (so codes cannot be guessed in
    bulk); a right one does not. Raises InvitationCodeError or RateLimitedError."""
    if not limits.starts.acquire(address):
        raise _limited("begonnen", "started")
    try:
        form.invitation_code = check_code(engine, form.campaign_id, code)
    except InvitationCodeError:
        form.invitation_code = None
        raise
    limits.starts.refund(address)


def _area_ages(session: Session, campaign_id: int, area_id: int, at: dt.datetime) -> list[float]:
    """Seconds before ``at`` of the area's stored online responses (all statuses) of the last
    hour and the week before it."""
    since = at - dt.timedelta(seconds=HOUR * (BASELINE_HOURS + 1))
    stamps = session.scalars(select(Response.created_at).where(
        Response.campaign_id == campaign_id, Response.area_id == area_id,
        Response.mode == MODE, Response.created_at > since)).all()
    return [(at - (t if t.tzinfo else t.replace(tzinfo=dt.UTC))).total_seconds() for t in stamps]


def _lock_area(session: Session, campaign_id: int, area_id: int) -> None:
    """PostgreSQL: an advisory lock per (campaign, area) until the transaction ends. SQLite
    needs none: the submit's ``BEGIN IMMEDIATE`` already holds the only write lock."""
    if not is_sqlite(session.get_bind().engine):
        digest = hashlib.sha256(f"stadtraum-burst:{campaign_id}:{area_id}".encode()).digest()
        session.execute(text("SELECT pg_advisory_xact_lock(:key)"),
                        {"key": int.from_bytes(digest[:8], "big", signed=True)})


def _judge(form: CitizenForm, flags: tuple[Flag, ...], at: dt.datetime,
           found: list[Flag]) -> Judge:
    def judge(session: Session, campaign: Campaign, area_id: int) -> tuple[str, str | None]:
        found.clear()
        _lock_area(session, campaign.id, area_id)
        if campaign.invitation_required:
            consume_code(session, campaign.id, form.invitation_code, form.response_id)
        burst = None
        if campaign.burst_enabled:
            before, baseline = hourly_counts(_area_ages(session, campaign.id, area_id, at))
            burst = burst_flag(before, baseline, campaign.burst_floor, campaign.burst_factor)
        found.extend([*flags, burst] if burst else flags)
        return ("flagged" if found else "valid"), status_reason(found)
    return judge


@dataclass(frozen=True)
class SendOutcome:
    result: SubmitResult
    flags: tuple[Flag, ...]


def send_form(engine: Engine, form: CitizenForm, limits: OnlineLimits, address: str, *,
              min_seconds_per_answer: float, now: float) -> SendOutcome:
    """Store the form once. The rate limit is checked before anything is stored; in the
    insert's transaction the burst check runs and the invitation code (if the campaign
    requires one) is used up; a flagged response is stored with status "flagged". ``now``
    (Unix seconds) is the clock of all of it and the stored time. Raises RateLimitedError,
    InvitationCodeError and everything :func:`submit_response` raises."""
    payload, seconds = form.freeze(now)
    flags = plausibility_flags(payload.ratings, seconds, min_seconds_per_answer)
    if not limits.submissions.acquire(address):
        raise _limited("abgeschickt", "submitted")
    found: list[Flag] = []
    at = dt.datetime.fromtimestamp(now, dt.UTC)
    try:
        result = submit_response(engine, payload, judge=_judge(form, flags, at, found),
                                 created_at=at)
    except BaseException:
        limits.submissions.refund(address)  # nothing stored: the attempt does not count
        raise
    if not result.created:
        limits.submissions.refund(address)  # a resend of what was stored before
    if not result.created:
        found = list(flags)  # a resend: the stored status stays what it was
    form.sent, form.flagged = True, bool(found)
    return SendOutcome(result, tuple(found))
