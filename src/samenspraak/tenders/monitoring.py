"""Reads for the monitoring of agreements: each indicator's periods, reports, the straight
line to its targets and its status, and the warnings for staff. The rules are
core.monitoring's (docs/methods/outcome-monitoring.md)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.utils import timezone

from samenspraak.core import monitoring as core
from samenspraak.tenders.models import Agreement, Indicator, IndicatorReport


def schedule(indicator: Indicator) -> list[core.Period]:
    agreement = indicator.agreement
    return core.periods(
        agreement.start_date, agreement.end_date, core.Frequency(indicator.frequency)
    )


def period_of(indicator: Indicator, start: date) -> core.Period | None:
    return next((p for p in schedule(indicator) if p.start == start), None)


@dataclass
class PeriodRow:
    period: core.Period
    expected: Decimal
    report: IndicatorReport | None
    late: bool


@dataclass
class IndicatorState:
    indicator: Indicator
    targets: dict[int, Decimal]
    final_target: Decimal
    assessment: core.Assessment
    rows: list[PeriodRow]

    @property
    def status(self) -> str:
        return self.assessment.status.value

    @property
    def chart(self) -> list[dict[str, object]]:
        """Bars for the chart: the way from baseline to final target in % (0..100), for the
        line and for the reported value, per period up to the latest report or today."""
        base = self.indicator.baseline
        span = self.final_target - base
        bars = []
        for row in self.rows:
            if row.report is None and not row.late:
                continue

            def share(value: Decimal) -> float:
                if span == 0:
                    return 100.0
                return float(max(Decimal(0), min(Decimal(100), (value - base) / span * 100)))

            bars.append(
                {
                    "label": row.period.label,
                    "expected": share(row.expected),
                    "value": share(row.report.value) if row.report else None,
                }
            )
        return bars


def states(agreement: Agreement, today: date | None = None) -> list[IndicatorState]:
    today = today or timezone.localdate()
    tolerance = agreement.lag_tolerance / Decimal(100)
    result = []
    indicators = agreement.indicators.select_related("responsible", "agreement").prefetch_related(
        "targets", "reports"
    )
    for indicator in indicators:
        plan = schedule(indicator)
        targets = {t.year: t.value for t in indicator.targets.all()}
        reports = {r.period_start: r for r in indicator.reports.all()}
        assessment = core.assess(
            baseline=indicator.baseline,
            targets=targets,
            direction=core.Direction(indicator.direction),
            schedule=plan,
            reports={start: r.value for start, r in reports.items()},
            today=today,
            late_after_days=agreement.late_after_days,
            tolerance=tolerance,
        )
        late = {p.start for p in assessment.late}
        line = core.expected_values(indicator.baseline, targets, plan)
        rows = [
            PeriodRow(p, expected, reports.get(p.start), p.start in late)
            for p, expected in zip(plan, line, strict=True)
            if p.start <= today
        ]
        result.append(
            IndicatorState(
                indicator=indicator,
                targets=targets,
                final_target=core.final_target(indicator.baseline, targets),
                assessment=assessment,
                rows=rows,
            )
        )
    return result


@dataclass
class Warning:
    agreement: Agreement
    indicator: Indicator
    kind: str  # "late" or "lagging"
    periods: list[str]


def warnings(agreement: Agreement, today: date | None = None) -> list[Warning]:
    result = []
    for state in states(agreement, today):
        if state.assessment.late:
            result.append(
                Warning(
                    agreement,
                    state.indicator,
                    "late",
                    [p.label for p in state.assessment.late],
                )
            )
        if state.assessment.lagging:
            latest = state.assessment.latest
            result.append(
                Warning(agreement, state.indicator, "lagging", [latest.label] if latest else [])
            )
    return result


def all_warnings(today: date | None = None) -> list[Warning]:
    """Warnings over every agreement (for the staff dashboard or a digest)."""
    result = []
    for agreement in Agreement.objects.select_related("tender", "bid__coalition"):
        result.extend(warnings(agreement, today))
    return result


def reportable(user, agreement: Agreement) -> list[Indicator]:
    return [
        i
        for i in agreement.indicators.select_related("responsible", "agreement__bid__coalition")
        if user.has_perm("tenders.report_indicator", i)
    ]
