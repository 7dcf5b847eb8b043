"""One run of Samenspraak's own selection (samenspraak.core.sortition) in its own process.

Called by benchmarks.sortition with a time budget; writes a JSON result file. Reading the
Sortition Foundation CSV files (with the product's own readers) happens before the clock
starts; only this is timed:

    distribution = find_distribution(people, quotas, panel_size, algorithm="leximin")

which returns ``((panel_ids, probability), ...)``: the distribution over quota-satisfying
panels from which `select` then draws one panel with a public seed.
"""

from __future__ import annotations

import argparse
import json
import resource
import time
from pathlib import Path
from typing import Any


def run(people_csv: Path, categories_csv: Path, panel_size: int, algorithm: str) -> dict[str, Any]:
    from samenspraak.core.sortition import find_distribution, read_categories_csv, read_people_csv

    quotas = read_categories_csv(
        categories_csv.read_text(encoding="utf-8"), filename=categories_csv.name
    )
    features = list(dict.fromkeys(quota.feature for quota in quotas))
    people = read_people_csv(
        people_csv.read_text(encoding="utf-8"),
        features=features,
        id_column="id",
        filename=people_csv.name,
        quotas=quotas,
    )

    started = time.perf_counter()
    distribution = find_distribution(people, quotas, panel_size, algorithm=algorithm)
    seconds = time.perf_counter() - started

    per_person = {person.id: 0.0 for person in people}
    for panel, probability in distribution:
        for person_id in panel:
            per_person[person_id] += probability
    return {
        "side": "ours",
        "algorithm": algorithm,
        "seconds": seconds,
        "probabilities": per_person,
        "panels": [[sorted(panel), probability] for panel, probability in distribution],
        "max_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--people", type=Path, required=True)
    parser.add_argument("--categories", type=Path, required=True)
    parser.add_argument("--size", type=int, required=True)
    parser.add_argument("--algorithm", default="leximin")
    parser.add_argument("--out", type=Path, required=True)
    args = parser.parse_args(argv)
    result = run(args.people, args.categories, args.size, args.algorithm)
    args.out.write_text(json.dumps(result), encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
