"""The second pilot learns from the first (issue 6, scenario 4 step 6): a new tender starts
from an earlier one. The form is prefilled with its criteria and weights, price method and
ceiling, outcomes (plus the agreement's indicators), eligibility and resident panel setting;
the new tender records ``based_on``; the copy is independent of the original."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from samenspraak.accounts.models import Role
from samenspraak.common.models import AuditEvent
from samenspraak.tenders import selectors, services
from samenspraak.tenders.models import Tender, TenderCriterion
from tests.tenders.conftest import tender_data
from tests.tenders.test_agreements import (  # noqa: F401 (fixtures)
    agreement,
    awarded,
    coalition,
    partner_indicator,
)

SOURCE_CRITERIA = [
    ("Samenhang", Decimal("35.5"), "quality"),
    ("Bewoners", Decimal("24.5"), "quality"),
    ("Prijs/waarde", Decimal("40"), "price"),
]


@pytest.fixture
def source(staff_user, process):
    return services.tender_create(
        actor=staff_user,
        process=process,
        data=tender_data(
            title="Eerste pilot",
            eligibility="Eén penvoerder",
            residents_on_panel=True,
            price_method="linear",
            price_ceiling=Decimal("250000"),
        ),
        criteria=SOURCE_CRITERIA,
    )


def _post_data(form) -> dict:
    """What a browser posts for a prefilled form, with the fields the new pilot fills in."""
    data = {}
    for name, field in form.fields.items():
        value = form.initial.get(name, field.initial)
        if value is None or value is False:
            continue
        data[name] = value.pk if hasattr(value, "pk") else value
    data.update(
        title="Tweede pilot",
        challenge="Langer thuis",
        budget_per_year="120000",
        first_year=2028,
        last_year=2029,
        deadline="2030-01-01T12:00",
    )
    return data


def test_prefill_copies_criteria_and_settings_but_not_the_pilot_fields(client, staff_user, source):
    client.force_login(staff_user)
    page = client.get(reverse("tenders:create"), {"van": source.pk})
    assert page.status_code == 200
    form = page.context["form"]
    assert form.initial["criteria"] == "Samenhang: 35.5\nBewoners: 24.5"
    assert form.initial["price_weight"] == "40"
    assert form.initial["price_method"] == "linear"
    assert form.initial["price_ceiling"] == Decimal("250000")
    assert form.initial["eligibility"] == "Eén penvoerder"
    assert form.initial["residents_on_panel"] is True
    assert form.initial["outcomes"] == source.outcomes
    assert form.initial["based_on"] == source.pk
    for own in ("title", "challenge", "budget_per_year", "districts", "first_year", "deadline"):
        assert own not in form.initial
    html = page.content.decode()
    assert 'id="based-on"' in html and "Eerste pilot" in html
    assert 'name="based_on"' in html


def test_saving_the_prefilled_form_copies_exactly_and_records_the_origin(
    client, staff_user, source
):
    client.force_login(staff_user)
    form = client.get(reverse("tenders:create"), {"van": source.pk}).context["form"]
    response = client.post(reverse("tenders:create"), _post_data(form))
    assert response.status_code == 302, response.context["form"].errors
    copy = Tender.objects.get(title="Tweede pilot")
    assert copy.based_on == source
    assert selectors.criteria_of(copy) == selectors.criteria_of(source)
    assert selectors.criteria_of(copy) == SOURCE_CRITERIA
    assert (copy.price_method, copy.price_ceiling) == ("linear", Decimal("250000"))
    assert copy.residents_on_panel and copy.eligibility == "Eén penvoerder"
    event = AuditEvent.objects.get(action="tender_create", object_id=str(copy.pk))
    assert event.changes["based_on"] == [None, f"Eerste pilot (#{source.pk})"]

    # The copy is independent: changing its weights leaves the original as it was.
    TenderCriterion.objects.filter(tender=copy, name="Samenhang").update(weight=Decimal(50))
    assert selectors.criteria_of(source) == SOURCE_CRITERIA


def test_changed_weights_in_the_form_do_not_change_the_original(client, staff_user, source):
    client.force_login(staff_user)
    form = client.get(reverse("tenders:create"), {"van": source.pk}).context["form"]
    data = _post_data(form) | {"criteria": "Samenhang: 30\nBewoners: 30"}
    assert client.post(reverse("tenders:create"), data).status_code == 302
    copy = Tender.objects.get(title="Tweede pilot")
    assert [(n, w) for n, w, _k in selectors.criteria_of(copy)] == [
        ("Samenhang", Decimal(30)),
        ("Bewoners", Decimal(30)),
        ("Prijs/waarde", Decimal(40)),
    ]
    assert selectors.criteria_of(source) == SOURCE_CRITERIA


def test_the_agreement_indicators_are_offered_as_outcomes(client, staff_user, request):
    # Fixtures from test_agreements: an awarded tender with an agreement and one indicator.
    tender = request.getfixturevalue("awarded")
    request.getfixturevalue("agreement")
    indicator = request.getfixturevalue("partner_indicator")
    client.force_login(staff_user)
    form = client.get(reverse("tenders:create"), {"van": tender.pk}).context["form"]
    lines = form.initial["outcomes"].splitlines()
    assert lines[: len(tender.outcome_rows())] == tender.outcomes.splitlines()
    added = [line for line in lines if line.startswith("Actieve bewoners |")]
    assert len(added) == 1
    assert "bewoners" in added[0].split("|", 1)[1]
    direction = indicator.get_direction_display().lower()
    frequency = indicator.get_frequency_display().lower()
    assert direction in added[0] and frequency in added[0]


def test_only_staff_start_from_an_earlier_tender(client, staff_user, source, user_of_role, process):
    services.tender_publish(actor=staff_user, tender=source)
    resident = user_of_role(Role.RESIDENT)
    partner = user_of_role(Role.PARTNER)
    for user in (resident, partner):
        client.force_login(user)
        assert client.get(reverse("tenders:create"), {"van": source.pk}).status_code == 403
        with pytest.raises(PermissionDenied):
            services.tender_create(
                actor=user,
                process=process,
                data=tender_data(title="Kaping"),
                criteria=SOURCE_CRITERIA,
                based_on=source,
            )
    assert not Tender.objects.filter(title="Kaping").exists()
    client.logout()
    page = client.get(reverse("tenders:create"), {"van": source.pk})
    assert page.status_code == 302 and page["Location"].startswith(reverse("accounts:login"))


def test_an_unknown_earlier_tender_is_an_error_not_a_prefill(client, staff_user, source):
    client.force_login(staff_user)
    page = client.get(reverse("tenders:create"), {"van": source.pk + 999})
    assert page.status_code == 200
    assert page.context["reuse"].errors["van"]
    assert "criteria" not in page.context["form"].initial


def test_the_tender_page_shows_the_origin(client, staff_user, source, process):
    copy = services.tender_create(
        actor=staff_user,
        process=process,
        data=tender_data(title="Tweede pilot"),
        criteria=selectors.criteria_of(source),
        based_on=source,
    )
    client.force_login(staff_user)
    html = client.get(reverse("tenders:detail", args=[copy.pk])).content.decode()
    origin = html.split('id="based-on"', 1)[1].split("</p>", 1)[0]
    assert "Gebaseerd op" in origin
    assert "Eerste pilot" in origin
    assert reverse("tenders:detail", args=[source.pk]) in origin
    plain = client.get(reverse("tenders:detail", args=[source.pk])).content.decode()
    assert 'id="based-on"' not in plain


def test_staff_find_the_reuse_link_on_the_tender_page(client, staff_user, source):
    services.tender_publish(actor=staff_user, tender=source)
    url = reverse("tenders:detail", args=[source.pk])
    assert 'id="reuse-link"' not in client.get(url).content.decode()
    client.force_login(staff_user)
    html = client.get(url).content.decode()
    link = html.split('id="reuse-link"', 1)[1].split(">", 1)[0]
    assert f"{reverse('tenders:create')}?van={source.pk}" in link
