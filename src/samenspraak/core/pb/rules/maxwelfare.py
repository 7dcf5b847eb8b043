"""The utilitarian optimum: the affordable set of projects with the largest total satisfaction.

With cost satisfaction a project adds ``score * cost`` (approvals, points or Borda score times
its cost) to the total, so this is a 0/1 knapsack: maximise ``sum(score_p * cost_p * x_p)``
subject to ``sum(cost_p * x_p) <= budget``. It is solved as an integer programme with HiGHS
(relative and absolute gap 0, tight feasibility tolerances); the chosen set is then checked
against the budget in exact integers, and when rounding made it a hair too expensive the
programme is solved again with the budget lowered by the excess. Several sets can reach the
optimum: which one HiGHS returns is not specified, so compare welfare, not sets.
"""

from __future__ import annotations

import numpy as np

from samenspraak.core.pb.rules._profile import Profile
from samenspraak.core.sortition.highs import INF, int32, new_solver, optimal

_ATTEMPTS = 8


def welfare_weights(profile: Profile) -> list[int]:
    """Each project's total cost satisfaction (scaled money times score); never negative."""
    scores = profile.project_scores()
    return [max(score, 0) * cost for score, cost in zip(scores, profile.costs, strict=True)]


def max_utilitarian(profile: Profile) -> list[int]:
    weights = welfare_weights(profile)
    costs = profile.costs
    budget = profile.budget
    items = [p for p in range(profile.n_projects) if weights[p] > 0 and costs[p] <= budget]
    # Projects without cost always fit (they add nothing to the total but cost nothing).
    free = [p for p in range(profile.n_projects) if costs[p] == 0]
    items = [p for p in items if costs[p] > 0]
    chosen: list[int] = []
    if items:
        chosen = _solve(items, weights, costs, budget)
    scores = profile.project_scores()
    chosen_all = set(chosen) | set(free)
    return sorted(chosen_all, key=lambda p: (-scores[p], profile.name_rank[p]))


def _solve(items: list[int], weights: list[int], costs: tuple[int, ...], budget: int) -> list[int]:
    n = len(items)
    top = float(max(weights[p] for p in items))
    objective = -np.asarray([weights[p] / top for p in items], dtype=np.float64)
    row = np.asarray([costs[p] / budget for p in items], dtype=np.float64)
    limit = budget
    for _ in range(_ATTEMPTS):
        solver = new_solver()
        for option, value in (
            ("mip_rel_gap", 0.0),
            ("mip_abs_gap", 0.1 / top),
            ("mip_feasibility_tolerance", 1e-9),
            ("primal_feasibility_tolerance", 1e-9),
        ):
            solver.setOptionValue(option, value)
        solver.addVars(n, np.zeros(n), np.ones(n))
        solver.changeColsCost(n, int32(np.arange(n)), objective)
        solver.changeColsIntegrality(n, int32(np.arange(n)), np.ones(n, dtype=np.uint8))
        solver.addRows(
            1,
            np.asarray([-INF]),
            np.asarray([limit / budget]),
            n,
            int32([0]),
            int32(np.arange(n)),
            row,
        )
        solver.run()
        if not optimal(solver):
            raise RuntimeError(f"HiGHS did not solve the knapsack: {solver.getModelStatus().name}")
        values = np.asarray(solver.getSolution().col_value)
        chosen = [items[i] for i in np.flatnonzero(values > 0.5)]
        total = sum(costs[p] for p in chosen)
        if total <= budget:
            return chosen
        limit -= total - budget
    raise RuntimeError("HiGHS kept returning a set over the budget")
