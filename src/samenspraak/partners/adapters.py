"""Rows <-> core value objects for partners and their offering (``samenspraak.core.coverage``).

Also reads offering files (CSV or Excel .xlsx) through the core reader, so both kinds give the
same checks and the same messages naming the row and the field, and writes the template files.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence

import openpyxl
from django.utils import translation

from samenspraak.committees import xlsx
from samenspraak.committees.adapters import SheetLocation, error_message
from samenspraak.core import coverage
from samenspraak.core.csvfiles import csv_rows
from samenspraak.core.errors import InputError
from samenspraak.partners.models import Offering, TargetGroup, Theme

__all__ = [
    "InputError",
    "error_message",
    "group_labels_nl",
    "read_offering_file",
    "services_of",
    "template_csv",
    "template_xlsx",
    "theme_labels_nl",
]

MAX_FILE_BYTES = 5 * 1024 * 1024


def _labels_nl(choices) -> dict[str, str]:
    with translation.override("nl"):
        return {code: str(label) for code, label in choices}


def theme_labels_nl() -> dict[str, str]:
    return _labels_nl(Theme.choices)


def group_labels_nl() -> dict[str, str]:
    return _labels_nl(TargetGroup.choices)


def services_of(offerings: Iterable[Offering]) -> list[coverage.Service]:
    """Offerings (with ``partner`` and ``districts`` prefetched) as core services; partners and
    districts by name."""
    return [
        coverage.Service(
            id=o.pk,
            partner=o.partner.name,
            name=o.name,
            theme=o.theme,
            groups=frozenset(o.target_groups),
            districts=frozenset(d.name for d in o.districts.all()),
            reach=o.reach,
            cost=o.yearly_cost,
            subsidy=o.subsidy,
        )
        for o in offerings
    ]


def read_offering_file(
    data: bytes, *, filename: str, districts: Sequence[str]
) -> list[coverage.OfferingRow]:
    """Read and check a whole offering file (.csv or .xlsx); raise the first ``InputError``."""
    themes, groups = theme_labels_nl(), group_labels_nl()
    if filename.lower().endswith(".xlsx"):
        wanted = [dutch for dutch, required in coverage.COLUMNS.values() if required]
        try:
            sheet = xlsx.read_sheet(data, wanted=wanted)
        except xlsx.SheetProblem as problem:
            raise InputError(
                code=problem.code,
                message_nl=problem.message_nl,
                message_en=problem.message_en,
                location=SheetLocation(
                    file=filename, sheet=problem.sheet, row=problem.row, column=problem.column
                ),
            ) from problem
        header, rows = csv_rows(sheet.text, filename)
        try:
            return coverage.read_offering(
                header, rows, themes=themes, groups=groups, districts=districts, filename=filename
            )
        except InputError as exc:
            where = exc.location
            raise InputError(
                code=exc.code,
                message_nl=exc.message_nl,
                message_en=exc.message_en,
                location=SheetLocation(
                    file=filename,
                    sheet=sheet.name,
                    row=where.row,
                    field=where.field,
                    column=sheet.column_of(where.field) if where.row is not None else None,
                ),
            ) from exc
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        try:
            text = data.decode("cp1252")
        except UnicodeDecodeError:
            raise InputError(
                code="not_text",
                message_nl="Dit bestand is geen CSV-tekst. Sla het op als CSV (UTF-8) of .xlsx.",
                message_en="This file is not CSV text. Save it as CSV (UTF-8) or .xlsx.",
            ) from None
    header, rows = csv_rows(text, filename)
    return coverage.read_offering(
        header, rows, themes=themes, groups=groups, districts=districts, filename=filename
    )


def _template_rows(districts: Sequence[str]) -> list[list[str]]:
    themes, groups = theme_labels_nl(), group_labels_nl()
    header = [dutch for dutch, _required in coverage.COLUMNS.values()]
    first = districts[0] if districts else "Centrum"
    example = [
        "Koffieochtend in de wijk",
        themes[Theme.PARTICIPATION],
        f"{groups[TargetGroup.ELDERLY]}; {groups[TargetGroup.INFORMAL_CARERS]}",
        first,
        "120",
        "30",
        "12500,00",
        "10000,00",
        "Minder eenzaamheid bij ouderen",
    ]
    return [header, example]


def template_csv(districts: Sequence[str]) -> str:
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";", lineterminator="\r\n")
    writer.writerows(_template_rows(districts))
    return "\ufeff" + out.getvalue()


def template_xlsx(districts: Sequence[str]) -> bytes:
    """The template as a workbook: the offering sheet, and a sheet listing the allowed values."""
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.title = "Aanbod"
    for row in _template_rows(districts):
        sheet.append(row)
    values = workbook.create_sheet("Keuzes")
    values.append(["Thema's", "Doelgroepen", "Wijken"])
    themes, groups = list(theme_labels_nl().values()), list(group_labels_nl().values())
    for i in range(max(len(themes), len(groups), len(districts))):
        values.append(
            [
                themes[i] if i < len(themes) else None,
                groups[i] if i < len(groups) else None,
                districts[i] if i < len(districts) else None,
            ]
        )
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()
