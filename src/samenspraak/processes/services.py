"""Every write to processes, phases, themes and frameworks.

Each service checks permission, validates before it writes (nothing partial is stored),
runs in one transaction and records an audit event.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.text import slugify
from django.utils.translation import gettext as _

from samenspraak.common.adapters import errors, finding_message, warnings
from samenspraak.common.audit import audit_record, model_changes
from samenspraak.processes import adapters
from samenspraak.processes.models import (
    BandwidthYear,
    District,
    Framework,
    MandatoryAspect,
    Phase,
    Process,
    ProcessStatus,
    Theme,
)

PROCESS_FIELDS = ("title", "summary", "challenge", "municipality", "owner", "status")
FRAMEWORK_FIELDS = (
    "bandwidth_kind",
    "bandwidth_subject",
    "budget_areas",
    "conditions",
    "decision_deadline",
    "council_decision_reference",
)
BANDWIDTH_FIELDS = ("year", "minimum", "maximum", "savings_structural", "savings_incidental")


def _require(actor, perm: str, obj=None) -> None:
    if not actor.has_perm(perm, obj):
        raise PermissionDenied(perm)


def _unique_slug(title: str, *, exclude_pk: int | None = None) -> str:
    base = slugify(title)[:70] or "traject"
    slug, n = base, 2
    qs = Process.objects.all()
    if exclude_pk:
        qs = qs.exclude(pk=exclude_pk)
    while qs.filter(slug=slug).exists():
        slug, n = f"{base}-{n}", n + 1
    return slug


def _check_districts(municipality, districts: Sequence[District]) -> None:
    foreign = [d.name for d in districts if d.municipality_id != municipality.pk]
    if foreign:
        raise ValidationError(
            {
                "districts": _("These districts are not in %(municipality)s: %(names)s")
                % {"municipality": municipality, "names": ", ".join(foreign)}
            }
        )


@transaction.atomic
def process_create(
    *,
    actor,
    title: str,
    summary: str,
    challenge: str,
    municipality,
    owner=None,
    districts: Sequence[District] = (),
    status: str = ProcessStatus.DRAFT,
    slug: str | None = None,
) -> Process:
    """Create a process with an empty framework; the actor owns it unless ``owner`` is given."""
    _require(actor, "processes.add_process")
    _check_districts(municipality, districts)
    process = Process(
        title=title,
        summary=summary,
        challenge=challenge,
        municipality=municipality,
        owner=owner or actor,
        status=status,
        slug=slug or _unique_slug(title),
    )
    process.full_clean()
    process.save()
    process.districts.set(districts)
    Framework.objects.create(process=process)
    audit_record(actor=actor, action="process_create", obj=process, process_id=process.pk)
    return process


@transaction.atomic
def process_update(
    *, actor, process: Process, data: Mapping[str, Any], districts: Sequence[District] | None = None
) -> Process:
    _require(actor, "processes.change_process", process)
    fields = {k: v for k, v in data.items() if k in PROCESS_FIELDS}
    municipality = fields.get("municipality", process.municipality)
    if districts is not None:
        _check_districts(municipality, districts)
    changes = model_changes(process, fields)
    for name, value in fields.items():
        setattr(process, name, value)
    process.full_clean()
    process.save()
    if districts is not None:
        before = sorted(d.name for d in process.districts.all())
        process.districts.set(districts)
        after = sorted(d.name for d in districts)
        if before != after:
            changes["districts"] = [before, after]
    audit_record(
        actor=actor, action="process_update", obj=process, process_id=process.pk, changes=changes
    )
    return process


@transaction.atomic
def process_set_status(*, actor, process: Process, status: str) -> Process:
    _require(actor, "processes.change_process", process)
    if status not in ProcessStatus.values:
        raise ValidationError({"status": _("Unknown status.")})
    changes = model_changes(process, {"status": status})
    process.status = status
    process.save(update_fields=["status", "updated_at"])
    audit_record(
        actor=actor,
        action="process_set_status",
        obj=process,
        process_id=process.pk,
        changes=changes,
    )
    return process


@transaction.atomic
def process_set_current_phase(*, actor, process: Process, phase: Phase | None) -> Process:
    _require(actor, "processes.change_phases", process)
    if phase is not None and phase.process_id != process.pk:
        raise ValidationError({"phase": _("This phase belongs to another process.")})
    changes = model_changes(process, {"current_phase": phase})
    process.current_phase = phase
    process.save(update_fields=["current_phase", "updated_at"])
    audit_record(
        actor=actor,
        action="process_set_current_phase",
        obj=process,
        process_id=process.pk,
        changes=changes,
    )
    return process


def _raise_errors(findings) -> list:
    """Raise the error findings as one ValidationError; return the warnings."""
    if found := errors(findings):
        raise ValidationError([finding_message(f) for f in found])
    return warnings(findings)


@transaction.atomic
def phases_replace(*, actor, process: Process, phases: Sequence[Mapping[str, Any]]) -> list:
    """Replace the phases of a process by ``phases`` (in order); returns warning findings.

    Rows with an ``id`` update that phase, so the current phase survives an edit.
    """
    _require(actor, "processes.change_phases", process)
    warnings = _raise_errors(adapters.check_phases(phases))
    existing = {p.pk: p for p in process.phases.all()}
    keep: list[int] = []
    for position, row in enumerate(phases):
        phase = existing.get(row.get("id")) or Phase(process=process)
        for name in ("kind", "title", "description", "start_date", "end_date"):
            setattr(phase, name, row.get(name) or ("" if name == "description" else None))
        phase.position = position
        phase.full_clean()
        phase.save()
        keep.append(phase.pk)
    removed = [p for pk, p in existing.items() if pk not in keep]
    if process.current_phase_id and process.current_phase_id not in keep:
        process.current_phase = None
        process.save(update_fields=["current_phase", "updated_at"])
    for phase in removed:
        phase.delete()
    audit_record(
        actor=actor,
        action="phases_replace",
        obj=process,
        process_id=process.pk,
        changes={
            "phases": [row.get("title") for row in phases],
            "removed": [p.title for p in removed],
        },
    )
    return warnings


@transaction.atomic
def themes_replace(*, actor, process: Process, themes: Sequence[Mapping[str, Any]]) -> None:
    _require(actor, "processes.change_process", process)
    names = [row["name"].strip().lower() for row in themes]
    if len(names) != len(set(names)):
        raise ValidationError(_("Each theme needs its own name."))
    existing = {t.pk: t for t in process.themes.all()}
    keep = [row["id"] for row in themes if row.get("id") in existing]
    process.themes.exclude(pk__in=keep).delete()
    # Two passes, so that swapping the names of two themes never collides on the unique name.
    for pk in keep:
        Theme.objects.filter(pk=pk).update(name=f"~{pk}")
    for position, row in enumerate(themes):
        theme = existing.get(row.get("id")) or Theme(process=process)
        theme.name = row["name"].strip()
        theme.description = row.get("description") or ""
        theme.owning_department = row.get("owning_department") or ""
        theme.position = position
        theme.full_clean(validate_unique=False)
        theme.save()
    audit_record(
        actor=actor,
        action="themes_replace",
        obj=process,
        process_id=process.pk,
        changes={"themes": [row["name"] for row in themes]},
    )


@transaction.atomic
def framework_update(
    *,
    actor,
    process: Process,
    data: Mapping[str, Any],
    years: Sequence[Mapping[str, Any]],
    aspects: Sequence[Mapping[str, Any]],
) -> list:
    """Set the council's frameworks: fields, bandwidth per year, mandatory aspects.

    Validates everything with ``samenspraak.core.frameworks`` first; on any error nothing is
    written. Returns the warnings (e.g. a structural target that drops) for the page to show.
    """
    _require(actor, "processes.change_framework", process)
    framework, _created = Framework.objects.get_or_create(process=process)
    fields = {k: v for k, v in data.items() if k in FRAMEWORK_FIELDS}
    kind = fields.get("bandwidth_kind", framework.bandwidth_kind)
    warnings = _raise_errors(adapters.check_bandwidth(kind, years))
    aspect_names = [row["name"].strip().lower() for row in aspects]
    if len(aspect_names) != len(set(aspect_names)):
        raise ValidationError(_("Each aspect needs its own name."))

    before_years = [
        {name: getattr(y, name) for name in BANDWIDTH_FIELDS} for y in framework.years.all()
    ]
    changes = model_changes(framework, fields)
    for name, value in fields.items():
        setattr(framework, name, value)
    framework.full_clean()
    framework.save()

    framework.years.all().delete()
    BandwidthYear.objects.bulk_create(
        [
            BandwidthYear(framework=framework, **{n: row.get(n) for n in BANDWIDTH_FIELDS})
            for row in sorted(years, key=lambda r: r["year"])
        ]
    )
    framework.aspects.all().delete()
    MandatoryAspect.objects.bulk_create(
        [
            MandatoryAspect(
                framework=framework,
                position=i,
                name=row["name"].strip(),
                description=row.get("description") or "",
            )
            for i, row in enumerate(aspects)
        ]
    )
    after_years = [{n: row.get(n) for n in BANDWIDTH_FIELDS} for row in years]
    if before_years != after_years:
        changes["years"] = [
            [{k: str(v) if v is not None else None for k, v in y.items()} for y in before_years],
            [{k: str(v) if v is not None else None for k, v in y.items()} for y in after_years],
        ]
    changes["aspects"] = [row["name"] for row in aspects]
    audit_record(
        actor=actor,
        action="framework_update",
        obj=framework,
        process_id=process.pk,
        changes=changes,
    )
    return warnings
