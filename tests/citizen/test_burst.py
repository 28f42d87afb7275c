"""The burst rule (pure, table-driven): an area's online responses in the last hour above
max(floor, factor × the median hourly count of the 168 hours before it, empty hours counting
as 0) are flagged; the first ones up to the threshold are not. A campaign's floor and factor
start at 10 and 5; other values move the threshold the same way."""

from __future__ import annotations

import pytest

from stadtraum.citizen.burst import (
    BASELINE_HOURS,
    FACTOR,
    FLOOR,
    HOUR,
    baseline_median,
    burst_flag,
    burst_threshold,
    hourly_counts,
)


def _baseline(per_hour: int, busy_hours: int) -> list[int]:
    """``busy_hours`` hours with ``per_hour`` responses, the rest of the week empty."""
    return [per_hour] * busy_hours + [0] * (BASELINE_HOURS - busy_hours)


@pytest.mark.parametrize(("baseline", "threshold"), [
    ([0] * BASELINE_HOURS, 10),             # a new area: the floor
    (_baseline(3, 168), 15),                # steady 3 an hour: 5 × 3
    (_baseline(1, 168), 10),                # 5 × 1 = 5 < the floor
    (_baseline(40, 83), 10),                # busy in fewer than half the hours: median 0
    (_baseline(40, 84), 100),               # exactly half: median (0 + 40) / 2
    (_baseline(40, 85), 200),               # busy in more than half: median 40
    (_baseline(500, 1), 10),                # one earlier burst cannot lift the threshold
    ([4, 5] * 84, 22.5),                    # even count: mean of the two middle values
    ([], 10),                               # no history known at all
])
def test_threshold(baseline: list[int], threshold: float) -> None:
    assert burst_threshold(baseline) == threshold


@pytest.mark.parametrize(("before", "baseline", "flagged"), [
    (0, [0] * BASELINE_HOURS, False),       # the first response of the hour
    (9, [0] * BASELINE_HOURS, False),       # the 10th: at the threshold, not above it
    (10, [0] * BASELINE_HOURS, True),       # the 11th: above
    (999, [0] * BASELINE_HOURS, True),
    (14, _baseline(3, 168), False),         # the 15th of a 3-an-hour area
    (15, _baseline(3, 168), True),
    (21, [4, 5] * 84, False),               # the 22nd: below 22.5
    (22, [4, 5] * 84, True),                # the 23rd: above
])
def test_flag(before: int, baseline: list[int], flagged: bool) -> None:
    flag = burst_flag(before, baseline)
    assert (flag is not None) == flagged
    if flag is not None:
        assert flag.code == "burst"
        assert f"{before + 1}. Online-Antwort" in flag.message_de
        assert "Schwelle" in flag.message_de and "threshold" in flag.message_en


def test_a_new_campaign_starts_at_ten_and_five() -> None:
    assert (FLOOR, FACTOR) == (10, 5)


@pytest.mark.parametrize(("baseline", "floor", "factor", "threshold"), [
    ([0] * BASELINE_HOURS, 3, 5, 3),        # a low floor: the 4th is flagged
    ([0] * BASELINE_HOURS, 1, 1, 1),        # the lowest controls: the 2nd is flagged
    ([0] * BASELINE_HOURS, 10_000, 5, 10_000),
    (_baseline(3, 168), 3, 5, 15),          # a steady area still gets factor × median
    (_baseline(3, 168), 3, 1, 3),           # factor 1: the median itself (here = floor)
    (_baseline(3, 168), 20, 5, 20),         # the floor wins when it is higher
    (_baseline(3, 168), 10, 100, 300),
    ([4, 5] * 84, 1, 2, 9),                 # 2 × 4.5
])
def test_threshold_with_a_campaigns_controls(baseline: list[int], floor: int, factor: int,
                                             threshold: float) -> None:
    assert burst_threshold(baseline, floor, factor) == threshold


@pytest.mark.parametrize(("before", "floor", "factor", "flagged"), [
    (2, 3, 5, False),                       # the 3rd with floor 3: not above it
    (3, 3, 5, True),                        # the 4th: flagged
    (0, 1, 1, False),
    (1, 1, 1, True),
    (10, 20, 5, False),                     # the 11th is fine under a floor of 20
    (20, 20, 5, True),
])
def test_flag_with_a_campaigns_controls(before: int, floor: int, factor: int,
                                        flagged: bool) -> None:
    flag = burst_flag(before, [0] * BASELINE_HOURS, floor, factor)
    assert (flag is not None) == flagged
    if flag is not None:
        assert f"(Schwelle {floor})" in flag.message_de


def test_the_median_of_an_empty_or_quiet_week_is_zero() -> None:
    assert baseline_median([]) == baseline_median([0] * BASELINE_HOURS) == 0.0
    assert baseline_median([4, 5] * 84) == 4.5


def test_hourly_counts_buckets_by_age() -> None:
    ages = [0.0, 10.0, HOUR - 0.001,        # the current hour
            HOUR, 2 * HOUR - 1,             # the hour before: bucket 0
            5.5 * HOUR,                     # bucket 4
            (BASELINE_HOURS + 1) * HOUR - 1,  # the oldest bucket
            (BASELINE_HOURS + 1) * HOUR,    # older than the week: ignored
            -30.0]                          # stamped after "now" (clock skew): current hour
    current, baseline = hourly_counts(ages)
    assert current == 4
    assert len(baseline) == BASELINE_HOURS
    assert baseline[0] == 2 and baseline[4] == 1 and baseline[-1] == 1
    assert sum(baseline) == 4
