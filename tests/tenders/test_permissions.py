"""The tenders policy, role by role (samenspraak/tenders/permissions.py)."""

from __future__ import annotations

import pytest

from samenspraak.accounts.models import Role
from samenspraak.tenders import services


@pytest.fixture
def coalition(tender, lead, lead_rep):
    return services.coalition_create(actor=lead_rep, lead=lead, name="Samen", tender=tender)


@pytest.mark.parametrize(
    ("role", "manage", "view_evaluation"),
    [
        (Role.STAFF, True, True),
        (Role.ADMIN, True, True),
        (Role.FACILITATOR, False, False),
        (Role.PARTNER, False, False),
        (Role.RESIDENT, False, False),
        (Role.COUNCIL_MEMBER, False, False),
    ],
)
def test_manage_and_evaluation_by_role(user_of_role, tender, role, manage, view_evaluation):
    user = user_of_role(role)
    assert user.has_perm("tenders.manage_tender") is manage
    assert user.has_perm("tenders.view_evaluation", tender) is view_evaluation
    assert user.has_perm("tenders.view_tender", tender)  # published: public
    assert not user.has_perm("tenders.evaluate", tender)  # nobody is on the panel yet


def test_only_panel_members_score(tender, staff_user, other_staff):
    services.panel_add(actor=staff_user, tender=tender, user=other_staff)
    assert other_staff.has_perm("tenders.evaluate", tender)
    assert not staff_user.has_perm("tenders.evaluate", tender)


def test_resident_panel_member_when_the_tender_says_so(staff_user, tender, user_of_role):
    tender.residents_on_panel = True
    tender.save()
    resident = user_of_role(Role.RESIDENT)
    services.panel_add(actor=staff_user, tender=tender, user=resident)
    assert resident.has_perm("tenders.evaluate", tender)
    assert resident.has_perm("tenders.view_evaluation", tender)
    assert not resident.has_perm("tenders.manage_tender")


def test_coalition_rights(coalition, lead_rep, other_rep, staff_user, user_of_role):
    assert lead_rep.has_perm("tenders.change_coalition", coalition)
    assert not other_rep.has_perm("tenders.change_coalition", coalition)
    assert not other_rep.has_perm("tenders.view_coalition", coalition)
    assert staff_user.has_perm("tenders.view_coalition", coalition)
    resident = user_of_role(Role.RESIDENT, email="buur@example.nl")
    assert not resident.has_perm("tenders.view_coalition", coalition)
    services.coalition_add_member(
        actor=lead_rep,
        coalition=coalition,
        data={
            "person_name": "Buur",
            "email": "buur@example.nl",
            "role": "Bewoner",
            "contribution_kind": "in_kind",
        },
    )
    assert resident.has_perm("tenders.view_coalition", coalition)
    assert not resident.has_perm("tenders.change_coalition", coalition)


def test_a_partner_representative_of_another_organisation_is_not_a_lead(coalition, user_of_role):
    namesake = user_of_role(Role.RESIDENT, organisation="Woonstede")
    assert not namesake.has_perm("tenders.change_coalition", coalition)
    assert not namesake.has_perm("tenders.view_coalition", coalition)
