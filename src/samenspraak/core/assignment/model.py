"""The value objects of facilitator assignment: who needs, who guides, what was decided and why.

Also the department rule itself: nobody guides a committee whose theme their own department
owns (departments are compared Unicode-normalised, case-folded and without white space).
"""

from __future__ import annotations

import enum
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass

from samenspraak.core.errors import InputError, Location


@dataclass(frozen=True)
class Facilitator:
    id: str
    name: str
    department: str
    capacity: int = 1  # the most committees this person guides


@dataclass(frozen=True)
class CommitteeNeed:
    id: str
    name: str
    owning_department: str  # blank: no department owns the theme
    facilitators_needed: int = 1


class ExplanationKind(enum.StrEnum):
    ASSIGNED = "assigned"  # chosen by the optimisation, within every rule
    OVERRIDE = "override"  # fixed by staff, not from the owning department
    OVERRIDE_SAME_DEPARTMENT = "override_same_department"  # fixed by staff against the rule


@dataclass(frozen=True)
class Explanation:
    """Why one facilitator guides one committee, in Dutch and English."""

    code: ExplanationKind
    committee_id: str
    facilitator_id: str
    message_nl: str
    message_en: str
    load: int  # the facilitator's number of committees in this assignment
    capacity: int

    @property
    def is_override(self) -> bool:
        return self.code is not ExplanationKind.ASSIGNED


@dataclass(frozen=True)
class Assignment:
    pairs: tuple[tuple[str, str], ...]  # (committee id, facilitator id), sorted
    load: Mapping[str, int]  # every facilitator id (sorted) -> number of committees
    max_load: int
    explanations: tuple[Explanation, ...]  # one per pair, in the order of ``pairs``

    @property
    def at_max_load(self) -> tuple[str, ...]:
        """The ids of the facilitators whose load equals the maximum."""
        return tuple(fid for fid, load in self.load.items() if load == self.max_load)


class AssignmentInfeasible(InputError):
    """No assignment meets every rule; names the committees (and facilitators) concerned.

    For every group of committees named, even those committees alone cannot be served, given
    the facilitators' capacities and the fixed pairs.
    """

    def __init__(
        self,
        *,
        message_nl: str,
        message_en: str,
        committee_ids: tuple[str, ...],
        facilitator_ids: tuple[str, ...] = (),
        location: Location | None = None,
    ) -> None:
        self.committee_ids = committee_ids
        self.facilitator_ids = facilitator_ids
        super().__init__(
            code="assignment_infeasible",
            message_nl=message_nl,
            message_en=message_en,
            location=location,
        )


def department_key(department: str) -> str:
    """A department as compared: Unicode-normalised, without any white space, case-folded."""
    return "".join(unicodedata.normalize("NFKC", department).split()).casefold()


def is_same_department(facilitator_department: str, owning_department: str) -> bool:
    """Whether a facilitator comes from the department that owns a theme.

    A blank owning department means no department owns the theme, so it never matches.
    """
    owner = department_key(owning_department)
    return bool(owner) and owner == department_key(facilitator_department)
