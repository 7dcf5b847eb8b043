"""Cross-check: the relaxation-first LEXIMIN against column generation alone, on random pools.

Run in either environment (it needs only the product)::

    .venv/bin/python -m benchmarks.sortition_crosscheck                  # 100 pools, seed 0
    .venv/bin/python -m benchmarks.sortition_crosscheck --random 300 --seed 1000

``type_leximin`` first computes the LEXIMIN of the LP relaxation and tries to write it as a
lottery of panels (exact, in whole numbers); only when that fails does it run Flanigan et al.'s
column generation, started from the panels it found. This script generates pools of 30 to 250
people with 2 to 6 correlated features, some shared households and quotas around a random
panel (so they are feasible), and for each compares the sorted probability vector of
``type_leximin`` with that of column generation started from nothing (a separate run sharing
only the panel MILP). It prints, per pool, which way the fast method went (``exact``: the
relaxation was written as a lottery by rounding; ``completed``: the rounding got stuck and
column generation towards the relaxation's point finished the lottery; ``fallback``: the
relaxation is out of reach and level-by-level column generation decided; ``levels``: the level
values could not be made exact), both times and the largest difference; at the end the
counts and the worst difference. Exit status 1 if any difference exceeds 1e-7.

Method: docs/methods/sortition.md. The small-pool brute-force cross-check is a test
(tests/core/test_sortition_properties.py); the reference library is compared in
benchmarks/sortition.py.
"""

from __future__ import annotations

import argparse
import random
import sys
import time

import numpy as np

from samenspraak.core.sortition import Person, Quota
from samenspraak.core.sortition.leximin import _column_generation, _complete_lottery, type_leximin
from samenspraak.core.sortition.panels import FloatArray, IntArray, PanelProblem
from samenspraak.core.sortition.relaxation import exact_target, relaxed_leximin, round_decompose

TOLERANCE = 1e-7


def generate(seed: int) -> tuple[list[Person], list[Quota], int]:
    rng = random.Random(seed)  # noqa: S311 - reproducible test data, not secrets
    n = rng.choice([30, 60, 120, 250])
    size = rng.choice([5, 10, 20])
    features = {
        f"f{i}": [f"v{j}" for j in range(rng.randint(2, 4))] for i in range(rng.randint(2, 6))
    }
    share_households = rng.choice([0.0, 0.1, 0.3])
    latent = [rng.random() for _ in range(n)]
    people = []
    for i in range(n):
        values = {}
        for feature, options in features.items():
            # A shared latent trait skews every feature the same way: correlated features.
            weights = [(j + 1) ** (2 * latent[i] - 1) * rng.random() for j in range(len(options))]
            values[feature] = options[max(range(len(options)), key=weights.__getitem__)]
        household = f"h{rng.randint(0, n // 3)}" if rng.random() < share_households else None
        people.append(Person(f"p{i}", values, household))
    panel = rng.sample(range(n), size)
    used: set[str] = set()
    for i in panel:  # the panel the quotas come from must respect households
        if people[i].household in used:
            people[i] = Person(people[i].id, people[i].features, None)
        if people[i].household:
            used.add(people[i].household)
    quotas = []
    for feature, options in features.items():
        for value in options:
            seated = sum(people[i].features[feature] == value for i in panel)
            quotas.append(
                Quota(
                    feature, value, max(0, seated - rng.randint(0, 2)), seated + rng.randint(0, 2)
                )
            )
    return people, quotas, size


def person_vector(
    problem: PanelProblem, columns: list[IntArray], weights: FloatArray
) -> FloatArray:
    per_type = (np.asarray(weights) @ np.array(columns)) / problem.sizes
    result: FloatArray = np.sort(per_type[problem.type_of])
    return result


def way(problem: PanelProblem) -> str:
    target = relaxed_leximin(problem)
    exact = exact_target(problem, target)
    if exact is None:
        return "levels"
    panels, _, left = round_decompose(problem, *exact)
    if not left:
        return "exact"
    if _complete_lottery(problem, target, panels, lambda line: None) is not None:
        return "completed"
    return "fallback"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--random", type=int, default=100, help="number of random pools")
    parser.add_argument("--seed", type=int, default=0, help="seed of the first pool")
    options = parser.parse_args()
    counts = {"exact": 0, "completed": 0, "fallback": 0, "levels": 0}
    worst = 0.0
    mismatches = 0
    print("seed  people seats features types way       fast s  columns s  difference")
    for seed in range(options.seed, options.seed + options.random):
        people, quotas, size = generate(seed)
        problem = PanelProblem(people, quotas, size)
        if not problem.feasible():
            continue
        how = way(problem)
        counts[how] += 1
        start = time.perf_counter()
        fast = person_vector(problem, *type_leximin(problem))
        fast_seconds = time.perf_counter() - start
        start = time.perf_counter()
        slow = person_vector(problem, *_column_generation(problem, []))
        slow_seconds = time.perf_counter() - start
        difference = float(np.abs(fast - slow).max())
        worst = max(worst, difference)
        flag = ""
        if difference > TOLERANCE:
            mismatches += 1
            flag = "  MISMATCH"
        features = len({q.feature for q in quotas})
        print(
            f"{seed:<5} {len(people):>6} {size:>5} {features:>8} {problem.n_types:>5} {how:<9}"
            f" {fast_seconds:>6.2f} {slow_seconds:>10.2f}  {difference:.1e}{flag}",
            flush=True,
        )
    total = sum(counts.values())
    print(
        f"\n{total} pools: {counts['exact']} written exactly as a lottery by rounding, "
        f"{counts['completed']} completed by column generation towards the relaxation after the "
        f"rounding got stuck, {counts['fallback']} where the relaxation is out of reach (level "
        f"by level column generation), {counts['levels']} with levels that could not be made "
        f"exact; largest difference {worst:.1e}; "
        f"{mismatches} above {TOLERANCE:g}"
    )
    return 1 if mismatches else 0


if __name__ == "__main__":
    sys.exit(main())
