# ruff: noqa: E501  (CSV rows read best on one line)
"""Pages of the partner register, the offering and its analyses; permissions per role."""

from __future__ import annotations

import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from samenspraak.accounts.models import Role
from samenspraak.partners.models import Offering, Partner, TargetGroup, Theme
from tests.factories import PASSWORD

HEADER = "naam;thema;doelgroepen;wijken;bereik;capaciteit;kosten;subsidie;resultaten\n"


@pytest.fixture
def offering(welzijn, sport, add_service):
    """Welzijn: koffie (participation, elderly, Noord+Zuid, 100) and maaltijd (participation,
    elderly, Noord, 20); Sport: voetbal (health, young people, Zuid+Oost, 50) and
    ouderengym (participation, elderly, Noord, 30)."""
    add_service(
        welzijn, "Koffie", Theme.PARTICIPATION, [TargetGroup.ELDERLY], ["Noord", "Zuid"], 100
    )
    add_service(welzijn, "Maaltijd", Theme.PARTICIPATION, [TargetGroup.ELDERLY], ["Noord"], 20)
    add_service(sport, "Voetbal", Theme.HEALTH, [TargetGroup.YOUNG_PEOPLE], ["Zuid", "Oost"], 50)
    add_service(sport, "Ouderengym", Theme.PARTICIPATION, [TargetGroup.ELDERLY], ["Noord"], 30)


def login(client, user):
    assert client.login(email=user.email, password=PASSWORD)
    return client


def cell_text(html: str, row: str) -> list[str]:
    """The texts of the data cells of the matrix row headed ``row``."""
    match = re.search(
        rf'<th scope="row" class="utrecht-table__header-cell">{re.escape(row)}</th>(.*?)</tr>',
        html,
        re.S,
    )
    assert match, row
    cells = re.findall(r"<td[^>]*>(.*?)</td>", match.group(1), re.S)
    return [re.sub(r"<[^>]+>", " ", c).split() for c in cells]


def test_matrix_page_counts(client, staff_user, offering, town):
    login(client, staff_user)
    html = client.get(reverse("partners:coverage") + "?gemeente=GM0439").content.decode()
    # Districts in order Noord, Oost, Zuid, then Total. Older people:
    # Noord: koffie, maaltijd, ouderengym = 3 (reach 150); Oost: none; Zuid: koffie (100).
    elderly = cell_text(html, str(TargetGroup.ELDERLY.label))
    assert elderly[0][:1] == ["3"] and "150" in elderly[0]
    assert elderly[1] == ["geen"] or elderly[1] == ["none"]
    assert elderly[2][:1] == ["1"] and "100" in elderly[2]
    assert elderly[3][:1] == ["3"]
    # Filtered on the theme health: only voetbal, for young people in Oost and Zuid
    html = client.get(
        reverse("partners:coverage") + "?gemeente=GM0439&rijen=group&kolommen=district&thema=health"
    ).content.decode()
    young = cell_text(html, str(TargetGroup.YOUNG_PEOPLE.label))
    assert young[0] != young[1] and young[1][:1] == ["1"] and young[2][:1] == ["1"]
    assert cell_text(html, str(TargetGroup.ELDERLY.label))[3][:1] == ["0"]


def test_gaps_and_overlaps_pages(client, staff_user, offering):
    login(client, staff_user)
    html = client.get(reverse("partners:gaps") + "?gemeente=GM0439").content.decode()
    section = html.split('id="gap-list"')[1].split("</section>")[0]
    # no district is empty; young people miss Noord; older people miss Oost
    assert "gap-districts" not in section
    pairs = re.findall(r'<th scope="row"[^>]*>(.*?)</th><td[^>]*>(.*?)</td>', section)
    assert pairs == [
        (str(TargetGroup.YOUNG_PEOPLE.label), "Noord"),
        (str(TargetGroup.ELDERLY.label), "Oost"),
    ]
    html = client.get(reverse("partners:overlaps") + "?gemeente=GM0439").content.decode()
    # participation / older people / Noord: Welzijn (koffie, maaltijd) and Sport (ouderengym)
    table = html.split('id="overlaps"')[1]
    assert table.count('<tr class="utrecht-table__row">') == 2  # header + one overlap
    assert "Ouderengym (SV Purmer)" in table and "Koffie (Stichting Welzijn)" in table


def test_cost_and_network_pages(client, staff_user, offering):
    login(client, staff_user)
    assert client.get(reverse("partners:cost") + "?gemeente=GM0439").status_code == 200
    html = client.get(reverse("partners:network") + "?gemeente=GM0439").content.decode()
    assert "<svg" in html and html.count("<line ") == 1  # Welzijn and Sport share elderly/Noord
    # Coordinates are SVG numbers in every language (Dutch would write 12,5: no line at all).
    svg = html.split("<svg", 1)[1].split("</svg>", 1)[0]
    coordinates = re.findall(r'\b(?:x1|y1|x2|y2|cx|cy|x|y)="([^"]*)"', svg)
    assert coordinates and all(re.fullmatch(r"-?\d+(\.\d+)?", c) for c in coordinates), coordinates
    links = html.split('id="network-links"')[1]
    assert "SV Purmer" in links and "Stichting Welzijn" in links


@pytest.mark.parametrize("role", [Role.RESIDENT, Role.COMMITTEE_MEMBER])
def test_residents_see_no_register_or_analysis(client, user_of_role, role, welzijn):
    login(client, user_of_role(role))
    for url in (
        reverse("partners:list"),
        reverse("partners:coverage"),
        reverse("partners:detail", args=[welzijn.pk]),
        reverse("partners:create"),
        reverse("partners:offering_create", args=[welzijn.pk]),
    ):
        assert client.get(url).status_code == 403, url


def test_anonymous_is_sent_to_log_in(client):
    response = client.get(reverse("partners:coverage"))
    assert response.status_code == 302 and "next=" in response["Location"]


def test_partner_edits_own_offering_not_others(client, welzijn, sport, welzijn_rep, districts):
    login(client, welzijn_rep)
    assert client.get(reverse("partners:offering_create", args=[sport.pk])).status_code == 403
    assert client.get(reverse("partners:edit", args=[sport.pk])).status_code == 403
    assert client.get(reverse("partners:create")).status_code == 403
    assert client.get(reverse("partners:coverage")).status_code == 200  # read-only
    response = client.post(
        reverse("partners:offering_create", args=[welzijn.pk]),
        {
            "name": "Taalcafé",
            "theme": Theme.LANGUAGE,
            "target_groups": [TargetGroup.NEWCOMERS],
            "districts": [districts["Oost"].pk],
            "reach": "25",
            "yearly_cost": "2.500",
            "subsidy": "",
            "outcomes": "",
        },
    )
    assert response.status_code == 302
    assert Offering.objects.get(name="Taalcafé").partner == welzijn


def test_offering_form_errors(client, welzijn, staff_user, districts):
    login(client, staff_user)
    response = client.post(
        reverse("partners:offering_create", args=[welzijn.pk]),
        {
            "name": "Duur",
            "theme": Theme.HEALTH,
            "target_groups": [TargetGroup.ELDERLY],
            "districts": [districts["Oost"].pk],
            "reach": "-1",
            "yearly_cost": "100",
            "subsidy": "200",
        },
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "error-summary" in html and 'aria-invalid="true"' in html
    assert not Offering.objects.exists()


def test_import_page_bad_row_names_row_and_field(client, welzijn, welzijn_rep):
    login(client, welzijn_rep)
    text = (
        HEADER
        + "Goed;Meedoen en ontmoeten;Ouderen (65+);Noord;10;;100;;\nFout;Meedoen en ontmoeten;Ouderen (65+);Noord;-3;;100;;\n"
    )
    response = client.post(
        reverse("partners:offering_import", args=[welzijn.pk]),
        {"file": SimpleUploadedFile("aanbod.csv", text.encode(), content_type="text/csv")},
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "rij 3" in html and "veld &#x27;bereik&#x27;" in html
    assert not Offering.objects.exists()
    response = client.post(
        reverse("partners:offering_import", args=[welzijn.pk]),
        {"file": SimpleUploadedFile("aanbod.csv", text.split("Fout")[0].encode())},
    )
    assert response.status_code == 302
    assert list(Offering.objects.values_list("name", flat=True)) == ["Goed"]


def test_templates_download(client, welzijn, staff_user):
    login(client, staff_user)
    response = client.get(reverse("partners:offering_template", args=[welzijn.pk, "xlsx"]))
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    response = client.get(reverse("partners:offering_template", args=[welzijn.pk, "csv"]))
    assert response.content.decode("utf-8-sig").startswith("naam;thema;doelgroepen;wijken")


def test_staff_adds_partner_and_rep_edits_profile(client, staff_user, town, districts, welzijn_rep):
    login(client, staff_user)
    assert client.get(reverse("partners:create")).status_code == 200
    response = client.post(
        reverse("partners:create"),
        {
            "municipality": town.pk,
            "name": "Stichting Welzijn",
            "kind": "welfare",
            "kvk_number": "1234",
            "districts": [districts["Noord"].pk],
        },
    )
    assert response.status_code == 200 and "8" in response.content.decode()  # KvK: 8 digits
    response = client.post(
        reverse("partners:create"),
        {
            "municipality": town.pk,
            "name": "Stichting Welzijn",
            "kind": "welfare",
            "kvk_number": "12345678",
            "website": "welzijn.example",
            "districts": [districts["Noord"].pk],
        },
    )
    assert response.status_code == 302
    client.logout()
    login(client, welzijn_rep)
    partner = Partner.objects.get(name="Stichting Welzijn")
    assert partner.website == "https://welzijn.example"
    page = client.get(reverse("partners:edit", args=[partner.pk])).content.decode()
    assert 'name="name"' not in page  # the register's name is not the representative's to change
    response = client.post(
        reverse("partners:edit", args=[partner.pk]),
        {"kind": "welfare", "description": "Wij zijn er voor iedereen.", "districts": []},
    )
    assert response.status_code == 302
    partner.refresh_from_db()
    assert partner.description == "Wij zijn er voor iedereen."
    detail = client.get(reverse("partners:detail", args=[partner.pk])).content.decode()
    assert welzijn_rep.email in detail  # the representative is listed as contact person


def test_the_network_shows_partners_linked_by_a_coalition(client, staff_user, welzijn, add_service):
    """A partner with no shared target group and district is still linked to one it is in a
    coalition with (the tenders app registers its coalitions as a source of links)."""
    from samenspraak.partners.models import Partner, PartnerKind
    from samenspraak.tenders.models import Coalition, CoalitionMember

    add_service(welzijn, "koffie", Theme.PARTICIPATION, [TargetGroup.ELDERLY], ["Noord"])
    corporation = Partner.objects.create(
        municipality=welzijn.municipality, name="Woonstad", kind=PartnerKind.HOUSING
    )
    coalition = Coalition.objects.create(name="Samen Noord", lead=corporation)
    CoalitionMember.objects.create(coalition=coalition, partner=welzijn, role="uitvoering")
    login(client, staff_user)
    html = client.get(reverse("partners:network") + "?gemeente=GM0439").content.decode()
    svg = html.split("<svg", 1)[1].split("</svg>", 1)[0]
    assert svg.count("<line ") == 1 and 'stroke-dasharray="6 4"' in svg
    table = html.split('id="network-links"')[1].split("</table>")[0]
    (row,) = [r for r in table.split("<tr")[2:] if "Stichting Welzijn" in r]
    assert "Woonstad" in row and "Samen Noord" in row
