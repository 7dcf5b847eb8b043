"""Committee pages added later: staff decline an application and undo it; a member adds a
document to the workspace and downloads it; the facilitator may add agenda and minutes only.
Every page visited is checked with axe-core."""

from __future__ import annotations

import io

import openpyxl
import pytest
from playwright.sync_api import expect

from samenspraak.demo.accounts import DEMO_PASSWORD
from tests.e2e.conftest import assert_accessible, login
from tests.e2e.test_committee_journey import theme_table

OWNER = "medewerker@samenspraak.example"
MEMBER = "comitelid@samenspraak.example"
FACILITATOR = "begeleider@samenspraak.example"
COMMITTEE = "zeist-zorg-en-welzijn"
PDF = b"%PDF-1.4\n1 0 obj << >> endobj\ntrailer << >>\n%%EOF\n"


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def _forming_committee_with_a_workbook_pool():
    """A theme table that is still forming, its pool imported from an Excel workbook."""
    from samenspraak.committees import services

    owner, committee = theme_table(
        "Thematafel Verkeer",
        "Bedenk voorstellen voor veilig verkeer rond scholen.",
        size=3,
        quotas=[
            {"feature": "rol", "value": "inwoner", "minimum": 1, "maximum": 3},
            {"feature": "rol", "value": "ondernemer", "minimum": 0, "maximum": 2},
        ],
    )
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "Aanmeldingen"
    for row in (
        ["id", "naam", "rol"],
        ["v1", "Anna de Vries", "inwoner"],
        ["v2", "Bas Bakker", "ondernemer"],
        ["v3", "Cor Smit", "inwoner"],
        ["v4", "Dewi Wijaya", "inwoner"],
    ):
        sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    services.pool_import(
        actor=owner, committee=committee, workbook=out.getvalue(), filename="verkeer.xlsx"
    )
    return committee


def test_staff_decline_an_application_and_undo_it(page):
    committee = _forming_committee_with_a_workbook_pool()
    login(page, OWNER, DEMO_PASSWORD)
    page.goto(f"/beheer/comites/{committee.slug}/aanmeldingen/")
    expect(page.get_by_role("table")).to_contain_text("Bas Bakker")
    assert_accessible(page)

    page.get_by_role("link", name="Afwijzen Bas Bakker").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Aanmelding afwijzen")
    page.get_by_role("button", name="Aanmelding afwijzen").click()
    # No reason: told at the top and at the field; nothing declined.
    expect(page.locator("#error-summary")).to_contain_text("Geef de reden van de afwijzing")
    assert_accessible(page)
    page.get_by_label("Reden van afwijzing").fill("Woont niet in de gemeente.")
    page.get_by_role("button", name="Aanmelding afwijzen").click()

    expect(page.locator(".utrecht-alert--ok")).to_contain_text("wordt niet geloot")
    row = page.get_by_role("row").filter(has_text="Bas Bakker")
    expect(row).to_contain_text("Afgewezen")
    expect(row).to_contain_text("Woont niet in de gemeente.")
    assert_accessible(page)

    row.get_by_role("button", name="Afwijzing terugdraaien Bas Bakker").click()
    expect(page.locator(".utrecht-alert--ok")).to_contain_text("weer in de pool")
    expect(page.get_by_role("row").filter(has_text="Bas Bakker")).to_contain_text("Aangemeld")


def test_a_member_adds_a_document_and_the_facilitator_only_agendas(page):
    login(page, MEMBER, DEMO_PASSWORD)
    page.goto(f"/comites/{COMMITTEE}/werkruimte/")
    expect(page.get_by_role("heading", name="Documenten")).to_be_visible()
    page.get_by_role("link", name="Een document toevoegen").click()
    assert_accessible(page)
    # A program dressed up as a PDF is refused at the field.
    page.get_by_label("Bestand").set_input_files(
        {"name": "verslag.pdf", "mimeType": "application/pdf", "buffer": b"MZ\x90\x00"}
    )
    page.get_by_role("button", name="Document toevoegen").click()
    expect(page.locator("#error-summary")).to_contain_text("geen echt .pdf-bestand")
    assert_accessible(page)

    page.get_by_label("Bestand").set_input_files(
        {"name": "Eerste opzet.pdf", "mimeType": "application/pdf", "buffer": PDF}
    )
    page.get_by_label("Titel").fill("Eerste opzet zorgvoorstellen")
    page.get_by_label("Soort document").select_option(label="Werkdocument")
    page.get_by_role("button", name="Document toevoegen").click()
    expect(page.locator(".utrecht-alert--ok")).to_contain_text("Het document is toegevoegd")
    table = page.get_by_role("table", name="Documenten van het comité")
    expect(table).to_contain_text("Eerste opzet zorgvoorstellen")
    assert_accessible(page)
    with page.expect_download() as caught:
        table.get_by_role("link", name="Eerste opzet zorgvoorstellen").click()
    download = caught.value
    assert download.suggested_filename == "Eerste opzet.pdf"
    with open(download.path(), "rb") as handle:
        assert handle.read() == PDF
    page.locator("form[action$='/uitloggen/'] button").click()

    # The facilitator sees the member's document but may add agenda and minutes only.
    login(page, FACILITATOR, DEMO_PASSWORD)
    page.goto(f"/comites/{COMMITTEE}/werkruimte/")
    expect(page.get_by_role("table", name="Documenten van het comité")).to_contain_text(
        "Eerste opzet zorgvoorstellen"
    )
    page.get_by_role("link", name="Een document toevoegen").click()
    options = page.get_by_label("Soort document").locator("option")
    expect(options).to_have_count(1)
    expect(options).to_have_text("Agenda en verslag")
    assert_accessible(page)
