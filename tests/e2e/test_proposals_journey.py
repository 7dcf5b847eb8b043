"""Proposal journey: a committee member drafts a Programme of Requirements, edits it (a second
version), opens the difference between the versions and sees the change, and runs the
framework check, which flags the mandatory aspects still missing. The committee's facilitator
then reads the proposal but may not edit it."""

from __future__ import annotations

import re

from playwright.sync_api import expect

from samenspraak.demo.accounts import DEMO_PASSWORD
from tests.e2e.conftest import assert_accessible, login

MEMBER = "comitelid@samenspraak.example"
FACILITATOR = "begeleider@samenspraak.example"
PROCESS = "huis-ter-heide-pve"
LEAD_GROUP = "kopgroep-huis-ter-heide"


def _seat_on_the_lead_group():
    """The demo committee member and facilitator work for a Zeist budget committee; seat them
    on the Huis ter Heide lead group too: the member writes its Programme of Requirements,
    the facilitator guides it."""
    from django.contrib.auth import get_user_model

    from samenspraak.committees.models import Committee, MemberRole, MembershipSource

    committee = Committee.objects.get(slug=LEAD_GROUP)
    for email, role, source in (
        (MEMBER, MemberRole.MEMBER, MembershipSource.INVITED),
        (FACILITATOR, MemberRole.FACILITATOR, MembershipSource.ASSIGNED),
    ):
        user = get_user_model().objects.get(email=email)
        committee.memberships.get_or_create(
            user=user, defaults={"display_name": user.full_name, "role": role, "source": source}
        )
    return committee


def test_member_drafts_edits_compares_and_checks(page):
    committee = _seat_on_the_lead_group()
    login(page, MEMBER, DEMO_PASSWORD)

    # 1. From the process page to a new proposal.
    page.goto(f"/processen/{PROCESS}/")
    page.get_by_role("link", name="Een voorstel schrijven").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Een voorstel schrijven")
    assert_accessible(page)
    page.get_by_label(committee.name).check()
    page.get_by_label("Programma van Eisen").check()
    page.get_by_label("Titel").fill("Programma van Eisen woonwijk Huis ter Heide")
    page.get_by_label("Samenvatting").fill("Wat de nieuwe wijk nodig heeft, per onderwerp.")
    page.get_by_label("Milieu", exact=True).check()
    page.get_by_label("Groen", exact=True).check()
    page.locator("#id_effects-0-year").fill("2027")
    page.locator("#id_effects-0-incidental").fill("-250.000")
    page.locator("#id_requirements-0-aspect").select_option("Parkeren")
    page.locator("#id_requirements-0-title").fill("Parkeernorm voor bewoners")
    page.locator("#id_requirements-0-norm_quantity").fill("parkeerplaatsen per woning")
    page.locator("#id_requirements-0-norm_operator").select_option("at_least")
    page.locator("#id_requirements-0-norm_value").fill("1,3")
    page.get_by_role("button", name="Concept opslaan").click()

    expect(page.locator(".utrecht-alert--ok")).to_contain_text("versie 1")
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Programma van Eisen woonwijk Huis ter Heide"
    )
    effects = page.get_by_role("table", name=re.compile("Financieel effect per jaar"))
    expect(effects).to_contain_text("2027")
    expect(effects).to_contain_text("€ -250.000")
    assert_accessible(page)

    # 2. Edit: a second version.
    page.get_by_role("link", name="Voorstel bewerken").click()
    assert_accessible(page)
    page.get_by_label("Samenvatting").fill(
        "Wat de nieuwe wijk nodig heeft, per onderwerp, met veel groen."
    )
    page.get_by_label("Wat hebt u veranderd?").fill("Groen in de samenvatting")
    page.get_by_role("button", name="Opslaan als nieuwe versie").click()
    expect(page.locator(".utrecht-alert--ok")).to_contain_text("versie 2")

    # 3. The difference between the two versions.
    page.get_by_role("link", name="Versies", exact=True).click()
    expect(page.get_by_role("table", name="Alle versies, de nieuwste eerst")).to_contain_text(
        "Groen in de samenvatting"
    )
    assert_accessible(page)
    page.get_by_role("button", name="Vergelijken").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Wijzigingen van versie 1 naar 2")
    summary = page.locator(
        "section", has=page.get_by_role("heading", name=re.compile("Samenvatting"))
    )
    expect(summary.locator("ins")).to_contain_text("met veel groen")
    assert_accessible(page)

    # 4. The framework check names the mandatory aspects that are still missing.
    page.get_by_role("link", name="Toets aan de kaders").click()
    expect(page.get_by_text("Het voorstel is nog niet getoetst.")).to_be_visible()
    page.get_by_role("button", name="De huidige versie toetsen").click()
    expect(page.get_by_role("heading", level=2, name=re.compile("Uitkomst"))).to_have_text(
        "Uitkomst: het voorstel past nog niet binnen de kaders"
    )
    aspects = page.locator("#check-aspects")
    expect(aspects).to_contain_text("niet gehaald")
    expect(aspects).to_contain_text(
        "Deze verplichte aspecten ontbreken: Bereikbaarheid, Voorzieningen, Woontypen en "
        "Uitstraling."
    )
    expect(page.locator("#check-result")).to_contain_text("Versie 2")
    assert_accessible(page)
    proposal_url = page.url.replace("toets/", "")
    page.locator("form[action$='/uitloggen/'] button").click()

    # 5. The facilitator reads the proposal and its check, but never edits it: 403.
    login(page, FACILITATOR, DEMO_PASSWORD)
    page.goto(proposal_url)
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Programma van Eisen woonwijk Huis ter Heide"
    )
    expect(page.get_by_role("link", name="Voorstel bewerken")).to_have_count(0)
    expect(page.locator("textarea[name=body]")).to_have_count(0)  # no commenting either
    assert_accessible(page)
    response = page.goto(proposal_url + "bewerken/")
    assert response.status == 403
