"""Plausibility flags for anonymous online responses (pure).

A flagged response is stored (nothing a citizen sends is thrown away) but kept out of the
statistics until an admin accepts it. Two signals, both cheap and explainable:

* **too fast** – completed in less than ``min_seconds_per_answer`` per answered criterion
  (reading a question and tapping a rating takes a few seconds);
* **straight-lined** – every answered criterion got the same score, with at least
  :data:`STRAIGHT_LINE_MIN` answered (a genuine "all 4" over 14 topics is rare).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

STRAIGHT_LINE_MIN = 8


@dataclass(frozen=True)
class Flag:
    code: str  # "too_fast" | "straight_lined"
    message_de: str
    message_en: str


def plausibility_flags(ratings: Mapping[str, int | None], seconds: float,
                       min_seconds_per_answer: float) -> tuple[Flag, ...]:
    """The flags of one response: ``ratings`` as stored (None or missing = keine Angabe),
    ``seconds`` from the start of the form to sending. A threshold of 0 switches the
    too-fast check off."""
    scores = [s for s in ratings.values() if s is not None]
    flags: list[Flag] = []
    needed = min_seconds_per_answer * len(scores)
    if scores and min_seconds_per_answer > 0 and seconds < needed:
        flags.append(Flag(
            "too_fast",
            f"sehr schnell ausgefüllt ({seconds:.0f} s für {len(scores)} Bewertungen, "
            f"erwartet mindestens {needed:.0f} s)",
            f"completed very fast ({seconds:.0f} s for {len(scores)} ratings, "
            f"expected at least {needed:.0f} s)"))
    if len(scores) >= STRAIGHT_LINE_MIN and len(set(scores)) == 1:
        flags.append(Flag(
            "straight_lined",
            f"alle {len(scores)} Bewertungen gleich ({scores[0]})",
            f"all {len(scores)} ratings the same ({scores[0]})"))
    return tuple(flags)


def status_reason(flags: Iterable[Flag]) -> str | None:
    """The text stored with a flagged response: ``code: German reason`` joined by "; "."""
    text = "; ".join(f"{f.code}: {f.message_de}" for f in flags)
    return text or None


def reason_codes(reason: str | None) -> tuple[str, ...]:
    """The flag codes in a stored :func:`status_reason` text."""
    if not reason:
        return ()
    return tuple(part.split(":", 1)[0].strip() for part in reason.split("; ") if ":" in part)


_CODE_PREFIX = re.compile(r"^[a-z_]+: ")


def reason_text(reason: str | None) -> str:
    """A stored :func:`status_reason` as people read it: the German reasons without the
    internal codes (``too_fast: sehr schnell …; burst: Häufung …`` → ``sehr schnell …;
    Häufung …``)."""
    return "; ".join(_CODE_PREFIX.sub("", part) for part in (reason or "").split("; ") if part)
