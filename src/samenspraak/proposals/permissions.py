"""The one permission policy for proposals: views, API and services all ask these rules.

Who writes a proposal (its authors):
- for a committee's proposal: the members of that committee (a seat with role "member");
- for a partner's proposal: the representatives of that partner (role partner, same
  organisation);
- for a resident's proposal: the resident who started it (only where the process owner
  allows residents to propose, see ``ProposalSettings``);
- always: the staff member who owns the process, and administrators.

A facilitator (Chef de Dossier) guards the process and never the content (GLOSSARY.md): they
see every proposal of their committee and moderate its comments, but they never create, edit,
amend, decide on amendments, comment or run checks. Every content rule below therefore
excludes the facilitator role explicitly, whatever else the person is.

Who reads: authors, the committee's facilitator and all staff always; the council and its
clerk once a proposal is submitted; everyone once it is put to consultation.
"""

from __future__ import annotations

import rules

from samenspraak.accounts.models import Role
from samenspraak.accounts.permissions import (
    is_admin,
    is_council,
    is_facilitator,
    is_staff_member,
)
from samenspraak.committees import selectors as committee_selectors
from samenspraak.committees.permissions import is_committee_facilitator, is_committee_member
from samenspraak.processes.permissions import is_process_owner
from samenspraak.proposals.models import (
    COUNCIL_STATUSES,
    PUBLIC_STATUSES,
    AuthorKind,
    ProposalStatus,
)


def _active(user) -> bool:
    return bool(user and user.is_authenticated and user.is_active)


def _same_organisation(a: str, b: str) -> bool:
    return bool(a.strip()) and a.strip().casefold() == b.strip().casefold()


# --- predicates on a proposal ----------------------------------------------------------------


@rules.predicate
def is_proposal_manager(user, proposal) -> bool:
    """Administrators and the staff member who owns the proposal's process."""
    if proposal is None:
        return False
    return bool(
        is_admin(user) or (is_staff_member(user) and is_process_owner(user, proposal.process))
    )


@rules.predicate
def is_named_author(user, proposal) -> bool:
    """The committee members, partner representatives or resident the proposal is by."""
    if proposal is None or not _active(user):
        return False
    if proposal.author_kind == AuthorKind.COMMITTEE:
        return bool(is_committee_member(user, proposal.author_committee))
    if proposal.author_kind == AuthorKind.PARTNER:
        return user.role == Role.PARTNER and _same_organisation(
            user.organisation, proposal.author_organisation
        )
    return proposal.created_by_id == user.pk


@rules.predicate
def is_proposal_facilitator(user, proposal) -> bool:
    """The facilitator (Chef de Dossier) of the committee that wrote the proposal."""
    if proposal is None or proposal.author_kind != AuthorKind.COMMITTEE:
        return False
    return bool(is_committee_facilitator(user, proposal.author_committee))


@rules.predicate
def is_process_committee_member(user, proposal) -> bool:
    """A member of any committee of the proposal's process (they may propose amendments)."""
    if proposal is None or not _active(user):
        return False
    return committee_selectors.committees_where_member(user=user, process=proposal.process).exists()


@rules.predicate
def is_editable(user, proposal) -> bool:
    return bool(proposal is not None and proposal.is_editable)


@rules.predicate
def is_draft(user, proposal) -> bool:
    return bool(proposal is not None and proposal.status == ProposalStatus.DRAFT)


@rules.predicate
def is_not_final(user, proposal) -> bool:
    return bool(proposal is not None and not proposal.is_final)


@rules.predicate
def is_public(user, proposal) -> bool:
    return bool(
        proposal is not None and proposal.process.is_public and proposal.status in PUBLIC_STATUSES
    )


@rules.predicate
def is_before_council(user, proposal) -> bool:
    return bool(
        proposal is not None and proposal.process.is_public and proposal.status in COUNCIL_STATUSES
    )


@rules.predicate
def is_logged_in(user) -> bool:
    return _active(user)


# --- predicates on a process -----------------------------------------------------------------


@rules.predicate
def is_process_manager(user, process) -> bool:
    return bool(is_admin(user) or (is_staff_member(user) and is_process_owner(user, process)))


@rules.predicate
def may_start_proposal(user, process) -> bool:
    """Whether the user, by their place in the process, may start a proposal in it."""
    if process is None or not _active(user) or not process.is_public:
        return False
    if committee_selectors.committees_where_member(user=user, process=process).exists():
        return True
    if user.role == Role.PARTNER and user.organisation.strip():
        return True
    if user.role == Role.RESIDENT:
        settings = getattr(process, "proposal_settings", None)
        return bool(settings and settings.residents_may_propose)
    return False


# --- the policy --------------------------------------------------------------------------------

can_author = (is_proposal_manager | is_named_author) & ~is_facilitator
can_view = (
    is_staff_member
    | is_named_author
    | is_proposal_facilitator
    | (is_council & is_before_council)
    | is_public
)

rules.add_perm("proposals.view_proposal", can_view)
rules.add_perm(
    "proposals.add_proposal", (is_process_manager | may_start_proposal) & ~is_facilitator
)
rules.add_perm("proposals.change_proposal", can_author & is_editable)
rules.add_perm("proposals.submit_proposal", can_author & is_draft)
rules.add_perm("proposals.withdraw_proposal", can_author & is_not_final)
# Every other step of the life of a proposal is the process owner's.
rules.add_perm("proposals.change_status", is_proposal_manager & ~is_facilitator)
rules.add_perm(
    "proposals.amend_proposal",
    (can_author | (is_process_committee_member & ~is_facilitator)) & is_editable,
)
rules.add_perm("proposals.decide_amendment", can_author & is_editable)
# Discussion is content too: whoever may read may comment, except the facilitator.
rules.add_perm("proposals.comment", is_logged_in & can_view & ~is_facilitator & is_not_final)
rules.add_perm("proposals.moderate_comments", is_proposal_manager | is_proposal_facilitator)
rules.add_perm("proposals.run_check", can_author)
rules.add_perm("proposals.assess_conditions", is_proposal_manager & ~is_facilitator)
rules.add_perm("proposals.assess_proposal", is_proposal_manager & ~is_facilitator)
# Process level: the owner's settings, and the staff overview (all staff read, as processes).
rules.add_perm("proposals.manage_proposals", is_process_manager)
rules.add_perm("proposals.view_proposal_overview", is_staff_member)

# --- the budget page of a process (proposals/budget_views.py) -----------------------------------


@rules.predicate
def sits_on_process_committee(user, process) -> bool:
    """A member or the facilitator of a committee of the process."""
    if process is None or not _active(user):
        return False
    return committee_selectors.committees_of_user(user=user).filter(process=process).exists()


@rules.predicate
def has_public_budget_candidates(user, process) -> bool:
    """The process is public and at least one measure is put to residents (or later)."""
    from samenspraak.proposals.models import Proposal, ProposalKind

    return bool(
        process is not None
        and process.is_public
        and Proposal.objects.filter(
            process=process, kind=ProposalKind.MEASURE, status__in=PUBLIC_STATUSES
        ).exists()
    )


# Staff, the council and its clerk, and the process's committees weigh every candidate;
# everyone else sees the page once measures are in consultation, with only those measures.
sees_whole_budget = is_staff_member | is_council | sits_on_process_committee
rules.add_perm("proposals.view_budget", sees_whole_budget | has_public_budget_candidates)
rules.add_perm("proposals.view_whole_budget", sees_whole_budget)

# --- budget packages (proposals/packages.py) ------------------------------------------------------
# Staff owning the process write; all staff and the facilitators of the process's committees
# read always (facilitators never write); everyone who may see the process reads a package
# once it is put to consultation (the council, its clerk and residents included).


@rules.predicate
def is_package_manager(user, package) -> bool:
    return bool(package is not None and is_process_manager(user, package.process))


@rules.predicate
def is_package_facilitator(user, package) -> bool:
    """A facilitator of a committee of the package's process."""
    if package is None or not _active(user):
        return False
    from samenspraak.committees.models import Committee, MemberRole

    return bool(is_facilitator(user)) and (
        Committee.objects.filter(
            process=package.process,
            memberships__user=user,
            memberships__role=MemberRole.FACILITATOR,
        ).exists()
    )


@rules.predicate
def is_package_public(user, package) -> bool:
    from samenspraak.proposals.models import PACKAGE_PUBLIC_STATUSES

    return bool(
        package is not None
        and package.process.is_public
        and package.status in PACKAGE_PUBLIC_STATUSES
        and user.has_perm("processes.view_process", package.process)
    )


@rules.predicate
def is_package_draft(user, package) -> bool:
    return bool(package is not None and package.is_draft)


rules.add_perm(
    "proposals.view_package", is_staff_member | is_package_facilitator | is_package_public
)
rules.add_perm("proposals.add_package", is_process_manager & ~is_facilitator)
rules.add_perm("proposals.change_package", is_package_manager & ~is_facilitator & is_package_draft)
rules.add_perm("proposals.change_package_status", is_package_manager & ~is_facilitator)
rules.add_perm("proposals.run_package_check", is_package_manager & ~is_facilitator)
rules.add_perm("proposals.assess_package_conditions", is_package_manager & ~is_facilitator)
