"""The one permission policy for processes: views, API and services all ask these rules."""

from __future__ import annotations

import rules

from samenspraak.accounts.permissions import is_admin, is_clerk, is_staff_member


@rules.predicate
def is_process_owner(user, process) -> bool:
    return bool(process is not None and user.is_authenticated and process.owner_id == user.pk)


@rules.predicate
def is_public_process(user, process) -> bool:
    return bool(process is not None and process.is_public)


can_manage_process = is_admin | (is_staff_member & is_process_owner)

rules.add_perm("processes.view_process", is_public_process | is_staff_member)
rules.add_perm("processes.add_process", is_staff_member)
rules.add_perm("processes.change_process", can_manage_process)
rules.add_perm("processes.change_framework", can_manage_process)
rules.add_perm("processes.change_phases", can_manage_process)
rules.add_perm("processes.view_dashboard", is_staff_member)
# The clerk prepares the council dossier and may follow how a public process changed.
rules.add_perm("processes.view_audit", is_staff_member | (is_clerk & is_public_process))
