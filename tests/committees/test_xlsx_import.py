"""Importing a pool from an Excel workbook (.xlsx): the same columns and checks as the CSV
import, errors that name the sheet, row and column (Dutch and English), nothing stored on any
error. Every workbook here is written by openpyxl in the test itself."""

from __future__ import annotations

import datetime
import io
import re
import zipfile

import openpyxl
import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import translation

from samenspraak.committees import services, xlsx
from samenspraak.committees.models import Application
from samenspraak.common.models import AuditEvent

pytestmark = pytest.mark.django_db

HEADER = ["id", "naam", "email", "rol", "leeftijd", "huishouden"]
PEOPLE = [
    ["p1", "Anna de Vries", "anna@example.org", "inwoner", "jong", "Dorpsstraat 1"],
    ["p2", "Bas Bakker", None, "inwoner", "oud", "Dorpsstraat 1"],
    ["p3", "Cor Smit", None, "inwoner", "oud", None],
    ["p4", None, None, "ondernemer", "jong", None],
    ["p5", "Emre Kaya", "emre@example.org", "ondernemer", "oud", None],
    ["p6", "Fenna Bos", None, "inwoner", "jong", None],
]


def workbook(*sheets: tuple[str, list[list]], start_row: int = 1) -> bytes:
    """A workbook with the given (title, rows) sheets; rows start at ``start_row``."""
    book = openpyxl.Workbook()
    book.remove(book.active)
    for title, rows in sheets:
        sheet = book.create_sheet(title)
        for r, row in enumerate(rows, start=start_row):
            for c, value in enumerate(row, start=1):
                if value is not None:
                    sheet.cell(row=r, column=c, value=value)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def pool_book(people=PEOPLE, **kwargs) -> bytes:
    return workbook(("Deelnemers", [HEADER, *people]), **kwargs)


def import_book(committee, staff_user, data: bytes, filename: str = "pool.xlsx") -> int:
    return services.pool_import(
        actor=staff_user, committee=committee, workbook=data, filename=filename
    )


def refused(committee, staff_user, data: bytes, language: str = "nl") -> str:
    with translation.override(language), pytest.raises(ValidationError) as caught:
        import_book(committee, staff_user, data)
    assert not Application.objects.exists()  # nothing of the file is stored
    assert not AuditEvent.objects.filter(action="pool_import").exists()
    return " ".join(caught.value.messages)


# --- what is read ----------------------------------------------------------------------------


def test_a_workbook_is_read_like_the_csv_file(committee, staff_user):
    with translation.override("en"):
        assert import_book(committee, staff_user, pool_book()) == 6
    anna = Application.objects.get(reference="p1")
    assert (anna.full_name, anna.email, anna.household_key) == (
        "Anna de Vries",
        "anna@example.org",
        "Dorpsstraat 1",
    )
    assert anna.answers == {"rol": "inwoner", "leeftijd": "jong"}
    assert Application.objects.get(reference="p4").full_name == "Participant p4"
    # Same pool as the CSV test: the draw works on it.
    draw = services.committee_draw(actor=staff_user, committee=committee, seed=8)
    assert len(draw.selected) == 4
    event = AuditEvent.objects.get(action="pool_import")
    assert event.changes == {"file": "pool.xlsx", "rows": 6}


def test_number_cells_read_as_the_text_a_person_typed(committee, staff_user):
    """Ids and answers typed as numbers: 1001 (stored as 1001.0) reads "1001", 34.0 "34"."""
    services.committee_update(
        actor=staff_user,
        committee=committee,
        data={},
        quotas=[
            {"feature": "leeftijd", "value": "34", "minimum": 0, "maximum": 4},
            {"feature": "leeftijd", "value": "70", "minimum": 0, "maximum": 4},
            {"feature": "wijk", "value": "1.5", "minimum": 0, "maximum": 4},
            {"feature": "wijk", "value": "2", "minimum": 0, "maximum": 4},
        ],
    )
    data = workbook(
        (
            "Pool",
            [
                ["id", "leeftijd", "wijk"],
                [1001.0, 34.0, 1.5],
                [1002, 70, 2.0],
            ],
        )
    )
    assert import_book(committee, staff_user, data) == 2
    rows = {a.reference: a.answers for a in Application.objects.all()}
    assert rows == {
        "1001": {"leeftijd": "34", "wijk": "1.5"},
        "1002": {"leeftijd": "70", "wijk": "2"},
    }


def test_empty_rows_between_and_after_the_people_are_skipped(committee, staff_user):
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "Pool"
    sheet.append(HEADER)
    sheet.append(PEOPLE[0])
    sheet.append([])  # an empty row in between
    sheet.append(PEOPLE[1])
    # Formatted but empty rows at the end, as spreadsheet programs leave them.
    for row in range(4, 60):
        sheet.cell(row=row, column=1).number_format = "0.00"
        sheet.cell(row=row, column=2, value="   ")
    out = io.BytesIO()
    book.save(out)
    assert import_book(committee, staff_user, out.getvalue()) == 2


def test_a_header_lower_down_and_the_pool_on_a_later_sheet(committee, staff_user):
    notes = ("Toelichting", [["Aanmeldingen voor het comité Zorg"], ["Stand: 1 maart"]])
    data = workbook(notes, ("Deelnemers", [[], [], HEADER, *PEOPLE]))
    assert import_book(committee, staff_user, data) == 6


def test_a_formula_gives_its_stored_value(committee, staff_user):
    """A spreadsheet program stores a formula's result with it; that result is read."""
    data = pool_book()
    # openpyxl cannot calculate, so write the cached value into the sheet the way Excel and
    # LibreOffice store it: the formula and, next to it, its last result.
    with zipfile.ZipFile(io.BytesIO(data)) as source:
        parts = {name: source.read(name) for name in source.namelist()}
    sheet = next(name for name in parts if name.startswith("xl/worksheets/sheet"))
    xml = parts[sheet].decode()
    cell = re.search(r'<c r="E2"[^>]*>.*?</c>', xml).group(0)
    xml = xml.replace(cell, '<c r="E2" t="str"><f>LOWER("JONG")</f><v>jong</v></c>')
    parts[sheet] = xml.encode()
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as target:
        for name, content in parts.items():
            target.writestr(name, content)
    assert import_book(committee, staff_user, out.getvalue()) == 6
    assert Application.objects.get(reference="p1").answers["leeftijd"] == "jong"


def test_cell_text_of_each_kind_of_value():
    assert xlsx.cell_text(None) == ""
    assert xlsx.cell_text(34.0) == "34"
    assert xlsx.cell_text(1.25) == "1.25"
    assert xlsx.cell_text(7) == "7"
    assert xlsx.cell_text(True) == "TRUE"
    # Spreadsheet cells hold naive date-times: that is what openpyxl gives.
    midnight = datetime.datetime(2026, 1, 31)  # noqa: DTZ001
    morning = datetime.datetime(2026, 1, 31, 9, 30)  # noqa: DTZ001
    assert xlsx.cell_text(midnight) == "2026-01-31"
    assert xlsx.cell_text(morning) == "2026-01-31T09:30:00"
    assert xlsx.cell_text(datetime.date(2026, 1, 31)) == "2026-01-31"
    assert xlsx.cell_text("  Zeist\nCentrum ") == "Zeist Centrum"


# --- errors name the sheet, row and column, and store nothing ---------------------------------


def test_an_unknown_value_names_sheet_row_and_column_in_dutch(committee, staff_user):
    people = [row[:] for row in PEOPLE]
    people[2][3] = "wethouder"  # Cor, on row 4 of the sheet, column D (rol)
    message = refused(committee, staff_user, pool_book(people))
    assert message.startswith("Bestand pool.xlsx, blad 'Deelnemers', rij 4, kolom D ('rol'):")
    assert "'wethouder' is geen waarde van rol" in message


def test_an_unknown_value_names_sheet_row_and_column_in_english(committee, staff_user):
    people = [row[:] for row in PEOPLE]
    people[2][3] = "wethouder"
    message = refused(committee, staff_user, pool_book(people), language="en")
    assert message.startswith("File pool.xlsx, sheet 'Deelnemers', row 4, column D ('rol'):")
    assert "'wethouder' is not a value of rol" in message


def test_rows_are_the_sheets_own_numbers_below_a_lower_header(committee, staff_user):
    people = [row[:] for row in PEOPLE]
    people[0][4] = "middelbaar"  # the first person, on row 5 when the header is on row 4
    message = refused(committee, staff_user, pool_book(people, start_row=4))
    assert "rij 5, kolom E ('leeftijd')" in message


def test_a_missing_column_names_the_sheet_and_its_header_row(committee, staff_user):
    header = [("age" if h == "leeftijd" else h) for h in HEADER]
    data = workbook(("Deelnemers", [[], header, *PEOPLE]))
    message = refused(committee, staff_user, data)
    assert "blad 'Deelnemers', rij 2" in message
    assert "De kolom 'leeftijd' ontbreekt" in message


def test_a_duplicate_id_says_row_not_line(committee, staff_user):
    people = [row[:] for row in PEOPLE]
    people[4][0] = "p1"  # row 6 repeats the id of row 2
    message = refused(committee, staff_user, pool_book(people), language="en")
    assert message.startswith("File pool.xlsx, sheet 'Deelnemers', row 6, column A ('id'):")
    assert "also appears in row 2" in message


def test_an_empty_id_names_its_cell(committee, staff_user):
    people = [row[:] for row in PEOPLE]
    people[1][0] = None
    message = refused(committee, staff_user, pool_book(people))
    assert "rij 3, kolom A ('id')" in message and "geen id" in message


def test_a_formula_without_a_calculated_value_is_refused(committee, staff_user):
    people = [row[:] for row in PEOPLE]
    people[3][4] = '=LOWER("JONG")'  # openpyxl stores no result with it
    message = refused(committee, staff_user, pool_book(people))
    assert message.startswith("Bestand pool.xlsx, blad 'Deelnemers', rij 5, kolom E:")
    assert "formule zonder berekende waarde" in message


def test_a_sheet_with_only_empty_rows_is_refused(committee, staff_user):
    message = refused(committee, staff_user, workbook(("Leeg", [[None], [" "]])))
    assert "blad 'Leeg'" in message and "leeg" in message


def test_a_file_that_is_not_a_workbook_is_refused(committee, staff_user):
    message = refused(committee, staff_user, b"PK\x03\x04 not really a zip")
    assert "geen Excel-bestand" in message


def test_a_model_error_names_the_sheet_row(committee, staff_user):
    people = [row[:] for row in PEOPLE]
    people[1][2] = "geen-adres"  # the email column is not checked by the reader, the model does
    message = refused(committee, staff_user, pool_book(people), language="en")
    assert message.startswith("Row 3 of sheet Deelnemers in pool.xlsx:")
    assert "Nothing was imported." in message


# --- the page --------------------------------------------------------------------------------


def _upload(client, committee, data: bytes, name: str):
    upload = SimpleUploadedFile(name, data, content_type="application/octet-stream")
    return client.post(
        f"/beheer/comites/{committee.slug}/aanmeldingen/importeren/",
        {"file": upload, "consent": "on"},
    )


def test_the_import_page_takes_a_workbook(client, committee, staff_user):
    client.force_login(staff_user)
    response = _upload(client, committee, pool_book(), "aanmeldingen.xlsx")
    assert response.status_code == 302
    assert Application.objects.count() == 6
    page = client.get(f"/beheer/comites/{committee.slug}/aanmeldingen/").content.decode()
    assert "CSV of Excel" in page


def test_the_import_page_shows_where_a_workbook_is_wrong(client, committee, staff_user):
    client.force_login(staff_user)
    people = [row[:] for row in PEOPLE]
    people[5][4] = "bejaard"
    response = _upload(client, committee, pool_book(people), "aanmeldingen.xlsx")
    content = response.content.decode()
    assert response.status_code == 200
    assert 'id="error-summary"' in content
    assert "blad &#x27;Deelnemers&#x27;, rij 7, kolom E" in content
    assert not Application.objects.exists()


def test_an_old_excel_file_gets_a_clear_message(client, committee, staff_user):
    client.force_login(staff_user)
    old = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 100
    content = _upload(client, committee, old, "aanmeldingen.xls").content.decode()
    assert "Oude Excel-bestanden (.xls)" in content
    assert not Application.objects.exists()
