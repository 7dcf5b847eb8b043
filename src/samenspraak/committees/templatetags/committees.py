"""``{% process_committees process %}``: the committees section of a process page.

The processes app sits below committees and may not import it; its template loads this
tag instead, so the process page shows its committees without a dependency upward.
"""

from __future__ import annotations

from django import template
from django.utils import timezone

from samenspraak.committees import selectors

register = template.Library()


@register.inclusion_tag("committees/_process_committees.html", takes_context=True)
def process_committees(context, process):
    user = context["request"].user
    today = timezone.localdate()
    committees = list(selectors.committee_list_for_process(process=process))
    for committee in committees:
        committee.accepts_now = committee.accepts_applications(today)
        committee.can_view_workspace = user.has_perm("committees.view_workspace", committee)
    return {
        "process": process,
        "committees": committees,
        "can_manage": user.has_perm("committees.add_committee", process),
        "has_themes": process.themes.exists(),
        "request": context["request"],
    }
