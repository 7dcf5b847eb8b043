"""Every write to proposals, their versions, amendments, comments and checks.

Each service checks permission (``PermissionDenied``), validates everything before it writes
(``ValidationError`` naming the field and row; nothing partial is stored), runs in one
transaction and records an audit event. Every content edit writes a new ``ProposalVersion``
with a snapshot of all content; the framework check (``core.frameworks`` through
``adapters``) runs on that snapshot and is stored with the version it checked.

All services take the acting user as ``actor`` and keyword-only arguments, so scripts (the
demo data) call them exactly as the pages and the API do.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from samenspraak.accounts.models import Role
from samenspraak.committees import selectors as committee_selectors
from samenspraak.common.audit import audit_record
from samenspraak.proposals import adapters
from samenspraak.proposals.models import (
    GATED_STATUSES,
    TRANSITIONS,
    Amendment,
    AmendmentStatus,
    AuthorKind,
    Comment,
    ConditionAssessment,
    ConditionMet,
    FinancialEffect,
    FrameworkCheck,
    NormOperator,
    Priority,
    Proposal,
    ProposalKind,
    ProposalSettings,
    ProposalStatus,
    ProposalVersion,
    Requirement,
)

# The content of a proposal that a version records (besides effects, requirements, districts).
CONTENT_FIELDS = (
    "kind",
    "title",
    "summary",
    "body",
    "theme",
    "budget_area",
    "aspects",
    "target_groups",
    "expected_reach",
    "risks",
)
# The text sections an amendment may change.
AMENDABLE_SECTIONS = ("title", "summary", "body", "target_groups", "risks")
ASSESSMENT_FIELDS = ("support", "impact_score", "people_affected", "exclusive_group")
MAX_AMOUNT = Decimal("999999999999.99")
YEARS = (2000, 2100)


class CheckFailed(ValidationError):
    """A gated status change refused because the framework check failed (it is stored)."""

    def __init__(self, message: str, *, check: FrameworkCheck):
        super().__init__(message, code="check_failed")
        self.check = check


def _require(actor, perm: str, obj=None) -> None:
    if not actor.has_perm(perm, obj):
        raise PermissionDenied(perm)


def _audit(actor, action: str, obj, proposal: Proposal, changes=None) -> None:
    audit_record(
        actor=actor, action=action, obj=obj, process_id=proposal.process_id, changes=changes
    )


def _user_or_none(actor):
    return actor if getattr(actor, "is_authenticated", False) else None


def _unique_slug(title: str, *, exclude_pk: int | None = None) -> str:
    base = slugify(title)[:80] or "voorstel"
    slug, n = base, 2
    qs = Proposal.objects.all()
    if exclude_pk:
        qs = qs.exclude(pk=exclude_pk)
    while qs.filter(slug=slug).exists():
        slug, n = f"{base}-{n}", n + 1
    return slug


# --- validating content ----------------------------------------------------------------------


def _money(value: Any, *, where: str, field: str, errors: list[str]) -> Decimal | None:
    """An amount as Decimal with cents; an error naming ``where`` and ``field`` otherwise."""
    if value is None or value == "":
        return None
    if isinstance(value, float):
        # Floats cannot hold cents exactly: refuse rather than round silently.
        errors.append(
            _("%(where)s, %(field)s: write the amount as text or Decimal, not as a float.")
            % {"where": where, "field": field}
        )
        return None
    try:
        amount = Decimal(str(value).strip())
    except InvalidOperation:
        errors.append(
            _("%(where)s, %(field)s: “%(value)s” is not an amount.")
            % {"where": where, "field": field, "value": value}
        )
        return None
    if not amount.is_finite() or amount != amount.quantize(Decimal("0.01")):
        errors.append(
            _("%(where)s, %(field)s: “%(value)s” is not an amount with at most two decimals.")
            % {"where": where, "field": field, "value": value}
        )
        return None
    if abs(amount) > MAX_AMOUNT:
        errors.append(
            _("%(where)s, %(field)s: this amount is too large.") % {"where": where, "field": field}
        )
        return None
    return amount


def clean_effects(rows: Sequence[Mapping[str, Any]]) -> list[dict[str, Any]]:
    """Yearly effects as ``{year, structural, incidental}``; every problem named by row."""
    errors: list[str] = []
    clean: list[dict[str, Any]] = []
    seen: dict[int, int] = {}
    for number, row in enumerate(rows, start=1):
        where = _("Financial effect %(n)s") % {"n": number}
        year = row.get("year")
        try:
            year = int(year)
        except (TypeError, ValueError):
            errors.append(
                _("%(where)s: “%(year)s” is not a year.") % {"where": where, "year": year}
            )
            continue
        if not YEARS[0] <= year <= YEARS[1]:
            errors.append(
                _("%(where)s: the year must be between 2000 and 2100.") % {"where": where}
            )
            continue
        if year in seen:
            errors.append(
                _("%(where)s: the year %(year)s is already in row %(row)s.")
                % {"where": where, "year": year, "row": seen[year]}
            )
            continue
        seen[year] = number
        structural = _money(
            row.get("structural"), where=where, field=_("structural"), errors=errors
        )
        incidental = _money(
            row.get("incidental"), where=where, field=_("incidental"), errors=errors
        )
        clean.append(
            {
                "year": year,
                "structural": structural or Decimal("0.00"),
                "incidental": incidental or Decimal("0.00"),
            }
        )
    if errors:
        raise ValidationError({"effects": errors})
    return sorted(clean, key=lambda r: r["year"])


def clean_requirements(rows: Sequence[Mapping[str, Any]]) -> list[dict[str, Any]]:
    """Requirements of a PvE; a norm is complete (what, how, value) or absent."""
    errors: list[str] = []
    clean: list[dict[str, Any]] = []
    for number, row in enumerate(rows, start=1):
        where = _("Requirement %(n)s") % {"n": number}
        aspect = (row.get("aspect") or "").strip()
        title = (row.get("title") or "").strip()
        priority = row.get("priority") or Priority.MUST
        if not aspect:
            errors.append(_("%(where)s: choose the aspect.") % {"where": where})
        if not title:
            errors.append(_("%(where)s: write the requirement.") % {"where": where})
        if priority not in Priority.values:
            errors.append(_("%(where)s: the priority is must, should or could.") % {"where": where})
        cost = _money(row.get("cost_estimate"), where=where, field=_("cost"), errors=errors)
        quantity = (row.get("norm_quantity") or "").strip()
        operator = row.get("norm_operator") or ""
        value = row.get("norm_value")
        unit = (row.get("norm_unit") or "").strip()
        if value not in (None, ""):
            try:
                value = Decimal(str(value).strip())
                if not value.is_finite():
                    raise InvalidOperation
            except InvalidOperation:
                errors.append(
                    _("%(where)s: the norm value “%(value)s” is not a number.")
                    % {"where": where, "value": row.get("norm_value")}
                )
                value = None
        else:
            value = None
        if operator and operator not in NormOperator.values:
            errors.append(_("%(where)s: unknown kind of norm.") % {"where": where})
        has_any = bool(quantity or operator or value is not None or unit)
        if has_any and not (quantity and operator and value is not None):
            missing = [
                label
                for label, present in (
                    (_("what is measured"), quantity),
                    (_("how (at least, at most, exactly)"), operator),
                    (_("the value"), value is not None),
                )
                if not present
            ]
            errors.append(
                _("%(where)s: a norm needs %(missing)s as well.")
                % {"where": where, "missing": ", ".join(str(m) for m in missing)}
            )
        clean.append(
            {
                "aspect": aspect[:100],
                "title": title[:200],
                "description": (row.get("description") or "").strip(),
                "priority": priority,
                "cost_estimate": cost,
                "norm_quantity": quantity[:100] if has_any else "",
                "norm_operator": operator if has_any else "",
                "norm_value": value if has_any else None,
                "norm_unit": unit[:40] if has_any else "",
            }
        )
    if errors:
        raise ValidationError({"requirements": errors})
    return clean


def clean_aspects(aspects: Sequence[str]) -> list[str]:
    """Aspect names, trimmed, each once (capitals do not make a new aspect)."""
    seen: set[str] = set()
    result = []
    for aspect in aspects:
        name = " ".join(str(aspect).split())
        if name and name.casefold() not in seen:
            seen.add(name.casefold())
            result.append(name[:100])
    return result


def _check_fields(process, fields: Mapping[str, Any], districts) -> None:
    errors: dict[str, list[str]] = {}
    theme = fields.get("theme")
    if theme is not None and theme.process_id != process.pk:
        errors["theme"] = [_("This theme belongs to another process.")]
    if fields.get("kind") is not None and fields["kind"] not in ProposalKind.values:
        errors["kind"] = [_("Unknown kind of proposal.")]
    foreign = [d.name for d in districts or () if d.municipality_id != process.municipality_id]
    if foreign:
        errors["districts"] = [
            _("These districts are not in the municipality of the process: %(names)s")
            % {"names": ", ".join(foreign)}
        ]
    if errors:
        raise ValidationError(errors)


# --- snapshots and versions ------------------------------------------------------------------


def _str_or_none(value) -> str | None:
    return None if value is None else str(value)


def snapshot_of(proposal: Proposal) -> dict[str, Any]:
    """All content of the proposal as plain JSON, read back from the database."""
    return {
        "kind": proposal.kind,
        "title": proposal.title,
        "summary": proposal.summary,
        "body": proposal.body,
        "theme": proposal.theme.name if proposal.theme_id else "",
        "budget_area": proposal.budget_area,
        "districts": sorted(proposal.districts.values_list("name", flat=True)),
        "aspects": list(proposal.aspects),
        "target_groups": proposal.target_groups,
        "expected_reach": proposal.expected_reach,
        "risks": proposal.risks,
        "effects": [
            {"year": e.year, "structural": str(e.structural), "incidental": str(e.incidental)}
            for e in FinancialEffect.objects.filter(proposal=proposal).order_by("year")
        ],
        "requirements": [
            {
                "aspect": r.aspect,
                "title": r.title,
                "description": r.description,
                "priority": r.priority,
                "cost_estimate": _str_or_none(r.cost_estimate),
                "norm_quantity": r.norm_quantity,
                "norm_operator": r.norm_operator,
                "norm_value": _str_or_none(r.norm_value),
                "norm_unit": r.norm_unit,
            }
            for r in Requirement.objects.filter(proposal=proposal).order_by("position", "id")
        ],
    }


def _new_version(proposal: Proposal, actor, note: str) -> ProposalVersion | None:
    """Write a version when the content differs from the current one; None when it does not."""
    snapshot = snapshot_of(proposal)
    current = proposal.current_version
    if current is not None and current.snapshot == snapshot:
        return None
    last = proposal.versions.order_by("-number").values_list("number", flat=True).first() or 0
    version = ProposalVersion.objects.create(
        proposal=proposal,
        number=last + 1,
        snapshot=snapshot,
        author=_user_or_none(actor),
        note=note.strip()[:300],
    )
    proposal.current_version = version
    proposal.save(update_fields=["current_version", "updated_at"])
    return version


def _write_effects(proposal: Proposal, rows: Sequence[Mapping[str, Any]]) -> None:
    proposal.effects.all().delete()
    FinancialEffect.objects.bulk_create([FinancialEffect(proposal=proposal, **row) for row in rows])


def _write_requirements(proposal: Proposal, rows: Sequence[Mapping[str, Any]]) -> None:
    proposal.requirements.all().delete()
    Requirement.objects.bulk_create(
        [Requirement(proposal=proposal, position=i, **row) for i, row in enumerate(rows)]
    )


def _changed_sections(old: Mapping[str, Any] | None, new: Mapping[str, Any]) -> list[str]:
    if old is None:
        return list(new)
    return [name for name in new if old.get(name) != new.get(name)]


# --- proposals -------------------------------------------------------------------------------


def _resolve_author(
    actor, process, author_kind: str | None, committee, organisation: str
) -> tuple[str, Any, str]:
    """Who the proposal is by, from what the actor asked for and may do.

    Without an explicit choice: the actor's committee in this process (when they sit on
    exactly one), else their partner organisation, else themselves as a resident.
    """
    is_manager = actor.has_perm("proposals.manage_proposals", process)
    if author_kind is None:
        if committee is not None:
            author_kind = AuthorKind.COMMITTEE
        else:
            seats = list(committee_selectors.committees_where_member(user=actor, process=process))
            if len(seats) == 1:
                author_kind, committee = AuthorKind.COMMITTEE, seats[0]
            elif actor.role == Role.PARTNER:
                author_kind = AuthorKind.PARTNER
            elif actor.role == Role.RESIDENT:
                author_kind = AuthorKind.RESIDENT
            else:
                raise ValidationError({"author_kind": _("Choose who the proposal is by.")})
    if author_kind == AuthorKind.COMMITTEE:
        if committee is None:
            raise ValidationError({"author_committee": _("Choose the committee.")})
        if committee.process_id != process.pk:
            raise ValidationError(
                {"author_committee": _("This committee belongs to another process.")}
            )
        own = committee_selectors.committees_where_member(user=actor, process=process)
        if not is_manager and not own.filter(pk=committee.pk).exists():
            raise PermissionDenied("proposals.add_proposal")
        return AuthorKind.COMMITTEE, committee, ""
    if author_kind == AuthorKind.PARTNER:
        if not is_manager:
            if actor.role != Role.PARTNER:
                raise PermissionDenied("proposals.add_proposal")
            organisation = actor.organisation
        organisation = (organisation or "").strip()
        if not organisation:
            raise ValidationError(
                {"author_organisation": _("Give the name of the partner organisation.")}
            )
        return AuthorKind.PARTNER, None, organisation[:150]
    if author_kind == AuthorKind.RESIDENT:
        settings = getattr(process, "proposal_settings", None)
        if actor.role != Role.RESIDENT or not (settings and settings.residents_may_propose):
            raise PermissionDenied("proposals.add_proposal")
        return AuthorKind.RESIDENT, None, ""
    raise ValidationError({"author_kind": _("Choose who the proposal is by.")})


@transaction.atomic
def proposal_create(
    *,
    actor,
    process,
    data: Mapping[str, Any],
    effects: Sequence[Mapping[str, Any]] = (),
    requirements: Sequence[Mapping[str, Any]] = (),
    districts: Sequence = (),
    author_kind: str | None = None,
    committee=None,
    organisation: str = "",
    note: str = "",
    slug: str | None = None,
) -> Proposal:
    """A new proposal (status draft) with its first version.

    ``data`` holds the content fields (title, summary, body, kind, theme, budget_area,
    aspects, target_groups, expected_reach, risks); ``effects`` rows are ``{year,
    structural, incidental}``, ``requirements`` rows the fields of ``Requirement``.
    """
    _require(actor, "proposals.add_proposal", process)
    kind, author_committee, author_organisation = _resolve_author(
        actor, process, author_kind, committee, organisation
    )
    fields = {k: v for k, v in data.items() if k in CONTENT_FIELDS}
    fields["aspects"] = clean_aspects(fields.get("aspects") or [])
    _check_fields(process, fields, districts)
    clean_fx = clean_effects(effects)
    clean_reqs = clean_requirements(requirements)
    proposal = Proposal(
        process=process,
        slug=slug or _unique_slug(fields.get("title") or ""),
        author_kind=kind,
        author_committee=author_committee,
        author_organisation=author_organisation,
        created_by=_user_or_none(actor),
        status=ProposalStatus.DRAFT,
        **fields,
    )
    proposal.full_clean(exclude=["current_version"])
    proposal.save()
    proposal.districts.set(districts)
    _write_effects(proposal, clean_fx)
    _write_requirements(proposal, clean_reqs)
    version = _new_version(proposal, actor, note or _("First version"))
    _audit(
        actor,
        "proposal_create",
        proposal,
        proposal,
        {"author": proposal.author_label, "version": version.number if version else None},
    )
    return proposal


@transaction.atomic
def proposal_update(
    *,
    actor,
    proposal: Proposal,
    data: Mapping[str, Any],
    effects: Sequence[Mapping[str, Any]] | None = None,
    requirements: Sequence[Mapping[str, Any]] | None = None,
    districts: Sequence | None = None,
    note: str = "",
) -> ProposalVersion | None:
    """Change the content; a new version when anything changed (None when nothing did).

    Only the authors, while the proposal is a draft or submitted; never a facilitator.
    ``effects``, ``requirements`` and ``districts`` replace what is stored when given.
    """
    _require(actor, "proposals.change_proposal", proposal)
    given = proposal
    # Lock the row: two authors saving at once must not get the same version number.
    proposal = Proposal.objects.select_for_update().select_related("process").get(pk=proposal.pk)
    _require(actor, "proposals.change_proposal", proposal)
    fields = {k: v for k, v in data.items() if k in CONTENT_FIELDS}
    if "aspects" in fields:
        fields["aspects"] = clean_aspects(fields["aspects"] or [])
    _check_fields(proposal.process, fields, districts)
    clean_fx = clean_effects(effects) if effects is not None else None
    clean_reqs = clean_requirements(requirements) if requirements is not None else None
    for name, value in fields.items():
        setattr(proposal, name, value)
    proposal.full_clean(exclude=["current_version", "slug"])
    proposal.save()
    if districts is not None:
        proposal.districts.set(districts)
    if clean_fx is not None:
        _write_effects(proposal, clean_fx)
    if clean_reqs is not None:
        _write_requirements(proposal, clean_reqs)
    before = proposal.current_version.snapshot if proposal.current_version else None
    version = _new_version(proposal, actor, note)
    if version is not None:
        _audit(
            actor,
            "proposal_update",
            proposal,
            proposal,
            {"version": version.number, "sections": _changed_sections(before, version.snapshot)},
        )
    if given is not proposal:
        given.refresh_from_db()  # the caller's object shows what was saved
    return version


def _transition_perm(proposal: Proposal, to_status: str) -> str:
    if to_status == ProposalStatus.SUBMITTED and proposal.status == ProposalStatus.DRAFT:
        return "proposals.submit_proposal"
    if to_status == ProposalStatus.WITHDRAWN:
        return "proposals.withdraw_proposal"
    return "proposals.change_status"


def check_transition(*, statuses, transitions, current: str, to_status: str, refusal: str) -> None:
    """Refuse an unknown status or a step the life cycle does not allow. ``refusal`` is the
    translated message with ``%(from)s`` and ``%(to)s``."""
    if to_status not in statuses.values:
        raise ValidationError({"status": _("Unknown status.")})
    if to_status not in transitions.get(current, ()):
        raise ValidationError(
            {"status": refusal % {"from": statuses(current).label, "to": statuses(to_status).label}}
        )


def save_status_locked(obj, to_status: str):
    """Inside a transaction: lock the row, refuse when its status changed since ``obj`` was
    read, write the new status. Returns (the locked row, the old status)."""
    locked = type(obj).objects.select_for_update().get(pk=obj.pk)
    if locked.status != obj.status:
        raise ValidationError(_("The status changed in the meantime. Try again."))
    old = locked.status
    locked.status = to_status
    locked.save(update_fields=["status", "updated_at"])
    return locked, old


def proposal_transition(
    *, actor, proposal: Proposal, to_status: str, override_reason: str = ""
) -> Proposal:
    """Move the proposal to ``to_status`` if the life cycle allows it (``TRANSITIONS``).

    Authors submit and withdraw; the process owner does every other step. Before
    consultation or the council the framework check runs on the current version and is
    stored; when it fails the step is refused (``CheckFailed``) unless staff give an
    override reason, which goes into the audit trail with the check.
    """
    perm = _transition_perm(proposal, to_status)
    if not (actor.has_perm(perm, proposal) or actor.has_perm("proposals.change_status", proposal)):
        raise PermissionDenied(perm)
    check_transition(
        statuses=ProposalStatus,
        transitions=TRANSITIONS,
        current=proposal.status,
        to_status=to_status,
        refusal=_("A proposal that is “%(from)s” cannot become “%(to)s”."),
    )
    override_reason = (override_reason or "").strip()
    check = None
    if to_status in GATED_STATUSES or to_status == ProposalStatus.CHECKED:
        # Its own transaction: the check is kept even when the step is refused.
        check = _store_check(actor=actor, proposal=proposal)
        if not check.passed and to_status in GATED_STATUSES:
            if not override_reason:
                raise CheckFailed(
                    _(
                        "The proposal does not meet the frameworks yet (see the check). "
                        "Staff can still move it on with a reason for the override."
                    ),
                    check=check,
                )
            if not actor.has_perm("proposals.change_status", proposal):
                raise PermissionDenied("proposals.change_status")
    with transaction.atomic():
        locked, old = save_status_locked(proposal, to_status)
        changes: dict[str, Any] = {"status": [old, to_status]}
        if check is not None:
            changes["check"] = check.pk
            changes["check_passed"] = check.passed
            changes["version"] = check.version.number
        if override_reason and check is not None and not check.passed:
            changes["override_reason"] = override_reason
        _audit(actor, "proposal_status", locked, locked, changes)
    proposal.status = to_status
    return proposal


# --- the framework check ---------------------------------------------------------------------


def _assessment_rows(proposal: Proposal, conditions: Sequence[str]) -> list[tuple[str, str, str]]:
    """Staff's assessments of the current conditions (others no longer count)."""
    current = {" ".join(c.split()).casefold() for c in conditions}
    return [
        (a.condition, a.met, a.note)
        for a in proposal.condition_assessments.all()
        if " ".join(a.condition.split()).casefold() in current
    ]


@transaction.atomic
def _store_check(*, actor, proposal: Proposal) -> FrameworkCheck:
    proposal = Proposal.objects.select_related("current_version", "process").get(pk=proposal.pk)
    framework = getattr(proposal.process, "framework", None)
    conditions = framework.condition_lines if framework is not None else []
    version = proposal.current_version
    if version is None:  # only for rows made outside the services
        version = _new_version(proposal, actor, _("Version for the check"))
    report = adapters.check_snapshot(
        framework, version.snapshot, _assessment_rows(proposal, conditions)
    )
    check = FrameworkCheck.objects.create(
        proposal=proposal,
        version=version,
        report=report.to_dict(),
        passed=report.passed,
        run_by=_user_or_none(actor),
    )
    _audit(
        actor,
        "proposal_check",
        proposal,
        proposal,
        {
            "version": version.number,
            "passed": report.passed,
            "failed": [i.code for i in report.items if i.status.value == "fail"],
        },
    )
    return check


def proposal_run_check(*, actor, proposal: Proposal) -> FrameworkCheck:
    """Check the current version against the council's frameworks and store the result."""
    _require(actor, "proposals.run_check", proposal)
    return _store_check(actor=actor, proposal=proposal)


@transaction.atomic
def conditions_assess(
    *, actor, proposal: Proposal, assessments: Sequence[Mapping[str, Any]]
) -> list[ConditionAssessment]:
    """Staff say per condition of the frameworks whether the proposal meets it.

    Rows are ``{condition, met (yes/no/unknown), note}``; the condition must be one of the
    framework's current conditions.
    """
    _require(actor, "proposals.assess_conditions", proposal)
    framework = getattr(proposal.process, "framework", None)
    known = {
        " ".join(c.split()).casefold(): c for c in (framework.condition_lines if framework else [])
    }
    errors = []
    for number, row in enumerate(assessments, start=1):
        key = " ".join((row.get("condition") or "").split()).casefold()
        if key not in known:
            errors.append(
                _("Condition %(n)s is not one of the conditions of the frameworks.") % {"n": number}
            )
        if row.get("met", ConditionMet.UNKNOWN) not in ConditionMet.values:
            errors.append(
                _("Condition %(n)s: choose met, not met or not assessed.") % {"n": number}
            )
    if errors:
        raise ValidationError({"assessments": errors})
    saved = []
    changes = {}
    for row in assessments:
        condition = known[" ".join(row["condition"].split()).casefold()]
        met = row.get("met", ConditionMet.UNKNOWN)
        note = (row.get("note") or "").strip()
        assessment, _created = ConditionAssessment.objects.update_or_create(
            proposal=proposal,
            condition=condition,
            defaults={"met": met, "note": note, "assessed_by": _user_or_none(actor)},
        )
        changes[condition[:80]] = met
        saved.append(assessment)
    _audit(actor, "conditions_assess", proposal, proposal, changes)
    return saved


@transaction.atomic
def proposal_assess(*, actor, proposal: Proposal, data: Mapping[str, Any]) -> Proposal:
    """Staff set what the budget page weighs: support (0 to 1), impact score, people
    affected and the exclusive group. Only the keys given change."""
    _require(actor, "proposals.assess_proposal", proposal)
    fields = {k: v for k, v in data.items() if k in ASSESSMENT_FIELDS}
    if "exclusive_group" in fields:
        fields["exclusive_group"] = (fields["exclusive_group"] or "").strip()
    errors = {}
    support = fields.get("support")
    if support is not None and not (Decimal(0) <= Decimal(str(support)) <= Decimal(1)):
        errors["support"] = [_("Support is a share from 0 to 1.")]
    if fields.get("impact_score") is not None and Decimal(str(fields["impact_score"])) < 0:
        errors["impact_score"] = [_("The impact score cannot be negative.")]
    if errors:
        raise ValidationError(errors)
    changes = {
        name: [str(getattr(proposal, name)), str(value)]
        for name, value in fields.items()
        if getattr(proposal, name) != value
    }
    for name, value in fields.items():
        setattr(proposal, name, value)
    proposal.full_clean(exclude=["current_version", "slug"])
    proposal.save(update_fields=[*fields, "updated_at"])
    _audit(actor, "proposal_assess", proposal, proposal, changes)
    return proposal


@transaction.atomic
def settings_update(*, actor, process, residents_may_propose: bool) -> ProposalSettings:
    """The process owner decides whether any resident may start a proposal."""
    _require(actor, "proposals.manage_proposals", process)
    settings, _created = ProposalSettings.objects.get_or_create(process=process)
    changes = {"residents_may_propose": [settings.residents_may_propose, residents_may_propose]}
    settings.residents_may_propose = residents_may_propose
    settings.save()
    audit_record(
        actor=actor,
        action="proposal_settings",
        obj=process,
        process_id=process.pk,
        changes=changes,
    )
    return settings


# --- amendments ------------------------------------------------------------------------------


def _section_text(proposal: Proposal, section: str) -> str:
    return getattr(proposal, section) or ""


def amendment_is_stale(amendment: Amendment) -> bool:
    """True when the section changed since the amendment was proposed."""
    return adapters.amendment_is_stale(
        amendment.base_text, _section_text(amendment.proposal, amendment.section)
    )


@transaction.atomic
def amendment_propose(
    *, actor, proposal: Proposal, section: str, proposed_text: str, reason: str
) -> Amendment:
    """Propose new text for one section of the proposal, against its current version."""
    _require(actor, "proposals.amend_proposal", proposal)
    errors: dict[str, list[str]] = {}
    if section not in AMENDABLE_SECTIONS:
        errors["section"] = [_("Choose a section of the proposal.")]
    proposed_text = (proposed_text or "").strip()
    reason = (reason or "").strip()
    if section in ("title", "summary") and not proposed_text:
        errors["proposed_text"] = [_("Write the new text.")]
    if section == "title" and len(proposed_text) > 200:
        errors["proposed_text"] = [_("A title has at most 200 characters.")]
    if not reason:
        errors["reason"] = [_("Explain why you propose this change.")]
    if not errors and proposed_text == _section_text(proposal, section).strip():
        errors["proposed_text"] = [_("The new text is the same as the current text.")]
    if errors:
        raise ValidationError(errors)
    amendment = Amendment.objects.create(
        proposal=proposal,
        section=section,
        base_version=proposal.current_version,
        base_text=_section_text(proposal, section),
        proposed_text=proposed_text,
        reason=reason,
        author=_user_or_none(actor),
    )
    _audit(actor, "amendment_propose", amendment, proposal, {"section": section})
    return amendment


def _decision_reason(reason: str) -> str:
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"decision_reason": _("Give the reason for your decision.")})
    return reason


def _open(amendment: Amendment) -> None:
    if amendment.status != AmendmentStatus.PROPOSED:
        raise ValidationError(
            _("This amendment has already been %(status)s.")
            % {"status": AmendmentStatus(amendment.status).label.lower()}
        )


@transaction.atomic
def amendment_accept(
    *, actor, amendment: Amendment, reason: str, accept_stale: bool = False
) -> ProposalVersion:
    """The authors accept: the section gets the proposed text and a new version is written.

    An amendment whose section changed since it was proposed is stale; accepting it then
    needs ``accept_stale`` (the authors saw the current text and still want the change).
    """
    proposal = Proposal.objects.select_for_update().get(pk=amendment.proposal_id)
    _require(actor, "proposals.decide_amendment", proposal)
    amendment = Amendment.objects.select_for_update().get(pk=amendment.pk)
    _open(amendment)
    reason = _decision_reason(reason)
    current = _section_text(proposal, amendment.section)
    stale = adapters.amendment_is_stale(amendment.base_text, current)
    if stale and not accept_stale:
        raise ValidationError(
            _(
                "The section has changed since this amendment was proposed. Read the current "
                "text and confirm that you still want to accept it."
            ),
            code="stale",
        )
    setattr(proposal, amendment.section, amendment.proposed_text)
    proposal.full_clean(exclude=["current_version", "slug"])
    proposal.save()
    version = _new_version(
        proposal,
        actor,
        _("Amendment accepted: %(section)s") % {"section": amendment.section},
    )
    if version is None:  # the text was already there: record the decision on the same version
        version = proposal.current_version
    amendment.status = AmendmentStatus.ACCEPTED
    amendment.decided_by = _user_or_none(actor)
    amendment.decided_at = timezone.now()
    amendment.decision_reason = reason
    amendment.result_version = version
    amendment.full_clean()
    amendment.save()
    _audit(
        actor,
        "amendment_accept",
        amendment,
        proposal,
        {"section": amendment.section, "version": version.number, "stale": stale},
    )
    return version


@transaction.atomic
def amendment_reject(*, actor, amendment: Amendment, reason: str) -> Amendment:
    proposal = amendment.proposal
    _require(actor, "proposals.decide_amendment", proposal)
    amendment = Amendment.objects.select_for_update().get(pk=amendment.pk)
    _open(amendment)
    amendment.status = AmendmentStatus.REJECTED
    amendment.decided_by = _user_or_none(actor)
    amendment.decided_at = timezone.now()
    amendment.decision_reason = _decision_reason(reason)
    amendment.save()
    _audit(actor, "amendment_reject", amendment, proposal, {"section": amendment.section})
    return amendment


@transaction.atomic
def amendment_withdraw(*, actor, amendment: Amendment) -> Amendment:
    """Whoever proposed the amendment takes it back while it is open."""
    if not (
        getattr(actor, "is_authenticated", False)
        and amendment.author_id == actor.pk
        and actor.has_perm("proposals.view_proposal", amendment.proposal)
    ):
        raise PermissionDenied("proposals.withdraw_amendment")
    amendment = Amendment.objects.select_for_update().get(pk=amendment.pk)
    _open(amendment)
    amendment.status = AmendmentStatus.WITHDRAWN
    amendment.save()
    _audit(actor, "amendment_withdraw", amendment, amendment.proposal)
    return amendment


# --- comments --------------------------------------------------------------------------------


@transaction.atomic
def comment_post(*, actor, proposal: Proposal, body: str, parent: Comment | None = None) -> Comment:
    _require(actor, "proposals.comment", proposal)
    body = (body or "").strip()
    if not body:
        raise ValidationError({"body": _("Write a comment first.")})
    if len(body) > 5000:
        raise ValidationError({"body": _("A comment has at most 5000 characters.")})
    if parent is not None and parent.proposal_id != proposal.pk:
        raise ValidationError({"parent": _("You can only reply to a comment on this proposal.")})
    comment = Comment.objects.create(proposal=proposal, parent=parent, author=actor, body=body)
    _audit(actor, "comment_post", comment, proposal, {"reply_to": parent.pk if parent else None})
    return comment


@transaction.atomic
def comment_hide(*, actor, comment: Comment, reason: str) -> Comment:
    """Moderation: the text is hidden from everyone, the thread says the moderator removed
    it, and the trail keeps who removed whose comment and why."""
    proposal = comment.proposal
    _require(actor, "proposals.moderate_comments", proposal)
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Give the reason for removing the comment.")})
    if comment.is_hidden:
        raise ValidationError(_("This comment has already been removed."))
    comment.hidden_at = timezone.now()
    comment.hidden_by = actor
    comment.hidden_reason = reason
    comment.save(update_fields=["hidden_at", "hidden_by", "hidden_reason", "updated_at"])
    _audit(
        actor,
        "comment_hide",
        comment,
        proposal,
        {"author": str(comment.author) if comment.author else "", "reason": reason},
    )
    return comment
