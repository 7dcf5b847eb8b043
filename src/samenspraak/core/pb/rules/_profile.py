"""An election as arrays, built once per tally: what every rule works on.

Money is exact: every cost, the budget (and the ``mes-add1`` increment, the per-neighbourhood
budgets) is multiplied by one power of ten (``scale``) so that all are whole numbers, and the
rules compare Python integers or ``Fraction``s of them, never floats. Ballots become index
arrays: ``entry_project[voter_ptr[i]:voter_ptr[i + 1]]`` are the projects voter ``i`` lists
(approval ballots sorted, each project once); ``project_voters`` holds the same entries grouped
by project. Projects keep the election's order; ``name_rank`` is each project's place in
pabutools' lexicographic tie-breaking (the project id as a string, compared by code point).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation, localcontext
from fractions import Fraction
from functools import cached_property
from itertools import chain
from operator import attrgetter

import numpy as np
import numpy.typing as npt

from samenspraak.core.errors import InputError, Location
from samenspraak.core.pb.model import Election, VoteType

IntArray = npt.NDArray[np.int64]
_BALLOT = attrgetter("vote")


def _bad_election(code: str, nl: str, en: str, field: str | None = None) -> InputError:
    return InputError(
        code=code, message_nl=nl, message_en=en, location=Location(field=field) if field else None
    )


def decimal_places(amounts: Iterable[Decimal]) -> int:
    """The number of decimal places needed to write every amount as a whole number."""
    places = 0
    for amount in amounts:
        exponent = amount.as_tuple().exponent
        if isinstance(exponent, int) and exponent < 0:
            places = max(places, -exponent)
    return places


def scaled(amount: Decimal, scale: int) -> int:
    """``amount * scale`` as an exact integer (``scale`` makes it whole)."""
    with localcontext() as context:
        context.prec = 200
        value = amount * scale
        if value != value.to_integral_value():
            raise ValueError(f"{amount} is not a whole number of 1/{scale}")
        return int(value)


def parse_amount(text: str, field: str) -> Decimal:
    """A META amount (``.`` or ``,`` as the decimal mark), or ``InputError``."""
    try:
        value = Decimal(text.strip().replace(",", "."))
    except InvalidOperation:
        value = Decimal("NaN")
    if not value.is_finite() or value < 0:
        raise _bad_election(
            "pb_bad_amount",
            f"'{text}' is geen geldig bedrag. Schrijf een getal van 0 of meer.",
            f"'{text}' is not a valid amount. Write a number of 0 or more.",
            field,
        )
    return value


def election_budget(election: Election) -> Decimal:
    """The META budget, or ``InputError`` when it is missing or not an amount."""
    if "budget" not in election.meta:
        raise _bad_election(
            "pb_no_budget",
            "META noemt geen budget.",
            "META has no budget.",
            "budget",
        )
    return parse_amount(election.meta["budget"], "budget")


@dataclass(frozen=True, eq=False)
class Profile:
    """The arrays of one election (see the module docstring)."""

    ids: tuple[str, ...]
    name_rank: tuple[int, ...]
    costs: tuple[int, ...]
    budget: int
    scale: int
    vote_type: VoteType
    n_voters: int
    voter_ptr: IntArray
    entry_project: IntArray
    entry_voter: IntArray
    entry_score: IntArray | None
    approvals: IntArray

    @cached_property
    def project_ptr(self) -> IntArray:
        """``project_voters[project_ptr[p]:project_ptr[p + 1]]`` are project ``p``'s voters."""
        ptr = np.zeros(self.n_projects + 1, dtype=np.int64)
        np.cumsum(self.approvals, out=ptr[1:])
        return ptr

    @cached_property
    def project_voters(self) -> IntArray:
        """The entries' voters grouped by project (each group in increasing voter order)."""
        return self.entry_voter[np.argsort(self.entry_project, kind="stable")]

    @property
    def n_projects(self) -> int:
        return len(self.ids)

    def supporters(self, project: int) -> IntArray:
        """The voters who list ``project`` (in increasing voter order)."""
        return self.project_voters[self.project_ptr[project] : self.project_ptr[project + 1]]

    def money(self, amount: int | Fraction) -> Decimal:
        """A scaled amount back as ``Decimal`` (exact when ``amount`` is whole)."""
        with localcontext() as context:
            context.prec = 60
            if isinstance(amount, Fraction):
                return Decimal(amount.numerator) / Decimal(amount.denominator) / self.scale
            return Decimal(amount) / self.scale

    def scale_amount(self, amount: Decimal) -> int:
        return scaled(amount, self.scale)

    def project_scores(self) -> list[int]:
        """Per project the total score a ballot type gives (see docs/methods/pb-rules.md):
        the number of voters listing it (approval), the total points (cumulative, scoring)
        or the total Borda score (ordinal)."""
        if self.entry_score is None:
            return [int(x) for x in self.approvals]
        totals = np.zeros(self.n_projects, dtype=np.int64)
        np.add.at(totals, self.entry_project, self.entry_score)
        return [int(x) for x in totals]


def build_profile(election: Election, extra_amounts: Iterable[Decimal] = ()) -> Profile:
    """Turn ``election`` into a ``Profile``; ``InputError`` when it cannot be counted."""
    vote_type = _vote_type(election)
    budget = election_budget(election)
    projects = election.projects
    ids = tuple(project.id for project in projects)
    index: dict[str, int] = {}
    for position, project_id in enumerate(ids):
        if project_id in index:
            raise _bad_election(
                "pb_duplicate_project",
                f"Project '{project_id}' staat twee keer in de lijst met projecten.",
                f"Project '{project_id}' is listed twice among the projects.",
            )
        index[project_id] = position
    for project in projects:
        if not project.cost.is_finite() or project.cost < 0:
            raise _bad_election(
                "pb_bad_cost",
                f"Project '{project.id}' heeft geen geldige kosten ({project.cost}).",
                f"Project '{project.id}' has no valid cost ({project.cost}).",
                "cost",
            )
    extra = list(extra_amounts)
    scale = 10 ** decimal_places([budget, *extra, *(project.cost for project in projects)])
    costs = tuple(scaled(project.cost, scale) for project in projects)

    order = sorted(range(len(ids)), key=ids.__getitem__)
    name_rank = [0] * len(ids)
    for rank, position in enumerate(order):
        name_rank[position] = rank

    votes = election.votes
    n_voters = len(votes)
    lengths = np.fromiter((len(vote.vote) for vote in votes), dtype=np.int64, count=n_voters)
    flat = list(chain.from_iterable(map(_BALLOT, votes)))
    try:
        entry_project = np.fromiter(map(index.__getitem__, flat), dtype=np.int64, count=len(flat))
    except KeyError as error:
        unknown = str(error.args[0])
        voter = next(vote.voter_id for vote in votes if unknown in vote.vote)
        raise _bad_election(
            "pb_unknown_project",
            f"Kiezer '{voter}' stemt op project '{unknown}', maar dat project bestaat niet.",
            f"Voter '{voter}' votes for project '{unknown}', which does not exist.",
            "vote",
        ) from None
    entry_voter = np.repeat(np.arange(n_voters, dtype=np.int64), lengths)
    entry_score: IntArray | None = None
    if vote_type in (VoteType.CUMULATIVE, VoteType.SCORING):
        entry_score = _points(election)
    elif vote_type is VoteType.ORDINAL:
        # Borda as pabutools' Additive_Borda_Sat: length of the ballot - position - 1.
        starts = np.repeat(np.cumsum(lengths) - lengths, lengths)
        place = np.arange(len(flat), dtype=np.int64) - starts
        entry_score = np.repeat(lengths, lengths) - place - 1

    n_projects = len(ids)
    width = max(n_projects, 1)
    keys = np.sort(entry_voter * width + entry_project)
    repeated = keys[1:] == keys[:-1]
    if bool(repeated.any()):
        if vote_type is not VoteType.APPROVAL:
            voter_index = int(keys[1:][repeated][0] // width)
            raise _bad_election(
                "pb_vote_twice",
                f"De stem van kiezer '{votes[voter_index].voter_id}' noemt een project twee keer.",
                f"The vote of voter '{votes[voter_index].voter_id}' names a project twice.",
                "vote",
            )
        # An approval ballot is a set (as in pabutools): each project counts once.
        keys = keys[np.concatenate(([True], ~repeated))]
        entry_voter = keys // width
        entry_project = keys % width
        lengths = np.bincount(entry_voter, minlength=n_voters).astype(np.int64)
    voter_ptr = np.zeros(n_voters + 1, dtype=np.int64)
    np.cumsum(lengths, out=voter_ptr[1:])
    approvals = np.bincount(entry_project, minlength=n_projects).astype(np.int64)
    return Profile(
        ids=ids,
        name_rank=tuple(name_rank),
        costs=costs,
        budget=scaled(budget, scale),
        scale=scale,
        vote_type=vote_type,
        n_voters=n_voters,
        voter_ptr=voter_ptr,
        entry_project=entry_project,
        entry_voter=entry_voter,
        entry_score=entry_score,
        approvals=approvals,
    )


def _vote_type(election: Election) -> VoteType:
    try:
        return election.vote_type
    except ValueError:
        text = election.meta.get("vote_type", "")
        raise _bad_election(
            "pb_bad_vote_type",
            f"Het stemtype '{text}' is onbekend. "
            "Kies approval, choose-1, cumulative, scoring of ordinal.",
            f"The vote type '{text}' is unknown. "
            "Choose approval, choose-1, cumulative, scoring or ordinal.",
            "vote_type",
        ) from None


def _points(election: Election) -> IntArray:
    flat: list[int] = []
    for vote in election.votes:
        if vote.points is None or len(vote.points) != len(vote.vote):
            raise _bad_election(
                "pb_points_mismatch",
                f"De stem van kiezer '{vote.voter_id}' heeft niet bij elk project punten.",
                f"The vote of voter '{vote.voter_id}' does not give points to every project.",
                "points",
            )
        flat.extend(vote.points)
    return np.asarray(flat, dtype=np.int64).reshape(-1)
