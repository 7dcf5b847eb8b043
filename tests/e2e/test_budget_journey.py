"""Budget journey: staff open the budget page of the Zeist budget dialogue, see a package that
closes the gap in every year (balance table never negative), switch what the package should
spare and see other packages; a council member reads the same page. Every page axe-checked."""

from __future__ import annotations

import re

from playwright.sync_api import expect

from samenspraak.demo.accounts import DEMO_PASSWORD
from tests.e2e.conftest import assert_accessible, login

OWNER = "medewerker@samenspraak.example"
COUNCIL = "raadslid@samenspraak.example"
PROCESS = "bezuinigingsdialoog-zeist"
YEARS = ("2027", "2028", "2029", "2030")


def _zeist_proposals() -> None:
    """The Zeist committees' proposals, written through the services as the demo does
    (already there when the demo fixture loaded them; then this creates nothing)."""
    from samenspraak.demo.proposals import load_proposals
    from samenspraak.proposals.models import Proposal

    load_proposals()
    assert Proposal.objects.filter(process__slug=PROCESS).count() > 20


def _best_package(page) -> tuple[str, ...]:
    return tuple(page.locator("#package-0 ul.utrecht-unordered-list li").all_inner_texts())


def _assert_best_package_closes_every_year(page) -> None:
    expect(page.locator("#budget-outcome")).to_contain_text("sluit")
    expect(page.locator("#budget-outcome")).to_contain_text("het tekort in elk jaar")
    table = page.get_by_role("table", name="Saldo per jaar: Beste pakket")
    rows = table.locator("tbody tr")
    expect(rows).to_have_count(len(YEARS))
    for year, row in zip(YEARS, rows.all(), strict=True):
        expect(row.locator("th")).to_have_text(year)
        for cell in row.locator("td[data-balance]").all():
            text = cell.inner_text().strip()
            assert re.fullmatch(r"€ \d{1,3}(\.\d{3})*(,\d{2})?", text), (year, text)
        expect(row.locator("td").last).to_contain_text("ja")


def test_staff_and_council_compare_packages_that_close_the_gap(page):
    _zeist_proposals()

    login(page, OWNER, DEMO_PASSWORD)
    page.goto(f"/processen/{PROCESS}/voorstellen/")
    page.get_by_role("link", name="Begroting: welke voorstellen sluiten het tekort?").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Begroting: welke voorstellen sluiten het tekort?"
    )
    expect(page.get_by_role("table", name="Wat er per jaar bespaard moet worden")).to_contain_text(
        "€ 4.200.000"
    )
    _assert_best_package_closes_every_year(page)
    expect(page.locator("#package-0")).to_contain_text("Tegenstand")
    by_support = _best_package(page)
    assert by_support
    assert_accessible(page)

    # Switch what the package should spare: the fewest people affected.
    page.get_by_label("Zo min mogelijk mensen die het merken").check()
    page.get_by_role("button", name="Bereken de pakketten").click()
    expect(page).to_have_url(re.compile(r"objective=people"))
    expect(page.locator("#package-0")).to_contain_text("Aantal geraakte mensen")
    _assert_best_package_closes_every_year(page)
    assert _best_package(page) != by_support
    expect(page.get_by_label("Zo min mogelijk mensen die het merken")).to_be_checked()
    assert_accessible(page)

    # A mistake in the form is explained at the top, nothing breaks.
    page.goto(f"/processen/{PROCESS}/begroting/?alternatives=veel")
    expect(page.locator("#error-summary")).to_contain_text("Aantal andere pakketten")
    assert_accessible(page)
    page.locator("form[action$='/uitloggen/'] button").click()

    # A council member reads the same packages.
    login(page, COUNCIL, DEMO_PASSWORD)
    page.goto(f"/processen/{PROCESS}/begroting/")
    _assert_best_package_closes_every_year(page)
    assert _best_package(page) == by_support
    assert_accessible(page)
