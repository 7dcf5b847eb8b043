"""Reading the CSV files users bring (Sortition Foundation files, budget files, ...).

Spreadsheet programs write a byte-order mark and, in Dutch settings, semicolons; both are
accepted. Empty lines are skipped, cells are stripped, and every row keeps its line number so
that errors can say where they are.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator

from samenspraak.core.errors import InputError, Location


def csv_rows(text: str, filename: str) -> tuple[list[str], Iterator[tuple[int, list[str]]]]:
    """The header (stripped) and an iterator of (line number, cells) of the non-empty lines.

    The delimiter is ";" when the first line has semicolons and no commas, else ",".
    An empty file is an ``InputError`` naming the file.
    """
    text = text.removeprefix("\ufeff")
    first = text.split("\n", 1)[0]
    delimiter = ";" if ";" in first and "," not in first else ","
    reader = csv.reader(io.StringIO(text), delimiter=delimiter)
    header: list[str] | None = None
    for cells in reader:
        if any(cell.strip() for cell in cells):
            header = [cell.strip() for cell in cells]
            break
    if header is None:
        raise InputError(
            code="empty_file",
            message_nl="Het bestand is leeg.",
            message_en="The file is empty.",
            location=Location(file=filename),
        )

    def body() -> Iterator[tuple[int, list[str]]]:
        for cells in reader:
            if any(cell.strip() for cell in cells):
                yield reader.line_num, [cell.strip() for cell in cells]

    return header, body()
