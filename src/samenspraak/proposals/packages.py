"""Budget packages: every write (save, update, check, conditions, status) and what the
package pages read.

A package is a set of measures of one process that staff save from the budget page (the
optimiser's best package or an alternative) or compose themselves. It is checked against the
council's frameworks as a whole: per year the structural and incidental effects of its
proposals add up, its aspects are the union of theirs, and the conditions are those staff
assessed for the package. Moving it to consultation or the council runs that check first and
is refused when it fails, unless staff give a reason for the override (kept in the audit
trail) — the same gate as for a proposal (``services.proposal_transition``).

The services follow ``services.py``: permission first (``PermissionDenied``), then every
check before any write (``ValidationError`` naming the field), one transaction, an audit
event.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Prefetch, QuerySet
from django.utils.translation import gettext as _

from samenspraak.common.audit import audit_record
from samenspraak.proposals import adapters
from samenspraak.proposals.models import (
    PACKAGE_GATED_STATUSES,
    PACKAGE_PUBLIC_STATUSES,
    PACKAGE_TRANSITIONS,
    BudgetPackage,
    ConditionMet,
    FinancialEffect,
    PackageCheck,
    PackageOrigin,
    PackageStatus,
    Proposal,
    ProposalKind,
)
from samenspraak.proposals.services import CheckFailed, check_transition, save_status_locked

ZERO = Decimal("0.00")
OBJECTIVES = ("support", "impact", "people")


def _require(actor, perm: str, obj=None) -> None:
    if not actor.has_perm(perm, obj):
        raise PermissionDenied(perm)


def _user_or_none(actor):
    return actor if getattr(actor, "is_authenticated", False) else None


def _audit(actor, action: str, package: BudgetPackage, changes=None) -> None:
    audit_record(
        actor=actor,
        action=action,
        obj=package,
        process_id=package.process_id,
        changes=changes,
    )


def _key(text: str) -> str:
    return " ".join(text.split()).casefold()


# --- validating -------------------------------------------------------------------------------


def _clean_title(title: str) -> str:
    title = " ".join((title or "").split())
    if not title:
        raise ValidationError({"title": _("Give the package a title.")})
    if len(title) > 200:
        raise ValidationError({"title": _("A title has at most 200 characters.")})
    return title


def _clean_proposals(process, proposals: Iterable[Proposal]) -> list[Proposal]:
    """The proposals, each once; all measures of ``process``; at least one."""
    chosen: dict[int, Proposal] = {}
    for proposal in proposals:
        chosen.setdefault(proposal.pk, proposal)
    if not chosen:
        raise ValidationError(
            {"proposals": _("A package needs at least one proposal. This one is empty.")}
        )
    foreign = [p.title for p in chosen.values() if p.process_id != process.pk]
    if foreign:
        raise ValidationError(
            {
                "proposals": _("These proposals belong to another process: %(titles)s.")
                % {"titles": "; ".join(foreign)}
            }
        )
    programmes = [p.title for p in chosen.values() if p.kind != ProposalKind.MEASURE]
    if programmes:
        raise ValidationError(
            {
                "proposals": _("A package holds measures only, not: %(titles)s.")
                % {"titles": "; ".join(programmes)}
            }
        )
    return list(chosen.values())


def _member_ids(package: BudgetPackage) -> list[int]:
    return sorted(package.proposals.values_list("pk", flat=True))


# --- saving and changing ----------------------------------------------------------------------


@transaction.atomic
def package_save(
    *,
    actor,
    process,
    title: str,
    proposals: Sequence[Proposal],
    objective: str = "",
    harm: Decimal | float | None = None,
    note: str = "",
) -> BudgetPackage:
    """Save a package: from the budget page (``objective`` and the optimiser's ``harm``) or
    composed by staff (no objective)."""
    _require(actor, "proposals.add_package", process)
    errors: dict[str, list[str]] = {}
    try:
        title = _clean_title(title)
    except ValidationError as exc:
        errors.update(exc.message_dict)
    try:
        members = _clean_proposals(process, proposals)
    except ValidationError as exc:
        errors.update(exc.message_dict)
    if objective and objective not in OBJECTIVES:
        errors["objective"] = [_("Unknown objective.")]
    if errors:
        raise ValidationError(errors)
    package = BudgetPackage.objects.create(
        process=process,
        title=title,
        origin=PackageOrigin.OPTIMISER if objective else PackageOrigin.STAFF,
        objective=objective,
        harm=None if harm is None else Decimal(str(harm)).quantize(Decimal("0.0001")),
        created_by=_user_or_none(actor),
        note=(note or "").strip(),
    )
    package.proposals.set(members)
    _audit(
        actor,
        "package_save",
        package,
        {
            "origin": package.origin,
            "objective": objective,
            "proposals": sorted(p.pk for p in members),
        },
    )
    return package


@transaction.atomic
def package_update(
    *,
    actor,
    package: BudgetPackage,
    proposals: Sequence[Proposal] | None = None,
    title: str | None = None,
    note: str | None = None,
) -> BudgetPackage:
    """Staff change the proposals (or title, note) of a draft package. A package whose
    proposals changed is no longer what the optimiser chose: it is then composed by staff."""
    _require(actor, "proposals.change_package", package)
    locked = BudgetPackage.objects.select_for_update().select_related("process").get(pk=package.pk)
    _require(actor, "proposals.change_package", locked)
    errors: dict[str, list[str]] = {}
    changes: dict[str, Any] = {}
    if title is not None:
        try:
            new_title = _clean_title(title)
        except ValidationError as exc:
            errors.update(exc.message_dict)
        else:
            if new_title != locked.title:
                changes["title"] = [locked.title, new_title]
                locked.title = new_title
    members = None
    if proposals is not None:
        try:
            members = _clean_proposals(locked.process, proposals)
        except ValidationError as exc:
            errors.update(exc.message_dict)
    if errors:
        raise ValidationError(errors)
    if note is not None and note.strip() != locked.note:
        locked.note = note.strip()
        changes["note"] = True
    if members is not None:
        before = _member_ids(locked)
        after = sorted(p.pk for p in members)
        if before != after:
            locked.proposals.set(members)
            changes["proposals"] = [before, after]
            if locked.origin == PackageOrigin.OPTIMISER:
                changes["origin"] = [locked.origin, PackageOrigin.STAFF]
                locked.origin = PackageOrigin.STAFF
                locked.objective = ""
                locked.harm = None
    locked.save()
    if changes:
        _audit(actor, "package_update", locked, changes)
    package.refresh_from_db()
    return locked


@transaction.atomic
def package_assess_conditions(
    *, actor, package: BudgetPackage, assessments: Sequence[Mapping[str, Any]]
) -> BudgetPackage:
    """Staff say per condition of the frameworks whether the package as a whole meets it.
    Rows are ``{condition, met (yes/no/unknown), note}``."""
    _require(actor, "proposals.assess_package_conditions", package)
    framework = getattr(package.process, "framework", None)
    known = {_key(c): c for c in (framework.condition_lines if framework else [])}
    errors = []
    for number, row in enumerate(assessments, start=1):
        if _key(row.get("condition") or "") not in known:
            errors.append(
                _("Condition %(n)s is not one of the conditions of the frameworks.") % {"n": number}
            )
        if row.get("met", ConditionMet.UNKNOWN) not in ConditionMet.values:
            errors.append(
                _("Condition %(n)s: choose met, not met or not assessed.") % {"n": number}
            )
    if errors:
        raise ValidationError({"assessments": errors})
    current = {_key(row["condition"]): row for row in package.conditions}
    for row in assessments:
        condition = known[_key(row["condition"])]
        current[_key(condition)] = {
            "condition": condition,
            "met": row.get("met", ConditionMet.UNKNOWN),
            "note": (row.get("note") or "").strip(),
        }
    package.conditions = list(current.values())
    package.save(update_fields=["conditions", "updated_at"])
    _audit(
        actor,
        "package_conditions",
        package,
        {row["condition"][:80]: row["met"] for row in package.conditions},
    )
    return package


# --- the framework check ------------------------------------------------------------------------


def package_members(package: BudgetPackage) -> list[Proposal]:
    return list(
        package.proposals.select_related("current_version")
        .prefetch_related(Prefetch("effects", queryset=FinancialEffect.objects.order_by("year")))
        .order_by("title", "pk")
    )


def summed_effects(members: Sequence[Proposal]) -> dict[int, tuple[Decimal, Decimal]]:
    """Per year the (structural, incidental) sums of the members' stored effects."""
    totals: dict[int, tuple[Decimal, Decimal]] = {}
    for proposal in members:
        for effect in proposal.effects.all():
            s, i = totals.get(effect.year, (ZERO, ZERO))
            totals[effect.year] = (s + effect.structural, i + effect.incidental)
    return dict(sorted(totals.items()))


def package_snapshot(members: Sequence[Proposal]) -> dict[str, Any]:
    """The package as one plan, in the shape of a proposal version's snapshot: the summed
    yearly effects and the union of the aspects (no requirements: measures have none)."""
    aspects: dict[str, str] = {}
    for proposal in members:
        for aspect in proposal.aspects:
            aspects.setdefault(_key(aspect), aspect)
    return {
        "aspects": list(aspects.values()),
        "effects": [
            {"year": year, "structural": str(s), "incidental": str(i)}
            for year, (s, i) in summed_effects(members).items()
        ],
        "requirements": [],
    }


def _assessment_rows(
    package: BudgetPackage, conditions: Sequence[str]
) -> list[tuple[str, str, str]]:
    """Staff's assessments of the current conditions; a condition not assessed for the package
    counts as not assessed (never carried over from its proposals)."""
    current = {_key(c) for c in conditions}
    return [
        (row["condition"], row.get("met", ConditionMet.UNKNOWN), row.get("note", ""))
        for row in package.conditions
        if _key(row.get("condition", "")) in current
    ]


@transaction.atomic
def _store_check(*, actor, package: BudgetPackage) -> PackageCheck:
    package = BudgetPackage.objects.select_related("process").get(pk=package.pk)
    framework = getattr(package.process, "framework", None)
    conditions = framework.condition_lines if framework is not None else []
    members = package_members(package)
    report = adapters.check_snapshot(
        framework, package_snapshot(members), _assessment_rows(package, conditions)
    )
    check = PackageCheck.objects.create(
        package=package,
        members=[
            {
                "id": p.pk,
                "slug": p.slug,
                "title": p.title,
                "version": p.current_version.number if p.current_version else None,
            }
            for p in members
        ],
        report=report.to_dict(),
        passed=report.passed,
        run_by=_user_or_none(actor),
    )
    _audit(
        actor,
        "package_check",
        package,
        {
            "passed": report.passed,
            "failed": [i.code for i in report.items if i.status.value == "fail"],
            "proposals": [p.pk for p in members],
        },
    )
    return check


def package_run_check(*, actor, package: BudgetPackage) -> PackageCheck:
    """Check the package as it is now against the frameworks and store the result."""
    _require(actor, "proposals.run_package_check", package)
    return _store_check(actor=actor, package=package)


def package_transition(
    *, actor, package: BudgetPackage, to_status: str, override_reason: str = ""
) -> BudgetPackage:
    """Move the package on (``PACKAGE_TRANSITIONS``). Before consultation or the council the
    check runs and is stored; a failing check refuses the step (``CheckFailed``) unless staff
    give a reason for the override, which the audit trail keeps with the check."""
    _require(actor, "proposals.change_package_status", package)
    check_transition(
        statuses=PackageStatus,
        transitions=PACKAGE_TRANSITIONS,
        current=package.status,
        to_status=to_status,
        refusal=_("A package that is “%(from)s” cannot become “%(to)s”."),
    )
    override_reason = (override_reason or "").strip()
    check = None
    if to_status in PACKAGE_GATED_STATUSES:
        # Its own transaction: the check is kept even when the step is refused.
        check = _store_check(actor=actor, package=package)
        if not check.passed and not override_reason:
            raise CheckFailed(
                _(
                    "The package does not meet the frameworks yet (see the check). "
                    "Staff can still move it on with a reason for the override."
                ),
                check=check,  # type: ignore[arg-type]
            )
    with transaction.atomic():
        locked, old = save_status_locked(package, to_status)
        changes: dict[str, Any] = {"status": [old, to_status]}
        if check is not None:
            changes["check"] = check.pk
            changes["check_passed"] = check.passed
            if not check.passed:
                changes["override_reason"] = override_reason
        _audit(actor, "package_status", locked, changes)
    package.status = to_status
    return package


# --- reading ------------------------------------------------------------------------------------


def package_list_for_user(*, user, process) -> QuerySet[BudgetPackage]:
    """The packages of ``process`` the user may read, newest first."""
    packages = BudgetPackage.objects.filter(process=process).select_related("process")
    if user.has_perm("proposals.view_package", BudgetPackage(process=process)):
        return packages  # staff and the process's facilitators read every package
    return (
        packages.filter(status__in=PACKAGE_PUBLIC_STATUSES)
        if process.is_public
        else (packages.none())
    )


def latest_check(package: BudgetPackage) -> PackageCheck | None:
    return package.checks.select_related("run_by").first()


def check_items(check: PackageCheck) -> list[dict[str, Any]]:
    report = adapters.report_from_dict(check.report)
    return [adapters.item_text(item) for item in report.items]


def check_is_current(package: BudgetPackage, check: PackageCheck | None) -> bool:
    """Whether the check saw the package as it is now: the same proposals, same versions."""
    if check is None:
        return False
    now = {
        (p.pk, p.current_version.number if p.current_version else None)
        for p in package.proposals.select_related("current_version")
    }
    then = {(m["id"], m["version"]) for m in check.members}
    return now == then


@dataclass(frozen=True)
class PackageConditionRow:
    condition: str
    met: str
    note: str


def condition_rows(package: BudgetPackage) -> list[PackageConditionRow]:
    framework = getattr(package.process, "framework", None)
    if framework is None:
        return []
    assessed = {_key(row["condition"]): row for row in package.conditions}
    rows = []
    for condition in framework.condition_lines:
        row = assessed.get(_key(condition), {})
        rows.append(
            PackageConditionRow(
                condition, row.get("met", ConditionMet.UNKNOWN), row.get("note", "")
            )
        )
    return rows
