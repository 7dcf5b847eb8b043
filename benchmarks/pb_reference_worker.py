"""One run of the reference, ``pabutools`` 1.2.3, on one ``.pb`` file, in its own process.

Called by benchmarks.pb with a time budget; writes a JSON result file. pabutools is
GPL-licensed and lives only in benchmarks/.venv, never in the product's environment.

Timed separately, with ``time.perf_counter``:

- parsing: ``parse_pabulib(path)`` (pabutools' own reader; file read included);
- the rule, on the parsed instance and (plain, not multi-) profile, with cost satisfaction and
  pabutools' default lexicographic tie-breaking:

  ============== ===========================================================================
  greedy         ``greedy_utilitarian_welfare(instance, profile, sat_class=Cost_Sat)``
  mes            ``method_of_equal_shares(instance, profile, sat_class=Cost_Sat)``
  mes-add1       ``completion_by_rule_combination(instance, profile,
                 [method_of_equal_shares, greedy_utilitarian_welfare],
                 [{"sat_class": Cost_Sat, "voter_budget_increment": INCREMENT},
                 {"sat_class": Cost_Sat}])``
  phragmen       ``sequential_phragmen(instance, profile)``
  max-utilitarian ``max_additive_utilitarian_welfare(instance, profile, sat_class=Cost_Sat)``
                 (an ILP solved by PuLP's CBC)
  ============== ===========================================================================

``--fraction float`` (the default, as the issue's figures were measured) or ``gmpy2`` (exact
rationals, pabutools' own default) sets ``pabutools.fractions.FRACTION`` before parsing.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import resource
import time
from fractions import Fraction
from pathlib import Path
from typing import Any


def digest(projects: list[tuple[str, Fraction]], ballots: list[list[str]]) -> str:
    """A fingerprint of a parsed file: project ids and costs, sorted by id, and every ballot's
    projects (sorted) in file order.

    benchmarks.pb_ours_worker computes the same from our reader's ``Election``."""
    text = "\n".join(f"{pid}:{cost}" for pid, cost in sorted(projects))
    text += "\n--\n" + "\n".join(",".join(sorted(ballot)) for ballot in ballots)
    return hashlib.sha256(text.encode()).hexdigest()


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--file", required=True)
    parser.add_argument("--rule", required=True)
    parser.add_argument("--increment", default="1")
    parser.add_argument("--fraction", choices=("float", "gmpy2"), default="float")
    parser.add_argument("--out", required=True)
    options = parser.parse_args()

    import pabutools.fractions

    pabutools.fractions.FRACTION = options.fraction
    from pabutools.election import Cost_Sat, parse_pabulib
    from pabutools.rules import (
        completion_by_rule_combination,
        greedy_utilitarian_welfare,
        max_additive_utilitarian_welfare,
        method_of_equal_shares,
        sequential_phragmen,
    )

    started = time.perf_counter()
    instance, profile = parse_pabulib(options.file)
    parse_seconds = time.perf_counter() - started
    increment = Fraction(options.increment)
    if options.fraction == "float":
        increment = float(increment)
    elif increment.denominator == 1:
        increment = int(increment)
    else:
        increment = pabutools.fractions.frac(increment.numerator, increment.denominator)

    rules: dict[str, Any] = {
        "greedy": lambda: greedy_utilitarian_welfare(instance, profile, sat_class=Cost_Sat),
        "mes": lambda: method_of_equal_shares(instance, profile, sat_class=Cost_Sat),
        "mes-add1": lambda: completion_by_rule_combination(
            instance,
            profile,
            [method_of_equal_shares, greedy_utilitarian_welfare],
            [{"sat_class": Cost_Sat, "voter_budget_increment": increment}, {"sat_class": Cost_Sat}],
        ),
        "phragmen": lambda: sequential_phragmen(instance, profile),
        "max-utilitarian": lambda: max_additive_utilitarian_welfare(
            instance, profile, sat_class=Cost_Sat
        ),
    }
    started = time.perf_counter()
    outcome = rules[options.rule]()
    seconds = time.perf_counter() - started

    projects = sorted((p.name, Fraction(str(p.cost))) for p in instance)
    ballots = [sorted(p.name for p in ballot) for ballot in profile]
    result = {
        "parse_seconds": parse_seconds,
        "seconds": seconds,
        "selected": [p.name for p in outcome],
        "digest": digest(projects, ballots),
        "max_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
    }
    Path(options.out).write_text(json.dumps(result), encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
