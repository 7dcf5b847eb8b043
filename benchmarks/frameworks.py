"""Benchmark: checking a Programme of Requirements (PvE) against the council's frameworks.

Run with `make bench BENCH=frameworks` or `python -m benchmarks.frameworks` from the
repository root (any environment with the product installed; it needs no reference library).

There is no reference library for these checks, so the target from issue 4 -- a PvE with
500 requirements checked in under 50 ms -- stands in its place, and the ratio printed is
target / ours (above 1 means faster than the target). Cases, all generated with fixed seeds:

- ``pve-500``: 500 requirements over the seven Huis ter Heide aspects, 60 measurable
  quantities with a norm on about two thirds of the requirements, some real conflicts,
  cost estimates, a four-year range, seven mandatory aspects and five assessed conditions;
- ``pve-500-one-quantity``: the adversarial case, every requirement a norm on the same
  quantity, so the number of conflicting pairs (and the text that names them) grows with
  the square of the number of requirements;
- ``diff-4800-words``: `core.drafting.diff_text` on a 4,800-word document with 100 words
  changed (no target was set; printed for information).

Before timing, the conflicts found are compared with a naive check of every pair; the
benchmark stops with an error when they differ. Benchmarks are not tests: nothing here
asserts on time.

Environment: BENCH_FRAMEWORKS_RUNS  timed runs per case, the median is reported (default 50)
"""

from __future__ import annotations

import os
import platform
import random
import statistics
import sys
import time
from collections.abc import Callable
from decimal import Decimal

from samenspraak.core.drafting import diff_text, new_text, old_text
from samenspraak.core.frameworks import (
    BandwidthKind,
    BandwidthYear,
    CheckReport,
    ConditionAssessment,
    NormOperator,
    Plan,
    PlanFrameworks,
    PlanYear,
    Priority,
    Requirement,
    check_plan,
    find_conflicts,
    normalize_label,
    norms_conflict,
)

TARGET_MS = 50.0
ASPECTS = (
    "milieu",
    "toegankelijkheid",
    "voorzieningen",
    "groen",
    "parkeren",
    "woningtypen",
    "beeldkwaliteit",
)
CONDITIONS = (
    "Past in het bestemmingsplan",
    "Geen extra verkeer door de wijk",
    "Minstens 30% sociale huur",
    "Bestaande bomen blijven staan",
    "Beheerkosten passen in de begroting",
)


def generate_pve(n: int, *, quantities: int, seed: int) -> tuple[PlanFrameworks, Plan]:
    rng = random.Random(seed)  # noqa: S311 - reproducible benchmark data, not security
    names = [f"norm {q} per woning" for q in range(quantities)]
    requirements = []
    for index in range(n):
        has_norm = rng.random() < 0.65
        op = rng.choice(list(NormOperator)) if has_norm else None
        requirements.append(
            Requirement(
                key=f"R{index + 1}",
                aspect=rng.choice(ASPECTS),
                title=f"Eis {index + 1}",
                priority=rng.choice(list(Priority)),
                cost_estimate=Decimal(rng.randrange(0, 200_000)) if rng.random() < 0.5 else None,
                quantity=rng.choice(names) if has_norm else None,
                operator=op,
                # Wide, mostly compatible norms: at_least low, at_most high, exactly in
                # between; a few come out contradictory.
                value=(
                    Decimal(
                        {
                            NormOperator.AT_LEAST: rng.randrange(0, 38),
                            NormOperator.AT_MOST: rng.randrange(37, 100),
                            NormOperator.EXACTLY: rng.choice((37, 37, 37, 37, 38)),
                        }[op]
                    )
                    / 10
                    if op is not None
                    else None
                ),
                unit="st" if has_norm else None,
            )
        )
    frameworks = PlanFrameworks(
        BandwidthKind.RANGE,
        tuple(
            BandwidthYear(year, minimum=Decimal("-500000"), maximum=Decimal("1500000"))
            for year in range(2026, 2030)
        ),
        ASPECTS,
        CONDITIONS,
    )
    plan = Plan(
        aspects=frozenset(),
        years=tuple(
            PlanYear(year, Decimal(rng.randrange(-300_000, 300_000)), Decimal(0))
            for year in range(2026, 2030)
        ),
        requirements=tuple(requirements),
        conditions=tuple(ConditionAssessment(c, rng.random() < 0.9) for c in CONDITIONS),
    )
    return frameworks, plan


def naive_conflicts(requirements: tuple[Requirement, ...]) -> list[tuple[str, str]]:
    """Every pair, the slow obvious way: the cross-check for find_conflicts."""
    found = []
    for i, a in enumerate(requirements):
        for b in requirements[i + 1 :]:
            if not (a.has_norm and b.has_norm):
                continue
            if normalize_label(a.quantity or "") != normalize_label(b.quantity or ""):
                continue
            if normalize_label(a.unit or "") != normalize_label(b.unit or ""):
                continue
            assert a.operator and b.operator and a.value is not None and b.value is not None
            if norms_conflict(a.operator, a.value, b.operator, b.value):
                found.append((a.key, b.key))
    return found


def median_ms(call: Callable[[], object], runs: int) -> float:
    call()  # warm up
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        call()
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times)


def diff_case(seed: int) -> tuple[str, str]:
    rng = random.Random(seed)  # noqa: S311 - reproducible benchmark data, not security
    vocab = [f"w{i}" for i in range(3000)]
    weights = [1 / (i + 1) for i in range(3000)]
    paragraphs = [" ".join(rng.choices(vocab, weights, k=80)) + "." for _ in range(60)]
    old = "\n\n".join(paragraphs)
    words = old.split(" ")
    for _ in range(100):
        words[rng.randrange(len(words))] = rng.choice(vocab)
    return old, " ".join(words)


def main() -> int:
    runs = int(os.environ.get("BENCH_FRAMEWORKS_RUNS", "50"))
    print(f"# Framework checks ({platform.python_implementation()} {platform.python_version()},")
    print(f"# {os.cpu_count()} cpus, median of {runs} runs, load {os.getloadavg()[0]:.2f})")
    rows = []
    for name, quantities in (("pve-500", 60), ("pve-500-one-quantity", 1)):
        frameworks, plan = generate_pve(500, quantities=quantities, seed=20260401)
        fast = [(a, b) for a, b, _ in find_conflicts(plan.requirements)]
        slow = naive_conflicts(plan.requirements)
        if fast != slow:
            print(f"{name}: find_conflicts disagrees with the all-pairs check", file=sys.stderr)
            return 1
        report: CheckReport = check_plan(frameworks, plan)
        assert CheckReport.from_dict(report.to_dict()) == report
        ms = median_ms(lambda: check_plan(frameworks, plan), runs)  # noqa: B023
        naive_ms = median_ms(lambda: naive_conflicts(plan.requirements), max(5, runs // 10))  # noqa: B023
        summary = ", ".join(f"{i.code}={i.status.value}" for i in report.items)
        rows.append((name, ms, len(fast), naive_ms, summary))
    print()
    print(
        f"{'case':<24}{'ours ms':>10}{'target':>14}{'target/ours':>13}{'conflicts':>11}"
        f"{'all-pairs ms':>14}"
    )
    for name, ms, conflicts, naive_ms, _ in rows:
        print(
            f"{name:<24}{ms:>10.2f}{'target 50 ms':>14}{TARGET_MS / ms:>13.1f}{conflicts:>11}"
            f"{naive_ms:>14.1f}"
        )
    print()
    for name, *_, summary in rows:
        print(f"{name}: {summary}")
    old, new = diff_case(7)
    segments = diff_text(old, new)
    assert new_text(segments) == new and old_text(segments) == old
    diff_ms = median_ms(lambda: diff_text(old, new), max(5, runs // 5))
    print(f"diff-4800-words: {diff_ms:.1f} ms median, {len(segments)} segments (no target)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
