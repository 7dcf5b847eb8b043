"""Every finding of the framework checks fires when it should, and only then."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from samenspraak.core.frameworks import (
    BandwidthKind,
    BandwidthYear,
    PhaseDates,
    Severity,
    check_bandwidth,
    check_bandwidth_year,
    check_phases,
    current_phase_index,
)

RANGE, SAVINGS = BandwidthKind.RANGE, BandwidthKind.SAVINGS
D = Decimal


def codes(findings):
    return [f.code for f in findings]


# --- range ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("minimum", "maximum"),
    [
        (D("-500000"), D("1500000")),
        (D("0"), D("0")),  # equal is fine
        (D("100"), None),  # only a minimum
        (None, D("100")),  # only a maximum
        (D("-2"), D("-1")),
    ],
)
def test_valid_range_year_has_no_findings(minimum, maximum):
    row = BandwidthYear(2027, minimum=minimum, maximum=maximum)
    assert check_bandwidth(RANGE, [row]) == []


def test_minimum_above_maximum():
    rows = [
        BandwidthYear(2026, minimum=D("0"), maximum=D("10")),
        BandwidthYear(2027, minimum=D("1500000"), maximum=D("200000")),
    ]
    [finding] = check_bandwidth(RANGE, rows)
    assert finding.code == "minimum_above_maximum"
    assert finding.severity is Severity.ERROR
    assert (finding.field, finding.year, finding.index) == ("minimum", 2027, 1)
    assert finding.message_nl == "Het minimum voor 2027 is hoger dan het maximum."
    assert finding.message_en == "The minimum for 2027 is higher than the maximum."


def test_minimum_one_cent_above_maximum_is_caught():
    row = BandwidthYear(2027, minimum=D("100.01"), maximum=D("100.00"))
    assert codes(check_bandwidth_year(RANGE, row, 0)) == ["minimum_above_maximum"]


def test_empty_range():
    [finding] = check_bandwidth(RANGE, [BandwidthYear(2026)])
    assert (finding.code, finding.severity, finding.year) == ("range_empty", Severity.ERROR, 2026)


def test_range_ignores_savings_fields():
    # A range framework does not complain about (or require) savings.
    row = BandwidthYear(2026, minimum=D("1"), savings_structural=D("-5"))
    assert check_bandwidth(RANGE, [row]) == []


# --- savings ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("structural", "incidental"),
    [(D("100"), None), (None, D("100")), (D("0"), D("0")), (D("1"), D("2"))],
)
def test_valid_savings_year_has_no_findings(structural, incidental):
    row = BandwidthYear(2026, savings_structural=structural, savings_incidental=incidental)
    assert check_bandwidth(SAVINGS, [row]) == []


def test_empty_savings():
    [finding] = check_bandwidth(SAVINGS, [BandwidthYear(2026, minimum=D("1"), maximum=D("2"))])
    assert finding.code == "savings_empty"
    assert finding.severity is Severity.ERROR
    assert finding.field == "savings_structural"


@pytest.mark.parametrize("field", ["savings_structural", "savings_incidental"])
def test_negative_saving(field):
    row = BandwidthYear(2026, **{field: D("-0.01")})
    [finding] = check_bandwidth(SAVINGS, [row])
    assert (finding.code, finding.severity, finding.field) == (
        "savings_negative",
        Severity.ERROR,
        field,
    )


def test_both_savings_negative_gives_two_findings():
    row = BandwidthYear(2026, savings_structural=D("-1"), savings_incidental=D("-2"))
    findings = check_bandwidth(SAVINGS, [row])
    assert sorted(f.field for f in findings) == ["savings_incidental", "savings_structural"]
    assert set(codes(findings)) == {"savings_negative"}


def test_savings_total():
    assert BandwidthYear(2026, savings_structural=D("1.50")).savings_total == D("1.50")
    assert BandwidthYear(2026, D("1"), D("2"), D("3"), D("4")).savings_total == D("7")
    assert BandwidthYear(2026).savings_total == 0


# --- whole bandwidth --------------------------------------------------------------------


@pytest.mark.parametrize("kind", [RANGE, SAVINGS])
def test_duplicate_year(kind):
    rows = [
        BandwidthYear(2026, minimum=D("1"), savings_structural=D("1")),
        BandwidthYear(2027, minimum=D("1"), savings_structural=D("1")),
        BandwidthYear(2026, minimum=D("1"), savings_structural=D("1")),
    ]
    findings = check_bandwidth(kind, rows)
    [duplicate] = [f for f in findings if f.code == "duplicate_year"]
    assert duplicate.severity is Severity.ERROR
    # The second occurrence is the one marked.
    assert (duplicate.year, duplicate.index, duplicate.field) == (2026, 2, "year")
    assert [f for f in findings if f.code != "duplicate_year"] == []


def test_structural_decrease_is_a_warning():
    rows = [  # deliberately out of order: the check orders by year
        BandwidthYear(2028, savings_structural=D("500")),
        BandwidthYear(2026, savings_structural=D("100")),
        BandwidthYear(2027, savings_structural=D("800")),
    ]
    [finding] = check_bandwidth(SAVINGS, rows)
    assert finding.code == "structural_decreases"
    assert finding.severity is Severity.WARNING
    assert finding.year == 2028
    assert "2027" in finding.message_nl
    assert "2028" in finding.message_nl


def test_structural_equal_or_rising_is_fine_and_incidental_may_drop():
    rows = [
        BandwidthYear(2026, savings_structural=D("100"), savings_incidental=D("900")),
        BandwidthYear(2027, savings_structural=D("100"), savings_incidental=D("0")),
        BandwidthYear(2028, savings_structural=D("300")),
    ]
    assert check_bandwidth(SAVINGS, rows) == []


def test_structural_decrease_not_checked_for_ranges():
    rows = [
        BandwidthYear(2026, minimum=D("1"), savings_structural=D("500")),
        BandwidthYear(2027, minimum=D("1"), savings_structural=D("100")),
    ]
    assert check_bandwidth(RANGE, rows) == []


def test_no_rows_no_findings():
    assert check_bandwidth(RANGE, []) == []
    assert check_bandwidth(SAVINGS, []) == []


# --- phases -----------------------------------------------------------------------------

JAN1, FEB1, MAR1, APR1 = date(2026, 1, 1), date(2026, 2, 1), date(2026, 3, 1), date(2026, 4, 1)


def test_consecutive_phases_have_no_findings():
    phases = [PhaseDates("A", JAN1, FEB1), PhaseDates("B", FEB1, MAR1), PhaseDates("C", MAR1, APR1)]
    # Ending on the day the next one starts is not an overlap; a one-day phase is fine.
    assert check_phases(phases) == []
    assert check_phases([PhaseDates("A", JAN1, JAN1)]) == []


def test_phase_ending_before_start():
    phases = [PhaseDates("Intake", JAN1, FEB1), PhaseDates("Dialoog", MAR1, FEB1)]
    findings = check_phases(phases)
    errors = [f for f in findings if f.severity is Severity.ERROR]
    [finding] = errors
    assert (finding.code, finding.index, finding.field) == (
        "phase_ends_before_start",
        1,
        "end_date",
    )
    assert finding.message_nl == "De fase 'Dialoog' eindigt voordat hij begint."


def test_overlap_is_a_warning():
    phases = [PhaseDates("Intake", JAN1, MAR1), PhaseDates("Dialoog", FEB1, APR1)]
    [finding] = check_phases(phases)
    assert finding.code == "phases_overlap"
    assert finding.severity is Severity.WARNING
    assert (finding.index, finding.field) == (1, "start_date")
    assert "Dialoog" in finding.message_nl
    assert "Intake" in finding.message_nl


def test_phases_without_dates_are_not_checked():
    phases = [PhaseDates("A", None, None), PhaseDates("B", JAN1, None), PhaseDates("C", None, JAN1)]
    assert check_phases(phases) == []


@pytest.mark.parametrize(
    ("today", "expected"),
    [
        (date(2025, 12, 31), None),  # before everything
        (JAN1, 0),  # the first day of the first phase
        (date(2026, 1, 31), 0),
        (FEB1, 1),
        (date(2030, 1, 1), 2),  # after the last one: still the last one that started
    ],
)
def test_current_phase_index(today, expected):
    phases = [PhaseDates("A", JAN1, FEB1), PhaseDates("B", FEB1, MAR1), PhaseDates("C", MAR1, APR1)]
    assert current_phase_index(phases, today) == expected


def test_current_phase_index_skips_phases_without_start():
    phases = [PhaseDates("A", JAN1, FEB1), PhaseDates("B", None, None)]
    assert current_phase_index(phases, date(2027, 1, 1)) == 0
    assert current_phase_index([], JAN1) is None


# --- properties -------------------------------------------------------------------------

amounts = st.decimals(
    min_value=D("-1000000000"),
    max_value=D("1000000000"),
    places=2,
    allow_nan=False,
    allow_infinity=False,
)


@st.composite
def ordered_ranges(draw):
    """Rows with unique years and minimum <= maximum (either may be missing, not both)."""
    years = draw(st.lists(st.integers(2000, 2100), unique=True, max_size=12))
    rows = []
    for year in years:
        a, b = sorted([draw(amounts), draw(amounts)])
        shape = draw(st.sampled_from(["both", "min", "max"]))
        rows.append(
            BandwidthYear(
                year,
                minimum=a if shape in ("both", "min") else None,
                maximum=b if shape in ("both", "max") else None,
            )
        )
    return rows


@given(ordered_ranges())
def test_consistent_ranges_have_no_errors(rows):
    findings = check_bandwidth(RANGE, rows)
    assert [f for f in findings if f.severity is Severity.ERROR] == []


@given(ordered_ranges())
def test_swapping_minimum_and_maximum_is_found_per_row(rows):
    swapped = [
        BandwidthYear(r.year, minimum=r.maximum, maximum=r.minimum)
        if r.minimum is not None and r.maximum is not None
        else r
        for r in rows
    ]
    expected = [
        i
        for i, r in enumerate(rows)
        if r.minimum is not None and r.maximum is not None and r.minimum < r.maximum
    ]
    findings = check_bandwidth(RANGE, swapped)
    assert sorted(f.index for f in findings if f.code == "minimum_above_maximum") == expected
    assert {f.code for f in findings} <= {"minimum_above_maximum"}


@given(
    st.lists(
        st.tuples(st.dates(date(2020, 1, 1), date(2030, 1, 1)), st.integers(0, 400)),
        max_size=8,
    )
)
def test_phases_that_end_after_they_start_have_no_errors(spans):
    phases = [
        PhaseDates(f"F{i}", start, start + timedelta(days=n)) for i, (start, n) in enumerate(spans)
    ]
    assert [f for f in check_phases(phases) if f.severity is Severity.ERROR] == []
