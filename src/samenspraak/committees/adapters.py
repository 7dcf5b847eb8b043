"""Rows <-> core value objects for committees (the only place that translates between them).

A draw goes through the same files the command line reads: the pool and the quotas are
written as Sortition Foundation CSV text, read back with ``core.sortition``'s readers and
then drawn. What the web draws is therefore exactly what ``samenspraak select`` reproduces
from the stored files and seed.
"""

from __future__ import annotations

import csv
import dataclasses
import functools
import io
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from django.utils.translation import get_language

from samenspraak.committees import xlsx
from samenspraak.core import assignment as core_assignment
from samenspraak.core import sortition as core_sortition
from samenspraak.core.errors import InputError, Location

__all__ = [
    "HOUSEHOLD_COLUMN",
    "ID_COLUMN",
    "InfeasibleQuotas",
    "InputError",
    "PoolRow",
    "QuotaBound",
    "assign_facilitators",
    "categories_csv",
    "department_of",
    "distribution_json",
    "draw",
    "error_message",
    "file_bytes",
    "people_csv",
    "read_pool",
    "read_pool_xlsx",
]

ID_COLUMN = "id"
HOUSEHOLD_COLUMN = "huishouden"
ALGORITHMS = ("leximin", "legacy")

InfeasibleQuotas = core_sortition.InfeasibleQuotas


def error_message(exc: InputError) -> str:
    """A core error in the active language, with where it was found (file, line, column)."""
    english = (get_language() or "nl")[:2] == "en"
    where = exc.location.describe_en() if english else exc.location.describe_nl()
    text = exc.message_en if english else exc.message_nl
    return f"{where[:1].upper()}{where[1:]}: {text}" if where else text


# --- quotas --------------------------------------------------------------------------------


@dataclass(frozen=True)
class QuotaBound:
    """A quota as plain values: the web's rows and the core's ``Quota`` both map onto it."""

    feature: str
    value: str
    minimum: int
    maximum: int


def _core_quotas(quotas: Iterable[QuotaBound]) -> list[core_sortition.Quota]:
    return [core_sortition.Quota(q.feature, q.value, q.minimum, q.maximum) for q in quotas]


def quota_bound(quota: core_sortition.Quota) -> QuotaBound:
    return QuotaBound(quota.feature, quota.value, quota.min, quota.max)


def categories_csv(quotas: Iterable[QuotaBound]) -> str:
    """The quotas as a Sortition Foundation features file: ``feature,value,min,max``."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["feature", "value", "min", "max"])
    for q in quotas:
        writer.writerow([q.feature, q.value, q.minimum, q.maximum])
    return out.getvalue()


def people_csv(
    people: Sequence[tuple[str, Mapping[str, str], str]], features: Sequence[str]
) -> tuple[str, str]:
    """The pool as a Sortition Foundation people file; returns (text, household column).

    ``people`` are (id, answers, household key). Ids are the application ids, so the file
    names nobody. Household keys (often an address) are replaced by codes h1, h2, ... in
    order of first appearance: the file says who shares a household, not where they live.
    The household column is only written when someone gave a household.
    """
    with_households = any(household for _id, _answers, household in people)
    codes: dict[str, str] = {}
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    header = [ID_COLUMN, *features]
    if with_households:
        header.append(HOUSEHOLD_COLUMN)
    writer.writerow(header)
    for person_id, answers, household in people:
        row = [person_id, *(answers.get(f, "") for f in features)]
        if with_households:
            key = household.strip().lower()
            # An empty cell: nobody else shares this person's household.
            code = codes.setdefault(key, f"h{len(codes) + 1}") if key else ""
            row.append(code)
        writer.writerow(row)
    return out.getvalue(), (HOUSEHOLD_COLUMN if with_households else "")


# --- importing a pool ------------------------------------------------------------------------

_NAME_COLUMNS = ("naam", "name", "full_name", "volledige naam")
_FIRST_NAME_COLUMNS = ("voornaam", "first_name", "firstname")
_LAST_NAME_COLUMNS = ("achternaam", "last_name", "lastname", "surname")
_EMAIL_COLUMNS = ("email", "e-mail", "e-mailadres", "emailadres")
_PHONE_COLUMNS = ("telefoon", "phone", "mobile_number", "telefoonnummer")
_HOUSEHOLD_COLUMNS = (HOUSEHOLD_COLUMN, "household", "huishoudcode", "adres", "address")


@dataclass(frozen=True)
class PoolRow:
    line: int  # the line of the CSV file, or the row of the sheet
    reference: str
    full_name: str
    email: str
    phone: str
    answers: dict[str, str]
    household_key: str
    sheet: str = ""  # the worksheet, for a pool read from an .xlsx workbook


def _find(header: Sequence[str], names: Sequence[str]) -> int | None:
    lowered = [h.strip().lower() for h in header]
    return next((lowered.index(n) for n in names if n in lowered), None)


def _table(text: str) -> tuple[list[str], list[tuple[int, list[str]]]]:
    """Header and non-empty lines with their line numbers, split the way the core reads them
    (a header with semicolons and no commas is a Dutch spreadsheet export)."""
    first = text.split("\n", 1)[0]
    delimiter = ";" if ";" in first and "," not in first else ","
    reader = csv.reader(io.StringIO(text), delimiter=delimiter)
    rows = [
        (reader.line_num, [cell.strip() for cell in cells])
        for cells in reader
        if any(cell.strip() for cell in cells)
    ]
    return (rows[0][1], rows[1:]) if rows else ([], [])


def read_pool(text: str, *, features: Mapping[str, Sequence[str]], filename: str) -> list[PoolRow]:
    """Read a Sortition Foundation people file (id column + one column per feature).

    The core reader checks the file (columns, ids, values against the quotas); every error
    names the file, the line and the column. Optional columns are picked up by their usual
    names: name (or first and last name), e-mail, phone and household.
    """
    text = text.lstrip("\ufeff")
    header, lines = _table(text)
    if not header:
        raise InputError(
            code="empty_file",
            message_nl="Het bestand is leeg.",
            message_en="The file is empty.",
            location=Location(file=filename),
        )
    id_index = _find(header, (ID_COLUMN, "nationbuilder_id", "person_id"))
    household_index = _find(header, _HOUSEHOLD_COLUMNS)
    # The quotas are passed only for their values: each answer must be one of them.
    allowed = [core_sortition.Quota(f, v, 0, 0) for f, values in features.items() for v in values]
    people = core_sortition.read_people_csv(
        text,
        features=list(features),
        id_column=header[id_index] if id_index is not None else None,
        household_column=header[household_index] if household_index is not None else None,
        filename=filename,
        quotas=allowed,
    )
    columns = {
        key: _find(header, names)
        for key, names in (
            ("name", _NAME_COLUMNS),
            ("first", _FIRST_NAME_COLUMNS),
            ("last", _LAST_NAME_COLUMNS),
            ("email", _EMAIL_COLUMNS),
            ("phone", _PHONE_COLUMNS),
        )
    }

    def cell(cells: list[str], key: str) -> str:
        index = columns[key]
        return cells[index] if index is not None and index < len(cells) else ""

    rows = []
    for person, (line, cells) in zip(people, lines, strict=True):
        name = cell(cells, "name") or f"{cell(cells, 'first')} {cell(cells, 'last')}".strip()
        rows.append(
            PoolRow(
                line=line,
                reference=person.id,
                full_name=name[:150],
                email=cell(cells, "email"),
                phone=cell(cells, "phone")[:30],
                answers={f: person.features[f] for f in features},
                household_key=(person.household or "")[:120],
            )
        )
    return rows


@dataclass(frozen=True)
class SheetLocation(Location):
    """Where in a workbook: the file, the sheet, the row and the column (letter and name)."""

    sheet: str | None = None
    column: str | None = None

    def _column_nl(self) -> list[str]:
        if self.column:
            return [f"kolom {self.column}" + (f" ('{self.field}')" if self.field else "")]
        return [f"kolom '{self.field}'"] if self.field else []

    def _column_en(self) -> list[str]:
        if self.column:
            return [f"column {self.column}" + (f" ('{self.field}')" if self.field else "")]
        return [f"column '{self.field}'"] if self.field else []

    def describe_nl(self) -> str:
        parts = [f"bestand {self.file}"] if self.file else []
        parts += [f"blad '{self.sheet}'"] if self.sheet else []
        parts += [f"rij {self.row}"] if self.row is not None else []
        return ", ".join(parts + self._column_nl())

    def describe_en(self) -> str:
        parts = [f"file {self.file}"] if self.file else []
        parts += [f"sheet '{self.sheet}'"] if self.sheet else []
        parts += [f"row {self.row}"] if self.row is not None else []
        return ", ".join(parts + self._column_en())


def _on_sheet(exc: InputError, sheet: xlsx.Sheet, filename: str) -> InputError:
    """A CSV reader's error (line n of the sheet's CSV text) as one about the workbook."""
    where = exc.location
    row = sheet.header_row if exc.code == "missing_column" else where.line
    message_nl, message_en = exc.message_nl, exc.message_en
    if exc.code == "duplicate_id":  # "also appears on line 3": in a sheet that is a row
        message_nl = message_nl.replace(" op regel ", " in rij ")
        message_en = message_en.replace(" on line ", " in row ")
    return InputError(
        code=exc.code,
        message_nl=message_nl,
        message_en=message_en,
        location=SheetLocation(
            file=filename,
            sheet=sheet.name,
            row=row,
            field=where.field,
            column=None if exc.code == "missing_column" else sheet.column_of(where.field),
        ),
    )


def read_pool_xlsx(
    data: bytes, *, features: Mapping[str, Sequence[str]], filename: str
) -> list[PoolRow]:
    """Read a pool from an Excel workbook: the same columns and checks as ``read_pool``.

    The sheet is read as CSV text (``xlsx.read_sheet``: which sheet, formulas, numbers and
    empty rows are explained there) and checked by ``read_pool``; every error names the
    file, the sheet, the row and the column.
    """
    try:
        sheet = xlsx.read_sheet(data, wanted=list(features))
    except xlsx.SheetProblem as problem:
        raise InputError(
            code=problem.code,
            message_nl=problem.message_nl,
            message_en=problem.message_en,
            location=SheetLocation(
                file=filename, sheet=problem.sheet, row=problem.row, column=problem.column
            ),
        ) from problem
    try:
        rows = read_pool(sheet.text, features=features, filename=filename)
    except InputError as exc:
        raise _on_sheet(exc, sheet, filename) from exc
    return [dataclasses.replace(row, sheet=sheet.name) for row in rows]


# --- drawing -------------------------------------------------------------------------------


@dataclass(frozen=True)
class DrawResult:
    algorithm: str
    seed: int
    panel_size: int
    selected: tuple[str, ...]
    probabilities: tuple[tuple[str, float], ...]
    min_probability: float
    # The lottery the panel was drawn from: (sorted ids, probability), in canonical order.
    panels: tuple[tuple[tuple[str, ...], float], ...] = ()


# A draw is a pure function of its files, size, seed and algorithm, so a repeated draw of
# the same input (the demo, loaded again by every test that needs it) is served from memory.
@functools.lru_cache(maxsize=32)
def draw(
    *,
    people_file: str,
    categories_file: str,
    household_column: str,
    panel_size: int,
    seed: int,
    algorithm: str = "leximin",
) -> DrawResult:
    """Read the two files like the command line does and draw one panel with ``seed``.

    Raises ``InfeasibleQuotas`` (with ``conflicts`` and ``relaxation``) or ``InputError``.
    """
    quotas = core_sortition.read_categories_csv(categories_file, filename="categories.csv")
    features = list(dict.fromkeys(q.feature for q in quotas))
    people = core_sortition.read_people_csv(
        people_file,
        features=features,
        id_column=ID_COLUMN,
        household_column=household_column or None,
        filename="people.csv",
    )
    selection = core_sortition.select(people, quotas, panel_size, seed=seed, algorithm=algorithm)
    return DrawResult(
        algorithm=selection.algorithm,
        seed=selection.seed,
        panel_size=selection.panel_size,
        selected=tuple(selection.selected),
        probabilities=tuple((pid, float(p)) for pid, p in selection.probabilities.items()),
        min_probability=float(selection.min_probability),
        panels=tuple((tuple(ids), float(p)) for ids, p in selection.panels),
    )


def file_bytes(text: str) -> bytes:
    """The exact bytes of a draw's pool or quota file as it is downloaded (UTF-8, no byte
    order mark, lines as stored). The distribution file records the SHA-256 of these bytes,
    so the download views must serve exactly this."""
    return text.encode("utf-8")


def distribution_json(result: DrawResult, *, people_file: str, categories_file: str) -> str:
    """The published distribution file of a draw (``core.sortition.dump_distribution``):
    its panels and everyone's probability, with the SHA-256 of the two files as downloaded
    (``file_bytes``). ``samenspraak select --distribution`` redraws from it without a solver.
    """
    selection = core_sortition.Selection(
        algorithm=result.algorithm,
        seed=result.seed,
        panel_size=result.panel_size,
        selected=result.selected,
        probabilities=dict(result.probabilities),
        min_probability=result.min_probability,
        panels=result.panels,
    )
    return core_sortition.dump_distribution(
        selection,
        panel_size=result.panel_size,
        algorithm=result.algorithm,
        people_sha256=core_sortition.sha256_hex(file_bytes(people_file)),
        categories_sha256=core_sortition.sha256_hex(file_bytes(categories_file)),
    )


def conflicts_of(exc: core_sortition.InfeasibleQuotas) -> list[QuotaBound]:
    return [quota_bound(q) for q in exc.conflicts]


def relaxation_of(exc: core_sortition.InfeasibleQuotas) -> list[tuple[QuotaBound, int, int]]:
    return [(quota_bound(q), low, high) for q, low, high in exc.relaxation]


# --- facilitators ----------------------------------------------------------------------------

_DEPARTMENT_PREFIX = re.compile(r"^.*\bafdeling\s+", re.IGNORECASE)


def department_of(organisation: str) -> str:
    """The department in an organisation text: "Gemeente Zeist, afdeling Wonen" -> "Wonen".

    Staff write their organisation in full; themes name only the department that owns them.
    """
    return _DEPARTMENT_PREFIX.sub("", organisation or "").strip()


@dataclass(frozen=True)
class AssignedPair:
    committee_id: int
    facilitator_id: int
    explanation_nl: str
    explanation_en: str
    is_override: bool

    @property
    def explanation(self) -> str:
        english = (get_language() or "nl")[:2] == "en"
        return self.explanation_en if english else self.explanation_nl


@dataclass(frozen=True)
class AssignmentResult:
    pairs: list[AssignedPair]
    max_load: int


def assign_facilitators(
    *,
    committees: Sequence[Any],
    facilitators: Sequence[Any],
    fixed: Mapping[int, Sequence[int]],
) -> AssignmentResult:
    """Committees (rows with theme) and facilitator users to ``core.assign_facilitators``.

    No one has a fixed maximum: capacity is the number of committees, so the core's
    objective (the smallest maximum load) is what spreads the work.
    """
    needs = [
        core_assignment.CommitteeNeed(
            id=str(c.pk),
            name=c.name,
            owning_department=department_of(c.theme.owning_department if c.theme else ""),
            facilitators_needed=c.facilitators_needed,
        )
        for c in committees
    ]
    people = [
        core_assignment.Facilitator(
            id=str(u.pk),
            name=u.full_name or u.email,
            department=department_of(u.organisation),
            capacity=max(len(committees), 1),
        )
        for u in facilitators
    ]
    result = core_assignment.assign_facilitators(
        needs,
        people,
        fixed={str(c): [str(f) for f in fs] for c, fs in fixed.items() if fs},
    )
    pairs = [
        AssignedPair(
            committee_id=int(e.committee_id),
            facilitator_id=int(e.facilitator_id),
            explanation_nl=e.message_nl,
            explanation_en=e.message_en,
            is_override=e.is_override,
        )
        for e in result.explanations
    ]
    return AssignmentResult(pairs=pairs, max_load=result.max_load)
