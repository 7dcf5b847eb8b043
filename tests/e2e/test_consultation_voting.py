"""Consultation journey: the process owner sets up a participatory-budget vote for the Oss
Dichtersbuurt with voting codes; a resident votes with a code from the letter, sees the
budget left while choosing (JavaScript), is told when the projects cost too much, votes,
then comes back with the same code and changes the vote. The database holds one ballot
with the new choices. Every page axe-checked."""

from __future__ import annotations

import datetime
import re
from decimal import Decimal

from playwright.sync_api import expect

from samenspraak.demo.accounts import DEMO_PASSWORD
from tests.e2e.conftest import assert_accessible, login

OWNER = "medewerker@samenspraak.example"
PROCESS = "oss-maken-we-samen"
PROJECTS = [
    ("1", "Speelplek aan de Vondelstraat", Decimal("45000.00")),
    ("2", "Bankjes en groen op het Bilderdijkplein", Decimal("30000.00")),
    ("3", "Buurtkamer in de oude school", Decimal("60000.00")),
    ("4", "Verlichting van het fietspad", Decimal("20000.00")),
]


def _pb_vote_with_codes():
    """A published knapsack vote (budget € 100.000, at most 3 projects) and one code, set
    up through the services as the owner would on the management pages."""
    from django.utils import timezone

    from samenspraak.accounts.models import User
    from samenspraak.consultations import services
    from samenspraak.processes.models import Process

    owner = User.objects.get(email=OWNER)
    process = Process.objects.get(slug=PROCESS)
    now = timezone.now()
    consultation = services.consultation_create(
        actor=owner,
        process=process,
        slug="buurtbudget-dichtersbuurt-e2e",
        data={
            "title": "Stemproef Dichtersbuurt",
            "description": "Kies waar het buurtbudget naartoe gaat.",
            "kind": "participatory_budget",
            "verification": "code",
            "opens_at": now - datetime.timedelta(hours=1),
            "closes_at": now + datetime.timedelta(days=14),
            "allow_changes": True,
            "ask_demographics": True,
            "ballot_type": "knapsack",
            "budget": Decimal("100000.00"),
            "min_choices": 1,
            "max_choices": 3,
            "rule": "mes-add1",
        },
    )
    services.items_replace(
        actor=owner,
        consultation=consultation,
        items=[{"code": c, "title": t, "cost": cost} for c, t, cost in PROJECTS],
    )
    (code,) = services.codes_generate(actor=owner, consultation=consultation, count=1)
    services.consultation_publish(actor=owner, consultation=consultation)
    return consultation, code.code


def _stored(consultation):
    from samenspraak.consultations.models import Ballot

    ballots = list(Ballot.objects.filter(consultation=consultation))
    return [
        (b.revision, sorted(c.item.code for c in b.choices.select_related("item"))) for b in ballots
    ]


def test_a_resident_votes_with_a_code_and_changes_the_vote(page):
    consultation, code = _pb_vote_with_codes()

    # The consultation is listed on the process page.
    page.goto(f"/processen/{PROCESS}/")
    page.get_by_role("link", name="Stemproef Dichtersbuurt", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Stemproef Dichtersbuurt")
    expect(page.get_by_role("table", name="Projecten met hun kosten")).to_contain_text("€ 45.000")
    assert_accessible(page)

    # A typing mistake in the code is explained; the code as printed works.
    page.get_by_label("Uw stemcode").fill("ABCD-EFGH-JKMN")
    page.get_by_role("button", name="Verder naar het stembiljet").click()
    expect(page.locator("#error-summary")).to_contain_text("Wij kennen deze stemcode niet")
    assert_accessible(page)
    printed = "-".join(code[i : i + 4] for i in (0, 4, 8))
    page.get_by_label("Uw stemcode").fill(printed.lower())
    page.get_by_role("button", name="Verder naar het stembiljet").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Uw stem")
    expect(page.locator("#rules-text")).to_contain_text("Kies maximaal 3 projecten.")
    assert_accessible(page)

    # Choosing shows what is left of the budget, live.
    status = page.locator("#ballot-status")
    page.get_by_label(re.compile("Speelplek aan de Vondelstraat")).check()
    expect(status).to_contain_text("Er is nog € 55.000 over van het budget.")
    page.get_by_label(re.compile("Buurtkamer in de oude school")).check()
    expect(status).to_contain_text("€ 5.000 meer dan het budget")
    # Sending it anyway: the server refuses and says why; nothing is stored.
    page.get_by_role("button", name="Verstuur mijn stem").click()
    expect(page.locator("#error-summary")).to_contain_text("Haal een project weg")
    assert _stored(consultation) == []
    assert_accessible(page)
    page.get_by_label(re.compile("Buurtkamer in de oude school")).uncheck()
    page.get_by_label(re.compile("Bankjes en groen")).check()
    page.get_by_label("Hoe oud bent u?").select_option("30-44")
    page.get_by_role("button", name="Verstuur mijn stem").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Bedankt voor uw stem")
    expect(page.locator("#chosen-projects")).to_contain_text("Speelplek aan de Vondelstraat")
    expect(page.locator("#stored-ballot")).to_contain_text("Samen: € 75.000.")
    assert _stored(consultation) == [(1, ["1", "2"])]
    assert_accessible(page)

    # Stop (a shared computer), then come back later with the same code and change the vote.
    page.get_by_role("button", name="Stoppen").click()
    page.get_by_label("Uw stemcode").fill(code)
    page.get_by_role("button", name="Verder naar het stembiljet").click()
    expect(page.locator(".utrecht-alert").first).to_contain_text("U hebt met deze code al gestemd")
    expect(page.get_by_label(re.compile("Speelplek aan de Vondelstraat"))).to_be_checked()
    page.get_by_label(re.compile("Speelplek aan de Vondelstraat")).uncheck()
    page.get_by_label(re.compile("Verlichting van het fietspad")).check()
    page.get_by_role("button", name="Verstuur mijn nieuwe stem").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Bedankt voor uw stem")
    expect(page.locator("#stored-ballot")).to_contain_text("U hebt uw stem 1 keer gewijzigd.")
    expect(page.locator("#chosen-projects")).not_to_contain_text("Speelplek")
    assert _stored(consultation) == [(2, ["2", "4"])]

    # The process owner sees one vote, changed once.
    page.context.clear_cookies()
    login(page, OWNER, DEMO_PASSWORD)
    page.goto(f"/beheer/raadplegingen/{consultation.slug}/overzicht/")
    expect(page.locator("#ballot-count")).to_contain_text("1 stem")
    expect(page.locator("#ballot-count")).to_contain_text("1 kiezer wijzigde")
    assert_accessible(page)
