"""A pool from an Excel workbook (.xlsx), turned into the CSV text the CSV import reads.

The sheet becomes CSV text in which line *n* is row *n* of the sheet, so the CSV import's
checks (columns, ids, values against the quotas) run unchanged and every line number they
report is the sheet's row number. ``adapters.read_pool_xlsx`` adds the sheet and the column
letter to such an error.

How cells are read:
- the first worksheet whose first non-empty row has a column for every quota feature is read;
  without one, the first worksheet (so the error names a sheet the user knows);
- a formula gives the value the spreadsheet program last calculated and stored in the file; a
  formula without a stored value (a file written by a program that does not calculate) is an
  error naming the cell, never a guess;
- whole numbers are written without decimals (an age typed as 34 and stored as 34.0 reads
  "34"), other numbers as Python writes them ("1.5"); dates as ISO dates (2026-01-31);
  TRUE/FALSE as such; line breaks inside a cell become spaces;
- empty rows (anywhere, also the formatted but empty rows at the end) are skipped, as in a
  CSV file; only the first ``MAX_COLUMNS`` columns are read.
"""

from __future__ import annotations

import csv
import datetime
import io
import zipfile
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import Any

import openpyxl
from openpyxl.utils import get_column_letter
from openpyxl.utils.exceptions import InvalidFileException

MAX_COLUMNS = 256
MAX_PEOPLE = 20_000  # non-empty rows; a pool is far smaller

__all__ = ["MAX_COLUMNS", "MAX_PEOPLE", "Sheet", "SheetProblem", "column_letter", "read_sheet"]


@dataclass(frozen=True)
class Sheet:
    name: str
    text: str  # CSV text; line n is row n of the sheet
    header_row: int
    header: list[str]

    def column_of(self, name: str | None) -> str | None:
        """The letter of the header column called ``name`` (case-insensitive), if any."""
        if not name:
            return None
        wanted = name.strip().casefold()
        for index, cell in enumerate(self.header):
            if cell.casefold() == wanted:
                return column_letter(index)
        return None


class SheetProblem(ValueError):
    """A workbook that cannot be read as a pool, with where (sheet, row, column) if known."""

    def __init__(
        self,
        *,
        code: str,
        message_nl: str,
        message_en: str,
        sheet: str | None = None,
        row: int | None = None,
        column: str | None = None,
    ) -> None:
        self.code = code
        self.message_nl = message_nl
        self.message_en = message_en
        self.sheet = sheet
        self.row = row
        self.column = column
        super().__init__(message_en)


def column_letter(index: int) -> str:
    """The spreadsheet letter of a 0-based column index: 0 -> A, 27 -> AB."""
    return get_column_letter(index + 1)


def cell_text(value: Any) -> str:
    """A cell's value as the text a CSV export would hold (see the module docstring)."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else repr(value)
    if isinstance(value, datetime.datetime):
        return value.date().isoformat() if value.time() == datetime.time() else value.isoformat()
    if isinstance(value, (datetime.date, datetime.time)):
        return value.isoformat()
    text = str(value)
    if "\n" in text or "\r" in text:
        text = " ".join(text.split())
    return text.strip()


def _open(data: bytes, *, data_only: bool):
    try:
        return openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=data_only)
    except (InvalidFileException, zipfile.BadZipFile, KeyError, OSError, ValueError) as exc:
        raise SheetProblem(
            code="not_a_workbook",
            message_nl="Dit is geen Excel-bestand (.xlsx) dat we kunnen lezen. Sla het op als "
            ".xlsx of als CSV en probeer het opnieuw.",
            message_en="This is not an Excel file (.xlsx) we can read. Save it as .xlsx or as "
            "CSV and try again.",
        ) from exc


def _rows(worksheet) -> Iterator[tuple[int, list[Any]]]:
    """(row number, cells) for every row, numbered as in the sheet even across gaps."""
    expected = 1
    for cells in worksheet.iter_rows(max_col=MAX_COLUMNS):
        number = next((c.row for c in cells if getattr(c, "row", None)), expected)
        yield number, list(cells)
        expected = number + 1


def _is_empty(cells: Sequence[Any]) -> bool:
    return all(cell_text(c.value) == "" for c in cells)


def _header(worksheet) -> tuple[int, list[str]] | None:
    for number, cells in _rows(worksheet):
        if not _is_empty(cells):
            header = [cell_text(c.value) for c in cells]
            while header and not header[-1]:
                header.pop()
            return number, header
    return None


def _choose(workbook, wanted: Sequence[str]):
    """The first worksheet whose header has every wanted column; else the first worksheet."""
    keys = {name.strip().casefold() for name in wanted}
    for worksheet in workbook.worksheets:
        found = _header(worksheet)
        if found and keys <= {cell.casefold() for cell in found[1]}:
            return worksheet
    return workbook.worksheets[0] if workbook.worksheets else None


def read_sheet(data: bytes, *, wanted: Sequence[str]) -> Sheet:
    """The pool sheet of an .xlsx workbook as CSV text (line n = row n). Raises SheetProblem."""
    workbook = _open(data, data_only=False)
    try:
        worksheet = _choose(workbook, wanted)
        if worksheet is None:
            raise SheetProblem(
                code="empty_file",
                message_nl="Het bestand heeft geen werkblad.",
                message_en="The file has no worksheet.",
            )
        name = worksheet.title
        rows: list[tuple[int, list[Any]]] = []
        formulas: list[tuple[int, int]] = []  # (row, column index) of formula cells
        for number, cells in _rows(worksheet):
            if _is_empty(cells):
                continue
            if len(rows) > MAX_PEOPLE:
                raise SheetProblem(
                    code="too_many_rows",
                    message_nl=f"Het werkblad heeft meer dan {MAX_PEOPLE} gevulde rijen; zo "
                    "groot is een pool niet.",
                    message_en=f"The sheet has more than {MAX_PEOPLE} filled rows; a pool is "
                    "not that large.",
                    sheet=name,
                    row=number,
                )
            formulas += [(number, i) for i, c in enumerate(cells) if c.data_type == "f"]
            rows.append((number, [c.value for c in cells]))
    finally:
        workbook.close()
    if formulas:
        rows = _calculated(data, name, rows, formulas)
    if not rows:
        raise SheetProblem(
            code="empty_file",
            message_nl="Het werkblad is leeg.",
            message_en="The sheet is empty.",
            sheet=name,
        )
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n", quoting=csv.QUOTE_ALL)
    line = 1
    for number, values in rows:
        out.write("\n" * (number - line))  # the empty rows in between, as empty lines
        writer.writerow([cell_text(v) for v in values])
        line = number + 1
    header_row, header = rows[0][0], [cell_text(v) for v in rows[0][1]]
    return Sheet(name=name, text=out.getvalue(), header_row=header_row, header=header)


def _calculated(
    data: bytes, name: str, rows: list[tuple[int, list[Any]]], formulas: list[tuple[int, int]]
) -> list[tuple[int, list[Any]]]:
    """Replace formulas by the values the spreadsheet program stored with them."""
    workbook = _open(data, data_only=True)
    try:
        stored = {number: [c.value for c in cells] for number, cells in _rows(workbook[name])}
    finally:
        workbook.close()
    by_row = dict(rows)
    for number, index in formulas:
        values = stored.get(number, [])
        value = values[index] if index < len(values) else None
        if value is None:
            cell = f"{column_letter(index)}{number}"
            raise SheetProblem(
                code="formula_without_value",
                message_nl=f"In cel {cell} staat een formule zonder berekende waarde. Open het "
                "bestand in uw rekenprogramma, sla het op en probeer het opnieuw (of zet er "
                "de waarde zelf in).",
                message_en=f"Cell {cell} holds a formula without a calculated value. Open the "
                "file in your spreadsheet program, save it and try again (or type the value "
                "in).",
                sheet=name,
                row=number,
                column=column_letter(index),
            )
        by_row[number][index] = value
    return rows
