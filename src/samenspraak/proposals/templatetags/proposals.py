"""``{% process_proposals process %}``: the proposals section of a process page.

The processes app sits below proposals and may not import it; its template loads this tag
instead, so the process page links to its proposals without a dependency upward.
"""

from __future__ import annotations

from django import template

from samenspraak.proposals import selectors

register = template.Library()

SHOWN = 8


@register.inclusion_tag("proposals/_process_proposals.html", takes_context=True)
def process_proposals(context, process):
    user = context["request"].user
    proposals = list(selectors.proposal_list_for_user(user=user, process=process)[: SHOWN + 1])
    total = len(proposals)
    if total > SHOWN:
        total = selectors.proposal_list_for_user(user=user, process=process).count()
    return {
        "process": process,
        "proposals": proposals[:SHOWN],
        "more": max(total - SHOWN, 0),
        "can_add": user.has_perm("proposals.add_proposal", process),
        "can_manage": user.has_perm("proposals.view_proposal_overview", process),
    }


@register.inclusion_tag("proposals/_committee_proposals.html", takes_context=True)
def committee_proposals(context, committee):
    """The proposals a committee wrote, for its workspace (committees sits below proposals)."""
    user = context["request"].user
    proposals = selectors.proposal_list_for_user(user=user, process=committee.process).filter(
        author_committee=committee
    )
    return {
        "committee": committee,
        "process": committee.process,
        "proposals": list(proposals),
        "can_add": user.has_perm("proposals.add_proposal", committee.process),
    }


@register.filter
def norm(requirement) -> str:
    """A requirement's norm in words: 'parking spaces per home: at least 1,3 places'."""
    from samenspraak.proposals.exports import norm_text

    return norm_text(requirement)
