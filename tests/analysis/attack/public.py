"""Before and after one submission on a public figure: the citizens' thank-you page.

The attacker sends a form through the real citizen service and reads the thank-you page (the
area's published means and its number of respondents), a neighbour sends theirs, the attacker
sends a second form and reads the page again. The difference of the two pages, minus the
attacker's own second answer, is the neighbour's answer. The attacker does not see the
per-criterion n, only the respondents; it finds the n behind each mean as the counts that make
mean × n a whole number, and keeps every neighbour value (0 = "keine Angabe") consistent with
both pages.
"""

from __future__ import annotations

import datetime as dt
import time
from dataclasses import dataclass

from sqlalchemy.engine import Engine

from stadtraum.accounts.permissions import SYSTEM
from stadtraum.analysis.cube_store import CubeProvider
from stadtraum.citizen.form import CitizenForm
from stadtraum.citizen.service import make_limits, send_form
from stadtraum.citizen.thanks import area_profile
from stadtraum.config import load_settings
from stadtraum.criteria import get_catalogue
from stadtraum.publish.service import publish_results

_TOL = 1e-7
# two days after the data were loaded: the demo's own stored rows are then outside the burst
# detector's current hour, as they would be for a real attacker
_LATER = 2 * 86400.0
_UNKNOWN_N = 2000


@dataclass(frozen=True)
class ThankYouAttack:
    area_code: str
    neighbour: dict[str, int]  # what the neighbour entered, 0 = keine Angabe
    candidates: dict[str, frozenset[int]]  # per criterion the values both pages allow
    respondents: tuple[int | None, int | None]  # the page's n before and after

    @property
    def recovered(self) -> int:
        """Criteria whose neighbour value the attacker pins down to the right one."""
        return sum(self.candidates[c] == {v} for c, v in self.neighbour.items())

    @property
    def exact(self) -> bool:
        return self.recovered == len(self.neighbour)


def _send(engine: Engine, campaign_id: int, area: str, ratings: dict[str, int],
          address: str, now: float) -> None:
    settings = load_settings()
    form = CitizenForm(campaign_id=campaign_id, consent=True)
    form.start(now - 300.0, dt.date.today())  # five minutes for fourteen questions
    form.area_code = area
    form.ratings = dict(ratings)
    outcome = send_form(engine, form, make_limits(settings), address,
                        min_seconds_per_answer=settings.min_seconds_per_answer, now=now)
    assert outcome.result.created and not outcome.flags, outcome.flags


def _page(engine: Engine, campaign_id: int, area: str,
          ratings: dict[str, int]) -> tuple[tuple[float | None, ...], int | None]:
    """The thank-you page's area figures and respondents (None: not shown). Since issue 10's
    fix the page reads the published snapshot (rounded, no n)."""
    rated = {c: s for c, s in ratings.items() if s}
    page = area_profile(engine, campaign_id, area, rated, "de")
    return tuple(page.area), getattr(page, "area_n", None)


def _republish(engine: Engine, campaign_id: int) -> None:
    """The attacker's best case: the city republishes after every single submission."""
    publish_results(engine, CubeProvider(engine), campaign_id, actor=SYSTEM)


def _values(m1: float | None, m2: float | None, n_before: int, own: int) -> frozenset[int]:
    """Neighbour values x (0 = not rated) with mean1·n1 whole and mean2·n2 = sum1 + own + x."""
    if m1 is None or m2 is None:
        return frozenset(range(8))  # nothing shown: nothing learnt
    found = set()
    for n1 in range(1, n_before + 1):
        s1 = m1 * n1
        if abs(s1 - round(s1)) > _TOL * n1:
            continue
        for x in range(8):
            n2 = n1 + 1 + (x > 0)
            if abs(m2 * n2 - (round(s1) + own + x)) <= _TOL * n2:
                found.add(x)
    return frozenset(found)


def _far(means: tuple[float | None, ...]) -> list[int]:
    """The attacker's second form: every rating far from the mean the page showed, so that
    it cannot be mistaken for "no change" (alternating, so it is not straight-lined)."""
    return [(1 + i % 2) if (m or 4.0) >= 4.0 else (7 - i % 2) for i, m in enumerate(means)]


def thank_you_attack(engine: Engine, campaign_id: int, area: str, neighbour: dict[str, int],
                     first: dict[str, int]) -> ThankYouAttack:
    """Run the attack around one neighbour's submission; ``first`` is the attacker's first
    form (every criterion rated), the second is chosen from the page it leads to."""
    ids = get_catalogue().ids
    now = time.time() + _LATER
    _republish(engine, campaign_id)
    _send(engine, campaign_id, area, first, "198.51.100.7", now)
    _republish(engine, campaign_id)
    before, n_before = _page(engine, campaign_id, area, first)
    second = dict(zip(ids, _far(before), strict=True))
    _send(engine, campaign_id, area, neighbour, "203.0.113.9", now + 60.0)
    _republish(engine, campaign_id)
    _send(engine, campaign_id, area, second, "198.51.100.7", now + 120.0)
    _republish(engine, campaign_id)
    after, n_after = _page(engine, campaign_id, area, second)
    # without a shown n the attacker tries every n up to a generous guess
    limit = n_before if n_before is not None else _UNKNOWN_N
    candidates = {c: _values(before[i], after[i], limit, second[c]) for i, c in enumerate(ids)}
    return ThankYouAttack(area, dict(neighbour), candidates, (n_before, n_after))
