"""Sequential Phragmén for approval ballots, exact (pabutools ``sequential_phragmen``).

Definition (Brill, Freeman, Janson and Lackner, "Phragmén's voting methods and justified
representation", AAAI 2017; for budgets Los, Christoff and Grossi 2022): voters earn virtual
money at the same rate, starting at 0. A project is bought as soon as its supporters together
have earned its cost; the money is spent, so every supporter's *load* becomes the same new
maximal load ``(sum of the supporters' loads + cost) / number of supporters``. Each round buys
the project with the lowest new maximal load (ties: project id, lexicographically; a project
nobody supports has an infinite load). The rule stops as soon as one of the projects with the
lowest new load does not fit in what is left of the budget. Projects costing more than the
budget never take part.

Exactly as fast: a voter's load is the load set when the last project they support was bought,
so voters fall in a few *load classes* (one per bought project, plus load 0). Each round counts
the supporters per class with one ``numpy.bincount``, computes the new loads in floats, and
compares exactly (``Fraction``) every project whose float load is within a rigorous error
bound of the smallest.
"""

from __future__ import annotations

from fractions import Fraction
from math import inf

import numpy as np

from samenspraak.core.pb.rules._profile import Profile

EPS = float(np.finfo(np.float64).eps)


def sequential_phragmen(profile: Profile) -> list[int]:
    costs = profile.costs
    rank = profile.name_rank
    n_projects = profile.n_projects
    approvals = [int(a) for a in profile.approvals]
    remaining = {p for p in range(n_projects) if costs[p] <= profile.budget}
    loads: list[Fraction] = [Fraction(0)]
    voter_class = np.zeros(profile.n_voters, dtype=np.int64)
    entry_project = profile.entry_project
    left = profile.budget
    selected: list[int] = []
    while remaining:
        n_classes = len(loads)
        keys = entry_project * n_classes + voter_class[profile.entry_voter]
        counts = np.bincount(keys, minlength=n_projects * n_classes).reshape(n_projects, n_classes)
        float_loads = np.asarray([float(x) for x in loads])
        candidates = sorted(remaining)
        index = np.asarray(candidates, dtype=np.int64)
        sums = counts[index] @ float_loads
        cost_array = np.asarray([float(costs[p]) for p in candidates])
        support = np.asarray([approvals[p] for p in candidates], dtype=np.float64)
        with np.errstate(divide="ignore", invalid="ignore"):
            new_loads = np.where(support > 0, (sums + cost_array) / support, inf)
        # |float - exact| <= (classes + 3) * eps * value: a sum of non-negative terms.
        error = 4 * (n_classes + 3) * EPS * np.where(np.isfinite(new_loads), new_loads, 0.0)
        best = float(np.min(new_loads + error))
        near = [candidates[i] for i in np.flatnonzero(new_loads - error <= best)]
        if best == inf:
            tied = near  # nobody supports any remaining project: all tie at infinity
            exact_best: Fraction | None = None
        else:
            exact = {
                p: (
                    sum((int(counts[p, k]) * loads[k] for k in range(n_classes)), Fraction(0))
                    + costs[p]
                )
                / approvals[p]
                for p in near
                if approvals[p] > 0
            }
            exact_best = min(exact.values())
            tied = [p for p in near if p in exact and exact[p] == exact_best]
        if any(costs[p] > left for p in tied):
            break
        winner = min(tied, key=rank.__getitem__)
        selected.append(winner)
        remaining.discard(winner)
        left -= costs[winner]
        if exact_best is not None and approvals[winner] > 0:
            loads.append(exact_best)
            voter_class[profile.supporters(winner)] = len(loads) - 1
    return selected
