from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from samenspraak.accounts.models import Role
from samenspraak.partners import services as partner_services
from samenspraak.partners.models import PartnerKind
from samenspraak.tenders import services

CRITERIA = [
    ("Plan", Decimal(40), "quality"),
    ("Residents", Decimal(30), "quality"),
    ("Price", Decimal(30), "price"),
]


def tender_data(**extra):
    data = {
        "title": "Samen sterk in de wijk",
        "challenge": "Minder eenzaamheid",
        "outcomes": "Minder eenzaamheid | % eenzaam in de gezondheidsmonitor",
        "budget_per_year": Decimal("100000"),
        "first_year": 2027,
        "last_year": 2028,
        "price_method": "relative",
        "deadline": timezone.now() + timedelta(days=10),
    }
    data.update(extra)
    return data


@pytest.fixture
def lead(staff_user, process):
    return partner_services.partner_create(
        actor=staff_user,
        data={
            "municipality": process.municipality,
            "name": "Woonstede",
            "kind": PartnerKind.HOUSING,
        },
    )


@pytest.fixture
def other_partner(staff_user, process):
    return partner_services.partner_create(
        actor=staff_user,
        data={
            "municipality": process.municipality,
            "name": "Welzijn Oost",
            "kind": PartnerKind.WELFARE,
        },
    )


@pytest.fixture
def lead_rep(user_of_role):
    return user_of_role(Role.PARTNER, full_name="Lies Lead", organisation="Woonstede")


@pytest.fixture
def other_rep(user_of_role):
    return user_of_role(Role.PARTNER, full_name="Otto Ander", organisation="Welzijn Oost")


@pytest.fixture
def tender(staff_user, process):
    tender = services.tender_create(
        actor=staff_user, process=process, data=tender_data(), criteria=CRITERIA
    )
    return services.tender_publish(actor=staff_user, tender=tender)


def close(tender):
    tender.deadline = timezone.now() - timedelta(minutes=1)
    tender.save(update_fields=["deadline"])


@pytest.fixture
def make_bid():
    def make(actor, coalition, price="90000", submit=True):
        bid = services.bid_save(
            actor=actor,
            coalition=coalition,
            data={
                "plan": "Een huiskamer per straat",
                "price": Decimal(price),
                "committed_outcomes": "10% minder eenzaam",
                "resident_involvement": "Bewoners koken samen",
            },
            years={2027: Decimal(price) / 2, 2028: Decimal(price) / 2},
        )
        if submit:
            services.bid_submit(actor=actor, bid=bid)
        return bid

    return make
