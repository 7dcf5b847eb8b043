"""The one permission policy for consultations: views, API and services all ask these rules.

Voting itself needs no account: a voter proves who they are with a voting code, a one-time
e-mail link or an OpenID Connect log-in (see ``verification``), and services check that the
consultation is open. These rules are about running consultations and reading them:

- the staff member who owns the process, and administrators, create, edit, publish, generate
  codes for and close a consultation, and see its running figures;
- a published or closed consultation is public; a draft is seen by managers and all staff;
- results are public once the consultation is closed; managers see them at any time;
- the council and its clerk see the results of every closed consultation like everyone else.
"""

from __future__ import annotations

import rules

from samenspraak.accounts.permissions import is_admin, is_staff_member
from samenspraak.processes.permissions import can_manage_process

from .models import ConsultationStatus


@rules.predicate
def is_consultation_manager(user, consultation) -> bool:
    """Administrators and the staff member who owns the consultation's process."""
    if consultation is None:
        return False
    return bool(can_manage_process(user, consultation.process))


@rules.predicate
def is_public_consultation(user, consultation) -> bool:
    return bool(consultation is not None and consultation.status != ConsultationStatus.DRAFT)


@rules.predicate
def is_closed_consultation(user, consultation) -> bool:
    return bool(consultation is not None and consultation.status == ConsultationStatus.CLOSED)


@rules.predicate
def can_manage_process_of(user, process) -> bool:
    """For adding a consultation to a process (the object is the process)."""
    return bool(can_manage_process(user, process))


rules.add_perm("consultations.add_consultation", can_manage_process_of)
rules.add_perm("consultations.change_consultation", is_consultation_manager)
rules.add_perm(
    "consultations.view_consultation",
    is_public_consultation | is_consultation_manager | is_staff_member,
)
rules.add_perm("consultations.view_results", is_closed_consultation | is_consultation_manager)
rules.add_perm("consultations.view_voters", is_consultation_manager | is_admin)
