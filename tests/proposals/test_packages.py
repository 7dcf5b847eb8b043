# ruff: noqa: F811  (the budget page's fixtures are imported by name and used as arguments)
"""Budget packages: saving one from the budget page, checking it as a whole against the
frameworks (the yearly effects of its proposals add up), the gate before consultation and
the council, who may do what, and bad input that stores nothing."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import translation

from samenspraak.accounts.models import Role
from samenspraak.common.models import AuditEvent
from samenspraak.core.money import format_euro
from samenspraak.processes import services as process_services
from samenspraak.proposals import packages, services
from samenspraak.proposals.models import (
    BudgetPackage,
    PackageCheck,
    PackageOrigin,
    PackageStatus,
    Proposal,
)
from tests.proposals.test_budget_page import (  # noqa: F401  (fixtures)
    GAP,
    _effects,
    committee,
    facilitator,
    measures,
    member,
    savings_process,
    url,
)

pytestmark = pytest.mark.django_db


def by_title(measures, *titles):
    return [m for m in measures if m.title in titles]


def _sums(proposals, year):
    s = sum((_effects(p).get(year, (0, 0))[0] for p in proposals), Decimal(0))
    i = sum((_effects(p).get(year, (0, 0))[1] for p in proposals), Decimal(0))
    return s, i


@pytest.fixture
def closing(measures):
    """Three measures that close the gap in both years (checked in the test itself)."""
    return by_title(measures, "Minder inhuur", "Balie op afspraak", "Panden verkopen")


@pytest.fixture
def short(measures):
    return by_title(measures, "Panden verkopen")


def save(actor, process, proposals, title="Pakket", **kwargs):
    return packages.package_save(
        actor=actor, process=process, title=title, proposals=proposals, **kwargs
    )


# --- saving from the budget page ------------------------------------------------------------


@pytest.mark.parametrize("number", [0, 1])
def test_saving_from_the_budget_page_stores_exactly_the_package_shown(
    client, staff_user, savings_process, measures, number
):
    client.force_login(staff_user)
    query = {"objective": "impact", "alternatives": "2"}
    page = client.get(url(savings_process), query)
    html = page.content.decode()
    assert f'id="save-package-{number}"' in html
    shown = page.context["outcome"].packages[number]
    response = client.post(
        f"/processen/{savings_process.slug}/pakketten/opslaan/",
        {**query, "number": str(number), "title": "Pakket van de raad", "note": ""},
    )
    package = BudgetPackage.objects.get()
    assert response.status_code == 302 and response["Location"] == package.get_absolute_url()
    assert {p.slug for p in package.proposals.all()} == {row.slug for row in shown.proposals}
    assert package.origin == PackageOrigin.OPTIMISER and package.objective == "impact"
    assert package.harm == Decimal(str(shown.harm_value)).quantize(Decimal("0.0001"))
    impact = sum((p.impact_score for p in package.proposals.all()), Decimal(0))
    assert package.harm == impact  # the optimiser's harm is the sum of the impact scores
    assert package.status == PackageStatus.DRAFT and package.created_by == staff_user
    event = AuditEvent.objects.get(action="package_save")
    assert sorted(event.changes["proposals"]) == sorted(p.pk for p in package.proposals.all())

    # The package page shows its members with links and the balance against the gap.
    detail = client.get(package.get_absolute_url())
    body = detail.content.decode()
    assert detail.status_code == 200
    for proposal in package.proposals.all():
        assert f'href="{proposal.get_absolute_url()}"' in body
    assert 'id="balance"' in body and "<svg" in body
    for row in detail.context["balance"]["rows"]:
        s, i = _sums(package.proposals.all(), row.year)
        assert row.saved_structural == s and row.saved_total == s + i
        assert row.balance_total == s + i - sum(GAP[row.year])


def test_the_save_form_needs_a_title_and_stores_nothing_without_one(
    client, staff_user, savings_process, measures
):
    client.force_login(staff_user)
    response = client.post(
        f"/processen/{savings_process.slug}/pakketten/opslaan/", {"number": "0", "title": " "}
    )
    assert response.status_code == 400
    assert "title" in response.context["form"].errors
    assert not BudgetPackage.objects.exists()


def test_a_package_number_that_is_not_on_the_page_stores_nothing(
    client, staff_user, savings_process, measures
):
    client.force_login(staff_user)
    response = client.post(
        f"/processen/{savings_process.slug}/pakketten/opslaan/",
        {"number": "9", "title": "Pakket", "alternatives": "1"},
    )
    assert response.status_code == 400
    assert response.context["form"].non_field_errors()
    assert not BudgetPackage.objects.exists()


# --- the check -------------------------------------------------------------------------------


def test_a_package_that_closes_the_gap_passes_the_bandwidth_and_structural_items(
    staff_user, savings_process, closing
):
    for year, (gap_s, gap_i) in GAP.items():
        s, i = _sums(closing, year)
        assert s >= gap_s and s + i >= gap_s + gap_i  # the fixture really closes the gap
    package = save(staff_user, savings_process, closing)
    check = packages.package_run_check(actor=staff_user, package=package)
    report = {item["code"]: item for item in check.report["items"]}
    assert report["bandwidth"]["status"] == "pass"
    assert report["structural"]["status"] == "pass"
    assert check.passed
    # The check keeps which proposals (and versions) it saw.
    assert {m["id"] for m in check.members} == {p.pk for p in closing}
    assert all(m["version"] == 1 for m in check.members)
    # The yearly amounts it compared are the sums of the members' effects.
    for year_row in report["bandwidth"]["years"]:
        s, i = _sums(closing, year_row["year"])
        assert Decimal(year_row["amount"]) == s + i


def test_a_package_that_does_not_close_the_gap_fails_with_the_shortfall_in_dutch(
    staff_user, savings_process, short
):
    package = save(staff_user, savings_process, short)
    check = packages.package_run_check(actor=staff_user, package=package)
    assert not check.passed
    report = {item["code"]: item for item in check.report["items"]}
    assert report["bandwidth"]["status"] == "fail"
    assert report["structural"]["status"] == "fail"
    s, i = _sums(short, 2027)
    shortfall = sum(GAP[2027]) - (s + i)
    assert shortfall > 0
    assert format_euro(shortfall) in report["bandwidth"]["reason_nl"]
    assert "tekort" in report["bandwidth"]["reason_nl"]
    structural_short = GAP[2028][0] - _sums(short, 2028)[0]
    assert format_euro(structural_short) in report["structural"]["reason_nl"]


def test_the_package_page_shows_the_dutch_reason(client, staff_user, savings_process, short):
    package = save(staff_user, savings_process, short)
    packages.package_run_check(actor=staff_user, package=package)
    client.force_login(staff_user)
    with translation.override("nl"):
        html = client.get(package.get_absolute_url(), HTTP_ACCEPT_LANGUAGE="nl").content.decode()
    s, i = _sums(short, 2027)
    assert format_euro(sum(GAP[2027]) - (s + i)) in html
    assert 'id="check-bandwidth"' in html


def test_conditions_count_as_staff_assessed_them_for_the_package(
    staff_user, savings_process, closing
):
    framework = savings_process.framework
    framework.conditions = "Geen ontslagen.\nDe bibliotheek blijft open."
    framework.save()
    savings_process.refresh_from_db()
    package = save(staff_user, savings_process, closing)
    # The proposals' own assessments are not carried over: not assessed for the package.
    check = packages.package_run_check(actor=staff_user, package=package)
    conditions = {i["code"]: i for i in check.report["items"]}["conditions"]
    assert conditions["status"] == "not_assessed" and not check.passed
    packages.package_assess_conditions(
        actor=staff_user,
        package=package,
        assessments=[
            {"condition": c, "met": "yes", "note": "Getoetst."} for c in framework.condition_lines
        ],
    )
    assert packages.package_run_check(actor=staff_user, package=package).passed
    with pytest.raises(ValidationError) as exc:
        packages.package_assess_conditions(
            actor=staff_user, package=package, assessments=[{"condition": "Iets anders"}]
        )
    assert "assessments" in exc.value.message_dict


# --- the gate before consultation and the council ------------------------------------------------


def test_a_failing_package_is_refused_without_a_reason_and_allowed_with_one(
    staff_user, savings_process, short
):
    package = save(staff_user, savings_process, short)
    with pytest.raises(services.CheckFailed):
        packages.package_transition(
            actor=staff_user, package=package, to_status=PackageStatus.TO_COUNCIL
        )
    package.refresh_from_db()
    assert package.status == PackageStatus.DRAFT
    assert PackageCheck.objects.filter(package=package, passed=False).count() == 1
    assert not AuditEvent.objects.filter(action="package_status").exists()

    packages.package_transition(
        actor=staff_user,
        package=package,
        to_status=PackageStatus.TO_COUNCIL,
        override_reason="De raad kiest zelf de laatste maatregel.",
    )
    package.refresh_from_db()
    assert package.status == PackageStatus.TO_COUNCIL
    event = AuditEvent.objects.get(action="package_status")
    assert event.changes["override_reason"] == "De raad kiest zelf de laatste maatregel."
    assert event.changes["check_passed"] is False
    assert event.changes["status"] == ["draft", "to_council"]


def test_a_passing_package_moves_on_without_a_reason(staff_user, savings_process, closing):
    package = save(staff_user, savings_process, closing)
    packages.package_transition(
        actor=staff_user, package=package, to_status=PackageStatus.IN_CONSULTATION
    )
    package.refresh_from_db()
    assert package.status == PackageStatus.IN_CONSULTATION
    event = AuditEvent.objects.get(action="package_status")
    assert event.changes["check_passed"] is True and "override_reason" not in event.changes
    with pytest.raises(ValidationError):  # not a step of the life cycle
        packages.package_transition(
            actor=staff_user, package=package, to_status=PackageStatus.ADOPTED
        )


def test_the_transition_page_sends_a_failing_package_back_with_the_reason(
    client, staff_user, savings_process, short
):
    package = save(staff_user, savings_process, short)
    client.force_login(staff_user)
    response = client.post(
        f"/pakketten/{package.pk}/status/", {"status": "in_consultation"}, follow=True
    )
    package.refresh_from_db()
    assert package.status == PackageStatus.DRAFT
    assert "check" in response.redirect_chain[-1][0]
    client.post(
        f"/pakketten/{package.pk}/status/",
        {"status": "in_consultation", "override_reason": "Toelichting volgt."},
    )
    package.refresh_from_db()
    assert package.status == PackageStatus.IN_CONSULTATION


# --- changing a draft package ---------------------------------------------------------------


def test_staff_change_the_proposals_while_draft_only(staff_user, savings_process, closing, short):
    package = save(staff_user, savings_process, closing, objective="support", harm=1.5)
    packages.package_update(actor=staff_user, package=package, proposals=short)
    package.refresh_from_db()
    assert set(package.proposals.all()) == set(short)
    assert package.origin == PackageOrigin.STAFF and package.objective == ""
    BudgetPackage.objects.filter(pk=package.pk).update(status=PackageStatus.IN_CONSULTATION)
    package.refresh_from_db()
    with pytest.raises(PermissionDenied):
        packages.package_update(actor=staff_user, package=package, proposals=closing)
    assert set(package.proposals.all()) == set(short)


# --- bad input -------------------------------------------------------------------------------


def test_an_empty_package_is_refused_naming_the_field(staff_user, savings_process, measures):
    with translation.override("nl"), pytest.raises(ValidationError) as exc:
        save(staff_user, savings_process, [])
    assert "proposals" in exc.value.message_dict
    assert "leeg" in exc.value.message_dict["proposals"][0]
    assert not BudgetPackage.objects.exists()
    assert not AuditEvent.objects.filter(action="package_save").exists()


def test_a_proposal_of_another_process_is_refused_naming_it(
    staff_user, savings_process, closing, municipality
):
    other = process_services.process_create(
        actor=staff_user,
        title="Omgevingsvisie",
        summary="Een ander proces.",
        challenge="Iets anders.",
        municipality=municipality,
    )
    stranger = services.proposal_create(
        actor=staff_user,
        process=other,
        data={"kind": "measure", "title": "Vreemd voorstel", "summary": "Van elders."},
        author_kind="partner",
        organisation="Elders BV",
    )
    with pytest.raises(ValidationError) as exc:
        save(staff_user, savings_process, [*closing, stranger])
    assert "proposals" in exc.value.message_dict
    assert "Vreemd voorstel" in exc.value.message_dict["proposals"][0]
    assert not BudgetPackage.objects.exists()
    package = save(staff_user, savings_process, closing)
    with pytest.raises(ValidationError):
        packages.package_update(actor=staff_user, package=package, proposals=[stranger])
    assert set(package.proposals.all()) == set(closing)


def test_the_edit_page_refuses_an_empty_package(client, staff_user, savings_process, closing):
    package = save(staff_user, savings_process, closing)
    client.force_login(staff_user)
    response = client.post(f"/pakketten/{package.pk}/bewerken/", {"title": "Leeg", "note": ""})
    assert response.status_code == 400
    assert "proposals" in response.context["form"].errors
    package.refresh_from_db()
    assert package.title == "Pakket" and set(package.proposals.all()) == set(closing)


# --- who may do what ------------------------------------------------------------------------


@pytest.fixture
def people(user_of_role, other_staff, member, facilitator, admin_user):
    return {
        "other staff": other_staff,
        "admin": admin_user,
        "member": member,
        "facilitator": facilitator,
        "council member": user_of_role(Role.COUNCIL_MEMBER),
        "clerk": user_of_role(Role.CLERK),
        "resident": user_of_role(Role.RESIDENT),
    }


def _get(client, user, path):
    client.logout()
    if user is not None:
        client.force_login(user)
    return client.get(path).status_code


def test_who_reads_a_draft_and_a_package_in_consultation(
    client, staff_user, savings_process, closing, people, committee
):
    package = save(staff_user, savings_process, closing)
    path = package.get_absolute_url()
    readers = {"other staff", "admin", "facilitator"}
    for name, user in people.items():
        assert _get(client, user, path) == (200 if name in readers else 404), name
    assert _get(client, None, path) == 404
    assert _get(client, staff_user, path) == 200
    packages.package_transition(
        actor=staff_user, package=package, to_status=PackageStatus.IN_CONSULTATION
    )
    for name, user in people.items():
        assert _get(client, user, path) == 200, name
    assert _get(client, None, path) == 200
    # The list shows each person exactly the packages they may read.
    draft = save(staff_user, savings_process, closing, title="Nog een concept")
    for name, user in people.items():
        listed = set(packages.package_list_for_user(user=user, process=savings_process))
        assert (draft in listed) is (name in readers), name
        assert package in listed, name


def test_only_the_owning_staff_write_and_facilitators_never(
    client, staff_user, savings_process, closing, people
):
    package = save(staff_user, savings_process, closing)
    owner_perms = ("change_package", "change_package_status", "run_package_check")
    for perm in owner_perms:
        assert staff_user.has_perm(f"proposals.{perm}", package), perm
        assert people["admin"].has_perm(f"proposals.{perm}", package), perm
    for name in ("other staff", "facilitator", "member", "council member", "clerk", "resident"):
        user = people[name]
        assert not user.has_perm("proposals.add_package", savings_process), name
        for perm in (*owner_perms, "assess_package_conditions"):
            assert not user.has_perm(f"proposals.{perm}", package), (name, perm)
    client.force_login(people["facilitator"])
    before = PackageCheck.objects.count()
    assert client.post(f"/pakketten/{package.pk}/toets/").status_code == 403
    assert client.post(
        f"/pakketten/{package.pk}/status/", {"status": "to_council"}
    ).status_code == (403)
    assert client.get(f"/pakketten/{package.pk}/bewerken/").status_code == 403
    response = client.post(
        f"/processen/{savings_process.slug}/pakketten/opslaan/", {"number": "0", "title": "X"}
    )
    assert response.status_code == 403
    assert PackageCheck.objects.count() == before and BudgetPackage.objects.count() == 1
    with pytest.raises(PermissionDenied):
        save(people["other staff"], savings_process, closing)


def test_the_budget_page_offers_saving_only_to_the_owner(
    client, staff_user, savings_process, measures, people
):
    client.force_login(staff_user)
    html = client.get(url(savings_process)).content.decode()
    assert 'id="save-package-0"' in html and 'id="packages-link"' in html
    client.force_login(people["other staff"])
    html = client.get(url(savings_process)).content.decode()
    assert 'id="save-package-0"' not in html


def test_the_proposals_overview_links_to_the_packages(client, staff_user, savings_process):
    client.force_login(staff_user)
    html = client.get(f"/beheer/processen/{savings_process.slug}/voorstellen/").content.decode()
    assert f"/processen/{savings_process.slug}/pakketten/" in html


def test_the_list_page(client, staff_user, savings_process, closing):
    package = save(staff_user, savings_process, closing, title="Het pakket van maart")
    client.force_login(staff_user)
    response = client.get(f"/processen/{savings_process.slug}/pakketten/")
    assert response.status_code == 200
    assert package.get_absolute_url() in response.content.decode()
    assert Proposal.objects.filter(packages=package).count() == len(closing)
