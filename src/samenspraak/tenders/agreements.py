"""Every write on agreements (uitvoeringsovereenkomsten) and their indicator reports: checks
permission, validates, one transaction, an audit event. The monitoring rules are
core.monitoring's (docs/methods/outcome-monitoring.md)."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from samenspraak.common.audit import audit_record
from samenspraak.tenders import monitoring
from samenspraak.tenders.models import (
    Agreement,
    Indicator,
    IndicatorReport,
    IndicatorTarget,
    MemberStatus,
    Tender,
    TenderStatus,
)

INDICATOR_FIELDS = ("name", "unit", "baseline", "direction", "frequency", "responsible")


def _require(actor, perm: str, obj=None) -> None:
    if not actor.has_perm(perm, obj):
        raise PermissionDenied(perm)


def _number(value: Any, field: str) -> Decimal:
    try:
        number = value if isinstance(value, Decimal) else Decimal(str(value).strip())
    except (InvalidOperation, ValueError):
        number = None
    if number is None or not number.is_finite():
        raise ValidationError({field: _("Give a number, for example 12 or 12.5.")})
    return number


@transaction.atomic
def agreement_create(
    *,
    actor,
    tender: Tender,
    start_date: date,
    end_date: date,
    commitments: str = "",
    late_after_days: int = 30,
    lag_tolerance: Decimal = Decimal(10),
) -> Agreement:
    """The agreement with the winning coalition of an awarded tender."""
    _require(actor, "tenders.manage_agreement")
    if tender.status != TenderStatus.AWARDED or tender.winner_id is None:
        raise ValidationError(_("Only an awarded tender gets an agreement."))
    if Agreement.objects.filter(tender=tender).exists():
        raise ValidationError(_("This tender already has an agreement."))
    if end_date < start_date:
        raise ValidationError({"end_date": _("The end date must be after the start date.")})
    if not Decimal(0) <= lag_tolerance <= Decimal(100):
        raise ValidationError({"lag_tolerance": _("The tolerance is from 0 to 100%.")})
    agreement = Agreement(
        tender=tender,
        bid=tender.winner,
        start_date=start_date,
        end_date=end_date,
        commitments=commitments.strip() or tender.winner.committed_outcomes,
        late_after_days=late_after_days,
        lag_tolerance=lag_tolerance,
    )
    agreement.full_clean(validate_constraints=False)
    agreement.save()
    audit_record(
        actor=actor,
        action="agreement_create",
        obj=agreement,
        process_id=tender.process_id,
        changes={
            "coalition": [None, str(tender.winner.coalition)],
            "period": [None, [start_date.isoformat(), end_date.isoformat()]],
        },
    )
    return agreement


@transaction.atomic
def indicator_add(
    *,
    actor,
    agreement: Agreement,
    data: Mapping[str, Any],
    targets: Mapping[int, Any],
) -> Indicator:
    """An outcome indicator with a target per year. Without a responsible partner it is a
    district figure that staff report."""
    _require(actor, "tenders.manage_agreement")
    baseline = _number(data.get("baseline"), "baseline")
    responsible = data.get("responsible")
    coalition = agreement.bid.coalition
    joined = coalition.members.filter(partner=responsible, status=MemberStatus.ACCEPTED)
    if responsible is not None and not joined.exists():
        raise ValidationError(
            {"responsible": _("The responsible partner must be a member of the coalition.")}
        )
    years = range(agreement.start_date.year, agreement.end_date.year + 1)
    values: dict[int, Decimal] = {}
    for year, raw in targets.items():
        if year not in years:
            raise ValidationError(
                {"targets": _("%(year)s is outside the agreement's period.") % {"year": year}}
            )
        values[year] = _number(raw, f"target_{year}")
    if not values:
        raise ValidationError({"targets": _("Give a target for at least one year.")})
    if agreement.indicators.filter(name__iexact=(data.get("name") or "").strip()).exists():
        raise ValidationError({"name": _("This agreement already has an indicator by this name.")})
    indicator = Indicator(
        agreement=agreement,
        position=agreement.indicators.count(),
        **{k: data.get(k) for k in INDICATOR_FIELDS if k != "baseline"},
        baseline=baseline,
    )
    indicator.name = (indicator.name or "").strip()
    indicator.full_clean(validate_constraints=False)
    indicator.save()
    IndicatorTarget.objects.bulk_create(
        IndicatorTarget(indicator=indicator, year=y, value=v) for y, v in sorted(values.items())
    )
    audit_record(
        actor=actor,
        action="indicator_add",
        obj=agreement,
        process_id=agreement.tender.process_id,
        changes={
            "indicator": [None, indicator.name],
            "baseline": [None, str(baseline)],
            "targets": [None, {str(y): str(v) for y, v in sorted(values.items())}],
        },
    )
    return indicator


@transaction.atomic
def report_save(
    *,
    actor,
    indicator: Indicator,
    period_start: date,
    value: Any,
    note: str = "",
    today: date | None = None,
) -> IndicatorReport:
    """The measurement of one indicator for one period. A second report for the same period
    is a correction: it replaces the first, and the audit log keeps both values."""
    _require(actor, "tenders.report_indicator", indicator)
    today = today or timezone.localdate()
    period = monitoring.period_of(indicator, period_start)
    if period is None:
        raise ValidationError({"period": _("Choose a period inside the agreement.")})
    if period.start > today:
        raise ValidationError({"period": _("This period has not started yet.")})
    number = _number(value, "value")
    if abs(number) >= Decimal(10) ** 12:
        raise ValidationError({"value": _("This number is too large.")})
    report = indicator.reports.filter(period_start=period.start).first()
    old = str(report.value) if report is not None else None
    if report is None:
        report = IndicatorReport(indicator=indicator, period_start=period.start)
    report.value = number
    report.note = note.strip()
    report.reported_by = actor
    report.reported_at = timezone.now()
    report.full_clean(validate_constraints=False)
    report.save()
    audit_record(
        actor=actor,
        action="indicator_report" if old is None else "indicator_report_correct",
        obj=indicator.agreement,
        process_id=indicator.agreement.tender.process_id,
        changes={
            "indicator": [None, indicator.name],
            "period": [None, period.label],
            "value": [old, str(number)],
        },
    )
    return report
