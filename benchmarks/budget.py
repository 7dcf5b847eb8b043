"""Benchmark: the budget-gap optimiser against plain scipy.optimize.milp on the same model.

Run with `make bench BENCH=budget` (or `python -m benchmarks.budget` from the repository
root in any environment with the product installed). For every generated instance it

1. runs ours, `samenspraak.core.budget.close_gap`, for the best package (proven optimal on
   the 300-proposal instances, within a relative gap of 0.01% on the 1,000-proposal ones) and,
   on the 300-proposal instances, again for the best package and the 5 best alternatives;
2. runs the reference: `scipy.optimize.milp` (HiGHS inside scipy) on the same model written
   the plain way, without our structure: objective sum of (1 - support) as floats, constraints
   in euros as floats, scipy's default HiGHS options, the same relative gap;
3. prints seconds, the solver's gap, the objectives (which must agree where both are proven)
   and the ratio reference/ours. Every package of ours is re-checked here in Decimal.

Benchmarks are not tests: this measures and prints; it fails only when our side returns a
package that does not close the gap or is worse than the reference's proven optimum.

Instances (seeded; the seeds are printed): four budget
years 2027-2030; proposals are structural cuts (60%; lognormal size around EUR 150,000, some
starting in a later year, half the saving in the first year, 30% with a one-off
implementation cost), one-off incidental savings (25%, in one or two years) and investments
(15%: a one-off cost of 1-3 times the yearly saving in 2027, structural savings from 2028);
amounts in whole thousands of euros. 20 exclusive groups of 2-6 proposals. The gap per year
is 30% of the structural savings on offer that year (structural) plus 30% of the other
positive effects (incidental). Support is a share with three decimals: uniform in
[0.05, 0.95] ("random"), or falling in proportion to what a measure saves over the four
years, opposition = 0.05 + 0.9 * saving / largest saving ("hard": the correlated case, where
many packages are nearly equally good). How hard the correlated instances are varies a lot
from seed to seed, so they run with three seeds; the random ones with the first.

Environment:
  BENCH_BUDGET_INSTANCES          comma-separated instance names (default: all four)
  BENCH_BUDGET_SEEDS              seeds of the generator (default 20260401,1,2)
  BENCH_BUDGET_TIME_LIMIT         seconds each of our runs may take (default 30)
  BENCH_BUDGET_REFERENCE_TIMEOUT  seconds the reference may take per instance (default 30)
"""

from __future__ import annotations

import json
import math
import os
import platform
import random
import time
from dataclasses import dataclass
from datetime import UTC, datetime
from decimal import Decimal
from importlib import metadata
from pathlib import Path
from typing import Any

import numpy as np
from scipy.optimize import Bounds, LinearConstraint, milp

from samenspraak.core.budget import Gap, Measure, YearAmounts, close_gap

ROOT = Path(__file__).resolve().parent.parent
YEARS = (2027, 2028, 2029, 2030)
DEFAULT_SEEDS = "20260401,1,2"


def log(message: str) -> None:
    stamp = datetime.now().strftime("%H:%M:%S")  # noqa: DTZ005 - local wall clock for progress lines
    print(f"[{stamp}] {message}", flush=True)


def load() -> str:
    """The 1-minute load average: on 2 cores, above ~1 means something else competes."""
    return f"load {os.getloadavg()[0]:.2f}"


# --------------------------------------------------------------------------- instances


@dataclass(frozen=True)
class Spec:
    name: str
    proposals: int
    hard: bool
    mip_rel_gap: float
    alternatives: bool  # also time the 5 best alternatives


SPECS = (
    Spec("random300", 300, hard=False, mip_rel_gap=0.0, alternatives=True),
    Spec("hard300", 300, hard=True, mip_rel_gap=0.0, alternatives=True),
    Spec("random1000", 1000, hard=False, mip_rel_gap=1e-4, alternatives=False),
    Spec("hard1000", 1000, hard=True, mip_rel_gap=1e-4, alternatives=False),
)


def generate(spec: Spec, seed: int, *, groups: int = 20) -> tuple[list[Measure], list[Gap]]:
    # A string seed is hashed with SHA-512 by random.seed: the same in every process.
    rng = random.Random(f"{seed}-{spec.proposals}-{spec.hard}")  # noqa: S311 - not cryptography
    effects_of: list[dict[int, YearAmounts]] = []
    for _ in range(spec.proposals):
        kind = rng.choices(("structural", "incidental", "investment"), weights=(6, 2.5, 1.5))[0]
        size = round(math.exp(rng.gauss(math.log(150_000), 1.0)), -3) + 1000
        effects: dict[int, YearAmounts] = {}
        if kind == "structural":
            start = rng.choice((0, 0, 0, 1, 2))
            setup = -round(size * rng.uniform(0.2, 1.0), -3) if rng.random() < 0.3 else 0
            for k, year in enumerate(YEARS[start:], start=start):
                saving = size // 2 if k == start else size
                effects[year] = YearAmounts(Decimal(saving), Decimal(setup if k == start else 0))
        elif kind == "incidental":
            start = rng.randrange(len(YEARS))
            for year in YEARS[start : start + rng.choice((1, 2))]:
                effects[year] = YearAmounts(Decimal(0), Decimal(size))
        else:
            cost = -round(size * rng.uniform(1.0, 3.0), -3)
            for k, year in enumerate(YEARS):
                effects[year] = YearAmounts(
                    Decimal(size if k else 0), Decimal(cost if not k else 0)
                )
        effects_of.append(effects)
    totals = [sum((a.total for a in e.values()), Decimal(0)) for e in effects_of]
    largest = max(totals)
    ids = [f"p{i:04d}" for i in range(spec.proposals)]
    shuffled = list(ids)
    rng.shuffle(shuffled)
    group_of: dict[str, str] = {}
    position = 0
    for g in range(groups):
        size = rng.randint(2, 6)
        for measure_id in shuffled[position : position + size]:
            group_of[measure_id] = f"g{g:02d}"
        position += size
    measures = []
    for measure_id, effects, total in zip(ids, effects_of, totals, strict=True):
        if spec.hard:
            support = round(1 - (0.05 + 0.9 * max(0.0, float(total / largest))), 3)
        else:
            support = round(rng.uniform(0.05, 0.95), 3)
        measures.append(
            Measure(
                id=measure_id,
                title=measure_id,
                effects=effects,
                support=support,
                group=group_of.get(measure_id),
            )
        )
    gaps = []
    for year in YEARS:
        on_offer = [m.effects[year] for m in measures if year in m.effects]
        structural = sum((a.structural for a in on_offer if a.structural > 0), Decimal(0))
        total = sum((a.total for a in on_offer if a.total > 0), Decimal(0))
        gaps.append(
            Gap(
                year,
                (structural * Decimal("0.3")).quantize(Decimal(1)),
                (max(total - structural, Decimal(0)) * Decimal("0.3")).quantize(Decimal(1)),
            )
        )
    return measures, gaps


# --------------------------------------------------------------------------- the two sides


def ours(
    measures: list[Measure], gaps: list[Gap], spec: Spec, alternatives: int, limit: float
) -> dict[str, Any]:
    started = time.perf_counter()
    result = close_gap(
        measures, gaps, alternatives=alternatives, mip_rel_gap=spec.mip_rel_gap, time_limit=limit
    )
    seconds = time.perf_counter() - started
    problems = []
    by_id = {m.id: m for m in measures}
    for package in (result.best, *result.alternatives):
        if package is None:
            continue
        for g in gaps:
            chosen = [
                by_id[i].effects[g.year] for i in package.selected if g.year in by_id[i].effects
            ]
            structural = sum((a.structural for a in chosen), Decimal(0))
            total = sum((a.total for a in chosen), Decimal(0))
            if structural < g.structural or total < g.total:
                problems.append(f"{package.selected[:3]}... does not close {g.year}")
    return {
        "seconds": seconds,
        "feasible": result.feasible,
        "proven": result.proven_optimal,
        "gap": result.mip_gap,
        "objective": result.best.objective if result.best else None,
        "measures": len(result.best.selected) if result.best else None,
        "alternatives": [p.objective for p in result.alternatives],
        "problems": problems,
    }


def reference(measures: list[Measure], gaps: list[Gap], spec: Spec, limit: float) -> dict[str, Any]:
    """scipy.optimize.milp on the model as one would write it directly."""
    cost = np.array([1 - (m.support or 0.0) for m in measures])
    rows, lower = [], []
    for g in gaps:
        rows.append(
            [float(m.effects[g.year].structural) if g.year in m.effects else 0.0 for m in measures]
        )
        lower.append(float(g.structural))
        rows.append(
            [float(m.effects[g.year].total) if g.year in m.effects else 0.0 for m in measures]
        )
        lower.append(float(g.total))
    constraints = [LinearConstraint(np.array(rows), np.array(lower), np.inf)]
    groups = sorted({m.group for m in measures if m.group})
    if groups:
        matrix = np.array([[1.0 if m.group == g else 0.0 for m in measures] for g in groups])
        constraints.append(LinearConstraint(matrix, -np.inf, 1.0))
    started = time.perf_counter()
    result = milp(
        cost,
        constraints=constraints,
        integrality=np.ones(len(measures)),
        bounds=Bounds(0, 1),
        options={"mip_rel_gap": spec.mip_rel_gap, "time_limit": limit},
    )
    seconds = time.perf_counter() - started
    return {
        "seconds": seconds,
        "status": int(result.status),  # 0 optimal (within the gap), 1 time limit
        "message": str(result.message),
        "objective": float(result.fun) if result.fun is not None else None,
        "gap": float(getattr(result, "mip_gap", math.nan) or 0.0),
    }


# --------------------------------------------------------------------------- the run


def describe(side: dict[str, Any], *, proven_key: str) -> str:
    if side.get("objective") is None:
        return "no package"
    return (
        f"{side['objective']:.3f} (gap {side['gap']:.4%}{', proven' if side[proven_key] else ''})"
    )


def main() -> None:
    seeds = [int(s) for s in os.environ.get("BENCH_BUDGET_SEEDS", DEFAULT_SEEDS).split(",")]
    limit = float(os.environ.get("BENCH_BUDGET_TIME_LIMIT", "30"))
    reference_limit = float(os.environ.get("BENCH_BUDGET_REFERENCE_TIMEOUT", "30"))
    wanted = os.environ.get("BENCH_BUDGET_INSTANCES")
    runs = [
        (spec, seed)
        for spec in SPECS
        if not wanted or spec.name in wanted.split(",")
        for seed in (seeds if spec.hard else seeds[:1])
    ]
    highspy = metadata.version("highspy") if _installed("highspy") else "absent"
    log(
        f"budget benchmark, seeds {', '.join(map(str, seeds))}; "
        f"Python {platform.python_version()}, highspy {highspy}, "
        f"scipy {metadata.version('scipy')}, {os.cpu_count()} cores"
    )
    log(f"our time limit {limit:.0f} s per run, reference {reference_limit:.0f} s per instance")
    results: list[dict[str, Any]] = []
    failures: list[str] = []
    for spec, seed in runs:
        measures, gaps = generate(spec, seed)
        grouped = sum(1 for m in measures if m.group)
        years = ", ".join(f"{g.year} {g.structural}+{g.incidental}" for g in gaps)
        log(
            f"{spec.name} (seed {seed}): {len(measures)} proposals ({grouped} in 20 "
            f"exclusive groups), gap (structural+incidental) {years}"
        )
        log(f"  ours, best package ({load()})")
        best = ours(measures, gaps, spec, 0, limit)
        log(f"  ours: {best['seconds']:.2f} s, {describe(best, proven_key='proven')}")
        alternatives = None
        if spec.alternatives:
            log(f"  ours, best and 5 alternatives ({load()})")
            alternatives = ours(measures, gaps, spec, 5, limit)
            log(
                f"  ours: {alternatives['seconds']:.2f} s, alternatives "
                f"{', '.join(f'{v:.3f}' for v in alternatives['alternatives'])}"
            )
        log(f"  reference scipy.optimize.milp ({load()})")
        ref = reference(measures, gaps, spec, reference_limit)
        ref["proven"] = ref["status"] == 0 and spec.mip_rel_gap == 0 and ref["gap"] == 0
        found = describe(ref, proven_key="proven")
        log(f"  reference: {ref['seconds']:.2f} s, {found}; {ref['message']}")
        for side in (best, alternatives or {}):
            failures += [f"{spec.name}: {p}" for p in side.get("problems", [])]
        if (
            best["proven"]
            and ref["objective"] is not None
            and best["objective"] > ref["objective"] + 1e-6
        ):
            failures.append(f"{spec.name}: our proven optimum is worse than the reference's")
        if best["proven"] and ref["proven"] and abs(best["objective"] - ref["objective"]) > 1e-6:
            failures.append(f"{spec.name}: proven optima differ")
        results.append(
            {"instance": spec.name, "ours": best, "alternatives": alternatives, "reference": ref}
        )
    print()
    print(
        "| instance (seed) | target | ours s | ours harm (gap) | 5 alternatives s | reference s | "
        "reference harm (gap) | ref/ours |"
    )
    print("|---|---|---|---|---|---|---|---|")
    for row, (spec, seed) in zip(results, runs, strict=True):
        mine, ref, alt = row["ours"], row["reference"], row["alternatives"]
        target = "proven optimal" if spec.mip_rel_gap == 0 else f"gap <= {spec.mip_rel_gap:.2%}"
        limit_note = " (time limit)" if ref["status"] == 1 else ""
        ours_note = " (time limit)" if mine["seconds"] >= limit - 0.5 else ""
        alt_text = f"{alt['seconds']:.2f}" if alt else "-"
        both_stopped = ours_note and limit_note
        ratio = "-" if both_stopped else f"{ref['seconds'] / mine['seconds']:.1f}x"
        print(
            f"| {spec.name} ({seed}) | {target} | {mine['seconds']:.2f}{ours_note} | "
            f"{describe(mine, proven_key='proven')} | "
            f"{alt_text} | {ref['seconds']:.2f}{limit_note} | "
            f"{describe(ref, proven_key='proven')} | {ratio} |"
        )
    out = ROOT / "benchmarks" / "data" / f"budget-results-{datetime.now(UTC):%Y%m%dT%H%M%SZ}.json"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps({"seeds": seeds, "results": results}, indent=2), encoding="utf-8")
    log(f"results written to {out.relative_to(ROOT)}")
    if failures:
        for failure in failures:
            log(f"FAILED {failure}")
        raise SystemExit(1)


def _installed(name: str) -> bool:
    try:
        metadata.version(name)
    except metadata.PackageNotFoundError:
        return False
    return True


if __name__ == "__main__":
    main()
