"""Reads for tenders: lists, the bids a user may see, and the state of the evaluation."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db.models import Q

from samenspraak.accounts.models import Role
from samenspraak.core.scoring import TenderResult, score_tender
from samenspraak.partners.selectors import partner_of_user
from samenspraak.tenders import adapters
from samenspraak.tenders.models import (
    Bid,
    BidStatus,
    Coalition,
    CoalitionMember,
    ConflictDeclaration,
    CriterionKind,
    MemberStatus,
    PanelMember,
    Score,
    Tender,
    TenderStatus,
)


def tenders_for(user):
    tenders = Tender.objects.select_related("process").order_by("-deadline")
    if user.has_perm("tenders.manage_tender"):
        return tenders
    return tenders.exclude(status=TenderStatus.DRAFT)


def coalitions_for(user):
    coalitions = Coalition.objects.select_related("lead", "tender", "process")
    if user.has_perm("tenders.manage_tender"):
        return coalitions
    if not user.is_authenticated:
        return coalitions.none()
    partner = partner_of_user(user) if user.has_perm("tenders.add_coalition") else None
    open_or_joined = Q(members__status__in=[MemberStatus.INVITED, MemberStatus.ACCEPTED])
    query = Q(members__email__iexact=user.email) & open_or_joined
    if partner is not None:
        query |= Q(lead=partner) | (Q(members__partner=partner) & open_or_joined)
    return coalitions.filter(query).distinct()


def accepted_members(coalition):
    return coalition.members.filter(status=MemberStatus.ACCEPTED).select_related("partner")


def invitations_for(user) -> list[CoalitionMember]:
    """Open invitations to the partner this user represents (partner representatives only)."""
    if not user.is_authenticated or user.role != Role.PARTNER:
        return []
    partner = partner_of_user(user)
    if partner is None:
        return []
    return list(
        CoalitionMember.objects.filter(partner=partner, status=MemberStatus.INVITED)
        .select_related("coalition__lead", "coalition__tender")
        .order_by("coalition__name")
    )


def submitted_bids(tender):
    return list(tender.bids.filter(status=BidStatus.SUBMITTED).select_related("coalition__lead"))


def visible_bids(user, tender) -> list[Bid]:
    """Submitted bids for staff and the panel; a coalition also sees its own drafts."""
    bids = tender.bids.select_related("coalition__lead", "tender").order_by("id")
    return [bid for bid in bids if user.has_perm("tenders.view_bid", bid)]


def quality_criteria(tender):
    return list(tender.criteria.filter(kind=CriterionKind.QUALITY))


@dataclass
class MemberProgress:
    member: PanelMember
    declared: int
    conflicts: int
    to_score: int
    scored: int

    @property
    def done(self) -> bool:
        return self.declared == self.bids and self.scored == self.to_score

    bids: int = 0


def progress(tender) -> list[MemberProgress]:
    bids = submitted_bids(tender)
    quality = len(quality_criteria(tender))
    result = []
    for member in tender.panel.select_related("user"):
        declarations = ConflictDeclaration.objects.filter(member=member, bid__in=bids)
        conflicts = sum(1 for d in declarations if d.has_conflict)
        free = [d.bid_id for d in declarations if not d.has_conflict]
        scored = Score.objects.filter(member=member, bid__in=free).count()
        result.append(
            MemberProgress(
                member=member,
                declared=declarations.count(),
                conflicts=conflicts,
                to_score=len(free) * quality,
                scored=scored,
                bids=len(bids),
            )
        )
    return result


def all_scored(tender) -> bool:
    """Everyone on the panel has declared on every submitted bid and scored every bid
    they have no conflict with; every bid has at least one scorer."""
    bids = submitted_bids(tender)
    members = progress(tender)
    if not bids or not members or not all(m.done for m in members):
        return False
    return all(
        ConflictDeclaration.objects.filter(bid=bid, has_conflict=False).exists() for bid in bids
    )


def result_of(tender) -> TenderResult:
    """The ranking and spread by core.scoring (only once all have scored)."""
    bids = submitted_bids(tender)
    return score_tender(
        adapters.criteria_of(tender),
        adapters.scores_of(tender, bids),
        adapters.prices_of(bids),
        price_method=adapters.price_method_of(tender),
        ceiling=tender.price_ceiling,
    )


def own_scores(member: PanelMember) -> dict[tuple[int, int], Score]:
    return {(s.bid_id, s.criterion_id): s for s in member.scores.all()}


def own_declarations(member: PanelMember) -> dict[int, ConflictDeclaration]:
    return {d.bid_id: d for d in member.declarations.all()}


def coalitions_of_municipality(municipality) -> dict[str, list[str]]:
    """Coalition name -> the names of its partners (lead party first), for coalitions led by a
    partner of ``municipality``: the partner network draws them as links."""
    from samenspraak.tenders.models import Coalition

    result: dict[str, list[str]] = {}
    coalitions = (
        Coalition.objects.filter(lead__municipality=municipality)
        .select_related("lead")
        .prefetch_related("members__partner")
    )
    for coalition in coalitions:
        names = [coalition.lead.name]
        names += [
            m.partner.name
            for m in coalition.members.all()
            if m.partner_id and m.status == MemberStatus.ACCEPTED
        ]
        result[coalition.name] = list(dict.fromkeys(names))
    return result


# --- reuse: a new tender starts from an earlier one (issue 6) -------------------------------


def _number(value: Decimal) -> str:
    """30.00 -> "30", 12.50 -> "12.5": the way staff type a weight or an amount."""
    return format(value.normalize(), "f")


def criteria_of(tender: Tender) -> list[tuple[str, Decimal, str]]:
    """The tender's criteria as (name, weight, kind), in their order: what tender_create takes."""
    return [(c.name, c.weight, c.kind) for c in tender.criteria.order_by("position", "id")]


def indicator_lines(tender: Tender) -> list[str]:
    """The indicators of the tender's agreement (if any) as outcome lines
    "name | unit, direction, frequency" for a new tender's outcomes."""
    from samenspraak.tenders.models import Agreement

    agreement = Agreement.objects.filter(tender=tender).first()
    if agreement is None:
        return []
    return [
        f"{i.name} | {i.unit}, {i.get_direction_display().lower()}, "
        f"{i.get_frequency_display().lower()}"
        for i in agreement.indicators.order_by("position", "id")
    ]


def reuse_initial(tender: Tender) -> dict[str, Any]:
    """The initial values of TenderForm for a new tender that starts from ``tender``: its
    criteria and weights, price method and ceiling, outcomes (plus its agreement's indicators),
    eligibility and the resident panel setting. Title, challenge, budget, districts, period
    and deadline stay empty: they belong to the new pilot."""
    quality = [(n, w) for n, w, k in criteria_of(tender) if k == CriterionKind.QUALITY]
    price = sum((w for _n, w, k in criteria_of(tender) if k == CriterionKind.PRICE), Decimal(0))
    outcomes = [line for line in tender.outcomes.splitlines() if line.strip()]
    outcomes += [line for line in indicator_lines(tender) if line not in outcomes]
    return {
        "based_on": tender.pk,
        "process": tender.process_id,
        "criteria": "\n".join(f"{name}: {_number(weight)}" for name, weight in quality),
        "price_weight": _number(price),
        "price_method": tender.price_method,
        "price_ceiling": tender.price_ceiling,
        "outcomes": "\n".join(outcomes),
        "eligibility": tender.eligibility,
        "residents_on_panel": tender.residents_on_panel,
    }
