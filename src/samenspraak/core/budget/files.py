"""The optimiser's CSV files: candidate proposals, the gap per year, exclusive groups.

- ``proposals.csv``: ``id``, optional ``title``, per budget year ``structural_YYYY`` and
  ``incidental_YYYY`` (euros; savings positive, costs negative; an empty cell is 0), optional
  ``support`` (a share in [0, 1]; "62%" is read as 0.62), ``impact`` (a score >= 0),
  ``people`` (a whole number >= 0) and ``group`` (an exclusive group; empty means none).
- ``gap.csv``: ``year,structural,incidental``, one line per budget year.
- ``groups.csv`` (optional): ``group,id``, one line per proposal in an exclusive group.

Amounts follow ``core.money.parse_euro`` ("1.250.000", "-500.000,50", "1250000.50").
Column names are matched without regard to case and surrounding spaces; a header with
semicolons and no commas (a Dutch spreadsheet export) is read with ``;``. Rows are numbered
as a spreadsheet shows them: the header is row 1.
"""

from __future__ import annotations

import math
import re
from collections.abc import Collection, Sequence
from dataclasses import replace
from decimal import Decimal

from samenspraak.core.budget.model import Gap, Measure, YearAmounts
from samenspraak.core.csvfiles import csv_rows
from samenspraak.core.errors import InputError, Location
from samenspraak.core.money import parse_euro

_YEAR_COLUMN = re.compile(r"^(structural|incidental)_(\d{4})$", re.IGNORECASE)
_NUMBER = re.compile(r"^[+-]?(\d+([.,]\d*)?|[.,]\d+)$")
_WHOLE = re.compile(r"^(\d+|\d{1,3}([. ]\d{3})+)$")
ZERO = Decimal("0.00")


def _find(header: list[str], name: str) -> int | None:
    wanted = name.casefold()
    for index, cell in enumerate(header):
        if cell.casefold() == wanted:
            return index
    return None


def _missing_column(name: str, header: list[str], filename: str) -> InputError:
    return InputError(
        code="missing_column",
        message_nl=f"De kolom '{name}' ontbreekt; gevonden: {', '.join(header)}.",
        message_en=f"The column '{name}' is missing; found: {', '.join(header)}.",
        location=Location(file=filename, row=1, field=name),
    )


def _column(header: list[str], name: str, filename: str) -> int:
    index = _find(header, name)
    if index is None:
        raise _missing_column(name, header, filename)
    return index


def _check_header(header: list[str], filename: str) -> None:
    seen: set[str] = set()
    for name in header:
        if name and name.casefold() in seen:
            raise InputError(
                code="duplicate_column",
                message_nl=f"De kolom '{name}' staat twee keer in de kop.",
                message_en=f"The column '{name}' appears twice in the header.",
                location=Location(file=filename, row=1, field=name),
            )
        seen.add(name.casefold())


def _cell(cells: list[str], index: int | None) -> str:
    return cells[index] if index is not None and index < len(cells) else ""


def _number(text: str, where: Location) -> float:
    """A plain number with a decimal point or a Dutch decimal comma."""
    if not _NUMBER.match(text):
        raise InputError(
            code="not_a_number",
            message_nl=f"'{text}' is geen getal. Schrijf bijvoorbeeld 0,62 of 0.62.",
            message_en=f"'{text}' is not a number. Write for example 0,62 or 0.62.",
            location=where,
        )
    return float(text.replace(",", "."))


def _support(text: str, where: Location) -> float:
    percent = text.endswith("%")
    value = _number(text.removesuffix("%").strip(), where) / (100 if percent else 1)
    if not 0 <= value <= 1:
        raise InputError(
            code="support_out_of_range",
            message_nl=f"Draagvlak '{text}' ligt niet tussen 0 en 1 (of 0% en 100%).",
            message_en=f"Support '{text}' is not between 0 and 1 (or 0% and 100%).",
            location=where,
        )
    return value


def _impact(text: str, where: Location) -> float:
    value = _number(text, where)
    if not math.isfinite(value) or value < 0:
        raise InputError(
            code="impact_negative",
            message_nl=f"Impactscore '{text}' is negatief; een score is 0 of meer.",
            message_en=f"Impact score '{text}' is negative; a score is 0 or more.",
            location=where,
        )
    return value


def _people(text: str, where: Location) -> int:
    if not _WHOLE.match(text):
        raise InputError(
            code="not_a_count",
            message_nl=f"'{text}' is geen aantal mensen. Schrijf een geheel getal, zoals 1200.",
            message_en=f"'{text}' is not a number of people. Write a whole number, like 1200.",
            location=where,
        )
    return int(re.sub(r"[. ]", "", text))


def year_columns(header: Sequence[str], filename: str) -> dict[int, tuple[int, int]]:
    """Year -> (index of ``structural_YYYY``, index of ``incidental_YYYY``); pairs complete."""
    found: dict[int, dict[str, int]] = {}
    for index, name in enumerate(header):
        match = _YEAR_COLUMN.match(name)
        if match:
            found.setdefault(int(match.group(2)), {})[match.group(1).lower()] = index
    pairs: dict[int, tuple[int, int]] = {}
    for year, kinds in sorted(found.items()):
        for kind, other in (("structural", "incidental"), ("incidental", "structural")):
            if kind not in kinds:
                raise InputError(
                    code="missing_year_column",
                    message_nl=f"De kolom '{kind}_{year}' ontbreekt, terwijl "
                    f"'{other}_{year}' er wel is. Elk jaar heeft beide kolommen nodig.",
                    message_en=f"The column '{kind}_{year}' is missing while '{other}_{year}' "
                    "is present. Every year needs both columns.",
                    location=Location(file=filename, row=1, field=f"{kind}_{year}"),
                )
        pairs[year] = (kinds["structural"], kinds["incidental"])
    return pairs


def read_measures_csv(
    text: str, *, filename: str, years: Collection[int] | None = None
) -> list[Measure]:
    """Candidate proposals from ``proposals.csv``; InputError names file, row and column.

    With ``years`` (the years of the gap file), each of them must have its two columns.
    """
    header, body = csv_rows(text, filename)
    _check_header(header, filename)
    id_index = _column(header, "id", filename)
    pairs = year_columns(header, filename)
    for year in sorted(years or ()):
        if year not in pairs:
            raise InputError(
                code="missing_year_columns",
                message_nl=f"Het tekort heeft het jaar {year}, maar de kolommen "
                f"'structural_{year}' en 'incidental_{year}' ontbreken.",
                message_en=f"The gap has the year {year}, but the columns 'structural_{year}' "
                f"and 'incidental_{year}' are missing.",
                location=Location(file=filename, row=1, field=f"structural_{year}"),
            )
    optional = {
        name: _find(header, name) for name in ("title", "support", "impact", "people", "group")
    }
    measures: list[Measure] = []
    seen: dict[str, int] = {}
    for row, cells in body:

        def at(index: int, row: int = row) -> Location:
            return Location(file=filename, row=row, field=header[index])

        measure_id = _cell(cells, id_index)
        if not measure_id:
            raise InputError(
                code="empty_id",
                message_nl="Deze rij heeft geen id.",
                message_en="This row has no id.",
                location=at(id_index),
            )
        if measure_id in seen:
            raise InputError(
                code="duplicate_id",
                message_nl=f"De id '{measure_id}' staat ook op rij {seen[measure_id]}.",
                message_en=f"The id '{measure_id}' also appears on row {seen[measure_id]}.",
                location=at(id_index),
            )
        seen[measure_id] = row
        effects: dict[int, YearAmounts] = {}
        for year, (structural_index, incidental_index) in pairs.items():
            amounts = [
                parse_euro(_cell(cells, index), location=at(index)) if _cell(cells, index) else ZERO
                for index in (structural_index, incidental_index)
            ]
            if any(amounts):
                effects[year] = YearAmounts(structural=amounts[0], incidental=amounts[1])
        scores: dict[str, str] = {
            name: _cell(cells, index) for name, index in optional.items() if index is not None
        }

        def where(name: str, row: int = row) -> Location:
            return Location(file=filename, row=row, field=header[optional[name] or 0])

        support = scores.get("support")
        impact = scores.get("impact")
        people = scores.get("people")
        measures.append(
            Measure(
                id=measure_id,
                title=scores.get("title", ""),
                effects=effects,
                support=_support(support, where("support")) if support else None,
                impact=_impact(impact, where("impact")) if impact else None,
                people=_people(people, where("people")) if people else None,
                group=scores.get("group") or None,
                source=Location(file=filename, row=row),
            )
        )
    return measures


def read_gaps_csv(text: str, *, filename: str) -> list[Gap]:
    """The gap per year from ``gap.csv`` (``year,structural,incidental``)."""
    header, body = csv_rows(text, filename)
    _check_header(header, filename)
    columns = {
        name: _column(header, name, filename) for name in ("year", "structural", "incidental")
    }
    gaps: list[Gap] = []
    seen: dict[int, int] = {}
    for row, cells in body:

        def at(name: str, row: int = row) -> Location:
            return Location(file=filename, row=row, field=header[columns[name]])

        text_year = _cell(cells, columns["year"])
        if not re.fullmatch(r"\d{4}", text_year):
            raise InputError(
                code="not_a_year",
                message_nl=f"'{text_year}' is geen jaartal. Schrijf vier cijfers, zoals 2027.",
                message_en=f"'{text_year}' is not a year. Write four digits, like 2027.",
                location=at("year"),
            )
        year = int(text_year)
        if year in seen:
            raise InputError(
                code="duplicate_year",
                message_nl=f"Het jaar {year} staat ook op rij {seen[year]}.",
                message_en=f"The year {year} also appears on row {seen[year]}.",
                location=at("year"),
            )
        seen[year] = row
        amounts = []
        for name in ("structural", "incidental"):
            cell = _cell(cells, columns[name])
            amounts.append(parse_euro(cell, location=at(name)) if cell else ZERO)
        gaps.append(Gap(year=year, structural=amounts[0], incidental=amounts[1]))
    if not gaps:
        raise InputError(
            code="no_years",
            message_nl="Het bestand bevat geen jaren.",
            message_en="The file contains no years.",
            location=Location(file=filename),
        )
    return gaps


def read_groups_csv(text: str, *, filename: str, measures: Sequence[Measure]) -> list[Measure]:
    """Put measures into exclusive groups from ``groups.csv`` (``group,id``).

    Returns the measures with their ``group`` set. Refused: an id that is not a proposal, and
    a proposal placed in two different groups (here or through the proposals' ``group``).
    """
    header, body = csv_rows(text, filename)
    _check_header(header, filename)
    group_index = _column(header, "group", filename)
    id_index = _column(header, "id", filename)
    by_id = {measure.id: measure for measure in measures}
    groups = {measure.id: measure.group for measure in measures}
    placed_on: dict[str, int] = {}
    for row, cells in body:
        group, measure_id = _cell(cells, group_index), _cell(cells, id_index)
        for index, content in ((group_index, group), (id_index, measure_id)):
            if not content:
                raise InputError(
                    code="empty_cell",
                    message_nl="Deze cel is leeg.",
                    message_en="This cell is empty.",
                    location=Location(file=filename, row=row, field=header[index]),
                )
        if measure_id not in by_id:
            raise InputError(
                code="unknown_proposal",
                message_nl=f"Er is geen voorstel met id '{measure_id}'.",
                message_en=f"There is no proposal with id '{measure_id}'.",
                location=Location(file=filename, row=row, field=header[id_index]),
            )
        current = groups[measure_id]
        if current is not None and current != group:
            where_nl = (
                f"rij {placed_on[measure_id]}" if measure_id in placed_on else "de voorstellen"
            )
            where_en = (
                f"row {placed_on[measure_id]}" if measure_id in placed_on else "the proposals"
            )
            raise InputError(
                code="two_groups",
                message_nl=f"Voorstel '{measure_id}' zit al in groep '{current}' ({where_nl}); "
                "een voorstel kan maar in één groep zitten.",
                message_en=f"Proposal '{measure_id}' is already in group '{current}' ({where_en}); "
                "a proposal can be in one group only.",
                location=Location(file=filename, row=row, field=header[group_index]),
            )
        groups[measure_id] = group
        placed_on.setdefault(measure_id, row)
    return [replace(measure, group=groups[measure.id]) for measure in measures]
