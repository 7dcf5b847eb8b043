"""Every write on partners and their offering: checks permission, validates, one transaction,
an audit event."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import ProtectedError
from django.utils.translation import gettext as _

from samenspraak.common.audit import audit_record, model_changes
from samenspraak.core.coverage import OfferingRow
from samenspraak.partners.models import Offering, Partner, TargetGroup
from samenspraak.processes.models import District

PARTNER_FIELDS = ("municipality", "name", "kind", "kvk_number", "website", "description")
OFFERING_FIELDS = (
    "name",
    "theme",
    "target_groups",
    "reach",
    "capacity",
    "yearly_cost",
    "subsidy",
    "outcomes",
)


def _require(actor, perm: str, obj=None) -> None:
    if not actor.has_perm(perm, obj):
        raise PermissionDenied(perm)


def _check_districts(municipality, districts: Sequence[District], field: str) -> None:
    foreign = [d.name for d in districts if d.municipality_id != municipality.pk]
    if foreign:
        raise ValidationError(
            {
                field: _("These districts are not in %(municipality)s: %(names)s")
                % {"municipality": municipality, "names": ", ".join(foreign)}
            }
        )


def _names(districts: Sequence[District]) -> list[str]:
    return sorted(d.name for d in districts)


# --- partners ----------------------------------------------------------------------------


@transaction.atomic
def partner_create(
    *, actor, data: Mapping[str, Any], districts: Sequence[District] = ()
) -> Partner:
    _require(actor, "partners.add_partner")
    partner = Partner(**{k: v for k, v in data.items() if k in PARTNER_FIELDS})
    partner.full_clean()
    _check_districts(partner.municipality, districts, "districts")
    partner.save()
    partner.districts.set(districts)
    audit_record(
        actor=actor,
        action="partner_create",
        obj=partner,
        changes={"name": [None, partner.name], "districts": [[], _names(districts)]},
    )
    return partner


@transaction.atomic
def partner_update(
    *, actor, partner: Partner, data: Mapping[str, Any], districts: Sequence[District] | None
) -> Partner:
    _require(actor, "partners.change_partner", partner)
    fields = {k: v for k, v in data.items() if k in PARTNER_FIELDS}
    if not actor.has_perm("partners.add_partner"):
        # A representative may not move the organisation or rename it: the name is the link
        # to its contact persons.
        fields.pop("municipality", None)
        fields.pop("name", None)
    changes = model_changes(partner, fields)
    for name, value in fields.items():
        setattr(partner, name, value)
    partner.full_clean()
    if districts is not None:
        _check_districts(partner.municipality, districts, "districts")
    if "municipality" in changes and partner.offerings.exists():
        raise ValidationError(
            {"municipality": _("A partner with services cannot move to another municipality.")}
        )
    partner.save()
    if districts is not None:
        before = _names(list(partner.districts.all()))
        partner.districts.set(districts)
        if before != _names(districts):
            changes["districts"] = [before, _names(districts)]
    audit_record(actor=actor, action="partner_update", obj=partner, changes=changes)
    return partner


@transaction.atomic
def partner_delete(*, actor, partner: Partner) -> None:
    _require(actor, "partners.delete_partner", partner)
    audit_record(
        actor=actor,
        action="partner_delete",
        obj=partner,
        changes={"offerings": [partner.offerings.count(), 0]},
    )
    try:
        # A savepoint, so the refusal below leaves the caller's transaction usable.
        with transaction.atomic():
            partner.delete()
    except ProtectedError:
        # Other apps (tenders: coalitions and their members) protect their references.
        raise ValidationError(
            _(
                "%(name)s leads or belongs to a coalition, so it stays in the register. "
                "Remove it from the coalition first."
            )
            % {"name": partner.name},
            code="in_use",
        ) from None


# --- offering ----------------------------------------------------------------------------


def _check_offering(offering: Offering, districts: Sequence[District]) -> None:
    errors: dict[str, list[str]] = {}
    unknown = [g for g in offering.target_groups if g not in TargetGroup.values]
    if not offering.target_groups:
        errors["target_groups"] = [_("Choose at least one target group.")]
    elif unknown:
        errors["target_groups"] = [
            _("Unknown target groups: %(codes)s") % {"codes": ", ".join(unknown)}
        ]
    if not districts:
        errors["districts"] = [_("Choose at least one district.")]
    if (
        offering.subsidy is not None
        and offering.yearly_cost is not None
        and Decimal(offering.subsidy) > Decimal(offering.yearly_cost)
    ):
        errors["subsidy"] = [_("The subsidy cannot be higher than the yearly cost.")]
    if errors:
        raise ValidationError(errors)
    _check_districts(offering.partner.municipality, districts, "districts")


@transaction.atomic
def offering_create(
    *, actor, partner: Partner, data: Mapping[str, Any], districts: Sequence[District]
) -> Offering:
    _require(actor, "partners.change_offering", partner)
    offering = Offering(partner=partner, **{k: v for k, v in data.items() if k in OFFERING_FIELDS})
    _check_offering(offering, districts)
    offering.full_clean()
    offering.save()
    offering.districts.set(districts)
    audit_record(
        actor=actor,
        action="offering_create",
        obj=offering,
        changes={"partner": [None, partner.name], "districts": [[], _names(districts)]},
    )
    return offering


@transaction.atomic
def offering_update(
    *, actor, offering: Offering, data: Mapping[str, Any], districts: Sequence[District]
) -> Offering:
    _require(actor, "partners.change_offering", offering.partner)
    fields = {k: v for k, v in data.items() if k in OFFERING_FIELDS}
    changes = model_changes(offering, fields)
    for name, value in fields.items():
        setattr(offering, name, value)
    _check_offering(offering, districts)
    offering.full_clean()
    offering.save()
    before = _names(list(offering.districts.all()))
    offering.districts.set(districts)
    if before != _names(districts):
        changes["districts"] = [before, _names(districts)]
    audit_record(actor=actor, action="offering_update", obj=offering, changes=changes)
    return offering


@transaction.atomic
def offering_delete(*, actor, offering: Offering) -> None:
    _require(actor, "partners.change_offering", offering.partner)
    audit_record(
        actor=actor,
        action="offering_delete",
        obj=offering,
        changes={"partner": [offering.partner.name, None]},
    )
    offering.delete()


@transaction.atomic
def offering_import(
    *, actor, partner: Partner, rows: Sequence[OfferingRow], replace: bool = False
) -> int:
    """Store rows already checked by ``adapters.read_offering_file``: all or nothing.

    A row whose name the partner already has updates that service; ``replace`` first removes
    the partner's services that are not in the file. Returns the number of rows stored.
    """
    _require(actor, "partners.change_offering", partner)
    districts = {d.name: d for d in partner.municipality.districts.all()}
    existing = {o.name.casefold(): o for o in partner.offerings.all()}
    if replace:
        keep = {row.name.casefold() for row in rows}
        for key, offering in list(existing.items()):
            if key not in keep:
                offering.delete()
                del existing[key]
    created = updated = 0
    for row in rows:
        data = {
            "name": row.name,
            "theme": row.theme,
            "target_groups": list(row.target_groups),
            "reach": row.reach,
            "capacity": row.capacity,
            "yearly_cost": row.yearly_cost,
            "subsidy": row.subsidy,
            "outcomes": row.outcomes,
        }
        chosen = [districts[name] for name in row.districts]
        offering = existing.get(row.name.casefold())
        if offering is None:
            offering = Offering(partner=partner, **data)
            created += 1
        else:
            for name, value in data.items():
                setattr(offering, name, value)
            updated += 1
        _check_offering(offering, chosen)
        offering.full_clean()
        offering.save()
        offering.districts.set(chosen)
    audit_record(
        actor=actor,
        action="offering_import",
        obj=partner,
        changes={"created": created, "updated": updated, "replace": replace},
    )
    return len(rows)
