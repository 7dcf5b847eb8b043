from __future__ import annotations

from decimal import Decimal

from django.urls import reverse

from samenspraak.accounts.models import Role
from samenspraak.tenders import services
from samenspraak.tenders.models import Bid, BidStatus, Coalition, Tender
from tests.tenders.conftest import CRITERIA, close, tender_data


def test_public_tender_page_and_draft_hidden(client, staff_user, process):
    draft = services.tender_create(
        actor=staff_user, process=process, data=tender_data(), criteria=CRITERIA
    )
    url = reverse("tenders:detail", args=[draft.pk])
    assert client.get(url).status_code == 404
    services.tender_publish(actor=staff_user, tender=draft)
    page = client.get(url)
    assert page.status_code == 200
    assert "Samen sterk in de wijk" in page.content.decode()


def test_create_with_weights_not_100_shows_error_on_criteria(client, staff_user, process):
    client.force_login(staff_user)
    page = client.post(
        reverse("tenders:create"),
        {
            "process": process.pk,
            "title": "T",
            "challenge": "C",
            "outcomes": "O | I",
            "budget_per_year": "100000",
            "first_year": 2027,
            "last_year": 2028,
            "criteria": "Plan: 40\nBewoners: 20",
            "price_weight": "30",
            "price_method": "relative",
            "deadline": "2030-01-01T12:00",
        },
    )
    assert page.status_code == 200
    form = page.context["form"]
    assert "criteria" in form.errors
    assert "90" in form.errors["criteria"][0]
    assert Tender.objects.count() == 0
    assert 'aria-invalid="true"' in page.content.decode()


def test_lead_forms_coalition_and_submits_bid(client, tender, lead, lead_rep, other_partner):
    client.force_login(lead_rep)
    page = client.post(
        reverse("tenders:coalition_create"), {"name": "Samen Oost", "tender": tender.pk}
    )
    coalition = Coalition.objects.get()
    assert page.url == reverse("tenders:coalition", args=[coalition.pk])
    assert coalition.lead == lead
    client.post(
        reverse("tenders:coalition", args=[coalition.pk]),
        {
            "partner": other_partner.pk,
            "role": "Activiteiten",
            "contribution_kind": "hours",
            "contribution_amount": "120",
        },
    )
    assert coalition.members.count() == 2
    page = client.post(
        reverse("tenders:bid_edit", args=[coalition.pk]),
        {
            "plan": "Plan",
            "price": "80.000",
            "committed_outcomes": "O",
            "resident_involvement": "R",
            "year_2027": "40.000",
            "year_2028": "40.000",
        },
    )
    bid = Bid.objects.get()
    assert bid.price == Decimal("80000")
    assert sorted(bid.years.values_list("year", flat=True)) == [2027, 2028]
    client.post(reverse("tenders:bid_submit", args=[bid.pk]))
    bid.refresh_from_db()
    assert bid.status == BidStatus.SUBMITTED


def test_other_partner_cannot_see_draft_bid(client, tender, lead, lead_rep, other_rep, make_bid):
    coalition = services.coalition_create(actor=lead_rep, lead=lead, name="S", tender=tender)
    bid = make_bid(lead_rep, coalition, submit=False)
    client.force_login(other_rep)
    assert client.get(reverse("tenders:bid", args=[bid.pk])).status_code == 404
    assert client.get(reverse("tenders:coalition", args=[coalition.pk])).status_code == 403


def test_evaluation_hides_other_scores(
    client, tender, lead, lead_rep, staff_user, other_staff, make_bid
):
    coalition = services.coalition_create(actor=lead_rep, lead=lead, name="S", tender=tender)
    bid = make_bid(lead_rep, coalition)
    services.panel_add(actor=staff_user, tender=tender, user=staff_user)
    services.panel_add(actor=staff_user, tender=tender, user=other_staff)
    close(tender)
    bid.tender.refresh_from_db()
    services.declare(actor=staff_user, bid=bid, has_conflict=False)
    criteria = list(tender.criteria.filter(kind="quality"))
    services.score_bid(actor=staff_user, bid=bid, scores={c.pk: Decimal("7.5") for c in criteria})
    client.force_login(other_staff)
    url = reverse("tenders:evaluation", args=[tender.pk])
    page = client.get(url)
    assert "7,5" not in page.content.decode() and "7.5" not in page.content.decode()
    assert not page.context["complete"]
    # Declare a conflict: no score form is offered.
    client.post(
        url,
        {
            "action": f"declare-{bid.pk}",
            f"d{bid.pk}-has_conflict": "yes",
            f"d{bid.pk}-note": "Familie",
        },
    )
    page = client.get(url)
    assert page.context["rows"][0][1][0] == "conflict"
    assert page.context["complete"]
    assert page.context["ranking"][0]["bid"] == bid


def test_resident_cannot_open_the_evaluation(client, tender, user_of_role):
    client.force_login(user_of_role(Role.RESIDENT))
    assert client.get(reverse("tenders:evaluation", args=[tender.pk])).status_code == 403
