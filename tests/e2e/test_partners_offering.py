# ruff: noqa: E501  (CSV rows read best on one line)
"""Partners and their offering in the browser: staff close the Weidevenne gap for young carers
with a new service and see it in the matrix and the gap list; the BrabantWonen representative
imports a file with a mistake (nothing stored, row and column named), fixes it and sees the
services. Axe on every page."""

from __future__ import annotations

from playwright.sync_api import expect

from samenspraak.demo.accounts import DEMO_PASSWORD
from tests.e2e.conftest import assert_accessible, login

STAFF = "medewerker.purmerend@samenspraak.example"
PARTNER = "partner@samenspraak.example"


def _matrix_cell(page, row: str, column_index: int):
    return (
        page.locator("#coverage-matrix tbody tr", has=page.get_by_role("rowheader", name=row))
        .locator("td")
        .nth(column_index)
    )


def test_staff_add_a_service_and_the_matrix_shows_it(page):
    login(page, STAFF, DEMO_PASSWORD)
    page.goto("/partners/aanbod/")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Purmerend")
    # Districts in alphabetical order: Centrum, Gors, Overwhere, Purmer-Noord, Weidevenne, ...
    expect(_matrix_cell(page, "Jonge mantelzorgers", 4)).to_have_text("geen")
    assert_accessible(page)
    page.get_by_role("link", name="Gaten", exact=True).click()
    expect(page.locator("#gap-pairs")).to_contain_text("Weidevenne")
    assert_accessible(page)
    for name in ("Overlap", "Kosten per persoon", "Netwerk van partners"):
        page.get_by_role("link", name=name, exact=True).click()
        expect(page.get_by_role("heading", level=1)).to_contain_text("Purmerend")
        assert_accessible(page)

    page.goto("/partners/")
    page.get_by_role("link", name="Mantelzorgsteunpunt Purmerend").click()
    assert_accessible(page)
    page.get_by_role("link", name="Aanbod toevoegen").click()
    assert_accessible(page)
    page.get_by_label("Naam", exact=True).fill("JMZ-club Weidevenne")
    page.get_by_label("Thema").select_option(label="Mantelzorg en vrijwilligerswerk")
    page.get_by_label("Jonge mantelzorgers").check()
    page.get_by_label("Weidevenne").check()
    page.get_by_label("Bereik (mensen per jaar)").fill("-5")
    page.get_by_label("Kosten per jaar").fill("9.000")
    page.get_by_role("button", name="Aanbod opslaan").click()
    expect(page.locator("#error-summary")).to_be_visible()
    expect(page.get_by_label("Bereik (mensen per jaar)")).to_have_attribute("aria-invalid", "true")
    assert_accessible(page)
    page.get_by_label("Bereik (mensen per jaar)").fill("20")
    page.get_by_role("button", name="Aanbod opslaan").click()
    expect(page.locator("#offering")).to_contain_text("JMZ-club Weidevenne")

    page.goto("/partners/aanbod/")
    expect(_matrix_cell(page, "Jonge mantelzorgers", 4)).to_contain_text("1 aanbod")
    page.goto("/partners/aanbod/hiaten/")
    expect(page.locator("#gap-pairs")).not_to_contain_text("Jonge mantelzorgers")


def test_partner_imports_a_file(page, tmp_path):
    login(page, PARTNER, DEMO_PASSWORD)
    page.goto("/partners/")
    page.get_by_role("link", name="Uw organisatie: BrabantWonen").click()
    page.get_by_role("link", name="Aanbod inlezen uit een bestand").click()
    assert_accessible(page)
    header = "naam;thema;doelgroepen;wijken;bereik;capaciteit;kosten;subsidie;resultaten\n"
    good = "Taalcafé in de buurt;Taal en digitale vaardigheden;Nieuwkomers (statushouders);Dichtersbuurt;30;;4.000;;\n"
    bad = tmp_path / "aanbod.csv"
    bad.write_text(
        header + good + "Klusbus;Wonen en leefbaarheid;Ouderen (65+);Maanwijk;50;;8.000;;\n"
    )
    page.get_by_label("Bestand met aanbod (CSV of Excel)").set_input_files(str(bad))
    page.get_by_role("button", name="Inlezen").click()
    expect(page.locator("#error-summary")).to_contain_text("rij 3")
    expect(page.locator("#error-summary")).to_contain_text("wijken")
    expect(page.locator("#error-summary")).to_contain_text("Er is niets opgeslagen")
    assert_accessible(page)
    fixed = tmp_path / "aanbod-goed.csv"
    fixed.write_text(header + good)
    page.get_by_label("Bestand met aanbod (CSV of Excel)").set_input_files(str(fixed))
    page.get_by_role("button", name="Inlezen").click()
    expect(page.locator("#offering")).to_contain_text("Taalcafé in de buurt")
    assert_accessible(page)
