"""Fixtures for consultations: a process with districts, and consultations of each kind set
up through the services the way staff set them up (settings, items, codes, publishing)."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.utils import timezone

from samenspraak.consultations import services
from samenspraak.consultations.models import BallotType, ConsultationKind, Verification
from tests.factories import DistrictFactory

PROJECTS = [
    {"code": "P1", "title": "Speeltuin Vondelpark", "cost": Decimal("40000.00")},
    {"code": "P2", "title": "Bankjes langs de Maas", "cost": Decimal("15000.00")},
    {"code": "P3", "title": "Buurtmoestuin", "cost": Decimal("25000.00")},
    {"code": "P4", "title": "Verlichting fietspad", "cost": Decimal("60000.00")},
]
BUDGET = Decimal("100000.00")


@pytest.fixture
def districts(process, municipality):
    north = DistrictFactory(municipality=municipality, name="Dichtersbuurt")
    south = DistrictFactory(municipality=municipality, name="Megen")
    other = DistrictFactory(municipality=municipality, name="Ruwaard")
    process.districts.set([north, south, other])
    return {"north": north, "south": south, "other": other}


def settings_data(kind=ConsultationKind.PB, **overrides):
    now = timezone.now()
    data = {
        "title": "Buurtbudget Dichtersbuurt",
        "description": "Kies de projecten voor uw buurt.",
        "kind": kind,
        "verification": Verification.CODE,
        "opens_at": now - datetime.timedelta(hours=1),
        "closes_at": now + datetime.timedelta(days=7),
        "allow_changes": True,
        "ask_demographics": True,
    }
    if kind == ConsultationKind.PB:
        data.update(
            {
                "ballot_type": BallotType.KNAPSACK,
                "budget": BUDGET,
                "min_choices": 0,
                "max_choices": 3,
                "rule": "mes-add1",
            }
        )
    data.update(overrides)
    # MES and Phragmen count approval ballots only (core.pb.rules.APPROVAL_ONLY).
    points_or_ranking = data.get("ballot_type") in (BallotType.CUMULATIVE, BallotType.ORDINAL)
    if points_or_ranking and "rule" not in overrides:
        data["rule"] = "greedy"
    return data


@pytest.fixture
def make_consultation(staff_user, process):
    """``make_consultation(kind, items=..., publish=True, codes=N, districts=[...], **settings)``:
    a consultation built through the services; returns (consultation, codes)."""

    def make(
        kind=ConsultationKind.PB,
        *,
        items=None,
        gaps=None,
        publish=True,
        codes=5,
        districts=(),
        **overrides,
    ):
        consultation = services.consultation_create(
            actor=staff_user,
            process=process,
            data=settings_data(kind, **overrides),
            districts=list(districts),
        )
        if kind == ConsultationKind.SIMULATOR:
            services.simulator_replace(
                actor=staff_user,
                consultation=consultation,
                gaps=gaps
                if gaps is not None
                else [
                    {"year": 2027, "amount": Decimal("100000.00")},
                    {"year": 2028, "amount": Decimal("200000.00")},
                ],
                items=items if items is not None else MEASURES,
            )
        elif items is not None or kind == ConsultationKind.PB:
            services.items_replace(
                actor=staff_user,
                consultation=consultation,
                items=items if items is not None else PROJECTS,
            )
        new_codes = []
        if codes and consultation.verification == Verification.CODE:
            new_codes = [
                c.code
                for c in services.codes_generate(
                    actor=staff_user, consultation=consultation, count=codes
                )
            ]
        if publish:
            services.consultation_publish(actor=staff_user, consultation=consultation)
        consultation.refresh_from_db()
        return consultation, new_codes

    return make


MEASURES = [
    {
        "code": "M1",
        "title": "Minder maaien",
        "amounts": {2027: Decimal("60000.00"), 2028: Decimal("60000.00")},
    },
    {
        "code": "M2",
        "title": "Bibliotheek kleiner",
        "amounts": {2027: Decimal("-20000.00"), 2028: Decimal("150000.00")},
    },
    {
        "code": "M3",
        "title": "Hogere parkeertarieven",
        "amounts": {2027: Decimal("70000.00"), 2028: Decimal("70000.00")},
    },
]


@pytest.fixture
def pb(make_consultation):
    """A published knapsack PB vote (budget € 100.000, at most 3 projects) with 5 codes."""
    return make_consultation()


# Proposals for polls and simulators, written through the proposals services.
from tests.proposals.conftest import (  # noqa: E402, F401  (fixtures)
    committee,
    facilitator,
    frameworks,
    make_proposal,
    member,
    second_member,
)


@pytest.fixture
def checked_proposals(make_proposal, frameworks):  # noqa: F811  (fixtures imported above)
    """Two measures with the status "checked" (set directly: how they get there is the
    proposals app's business)."""
    from samenspraak.proposals.models import Proposal, ProposalStatus

    made = [make_proposal(title="Buurthuis open"), make_proposal(title="Minder maaien")]
    Proposal.objects.filter(pk__in=[p.pk for p in made]).update(status=ProposalStatus.CHECKED)
    return list(Proposal.objects.filter(pk__in=[p.pk for p in made]).order_by("title"))


@pytest.fixture
def poll_items(checked_proposals):
    return [{"title": p.title, "proposal": p, "code": str(p.pk)} for p in checked_proposals]
