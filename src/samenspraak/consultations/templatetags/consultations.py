"""``{% process_consultations process %}``: the consultations section of a process page.

The processes app sits below consultations and may not import it; its template loads this
tag instead, so the process page lists its consultations without a dependency upward.
"""

from __future__ import annotations

from django import template
from django.utils import timezone
from django.utils.translation import gettext as _

from samenspraak.consultations import selectors
from samenspraak.consultations.models import ConsultationStatus

register = template.Library()


def state_text(consultation, now) -> str:
    """Where a consultation stands, in words: draft, opens on, open until, closed."""
    if consultation.status == ConsultationStatus.DRAFT:
        return _("draft")
    if consultation.status == ConsultationStatus.CLOSED:
        return _("closed, results published")
    if now < consultation.opens_at:
        return _("voting from %(when)s") % {
            "when": timezone.localtime(consultation.opens_at).strftime("%d-%m-%Y %H:%M")
        }
    if now < consultation.closes_at:
        return _("vote now, until %(when)s") % {
            "when": timezone.localtime(consultation.closes_at).strftime("%d-%m-%Y %H:%M")
        }
    return _("voting has closed")


@register.inclusion_tag("consultations/_process_consultations.html", takes_context=True)
def process_consultations(context, process):
    user = context["request"].user
    now = timezone.now()
    visible = selectors.consultations_for_process(process=process, user=user)
    return {
        "process": process,
        "consultations": [(c, state_text(c, now)) for c in visible],
        "can_add": user.has_perm("consultations.add_consultation", process),
    }
