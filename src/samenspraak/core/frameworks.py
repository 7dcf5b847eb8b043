"""Checks against the council's frameworks (kaders) -> ``Finding`` objects.

A framework gives a financial bandwidth per budget year: either a range a plan must stay
within (e.g. a land-development result between -0.5m and +1.5m) or a savings target
(structural and incidental) that a package of measures must reach. This module checks
that the frameworks themselves are consistent; later issues check plans against them.
"""

from __future__ import annotations

import enum
import itertools
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal


class Severity(enum.StrEnum):
    ERROR = "error"
    WARNING = "warning"


class BandwidthKind(enum.StrEnum):
    RANGE = "range"  # financiële bandbreedte: minimum and/or maximum amount
    SAVINGS = "savings"  # besparingsopgave: an amount to save


@dataclass(frozen=True)
class Finding:
    """One thing a check found, in Dutch and English, tied to a field and year if any."""

    code: str
    severity: Severity
    message_nl: str
    message_en: str
    field: str | None = None
    year: int | None = None
    index: int | None = None


@dataclass(frozen=True)
class BandwidthYear:
    year: int
    minimum: Decimal | None = None
    maximum: Decimal | None = None
    savings_structural: Decimal | None = None
    savings_incidental: Decimal | None = None

    @property
    def savings_total(self) -> Decimal:
        return (self.savings_structural or Decimal(0)) + (self.savings_incidental or Decimal(0))


@dataclass(frozen=True)
class PhaseDates:
    title: str
    start: date | None
    end: date | None


def check_bandwidth_year(kind: BandwidthKind, row: BandwidthYear, index: int) -> list[Finding]:
    """Findings for one budget year of a bandwidth."""
    findings: list[Finding] = []
    if kind is BandwidthKind.RANGE:
        if row.minimum is None and row.maximum is None:
            findings.append(
                Finding(
                    "range_empty",
                    Severity.ERROR,
                    f"Vul voor {row.year} een minimum of een maximum in.",
                    f"Enter a minimum or a maximum for {row.year}.",
                    field="minimum",
                    year=row.year,
                    index=index,
                )
            )
        if row.minimum is not None and row.maximum is not None and row.minimum > row.maximum:
            findings.append(
                Finding(
                    "minimum_above_maximum",
                    Severity.ERROR,
                    f"Het minimum voor {row.year} is hoger dan het maximum.",
                    f"The minimum for {row.year} is higher than the maximum.",
                    field="minimum",
                    year=row.year,
                    index=index,
                )
            )
    else:
        if row.savings_structural is None and row.savings_incidental is None:
            findings.append(
                Finding(
                    "savings_empty",
                    Severity.ERROR,
                    f"Vul voor {row.year} een structurele of incidentele besparing in.",
                    f"Enter a structural or incidental saving for {row.year}.",
                    field="savings_structural",
                    year=row.year,
                    index=index,
                )
            )
        for name in ("savings_structural", "savings_incidental"):
            value = getattr(row, name)
            if value is not None and value < 0:
                findings.append(
                    Finding(
                        "savings_negative",
                        Severity.ERROR,
                        f"Een besparing is een positief bedrag ({row.year}).",
                        f"A saving is a positive amount ({row.year}).",
                        field=name,
                        year=row.year,
                        index=index,
                    )
                )
    return findings


def check_bandwidth(kind: BandwidthKind, rows: Sequence[BandwidthYear]) -> list[Finding]:
    """Findings for a whole bandwidth: each year, duplicate years, a shrinking structural target.

    A structural saving recurs every year from its start, so a structural target that drops
    in a later year is almost always a typing error; it is a warning, not an error.
    """
    findings: list[Finding] = []
    seen: dict[int, int] = {}
    for index, row in enumerate(rows):
        findings.extend(check_bandwidth_year(kind, row, index))
        if row.year in seen:
            findings.append(
                Finding(
                    "duplicate_year",
                    Severity.ERROR,
                    f"Het jaar {row.year} staat er twee keer in.",
                    f"The year {row.year} appears twice.",
                    field="year",
                    year=row.year,
                    index=index,
                )
            )
        seen.setdefault(row.year, index)
    if kind is BandwidthKind.SAVINGS:
        ordered = sorted(
            (r for r in rows if r.savings_structural is not None), key=lambda r: r.year
        )
        for earlier, later in itertools.pairwise(ordered):
            assert earlier.savings_structural is not None
            assert later.savings_structural is not None
            if later.savings_structural < earlier.savings_structural:
                findings.append(
                    Finding(
                        "structural_decreases",
                        Severity.WARNING,
                        f"De structurele besparing daalt van {earlier.year} naar {later.year}. "
                        "Klopt dat?",
                        f"The structural saving drops from {earlier.year} to {later.year}. "
                        "Is that right?",
                        field="savings_structural",
                        year=later.year,
                    )
                )
    return findings


def check_phases(phases: Sequence[PhaseDates]) -> list[Finding]:
    """Findings for a process's ordered phases: each ends after it starts; no overlap."""
    findings: list[Finding] = []
    for index, phase in enumerate(phases):
        if phase.start and phase.end and phase.end < phase.start:
            findings.append(
                Finding(
                    "phase_ends_before_start",
                    Severity.ERROR,
                    f"De fase '{phase.title}' eindigt voordat hij begint.",
                    f"The phase '{phase.title}' ends before it starts.",
                    field="end_date",
                    index=index,
                )
            )
    for index, (earlier, later) in enumerate(itertools.pairwise(phases), start=1):
        if earlier.end and later.start and later.start < earlier.end:
            findings.append(
                Finding(
                    "phases_overlap",
                    Severity.WARNING,
                    f"De fase '{later.title}' begint voordat '{earlier.title}' klaar is.",
                    f"The phase '{later.title}' starts before '{earlier.title}' ends.",
                    field="start_date",
                    index=index,
                )
            )
    return findings


def current_phase_index(phases: Sequence[PhaseDates], today: date) -> int | None:
    """The phase that ``today`` falls in (the last one that has started), or None.

    The clock is the caller's: core never reads it.
    """
    current: int | None = None
    for index, phase in enumerate(phases):
        if phase.start and phase.start <= today:
            current = index
    return current
