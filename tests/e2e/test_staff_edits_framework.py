"""Staff journey: log in, open the frameworks of a process, make a mistake, fix it."""

from __future__ import annotations

from decimal import Decimal

from playwright.sync_api import expect

from samenspraak.demo.accounts import DEMO_PASSWORD
from tests.e2e.conftest import assert_accessible, login

OWNER = "medewerker@samenspraak.example"
SLUG = "huis-ter-heide-pve"


def test_staff_edits_framework_and_sees_clear_errors(page):
    login(page, OWNER, DEMO_PASSWORD)
    expect(page.get_by_role("heading", level=1)).to_have_text("Beheer")
    assert_accessible(page)

    page.get_by_role("link", name="Huis ter Heide: Programma van Eisen nieuwe woonwijk").click()
    page.get_by_role("link", name="Kaders").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Kaders")
    assert_accessible(page)

    minimum = page.locator("#id_years-0-minimum")
    maximum = page.locator("#id_years-0-maximum")
    minimum.fill("2.000.000")
    maximum.fill("1.500.000")
    page.get_by_role("button", name="Kaders opslaan").click()

    # The error is named at the top and at the field; what was typed is kept.
    expect(page.locator("#error-summary")).to_contain_text("hoger dan het maximum")
    expect(page.locator("#id_years-0-minimum_error")).to_contain_text("hoger dan het maximum")
    expect(minimum).to_have_attribute("aria-invalid", "true")
    expect(minimum).to_have_value("2.000.000")
    expect(maximum).to_have_value("1.500.000")
    assert_accessible(page)

    maximum.fill("veel geld")
    page.get_by_role("button", name="Kaders opslaan").click()
    expect(page.locator("#id_years-0-maximum_error")).to_contain_text("geen bedrag")
    expect(page.locator("#id_years-0-maximum")).to_have_value("veel geld")

    page.locator("#id_years-0-minimum").fill("-250.000")
    page.locator("#id_years-0-maximum").fill("1.750.000")
    page.get_by_role("button", name="Kaders opslaan").click()
    expect(page.locator(".utrecht-alert--ok")).to_contain_text("opgeslagen")

    from samenspraak.processes.models import Process

    year = Process.objects.get(slug=SLUG).framework.years.order_by("year").first()
    assert (year.minimum, year.maximum) == (Decimal("-250000.00"), Decimal("1750000.00"))

    page.get_by_role("link", name="Bekijk openbare pagina").click()
    expect(page.get_by_role("table", name="Financiële bandbreedte per jaar")).to_contain_text(
        "€ 1.750.000"
    )
    assert_accessible(page)


def test_phase_that_ends_before_it_starts_is_refused(page):
    login(page, OWNER, DEMO_PASSWORD)
    page.goto(f"/beheer/processen/{SLUG}/fasen/")
    assert_accessible(page)
    start = page.locator("#id_phases-0-start_date")
    page.locator("#id_phases-0-end_date").fill("2020-01-01")
    original_start = start.input_value()
    page.get_by_role("button", name="Fasen opslaan").click()
    expect(page.locator("#id_phases-0-end_date_error")).to_be_visible()
    expect(page.locator("#id_phases-0-end_date")).to_have_value("2020-01-01")
    expect(start).to_have_value(original_start)
    assert_accessible(page)
