"""The distribution over panels and the seeded draw of one panel from it."""

from __future__ import annotations

from collections.abc import Callable, Sequence

import numpy as np

from samenspraak.core.errors import InputError
from samenspraak.core.sortition.legacy import legacy_distribution
from samenspraak.core.sortition.leximin import NEGLIGIBLE, decompose, type_leximin
from samenspraak.core.sortition.model import Person, Quota, Selection
from samenspraak.core.sortition.panels import IntArray, PanelProblem

ALGORITHMS = ("leximin", "legacy")

Distribution = tuple[tuple[tuple[str, ...], float], ...]


def _canonical(problem: PanelProblem, pieces: list[tuple[IntArray, float]]) -> Distribution:
    """Panels as sorted id tuples, in sorted order, with negligible ones dropped.

    The order makes the seeded draw independent of how the solver happened to list them.
    """
    merged: dict[tuple[str, ...], float] = {}
    for panel, probability in pieces:
        ids = tuple(sorted(problem.people[i].id for i in panel))
        merged[ids] = merged.get(ids, 0.0) + float(probability)
    kept = {ids: p for ids, p in merged.items() if p >= NEGLIGIBLE}
    total = sum(kept.values())
    return tuple((ids, kept[ids] / total) for ids in sorted(kept))


def find_distribution(
    people: Sequence[Person],
    quotas: Sequence[Quota],
    panel_size: int,
    *,
    algorithm: str = "leximin",
    progress: Callable[[str], None] | None = None,
) -> Distribution:
    """A probability distribution over panels that meet every quota and household rule.

    ``leximin`` (Flanigan et al., Nature 2021) maximises the smallest selection probability,
    then the next, and so on; ``legacy`` is the empirical distribution of 1,000 runs of the
    Sortition Foundation's earlier greedy algorithm. Raises ``InfeasibleQuotas`` when no
    panel is possible and ``InputError`` on inconsistent input. ``progress``, when given, is
    called with a short line (English) at each stage of a long computation.
    """
    if algorithm not in ALGORITHMS:
        raise InputError(
            code="unknown_algorithm",
            message_nl=f"Onbekend algoritme '{algorithm}'; kies uit {', '.join(ALGORITHMS)}.",
            message_en=f"Unknown algorithm '{algorithm}'; choose from {', '.join(ALGORITHMS)}.",
            location=None,
        )
    problem = PanelProblem(people, quotas, panel_size)
    if not problem.feasible():
        raise problem.explain_infeasibility()
    if algorithm == "leximin":
        columns, weights = type_leximin(problem, progress=progress)
        pieces = decompose(problem, columns, weights)
    else:
        pieces = legacy_distribution(problem)
    return _canonical(problem, pieces)


def draw(panels: Distribution, seed: int) -> tuple[str, ...]:
    """The panel that ``seed`` picks: one uniform number from PCG64(seed) on the cumulative
    probabilities of the panels in their canonical (sorted) order."""
    if seed < 0:
        raise InputError(
            code="negative_seed",
            message_nl=f"De seed moet 0 of groter zijn, niet {seed}.",
            message_en=f"The seed must be 0 or more, not {seed}.",
        )
    rng = np.random.Generator(np.random.PCG64(seed))
    cumulative = np.cumsum([probability for _, probability in panels])
    index = int(np.searchsorted(cumulative, rng.random() * cumulative[-1], side="right"))
    return panels[min(index, len(panels) - 1)][0]


def select(
    people: Sequence[Person],
    quotas: Sequence[Quota],
    panel_size: int,
    *,
    seed: int,
    algorithm: str = "leximin",
    progress: Callable[[str], None] | None = None,
) -> Selection:
    """Compute the distribution, report everyone's probability and draw one panel by ``seed``.

    The same pool, quotas, size, algorithm and seed give the same panel.
    """
    panels = find_distribution(people, quotas, panel_size, algorithm=algorithm, progress=progress)
    selected = draw(panels, seed)
    probabilities = dict.fromkeys((person.id for person in people), 0.0)
    for ids, probability in panels:
        for person_id in ids:
            probabilities[person_id] += probability
    return Selection(
        algorithm=algorithm,
        seed=seed,
        panel_size=panel_size,
        selected=selected,
        probabilities=probabilities,
        min_probability=min(probabilities.values(), default=0.0),
        panels=panels,
    )
