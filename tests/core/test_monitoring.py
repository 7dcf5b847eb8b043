"""Outcome monitoring: periods, the straight line, lateness and lag, worked by hand
(docs/methods/outcome-monitoring.md)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from samenspraak.core.monitoring import (
    Direction,
    Frequency,
    Status,
    assess,
    expected_values,
    late_periods,
    periods,
)

D = Decimal
QUARTERS_2026_2027 = periods(date(2026, 1, 1), date(2027, 12, 31), Frequency.QUARTERLY)


def test_quarterly_periods_are_calendar_quarters():
    assert [p.label for p in QUARTERS_2026_2027] == [
        "2026 Q1", "2026 Q2", "2026 Q3", "2026 Q4",
        "2027 Q1", "2027 Q2", "2027 Q3", "2027 Q4",
    ]  # fmt: skip
    assert QUARTERS_2026_2027[1].start == date(2026, 4, 1)
    assert QUARTERS_2026_2027[1].end == date(2026, 6, 30)


def test_periods_are_clipped_to_the_agreement():
    half = periods(date(2025, 10, 15), date(2026, 5, 10), Frequency.HALF_YEARLY)
    assert [(p.label, p.start, p.end) for p in half] == [
        ("2025 H2", date(2025, 10, 15), date(2025, 12, 31)),
        ("2026 H1", date(2026, 1, 1), date(2026, 5, 10)),
    ]
    assert [p.label for p in periods(date(2026, 3, 1), date(2028, 1, 1), Frequency.YEARLY)] == [
        "2026",
        "2027",
        "2028",
    ]
    assert periods(date(2026, 1, 1), date(2025, 1, 1), Frequency.YEARLY) == []


def test_line_from_baseline_through_yearly_targets():
    # 100 -> 140 over the four quarters of 2026, then -> 200 over those of 2027.
    line = expected_values(D(100), {2026: D(140), 2027: D(200)}, QUARTERS_2026_2027)
    assert line == [D(110), D(120), D(130), D(140), D(155), D(170), D(185), D(200)]


def test_a_year_without_target_is_bridged_and_the_line_stays_level_after_the_last():
    line = expected_values(D(0), {2027: D(80)}, QUARTERS_2026_2027)
    assert line == [D(10), D(20), D(30), D(40), D(50), D(60), D(70), D(80)]
    line = expected_values(D(0), {2026: D(40)}, QUARTERS_2026_2027)
    assert line[4:] == [D(40)] * 4


def _assess(reports, today=date(2026, 10, 15), direction=Direction.HIGHER, **kw):
    return assess(
        baseline=kw.get("baseline", D(100)),
        targets=kw.get("targets", {2026: D(140), 2027: D(200)}),
        direction=direction,
        schedule=QUARTERS_2026_2027,
        reports={QUARTERS_2026_2027[i].start: D(v) for i, v in reports.items()},
        today=today,
    )


def test_within_tolerance_is_on_track():
    # Q2: line 120, value 115: 5 behind; distance 100 -> tolerance 10.
    result = _assess({0: 110, 1: 115, 2: 121})
    assert result.status is Status.ON_TRACK
    assert result.latest_value == D(121)
    assert result.expected == D(130)
    assert result.shortfall == D(9)
    assert result.progress == D(21)


def test_more_than_tolerance_behind_is_lagging():
    # Q3: line 130, value 118: 12 behind, more than 10.
    result = _assess({0: 110, 1: 115, 2: 118})
    assert result.status is Status.LAGGING
    assert result.shortfall == D(12)
    assert result.progress == D(18)


def test_exactly_the_tolerance_is_not_lagging():
    assert _assess({0: 110, 1: 115, 2: 120}).status is Status.ON_TRACK


def test_lower_is_better():
    # 50 -> 30 in 2026: Q2's line is 40; distance 20 -> tolerance 2.
    kw = {"baseline": D(50), "targets": {2026: D(30)}, "direction": Direction.LOWER}
    assert _assess({0: 45, 1: 41}, **kw).status is Status.ON_TRACK
    lagging = _assess({0: 45, 1: 43}, **kw)
    assert lagging.status is Status.LAGGING
    assert lagging.shortfall == D(3)
    assert lagging.progress == D(35)  # 7 of the 20 down


def test_late_after_more_than_n_days():
    # Q2 2026 ended 30 June: late on 31 July (31 days), not on 30 July (30 days).
    reported = {QUARTERS_2026_2027[0].start}
    assert late_periods(QUARTERS_2026_2027, reported, date(2026, 7, 30), 30) == []
    late = late_periods(QUARTERS_2026_2027, reported, date(2026, 7, 31), 30)
    assert [p.label for p in late] == ["2026 Q2"]
    assert late_periods(QUARTERS_2026_2027, reported, date(2026, 7, 31), 31) == []


def test_late_comes_before_lagging_and_nothing_due_is_not_started():
    result = _assess({0: 110, 2: 118}, today=date(2026, 10, 15))
    assert result.status is Status.LATE
    assert result.lagging
    assert [p.label for p in result.late] == ["2026 Q2"]
    assert _assess({}, today=date(2026, 4, 15)).status is Status.NOT_STARTED
    assert _assess({}, today=date(2026, 5, 15)).status is Status.LATE
