"""Reads of partners and their offering, with their query shaping."""

from __future__ import annotations

from django.db.models import Count, Q

from samenspraak.partners.models import Offering, Partner
from samenspraak.processes.models import District, Municipality


def partner_list(*, municipality: Municipality | None = None):
    qs = Partner.objects.select_related("municipality").annotate(
        offering_count=Count("offerings", distinct=True)
    )
    if municipality is not None:
        qs = qs.filter(municipality=municipality)
    return qs.order_by("municipality__name", "name")


def offerings_of(*, municipality: Municipality | None = None, partner: Partner | None = None):
    qs = Offering.objects.select_related("partner", "partner__municipality").prefetch_related(
        "districts"
    )
    if municipality is not None:
        qs = qs.filter(partner__municipality=municipality)
    if partner is not None:
        qs = qs.filter(partner=partner)
    return qs.order_by("partner__name", "name")


def municipalities_with_partners():
    return (
        Municipality.objects.annotate(
            partner_count=Count("partners", distinct=True),
            offering_count=Count("partners__offerings", distinct=True),
        )
        .filter(Q(partner_count__gt=0))
        .order_by("name")
    )


def default_municipality(code: str | None) -> Municipality | None:
    """The municipality asked for by CBS code, else the one with the most services."""
    if code:
        found = Municipality.objects.filter(cbs_code=code).first()
        if found is not None:
            return found
    best = municipalities_with_partners().order_by("-offering_count", "name").first()
    return best or Municipality.objects.order_by("name").first()


def district_names(municipality: Municipality) -> list[str]:
    return list(
        District.objects.filter(municipality=municipality)
        .order_by("name")
        .values_list("name", flat=True)
    )


def partner_of_user(user) -> Partner | None:
    """The partner the user represents (by organisation name), if any."""
    if not (user.is_authenticated and user.organisation):
        return None
    return Partner.objects.filter(name__iexact=user.organisation.strip()).first()
