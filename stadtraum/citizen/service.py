"""Use cases of the citizens' online form: start (rate-limited), send (rate-limited,
plausibility-flagged, idempotent) and the area profile shown on the thank-you page."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np
from sqlalchemy.engine import Engine

from stadtraum.analysis.cube import CubeFilter
from stadtraum.analysis.cube_store import CubeProvider
from stadtraum.analysis.results import compute_results
from stadtraum.citizen.form import CitizenForm
from stadtraum.citizen.plausibility import Flag, plausibility_flags, status_reason
from stadtraum.citizen.rate_limit import RateLimitedError, SlidingWindowLimiter
from stadtraum.collect.submit import SubmitResult, submit_response
from stadtraum.config import Settings

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


@dataclass(frozen=True)
class SendOutcome:
    result: SubmitResult
    flags: tuple[Flag, ...]


def send_form(engine: Engine, form: CitizenForm, limits: OnlineLimits, address: str, *,
              min_seconds_per_answer: float, now: float) -> SendOutcome:
    """Store the form once. The rate limit is checked before anything is stored; a flagged
    response is stored with status "flagged" in the same transaction. Raises
    RateLimitedError and everything :func:`submit_response` raises."""
    payload, seconds = form.freeze(now)
    flags = plausibility_flags(payload.ratings, seconds, min_seconds_per_answer)
    if not limits.submissions.acquire(address):
        raise _limited("abgeschickt", "submitted")
    try:
        result = submit_response(engine, payload, status="flagged" if flags else "valid",
                                 status_reason=status_reason(flags))
    except BaseException:
        limits.submissions.refund(address)  # nothing stored: the attempt does not count
        raise
    if not result.created:
        limits.submissions.refund(address)  # a resend of what was stored before
    form.sent, form.flagged = True, bool(flags)
    return SendOutcome(result, flags)


@dataclass(frozen=True)
class AreaProfile:
    """The citizen's own ratings next to the area's current published result."""

    labels: tuple[str, ...]
    own: tuple[float | None, ...]
    area: tuple[float | None, ...]  # None: suppressed or no ratings
    area_n: int | None  # respondents of the area; None while the area is suppressed
    min_n: int

    @property
    def area_shown(self) -> int:
        return sum(v is not None for v in self.area)


def area_profile(engine: Engine, provider: CubeProvider, campaign_id: int, area_code: str,
                 ratings: Mapping[str, int], lang: str) -> AreaProfile:
    """Own ratings (exempt from suppression: a person's view of their own answers) against
    the area's suppressed statistics, as every other view shows them."""
    res = compute_results(engine, provider, CubeFilter(campaign_ids=(campaign_id,)))
    table = res.levels[0]
    codes = table.areas["code"].tolist()
    labels = tuple(c.label("en" if lang == "en" else "de") for c in res.criteria)
    own = tuple(float(ratings[c.id]) if ratings.get(c.id) else None for c in res.criteria)
    if area_code not in codes:
        return AreaProfile(labels, own, (None,) * len(labels), None, res.min_n)
    a = codes.index(area_code)
    means = table.stats.mean[a]
    area = tuple(None if table.suppressed[a, c] or np.isnan(means[c]) else float(means[c])
                 for c in range(len(res.criteria)))
    n = None if table.index_suppressed[a] else int(table.respondents[a])
    return AreaProfile(labels, own, area, n, res.min_n)
