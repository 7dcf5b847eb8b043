"""Every write on tenders, coalitions, bids and their evaluation: checks permission,
validates, one transaction, an audit event."""

from __future__ import annotations

import hashlib
import secrets
from collections.abc import Mapping, Sequence
from datetime import timedelta
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from samenspraak.accounts.models import Role
from samenspraak.common.audit import audit_record
from samenspraak.core.errors import InputError
from samenspraak.core.scoring import check_criteria
from samenspraak.partners.models import Partner
from samenspraak.tenders import adapters, selectors
from samenspraak.tenders.models import (
    Bid,
    BidStatus,
    BidYear,
    Coalition,
    CoalitionMember,
    ConflictDeclaration,
    CriterionKind,
    MemberStatus,
    PanelMember,
    Score,
    Tender,
    TenderCriterion,
    TenderStatus,
)

TENDER_FIELDS = (
    "title",
    "challenge",
    "outcomes",
    "budget_per_year",
    "budget_maximum",
    "first_year",
    "last_year",
    "eligibility",
    "residents_on_panel",
    "price_method",
    "price_ceiling",
    "deadline",
)
BID_FIELDS = ("plan", "price", "committed_outcomes", "resident_involvement")


def _require(actor, perm: str, obj=None) -> None:
    if not actor.has_perm(perm, obj):
        raise PermissionDenied(perm)


def _process_id(tender: Tender | None) -> int | None:
    return tender.process_id if tender is not None else None


# --- tenders -----------------------------------------------------------------------------


def check_weights(criteria: Sequence[tuple[str, Decimal, str]]) -> None:
    """core.scoring's criteria check; its error becomes a form error on 'criteria'."""
    try:
        check_criteria(adapters.criterion_values(criteria))
    except InputError as exc:
        raise ValidationError(
            {"criteria": _("Award criteria: %(message)s") % {"message": exc.message_en}}
        ) from exc


@transaction.atomic
def tender_create(
    *,
    actor,
    process,
    data: Mapping[str, Any],
    criteria: Sequence[tuple[str, Decimal, str]],
    districts: Sequence = (),
    based_on: Tender | None = None,
) -> Tender:
    """A draft tender. ``based_on`` records the earlier tender it started from (issue 6: the
    second pilot reuses what the first taught); the caller copies what it wants to reuse
    (selectors.reuse_initial), so the copy is independent of the original."""
    _require(actor, "tenders.manage_tender")
    if based_on is not None and not actor.has_perm("tenders.view_tender", based_on):
        raise PermissionDenied("tenders.view_tender")
    check_weights(criteria)
    tender = Tender(
        process=process,
        based_on=based_on,
        **{k: v for k, v in data.items() if k in TENDER_FIELDS},
    )
    tender.full_clean()
    if tender.price_method == "linear" and not tender.price_ceiling:
        raise ValidationError({"price_ceiling": _("The linear method needs a ceiling price.")})
    foreign = [d.name for d in districts if d.municipality_id != process.municipality_id]
    if foreign:
        raise ValidationError(
            {
                "districts": _("These districts are not in the process's municipality: %(names)s")
                % {"names": ", ".join(foreign)}
            }
        )
    tender.save()
    tender.districts.set(districts)
    for position, (name, weight, kind) in enumerate(criteria):
        TenderCriterion.objects.create(
            tender=tender, position=position, name=name, weight=weight, kind=kind
        )
    audit_record(
        actor=actor,
        action="tender_create",
        obj=tender,
        process_id=process.pk,
        changes={
            "title": [None, tender.title],
            "criteria": [None, [[n, str(w), k] for n, w, k in criteria]],
            **(
                {"based_on": [None, f"{based_on.title} (#{based_on.pk})"]}
                if based_on is not None
                else {}
            ),
        },
    )
    return tender


@transaction.atomic
def tender_publish(*, actor, tender: Tender) -> Tender:
    _require(actor, "tenders.manage_tender")
    if tender.status != TenderStatus.DRAFT:
        raise ValidationError(_("This tender has already been published."))
    tender.status = TenderStatus.PUBLISHED
    tender.published_at = timezone.now()
    tender.save(update_fields=["status", "published_at", "updated_at"])
    audit_record(
        actor=actor,
        action="tender_publish",
        obj=tender,
        process_id=tender.process_id,
        changes={"status": [TenderStatus.DRAFT, TenderStatus.PUBLISHED]},
    )
    return tender


@transaction.atomic
def panel_add(*, actor, tender: Tender, user) -> PanelMember:
    _require(actor, "tenders.manage_tender")
    if tender.status == TenderStatus.AWARDED:
        raise ValidationError(_("This tender has been awarded: the panel is closed."))
    allowed = {Role.STAFF, Role.ADMIN}
    if tender.residents_on_panel:
        allowed.add(Role.RESIDENT)
    if user.role not in allowed:
        raise ValidationError(
            {
                "user": _("Only staff members can be on this panel.")
                if not tender.residents_on_panel
                else _("Only staff members and residents can be on this panel.")
            }
        )
    if tender.panel.filter(user=user).exists():
        raise ValidationError({"user": _("This person is already on the panel.")})
    member = PanelMember.objects.create(tender=tender, user=user)
    audit_record(
        actor=actor,
        action="tender_panel_add",
        obj=tender,
        process_id=tender.process_id,
        changes={"panel": [None, str(user)]},
    )
    return member


# --- coalitions --------------------------------------------------------------------------


@transaction.atomic
def coalition_create(
    *,
    actor,
    lead: Partner,
    name: str,
    tender: Tender | None = None,
    process=None,
    challenge: str = "",
    lead_role: str = "",
) -> Coalition:
    """A coalition led by ``lead``: for a tender, or on its own around a challenge."""
    _require(actor, "tenders.add_coalition")
    if not actor.has_perm("tenders.manage_tender"):
        own = (actor.organisation or "").strip().casefold()
        if own != lead.name.strip().casefold():
            raise PermissionDenied("tenders.add_coalition")
    if tender is not None:
        if tender.status == TenderStatus.DRAFT:
            raise PermissionDenied("tenders.view_tender")
        process = tender.process
    elif process is None or not challenge.strip():
        raise ValidationError({"challenge": _("Describe the challenge your coalition takes up.")})
    coalition = Coalition(name=name, lead=lead, tender=tender, process=process, challenge=challenge)
    coalition.full_clean()
    coalition.save()
    CoalitionMember.objects.create(
        coalition=coalition,
        partner=lead,
        role=lead_role or _("Lead party"),
        contribution_kind="hours",
    )
    audit_record(
        actor=actor,
        action="coalition_create",
        obj=coalition,
        process_id=process.pk if process else None,
        changes={"name": [None, name], "lead": [None, lead.name]},
    )
    return coalition


INVITATION_DAYS = 14


def _token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def invitation_url(token: str) -> str:
    return reverse("tenders:invitation", kwargs={"token": token})


@transaction.atomic
def coalition_add_member(
    *, actor, coalition: Coalition, data: Mapping[str, Any], base_url: str = ""
) -> CoalitionMember:
    """The lead party invites a partner or a resident. A partner's representatives answer on
    the coalition page; a resident with an e-mail address gets a one-time link (valid
    INVITATION_DAYS days). A resident without e-mail (such as a residents' committee) is
    added by the lead party on their word. The raw token is only on the returned object
    (``member.invitation_token``), never stored."""
    _require(actor, "tenders.change_coalition", coalition)
    partner = data.get("partner")
    person = (data.get("person_name") or "").strip()
    email = (data.get("email") or "").strip()
    if partner is None and not person:
        raise ValidationError({"partner": _("Choose a partner or give the name of a resident.")})
    if partner is not None and person:
        raise ValidationError({"person_name": _("Choose a partner or a resident, not both.")})
    existing = coalition.members.filter(partner=partner).first() if partner is not None else None
    if existing is not None and existing.status != MemberStatus.DECLINED:
        raise ValidationError({"partner": _("This partner is already in the coalition.")})
    kind = data.get("contribution_kind")
    amount = data.get("contribution_amount")
    if kind in ("money", "hours") and amount is None:
        raise ValidationError({"contribution_amount": _("Give the amount: euros or hours.")})
    if amount is not None and amount < 0:
        raise ValidationError({"contribution_amount": _("The amount cannot be negative.")})
    member = existing or CoalitionMember(coalition=coalition)
    member.partner = partner
    member.person_name = person
    member.email = email if partner is None else ""
    member.role = data.get("role") or ""
    member.contribution_kind = kind
    member.contribution_amount = amount
    member.contribution_note = data.get("contribution_note") or ""
    member.responded_at = None
    member.status = MemberStatus.ACCEPTED
    token = ""
    if partner is not None or email:
        member.status = MemberStatus.INVITED
    if partner is None and email:
        token = secrets.token_urlsafe(32)
        member.token_hash = _token_hash(token)
        member.token_expires = timezone.now() + timedelta(days=INVITATION_DAYS)
    member.full_clean()
    member.save()
    audit_record(
        actor=actor,
        action="coalition_add_member",
        obj=coalition,
        process_id=coalition.process_id,
        changes={
            "member": [None, str(member)],
            "role": [None, member.role],
            "status": [None, member.status],
        },
    )
    if token:
        _mail_invitation(member, base_url + invitation_url(token))
    member.invitation_token = token  # type: ignore[attr-defined]
    return member


def _mail_invitation(member: CoalitionMember, link: str) -> None:
    coalition = member.coalition
    subject = _("Invitation: join the coalition %(name)s") % {"name": coalition.name}
    body = _(
        "Dear %(person)s,\n\n"
        "%(lead)s asks you to join the coalition %(name)s. "
        "Your role: %(role)s.\n\n"
        "Do you want to join? Say yes or no on this page. You do not need an account:\n"
        "%(link)s\n\n"
        "The link works once and for %(days)s days."
    ) % {
        "person": member.person_name,
        "lead": coalition.lead.name,
        "name": coalition.name,
        "role": member.role,
        "link": link,
        "days": INVITATION_DAYS,
    }
    email = member.email
    transaction.on_commit(
        lambda: send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, [email], fail_silently=True)
    )


def _respond(actor, member: CoalitionMember, accept: bool, via: str) -> CoalitionMember:
    member.status = MemberStatus.ACCEPTED if accept else MemberStatus.DECLINED
    member.responded_at = timezone.now()
    member.save(update_fields=["status", "responded_at"])
    audit_record(
        actor=actor,
        action="coalition_member_accept" if accept else "coalition_member_decline",
        obj=member.coalition,
        process_id=member.coalition.process_id,
        changes={
            "member": [None, str(member)],
            "status": [MemberStatus.INVITED, member.status],
            "via": [None, via],
        },
    )
    return member


@transaction.atomic
def coalition_member_respond(*, actor, member: CoalitionMember, accept: bool) -> CoalitionMember:
    """A representative of the invited partner accepts or declines the invitation."""
    member = (
        CoalitionMember.objects.select_for_update(of=("self",))
        .select_related("coalition", "partner")
        .get(pk=member.pk)
    )
    _require(actor, "tenders.respond_invitation", member)
    if member.status != MemberStatus.INVITED:
        raise ValidationError(_("This invitation has already been answered."))
    return _respond(actor, member, accept, "partner")


def invitation_for_token(token: str) -> CoalitionMember | None:
    if not token:
        return None
    return (
        CoalitionMember.objects.select_related("coalition__lead", "coalition__tender")
        .filter(partner__isnull=True, token_hash=_token_hash(token))
        .first()
    )


def check_invitation(member: CoalitionMember | None) -> None:
    """Why a resident's link no longer works, in words the resident understands."""
    if member is None:
        raise ValidationError(_("This link does not work. Check that you copied the whole link."))
    if member.status != MemberStatus.INVITED:
        raise ValidationError(_("This link has already been used. You cannot use it again."))
    if member.token_expires is None or timezone.now() > member.token_expires:
        raise ValidationError(
            _("This link has expired. Ask the lead party of the coalition for a new invitation.")
        )


@transaction.atomic
def coalition_member_respond_by_token(*, token: str, accept: bool) -> CoalitionMember:
    """A resident accepts or declines with the one-time link from the e-mail."""
    found = invitation_for_token(token)
    member = (
        CoalitionMember.objects.select_for_update(of=("self",))
        .select_related("coalition")
        .get(pk=found.pk)
        if found is not None
        else None
    )
    check_invitation(member)
    assert member is not None
    return _respond(None, member, accept, "link")


# --- bids --------------------------------------------------------------------------------


def _check_open(tender: Tender) -> None:
    if tender.status != TenderStatus.PUBLISHED:
        raise ValidationError(_("This tender is not open for bids."))
    if timezone.now() > tender.deadline:
        raise ValidationError(
            _("The deadline has passed (%(deadline)s). Bids can no longer be changed or submitted.")
            % {"deadline": timezone.localtime(tender.deadline).strftime("%d-%m-%Y %H:%M")}
        )


def _check_years(tender: Tender, years: Mapping[int, Decimal]) -> None:
    outside = [y for y in years if not tender.first_year <= y <= tender.last_year]
    if outside:
        raise ValidationError(
            {
                "years": _(
                    "These years are outside the tender's period (%(first)s-%(last)s): %(years)s"
                )
                % {
                    "first": tender.first_year,
                    "last": tender.last_year,
                    "years": ", ".join(str(y) for y in sorted(outside)),
                }
            }
        )
    if any(amount < 0 for amount in years.values()):
        raise ValidationError({"years": _("An amount per year cannot be negative.")})


@transaction.atomic
def bid_save(
    *,
    actor,
    coalition: Coalition,
    data: Mapping[str, Any],
    years: Mapping[int, Decimal],
    proposals: Sequence = (),
    bid: Bid | None = None,
) -> Bid:
    """Create or change the coalition's draft bid on its tender."""
    _require(actor, "tenders.change_coalition", coalition)
    if not actor.has_perm("tenders.change_bid", bid or _Probe(coalition)):
        raise PermissionDenied("tenders.change_bid")
    tender = coalition.tender
    if tender is None:
        raise ValidationError(_("This coalition is not bidding on a tender."))
    _check_open(tender)
    if bid is None:
        bid = Bid(tender=tender, coalition=coalition)
    elif bid.status != BidStatus.DRAFT:
        raise ValidationError(_("This bid has been submitted and can no longer be changed."))
    for name in BID_FIELDS:
        if name in data:
            setattr(bid, name, data[name])
    bid.full_clean(validate_constraints=False)
    if bid.price is None or bid.price <= 0:
        raise ValidationError({"price": _("The total price must be more than 0.")})
    _check_years(tender, years)
    foreign = [p for p in proposals if p.process_id != tender.process_id]
    if foreign:
        raise ValidationError({"proposals": _("A proposal must belong to this process.")})
    created = bid.pk is None
    bid.save()
    bid.years.all().delete()
    BidYear.objects.bulk_create(
        BidYear(bid=bid, year=y, amount=a) for y, a in sorted(years.items())
    )
    bid.proposals.set(proposals)
    audit_record(
        actor=actor,
        action="bid_create" if created else "bid_update",
        obj=bid,
        process_id=tender.process_id,
        changes={"price": [None, str(bid.price)]},
    )
    return bid


class _Probe:
    """A stand-in bid so the policy can be asked before the bid exists."""

    def __init__(self, coalition: Coalition) -> None:
        self.coalition = coalition


@transaction.atomic
def bid_submit(*, actor, bid: Bid) -> Bid:
    _require(actor, "tenders.change_bid", bid)
    if bid.status != BidStatus.DRAFT:
        raise ValidationError(_("This bid has already been submitted."))
    _check_open(bid.tender)
    bid.status = BidStatus.SUBMITTED
    bid.submitted_at = timezone.now()
    bid.save(update_fields=["status", "submitted_at", "updated_at"])
    audit_record(
        actor=actor,
        action="bid_submit",
        obj=bid,
        process_id=bid.tender.process_id,
        changes={"status": [BidStatus.DRAFT, BidStatus.SUBMITTED]},
    )
    return bid


# --- evaluation --------------------------------------------------------------------------


def _member(actor, tender: Tender) -> PanelMember:
    _require(actor, "tenders.evaluate", tender)
    return tender.panel.get(user=actor)


def _check_scorable(bid: Bid) -> None:
    if bid.status != BidStatus.SUBMITTED:
        raise ValidationError(_("Only submitted bids are evaluated."))
    if bid.tender.status == TenderStatus.AWARDED:
        raise ValidationError(_("This tender has been awarded: the evaluation is closed."))
    if timezone.now() <= bid.tender.deadline:
        raise ValidationError(_("The evaluation starts after the deadline."))


@transaction.atomic
def declare(*, actor, bid: Bid, has_conflict: bool, note: str = "") -> ConflictDeclaration:
    member = _member(actor, bid.tender)
    _check_scorable(bid)
    if member.declarations.filter(bid=bid).exists():
        raise ValidationError(_("You have already made your declaration for this bid."))
    if has_conflict and not note.strip():
        raise ValidationError({"note": _("Explain the conflict of interest in a few words.")})
    declaration = ConflictDeclaration.objects.create(
        member=member, bid=bid, has_conflict=has_conflict, note=note.strip()
    )
    audit_record(
        actor=actor,
        action="tender_declare",
        obj=bid,
        process_id=bid.tender.process_id,
        changes={"conflict": [None, has_conflict]},
    )
    return declaration


@transaction.atomic
def score_bid(*, actor, bid: Bid, scores: Mapping[int, Decimal]) -> list[Score]:
    """The panel member's scores (criterion id -> 0..10) for one bid, all quality criteria."""
    member = _member(actor, bid.tender)
    _check_scorable(bid)
    declaration = member.declarations.filter(bid=bid).first()
    if declaration is None:
        raise ValidationError(_("First declare whether you have a conflict of interest."))
    if declaration.has_conflict:
        raise PermissionDenied(_("You declared a conflict of interest: you cannot score this bid."))
    if member.scores.filter(bid=bid).exists():
        raise ValidationError(_("You have already scored this bid."))
    criteria = selectors.quality_criteria(bid.tender)
    errors = {}
    for criterion in criteria:
        value = scores.get(criterion.pk)
        if value is None:
            errors[f"c{criterion.pk}"] = _("Give a score from 0 to 10.")
        elif not Decimal(0) <= value <= Decimal(10):
            errors[f"c{criterion.pk}"] = _("A score is from 0 to 10.")
    if errors:
        raise ValidationError(errors)
    rows = [
        Score.objects.create(member=member, bid=bid, criterion=c, score=scores[c.pk])
        for c in criteria
    ]
    audit_record(
        actor=actor,
        action="tender_score",
        obj=bid,
        process_id=bid.tender.process_id,
        changes={"scores": [None, {c.name: str(scores[c.pk]) for c in criteria}]},
    )
    return rows


@transaction.atomic
def award(*, actor, tender: Tender, bid: Bid, reasoning: str = "") -> Tender:
    _require(actor, "tenders.manage_tender")
    if tender.status != TenderStatus.PUBLISHED:
        raise ValidationError(_("Only an open tender can be awarded."))
    if bid.tender_id != tender.pk or bid.status != BidStatus.SUBMITTED:
        raise ValidationError({"bid": _("Choose one of the submitted bids.")})
    if not selectors.all_scored(tender):
        raise ValidationError(_("Not every panel member has scored every bid yet."))
    result = selectors.result_of(tender)
    top = result.ranking[0].bid
    reasoning = reasoning.strip()
    if bid.key != top and not reasoning:
        raise ValidationError(
            {"reasoning": _("This is not the top-ranked bid: explain why you choose it.")}
        )
    tender.winner = bid
    tender.award_reasoning = reasoning
    tender.awarded_at = timezone.now()
    tender.status = TenderStatus.AWARDED
    tender.save(update_fields=["winner", "award_reasoning", "awarded_at", "status", "updated_at"])
    audit_record(
        actor=actor,
        action="tender_award",
        obj=tender,
        process_id=tender.process_id,
        changes={"winner": [None, str(bid)], "top_ranked": [None, bid.key == top]},
    )
    return tender


__all__ = [
    "CriterionKind",
    "award",
    "bid_save",
    "bid_submit",
    "check_weights",
    "coalition_add_member",
    "coalition_create",
    "coalition_member_respond",
    "coalition_member_respond_by_token",
    "declare",
    "panel_add",
    "score_bid",
    "tender_create",
    "tender_publish",
]
