"""The one permission policy for tenders, coalitions, bids and their evaluation.

- Staff and administrators write tenders, name the panel and award.
- A published tender (and its award) is public; a draft tender only staff see.
- A coalition's lead party (the partner representatives of the lead partner) manages the
  coalition and its bids and invites members; accepted members (partner representatives or
  residents by e-mail) see the coalition and its bids, invited ones see the coalition page
  with the invitation. Only a representative of the invited partner answers its invitation.
- A draft bid is seen only by its own coalition; a submitted bid also by staff and the panel.
- Only a member of the tender's panel scores, and never a bid with a declared conflict.
- An agreement is made by staff. An indicator of the coalition is reported by the partner
  representatives of its responsible partner or of the lead party; a district figure (an
  indicator without responsible partner) by staff. Staff, the coalition, council members and
  the clerk read the monitoring.
"""

from __future__ import annotations

import rules

from samenspraak.accounts.models import Role
from samenspraak.accounts.permissions import is_council, is_partner, is_staff_member
from samenspraak.tenders.models import BidStatus, MemberStatus, TenderStatus


def _active(user) -> bool:
    return bool(user and user.is_authenticated and user.is_active)


def _organisation(user) -> str:
    return (getattr(user, "organisation", "") or "").strip().casefold()


@rules.predicate
def tender_is_public(user, tender) -> bool:
    return tender is not None and tender.status != TenderStatus.DRAFT


@rules.predicate
def leads_coalition(user, coalition) -> bool:
    if coalition is None or not _active(user) or not _organisation(user):
        return False
    return coalition.lead.name.strip().casefold() == _organisation(user)


def _is_member(user, member) -> bool:
    """The user is this member: a representative of its partner, or the invited resident."""
    if member is None or not _active(user):
        return False
    # Only a partner representative speaks for an organisation (as in partners.permissions).
    org = _organisation(user) if user.role == Role.PARTNER else ""
    if member.partner_id:
        return bool(org) and member.partner.name.strip().casefold() == org
    return bool(member.email) and member.email.casefold() == (user.email or "").casefold()


def _member_with_status(user, coalition, status: str) -> bool:
    if coalition is None or not _active(user):
        return False
    members = coalition.members.filter(status=status).select_related("partner")
    return any(_is_member(user, member) for member in members)


@rules.predicate
def in_coalition(user, coalition) -> bool:
    """An accepted member: only those count for the coalition's bid and agreement."""
    return _member_with_status(user, coalition, MemberStatus.ACCEPTED)


@rules.predicate
def invited_to_coalition(user, coalition) -> bool:
    """Invited and not yet answered: sees the coalition page with the invitation."""
    return _member_with_status(user, coalition, MemberStatus.INVITED)


@rules.predicate
def may_answer_invitation(user, member) -> bool:
    """A representative of the invited partner (the service checks it is still open)."""
    return member is not None and member.partner_id is not None and _is_member(user, member)


@rules.predicate
def leads_bid(user, bid) -> bool:
    return bid is not None and leads_coalition(user, bid.coalition)


@rules.predicate
def in_bid_coalition(user, bid) -> bool:
    return bid is not None and (
        leads_coalition(user, bid.coalition) or in_coalition(user, bid.coalition)
    )


@rules.predicate
def bid_submitted(user, bid) -> bool:
    return bid is not None and bid.status == BidStatus.SUBMITTED


@rules.predicate
def on_panel_of_bid(user, bid) -> bool:
    return bid is not None and _active(user) and bid.tender.panel.filter(user=user).exists()


@rules.predicate
def on_panel(user, tender) -> bool:
    return tender is not None and _active(user) and tender.panel.filter(user=user).exists()


rules.add_perm("tenders.manage_tender", is_staff_member)
rules.add_perm("tenders.view_tender", is_staff_member | tender_is_public)
rules.add_perm("tenders.add_coalition", is_partner | is_staff_member)
rules.add_perm("tenders.change_coalition", (is_partner & leads_coalition) | is_staff_member)
rules.add_perm("tenders.respond_invitation", is_partner & may_answer_invitation)
rules.add_perm(
    "tenders.view_coalition",
    is_staff_member | (is_partner & leads_coalition) | in_coalition | invited_to_coalition,
)
rules.add_perm("tenders.change_bid", is_partner & leads_bid)
rules.add_perm(
    "tenders.view_bid",
    in_bid_coalition | (bid_submitted & (is_staff_member | on_panel_of_bid)),
)
rules.add_perm("tenders.evaluate", on_panel)
rules.add_perm("tenders.view_evaluation", on_panel | is_staff_member)


@rules.predicate
def in_agreement_coalition(user, agreement) -> bool:
    return agreement is not None and in_bid_coalition(user, agreement.bid)


@rules.predicate
def is_district_indicator(user, indicator) -> bool:
    return indicator is not None and indicator.responsible_id is None


@rules.predicate
def speaks_for_indicator(user, indicator) -> bool:
    """A partner representative of the indicator's responsible partner or of the lead party."""
    if indicator is None or indicator.responsible_id is None or not _active(user):
        return False
    if user.role != Role.PARTNER or not _organisation(user):
        return False
    coalition = indicator.agreement.bid.coalition
    names = {indicator.responsible.name, coalition.lead.name}
    return _organisation(user) in {n.strip().casefold() for n in names}


rules.add_perm("tenders.manage_agreement", is_staff_member)
rules.add_perm("tenders.view_monitoring", is_staff_member | is_council | in_agreement_coalition)
rules.add_perm(
    "tenders.report_indicator",
    (is_district_indicator & is_staff_member) | (is_partner & speaks_for_indicator),
)
