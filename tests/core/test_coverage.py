"""Coverage, gaps, overlaps, cost per person and the network on a small hand-checked fixture.

The fixture (two themes, three target groups, three districts, four partners):

  id partner  theme    groups           districts   reach  cost
  1  Welzijn  meedoen  elderly          Noord, Zuid    100  10000
  2  Kerk     meedoen  elderly          Noord           20   1000
  3  Sport    bewegen  youth            Zuid, Oost      50   5000
  4  Welzijn  bewegen  youth, elderly   Oost            30   9000
  5  Bieb     meedoen  youth            Oost             0    500

Worked out by hand below each test.
"""

from __future__ import annotations

from decimal import Decimal

import pytest

from samenspraak.core.coverage import (
    Service,
    cost_per_service,
    cost_per_theme,
    coverage_matrix,
    find_gaps,
    find_overlaps,
    partner_network,
    read_offering,
)
from samenspraak.core.csvfiles import csv_rows
from samenspraak.core.errors import InputError

GROUPS = ("youth", "elderly", "carers")
DISTRICTS = ("Noord", "Zuid", "Oost")
THEMES = ("meedoen", "bewegen")


def s(id, partner, theme, groups, districts, reach, cost, subsidy=0):
    return Service(
        id=id,
        partner=partner,
        name=f"dienst {id}",
        theme=theme,
        groups=frozenset(groups),
        districts=frozenset(districts),
        reach=reach,
        cost=Decimal(cost),
        subsidy=Decimal(subsidy),
    )


SERVICES = [
    s(1, "Welzijn", "meedoen", ["elderly"], ["Noord", "Zuid"], 100, 10000, 8000),
    s(2, "Kerk", "meedoen", ["elderly"], ["Noord"], 20, 1000),
    s(3, "Sport", "bewegen", ["youth"], ["Zuid", "Oost"], 50, 5000, 2500),
    s(4, "Welzijn", "bewegen", ["youth", "elderly"], ["Oost"], 30, 9000),
    s(5, "Bieb", "meedoen", ["youth"], ["Oost"], 0, 500),
]


def test_matrix_all_themes_group_by_district():
    m = coverage_matrix(
        SERVICES, rows="group", columns="district", row_values=GROUPS, column_values=DISTRICTS
    )
    # elderly x Noord: services 1, 2 -> 2 services, reach 120, 2 partners
    assert (m.cell("elderly", "Noord").services, m.cell("elderly", "Noord").reach) == (2, 120)
    assert m.cell("elderly", "Noord").partners == 2
    # elderly x Zuid: service 1 only; elderly x Oost: service 4
    assert (m.cell("elderly", "Zuid").services, m.cell("elderly", "Zuid").reach) == (1, 100)
    assert (m.cell("elderly", "Oost").services, m.cell("elderly", "Oost").reach) == (1, 30)
    # youth x Oost: 3, 4, 5 -> reach 80; youth x Noord: nothing
    assert (m.cell("youth", "Oost").services, m.cell("youth", "Oost").reach) == (3, 80)
    assert m.cell("youth", "Noord").services == 0
    assert all(m.cell("carers", d).services == 0 for d in DISTRICTS)
    # totals count each service once: elderly = 1, 2, 4 (reach 150), Oost = 3, 4, 5
    assert (m.row_totals["elderly"].services, m.row_totals["elderly"].reach) == (3, 150)
    assert (m.column_totals["Oost"].services, m.column_totals["Oost"].reach) == (3, 80)
    assert m.total.services == 5


def test_matrix_filtered_on_a_theme_and_other_axes():
    m = coverage_matrix(
        SERVICES,
        rows="group",
        columns="district",
        row_values=GROUPS,
        column_values=DISTRICTS,
        only="bewegen",
    )
    # bewegen: services 3 and 4 only
    assert m.cell("youth", "Oost").services == 2
    assert m.cell("elderly", "Noord").services == 0
    assert m.total.services == 2
    t = coverage_matrix(
        SERVICES,
        rows="theme",
        columns="group",
        row_values=THEMES,
        column_values=GROUPS,
        only="Oost",
    )
    # Oost: 3 (bewegen youth), 4 (bewegen youth+elderly), 5 (meedoen youth)
    assert t.cell("bewegen", "youth").services == 2
    assert t.cell("bewegen", "elderly").services == 1
    assert t.cell("meedoen", "youth").services == 1
    assert t.cell("meedoen", "elderly").services == 0
    with pytest.raises(ValueError):
        coverage_matrix(SERVICES, rows="group", columns="group", row_values=[], column_values=[])


def test_gaps_all_themes():
    g = find_gaps(SERVICES, groups=GROUPS, districts=DISTRICTS)
    # carers: nothing anywhere; every district has something
    assert g.groups == ("carers",)
    assert g.districts == ()
    # pairs among youth/elderly x Noord/Zuid/Oost that are empty: youth x Noord only
    assert g.pairs == (("youth", "Noord"),)
    assert g.count == 2


def test_gaps_per_theme():
    g = find_gaps(SERVICES, groups=GROUPS, districts=DISTRICTS, theme="meedoen")
    # meedoen: 1 (elderly Noord/Zuid), 2 (elderly Noord), 5 (youth Oost)
    assert g.groups == ("carers",)
    assert g.districts == ()
    assert g.pairs == (("youth", "Noord"), ("youth", "Zuid"), ("elderly", "Oost"))
    g = find_gaps(SERVICES, groups=GROUPS, districts=DISTRICTS, theme="bewegen")
    # bewegen: 3 (youth Zuid/Oost), 4 (youth+elderly Oost): Noord has nothing
    assert g.groups == ("carers",)
    assert g.districts == ("Noord",)
    assert g.pairs == (("elderly", "Zuid"),)


def test_overlaps_need_two_partners_same_theme_group_district():
    found = find_overlaps(SERVICES, themes=THEMES, groups=GROUPS, districts=DISTRICTS)
    # meedoen/elderly/Noord: Welzijn (1) + Kerk (2); bewegen/youth/Oost: Sport (3) + Welzijn (4).
    # meedoen/youth/Oost has Bieb only (Sport and Welzijn there are 'bewegen').
    assert [(o.theme, o.group, o.district) for o in found] == [
        ("meedoen", "elderly", "Noord"),
        ("bewegen", "youth", "Oost"),
    ]
    assert found[0].partners == ("Kerk", "Welzijn")
    assert [x.id for x in found[1].services] == [3, 4]


def test_same_partner_twice_is_not_an_overlap():
    twice = [
        s(1, "Welzijn", "meedoen", ["elderly"], ["Noord"], 10, 100),
        s(2, "Welzijn", "meedoen", ["elderly"], ["Noord"], 10, 100),
    ]
    assert find_overlaps(twice, themes=THEMES, groups=GROUPS, districts=DISTRICTS) == []


def test_cost_per_person():
    lines = cost_per_service(SERVICES)
    by_id = {line.service.id: line for line in lines}
    assert by_id[1].cost_per_person == Decimal("100.00")  # 10000 / 100
    assert by_id[1].subsidy_per_person == Decimal("80.00")
    assert by_id[4].cost_per_person == Decimal("300.00")  # 9000 / 30
    assert by_id[5].cost_per_person is None  # reach 0
    assert [line.service.id for line in lines] == [4, 3, 1, 2, 5]  # 300, 100, 100, 50, none
    themes = {t.theme: t for t in cost_per_theme(SERVICES, themes=THEMES)}
    # meedoen: 1 + 2 (5 has no reach): 11000 / 120 = 91.666.. -> 91.67
    assert themes["meedoen"].cost_per_person == Decimal("91.67")
    assert (themes["meedoen"].services, themes["meedoen"].without_reach) == (3, 1)
    # bewegen: 14000 / 80 = 175
    assert themes["bewegen"].cost_per_person == Decimal("175.00")
    assert themes["bewegen"].subsidy_per_person == Decimal("31.25")  # 2500 / 80


def test_network_links_shared_group_and_district():
    partners = ("Bieb", "Kerk", "Sport", "Welzijn")
    net = partner_network(SERVICES, partners=partners, size=400)
    links = {(link.a, link.b): link for link in net.links}
    # Bieb (youth Oost) ~ Sport (youth Zuid, Oost): youth/Oost; ~ Welzijn (youth Oost): 1 pair
    # Kerk (elderly Noord) ~ Welzijn (elderly Noord, Zuid, Oost; youth Oost): elderly/Noord
    # Sport (youth Zuid, Oost) ~ Welzijn: youth/Oost
    assert set(links) == {
        ("Bieb", "Sport"),
        ("Bieb", "Welzijn"),
        ("Kerk", "Welzijn"),
        ("Sport", "Welzijn"),
    }
    assert links[("Kerk", "Welzijn")].districts == ("Noord",)
    assert links[("Sport", "Welzijn")].weight == 1
    assert net.degree["Welzijn"] == 3
    # circle layout: first partner at the top centre, the second to the right
    assert net.positions["Bieb"] == (200.0, 40.0)
    assert net.positions["Kerk"] == (360.0, 200.0)
    assert partner_network(SERVICES, partners=partners, size=400) == net


def test_network_links_partners_in_a_coalition_together():
    partners = ("Bieb", "Kerk", "Sport", "Welzijn")
    # Kerk and Sport share no (group, district) pair: linked only through the coalition.
    # Bieb and Sport share youth/Oost and are in both coalitions. "Elders" is not a partner
    # of this municipality and is left out.
    coalitions = {
        "Samen Oost": ["Sport", "Kerk", "Bieb"],
        "Jeugd Oost": ["Bieb", "Sport", "Elders"],
    }
    net = partner_network(SERVICES, partners=partners, size=400, coalitions=coalitions)
    links = {(link.a, link.b): link for link in net.links}
    assert links[("Kerk", "Sport")].weight == 0
    assert links[("Kerk", "Sport")].coalitions == ("Samen Oost",)
    assert links[("Bieb", "Sport")].weight == 1
    assert links[("Bieb", "Sport")].coalitions == ("Jeugd Oost", "Samen Oost")
    assert links[("Bieb", "Kerk")].coalitions == ("Samen Oost",)
    assert links[("Kerk", "Welzijn")].coalitions == ()
    assert not any("Elders" in (link.a, link.b) for link in net.links)
    assert net.degree["Kerk"] == 3  # Welzijn by services, Sport and Bieb by the coalition


# --- reading a file ----------------------------------------------------------------------

THEME_LABELS = {"meedoen": "Meedoen en ontmoeten", "bewegen": "Sport en bewegen"}
GROUP_LABELS = {"youth": "Jongeren", "elderly": "Ouderen", "carers": "Mantelzorgers"}
HEADER = "naam,thema,doelgroepen,wijken,bereik,capaciteit,kosten,subsidie,resultaten\n"


def read(text):
    header, rows = csv_rows(text, "aanbod.csv")
    return read_offering(
        header,
        rows,
        themes=THEME_LABELS,
        groups=GROUP_LABELS,
        districts=DISTRICTS,
        filename="aanbod.csv",
    )


def test_read_good_file_labels_or_codes():
    rows = read(
        HEADER
        + 'Koffie,Meedoen en ontmoeten,"ouderen; mantelzorgers",noord|Zuid,1.200,,"€ 12.500,50",'
        "10000,Minder eenzaam\n"
        "Voetbal,bewegen,youth,Oost,40,60,5000,,\n"
    )
    assert rows[0].theme == "meedoen"
    assert rows[0].target_groups == ("elderly", "carers")
    assert rows[0].districts == ("Noord", "Zuid")
    assert rows[0].reach == 1200
    assert rows[0].yearly_cost == Decimal("12500.50")
    assert rows[0].capacity is None
    assert rows[1].capacity == 60 and rows[1].subsidy == Decimal(0)
    assert rows[1].line == 3


@pytest.mark.parametrize(
    ("row", "code", "field"),
    [
        ("Koffie,meedoen,ouderen,Westwijk,10,,100,,", "unknown_value", "wijken"),
        ("Koffie,meedoen,studenten,Noord,10,,100,,", "unknown_value", "doelgroepen"),
        ("Koffie,meedoen,ouderen,Noord,-5,,100,,", "negative", "bereik"),
        ("Koffie,meedoen,ouderen,Noord,10,,-100,,", "negative", "kosten"),
        ("Koffie,meedoen,ouderen,Noord,tien,,100,,", "not_a_number", "bereik"),
        ("Koffie,meedoen,ouderen,Noord,10,,veel,,", "not_an_amount", "kosten"),
        ("Koffie,meedoen,ouderen,Noord,10,,100,200,", "subsidy_above_cost", "subsidie"),
        ("Koffie,koken,ouderen,Noord,10,,100,,", "unknown_value", "thema"),
        (",meedoen,ouderen,Noord,10,,100,,", "missing_value", "naam"),
    ],
)
def test_bad_row_names_row_and_field(row, code, field):
    good = "Eerst,meedoen,ouderen,Noord,10,,100,,\n"
    with pytest.raises(InputError) as info:
        read(HEADER + good + row + "\n")
    assert info.value.code == code
    assert info.value.location.row == 3
    assert info.value.location.field == field
    assert "rij 3" in str(info.value) and f"veld '{field}'" in str(info.value)


def test_missing_column_is_named():
    with pytest.raises(InputError) as info:
        read("naam,thema,doelgroepen,wijken,kosten\nKoffie,meedoen,ouderen,Noord,100\n")
    assert info.value.code == "missing_column"
    assert info.value.location.field == "bereik"
