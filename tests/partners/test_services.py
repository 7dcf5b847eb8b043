# ruff: noqa: E501  (CSV rows read best on one line)
"""Partners and offering services: validation, permissions, the all-or-nothing import."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from samenspraak.accounts.models import Role
from samenspraak.common.models import AuditEvent
from samenspraak.core.errors import InputError
from samenspraak.partners import adapters, services
from samenspraak.partners.models import Offering, Partner, PartnerKind, TargetGroup, Theme
from tests.factories import DistrictFactory

HEADER = "naam;thema;doelgroepen;wijken;bereik;capaciteit;kosten;subsidie;resultaten\n"


def test_partner_create_records_audit_and_validates_kvk(staff_user, town):
    partner = services.partner_create(
        actor=staff_user,
        data={
            "municipality": town,
            "name": "Bibliotheek Waterland",
            "kind": PartnerKind.CULTURE,
            "kvk_number": "12345678",
        },
    )
    assert AuditEvent.objects.filter(action="partner_create", object_id=str(partner.pk)).exists()
    with pytest.raises(ValidationError) as info:
        services.partner_create(
            actor=staff_user,
            data={"municipality": town, "name": "X", "kind": "welfare", "kvk_number": "1234"},
        )
    assert "kvk_number" in info.value.message_dict


def test_districts_of_another_municipality_are_refused(staff_user, town):
    elsewhere = DistrictFactory(name="Dichtersbuurt")
    with pytest.raises(ValidationError) as info:
        services.partner_create(
            actor=staff_user,
            data={"municipality": town, "name": "X", "kind": "welfare"},
            districts=[elsewhere],
        )
    assert "districts" in info.value.message_dict
    assert not Partner.objects.filter(name="X").exists()


def test_contacts_are_partner_users_of_the_organisation(welzijn, welzijn_rep, user_of_role):
    user_of_role(Role.RESIDENT, organisation="Stichting Welzijn")  # not a partner role
    user_of_role(Role.PARTNER, organisation="Andere stichting")
    assert list(welzijn.contacts()) == [welzijn_rep]


def test_offering_subsidy_above_cost_and_missing_groups(welzijn, staff_user, districts):
    with pytest.raises(ValidationError) as info:
        services.offering_create(
            actor=staff_user,
            partner=welzijn,
            data={
                "name": "Koffie",
                "theme": Theme.PARTICIPATION,
                "target_groups": [],
                "reach": 5,
                "yearly_cost": Decimal("100"),
                "subsidy": Decimal("200"),
            },
            districts=[districts["Noord"]],
        )
    assert set(info.value.message_dict) == {"target_groups", "subsidy"}
    assert not Offering.objects.exists()


def test_partner_rep_edits_only_own_organisation(welzijn, sport, welzijn_rep, add_service):
    services.partner_update(
        actor=welzijn_rep,
        partner=welzijn,
        data={"description": "Wij helpen", "name": "Hernoemd"},
        districts=None,
    )
    welzijn.refresh_from_db()
    assert welzijn.description == "Wij helpen"
    assert welzijn.name == "Stichting Welzijn"  # a representative cannot rename
    with pytest.raises(PermissionDenied):
        services.partner_update(
            actor=welzijn_rep, partner=sport, data={"description": "x"}, districts=None
        )
    offering = add_service(sport, "Voetbal", Theme.HEALTH, [TargetGroup.YOUNG_PEOPLE], ["Oost"])
    with pytest.raises(PermissionDenied):
        services.offering_update(
            actor=welzijn_rep, offering=offering, data={"reach": 1}, districts=[]
        )
    with pytest.raises(PermissionDenied):
        services.offering_delete(actor=welzijn_rep, offering=offering)
    with pytest.raises(PermissionDenied):
        services.partner_create(
            actor=welzijn_rep, data={"municipality": welzijn.municipality, "name": "Y"}
        )


def test_residents_cannot_manage(welzijn, user_of_role):
    resident = user_of_role(Role.RESIDENT)
    for perm in ("partners.add_partner", "partners.view_register", "partners.view_analysis"):
        assert not resident.has_perm(perm)
    assert not resident.has_perm("partners.change_offering", welzijn)
    member = user_of_role(Role.COMMITTEE_MEMBER, organisation="Stichting Welzijn")
    assert not member.has_perm("partners.change_offering", welzijn)


# --- import ------------------------------------------------------------------------------


def _read(text, town):
    return adapters.read_offering_file(
        text.encode(), filename="aanbod.csv", districts=[d.name for d in town.districts.all()]
    )


def test_import_stores_every_row(welzijn, welzijn_rep, town):
    rows = _read(
        HEADER + "Koffieochtend;Meedoen en ontmoeten;Ouderen (65+);Noord;120;;12.500;10.000;"
        "Minder eenzaam\n"
        + "Huiswerkklas;opgroeien en opvoeden;Kinderen (0-12 jaar), Jongeren (12-23 jaar);Zuid|Oost;40;;"
        "3000;;\n",
        town,
    )
    assert services.offering_import(actor=welzijn_rep, partner=welzijn, rows=rows) == 2
    koffie = Offering.objects.get(name="Koffieochtend")
    assert koffie.theme == Theme.PARTICIPATION
    assert koffie.yearly_cost == Decimal("12500") and koffie.subsidy == Decimal("10000")
    huiswerk = Offering.objects.get(name="Huiswerkklas")
    assert huiswerk.target_groups == [TargetGroup.CHILDREN, TargetGroup.YOUNG_PEOPLE]
    assert sorted(d.name for d in huiswerk.districts.all()) == ["Oost", "Zuid"]
    # importing again updates by name instead of duplicating
    services.offering_import(actor=welzijn_rep, partner=welzijn, rows=rows[:1], replace=True)
    assert list(welzijn.offerings.values_list("name", flat=True)) == ["Koffieochtend"]


@pytest.mark.parametrize(
    ("bad_row", "field", "nl"),
    [
        (
            "Fout;Meedoen en ontmoeten;Ouderen (65+);Westwijk;10;;100;;",
            "wijken",
            "'Westwijk' is geen bekende wijk",
        ),
        (
            "Fout;Meedoen en ontmoeten;Studenten;Noord;10;;100;;",
            "doelgroepen",
            "geen bekende doelgroep",
        ),
        ("Fout;Meedoen en ontmoeten;Ouderen (65+);Noord;-3;;100;;", "bereik", "negatief"),
        ("Fout;Meedoen en ontmoeten;Ouderen (65+);Noord;10;;-100;;", "kosten", "negatief"),
        ("Fout;Meedoen en ontmoeten;Ouderen (65+);Noord;veel;;100;;", "bereik", "geen heel getal"),
    ],
)
def test_bad_import_row_stores_nothing(welzijn, staff_user, town, bad_row, field, nl):
    text = HEADER + "Goed;Meedoen en ontmoeten;Ouderen (65+);Noord;10;;100;;\n" + bad_row + "\n"
    with pytest.raises(InputError) as info:
        _read(text, town)
    message = adapters.error_message(info.value)
    assert "rij 3" in message.lower() and f"'{field}'" in message and nl in message
    assert not Offering.objects.exists()


def test_xlsx_template_round_trip_and_bad_cell(welzijn, staff_user, town):
    names = [d.name for d in town.districts.all()]
    data = adapters.template_xlsx(names)
    rows = adapters.read_offering_file(data, filename="sjabloon.xlsx", districts=names)
    assert rows[0].name == "Koffieochtend in de wijk"
    assert rows[0].target_groups == (TargetGroup.ELDERLY, TargetGroup.INFORMAL_CARERS)
    import io

    import openpyxl

    book = openpyxl.load_workbook(io.BytesIO(data))
    book["Aanbod"]["E2"] = -4
    out = io.BytesIO()
    book.save(out)
    with pytest.raises(InputError) as info:
        adapters.read_offering_file(out.getvalue(), filename="aanbod.xlsx", districts=names)
    message = adapters.error_message(info.value)
    assert "blad 'Aanbod'" in message and "rij 2" in message and "kolom E ('bereik')" in message


def test_csv_template_reads_back(town):
    names = [d.name for d in town.districts.all()]
    rows = _read(adapters.template_csv(names), town)
    assert rows[0].yearly_cost == Decimal("12500.00") and rows[0].districts == (names[0],)


def test_a_partner_in_a_coalition_is_not_deleted(staff_user, welzijn, sport):
    from samenspraak.tenders.models import Coalition

    Coalition.objects.create(name="Samen in Noord", lead=welzijn, challenge="Minder eenzaamheid")
    with pytest.raises(ValidationError) as info:
        services.partner_delete(actor=staff_user, partner=welzijn)
    assert info.value.code == "in_use"
    assert "Stichting Welzijn" in info.value.messages[0]
    assert Partner.objects.filter(pk=welzijn.pk).exists()
    assert not AuditEvent.objects.filter(action="partner_delete").exists()
    services.partner_delete(actor=staff_user, partner=sport)
    assert not Partner.objects.filter(pk=sport.pk).exists()
