"""One run of the reference (Sortition Foundation's `sortition-algorithms`) in its own process.

Called by benchmarks.sortition with a time budget; writes a JSON result file. The reference
is GPL-licensed and lives only in benchmarks/.venv, never in the product's environment.

What is called (sortition-algorithms 0.12.x), and only this is timed:

    committees, probabilities, report = find_distribution_maximin(   # or find_distribution_nash
        features, people, panel_size, [], "highspy")
    committees, probabilities = standardize_distribution(committees, probabilities)

i.e. the distribution over quota-satisfying panels that `run_stratification` computes before
it rounds it to a lottery and draws one panel (`find_random_sample` does exactly these two
calls, then `lottery_rounding`). The solver backend is HiGHS through highspy (the default;
no Gurobi, so the reference's own LEXIMIN is not available). Reading the CSV files with the
reference's own readers (`read_in_features`, `read_in_people`) happens before the clock starts.
"""

from __future__ import annotations

import argparse
import csv
import json
import resource
import sys
import time
from pathlib import Path
from typing import Any


class PrintingReporter:
    """Progress reporter (the reference's ProgressReporter protocol) that prints now and then."""

    def __init__(self, label: str, every: float = 15.0) -> None:
        self.label = label
        self.every = every
        self.started = time.perf_counter()
        self.last = 0.0

    def _print(self, message: str) -> None:
        elapsed = time.perf_counter() - self.started
        print(f"    [{self.label} {elapsed:7.1f} s] {message}", file=sys.stderr, flush=True)

    def start_phase(
        self, name: str, total: int | None = None, *, message: str | None = None
    ) -> None:
        self._print(message or name)
        self.last = time.perf_counter()

    def update(self, current: int, *, message: str | None = None) -> None:
        now = time.perf_counter()
        if now - self.last >= self.every:
            self.last = now
            self._print(message or str(current))

    def end_phase(self) -> None:
        pass


def _read_csv(path: Path) -> tuple[list[str], list[dict[str, str]]]:
    with path.open(newline="", encoding="utf-8") as handle:
        reader = csv.DictReader(handle)
        rows = list(reader)
        return list(reader.fieldnames or []), rows


def run(
    people_csv: Path, categories_csv: Path, panel_size: int, algorithm: str, seed: int, label: str
) -> dict[str, Any]:
    from sortition_algorithms import Settings, read_in_features, read_in_people
    from sortition_algorithms.committee_generation import (
        find_distribution_maximin,
        find_distribution_nash,
        standardize_distribution,
    )
    from sortition_algorithms.utils import set_random_provider

    finders = {"maximin": find_distribution_maximin, "nash": find_distribution_nash}
    settings = Settings(
        id_column="id",
        columns_to_keep=[],
        check_same_address=False,
        selection_algorithm=algorithm,
        solver_backend="highspy",
        random_number_seed=seed,
    )
    features_head, features_body = _read_csv(categories_csv)
    features, _, _ = read_in_features(features_head, features_body, number_to_select=panel_size)
    people_head, people_body = _read_csv(people_csv)
    people, _ = read_in_people(people_head, people_body, features, settings)
    # The reference seeds HiGHS and its multiplicative-weights start from this provider.
    set_random_provider(seed)

    started = time.perf_counter()
    committees, probabilities, _report = finders[algorithm](
        features, people, panel_size, [], "highspy", progress_reporter=PrintingReporter(label)
    )
    committees, probabilities = standardize_distribution(committees, probabilities)
    seconds = time.perf_counter() - started

    per_person = dict.fromkeys(people, 0.0)
    for committee, probability in zip(committees, probabilities, strict=True):
        for person_id in committee:
            per_person[person_id] += probability
    return {
        "side": "reference",
        "algorithm": algorithm,
        "seconds": seconds,
        "probabilities": per_person,
        "panels": [[sorted(c), p] for c, p in zip(committees, probabilities, strict=True)],
        "max_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--people", type=Path, required=True)
    parser.add_argument("--categories", type=Path, required=True)
    parser.add_argument("--size", type=int, required=True)
    parser.add_argument("--algorithm", choices=("maximin", "nash"), required=True)
    parser.add_argument("--seed", type=int, default=20250101)
    parser.add_argument("--label", default="reference")
    parser.add_argument("--out", type=Path, required=True)
    args = parser.parse_args(argv)
    result = run(args.people, args.categories, args.size, args.algorithm, args.seed, args.label)
    args.out.write_text(json.dumps(result), encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
