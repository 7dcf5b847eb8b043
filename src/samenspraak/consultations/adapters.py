"""The only translation between consultation rows and the core's PB election
(``samenspraak.core.pb.model``): a PB consultation's items and ballots become an
``Election`` for the voting rules and the ``.pb`` writer, and a read ``.pb`` file becomes
the field values of a consultation, its items and its ballots.

Voters are numbered 1, 2, ... in the order their ballots were first stored: a voter key
never leaves the database. Ballots without any choice count for turnout but are not part of
the election (a voter who approves nothing changes no rule's outcome except by diluting
MES shares, which equalshares.net does not do either).
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

from samenspraak.consultations.models import (
    AgeBand,
    Ballot,
    BallotType,
    Choice,
    Consultation,
)
from samenspraak.core.errors import InputError, Location
from samenspraak.core.pb.model import Election, Project, Vote, VoteType

__all__ = [
    "ImportedConsultation",
    "InputError",
    "age_band_of",
    "ballot_rows",
    "election_from_consultation",
    "error_message",
    "imported_consultation",
    "pabulib_rule_name",
    "vote_type_of",
]

# Our rule names as Pabulib writes them in META ``rule`` (others are written as they are).
PABULIB_RULE_NAMES = {
    "greedy": "greedy",
    "mes": "equalshares",
    "mes-add1": "equalshares/add1",
}
# META keys this module writes itself from the consultation's fields (an imported file's
# other META keys are kept in ``Consultation.pb_meta`` and written back unchanged).
COMPUTED_META = (
    "description",
    "num_projects",
    "num_votes",
    "budget",
    "vote_type",
    "rule",
    "min_length",
    "max_length",
    "max_sum_cost",
    "max_sum_points",
)


def error_message(exc: InputError) -> str:
    """A core error in the active language, with where it was found (file, line, field)."""
    from django.utils.translation import get_language

    english = (get_language() or "nl")[:2] == "en"
    where = exc.location.describe_en() if english else exc.location.describe_nl()
    text = exc.message_en if english else exc.message_nl
    return f"{where[:1].upper()}{where[1:]}: {text}" if where else text


def vote_type_of(consultation: Consultation) -> VoteType:
    """The Pabulib vote type of a PB consultation's ballots."""
    if consultation.ballot_type == BallotType.CUMULATIVE:
        if (consultation.pb_meta or {}).get("vote_type") == VoteType.SCORING:
            return VoteType.SCORING
        return VoteType.CUMULATIVE
    if consultation.ballot_type == BallotType.ORDINAL:
        return VoteType.ORDINAL
    return VoteType.APPROVAL


def pabulib_rule_name(rule: str) -> str:
    return PABULIB_RULE_NAMES.get(rule, rule)


def _number(value: Decimal) -> str:
    """An amount as Pabulib writes it: no decimals when whole (cents otherwise)."""
    if value == value.to_integral_value():
        return str(value.quantize(Decimal(1)))
    return f"{value:.2f}"


def _date(moment: datetime.datetime) -> str:
    return moment.strftime("%d.%m.%Y")


@dataclass(frozen=True)
class BallotRow:
    """One stored ballot as plain values: the voter's number, the chosen item codes with
    their values (in ballot order: ordinal by rank), and the optional answers."""

    number: int
    choices: tuple[tuple[str, int], ...]
    age_band: str
    district: str


def ballot_rows(consultation: Consultation) -> list[BallotRow]:
    """Every ballot of the consultation, numbered from 1 in the order they were stored."""
    items = dict(consultation.items.values_list("id", "code"))
    positions = dict(consultation.items.values_list("id", "position"))
    ballots = list(
        Ballot.objects.filter(consultation=consultation)
        .order_by("id")
        .values_list("id", "age_band", "district__name")
    )
    chosen: dict[int, list[tuple[int, int, str, int]]] = {pk: [] for pk, _a, _d in ballots}
    for ballot_id, item_id, value in (
        Choice.objects.filter(ballot__consultation=consultation)
        .order_by()
        .values_list("ballot_id", "item_id", "value")
    ):
        chosen[ballot_id].append((value, positions[item_id], items[item_id], item_id))
    ordinal = consultation.ballot_type == BallotType.ORDINAL
    rows = []
    for number, (pk, age_band, district) in enumerate(ballots, start=1):
        lines = chosen[pk]
        # Ordinal ballots in rank order (value 1 first); others in the order of the ballot.
        lines.sort(key=(lambda t: (t[0], t[1], t[3])) if ordinal else (lambda t: (t[1], t[3])))
        rows.append(
            BallotRow(
                number=number,
                choices=tuple((code, value) for value, _pos, code, _pk in lines),
                age_band=age_band or "",
                district=district or "",
            )
        )
    return rows


def _vote(row: BallotRow, vote_type: VoteType, extra: Mapping[str, str]) -> Vote | None:
    if vote_type in (VoteType.CUMULATIVE, VoteType.SCORING):
        lines = [(code, value) for code, value in row.choices if value != 0]
        if not lines:
            return None
        return Vote(
            voter_id=str(row.number),
            vote=tuple(code for code, _v in lines),
            points=tuple(value for _c, value in lines),
            extra=extra,
        )
    lines = [(code, value) for code, value in row.choices if value > 0]
    if not lines:
        return None
    return Vote(voter_id=str(row.number), vote=tuple(code for code, _v in lines), extra=extra)


def election_from_consultation(
    consultation: Consultation,
    *,
    rows: list[BallotRow] | None = None,
    selected: Iterable[str] | None = None,
    votes_per_item: Mapping[str, int] | None = None,
) -> Election:
    """The consultation as a Pabulib election. ``selected`` (the outcome's project ids) and
    ``votes_per_item`` add the ``selected`` and ``votes`` columns where the items do not
    carry them already (an imported file's own columns are kept as they were)."""
    vote_type = vote_type_of(consultation)
    rows = ballot_rows(consultation) if rows is None else rows
    items = list(consultation.items.select_related("district").order_by("position", "id"))
    chosen = set(selected) if selected is not None else None
    item_columns: list[str] = []
    for item in items:
        for key in item.extra or {}:
            if key not in item_columns and key not in ("project_id", "cost", "name"):
                item_columns.append(key)
    computed = []
    if votes_per_item is not None and "votes" not in item_columns:
        computed.append("votes")
    if chosen is not None and "selected" not in item_columns:
        computed.append("selected")
    if any(i.category for i in items) and "category" not in item_columns:
        computed.append("category")
    if any(i.district_id for i in items) and "neighborhood" not in item_columns:
        computed.append("neighborhood")
    projects = []
    for item in items:
        values = {
            "votes": str((votes_per_item or {}).get(item.code, 0)),
            "selected": "1" if chosen is not None and item.code in chosen else "0",
            "category": item.category,
            "neighborhood": item.district.name if item.district else "",
        }
        extra = {key: values[key] for key in computed}
        extra.update({key: str((item.extra or {}).get(key, "")) for key in item_columns})
        projects.append(
            Project(
                id=item.code,
                cost=item.cost or Decimal(0),
                name=" ".join(item.title.split()),
                # Pabulib leaves empty cells out; so does the reader.
                extra={k: " ".join(v.split()) for k, v in extra.items() if v.strip()},
            )
        )
    with_age = any(r.age_band for r in rows)
    with_district = any(r.district for r in rows)
    votes = []
    for row in rows:
        extra = {}
        if with_age and row.age_band:
            extra["age_band"] = row.age_band
        if with_district and row.district:
            extra["neighborhood"] = row.district
        vote = _vote(row, vote_type, extra)
        if vote is not None:
            votes.append(vote)
    return Election(
        meta=election_meta(consultation, num_projects=len(projects), num_votes=len(votes)),
        projects=tuple(projects),
        votes=tuple(votes),
    )


def election_meta(consultation: Consultation, *, num_projects: int, num_votes: int) -> dict:
    """META in Pabulib's usual order: the consultation's own facts, then an imported
    file's other keys as they were."""
    kept = {k: v for k, v in (consultation.pb_meta or {}).items() if k not in COMPUTED_META}
    process = consultation.process
    meta: dict[str, str] = {
        "description": " ".join(consultation.title.split()),
        "country": kept.pop("country", "Netherlands"),
        "unit": kept.pop("unit", process.municipality.name),
        "instance": kept.pop("instance", str(consultation.opens_at.year)),
        "num_projects": str(num_projects),
        "num_votes": str(num_votes),
        "budget": _number(consultation.budget or Decimal(0)),
        "vote_type": vote_type_of(consultation).value,
        "rule": (consultation.pb_meta or {}).get("rule") or pabulib_rule_name(consultation.rule),
        "date_begin": kept.pop("date_begin", _date(consultation.opens_at)),
        "date_end": kept.pop("date_end", _date(consultation.closes_at)),
    }
    if consultation.min_choices:
        meta["min_length"] = str(consultation.min_choices)
    if consultation.max_choices:
        meta["max_length"] = str(consultation.max_choices)
    if consultation.ballot_type == BallotType.KNAPSACK and consultation.budget:
        meta["max_sum_cost"] = _number(consultation.budget)
    if consultation.ballot_type == BallotType.CUMULATIVE and consultation.points:
        meta["max_sum_points"] = str(consultation.points)
    meta.setdefault("language", "nl")
    meta.setdefault("currency", "EUR")
    meta.update(kept)
    return meta


# --- from a .pb file --------------------------------------------------------------------------


AGE_BANDS = (
    (17, AgeBand.UNDER_18),
    (29, AgeBand.A18_29),
    (44, AgeBand.A30_44),
    (64, AgeBand.A45_64),
)


def age_band_of(value: str) -> str:
    """An age in years (Pabulib's ``age`` column) as our age band; an age band as itself;
    anything else (empty, unreadable) as no answer."""
    text = (value or "").strip()
    if text in AgeBand.values:
        return text
    if not text.isdigit():
        return ""
    age = int(text)
    for upper, band in AGE_BANDS:
        if age <= upper:
            return band.value
    return AgeBand.A65_PLUS.value


def _integer(meta: Mapping[str, str], key: str, *, filename: str) -> int | None:
    text = (meta.get(key) or "").strip()
    if not text:
        return None
    try:
        value = int(Decimal(text.replace(",", ".")))
    except (InvalidOperation, ValueError) as exc:
        raise InputError(
            code="pb_meta_not_a_number",
            message_nl=f"META '{key}' is geen heel getal: '{text}'.",
            message_en=f"META '{key}' is not a whole number: '{text}'.",
            location=Location(file=filename, field=key),
        ) from exc
    return value if value >= 0 else None


_DATE_FORMATS = ("%d.%m.%Y", "%Y-%m-%d", "%d-%m-%Y", "%d/%m/%Y", "%Y")


def parse_meta_date(text: str) -> datetime.date | None:
    """A META date (``01.06.2025``, ``2025-06-01``, ``2020``, ...) or None."""
    value = (text or "").strip()
    for fmt in _DATE_FORMATS:
        try:
            return datetime.datetime.strptime(value, fmt).date()  # noqa: DTZ007 (a date)
        except ValueError:
            continue
    match = re.match(r"^(\d{4})", value)
    if match:
        return datetime.date(int(match.group(1)), 1, 1)
    return None


@dataclass(frozen=True)
class ImportedItem:
    code: str
    title: str
    cost: Decimal
    category: str
    neighbourhood: str
    extra: dict[str, str]


@dataclass(frozen=True)
class ImportedBallot:
    voter_id: str
    choices: tuple[tuple[str, int], ...]  # (project id, value) as Choice rows store them
    age_band: str
    neighbourhood: str


@dataclass(frozen=True)
class ImportedConsultation:
    """What a ``.pb`` file gives a consultation: its fields, items and ballots."""

    title: str
    description: str
    ballot_type: str
    budget: Decimal
    min_choices: int
    max_choices: int | None
    points: int | None
    official_rule: str
    date_begin: datetime.date | None
    date_end: datetime.date | None
    pb_meta: dict[str, str]
    items: tuple[ImportedItem, ...]
    ballots: tuple[ImportedBallot, ...]
    currency: str


def imported_consultation(election: Election, *, filename: str) -> ImportedConsultation:
    """Map a read election onto consultation fields. Raises ``InputError`` for what our
    model cannot hold (a budget that is not positive, a cost that is not an amount)."""
    meta = dict(election.meta)
    vote_type = election.vote_type
    try:
        budget = election.budget
    except (KeyError, InvalidOperation) as exc:
        raise InputError(
            code="pb_no_budget",
            message_nl="META heeft geen geldig 'budget'.",
            message_en="META has no valid 'budget'.",
            location=Location(file=filename, field="budget"),
        ) from exc
    if budget <= 0:
        raise InputError(
            code="pb_budget_not_positive",
            message_nl="Het budget moet groter zijn dan 0.",
            message_en="The budget must be more than 0.",
            location=Location(file=filename, field="budget"),
        )
    if vote_type in (VoteType.CUMULATIVE, VoteType.SCORING):
        ballot_type = BallotType.CUMULATIVE
    elif vote_type == VoteType.ORDINAL:
        ballot_type = BallotType.ORDINAL
    elif meta.get("max_sum_cost"):
        ballot_type = BallotType.KNAPSACK
    else:
        ballot_type = BallotType.APPROVAL
    items = []
    for project in election.projects:
        extra = {k: v for k, v in project.extra.items() if k not in ("category", "neighborhood")}
        items.append(
            ImportedItem(
                code=project.id,
                title=(project.name or project.id)[:300],
                cost=project.cost.quantize(Decimal("0.01")),
                category=(project.extra.get("category") or "")[:120],
                neighbourhood=project.extra.get("neighborhood") or "",
                extra=extra,
            )
        )
    ballots = []
    for vote in election.votes:
        if vote_type == VoteType.ORDINAL:
            choices = tuple((pid, rank) for rank, pid in enumerate(vote.vote, start=1))
        elif vote.points is not None:
            choices = tuple(zip(vote.vote, vote.points, strict=True))
        else:
            choices = tuple((pid, 1) for pid in vote.vote)
        ballots.append(
            ImportedBallot(
                voter_id=vote.voter_id,
                choices=choices,
                age_band=age_band_of(vote.extra.get("age", "") or vote.extra.get("age_band", "")),
                neighbourhood=vote.extra.get("neighborhood") or "",
            )
        )
    parts = [meta.get("description", ""), meta.get("unit", ""), meta.get("instance", "")]
    title = " · ".join(p.strip() for p in parts if p and p.strip()) or filename
    return ImportedConsultation(
        title=title[:200],
        description=meta.get("comment", ""),
        ballot_type=ballot_type,
        budget=budget.quantize(Decimal("0.01")),
        min_choices=_integer(meta, "min_length", filename=filename) or 0,
        max_choices=_integer(meta, "max_length", filename=filename) or None,
        points=_integer(meta, "max_sum_points", filename=filename),
        official_rule=meta.get("rule", ""),
        date_begin=parse_meta_date(meta.get("date_begin", "")),
        date_end=parse_meta_date(meta.get("date_end", "")),
        pb_meta=meta,
        items=tuple(items),
        ballots=tuple(ballots),
        currency=meta.get("currency", "EUR") or "EUR",
    )


def plain(value: Any) -> Any:
    """A value from the core (dataclass, Decimal, Mapping, tuple) as plain JSON."""
    import dataclasses

    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: plain(getattr(value, f.name)) for f in dataclasses.fields(value)}
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, Mapping):
        return {str(k): plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple, set, frozenset)):
        return [plain(v) for v in value]
    if isinstance(value, float) and value != value:  # NaN is not JSON
        return None
    if hasattr(value, "value") and isinstance(value.value, str):  # enums
        return value.value
    return value
