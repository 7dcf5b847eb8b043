"""The one permission policy for partners and their offering.

- Staff and administrators manage the register: add partners, edit any partner and its offering.
- A partner representative edits the profile and the offering of their own organisation only
  (the partner whose name is their ``organisation``, see ``Partner.contacts``).
- The register and the analyses (matrix, gaps, overlaps, cost, network) are read by staff, the
  facilitator, the council and its clerk, and partner representatives (read-only). Residents
  and committee members see none of it: it holds subsidies and internal figures.
"""

from __future__ import annotations

import rules

from samenspraak.accounts.permissions import (
    is_council,
    is_municipal,
    is_partner,
    is_staff_member,
)


@rules.predicate
def is_partner_contact(user, partner) -> bool:
    if partner is None or not (user and user.is_authenticated and user.is_active):
        return False
    return bool(user.organisation) and (
        user.organisation.strip().casefold() == partner.name.strip().casefold()
    )


can_read = is_municipal | is_council | is_partner
can_edit_partner = is_staff_member | (is_partner & is_partner_contact)

rules.add_perm("partners.view_register", can_read)
rules.add_perm("partners.view_analysis", can_read)
rules.add_perm("partners.add_partner", is_staff_member)
rules.add_perm("partners.delete_partner", is_staff_member)
rules.add_perm("partners.change_partner", can_edit_partner)
rules.add_perm("partners.change_offering", can_edit_partner)
