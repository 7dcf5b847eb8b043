"""The Purmerend demo offering: its gap list, its overlap and a round-trip through the pages.

Expected values are derived by hand from the data definition in samenspraak/demo/partners.py:

- Every target group except young carers and newcomers has at least one Purmerend service in
  all six districts (children: GGD's school health care; young people: ambulant youth work;
  families with a low income: Buurtwerk; older people and people with a disability:
  household support; mental health: GGD; informal carers: the Mantelzorgconsulent; debts:
  the food bank; job seekers: the Werkfit-traject).
- Young carers: only the JMZ-club, in Centrum, Overwhere, Wheermolen, Gors and Purmer-Noord,
  so Weidevenne is missing.
- Newcomers: Digitaal Café (Centrum, Weidevenne), Kookcafé (Weidevenne), the guidance of
  status holders (Centrum, Overwhere, Weidevenne, Wheermolen, Gors), Taalmaatjes (Centrum,
  Weidevenne, Wheermolen) and the Taalcafé (Centrum): Purmer-Noord is missing.
So over all themes there is no empty target group, no empty district and exactly two empty
pairs.

For the theme "Money matters and poverty" the services are for debts, families with a low
income, older people and children, each with a service in every district (the food bank,
Schuldhulpverlening, Thuisadministratie, the Meedoen-regeling): the other seven groups have
nothing, no district is empty, and no pair of a served group is empty.

Loneliness activities for older people in Overwhere (participation, older people,
Overwhere): Welzijn Purmerend's Ontmoetingsochtend, De Inloop's Koffie-inloop and
Humanitas' Maatjesproject; the Open tafel runs in Centrum and Gors only. Three partners.
"""

from __future__ import annotations

import pytest
from django.db import transaction
from django.urls import reverse

from samenspraak.core import coverage
from samenspraak.demo.loader import load_demo
from samenspraak.partners import adapters, selectors
from samenspraak.partners.models import Offering, Partner, TargetGroup, Theme
from samenspraak.processes.models import Municipality

pytestmark = pytest.mark.django_db

DISTRICTS = ["Centrum", "Gors", "Overwhere", "Purmer-Noord", "Weidevenne", "Wheermolen"]


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock(), transaction.atomic():
        yield load_demo()
        transaction.set_rollback(True)


@pytest.fixture
def purmerend(demo):
    town = Municipality.objects.get(name="Purmerend")
    return town, adapters.services_of(selectors.offerings_of(municipality=town))


def test_dozens_of_services_and_loading_again_changes_nothing(demo, purmerend):
    town, services = purmerend
    assert Partner.objects.filter(municipality=town).count() >= 25
    assert len(services) >= 50
    assert selectors.district_names(town) == DISTRICTS
    before = Offering.objects.count()
    again = load_demo()
    assert Offering.objects.count() == before and again.partners_created["offerings"] == 0
    assert demo.partners_created["offerings"] == before


def test_gap_list_over_all_themes(purmerend):
    _, services = purmerend
    gaps = coverage.find_gaps(services, groups=list(TargetGroup.values), districts=DISTRICTS)
    assert gaps.groups == ()
    assert gaps.districts == ()
    # in the order of the target group list: young carers come before newcomers
    assert gaps.pairs == (("young_carers", "Weidevenne"), ("newcomers", "Purmer-Noord"))


def test_gap_list_for_money_matters(purmerend):
    _, services = purmerend
    gaps = coverage.find_gaps(
        services, groups=list(TargetGroup.values), districts=DISTRICTS, theme=Theme.MONEY
    )
    assert gaps.groups == (
        "young_people",
        "disability",
        "mental_health",
        "informal_carers",
        "young_carers",
        "newcomers",
        "job_seekers",
    )
    assert gaps.districts == () and gaps.pairs == ()


def test_three_partners_for_lonely_elderly_in_overwhere(purmerend):
    _, services = purmerend
    found = coverage.find_overlaps(
        services,
        themes=[Theme.PARTICIPATION],
        groups=[TargetGroup.ELDERLY],
        districts=["Overwhere"],
    )
    assert len(found) == 1
    assert found[0].partners == ("Buurthuis De Inloop", "Humanitas Purmerend", "Welzijn Purmerend")


def test_matrix_cell_and_the_partner_demo_login(client, purmerend):
    _, services = purmerend
    matrix = coverage.coverage_matrix(
        services,
        rows="group",
        columns="district",
        row_values=list(TargetGroup.values),
        column_values=DISTRICTS,
    )
    assert matrix.cell("young_carers", "Weidevenne").services == 0
    assert matrix.cell("young_carers", "Overwhere").services == 1
    assert client.login(email="partner@samenspraak.example", password="samenspraak-demo")
    page = client.get(reverse("partners:list")).content.decode()
    brabantwonen = Partner.objects.get(name="BrabantWonen")
    assert reverse("partners:detail", args=[brabantwonen.pk]) in page  # "Your organisation"
    assert (
        client.get(reverse("partners:offering_create", args=[brabantwonen.pk])).status_code == 200
    )
    other = Partner.objects.get(name="Welzijn Purmerend")
    assert client.get(reverse("partners:offering_create", args=[other.pk])).status_code == 403
    gaps = client.get(reverse("partners:gaps")).content.decode()  # Purmerend by default
    assert "Purmerend" in gaps and "Weidevenne" in gaps.split('id="gap-pairs"')[1]
