"""Committee journey: a resident applies, staff draw the committee by lot, the result shows
the seed and everyone's chance; the facilitator moves the committee on but may not touch
its content."""

from __future__ import annotations

import datetime
import re

from django.utils import timezone
from playwright.sync_api import expect

from samenspraak.demo.accounts import DEMO_PASSWORD
from tests.e2e.conftest import assert_accessible, login

OWNER = "medewerker@samenspraak.example"
FACILITATOR = "begeleider@samenspraak.example"
PROCESS = "bezuinigingsdialoog-zeist"
POOL = (
    "id,naam,rol,leeftijd\n"
    "z1,Anna de Vries,inwoner,jong\n"
    "z2,Bas Bakker,inwoner,oud\n"
    "z3,Cor Smit,inwoner,oud\n"
    "z4,Dewi Wijaya,ondernemer,jong\n"
    "z5,Emre Kaya,ondernemer,oud\n"
    "z6,Fenna Bos,inwoner,jong\n"
    "z7,Gijs Prins,ondernemer,jong\n"
)


QUOTAS = [
    {"feature": "rol", "value": "inwoner", "minimum": 2, "maximum": 3},
    {"feature": "rol", "value": "ondernemer", "minimum": 1, "maximum": 2},
    {"feature": "leeftijd", "value": "jong", "minimum": 1, "maximum": 3},
    {"feature": "leeftijd", "value": "oud", "minimum": 1, "maximum": 3},
]


def theme_table(name, mandate, *, size=4, quotas=QUOTAS, opened_days_ago=2, closes_in_days=12):
    """A new theme table of the Zeist dialogue, created by the process owner (no pool yet)."""
    from django.contrib.auth import get_user_model

    from samenspraak.committees import services
    from samenspraak.processes.models import Process

    owner = get_user_model().objects.get(email=OWNER)
    process = Process.objects.get(slug=PROCESS)
    today = timezone.localdate()
    committee = services.committee_create(
        actor=owner,
        process=process,
        data={
            "name": name,
            "theme": process.themes.get(name="Wonen"),
            "size": size,
            "mandate": mandate,
            "applications_open": today - datetime.timedelta(days=opened_days_ago),
            "applications_close": today + datetime.timedelta(days=closes_in_days),
        },
        quotas=quotas,
    )
    return owner, committee


def _forming_committee():
    """A new theme table of the Zeist dialogue that takes applications today."""
    from samenspraak.committees import services

    owner, committee = theme_table(
        "Thematafel Duurzaamheid",
        "Bedenk voorstellen om energie te besparen in gemeentelijke gebouwen.",
    )
    services.pool_import(actor=owner, committee=committee, text=POOL, filename="pool.csv")
    return committee


def test_resident_applies_staff_draw_facilitator_guides(page):
    committee = _forming_committee()

    # 1. A resident finds the committee on the process page and signs up.
    page.goto(f"/processen/{PROCESS}/")
    page.get_by_role("link", name="Aanmelden voor Thematafel Duurzaamheid").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Aanmelden voor Thematafel Duurzaamheid"
    )
    assert_accessible(page)
    page.get_by_label("Uw naam").fill("Kees Jansen")
    page.get_by_label("Uw e-mailadres").fill("kees.jansen@example.org")
    page.get_by_role("button", name="Aanmelding versturen").click()
    # Forgot the questions and the consent: told at the top and at each field; input kept.
    expect(page.locator("#error-summary")).to_contain_text("Kies een antwoord")
    expect(page.locator("#error-summary")).to_contain_text("privacyverklaring")
    expect(page.get_by_label("Uw naam")).to_have_value("Kees Jansen")
    assert_accessible(page)
    page.get_by_label("Rol").select_option("inwoner")
    page.get_by_label("Leeftijd").select_option("oud")
    page.get_by_label("Ik vind het goed dat de gemeente mijn gegevens gebruikt").check()
    page.get_by_role("button", name="Aanmelding versturen").click()
    expect(page.locator(".utrecht-alert--ok")).to_contain_text("Bedankt voor uw aanmelding")
    expect(page.get_by_text(f"lotingsgetal {committee.draw_seed}")).to_be_visible()
    assert_accessible(page)

    # 2. Staff draw: the seed announced in advance is filled in; "Loten" draws.
    login(page, OWNER, DEMO_PASSWORD)
    page.goto(f"/beheer/processen/{PROCESS}/comites/")
    assert_accessible(page)
    page.get_by_role("link", name="Thematafel Duurzaamheid").click()
    expect(page.locator("#representation-heading")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("link", name="Loting voorbereiden").click()
    expect(page.get_by_label("Lotingsgetal")).to_have_value(str(committee.draw_seed))
    assert_accessible(page)
    page.get_by_role("button", name="Loten", exact=True).click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Uitslag van de loting")
    expect(page.locator("#draw-seed")).to_have_text(str(committee.draw_seed))
    table = page.get_by_role("table", name="Kans om geloot te worden, per aanmelder")
    expect(table.locator("tbody tr")).to_have_count(8)  # seven imported + the resident
    expect(table).to_contain_text("Kees Jansen")
    for row in table.locator("tbody tr").all():
        expect(row.locator("td.utrecht-table__cell--numeric")).to_have_text(
            re.compile(r"^\d{1,3},\d%$")
        )
    expect(page.locator("pre")).to_contain_text(
        f"samenspraak select --people {committee.slug}-pool.csv"
    )
    expect(page.locator("pre")).to_contain_text(f"--seed {committee.draw_seed}")
    assert_accessible(page)

    # Staff choose the facilitator themselves, with a reason (recorded in the history).
    page.goto(f"/beheer/processen/{PROCESS}/procesbegeleiders/")
    assert_accessible(page)
    page.get_by_label("Comité", exact=True).select_option(label="Thematafel Duurzaamheid")
    page.get_by_label("Procesbegeleider", exact=True).select_option(
        label="Sanne Vos (Gemeente, afdeling Financiën)"
    )
    page.get_by_label("Reden", exact=True).fill(
        "Begeleidde eerder een thematafel over duurzaamheid."
    )
    page.get_by_role("button", name="Procesbegeleider vastleggen").click()
    expect(page.locator(".utrecht-alert--ok")).to_contain_text("vastgelegd")
    page.locator("form[action$='/uitloggen/'] button").click()

    # 3. The facilitator moves the committee to its next step ...
    login(page, FACILITATOR, DEMO_PASSWORD)
    page.goto(f"/comites/{committee.slug}/werkruimte/")
    expect(page.get_by_role("heading", name="Proceschecklist")).to_be_visible()
    expect(page.locator("textarea[name=body]")).to_have_count(0)  # no writing in the thread
    assert_accessible(page)
    page.get_by_role("button", name="Naar de volgende stap: Plan schrijven").click()
    expect(page.locator(".utrecht-alert--ok")).to_contain_text("Plan schrijven")
    expect(page.locator("[aria-current=step]")).to_contain_text("Plan schrijven")
    assert_accessible(page)
    committee.refresh_from_db()
    assert committee.status == "drafting"

    # ... but may not edit its content (the mandate): 403.
    response = page.goto(f"/beheer/comites/{committee.slug}/bewerken/")
    assert response.status == 403
    assert_accessible(page)
    committee.refresh_from_db()
    assert committee.mandate.startswith("Bedenk voorstellen om energie te besparen")
