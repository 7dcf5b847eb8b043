"""Fairness measures of a participatory-budgeting outcome: ``analyse(election, outcome)``.

The measures follow pabutools' analysis module (``pabutools.analysis``) with cost
satisfaction: a voter's satisfaction with an outcome is the money spent on funded projects on
their ballot (for every ballot type: a project counts when the ballot lists it). Definitions,
and when EJR cannot be checked, are in docs/methods/pb-rules.md:

- ``share_with_funded_project``: voters with at least one funded project on their ballot
  (pabutools ``percent_non_empty_handed``);
- ``average_funded_projects``: funded projects per ballot (``avg_satisfaction`` with
  ``Cardinality_Sat``);
- ``average_cost_satisfaction`` and ``average_cost_satisfaction_share`` (the same divided by the
  budget) (``avg_satisfaction`` with ``Cost_Sat``);
- ``gini_cost_satisfaction``: the Gini coefficient of the voters' cost satisfaction
  (``gini_coefficient_of_satisfaction``);
- ``average_capped_fair_share``: approval ballots; each project's cost is shared equally by
  its supporters, a voter's fair share is ``min(budget / voters, their shares of all projects
  they approve)``, and their ratio is ``min(1, shares of funded projects / fair share)``
  (``average_capped_fair_share_ratio``; voters who approve nothing are left out; in floats);
- ``ejr``, ``ejr_up_to_one``, ``ejr_up_to_any``: approval ballots; extended justified
  representation for cost satisfaction (pabutools ``is_EJR_approval``, ``is_EJR_one_approval``,
  ``is_EJR_any_approval``), checked exactly over every cohesive group.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_HALF_EVEN, Decimal
from fractions import Fraction

import numpy as np
import numpy.typing as npt

from samenspraak.core.errors import InputError, Location
from samenspraak.core.pb.model import Election, Outcome, VoteType
from samenspraak.core.pb.rules._profile import IntArray, Profile, build_profile

__all__ = ["EJR_SUBSET_LIMIT", "Analysis", "EjrCheck", "analyse", "check_ejr"]

EJR_SUBSET_LIMIT = 50_000
"""How many candidate project sets the EJR check may visit before it gives up."""

_CENT = Decimal("0.01")
BoolArray = npt.NDArray[np.bool_]
_DENSE_LIMIT = 50_000_000  # project x voter booleans the EJR check may hold in memory


@dataclass(frozen=True)
class EjrCheck:
    """The EJR check: ``status`` is ``checked``, ``not-approval`` (EJR is defined here for
    approval ballots only) or ``too-large`` (more than ``EJR_SUBSET_LIMIT`` candidate project
    sets); the three verdicts are ``None`` unless checked. ``violation`` holds the project
    set of a group that EJR up to one project fails for (the first found), and ``subsets``
    how many project sets were visited."""

    status: str
    ejr: bool | None = None
    up_to_one: bool | None = None
    up_to_any: bool | None = None
    violation: tuple[str, ...] | None = None
    subsets: int = 0


@dataclass(frozen=True)
class Analysis:
    """Fairness measures of one outcome (see the module docstring)."""

    rule: str
    voters: int
    selected: int
    total_cost: Decimal
    budget: Decimal
    budget_share_used: float
    share_with_funded_project: float
    average_funded_projects: float
    average_cost_satisfaction: Decimal
    average_cost_satisfaction_share: float
    gini_cost_satisfaction: float
    average_capped_fair_share: float | None
    ejr: EjrCheck

    def to_dict(self) -> dict[str, object]:
        """JSON-ready: amounts as strings, shares as numbers, ``None`` as null."""
        return {
            "rule": self.rule,
            "voters": self.voters,
            "selected": self.selected,
            "total_cost": str(self.total_cost),
            "budget": str(self.budget),
            "budget_share_used": self.budget_share_used,
            "share_with_funded_project": self.share_with_funded_project,
            "average_funded_projects": self.average_funded_projects,
            "average_cost_satisfaction": str(self.average_cost_satisfaction),
            "average_cost_satisfaction_share": self.average_cost_satisfaction_share,
            "gini_cost_satisfaction": self.gini_cost_satisfaction,
            "average_capped_fair_share": self.average_capped_fair_share,
            "ejr": {
                "status": self.ejr.status,
                "ejr": self.ejr.ejr,
                "up_to_one": self.ejr.up_to_one,
                "up_to_any": self.ejr.up_to_any,
                "violation": list(self.ejr.violation) if self.ejr.violation else None,
                "subsets": self.ejr.subsets,
            },
        }


def analyse(election: Election, outcome: Outcome, *, ejr_limit: int = EJR_SUBSET_LIMIT) -> Analysis:
    """The fairness measures of ``outcome`` on ``election``."""
    profile = build_profile(election)
    index = {project_id: i for i, project_id in enumerate(profile.ids)}
    funded = np.zeros(profile.n_projects, dtype=bool)
    for project_id in outcome.selected:
        if project_id not in index:
            raise InputError(
                code="pb_unknown_project",
                message_nl=f"De uitkomst noemt project '{project_id}', maar dat bestaat niet.",
                message_en=f"The outcome names project '{project_id}', which does not exist.",
                location=Location(field="selected"),
            )
        funded[index[project_id]] = True
    n = profile.n_voters
    costs = np.asarray(profile.costs, dtype=object)
    satisfaction = voter_cost_satisfaction(profile, funded)
    funded_count = np.bincount(
        profile.entry_voter[funded[profile.entry_project]], minlength=n
    ).astype(np.int64)
    total_satisfaction = sum(satisfaction)
    budget_scaled = profile.budget
    total_scaled = int(costs[funded].sum()) if funded.any() else 0
    average = Fraction(total_satisfaction, n) if n else Fraction(0)
    approval = profile.vote_type is VoteType.APPROVAL
    return Analysis(
        rule=outcome.rule,
        voters=n,
        selected=int(funded.sum()),
        total_cost=profile.money(total_scaled),
        budget=profile.money(budget_scaled),
        budget_share_used=_share(total_scaled, budget_scaled),
        share_with_funded_project=_share(int(np.count_nonzero(funded_count)), n),
        average_funded_projects=_share(int(funded_count.sum()), n),
        average_cost_satisfaction=profile.money(average).quantize(_CENT, ROUND_HALF_EVEN),
        average_cost_satisfaction_share=float(average / budget_scaled) if budget_scaled else 0.0,
        gini_cost_satisfaction=gini(satisfaction),
        average_capped_fair_share=capped_fair_share(profile, funded) if approval else None,
        ejr=check_ejr(profile, funded, limit=ejr_limit) if approval else EjrCheck("not-approval"),
    )


def _share(part: int, whole: int) -> float:
    return float(Fraction(part, whole)) if whole else 0.0


def voter_cost_satisfaction(profile: Profile, funded: BoolArray) -> list[int]:
    """Per voter the (scaled) cost of the funded projects on their ballot, exactly."""
    longest = int(np.max(np.diff(profile.voter_ptr), initial=0))
    if max(profile.costs, default=0) * max(longest, 1) < 2**62:
        spent = np.where(funded, np.asarray(profile.costs, dtype=np.int64), 0)
        totals = np.zeros(profile.n_voters, dtype=np.int64)
        np.add.at(totals, profile.entry_voter, spent[profile.entry_project])
        return [int(x) for x in totals]
    result = [0] * profile.n_voters  # pragma: no cover - amounts beyond 64 bits
    voters, projects = profile.entry_voter.tolist(), profile.entry_project.tolist()
    for voter, project in zip(voters, projects, strict=True):
        if funded[project]:
            result[voter] += profile.costs[project]
    return result


def gini(values: list[int]) -> float:
    """pabutools' ``gini_coefficient``: ``(n + 1 - 2 * sum((n - i) * v_i) / sum(v)) / n``
    over the values sorted increasingly (``i`` from 0); 0 when every value is 0."""
    n = len(values)
    total = sum(values)
    if n == 0 or total == 0:
        return 0.0
    weighted = sum(v * (n - i) for i, v in enumerate(sorted(values)))
    return float((Fraction(n + 1) - Fraction(2 * weighted, total)) / n)


def capped_fair_share(profile: Profile, funded: BoolArray) -> float | None:
    """pabutools' ``average_capped_fair_share_ratio`` (voters approving nothing left out),
    in floats: a measure to report, not a decision."""
    n = profile.n_voters
    if n == 0:
        return None
    counts = profile.approvals.astype(np.float64)
    share = np.divide(
        np.asarray(profile.costs, dtype=np.float64),
        counts,
        out=np.zeros(profile.n_projects),
        where=counts > 0,
    )
    each = share[profile.entry_project]
    fair = np.minimum(
        np.bincount(profile.entry_voter, weights=each, minlength=n), profile.budget / n
    )
    got = np.bincount(
        profile.entry_voter, weights=each * funded[profile.entry_project], minlength=n
    )
    counted = fair > 0
    if not counted.any():
        return None
    return float(np.mean(np.minimum(got[counted] / fair[counted], 1.0)))


def check_ejr(
    profile: Profile,
    funded: BoolArray,
    *,
    limit: int = EJR_SUBSET_LIMIT,
) -> EjrCheck:
    """EJR (and up to one / any project) with cost satisfaction, exactly.

    A group of voters ``V`` is *cohesive* for a non-empty project set ``T`` when every voter
    in ``V`` approves every project in ``T`` and ``|V| / n >= cost(T) / budget``. EJR asks
    that in every such group some voter gets at least ``cost(T)`` from the outcome; up to one
    (any) project: at least ``cost(T)`` minus the most (least) expensive project of ``T`` that
    is not funded. For a set ``T`` the only group worth checking is the one of all voters who
    approve ``T`` and fall short, so the check visits project sets ``T`` (depth first, each
    extended by later projects only) while enough voters approve all of ``T``: a set without
    enough supporters has no superset with enough either. Beyond ``limit`` sets it gives up.
    """
    n = profile.n_voters
    budget = profile.budget
    costs = profile.costs
    satisfaction = np.asarray(voter_cost_satisfaction(profile, funded), dtype=object)
    sat_int = _as_int64(satisfaction)
    approvals = [int(a) for a in profile.approvals]
    order = [p for p in range(profile.n_projects) if approvals[p] * budget >= n * costs[p]]
    dense = profile.n_projects * n <= _DENSE_LIMIT
    approves = np.zeros((profile.n_projects if dense else 0, n), dtype=bool)
    if dense:
        approves[profile.entry_project, profile.entry_voter] = True
    verdict = {"ejr": True, "one": True, "any": True}
    violation: tuple[str, ...] | None = None
    visited = 0
    # (projects of T, their cost, its not-funded costs' max and min, voters approving all)
    stack: list[tuple[tuple[int, ...], int, int, int | None, IntArray, int]] = [
        ((), 0, 0, None, np.arange(n, dtype=np.int64), 0)
    ]
    while stack:
        chosen, cost, top, low, voters, start = stack.pop()
        for position in range(start, len(order)):
            project = order[position]
            new_cost = cost + costs[project]
            if min(len(voters), approvals[project]) * budget < n * new_cost:
                continue
            if dense:
                together = voters[approves[project, voters]]
            else:  # pragma: no cover - elections with tens of millions of project-voter pairs
                together = np.intersect1d(voters, profile.supporters(project), assume_unique=True)
            if len(together) * budget < n * new_cost or len(together) == 0:
                continue
            visited += 1
            if visited > limit:
                return EjrCheck("too-large", subsets=visited - 1)
            new_chosen = (*chosen, project)
            new_top, new_low = top, low
            if not funded[project]:
                new_top = max(top, costs[project])
                new_low = costs[project] if low is None else min(low, costs[project])
            got = sat_int[together] if sat_int is not None else satisfaction[together]
            for key, surplus in (("ejr", 0), ("one", new_top), ("any", new_low or 0)):
                if not verdict[key]:
                    continue
                short = int(np.count_nonzero(got + surplus < new_cost))
                if short and short * budget >= n * new_cost:
                    verdict[key] = False
                    if key == "one" and violation is None:
                        violation = tuple(profile.ids[p] for p in new_chosen)
            stack.append((new_chosen, new_cost, new_top, new_low, together, position + 1))
    return EjrCheck(
        "checked",
        ejr=verdict["ejr"],
        up_to_one=verdict["one"],
        up_to_any=verdict["any"],
        violation=violation,
        subsets=visited,
    )


def _as_int64(values: npt.NDArray[np.object_]) -> IntArray | None:
    """The satisfactions as int64 when they fit (they do unless amounts are astronomic)."""
    if len(values) == 0 or max(values) < 2**62:
        return np.asarray(values, dtype=np.int64)
    return None  # pragma: no cover - amounts beyond 64 bits
