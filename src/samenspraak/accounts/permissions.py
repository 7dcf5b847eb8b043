"""Role predicates: the building blocks every app's permission rules are made of."""

from __future__ import annotations

import rules

from samenspraak.accounts.models import Role


def has_role(*roles: str):
    names = "_or_".join(roles)

    @rules.predicate(name=f"has_role_{names}")
    def predicate(user) -> bool:
        return bool(user and user.is_authenticated and user.is_active and user.role in roles)

    return predicate


is_admin = has_role(Role.ADMIN)
is_staff_member = has_role(Role.STAFF, Role.ADMIN)
is_facilitator = has_role(Role.FACILITATOR)
is_committee_member = has_role(Role.COMMITTEE_MEMBER)
is_partner = has_role(Role.PARTNER)
is_resident = has_role(Role.RESIDENT)
is_council_member = has_role(Role.COUNCIL_MEMBER)
is_clerk = has_role(Role.CLERK)
is_council = is_council_member | is_clerk
is_municipal = has_role(Role.STAFF, Role.ADMIN, Role.FACILITATOR, Role.CLERK)
