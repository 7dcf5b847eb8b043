"""Outcome monitoring: reporting periods, the straight line from baseline to target, and the
two warnings (a late report, a lagging indicator). Pure: no Django. The method is described
in docs/methods/outcome-monitoring.md.

Time is counted in reporting periods. The line starts at the baseline before the first
period and reaches the target of year Y at the last period of year Y (years without a target
are bridged by the line between their neighbours; after the last target it stays level).
"""

from __future__ import annotations

import itertools
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal
from enum import StrEnum

DEFAULT_LATE_AFTER_DAYS = 30
DEFAULT_TOLERANCE = Decimal("0.10")


class Direction(StrEnum):
    HIGHER = "higher"
    LOWER = "lower"


class Frequency(StrEnum):
    QUARTERLY = "quarterly"
    HALF_YEARLY = "half_yearly"
    YEARLY = "yearly"


MONTHS = {Frequency.QUARTERLY: 3, Frequency.HALF_YEARLY: 6, Frequency.YEARLY: 12}


class Status(StrEnum):
    NOT_STARTED = "not_started"
    ON_TRACK = "on_track"
    LAGGING = "lagging"
    LATE = "late"


@dataclass(frozen=True)
class Period:
    """A calendar-aligned reporting period, clipped to the agreement."""

    start: date
    end: date
    year: int
    number: int
    frequency: Frequency

    @property
    def label(self) -> str:
        if self.frequency is Frequency.QUARTERLY:
            return f"{self.year} Q{self.number}"
        if self.frequency is Frequency.HALF_YEARLY:
            return f"{self.year} H{self.number}"
        return str(self.year)


def _month_end(year: int, month: int) -> date:
    if month == 12:
        return date(year, 12, 31)
    return date(year, month + 1, 1) - timedelta(days=1)


def periods(start: date, end: date, frequency: Frequency) -> list[Period]:
    """The reporting periods that overlap ``start``..``end`` (inclusive), clipped to it."""
    if end < start:
        return []
    months = MONTHS[frequency]
    result = []
    year, first_month = start.year, ((start.month - 1) // months) * months + 1
    while True:
        period_start = date(year, first_month, 1)
        if period_start > end:
            break
        period_end = _month_end(year, first_month + months - 1)
        result.append(
            Period(
                start=max(period_start, start),
                end=min(period_end, end),
                year=year,
                number=(first_month - 1) // months + 1,
                frequency=frequency,
            )
        )
        first_month += months
        if first_month > 12:
            year, first_month = year + 1, 1
    return result


def expected_values(
    baseline: Decimal, targets: Mapping[int, Decimal], schedule: Sequence[Period]
) -> list[Decimal]:
    """The straight line's value at the end of each period of ``schedule``."""
    anchors: list[tuple[int, Decimal]] = [(0, baseline)]
    for year in sorted(targets):
        count = sum(1 for p in schedule if p.year <= year)
        if count > anchors[-1][0]:
            anchors.append((count, targets[year]))
    result = []
    for index in range(1, len(schedule) + 1):
        value = anchors[-1][1]
        for (i0, v0), (i1, v1) in itertools.pairwise(anchors):
            if i0 < index <= i1:
                value = v0 + (v1 - v0) * Decimal(index - i0) / Decimal(i1 - i0)
                break
        result.append(value)
    return result


def final_target(baseline: Decimal, targets: Mapping[int, Decimal]) -> Decimal:
    return targets[max(targets)] if targets else baseline


def late_periods(
    schedule: Sequence[Period],
    reported: set[date],
    today: date,
    late_after_days: int = DEFAULT_LATE_AFTER_DAYS,
) -> list[Period]:
    """Periods that ended more than ``late_after_days`` days before ``today`` without a report
    (``reported`` holds the start dates of the reported periods)."""
    return [
        p for p in schedule if p.start not in reported and (today - p.end).days > late_after_days
    ]


@dataclass(frozen=True)
class Assessment:
    status: Status
    latest: Period | None
    latest_value: Decimal | None
    expected: Decimal | None
    """The line's value at the end of the latest reported period."""
    progress: Decimal | None
    """Share of the way from baseline to the final target, in % (may be below 0 or above 100)."""
    shortfall: Decimal | None
    """How far the latest value is behind the line (in the good direction; negative: ahead)."""
    lagging: bool
    late: list[Period] = field(default_factory=list)


def assess(
    *,
    baseline: Decimal,
    targets: Mapping[int, Decimal],
    direction: Direction,
    schedule: Sequence[Period],
    reports: Mapping[date, Decimal],
    today: date,
    late_after_days: int = DEFAULT_LATE_AFTER_DAYS,
    tolerance: Decimal = DEFAULT_TOLERANCE,
) -> Assessment:
    """One indicator's state. ``reports`` maps a period's start date to its reported value.

    Lagging: the latest value is behind the line by more than ``tolerance`` x the distance
    from baseline to final target. Late: a period without report ended more than
    ``late_after_days`` days ago. Status: late before lagging before on track."""
    late = late_periods(schedule, set(reports), today, late_after_days)
    line = expected_values(baseline, targets, schedule)
    latest_index = max((i for i, p in enumerate(schedule) if p.start in reports), default=None)
    target = final_target(baseline, targets)
    distance = abs(target - baseline)
    if latest_index is None:
        status = Status.LATE if late else Status.NOT_STARTED
        return Assessment(status, None, None, None, None, None, False, late)
    latest = schedule[latest_index]
    value = reports[latest.start]
    expected = line[latest_index]
    sign = Decimal(1) if direction is Direction.HIGHER else Decimal(-1)
    shortfall = (expected - value) * sign
    lagging = shortfall > tolerance * distance
    progress = (value - baseline) / (target - baseline) * 100 if target != baseline else None
    if late:
        status = Status.LATE
    elif lagging:
        status = Status.LAGGING
    else:
        status = Status.ON_TRACK
    return Assessment(status, latest, value, expected, progress, shortfall, lagging, late)
