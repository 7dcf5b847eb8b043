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


def _consultation_of(kind: str, slug: str, **settings):
    """A published consultation of another type in the Oss process, with one code."""
    from django.utils import timezone

    from samenspraak.accounts.models import User
    from samenspraak.consultations import services
    from samenspraak.processes.models import Process

    owner = User.objects.get(email=OWNER)
    now = timezone.now()
    data = {
        "title": f"Proef {slug}",
        "kind": kind,
        "verification": "code",
        "opens_at": now - datetime.timedelta(hours=1),
        "closes_at": now + datetime.timedelta(days=14),
        "ask_demographics": True,
        **settings,
    }
    consultation = services.consultation_create(
        actor=owner, process=Process.objects.get(slug=PROCESS), slug=slug, data=data
    )
    if kind == "budget_simulator":
        services.simulator_replace(
            actor=owner,
            consultation=consultation,
            gaps=[{"year": 2027, "amount": Decimal("100000")}, {"year": 2028, "amount": 150000}],
            items=[
                {"code": "m1", "title": "Minder maaien", "amounts": {2027: 60000, 2028: 60000}},
                {"code": "m2", "title": "Later open", "amounts": {2027: 50000, 2028: 100000}},
            ],
        )
    else:
        services.items_replace(
            actor=owner,
            consultation=consultation,
            items=[{"code": c, "title": t, "cost": cost} for c, t, cost in PROJECTS],
        )
    (code,) = services.codes_generate(actor=owner, consultation=consultation, count=1)
    services.consultation_publish(actor=owner, consultation=consultation)
    return consultation, code.code


def _prove(page, consultation, code):
    page.goto(f"/raadplegingen/{consultation.slug}/")
    page.get_by_label("Uw stemcode").fill(code)
    page.get_by_role("button", name="Verder naar het stembiljet").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Uw stem")


def test_the_other_ballot_types_are_accessible_and_count_live(page):
    points, code = _consultation_of(
        "participatory_budget",
        "proef-punten",
        ballot_type="cumulative",
        budget=Decimal("100000"),
        points=10,
    )
    _prove(page, points, code)
    page.get_by_label("Speelplek aan de Vondelstraat").fill("7")
    page.get_by_label("Buurtkamer in de oude school").fill("5")
    expect(page.locator("#ballot-status")).to_contain_text("Haal er 2 weg")
    assert_accessible(page)
    page.get_by_label("Buurtkamer in de oude school").fill("3")
    page.get_by_role("button", name="Verstuur mijn stem").click()
    expect(page.locator("#stored-ballot")).to_contain_text("U gaf 10 van uw 10 punten.")

    ranking, code = _consultation_of(
        "participatory_budget",
        "proef-volgorde",
        ballot_type="ordinal",
        budget=Decimal("100000"),
        max_choices=3,
    )
    _prove(page, ranking, code)
    page.get_by_label("Verlichting van het fietspad").select_option("1")
    page.get_by_label("Speelplek aan de Vondelstraat").select_option("2")
    expect(page.locator("#ballot-status")).to_contain_text("U zette 2 projecten op volgorde.")
    assert_accessible(page)
    page.get_by_role("button", name="Verstuur mijn stem").click()
    expect(page.locator("#stored-ballot ol li").first).to_have_text("Verlichting van het fietspad")

    simulator, code = _consultation_of("budget_simulator", "proef-simulator")
    _prove(page, simulator, code)
    page.get_by_label("Minder maaien").check()
    expect(page.locator("#ballot-status")).to_contain_text("nog niet in: 2027, 2028")
    page.get_by_label("Later open").check()
    expect(page.locator("#ballot-status")).to_contain_text("sluit het tekort in elk jaar")
    expect(page.locator("tr[data-year='2028'] [data-saved]")).to_have_text(
        re.compile(r"€\s?160\.000")
    )
    assert_accessible(page)
    page.get_by_role("button", name="Verstuur mijn stem").click()
    expect(page.locator("#stored-ballot")).to_contain_text("sluit het tekort in elk jaar")
    assert_accessible(page)


def test_a_poll_over_the_chapters_of_a_programme_of_requirements(page):
    """The Huis ter Heide lead group's PvE, chapter by chapter: radio groups per chapter."""
    from django.utils import timezone

    from samenspraak.accounts.models import User
    from samenspraak.consultations import services
    from samenspraak.processes.models import Process

    process = Process.objects.get(slug="huis-ter-heide-pve")
    owner = User.objects.get(email=OWNER)
    chapters = [v for v, _label, p in services.poll_options(process) if ":" in v][:3]
    assert len(chapters) == 3, "the demo PvE has chapters"
    now = timezone.now()
    poll = services.consultation_create(
        actor=owner,
        process=process,
        slug="proef-peiling",
        data={
            "title": "Proefpeiling Programma van Eisen",
            "kind": "poll",
            "verification": "code",
            "opens_at": now - datetime.timedelta(hours=1),
            "closes_at": now + datetime.timedelta(days=14),
        },
    )
    services.poll_items_from_proposals(actor=owner, consultation=poll, selections=chapters)
    (code,) = services.codes_generate(actor=owner, consultation=poll, count=1)
    services.consultation_publish(actor=owner, consultation=poll)
    _prove(page, poll, code.code)
    first = page.locator(".samenspraak-poll-item").first
    first.get_by_label("Voor").check()
    first.get_by_role("textbox").fill("Goed dat er genoeg groen komt.")
    assert_accessible(page)
    page.get_by_role("button", name="Verstuur mijn stem").click()
    expect(page.locator("#stored-ballot")).to_contain_text("Goed dat er genoeg groen komt.")
    expect(page.locator("#stored-ballot")).to_contain_text("Voor")
    assert_accessible(page)


def test_the_process_owner_sets_up_a_vote_in_the_pages(page):
    """Settings, projects, voting codes (the one CSV download) and publishing, as staff do it;
    the first code from the download then votes."""
    import csv
    import io

    login(page, OWNER, DEMO_PASSWORD)
    page.goto(f"/processen/{PROCESS}/")
    page.get_by_role("link", name="Beheer de raadplegingen").click()
    assert_accessible(page)
    page.get_by_role("link", name="Nieuwe raadpleging").click()
    assert_accessible(page)
    page.get_by_label("Titel").fill("Buurtbudget Megen proef")
    page.get_by_label("Stemming over een buurtbudget").check()
    page.get_by_label("Stemcode", exact=True).check()
    page.get_by_label("Kiezen binnen het budget: kies projecten tot het budget op is").check()
    from django.utils import timezone

    opens = timezone.localtime() - datetime.timedelta(hours=1)
    page.get_by_label("Stemmen begint op").fill(opens.strftime("%Y-%m-%dT%H:%M"))
    page.get_by_label("Budget (buurtbudget)").fill("50.000")
    page.get_by_label("Grootste aantal projecten dat een kiezer kiest").fill("2")
    page.get_by_role("button", name="Opslaan als concept").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Projecten")
    assert_accessible(page)
    page.locator("#id_projects-0-title").fill("Jeu-de-boulesbaan")
    page.locator("#id_projects-0-cost").fill("12.500")
    page.locator("#id_projects-1-title").fill("Bloembakken op het plein")
    page.locator("#id_projects-1-cost").fill("8.000,50")
    page.get_by_role("button", name="Sla de projecten op").click()
    expect(page.locator(".samenspraak-messages")).to_contain_text("Opgeslagen.")
    page.get_by_role("link", name="Stemcodes").click()
    assert_accessible(page)
    page.get_by_label("Of: aantal codes zonder adressen").fill("3")
    with page.expect_download() as download_info:
        page.get_by_role("button", name="Maak de codes en download ze").click()
    text = open(download_info.value.path(), encoding="utf-8-sig").read()  # noqa: SIM115
    rows = list(csv.reader(io.StringIO(text), delimiter=";"))
    assert rows[0] == ["nummer", "stemcode", "stemadres"] and len(rows) == 4
    page.goto("/beheer/raadplegingen/buurtbudget-megen-proef/overzicht/")
    assert_accessible(page)
    page.get_by_role("button", name="Publiceer de raadpleging").click()
    expect(page.locator(".samenspraak-messages")).to_contain_text("gepubliceerd")
    expect(page.locator("#code-batches")).to_contain_text("3")

    page.context.clear_cookies()
    page.goto(rows[1][2])
    page.get_by_label("Uw stemcode").fill(rows[1][1])
    page.get_by_role("button", name="Verder naar het stembiljet").click()
    page.get_by_label(re.compile("Jeu-de-boulesbaan")).check()
    page.get_by_role("button", name="Verstuur mijn stem").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Bedankt voor uw stem")
