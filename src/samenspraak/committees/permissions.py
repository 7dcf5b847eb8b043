"""The one permission policy for committees: views, API and services all ask these rules.

A facilitator (Chef de Dossier) guards the process of a committee and never its content
(GLOSSARY.md): they may move the committee through its steps, schedule meetings, publish
minutes and moderate the discussion, but they may not author or edit content or vote. The
content rules below therefore exclude facilitators explicitly, whatever else they are.
"""

from __future__ import annotations

import rules

from samenspraak.accounts.permissions import is_admin, is_facilitator, is_staff_member
from samenspraak.committees.models import MemberRole
from samenspraak.processes.permissions import is_process_owner


def _process(committee):
    return committee.process if committee is not None else None


@rules.predicate
def is_committee_process_owner(user, committee) -> bool:
    return bool(committee is not None and is_process_owner(user, _process(committee)))


@rules.predicate
def is_committee_public(user, committee) -> bool:
    return bool(committee is not None and committee.process.is_public)


def _has_membership(user, committee, role: str) -> bool:
    if committee is None or not (user and user.is_authenticated and user.is_active):
        return False
    return committee.memberships.filter(user=user, role=role).exists()


@rules.predicate
def is_committee_member(user, committee) -> bool:
    return _has_membership(user, committee, MemberRole.MEMBER)


@rules.predicate
def is_committee_facilitator(user, committee) -> bool:
    # The facilitator role on the platform and the seat on this committee, both.
    return bool(is_facilitator(user) and _has_membership(user, committee, MemberRole.FACILITATOR))


can_manage_committee = is_admin | (is_staff_member & is_committee_process_owner)
can_guide_committee = can_manage_committee | is_committee_facilitator

rules.add_perm("committees.view_committee", is_committee_public | is_staff_member)
rules.add_perm(
    "committees.view_workspace",
    can_manage_committee | is_committee_facilitator | is_committee_member,
)
# Writing committees, quotas, the pool and the draw: the process owner and administrators.
rules.add_perm("committees.add_committee", is_admin | (is_staff_member & is_process_owner))
rules.add_perm("committees.manage_committee", can_manage_committee)
rules.add_perm("committees.change_content", can_manage_committee & ~is_facilitator)
rules.add_perm("committees.manage_facilitators", is_admin | (is_staff_member & is_process_owner))
# The process of a committee: its facilitator as well as staff.
rules.add_perm("committees.change_status", can_guide_committee)
rules.add_perm("committees.schedule_meeting", can_guide_committee)
rules.add_perm("committees.publish_minutes", can_guide_committee)
rules.add_perm("committees.moderate_messages", can_guide_committee)
# Content: members write; a facilitator never does, even if also seated as a member.
rules.add_perm("committees.post_message", is_committee_member & ~is_facilitator)
rules.add_perm("committees.author_content", is_committee_member & ~is_facilitator)
rules.add_perm("committees.vote", is_committee_member & ~is_facilitator)
rules.add_perm("committees.view_knowledge_network", is_staff_member)

# Documents in the workspace. Everyone who sees the workspace may read them. Members and staff
# upload any kind. The facilitator guards the process and never authors content, but the
# process has its own papers (agenda, minutes, attendance): they upload to the category
# "Agenda and minutes" only (services.document_upload asks the second rule per category).
rules.add_perm(
    "committees.view_documents",
    can_manage_committee | is_committee_facilitator | is_committee_member,
)
rules.add_perm(
    "committees.upload_process_document",
    can_guide_committee | (is_committee_member & ~is_facilitator),
)
rules.add_perm(
    "committees.upload_content_document",
    (can_manage_committee | is_committee_member) & ~is_facilitator,
)


@rules.predicate
def is_document_uploader(user, document) -> bool:
    return bool(
        document is not None and user.is_authenticated and document.uploaded_by_id == user.pk
    )


def _document_committee(user, document):
    return document.committee if document is not None else None


@rules.predicate
def can_manage_document_committee(user, document) -> bool:
    return bool(can_manage_committee(user, _document_committee(user, document)))


@rules.predicate
def can_see_document_workspace(user, document) -> bool:
    committee = _document_committee(user, document)
    return bool(user.has_perm("committees.view_documents", committee))


# A document goes away by the hand of whoever uploaded it (while they still have the
# workspace) or of staff who manage the committee; the trail records who removed what.
rules.add_perm(
    "committees.delete_document",
    (is_document_uploader & can_see_document_workspace) | can_manage_document_committee,
)
# Who sits on a committee is personal data: the API lists members for staff only.
rules.add_perm("committees.view_members", is_staff_member)
