"""The scoring CSV files: criteria, quality scores and prices.

- ``criteria.csv``: ``criterion,weight,type``; ``type`` is ``quality`` or ``price`` (Dutch
  ``kwaliteit`` and ``prijs`` are read too); the weights add up to 100 and may have decimals
  (``12,5`` or ``12.5``).
- ``scores.csv``: ``bid,scorer,criterion,score``, one line per scorer, bid and quality
  criterion; a score from 0 to 10 with a decimal comma or point (``7,5``).
- ``prices.csv``: ``bid,price``, one line per bid; amounts as ``core.money.parse_euro``
  reads them (``€ 120.000``, ``99999,50``).

Column names are matched without regard to case; a header with semicolons and no commas (a
Dutch spreadsheet export) is read with ``;``. Errors name the file, the line (as a text
editor counts them: the header is line 1) and the column.
"""

from __future__ import annotations

import re
from decimal import Decimal

from samenspraak.core.csvfiles import csv_rows
from samenspraak.core.errors import InputError, Location
from samenspraak.core.money import parse_euro
from samenspraak.core.scoring.method import check_criteria
from samenspraak.core.scoring.model import BidPrice, Criterion, CriterionType, QualityScore

_NUMBER = re.compile(r"^[+-]?(\d+([.,]\d*)?|[.,]\d+)$")
_TYPES = {
    "quality": CriterionType.QUALITY,
    "kwaliteit": CriterionType.QUALITY,
    "price": CriterionType.PRICE,
    "prijs": CriterionType.PRICE,
}


def _columns(header: list[str], names: tuple[str, ...], filename: str) -> dict[str, int]:
    found: dict[str, int] = {}
    for index, cell in enumerate(header):
        key = cell.casefold()
        if key in found:
            raise InputError(
                code="duplicate_column",
                message_nl=f"De kolom '{cell}' staat twee keer in de kop.",
                message_en=f"The column '{cell}' appears twice in the header.",
                location=Location(file=filename, line=1, field=cell),
            )
        if key:
            found[key] = index
    for name in names:
        if name not in found:
            raise InputError(
                code="missing_column",
                message_nl=f"De kolom '{name}' ontbreekt; gevonden: {', '.join(header)}.",
                message_en=f"The column '{name}' is missing; found: {', '.join(header)}.",
                location=Location(file=filename, line=1, field=name),
            )
    return {name: found[name] for name in names}


def _check_width(cells: list[str], header: list[str], filename: str, line: int) -> None:
    """Refuse a line with more filled cells than the header has columns.

    In a comma-separated file an unquoted decimal comma ("7,5") splits a number in two; reading
    the first half would silently turn 7,5 into 7.
    """
    if any(cells[len(header) :]):
        raise InputError(
            code="too_many_cells",
            message_nl=f"Deze regel heeft {len(cells)} cellen, de kop {len(header)}. Staat er "
            'een komma in een getal? Zet het getal tussen aanhalingstekens ("7,5") of '
            "schrijf een punt (7.5).",
            message_en=f"This line has {len(cells)} cells, the header {len(header)}. Is there a "
            'comma in a number? Put the number in quotes ("7,5") or write a point (7.5).',
            location=Location(file=filename, line=line),
        )


def _cells(cells: list[str], columns: dict[str, int], filename: str, line: int) -> dict[str, str]:
    values: dict[str, str] = {}
    for name, index in columns.items():
        value = cells[index] if index < len(cells) else ""
        if not value:
            raise InputError(
                code="empty_cell",
                message_nl=f"De cel '{name}' is leeg.",
                message_en=f"The cell '{name}' is empty.",
                location=Location(file=filename, line=line, field=name),
            )
        values[name] = value
    return values


def _number(text: str, where: Location, example_nl: str, example_en: str) -> Decimal:
    if not _NUMBER.match(text):
        raise InputError(
            code="not_a_number",
            message_nl=f"'{text}' is geen getal. Schrijf bijvoorbeeld {example_nl}.",
            message_en=f"'{text}' is not a number. Write for example {example_en}.",
            location=where,
        )
    return Decimal(text.replace(",", "."))


def read_criteria_csv(text: str, *, filename: str) -> list[Criterion]:
    """Criteria from ``criteria.csv``; the weights must add up to 100 (checked here too)."""
    header, body = csv_rows(text, filename)
    columns = _columns(header, ("criterion", "weight", "type"), filename)
    criteria: list[Criterion] = []
    for line, cells in body:
        _check_width(cells, header, filename, line)
        values = _cells(cells, columns, filename, line)
        weight = _number(
            values["weight"], Location(file=filename, line=line, field="weight"), "40", "40"
        )
        kind = _TYPES.get(values["type"].casefold())
        if kind is None:
            raise InputError(
                code="unknown_type",
                message_nl=f"Type '{values['type']}' bestaat niet. Schrijf 'quality' "
                "(kwaliteit) of 'price' (prijs).",
                message_en=f"Type '{values['type']}' does not exist. Write 'quality' or 'price'.",
                location=Location(file=filename, line=line, field="type"),
            )
        criteria.append(
            Criterion(
                name=values["criterion"],
                weight=weight,
                type=kind,
                source=Location(file=filename, line=line),
            )
        )
    if not criteria:
        raise InputError(
            code="no_criteria",
            message_nl="Het bestand bevat geen criteria.",
            message_en="The file contains no criteria.",
            location=Location(file=filename),
        )
    check_criteria(criteria)
    return criteria


def read_scores_csv(text: str, *, filename: str) -> list[QualityScore]:
    """Quality scores from ``scores.csv``; each a number from 0 to 10.

    Whether bids and criteria exist, and duplicates, are checked by ``score_tender``, which
    knows the criteria and prices (its errors still name this file and the line).
    """
    header, body = csv_rows(text, filename)
    columns = _columns(header, ("bid", "scorer", "criterion", "score"), filename)
    scores: list[QualityScore] = []
    for line, cells in body:
        _check_width(cells, header, filename, line)
        values = _cells(cells, columns, filename, line)
        where = Location(file=filename, line=line, field="score")
        score = _number(values["score"], where, "7 of 7,5", "7 or 7.5")
        if not 0 <= score <= 10:
            raise InputError(
                code="score_out_of_range",
                message_nl=f"De score {values['score']} ligt niet tussen 0 en 10.",
                message_en=f"The score {values['score']} is not between 0 and 10.",
                location=where,
            )
        scores.append(
            QualityScore(
                bid=values["bid"],
                scorer=values["scorer"],
                criterion=values["criterion"],
                score=score,
                source=Location(file=filename, line=line),
            )
        )
    return scores


def read_prices_csv(text: str, *, filename: str) -> list[BidPrice]:
    """Prices from ``prices.csv``: one per bid, in euros, more than 0."""
    header, body = csv_rows(text, filename)
    columns = _columns(header, ("bid", "price"), filename)
    prices: list[BidPrice] = []
    seen: dict[str, int] = {}
    for line, cells in body:
        _check_width(cells, header, filename, line)
        bid = cells[columns["bid"]] if columns["bid"] < len(cells) else ""
        if not bid:
            raise InputError(
                code="empty_cell",
                message_nl="De cel 'bid' is leeg.",
                message_en="The cell 'bid' is empty.",
                location=Location(file=filename, line=line, field="bid"),
            )
        if bid in seen:
            raise InputError(
                code="duplicate_price",
                message_nl=f"Inschrijving '{bid}' heeft al een prijs (regel {seen[bid]}).",
                message_en=f"Bid '{bid}' already has a price (line {seen[bid]}).",
                location=Location(file=filename, line=line, field="bid"),
            )
        seen[bid] = line
        where = Location(file=filename, line=line, field="price")
        text_price = cells[columns["price"]] if columns["price"] < len(cells) else ""
        if not text_price:
            raise InputError(
                code="price_missing",
                message_nl=f"Inschrijving '{bid}' heeft geen prijs.",
                message_en=f"Bid '{bid}' has no price.",
                location=where,
            )
        price = parse_euro(text_price, location=where)
        if price <= 0:
            raise InputError(
                code="price_not_positive",
                message_nl=f"De prijs van inschrijving '{bid}' is {text_price}. "
                "Een prijs is meer dan 0.",
                message_en=f"The price of bid '{bid}' is {text_price}. A price is more than 0.",
                location=where,
            )
        prices.append(BidPrice(bid=bid, price=price, source=Location(file=filename, line=line)))
    return prices
