"""The burst detector of the citizens' form (pure): too many online responses for one area
within an hour are flagged for review.

The rule: a new online response is flagged when it is the k-th of its campaign's area in the
last hour (the sliding window ``(now - 1 h, now]``, the new one included) and k is above
``max(floor, factor × median)``, where the median is taken over the counts of the
:data:`BASELINE_HOURS` one-hour windows before that hour (seven days). Floor and factor are
set per campaign (on the campaigns page, :mod:`stadtraum.admin.campaign_burst`; the columns
``burst_floor`` and ``burst_factor``), from 1 to :data:`MAX_FLOOR` and 1 to
:data:`MAX_FACTOR`; a campaign starts with :data:`FLOOR` = 10 and :data:`FACTOR` = 5, and
its switch ``burst_enabled`` turns the detector off altogether. **Hours without responses
count as 0**, so the median stays 0 (and the threshold at the floor) until an area has
responses in at least half of the hours of the week. That is deliberate: a single earlier
burst (flagged or not) cannot lift the threshold for the next one; only steady traffic in most
hours of a week does. The counting query, its lock and the campaign's controls are read next
to the submit path (:mod:`stadtraum.citizen.service`).
"""

from __future__ import annotations

import statistics
from collections.abc import Iterable, Sequence

from stadtraum.citizen.plausibility import Flag

HOUR = 3600.0
BASELINE_HOURS = 168  # seven days
FLOOR = 10  # a new campaign's floor (responses of an area in an hour that never flag)
FACTOR = 5  # ... and its factor (× the median hourly count of the week before)
MAX_FLOOR = 10_000  # the limits a campaign's controls keep (checked in the database too)
MAX_FACTOR = 100
CODE = "burst"


def hourly_counts(ages: Iterable[float], hours: int = BASELINE_HOURS) -> tuple[int, list[int]]:
    """From the ages (seconds before now) of an area's online responses: how many are in the
    current hour (age < 1 h; a negative age, stamped after ``now``, counts here too), and the
    counts of the ``hours`` hours before it (index 0: 1 h ≤ age < 2 h). Older ones are
    ignored."""
    current, baseline = 0, [0] * hours
    for age in ages:
        if age < HOUR:
            current += 1
            continue
        bucket = int(age // HOUR) - 1
        if bucket < hours:
            baseline[bucket] += 1
    return current, baseline


def baseline_median(baseline: Sequence[int]) -> float:
    """The median hourly count (0 for an empty baseline)."""
    return float(statistics.median(baseline)) if baseline else 0.0


def burst_threshold(baseline: Sequence[int], floor: int = FLOOR,
                    factor: int = FACTOR) -> float:
    """``max(floor, factor × median(baseline))``; an empty baseline gives the floor."""
    return float(max(floor, factor * baseline_median(baseline)))


def burst_flag(before: int, baseline: Sequence[int], floor: int = FLOOR,
               factor: int = FACTOR) -> Flag | None:
    """The flag for a new response when ``before`` responses of its area were stored in the
    current hour already (threshold ``max(floor, factor × median)``), else None."""
    position = before + 1
    threshold = burst_threshold(baseline, floor, factor)
    if position <= threshold:
        return None
    shown = f"{threshold:g}".replace(".", ",")
    return Flag(CODE,
                f"Häufung im Gebiet: {position}. Online-Antwort innerhalb einer Stunde "
                f"(Schwelle {shown})",
                f"burst in the area: online response no. {position} within an hour "
                f"(threshold {threshold:g})")
