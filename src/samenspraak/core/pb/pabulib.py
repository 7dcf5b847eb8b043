"""Reading and writing Pabulib ``.pb`` files (pabulib.org/format).

A ``.pb`` file is UTF-8 text in three sections, in this order, each opened by a line holding
only the section's name and then a header line::

    META                      PROJECTS                   VOTES
    key;value                 project_id;cost;name;...   voter_id;vote;points;age;...
    budget;500000             12;40000;Groen;...         7;12,31,4;2,1,1;42;...

Cells are separated by ``;``; a cell holding ``;``, a quote or a line break is quoted as in CSV
(``"un éclairage à ""détection"" de forme"``, as Toulouse 2024 has). Every cell is stripped
of surrounding white space; empty lines are skipped. ``vote`` (and ``points``) list project ids
and numbers separated by ``,``. Costs and the budget are decimal numbers with ``.`` or ``,`` as
the decimal mark (``125000``, ``125000.0``, ``125000,50``); points are whole numbers.

- ``read_pb(source)`` reads a whole file into an ``Election``.
- ``iter_pb(stream)`` reads META and PROJECTS at once and then gives the ballots one at a
  time, line by line, so a large file never needs to be in memory as text.
- ``write_pb(election)`` and ``dump_pb(election, stream)`` write a file that ``read_pb``
  reads back to an equal ``Election``.

A malformed file raises ``InputError`` naming the file, the line and the column, and what was
expected there. What is kept: every META key and value as text in file order; per project the
``name`` and every other non-empty cell in ``Project.extra``; per ballot every other non-empty
cell in ``Vote.extra``. Empty cells are left out (so ``extra.get`` finds nothing); a column
whose cells are all empty is therefore not written back.
"""

from __future__ import annotations

import contextlib
import csv
import gc
import io
import os
from collections.abc import Iterator, Mapping, Sequence
from decimal import Decimal, InvalidOperation
from pathlib import Path
from types import MappingProxyType
from typing import TextIO

from samenspraak.core.errors import InputError, Location
from samenspraak.core.pb.model import Election, Project, Vote, VoteType

__all__ = ["PbStream", "dump_pb", "iter_pb", "read_pb", "write_pb"]

SECTIONS = ("META", "PROJECTS", "VOTES")
VOTE_TYPES = ("approval", "choose-1", "cumulative", "scoring", "ordinal")
_WITH_POINTS = frozenset({VoteType.CUMULATIVE, VoteType.SCORING})
_ORDER_NL = "Een .pb-bestand heeft drie delen, in deze volgorde: META, PROJECTS en VOTES."
_ORDER_EN = "A .pb file has three sections, in this order: META, PROJECTS and VOTES."

PbSource = str | os.PathLike[str] | TextIO
"""What ``read_pb`` takes: the file's text (``str``), a path, or an open text stream."""


def _error(
    code: str,
    nl: str,
    en: str,
    filename: str | None,
    line: int | None = None,
    field: str | None = None,
) -> InputError:
    return InputError(
        code=code,
        message_nl=nl,
        message_en=en,
        location=Location(file=filename, line=line, field=field),
    )


def _number(
    text: str, *, code: str, what_nl: str, what_en: str, filename: str | None, line: int, field: str
) -> Decimal:
    """A cost or budget: a finite decimal number of 0 or more, ``.`` or ``,`` as decimal mark."""
    try:
        value = Decimal(text.replace(",", "."))
    except InvalidOperation:
        value = None
    if value is None or not value.is_finite():
        raise _error(
            code,
            f"{what_nl} '{text}' is geen getal. Schrijf bijvoorbeeld 125000 of 125000.50.",
            f"{what_en} '{text}' is not a number. Write for example 125000 or 125000.50.",
            filename,
            line,
            field,
        )
    if value < 0:
        raise _error(
            code,
            f"{what_nl} '{text}' is negatief. Dat kan niet.",
            f"{what_en} '{text}' is negative, which is not allowed.",
            filename,
            line,
            field,
        )
    return value


def _points(text: str, filename: str | None, line: int) -> int:
    try:
        return int(text)
    except ValueError:
        pass
    try:
        value = Decimal(text)
    except InvalidOperation:
        value = None
    if value is not None and value.is_finite() and value == value.to_integral_value():
        return int(value)  # "3.0", as some writers (pabutools) put it
    raise _error(
        "pb_points",
        f"'{text}' is geen heel getal. Punten zijn hele getallen, zoals 1, 2 of 10.",
        f"'{text}' is not a whole number. Points are whole numbers such as 1, 2 or 10.",
        filename,
        line,
        "points",
    )


def _is_section(cells: Sequence[str], name: str) -> bool:
    """Whether a row is the line that opens section ``name``: the name alone (any case)."""
    return (
        bool(cells)
        and cells[0].strip().upper() == name
        and all(not cell.strip() for cell in cells[1:])
    )


def _is_empty(cells: Sequence[str]) -> bool:
    return all(not cell.strip() for cell in cells)


class _Lines:
    """The non-empty rows of a ``.pb`` stream, each with its line number."""

    def __init__(self, stream: TextIO, filename: str | None) -> None:
        self.filename = filename
        self.reader = csv.reader(stream, delimiter=";", quotechar='"', strict=True)
        self.line = 0  # the line of the last row given
        self._first = True

    def next(self) -> list[str] | None:
        """The next non-empty row, or ``None`` at the end of the file."""
        while True:
            cells = self.read()
            if cells is None:
                return None
            if not _is_empty(cells):
                return cells

    def read(self) -> list[str] | None:
        """The next row, empty or not, or ``None`` at the end."""
        try:
            cells = next(self.reader)
        except StopIteration:
            return None
        except csv.Error as error:
            raise self.quoting_error(error) from None
        except UnicodeDecodeError:
            raise self.encoding_error() from None
        self.line = self.reader.line_num
        if self._first:
            self._first = False
            if cells:
                cells[0] = cells[0].removeprefix("\ufeff")
        return cells

    def quoting_error(self, error: csv.Error) -> InputError:
        return _error(
            "pb_quoting",
            'De aanhalingstekens kloppen niet. Zet een hele cel tussen " en schrijf een " in '
            'de cel dubbel (""). ' + f"({error})",
            'The quotes do not match. Quote a whole cell with " and double a quote inside a '
            'cell (""). ' + f"({error})",
            self.filename,
            self.reader.line_num,
        )

    def encoding_error(self) -> InputError:
        # A text stream decodes ahead in blocks: the bad byte is on this line or a later one
        # (``read_pb`` finds the exact line of a path).
        return _encoding_error(self.filename, self.reader.line_num + 1)


def _encoding_error(filename: str | None, line: int | None) -> InputError:
    return _error(
        "pb_encoding",
        "Het bestand is geen UTF-8-tekst. Sla het op als UTF-8.",
        "The file is not UTF-8 text. Save it as UTF-8.",
        filename,
        line,
    )


def _first_bad_line(path: Path) -> int | None:
    """The number of the first line of ``path`` that is not UTF-8."""
    with path.open("rb") as file:
        for number, line in enumerate(file, start=1):
            try:
                line.decode("utf-8")
            except UnicodeDecodeError:
                return number
    return None


def _header(
    cells: list[str], section: str, required: Sequence[str], lines: _Lines
) -> dict[str, int]:
    """Column name -> position, after checking the names are unique and ``required`` are there."""
    names = [cell.strip() for cell in cells]
    columns: dict[str, int] = {}
    for position, name in enumerate(names):
        if not name:
            raise _error(
                "pb_header",
                f"Kolom {position + 1} van de kopregel van {section} heeft geen naam.",
                f"Column {position + 1} of the {section} header has no name.",
                lines.filename,
                lines.line,
            )
        if name in columns:
            raise _error(
                "pb_header",
                f"De kopregel van {section} noemt de kolom '{name}' twee keer.",
                f"The {section} header names the column '{name}' twice.",
                lines.filename,
                lines.line,
                name,
            )
        columns[name] = position
    for name in required:
        if name not in columns:
            raise _error(
                "pb_missing_column",
                f"De kopregel van {section} mist de kolom '{name}'. Gevonden: {';'.join(names)}.",
                f"The {section} header lacks the column '{name}'. Found: {';'.join(names)}.",
                lines.filename,
                lines.line,
                name,
            )
    return columns


def _columns_error(
    found: int, header: Mapping[str, int], section: str, filename: str | None, line: int
) -> InputError:
    names = ";".join(header)
    return _error(
        "pb_columns",
        f"Deze regel van {section} heeft {found} kolommen, maar de kopregel heeft er "
        f"{len(header)} ({names}). Staat er een ; te veel of te weinig? Zet tekst met een ; "
        'tussen aanhalingstekens (").',
        f"This {section} line has {found} columns, but the header has {len(header)} ({names}). "
        'Is there a ; too many or too few? Put text holding a ; in quotes (").',
        filename,
        line,
    )


def _missing_section(name: str, lines: _Lines, found: list[str] | None) -> InputError:
    if found is None:
        return _error(
            "pb_missing_section",
            f"Het deel {name} ontbreekt: het bestand houdt hier op. {_ORDER_NL}",
            f"The {name} section is missing: the file ends here. {_ORDER_EN}",
            lines.filename,
            lines.line + 1,
        )
    shown = ";".join(found)[:60]
    return _error(
        "pb_missing_section",
        f"Hier hoort de regel {name} te staan, maar er staat '{shown}'. {_ORDER_NL}",
        f"The line {name} belongs here, but this line reads '{shown}'. {_ORDER_EN}",
        lines.filename,
        lines.line,
    )


def _read_meta(lines: _Lines) -> tuple[dict[str, str], dict[str, int], list[str] | None]:
    """META's keys and values and their lines; returns the first row after META too."""
    first = lines.next()
    if first is None:
        raise _error(
            "pb_empty_file",
            f"Het bestand is leeg. {_ORDER_NL}",
            f"The file is empty. {_ORDER_EN}",
            lines.filename,
        )
    if not _is_section(first, "META"):
        raise _missing_section("META", lines, first)
    header = lines.next()
    if header is None or _is_section(header, "PROJECTS"):
        raise _missing_section_header("META", "key;value", lines)
    if len(header) != 2:
        raise _error(
            "pb_header",
            f"De kopregel van META heeft twee kolommen: key;value. Gevonden: {';'.join(header)}.",
            f"The META header has two columns: key;value. Found: {';'.join(header)}.",
            lines.filename,
            lines.line,
        )
    meta: dict[str, str] = {}
    where: dict[str, int] = {}
    while True:
        cells = lines.next()
        if cells is None or _is_section(cells, "PROJECTS"):
            return meta, where, cells
        if _is_section(cells, "VOTES"):
            raise _missing_section("PROJECTS", lines, cells)
        if len(cells) != 2:
            raise _columns_error(len(cells), {"key": 0, "value": 1}, "META", *_at(lines))
        key, value = cells[0].strip(), cells[1].strip()
        if not key:
            raise _error(
                "pb_meta_key",
                "Deze regel van META heeft geen sleutel (de eerste kolom is leeg).",
                "This META line has no key (the first column is empty).",
                *_at(lines),
            )
        if key in meta:
            raise _error(
                "pb_duplicate_meta",
                f"META noemt de sleutel '{key}' twee keer (ook op regel {where[key]}).",
                f"META names the key '{key}' twice (also on line {where[key]}).",
                *_at(lines),
                key,
            )
        meta[key] = value
        where[key] = lines.line


def _at(lines: _Lines) -> tuple[str | None, int]:
    return lines.filename, lines.line


def _missing_section_header(section: str, expected: str, lines: _Lines) -> InputError:
    return _error(
        "pb_header",
        f"Na de regel {section} hoort een kopregel met de kolomnamen, zoals {expected}.",
        f"The line {section} must be followed by a header of column names, such as {expected}.",
        lines.filename,
        lines.line + 1,
    )


def _check_meta(
    meta: Mapping[str, str], where: Mapping[str, int], lines: _Lines
) -> tuple[Decimal, VoteType]:
    vote_type_text = meta.get("vote_type", "approval")
    if vote_type_text not in VOTE_TYPES:
        raise _error(
            "pb_vote_type",
            f"Het stemtype (vote_type) '{vote_type_text}' is onbekend. Mogelijk zijn: "
            f"{', '.join(VOTE_TYPES)}.",
            f"The vote type (vote_type) '{vote_type_text}' is unknown. Possible are: "
            f"{', '.join(VOTE_TYPES)}.",
            lines.filename,
            where.get("vote_type"),
            "vote_type",
        )
    if "budget" not in meta:
        raise _error(
            "pb_missing_budget",
            "META noemt geen budget. Voeg een regel toe zoals: budget;500000",
            "META gives no budget. Add a line such as: budget;500000",
            lines.filename,
            lines.line,
            "budget",
        )
    budget = _number(
        meta["budget"],
        code="pb_budget",
        what_nl="Het budget",
        what_en="The budget",
        filename=lines.filename,
        line=where["budget"],
        field="budget",
    )
    vote_type = VoteType.APPROVAL if vote_type_text == "choose-1" else VoteType(vote_type_text)
    return budget, vote_type


def _read_projects(lines: _Lines) -> tuple[tuple[Project, ...], list[str] | None]:
    """The projects; returns the first row after PROJECTS (the VOTES line) too."""
    cells = lines.next()
    if cells is None or _is_section(cells, "VOTES"):
        raise _missing_section_header("PROJECTS", "project_id;cost;name", lines)
    header = _header(cells, "PROJECTS", ("project_id", "cost"), lines)
    id_at, cost_at = header["project_id"], header["cost"]
    name_at = header.get("name")
    extras = [(name, at) for name, at in header.items() if name not in ("project_id", "cost")]
    extras = [(name, at) for name, at in extras if name != "name"]
    projects: list[Project] = []
    first_line: dict[str, int] = {}
    filename = lines.filename
    while True:
        cells = lines.next()
        if cells is None or _is_section(cells, "VOTES"):
            return tuple(projects), cells
        line = lines.line
        if len(cells) != len(header):
            raise _columns_error(len(cells), header, "PROJECTS", filename, line)
        project_id = cells[id_at].strip()
        _check_id(project_id, "project_id", filename, line)
        if project_id in first_line:
            raise _error(
                "pb_duplicate_project",
                f"Project '{project_id}' staat twee keer bij PROJECTS (ook op regel "
                f"{first_line[project_id]}). Elk project_id komt één keer voor.",
                f"Project '{project_id}' is listed twice under PROJECTS (also on line "
                f"{first_line[project_id]}). Each project_id appears once.",
                filename,
                line,
                "project_id",
            )
        first_line[project_id] = line
        cost = _number(
            cells[cost_at].strip(),
            code="pb_cost",
            what_nl="De kosten",
            what_en="The cost",
            filename=filename,
            line=line,
            field="cost",
        )
        extra = {name: value for name, at in extras if (value := cells[at].strip())}
        projects.append(
            Project(
                id=project_id,
                cost=cost,
                name=cells[name_at].strip() if name_at is not None else "",
                extra=MappingProxyType(extra),
            )
        )


def _check_id(value: str, column: str, filename: str | None, line: int) -> None:
    if not value:
        raise _error(
            "pb_empty_id",
            f"De kolom {column} is leeg. Elke regel heeft een id.",
            f"The column {column} is empty. Every line has an id.",
            filename,
            line,
            column,
        )
    if column == "project_id" and "," in value:
        raise _error(
            "pb_project_id",
            f"Het project_id '{value}' bevat een komma. Een stem scheidt projecten met komma's, "
            "dus een id mag er geen hebben.",
            f"The project_id '{value}' contains a comma. A vote separates projects by commas, "
            "so an id cannot hold one.",
            filename,
            line,
            column,
        )


class PbStream:
    """A ``.pb`` file being read: ``meta``, ``projects``, ``budget`` and ``vote_type`` are
    known; iterating gives the ballots one at a time (once), reading line by line.

    A malformed ballot raises ``InputError`` when the iteration reaches it.
    """

    def __init__(self, stream: TextIO, *, filename: str | None = None) -> None:
        lines = _Lines(stream, filename)
        meta, where, after = _read_meta(lines)
        if after is None:
            raise _missing_section("PROJECTS", lines, None)
        self.budget, self.vote_type = _check_meta(meta, where, lines)
        self.meta: Mapping[str, str] = MappingProxyType(meta)
        projects, after = _read_projects(lines)
        if after is None:
            raise _missing_section("VOTES", lines, None)
        self.projects: tuple[Project, ...] = projects
        self.filename = filename
        self._lines = lines
        self._started = False

    def __iter__(self) -> Iterator[Vote]:
        if self._started:
            raise RuntimeError("the ballots of a PbStream can be read only once")
        self._started = True
        return self._votes()

    def _votes(self) -> Iterator[Vote]:
        lines, filename = self._lines, self.filename
        cells = lines.next()
        if cells is None:
            raise _missing_section_header("VOTES", "voter_id;vote", lines)
        with_points = self.vote_type in _WITH_POINTS
        required = ("voter_id", "vote", "points") if with_points else ("voter_id", "vote")
        header = _header(cells, "VOTES", required, lines)
        width = len(header)
        voter_at, vote_at = header["voter_id"], header["vote"]
        points_at = header["points"] if with_points else -1
        extras = [(name, at) for name, at in header.items() if name not in required]
        extra_at = [at for _, at in extras]
        shared: dict[tuple[str, ...], Mapping[str, str]] = {}
        # Project ids as the PROJECTS section spells them: every ballot shares these strings.
        known = {project.id: project.id for project in self.projects}
        seen: dict[str, int] = {}
        reader = lines.reader
        no_extra: Mapping[str, str] = MappingProxyType({})
        while True:
            try:
                cells = next(reader)
            except StopIteration:
                return
            except csv.Error as error:
                raise lines.quoting_error(error) from None
            except UnicodeDecodeError:
                raise lines.encoding_error() from None
            line = reader.line_num
            if len(cells) != width:
                if _is_empty(cells):
                    continue
                raise _columns_error(len(cells), header, "VOTES", filename, line)
            voter_id = cells[voter_at].strip()
            if voter_id in seen or not voter_id:
                if _is_empty(cells):
                    continue
                _check_id(voter_id, "voter_id", filename, line)
                raise _error(
                    "pb_duplicate_voter",
                    f"Kiezer '{voter_id}' staat al op regel {seen[voter_id]}. Elk voter_id "
                    "komt één keer voor.",
                    f"Voter '{voter_id}' is already on line {seen[voter_id]}. Each voter_id "
                    "appears once.",
                    filename,
                    line,
                    "voter_id",
                )
            seen[voter_id] = line
            text = cells[vote_at].strip()
            if text:
                parts = text.split(",")
                try:
                    vote = tuple([known[part] for part in parts])
                except KeyError:
                    vote = self._slow_vote(parts, known, with_points, line)
                if len(set(vote)) != len(vote):
                    twice = next(p for p in vote if vote.count(p) > 1)
                    raise _error(
                        "pb_vote_twice",
                        f"De stem noemt project '{twice}' twee keer.",
                        f"The vote names project '{twice}' twice.",
                        filename,
                        line,
                        "vote",
                    )
            else:
                vote = ()
            points: tuple[int, ...] | None = None
            if with_points:
                points_text = cells[points_at].strip()
                points = (
                    tuple([_points(p.strip(), filename, line) for p in points_text.split(",")])
                    if points_text
                    else ()
                )
                if len(points) != len(vote):
                    raise _error(
                        "pb_points_count",
                        f"De stem noemt {len(vote)} projecten, maar geeft {len(points)} keer "
                        "punten. Geef voor elk project in 'vote' één getal in 'points'.",
                        f"The vote names {len(vote)} projects but gives {len(points)} points. "
                        "Give one number in 'points' for each project in 'vote'.",
                        filename,
                        line,
                        "points",
                    )
            if extras:
                # Ballots often share their other cells (age, sex, district): one read-only
                # mapping per distinct combination, shared, is faster and smaller.
                key = tuple([cells[at] for at in extra_at])
                extra = shared.get(key)
                if extra is None:
                    cleaned = {name: value for name, at in extras if (value := cells[at].strip())}
                    extra = shared[key] = MappingProxyType(cleaned) if cleaned else no_extra
            else:
                extra = no_extra
            yield Vote(voter_id, vote, points, extra)

    def _slow_vote(
        self, parts: list[str], known: Mapping[str, str], with_points: bool, line: int
    ) -> tuple[str, ...]:
        """A vote with spaces around its ids, empty entries or an unknown project."""
        vote = []
        for part in parts:
            project_id = part.strip()
            if not project_id:
                if with_points:  # the points line up with the entries: no gaps allowed
                    raise _error(
                        "pb_vote_entry",
                        "De stem heeft een lege plek tussen twee komma's.",
                        "The vote has an empty entry between two commas.",
                        self.filename,
                        line,
                        "vote",
                    )
                continue
            if project_id not in known:
                raise _error(
                    "pb_unknown_project",
                    f"De stem noemt project '{project_id}', maar dat staat niet bij PROJECTS.",
                    f"The vote names project '{project_id}', which is not listed under PROJECTS.",
                    self.filename,
                    line,
                    "vote",
                )
            vote.append(known[project_id])
        return tuple(vote)

    def election(self) -> Election:
        """Read the remaining ballots and return the whole election."""
        with _gc_paused():
            votes = tuple(self)
        return Election(meta=self.meta, projects=self.projects, votes=votes)


@contextlib.contextmanager
def _gc_paused() -> Iterator[None]:
    """Pause Python's cycle collector while the ballots are built: tens of thousands of new
    objects (none of them in a cycle) would otherwise set it off again and again, a third of
    the reading time of a 60,000-ballot file."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def iter_pb(stream: TextIO | str, *, filename: str | None = None) -> PbStream:
    """Start reading a ``.pb`` file from an open text stream (or the file's text).

    META and PROJECTS are read at once (a malformed one raises ``InputError`` here); iterate
    over the result for the ballots. The caller keeps the stream open while iterating. Open
    files with ``encoding="utf-8-sig", newline=""`` (a byte-order mark is skipped either way).
    """
    if isinstance(stream, str):
        stream = io.StringIO(stream)
    return PbStream(stream, filename=filename)


def read_pb(source: PbSource, *, filename: str | None = None) -> Election:
    """Read a whole ``.pb`` file: its text (``str``), a path, or an open text stream.

    ``filename`` names the file in error messages (a path's own name by default).
    Raises ``InputError`` for a malformed file, an unreadable path as ``OSError``.
    """
    if isinstance(source, str):
        return iter_pb(io.StringIO(source), filename=filename).election()
    if isinstance(source, os.PathLike):
        path = Path(source)
        filename = filename or path.name
        try:
            with path.open(encoding="utf-8-sig", newline="") as stream:
                return iter_pb(stream, filename=filename).election()
        except InputError as error:
            if error.code != "pb_encoding":
                raise
            raise _encoding_error(filename, _first_bad_line(path)) from None
    return iter_pb(source, filename=filename).election()


def _writable(value: str, what: str) -> None:
    if value != value.strip():
        raise ValueError(f"{what} {value!r} starts or ends with white space, which .pb drops")


def dump_pb(election: Election, stream: TextIO) -> None:
    """Write ``election`` as a ``.pb`` file to a text stream.

    META is written as it is, in order; PROJECTS as ``project_id;cost`` (and ``name`` when a
    project has one) and then every ``extra`` key in the order first met; VOTES as
    ``voter_id;vote`` (and ``points`` for cumulative and scoring ballots) and the ``extra``
    keys. Cells holding ``;``, a quote or a line break are quoted. Raises ``ValueError`` for an
    election no ``.pb`` file can hold (an id with a comma, a vote for an unknown project, ...).
    """
    if "budget" not in election.meta:
        raise ValueError("the election's meta has no 'budget'")
    with_points = election.vote_type in _WITH_POINTS
    writer = csv.writer(stream, delimiter=";", quotechar='"', lineterminator="\n")
    writer.writerow(["META"])
    writer.writerow(["key", "value"])
    for key, value in election.meta.items():
        _writable(key, "META key")
        _writable(value, f"META value of {key!r}")
        if not key or (not value and key.upper() in SECTIONS):
            raise ValueError(f"META key {key!r} with value {value!r} cannot be written")
        writer.writerow([key, value])

    fixed = ("project_id", "cost", "name")
    project_keys: dict[str, None] = {}
    ids: set[str] = set()
    for project in election.projects:
        _writable(project.id, "project id")
        _writable(project.name, "project name")
        if not project.id or "," in project.id or project.id in ids:
            raise ValueError(f"project id {project.id!r} is empty, has a comma or is repeated")
        if not project.cost.is_finite() or project.cost < 0:
            raise ValueError(f"project {project.id!r} has cost {project.cost}")
        ids.add(project.id)
        project_keys.update(dict.fromkeys(project.extra))
    if any(key in fixed for key in project_keys):
        raise ValueError("a project's extra repeats project_id, cost or name")
    with_name = any(project.name for project in election.projects)
    writer.writerow(["PROJECTS"])
    writer.writerow([*fixed[: 3 if with_name else 2], *project_keys])
    for project in election.projects:
        for key, value in project.extra.items():
            _writable(key, "project column")
            _writable(value, f"project {project.id!r} {key}")
        writer.writerow(
            [
                project.id,
                format(project.cost, "f"),
                *([project.name] if with_name else []),
                *(project.extra.get(key, "") for key in project_keys),
            ]
        )

    fixed = ("voter_id", "vote", "points")
    vote_keys: dict[str, None] = {}
    for vote in election.votes:
        vote_keys.update(dict.fromkeys(vote.extra))
    if any(key in fixed for key in vote_keys):
        raise ValueError("a ballot's extra repeats voter_id, vote or points")
    writer.writerow(["VOTES"])
    writer.writerow([*fixed[: 3 if with_points else 2], *vote_keys])
    voters: set[str] = set()
    for vote in election.votes:
        _writable(vote.voter_id, "voter id")
        if not vote.voter_id or vote.voter_id in voters:
            raise ValueError(f"voter id {vote.voter_id!r} is empty or repeated")
        voters.add(vote.voter_id)
        unknown = [p for p in vote.vote if p not in ids]
        if unknown or len(set(vote.vote)) != len(vote.vote):
            raise ValueError(f"ballot of {vote.voter_id!r}: unknown or repeated project")
        row = [vote.voter_id, ",".join(vote.vote)]
        if with_points:
            if vote.points is None or len(vote.points) != len(vote.vote):
                raise ValueError(f"ballot of {vote.voter_id!r}: one point per project needed")
            row.append(",".join(map(str, vote.points)))
        elif vote.points is not None:
            raise ValueError(f"ballot of {vote.voter_id!r} has points in a {election.vote_type}")
        for key, value in vote.extra.items():
            _writable(key, "ballot column")
            _writable(value, f"ballot of {vote.voter_id!r} {key}")
        row += [vote.extra.get(key, "") for key in vote_keys]
        writer.writerow(row)


def write_pb(election: Election) -> str:
    """``election`` as the text of a ``.pb`` file (see ``dump_pb``)."""
    out = io.StringIO()
    dump_pb(election, out)
    return out.getvalue()
