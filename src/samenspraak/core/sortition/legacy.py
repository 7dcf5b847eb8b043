"""The Sortition Foundation's earlier greedy selection, kept for comparison.

As in their ``find_random_sample_legacy`` (stratification app): seat by seat, take the quota
whose unmet minimum is most urgent (seats still needed / people still available), draw a
random remaining person with that value, then remove that person's household and everyone
whose values have reached their maximum. A run that gets stuck starts over, up to
``ATTEMPTS`` times. It does not compute a distribution: ``legacy_distribution`` estimates
one from ``RUNS`` seeded runs, so its probabilities are frequencies.
"""

from __future__ import annotations

import numpy as np

from samenspraak.core.errors import InputError
from samenspraak.core.sortition.panels import IntArray, PanelProblem

RUNS = 1000
ATTEMPTS = 100
# Fixed, so that the estimated distribution (and so every draw from it) is reproducible.
ESTIMATE_SEED = 19700101


def legacy_panel(problem: PanelProblem, rng: np.random.Generator) -> IntArray | None:
    """One attempt of the greedy algorithm: a panel (sorted positions) or None when stuck."""
    has_value = problem.person_membership  # quota x person, bool
    mins, maxs = problem.mins, problem.maxs
    remaining = np.ones(problem.n, dtype=bool)
    available = has_value.sum(axis=1).astype(np.float64)
    seated = np.zeros(len(mins))
    panel: list[int] = []

    def remove(people: IntArray) -> None:
        nonlocal available
        people = people[remaining[people]]
        remaining[people] = False
        available = available - has_value[:, people].sum(axis=1)

    # Values whose maximum is 0 exclude their people from the start.
    remove(np.flatnonzero(has_value[maxs <= 0].any(axis=0)))
    for _ in range(problem.panel_size):
        needed = mins - seated
        if np.any((needed > 0) & (available < needed)):
            return None
        open_quotas = available > 0
        if not open_quotas.any():
            if not remaining.any():
                return None
            candidates = np.flatnonzero(remaining)  # no quotas at all: anyone left
        else:
            ratios = np.where(open_quotas, needed / np.where(open_quotas, available, 1.0), -np.inf)
            quota = int(np.argmax(ratios))  # the first most urgent quota, in file order
            if ratios[quota] > 1:
                return None
            candidates = np.flatnonzero(remaining & has_value[quota])
        person = int(candidates[rng.integers(len(candidates))])
        panel.append(person)
        seated += has_value[:, person]
        remove(problem.household_of(person))
        full = seated >= maxs
        if full.any():
            remove(np.flatnonzero(remaining & has_value[full].any(axis=0)))
    if np.any(seated < mins):
        return None
    result = np.sort(np.array(panel, dtype=np.intp))
    problem.check_panel(result)
    return result


def legacy_distribution(problem: PanelProblem) -> list[tuple[IntArray, float]]:
    """The empirical distribution of ``RUNS`` runs (each retried up to ``ATTEMPTS`` times)."""
    rng = np.random.Generator(np.random.PCG64(ESTIMATE_SEED))
    found: dict[bytes, tuple[IntArray, float]] = {}
    for _ in range(RUNS):
        for _ in range(ATTEMPTS):
            panel = legacy_panel(problem, rng)
            if panel is not None:
                key = panel.tobytes()
                previous = found.get(key)
                found[key] = (panel, (previous[1] if previous else 0.0) + 1.0)
                break
        else:  # like the Sortition Foundation's tool, give up after ATTEMPTS failures
            raise InputError(
                code="legacy_stuck",
                message_nl=f"Het legacy-algoritme vond in {ATTEMPTS} pogingen geen panel, "
                "hoewel er wel een bestaat. Gebruik leximin.",
                message_en=f"The legacy algorithm found no panel in {ATTEMPTS} attempts, "
                "although one exists. Use leximin.",
            )
    total = sum(count for _, count in found.values())
    return [(panel, count / total) for panel, count in found.values()]
