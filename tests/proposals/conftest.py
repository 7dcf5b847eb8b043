"""Fixtures for proposals: a process with frameworks (aspects, conditions, bandwidth), a
committee with a member and a facilitator, and helpers that write through the services."""

from __future__ import annotations

from decimal import Decimal

import pytest

from samenspraak.accounts.models import Role
from samenspraak.committees.models import MemberRole, MembershipSource
from samenspraak.processes import services as process_services
from samenspraak.proposals import services
from tests.committees.factories import CommitteeFactory, MembershipFactory

ASPECTS = ["Milieu", "Groen", "Parkeren"]
CONDITIONS = ["Minstens 30% sociale huur.", "De bufferzone blijft vrij."]


@pytest.fixture
def frameworks(process, staff_user):
    """Range bandwidth for 2026 and 2027, three mandatory aspects, two conditions."""
    process_services.framework_update(
        actor=staff_user,
        process=process,
        data={
            "bandwidth_kind": "range",
            "bandwidth_subject": "Resultaat grondexploitatie",
            "budget_areas": "8.2",
            "conditions": "\n".join(CONDITIONS),
        },
        years=[
            {"year": 2026, "minimum": Decimal("-500000.00"), "maximum": Decimal("1500000.00")},
            {"year": 2027, "minimum": Decimal("-500000.00"), "maximum": Decimal("1500000.00")},
        ],
        aspects=[{"name": name} for name in ASPECTS],
    )
    process.refresh_from_db()
    return process.framework


@pytest.fixture
def theme(process, staff_user):
    process_services.themes_replace(
        actor=staff_user,
        process=process,
        themes=[{"name": "Wonen", "owning_department": "Ruimte"}, {"name": "Zorg"}],
    )
    return process.themes.get(name="Wonen")


@pytest.fixture
def member(user_of_role):
    return user_of_role(Role.COMMITTEE_MEMBER, full_name="Mila Lid")


@pytest.fixture
def second_member(user_of_role):
    return user_of_role(Role.COMMITTEE_MEMBER, full_name="Bram Medelid")


@pytest.fixture
def facilitator(user_of_role):
    return user_of_role(Role.FACILITATOR, full_name="Fenna Begeleider")


@pytest.fixture
def committee(process, member, second_member, facilitator):
    committee = CommitteeFactory(process=process, name="Kopgroep Huis ter Heide")
    MembershipFactory(committee=committee, user=member)
    MembershipFactory(committee=committee, user=second_member)
    MembershipFactory(
        committee=committee,
        user=facilitator,
        role=MemberRole.FACILITATOR,
        source=MembershipSource.ASSIGNED,
    )
    return committee


def content(**overrides):
    data = {
        "kind": "measure",
        "title": "Buurthuis in de Dichtersbuurt",
        "summary": "Een buurthuis waar bewoners elkaar ontmoeten.",
        "body": "Het buurthuis is open op werkdagen.\n\nVrijwilligers doen de bar.",
        "aspects": ["Milieu"],
        "target_groups": "Ouderen en jonge gezinnen",
        "expected_reach": 400,
        "risks": "Te weinig vrijwilligers.",
    }
    data.update(overrides)
    return data


EFFECTS = [
    {"year": 2026, "structural": Decimal("-25000.00"), "incidental": Decimal("-100000.00")},
    {"year": 2027, "structural": Decimal("40000.00"), "incidental": Decimal("0.00")},
]

REQUIREMENTS = [
    {
        "aspect": "Parkeren",
        "title": "Parkeernorm bewoners",
        "priority": "must",
        "norm_quantity": "parkeerplaatsen per woning",
        "norm_operator": "at_least",
        "norm_value": Decimal("1.3"),
        "norm_unit": "plaatsen",
        "cost_estimate": Decimal("250000.00"),
    },
    {
        "aspect": "Groen",
        "title": "Veel groen",
        "description": "Minstens 40% van het gebied is groen.",
        "priority": "should",
        "norm_quantity": "aandeel groen",
        "norm_operator": "at_least",
        "norm_value": Decimal("40"),
        "norm_unit": "%",
    },
    {"aspect": "Milieu", "title": "Aardgasvrij bouwen", "priority": "could"},
]


@pytest.fixture
def make_proposal(committee, member):
    """``make_proposal(**content overrides)``: a committee proposal written by ``member``."""

    def make(actor=None, effects=EFFECTS, requirements=(), **overrides):
        return services.proposal_create(
            actor=actor or member,
            process=committee.process,
            data=content(**overrides),
            effects=effects,
            requirements=requirements,
            committee=committee,
        )

    return make


@pytest.fixture
def proposal(make_proposal, frameworks):
    return make_proposal()


@pytest.fixture
def programme(make_proposal, frameworks):
    return make_proposal(
        kind="programme_of_requirements",
        title="Programma van Eisen Huis ter Heide",
        aspects=[],
        requirements=REQUIREMENTS,
    )
