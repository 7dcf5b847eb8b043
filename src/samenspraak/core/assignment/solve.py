"""Facilitator assignment in three exact stages on one flow network.

Objective, lexicographically: (1) the smallest possible maximum load, (2) then the fewest
facilitators at that maximum, (3) then, of all assignments that are optimal for (1) and (2), the
one whose sorted list of (committee id, facilitator id) pairs is lexicographically smallest.
See docs/methods/facilitator-assignment.md.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from samenspraak.core.assignment.explain import check_fixed_capacity, infeasible
from samenspraak.core.assignment.model import Assignment, CommitteeNeed, Facilitator
from samenspraak.core.assignment.problem import Problem


def assign_facilitators(
    committees: Sequence[CommitteeNeed],
    facilitators: Sequence[Facilitator],
    *,
    fixed: Mapping[str, Sequence[str]] | None = None,
    forbidden: Mapping[str, Sequence[str]] | None = None,
) -> Assignment:
    """Assign ``facilitators_needed`` distinct facilitators to every committee.

    ``fixed`` and ``forbidden`` map a committee id to facilitator ids. Fixed pairs are always
    used, even against the department rule, and count towards need, load and capacity;
    forbidden pairs are never used. The result depends only on the input's content, not on the
    order of the sequences. Raises ``InputError`` for malformed input and
    ``AssignmentInfeasible`` (code ``assignment_infeasible``) when no assignment exists.
    """
    problem = Problem(committees, facilitators, fixed or {}, forbidden or {})
    check_fixed_capacity(problem)
    network = problem.network()
    network.set_caps(direct=[f.capacity - problem.fixed_load[j] for j, f in problem.fac_items()])
    if network.augment() < problem.demand:
        raise infeasible(problem, network)

    # Stage 1: the smallest maximum load L. Raising L only adds capacity, so keep augmenting.
    max_load = max([*problem.fixed_load, 1 if problem.demand else 0])
    network = problem.network()
    while True:
        network.set_caps(direct=problem.room(max_load))
        if network.augment() == problem.demand:
            break
        max_load += 1

    # Stage 2: the fewest facilitators at L. A facilitator's first L-1 units go straight to
    # the sink; the L-th goes through one shared node whose capacity K is the number of
    # facilitators allowed to reach L (besides those whose fixed pairs already put them at L).
    network = problem.network()
    network.set_caps(
        direct=problem.room(max_load - 1),
        top=[
            1 if f.capacity >= max_load and problem.fixed_load[j] < max_load else 0
            for j, f in problem.fac_items()
        ],
        top_total=0,
    )
    while network.augment() < problem.demand:
        network.set_caps(top_total=network.capacity[network.top_total] + 1)

    # Stage 3: the lexicographically smallest pairs. Walk the candidate pairs in order; keep a
    # pair when the current flow uses it or a residual cycle through it exists (then push the
    # cycle), otherwise rule it out. Kept pairs are locked, so later cycles cannot undo them.
    for i, _ in enumerate(problem.committees):
        chosen = 0
        for edge in network.committee_arcs[i]:
            if chosen < problem.need_left[i] and (
                network.flow[edge] == 1 or network.push_cycle_through(edge)
            ):
                network.lock(edge)
                chosen += 1
            else:
                network.exclude(edge)
    return problem.result(network)
