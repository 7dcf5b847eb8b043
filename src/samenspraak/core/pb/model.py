"""Participatory-budgeting elections as in the Pabulib format (pabulib.org/format).

An ``Election`` is what a ``.pb`` file holds: META (key/value), PROJECTS (id, cost, ...) and
VOTES (one ballot per voter). Costs and the budget are ``Decimal`` (money is compared exactly);
ballots keep project ids as strings, exactly as in the file. The voting rules
(``samenspraak.core.pb.rules``) turn an election into arrays once and work on those.

Ballot types (META ``vote_type``):

- ``approval``: ``vote`` lists the approved projects (order carries no meaning);
- ``cumulative``: ``vote`` lists projects and ``points`` the points given to each;
- ``scoring``: as cumulative, but each score is independent (no total to distribute);
- ``ordinal``: ``vote`` lists projects from most to least preferred.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from enum import StrEnum
from types import MappingProxyType

_EMPTY: Mapping[str, str] = MappingProxyType({})


def _empty() -> Mapping[str, str]:
    # A factory, not a default: dataclasses refuse an unhashable default such as a mappingproxy.
    return _EMPTY


class VoteType(StrEnum):
    APPROVAL = "approval"
    CUMULATIVE = "cumulative"
    SCORING = "scoring"
    ORDINAL = "ordinal"


@dataclass(frozen=True, slots=True)
class Project:
    """A project on the ballot. ``extra`` keeps every other PROJECTS column as text
    (``name`` aside): ``category``, ``target``, ``votes``, ``score``, ``selected``,
    ``neighborhood``, ..."""

    id: str
    cost: Decimal
    name: str = ""
    extra: Mapping[str, str] = field(default_factory=_empty)


@dataclass(frozen=True, slots=True)
class Vote:
    """One voter's ballot. ``points`` is ``None`` for approval and ordinal ballots and has one
    entry per project in ``vote`` for cumulative and scoring ballots. ``extra`` keeps every
    other VOTES column as text (``age``, ``sex``, ``neighborhood``, ``voting_method``, ...)."""

    voter_id: str
    vote: tuple[str, ...]
    points: tuple[int, ...] | None = None
    extra: Mapping[str, str] = field(default_factory=_empty)


@dataclass(frozen=True, slots=True)
class Election:
    """A whole PB instance. ``meta`` keeps every META key as text, in file order."""

    meta: Mapping[str, str]
    projects: tuple[Project, ...]
    votes: tuple[Vote, ...]

    @property
    def budget(self) -> Decimal:
        return Decimal(self.meta["budget"].replace(",", "."))

    @property
    def vote_type(self) -> VoteType:
        """The META ``vote_type``; Pabulib's ``choose-1`` (approve exactly one) is approval."""
        value = self.meta.get("vote_type", "approval")
        return VoteType.APPROVAL if value == "choose-1" else VoteType(value)

    def project(self, project_id: str) -> Project:
        for project in self.projects:
            if project.id == project_id:
                return project
        raise KeyError(project_id)


@dataclass(frozen=True, slots=True)
class Outcome:
    """What a voting rule funds: ``selected`` in the order the rule chose them, their
    ``total_cost`` and the ``budget``. ``rule`` names the rule as the CLI does
    (``greedy``, ``mes``, ``mes-add1``, ...); ``details`` holds rule-specific facts as text
    (e.g. the final voter budget of ``mes-add1``, the official rule applied)."""

    rule: str
    selected: tuple[str, ...]
    total_cost: Decimal
    budget: Decimal
    details: Mapping[str, str] = field(default_factory=_empty)
