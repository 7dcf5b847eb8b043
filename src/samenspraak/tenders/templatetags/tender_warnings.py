"""``{% tender_warnings %}``: the monitoring warnings (late reports, lagging indicators) of
every agreement, for the staff dashboard.

The processes app sits below tenders and may not import it; the dashboard template loads this
tag instead, so staff see the warnings where they start their day without a dependency upward.
"""

from __future__ import annotations

from django import template

from samenspraak.tenders import monitoring

register = template.Library()


@register.inclusion_tag("tenders/_dashboard_warnings.html", takes_context=True)
def tender_warnings(context):
    user = context["request"].user
    if not user.has_perm("tenders.manage_tender"):
        return {"warnings": []}
    return {"warnings": monitoring.all_warnings()}
