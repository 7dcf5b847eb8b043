"""Greedy rules: pabutools' utilitarian greedy and the official greedy variants of Pabulib files.

- ``greedy_welfare``: pabutools ``greedy_utilitarian_welfare`` with cost satisfaction. A
  project's satisfaction density is its total satisfaction divided by its cost; with cost
  satisfaction (a voter's satisfaction with a project is its cost times the voter's score for
  it) that is the project's score (approvals, points or Borda score). Projects with cost 0 or
  score 0 have density 0 and come last. Ties: project id, lexicographically. A project that
  does not fit in what is left of the budget is skipped.
- ``ranked_greedy``: the official Pabulib greedy rules: projects ranked by score (ties by
  project id), optionally skipping projects under a score threshold, stopping at the first
  project that does not fit (``no_skip``), or with a budget per group of projects
  (Amsterdam's per-neighbourhood budgets).
"""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal

from samenspraak.core.pb.rules._profile import Profile


def greedy_welfare(profile: Profile, initial: Sequence[int] = ()) -> list[int]:
    """pabutools ``greedy_utilitarian_welfare(sat_class=Cost_Sat)``, completing ``initial``."""
    scores = profile.project_scores()
    costs = profile.costs
    chosen = set(initial)
    left = profile.budget - sum(costs[p] for p in initial)

    def density(project: int) -> int:
        return scores[project] if costs[project] > 0 and scores[project] > 0 else 0

    order = sorted(
        (p for p in range(profile.n_projects) if p not in chosen),
        key=lambda p: (-density(p), profile.name_rank[p]),
    )
    selected: list[int] = []
    for project in order:
        if costs[project] <= left:
            selected.append(project)
            left -= costs[project]
    return selected


def ranked_greedy(
    profile: Profile,
    *,
    threshold: Decimal | None = None,
    no_skip: bool = False,
    groups: Sequence[int] | None = None,
    group_budgets: Sequence[int] = (),
) -> list[int]:
    """Projects by score (ties: project id); fund each that fits.

    ``threshold``: skip projects whose score is below it. ``no_skip``: stop at the first
    project (at or above the threshold) that does not fit. ``groups``/``group_budgets``: the
    project's group (index into ``group_budgets``) and each group's own budget, which the
    group's funded projects may not exceed (besides the overall budget).
    """
    scores = profile.project_scores()
    costs = profile.costs
    order = sorted(range(profile.n_projects), key=lambda p: (-scores[p], profile.name_rank[p]))
    left = profile.budget
    group_left = list(group_budgets)
    selected: list[int] = []
    for project in order:
        if threshold is not None and scores[project] < threshold:
            continue
        cost = costs[project]
        fits = cost <= left and (groups is None or cost <= group_left[groups[project]])
        if fits:
            selected.append(project)
            left -= cost
            if groups is not None:
                group_left[groups[project]] -= cost
        elif no_skip:
            break
    return selected
