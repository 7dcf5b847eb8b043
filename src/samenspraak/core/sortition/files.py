"""The Sortition Foundation's file formats: a categories (features) file and a people file.

Categories: a header ``feature,value,min,max`` with optional ``min_flex,max_flex`` (the older
stratification app's ``category,name`` is read too), one quota per line. People: an id column
and one column per feature; other columns are ignored. Column names are matched without regard
to case and surrounding spaces; a file whose header has semicolons and no commas (a Dutch
spreadsheet export) is read with ``;`` as separator.
"""

from __future__ import annotations

from collections.abc import Sequence

from samenspraak.core.csvfiles import csv_rows
from samenspraak.core.errors import InputError, Location
from samenspraak.core.sortition.model import Person, Quota

_ALIASES = {"category": "feature", "name": "value"}


def _column(header: list[str], name: str, filename: str) -> int:
    wanted = name.strip().casefold()
    for index, cell in enumerate(header):
        if cell.casefold() == wanted:
            return index
    raise InputError(
        code="missing_column",
        message_nl=f"De kolom '{name}' ontbreekt; gevonden: {', '.join(header)}.",
        message_en=f"The column '{name}' is missing; found: {', '.join(header)}.",
        location=Location(file=filename, line=1, field=name),
    )


def _cell(cells: list[str], index: int) -> str:
    return cells[index] if index < len(cells) else ""


def _integer(text: str, where: Location) -> int:
    try:
        value = int(text)
    except ValueError:
        raise InputError(
            code="not_an_integer",
            message_nl=f"'{text}' is geen geheel getal.",
            message_en=f"'{text}' is not a whole number.",
            location=where,
        ) from None
    if value < 0:
        raise InputError(
            code="negative",
            message_nl=f"{value} is negatief; een aantal zetels is 0 of meer.",
            message_en=f"{value} is negative; a number of seats is 0 or more.",
            location=where,
        )
    return value


def read_categories_csv(text: str, *, filename: str = "categories.csv") -> list[Quota]:
    """Quotas from a Sortition Foundation categories file; InputError names file, line, column."""
    header, body = csv_rows(text, filename)
    header = [_ALIASES.get(cell.casefold(), cell) for cell in header]
    columns = {name: _column(header, name, filename) for name in ("feature", "value", "min", "max")}
    flex = {
        name: _column(header, name, filename)
        for name in ("min_flex", "max_flex")
        if any(cell.casefold() == name for cell in header)
    }
    quotas: list[Quota] = []
    seen: dict[tuple[str, str], int] = {}
    for line, cells in body:

        def at(field: str, line: int = line) -> Location:
            return Location(file=filename, line=line, field=field)

        feature, value = _cell(cells, columns["feature"]), _cell(cells, columns["value"])
        for field, content in (("feature", feature), ("value", value)):
            if not content:
                raise InputError(
                    code="empty_cell",
                    message_nl="Deze cel is leeg.",
                    message_en="This cell is empty.",
                    location=at(field),
                )
        low = _integer(_cell(cells, columns["min"]), at("min"))
        high = _integer(_cell(cells, columns["max"]), at("max"))
        if low > high:
            raise InputError(
                code="min_above_max",
                message_nl=f"min ({low}) is groter dan max ({high}).",
                message_en=f"min ({low}) is larger than max ({high}).",
                location=at("min"),
            )
        bounds: dict[str, int | None] = {"min_flex": None, "max_flex": None}
        for name, index in flex.items():
            if _cell(cells, index):
                bounds[name] = _integer(_cell(cells, index), at(name))
        if bounds["min_flex"] is not None and bounds["min_flex"] > low:
            raise InputError(
                code="min_flex_above_min",
                message_nl=f"min_flex ({bounds['min_flex']}) is groter dan min ({low}).",
                message_en=f"min_flex ({bounds['min_flex']}) is larger than min ({low}).",
                location=at("min_flex"),
            )
        if bounds["max_flex"] is not None and bounds["max_flex"] < high:
            raise InputError(
                code="max_flex_below_max",
                message_nl=f"max_flex ({bounds['max_flex']}) is kleiner dan max ({high}).",
                message_en=f"max_flex ({bounds['max_flex']}) is smaller than max ({high}).",
                location=at("max_flex"),
            )
        key = (feature, value)
        if key in seen:
            raise InputError(
                code="duplicate_quota",
                message_nl=f"{feature}={value} staat ook op regel {seen[key]}.",
                message_en=f"{feature}={value} also appears on line {seen[key]}.",
                location=at("value"),
            )
        seen[key] = line
        quotas.append(Quota(feature, value, low, high, bounds["min_flex"], bounds["max_flex"]))
    if not quotas:
        raise InputError(
            code="no_quotas",
            message_nl="Het bestand bevat geen quota.",
            message_en="The file contains no quotas.",
            location=Location(file=filename),
        )
    return quotas


def read_people_csv(
    text: str,
    *,
    features: Sequence[str],
    id_column: str | None = None,
    household_column: str | None = None,
    filename: str = "people.csv",
    quotas: Sequence[Quota] = (),
) -> list[Person]:
    """People from a Sortition Foundation people file.

    The id is in ``id_column`` (default: the first column); each name in ``features`` must be
    a column. With ``quotas``, every value must be one of the quota values of its feature.
    Duplicate ids are refused. InputError names file, line and column.
    """
    header, body = csv_rows(text, filename)
    id_index = _column(header, id_column, filename) if id_column else 0
    id_name = header[id_index]
    feature_index = {feature: _column(header, feature, filename) for feature in features}
    household_index = _column(header, household_column, filename) if household_column else None
    allowed: dict[str, set[str]] = {}
    for quota in quotas:
        allowed.setdefault(quota.feature, set()).add(quota.value)
    people: list[Person] = []
    seen: dict[str, int] = {}
    for line, cells in body:
        person_id = _cell(cells, id_index)
        if not person_id:
            raise InputError(
                code="empty_id",
                message_nl="Deze regel heeft geen id.",
                message_en="This line has no id.",
                location=Location(file=filename, line=line, field=id_name),
            )
        if person_id in seen:
            raise InputError(
                code="duplicate_id",
                message_nl=f"De id '{person_id}' staat ook op regel {seen[person_id]}.",
                message_en=f"The id '{person_id}' also appears on line {seen[person_id]}.",
                location=Location(file=filename, line=line, field=id_name),
            )
        seen[person_id] = line
        values: dict[str, str] = {}
        for feature, index in feature_index.items():
            value = _cell(cells, index)
            if feature in allowed and value not in allowed[feature]:
                shown = ", ".join(sorted(allowed[feature]))
                raise InputError(
                    code="unknown_value",
                    message_nl=f"'{value}' is geen waarde van {feature}; toegestaan: {shown}.",
                    message_en=f"'{value}' is not a value of {feature}; allowed: {shown}.",
                    location=Location(file=filename, line=line, field=header[index]),
                )
            values[feature] = value
        household = _cell(cells, household_index) if household_index is not None else ""
        people.append(Person(person_id, values, household or None))
    return people
