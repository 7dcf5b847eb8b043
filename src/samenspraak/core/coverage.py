"""The offering of social partners in view: coverage, gaps, overlaps, cost per person, network.

Pure Python over plain values. A *service* (an activity or a product a partner offers) has one
theme, one or more target groups and one or more districts, a reach (people per year) and a
yearly cost. See docs/methods/offering-coverage.md for the definitions, in short:

- **Coverage cell**: the services whose axes include both the row value and the column value
  (e.g. target group x district), after filtering on the third axis (e.g. one theme). A cell
  shows the number of services and the sum of their reach. A service counts in every cell it
  touches with its full reach (partners report reach per service, not per district), so the
  cells of a row do not add up to the row's total: totals count each service once.
- **Gap**, for a theme (or for all themes): a target group with no service anywhere, a district
  with no service for any group, and a pair (target group, district) with no service although
  the group and the district each have some.
- **Overlap**: two or more *different partners* offering services with the same theme, for the
  same target group, in the same district. Reported per (theme, target group, district).
- **Cost per person reached**: yearly cost / reach per service (none when the reach is 0); per
  theme the total cost of its services with a reach divided by their total reach.
- **Network**: two partners are linked when a service of one and a service of the other share
  a target group and a district; the link's weight is the number of such shared
  (target group, district) pairs. The layout is a circle in a fixed order, so it is the same
  every time.

The offering file reader (``read_offering``) checks every row before anything is returned:
the first bad row raises ``InputError`` naming the row (the line of the file) and the field.
"""

from __future__ import annotations

import math
import re
from collections import defaultdict
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from samenspraak.core.errors import InputError, Location
from samenspraak.core.money import parse_euro

CENT = Decimal("0.01")
AXES = ("theme", "group", "district")

__all__ = [
    "AXES",
    "Cell",
    "CostLine",
    "Gaps",
    "Link",
    "Matrix",
    "Network",
    "OfferingRow",
    "Overlap",
    "Service",
    "ThemeCost",
    "cost_per_service",
    "cost_per_theme",
    "coverage_matrix",
    "find_gaps",
    "find_overlaps",
    "partner_network",
    "read_offering",
]


@dataclass(frozen=True)
class Service:
    id: int
    partner: str
    name: str
    theme: str
    groups: frozenset[str]
    districts: frozenset[str]
    reach: int = 0
    cost: Decimal = Decimal(0)
    subsidy: Decimal = Decimal(0)

    def values(self, axis: str) -> frozenset[str]:
        if axis == "theme":
            return frozenset({self.theme})
        if axis == "group":
            return self.groups
        if axis == "district":
            return self.districts
        raise ValueError(f"unknown axis {axis!r}")


def _check_axes(rows: str, columns: str) -> str:
    if rows not in AXES or columns not in AXES or rows == columns:
        raise ValueError(f"rows and columns must be two different axes of {AXES}")
    return next(a for a in AXES if a not in (rows, columns))


# --- coverage ----------------------------------------------------------------------------


@dataclass(frozen=True)
class Cell:
    services: int
    reach: int
    partners: int


@dataclass(frozen=True)
class Matrix:
    rows_axis: str
    columns_axis: str
    rows: tuple[str, ...]
    columns: tuple[str, ...]
    cells: Mapping[tuple[str, str], Cell]
    row_totals: Mapping[str, Cell]
    column_totals: Mapping[str, Cell]
    total: Cell

    def cell(self, row: str, column: str) -> Cell:
        return self.cells.get((row, column), Cell(0, 0, 0))


def _cell(services: Iterable[Service]) -> Cell:
    chosen = {s.id: s for s in services}
    return Cell(
        services=len(chosen),
        reach=sum(s.reach for s in chosen.values()),
        partners=len({s.partner for s in chosen.values()}),
    )


def coverage_matrix(
    services: Iterable[Service],
    *,
    rows: str,
    columns: str,
    row_values: Sequence[str],
    column_values: Sequence[str],
    only: str | None = None,
) -> Matrix:
    """The matrix of ``rows`` x ``columns`` (two of AXES) over the services whose third axis
    includes ``only`` (every service when ``only`` is None). Values outside ``row_values`` or
    ``column_values`` are left out; those lists give the order."""
    third = _check_axes(rows, columns)
    chosen = [s for s in services if only is None or only in s.values(third)]
    by_cell: dict[tuple[str, str], list[Service]] = defaultdict(list)
    by_row: dict[str, list[Service]] = defaultdict(list)
    by_column: dict[str, list[Service]] = defaultdict(list)
    row_set, column_set = set(row_values), set(column_values)
    for s in chosen:
        mine_rows = s.values(rows) & row_set
        mine_columns = s.values(columns) & column_set
        for r in mine_rows:
            by_row[r].append(s)
            for c in mine_columns:
                by_cell[(r, c)].append(s)
        for c in mine_columns:
            by_column[c].append(s)
    return Matrix(
        rows_axis=rows,
        columns_axis=columns,
        rows=tuple(row_values),
        columns=tuple(column_values),
        cells={key: _cell(value) for key, value in by_cell.items()},
        row_totals={r: _cell(by_row.get(r, [])) for r in row_values},
        column_totals={c: _cell(by_column.get(c, [])) for c in column_values},
        total=_cell(
            s for s in chosen if s.values(rows) & row_set and s.values(columns) & column_set
        ),
    )


# --- gaps --------------------------------------------------------------------------------


@dataclass(frozen=True)
class Gaps:
    theme: str | None
    groups: tuple[str, ...]  # target groups with no service anywhere
    districts: tuple[str, ...]  # districts with no service for any group
    pairs: tuple[tuple[str, str], ...]  # (group, district) empty, though neither is above

    @property
    def empty(self) -> bool:
        return not (self.groups or self.districts or self.pairs)

    @property
    def count(self) -> int:
        return len(self.groups) + len(self.districts) + len(self.pairs)


def find_gaps(
    services: Iterable[Service],
    *,
    groups: Sequence[str],
    districts: Sequence[str],
    theme: str | None = None,
) -> Gaps:
    """The gaps of one theme (or of all themes together when ``theme`` is None)."""
    matrix = coverage_matrix(
        services,
        rows="group",
        columns="district",
        row_values=groups,
        column_values=districts,
        only=theme,
    )
    empty_groups = tuple(g for g in groups if matrix.row_totals[g].services == 0)
    empty_districts = tuple(d for d in districts if matrix.column_totals[d].services == 0)
    pairs = tuple(
        (g, d)
        for g in groups
        if g not in empty_groups
        for d in districts
        if d not in empty_districts and matrix.cell(g, d).services == 0
    )
    return Gaps(theme=theme, groups=empty_groups, districts=empty_districts, pairs=pairs)


# --- overlaps ----------------------------------------------------------------------------


@dataclass(frozen=True)
class Overlap:
    theme: str
    group: str
    district: str
    services: tuple[Service, ...]  # ordered by partner, then name

    @property
    def partners(self) -> tuple[str, ...]:
        return tuple(sorted({s.partner for s in self.services}))


def find_overlaps(
    services: Iterable[Service],
    *,
    themes: Sequence[str],
    groups: Sequence[str],
    districts: Sequence[str],
    min_partners: int = 2,
) -> list[Overlap]:
    """Every (theme, group, district) where at least ``min_partners`` different partners
    offer a service; in the order of ``themes``, ``groups`` and ``districts``."""
    by_key: dict[tuple[str, str, str], list[Service]] = defaultdict(list)
    for s in services:
        for g in s.groups:
            for d in s.districts:
                by_key[(s.theme, g, d)].append(s)
    found = []
    for t in themes:
        for g in groups:
            for d in districts:
                here = by_key.get((t, g, d), [])
                if len({s.partner for s in here}) >= min_partners:
                    ordered = tuple(sorted(here, key=lambda s: (s.partner, s.name, s.id)))
                    found.append(Overlap(theme=t, group=g, district=d, services=ordered))
    return found


# --- cost per person reached -------------------------------------------------------------


def _per_person(amount: Decimal, reach: int) -> Decimal | None:
    if reach <= 0:
        return None
    return (amount / reach).quantize(CENT, rounding=ROUND_HALF_UP)


@dataclass(frozen=True)
class CostLine:
    service: Service
    cost_per_person: Decimal | None  # None when the reach is 0
    subsidy_per_person: Decimal | None


def cost_per_service(services: Iterable[Service]) -> list[CostLine]:
    """Per service, most expensive per person first; services without a reach last."""
    lines = [
        CostLine(s, _per_person(s.cost, s.reach), _per_person(s.subsidy, s.reach)) for s in services
    ]
    return sorted(
        lines,
        key=lambda line: (
            line.cost_per_person is None,
            -(line.cost_per_person or 0),
            line.service.partner,
            line.service.name,
        ),
    )


@dataclass(frozen=True)
class ThemeCost:
    theme: str
    services: int
    reach: int
    cost: Decimal  # of the services with a reach
    subsidy: Decimal
    cost_per_person: Decimal | None
    subsidy_per_person: Decimal | None
    without_reach: int  # services with reach 0, left out of the figures above


def cost_per_theme(services: Iterable[Service], *, themes: Sequence[str]) -> list[ThemeCost]:
    by_theme: dict[str, list[Service]] = defaultdict(list)
    for s in services:
        by_theme[s.theme].append(s)
    result = []
    for t in themes:
        here = by_theme.get(t, [])
        counted = [s for s in here if s.reach > 0]
        reach = sum(s.reach for s in counted)
        cost = sum((s.cost for s in counted), Decimal(0))
        subsidy = sum((s.subsidy for s in counted), Decimal(0))
        result.append(
            ThemeCost(
                theme=t,
                services=len(here),
                reach=reach,
                cost=cost,
                subsidy=subsidy,
                cost_per_person=_per_person(cost, reach),
                subsidy_per_person=_per_person(subsidy, reach),
                without_reach=len(here) - len(counted),
            )
        )
    return result


# --- network -----------------------------------------------------------------------------


@dataclass(frozen=True)
class Link:
    a: str
    b: str
    groups: tuple[str, ...]
    districts: tuple[str, ...]
    weight: int  # shared (group, district) pairs
    coalitions: tuple[str, ...] = ()  # coalitions both partners are in


@dataclass(frozen=True)
class Network:
    partners: tuple[str, ...]  # in layout order
    positions: Mapping[str, tuple[float, float]]
    links: tuple[Link, ...]
    size: int = 0
    degree: Mapping[str, int] = field(default_factory=dict)


def partner_network(
    services: Iterable[Service],
    *,
    partners: Sequence[str],
    size: int = 600,
    coalitions: Mapping[str, Iterable[str]] | None = None,
) -> Network:
    """Partners linked by shared (target group, district) pairs and by the coalitions they are
    in together (``coalitions``: coalition name -> its partners); a circle layout in the order
    of ``partners`` (the caller sorts them), starting at the top and going clockwise. A link's
    weight counts its shared pairs; a link through coalitions only has weight 0."""
    pairs: dict[str, set[tuple[str, str]]] = defaultdict(set)
    for s in services:
        pairs[s.partner] |= {(g, d) for g in s.groups for d in s.districts}
    together: dict[frozenset[str], set[str]] = defaultdict(set)
    for coalition, members in (coalitions or {}).items():
        inside = sorted({m for m in members if m in partners})
        for i, a in enumerate(inside):
            for b in inside[i + 1 :]:
                together[frozenset((a, b))].add(coalition)
    links = []
    for i, a in enumerate(partners):
        for b in partners[i + 1 :]:
            shared = pairs.get(a, set()) & pairs.get(b, set())
            shared_coalitions = tuple(sorted(together.get(frozenset((a, b)), ())))
            if shared or shared_coalitions:
                links.append(
                    Link(
                        a=a,
                        b=b,
                        groups=tuple(sorted({g for g, _ in shared})),
                        districts=tuple(sorted({d for _, d in shared})),
                        weight=len(shared),
                        coalitions=shared_coalitions,
                    )
                )
    centre = size / 2
    radius = size / 2 - 40
    n = max(len(partners), 1)
    positions = {
        p: (
            round(centre + radius * math.sin(2 * math.pi * i / n), 1),
            round(centre - radius * math.cos(2 * math.pi * i / n), 1),
        )
        for i, p in enumerate(partners)
    }
    degree = dict.fromkeys(partners, 0)
    for link in links:
        degree[link.a] += 1
        degree[link.b] += 1
    return Network(
        partners=tuple(partners),
        positions=positions,
        links=tuple(links),
        size=size,
        degree=degree,
    )


# --- reading an offering file ------------------------------------------------------------

# Column -> (Dutch header, required). Headers are matched case-insensitively, Dutch or English.
COLUMNS: dict[str, tuple[str, bool]] = {
    "name": ("naam", True),
    "theme": ("thema", True),
    "target_groups": ("doelgroepen", True),
    "districts": ("wijken", True),
    "reach": ("bereik", True),
    "capacity": ("capaciteit", False),
    "yearly_cost": ("kosten", True),
    "subsidy": ("subsidie", False),
    "outcomes": ("resultaten", False),
}
_SPLIT = re.compile(r"[;|,]")


@dataclass(frozen=True)
class OfferingRow:
    line: int
    name: str
    theme: str
    target_groups: tuple[str, ...]
    districts: tuple[str, ...]
    reach: int
    capacity: int | None
    yearly_cost: Decimal
    subsidy: Decimal
    outcomes: str


def _lookup(choices: Mapping[str, str]) -> dict[str, str]:
    """Code and label (case-insensitive) -> code."""
    table: dict[str, str] = {}
    for code, label in choices.items():
        table[code.casefold()] = code
        table[label.strip().casefold()] = code
    return table


def _count(text: str, *, where: Location, required: bool) -> int | None:
    cleaned = text.replace(".", "").replace(" ", "") if re.fullmatch(r"[\d. ]+", text) else text
    if not cleaned:
        if required:
            raise InputError(
                code="missing_value",
                message_nl="Vul een aantal in (0 of meer).",
                message_en="Enter a number (0 or more).",
                location=where,
            )
        return None
    try:
        value = int(cleaned)
    except ValueError:
        raise InputError(
            code="not_a_number",
            message_nl=f"'{text}' is geen heel getal. Schrijf bijvoorbeeld 120.",
            message_en=f"'{text}' is not a whole number. Write for example 120.",
            location=where,
        ) from None
    if value < 0:
        raise InputError(
            code="negative",
            message_nl=f"{value} is negatief. Een aantal is 0 of meer.",
            message_en=f"{value} is negative. A number is 0 or more.",
            location=where,
        )
    return value


def _amount(text: str, *, where: Location, required: bool) -> Decimal:
    if not text:
        if required:
            raise InputError(
                code="missing_value",
                message_nl="Vul een bedrag in (0 of meer).",
                message_en="Enter an amount (0 or more).",
                location=where,
            )
        return Decimal(0)
    value = parse_euro(text, location=where)
    if value < 0:
        raise InputError(
            code="negative",
            message_nl=f"{text} is negatief. Een bedrag is 0 of meer.",
            message_en=f"{text} is negative. An amount is 0 or more.",
            location=where,
        )
    return value


def _codes(
    text: str,
    table: Mapping[str, str],
    *,
    where: Location,
    what_nl: str,
    what_en: str,
    known_nl: str,
) -> tuple[str, ...]:
    found: list[str] = []
    for part in _SPLIT.split(text):
        key = part.strip().casefold()
        if not key:
            continue
        if key not in table:
            raise InputError(
                code="unknown_value",
                message_nl=f"'{part.strip()}' is geen {known_nl}.",
                message_en=f"'{part.strip()}' is not a known {what_en}.",
                location=where,
            )
        if table[key] not in found:
            found.append(table[key])
    if not found:
        raise InputError(
            code="missing_value",
            message_nl=f"Vul minstens één {what_nl} in.",
            message_en=f"Enter at least one {what_en}.",
            location=where,
        )
    return tuple(found)


def read_offering(
    header: Sequence[str],
    rows: Iterable[tuple[int, Sequence[str]]],
    *,
    themes: Mapping[str, str],
    groups: Mapping[str, str],
    districts: Sequence[str],
    filename: str,
) -> list[OfferingRow]:
    """Check every row of an offering file and return them all, or raise the first error.

    ``header`` and ``rows`` are what ``core.csvfiles.csv_rows`` gives (a row is the line
    number and its cells). ``themes`` and ``groups`` map code -> label; a cell may hold
    either (any case). Target groups and districts are separated by ``;``, ``,`` or ``|``.
    """
    position: dict[str, int] = {}
    lowered = [h.strip().casefold() for h in header]
    for key, (dutch, required) in COLUMNS.items():
        for name in (dutch, key, key.replace("_", " ")):
            if name in lowered:
                position[key] = lowered.index(name)
                break
        else:
            if required:
                raise InputError(
                    code="missing_column",
                    message_nl=f"De kolom '{dutch}' ontbreekt.",
                    message_en=f"The column '{dutch}' ({key}) is missing.",
                    location=Location(file=filename, field=dutch),
                )
    theme_table = _lookup(themes)
    group_table = _lookup(groups)
    district_table = {d.strip().casefold(): d for d in districts}
    result: list[OfferingRow] = []
    names: dict[str, int] = {}

    def cells_of(line: int, cells: Sequence[str]) -> Iterator[tuple[str, str, Location]]:
        for key, (dutch, _required) in COLUMNS.items():
            index = position.get(key)
            text = cells[index].strip() if index is not None and index < len(cells) else ""
            yield key, text, Location(file=filename, row=line, field=dutch)

    for line, cells in rows:
        values: dict[str, object] = {}
        for key, text, where in cells_of(line, cells):
            if key == "name":
                if not text:
                    raise InputError(
                        code="missing_value",
                        message_nl="Vul de naam van het aanbod in.",
                        message_en="Enter the name of the service.",
                        location=where,
                    )
                if text.casefold() in names:
                    raise InputError(
                        code="duplicate_name",
                        message_nl=f"'{text}' staat ook in rij {names[text.casefold()]}.",
                        message_en=f"'{text}' also appears in row {names[text.casefold()]}.",
                        location=where,
                    )
                names[text.casefold()] = line
                values[key] = text[:200]
            elif key == "theme":
                if len([p for p in _SPLIT.split(text) if p.strip()]) > 1:
                    raise InputError(
                        code="one_theme",
                        message_nl="Een aanbod heeft één thema.",
                        message_en="A service has one theme.",
                        location=where,
                    )
                values[key] = _codes(
                    text,
                    theme_table,
                    where=where,
                    what_nl="thema",
                    what_en="theme",
                    known_nl="bekend thema",
                )[0]
            elif key == "target_groups":
                values[key] = _codes(
                    text,
                    group_table,
                    where=where,
                    what_nl="doelgroep",
                    what_en="target group",
                    known_nl="bekende doelgroep",
                )
            elif key == "districts":
                values[key] = _codes(
                    text,
                    district_table,
                    where=where,
                    what_nl="wijk",
                    what_en="district",
                    known_nl="bekende wijk",
                )
            elif key in ("reach", "capacity"):
                values[key] = _count(text, where=where, required=key == "reach")
            elif key in ("yearly_cost", "subsidy"):
                values[key] = _amount(text, where=where, required=key == "yearly_cost")
            else:
                values[key] = text
        cost, subsidy = values["yearly_cost"], values["subsidy"]
        assert isinstance(cost, Decimal) and isinstance(subsidy, Decimal)
        if subsidy > cost:
            raise InputError(
                code="subsidy_above_cost",
                message_nl="De subsidie is hoger dan de kosten. Dat kan niet.",
                message_en="The subsidy is higher than the cost. That is not possible.",
                location=Location(file=filename, row=line, field=COLUMNS["subsidy"][0]),
            )
        result.append(OfferingRow(line=line, **values))  # type: ignore[arg-type]
    if not result:
        raise InputError(
            code="no_rows",
            message_nl="Het bestand heeft geen regels met aanbod.",
            message_en="The file has no rows with services.",
            location=Location(file=filename),
        )
    return result
