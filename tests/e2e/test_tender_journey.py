"""Social tendering in the browser: the BrabantWonen representative forms a coalition for an
open tender in Oss (made here from the demo's Dichtersbuurt tender, since both demo pilots are
awarded), invites a partner and a resident, writes a bid with a mistake first and submits
it; the invited partner's representative accepts the invitation; staff name two scorers;
after the deadline each declares no conflict and scores on their own (the second does not see
the first's scores); staff award. Axe on every page."""

from __future__ import annotations

from datetime import timedelta

from django.contrib.auth import get_user_model
from django.utils import timezone
from playwright.sync_api import expect

from samenspraak.demo.accounts import DEMO_PASSWORD
from samenspraak.tenders.models import Tender
from tests.e2e.conftest import assert_accessible, login

PARTNER = "partner@samenspraak.example"
ONS_CONTACT = "ons.welzijn@samenspraak.example"
SCORERS = ("medewerker.oss@samenspraak.example", "medewerker@samenspraak.example")
NAMES = ("Anouk van Dijk", "Joost van den Berg")


def _switch(page, email: str) -> None:
    page.context.clear_cookies()
    login(page, email, DEMO_PASSWORD)


OPEN_TENDER = "Jongeren een plek in Oss-Oost"


def _open_tender() -> Tender:
    """A published tender that starts from the Dichtersbuurt one, as staff would make it."""
    from decimal import Decimal

    from samenspraak.tenders import selectors, services

    source = Tender.objects.get(title="Samen sterker in de Dichtersbuurt")
    staff = get_user_model().objects.get(email=SCORERS[0])
    tender = services.tender_create(
        actor=staff,
        process=source.process,
        data={
            "title": OPEN_TENDER,
            "challenge": "Jongeren in Oss-Oost hebben geen plek om samen te komen.",
            "outcomes": "Meer jongeren die meedoen | aantal jongeren per maand",
            "budget_per_year": Decimal("80000"),
            "first_year": 2027,
            "last_year": 2028,
            "deadline": timezone.now() + timedelta(days=30),
            **{
                key: getattr(source, key)
                for key in ("eligibility", "residents_on_panel", "price_method", "price_ceiling")
            },
        },
        criteria=selectors.criteria_of(source),
        based_on=source,
    )
    return services.tender_publish(actor=staff, tender=tender)


def test_coalition_bid_scoring_and_award(page):
    tender = _open_tender()
    login(page, PARTNER, DEMO_PASSWORD)
    page.goto("/aanbestedingen/")
    assert_accessible(page)
    page.get_by_role("link", name=OPEN_TENDER).click()
    assert_accessible(page)
    page.get_by_role("link", name="Een coalitie vormen voor deze aanbesteding").click()
    assert_accessible(page)
    page.get_by_label("Naam van de coalitie").fill("Oost Verbonden")
    page.get_by_role("button", name="Coalitie vormen").click()
    expect(page.locator("#members")).to_contain_text("BrabantWonen")
    assert_accessible(page)

    page.locator("#id_partner").select_option(label="ONS welzijn")
    page.get_by_label("Rol in de coalitie").fill("Ouderenwerk")
    page.get_by_label("Soort bijdrage").select_option(label="Uren")
    page.get_by_label("Hoeveel (euro of uren)").fill("200")
    page.get_by_role("button", name="Lid toevoegen").click()
    expect(page.locator("#members")).to_contain_text("ONS welzijn")
    page.get_by_label("Naam van de inwoner").fill("Henk Megens")
    page.get_by_label("Rol in de coalitie").fill("Dorpsraad")
    page.get_by_label("Soort bijdrage").select_option(label="In natura")
    page.get_by_role("button", name="Lid toevoegen").click()
    expect(page.locator("#members")).to_contain_text("Henk Megens")

    page.get_by_role("link", name="Inschrijving schrijven").click()
    assert_accessible(page)
    page.get_by_label("Uw plan").fill("Een dorpsondersteuner en aangepaste huizen.")
    page.get_by_label("Totale prijs (€)").fill("veel")
    page.get_by_label("Resultaten die u belooft").fill("Langer thuis")
    page.get_by_label("Hoe inwoners meedoen").fill("De dorpsraad denkt mee")
    page.get_by_label("Budget 2027 (€)").fill("100.000")
    page.get_by_role("button", name="Inschrijving bewaren").click()
    expect(page.locator("#error-summary")).to_be_visible()
    expect(page.get_by_label("Totale prijs (€)")).to_have_attribute("aria-invalid", "true")
    assert_accessible(page)
    page.get_by_label("Totale prijs (€)").fill("300.000")
    page.get_by_role("button", name="Inschrijving bewaren").click()
    assert_accessible(page)
    page.get_by_role("button", name="Inschrijving indienen").click()
    expect(page.locator("main")).to_contain_text("Ingediend")

    # The invited partner's representative finds the invitation and accepts it.
    ons = get_user_model().objects.get(email=ONS_CONTACT)
    ons.set_password(DEMO_PASSWORD)
    ons.save(update_fields=["password"])
    _switch(page, ONS_CONTACT)
    page.goto("/aanbestedingen/")
    expect(page.locator("#invitations")).to_contain_text("Oost Verbonden")
    assert_accessible(page)
    page.locator("#invitations").get_by_role("link", name="Oost Verbonden").click()
    expect(page.locator("#invitation")).to_contain_text("ONS welzijn is uitgenodigd")
    expect(page.locator("#members")).not_to_contain_text("ONS welzijn")
    assert_accessible(page)
    page.get_by_role("button", name="Ja, wij doen mee").click()
    expect(page.locator("#members")).to_contain_text("ONS welzijn")
    expect(page.locator("#invitation")).to_have_count(0)
    assert_accessible(page)

    _switch(page, SCORERS[0])
    page.goto(f"/aanbestedingen/{tender.pk}/panel/")
    assert_accessible(page)
    for name in NAMES:
        page.get_by_label("Lid van het panel").select_option(label=name)
        page.get_by_role("button", name="Aan het panel toevoegen").click()
        expect(page.locator("main")).to_contain_text(name)

    # The deadline passes.
    Tender.objects.filter(pk=tender.pk).update(deadline=timezone.now() - timedelta(minutes=1))

    for email, marks in zip(SCORERS, (("8", "9", "7"), ("3", "8", "7")), strict=True):
        _switch(page, email)
        page.goto(f"/aanbestedingen/{tender.pk}/beoordeling/")
        expect(page.locator("main")).not_to_contain_text("Rangorde van de inschrijvingen")
        assert_accessible(page)
        page.get_by_label("Nee").check()
        page.get_by_role("button", name="Mijn verklaring bewaren").click()
        assert_accessible(page)
        for label, mark in zip(
            ("Samenhang van de oplossingen", "Betrokkenheid van bewoners", "Haalbaarheid"),
            marks,
            strict=True,
        ):
            page.get_by_label(f"{label} (0 tot en met 10)").fill(mark)
        page.get_by_role("button", name="Mijn scores bewaren").click()

    expect(page.locator("#ranking")).to_contain_text("Oost Verbonden")
    # 8 against 3 on the first criterion: a spread of 5, consensus needed.
    expect(page.locator("#spread")).to_contain_text("Ja: bespreek dit")
    assert_accessible(page)

    _switch(page, SCORERS[0])
    page.goto(f"/aanbestedingen/{tender.pk}/beoordeling/")
    page.get_by_role("radio", name="Oost Verbonden").check()
    page.get_by_role("button", name="Aanbesteding gunnen").click()
    expect(page.locator("main")).to_contain_text("Gegund")
    expect(page.locator("main")).to_contain_text("Oost Verbonden")
    assert_accessible(page)
