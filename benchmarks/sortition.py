"""Benchmark: Samenspraak's LEXIMIN selection against the Sortition Foundation's reference.

Run with `make bench` (or `benchmarks/.venv/bin/python -m benchmarks.sortition` from the
repository root once benchmarks/.venv exists). For every instance in benchmarks.instances it

1. writes the pool and the quotas as Sortition Foundation CSV files under benchmarks/data/;
2. runs our `find_distribution(..., algorithm="leximin")` in a subprocess (benchmarks.ours_worker);
3. runs the reference's `find_distribution_maximin` / `find_distribution_nash` with HiGHS in a
   subprocess with a time budget (benchmarks.reference_worker), so the run always ends;
4. checks every panel of both distributions against the quotas, and prints per instance and
   reference algorithm: seconds on both sides, the ratio reference/ours, both minimum selection
   probabilities, and whether our sorted probability vector is lexicographically at least the
   reference's (within 1e-6).

Benchmarks are not tests: this measures and prints; it only fails when our side crashes or
returns a panel that breaks a quota.

Environment:
  BENCH_INSTANCES          which instances to run, e.g. "ab" (default "abc")
  BENCH_REFERENCE_TIMEOUT  seconds the reference may take per run (default 900)
  BENCH_OURS_TIMEOUT       seconds our side may take per run (default 1800)
  BENCH_REPEAT             runs per side on instances a and b; the best is reported
                           (default: 3 on a, 1 on b; instance c always runs once)
"""

from __future__ import annotations

import json
import os
import platform
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime
from importlib import metadata
from pathlib import Path
from typing import Any

from benchmarks import instances as inst

ROOT = Path(__file__).resolve().parent.parent
TOLERANCE = 1e-6
DEFAULT_REPEAT = {"a": 3, "b": 1, "c": 1}
REFERENCE_SEED = 20250101


def log(message: str) -> None:
    stamp = datetime.now().strftime("%H:%M:%S")  # noqa: DTZ005 - local wall clock for progress lines
    print(f"[{stamp}] {message}", flush=True)


def load() -> str:
    """The 1-minute load average: on 2 cores, above ~1 means something else competes."""
    return f"load {os.getloadavg()[0]:.2f}"


@dataclass
class Outcome:
    side: str
    algorithm: str
    status: str  # "ok", "timeout", "error"
    seconds: list[float] = field(default_factory=list)  # one per completed repeat
    probabilities: dict[str, float] = field(default_factory=dict)
    panels: int = 0
    invalid_panels: list[str] = field(default_factory=list)
    max_rss_mb: float = 0.0
    detail: str = ""

    @property
    def best(self) -> float | None:
        return min(self.seconds) if self.seconds else None

    @property
    def min_probability(self) -> float | None:
        return min(self.probabilities.values()) if self.probabilities else None


def run_worker(
    command: list[str], budget: float, label: str
) -> tuple[str, dict[str, Any] | None, str]:
    """Run one worker process; print a heartbeat while it works; kill it past the budget."""
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "result.json"
        started = time.perf_counter()
        process = subprocess.Popen([*command, "--out", str(out)], cwd=ROOT)  # noqa: S603
        while True:
            elapsed = time.perf_counter() - started
            try:
                process.wait(timeout=max(0.1, min(30.0, budget - elapsed)))
                break
            except subprocess.TimeoutExpired:
                elapsed = time.perf_counter() - started
                if elapsed >= budget:
                    process.kill()
                    process.wait()
                    log(f"  {label}: stopped after the {budget:.0f} s budget")
                    return "timeout", None, f"> {budget:.0f} s budget"
                log(f"  {label}: still running ({elapsed:.0f} s of at most {budget:.0f} s)")
        if process.returncode != 0 or not out.exists():
            return "error", None, f"exit code {process.returncode}"
        return "ok", json.loads(out.read_text(encoding="utf-8")), ""


def check_panels(instance: inst.Instance, panels: list[list[Any]]) -> list[str]:
    """Every panel has the right size, distinct pool members, and meets every quota."""
    by_id = {person["id"]: person for person in instance.people}
    problems: list[str] = []
    total = 0.0
    for index, (panel, probability) in enumerate(panels):
        total += probability
        if len(panel) != instance.panel_size or len(set(panel)) != len(panel):
            problems.append(f"panel {index}: {len(panel)} members, {len(set(panel))} distinct")
            continue
        if any(person_id not in by_id for person_id in panel):
            problems.append(f"panel {index}: someone outside the pool")
            continue
        for quota in instance.quotas:
            count = sum(1 for pid in panel if by_id[pid][quota.feature] == quota.value)
            if not quota.min <= count <= quota.max:
                problems.append(
                    f"panel {index}: {quota.feature}={quota.value} has {count}, "
                    f"quota [{quota.min},{quota.max}]"
                )
    if abs(total - 1.0) > 1e-6:
        problems.append(f"probabilities of the panels sum to {total:.9f}, not 1")
    return problems


def run_side(
    instance: inst.Instance, side: str, algorithm: str, repeats: int, budget: float
) -> Outcome:
    label = f"{instance.key} {side} {algorithm}"
    if side == "ours":
        command = [sys.executable, "-m", "benchmarks.ours_worker", "--algorithm", algorithm]
    else:
        command = [
            sys.executable,
            "-m",
            "benchmarks.reference_worker",
            "--algorithm",
            algorithm,
            "--seed",
            str(REFERENCE_SEED),
            "--label",
            label,
        ]
    command += [
        "--people",
        str(instance.people_csv),
        "--categories",
        str(instance.categories_csv),
        "--size",
        str(instance.panel_size),
    ]
    outcome = Outcome(side=side, algorithm=algorithm, status="ok")
    for repeat in range(1, repeats + 1):
        log(f"{label}: run {repeat}/{repeats} (budget {budget:.0f} s, {load()} before)")
        status, result, detail = run_worker(command, budget, label)
        if status != "ok" or result is None:
            outcome.status, outcome.detail = status, detail
            log(f"{label}: {status} {detail}")
            break
        outcome.seconds.append(result["seconds"])
        outcome.probabilities = result["probabilities"]
        outcome.panels = len(result["panels"])
        outcome.max_rss_mb = max(outcome.max_rss_mb, result["max_rss_mb"])
        outcome.invalid_panels = check_panels(instance, result["panels"])
        log(
            f"{label}: {result['seconds']:.2f} s, min probability "
            f"{outcome.min_probability:.6f}, {outcome.panels} panels"
            + (f", {len(outcome.invalid_panels)} PROBLEMS" if outcome.invalid_panels else "")
        )
    if outcome.seconds and outcome.status != "ok":
        outcome.status = "ok"  # a later repeat failing does not undo the completed ones
    return outcome


def lexicographic_at_least(ours: dict[str, float], reference: dict[str, float]) -> bool:
    """Whether our sorted probability vector is lexicographically >= the reference's (1e-6)."""
    for mine, theirs in zip(sorted(ours.values()), sorted(reference.values()), strict=True):
        if mine > theirs + TOLERANCE:
            return True
        if mine < theirs - TOLERANCE:
            return False
    return True


def _fmt_seconds(outcome: Outcome) -> str:
    if outcome.best is None:
        return outcome.detail or outcome.status
    runs = len(outcome.seconds)
    return f"{outcome.best:.2f}" + (f" (best of {runs})" if runs > 1 else "")


def _fmt_p(value: float | None) -> str:
    return "-" if value is None else f"{value:.6f}"


def table_rows(
    instance: inst.Instance,
    ours: Outcome,
    references: list[Outcome],
    budget: float,
    ours_budget: float,
) -> list[list[str]]:
    name = f"{instance.key} {instance.spec.name} ({len(instance.people)}/{instance.panel_size})"
    rows = []
    for reference in references or [Outcome("reference", "-", "skipped", detail="not run")]:
        if ours.best is not None and reference.best is not None:
            ratio = f"{reference.best / ours.best:.1f}x"
        elif ours.best is not None and reference.status == "timeout":
            ratio = f"> {budget / ours.best:.1f}x"
        elif reference.best is not None and ours.status == "timeout":
            ratio = f"< {reference.best / ours_budget:.2f}x"
        else:
            ratio = "-"
        if ours.probabilities and reference.probabilities:
            lex = (
                "yes"
                if lexicographic_at_least(ours.probabilities, reference.probabilities)
                else "NO"
            )
        else:
            lex = "-"
        rows.append(
            [
                name,
                f"{ours.algorithm} vs {reference.algorithm}",
                _fmt_seconds(ours),
                _fmt_seconds(reference),
                ratio,
                _fmt_p(ours.min_probability),
                _fmt_p(reference.min_probability),
                lex,
                f"{ours.panels or '-'} / {reference.panels or '-'}",
            ]
        )
    return rows


def targets(instance: inst.Instance, ours: Outcome, references: list[Outcome]) -> list[str]:
    """The issue's targets for this instance, each with "met" or "NOT met" and the figures."""
    maximin = next((r for r in references if r.algorithm == "maximin"), None)
    lines = []
    if ours.probabilities and maximin is not None and maximin.probabilities:
        fair = lexicographic_at_least(ours.probabilities, maximin.probabilities)
        lines.append(
            f"fairness (sorted probabilities at least the reference's maximin, within "
            f"{TOLERANCE:g}): {'met' if fair else 'NOT met'}"
        )
    timed = ours.best is not None and maximin is not None and maximin.best is not None
    if instance.key == "b" and timed and ours.best and maximin and maximin.best:
        ratio = maximin.best / ours.best
        met = ratio >= 3 and ours.best < 20
        lines.append(
            f"speed (3x the reference's maximin and under 20 s): "
            f"{'met' if met else 'NOT met'} ({ours.best:.2f} s, {ratio:.1f}x)"
        )
    if instance.key == "c":
        met = ours.best is not None and ours.best < 600
        seconds = f"{ours.best:.1f} s" if ours.best is not None else ours.status
        lines.append(f"scale (under 10 minutes): {'met' if met else 'NOT met'} ({seconds})")
    return lines


HEADER = [
    "instance (pool/seats)",
    "algorithm (ours vs ref)",
    "ours s",
    "ref s",
    "ref/ours",
    "ours min p",
    "ref min p",
    "ours lex >= ref",
    "panels ours/ref",
]


def render(rows: list[list[str]]) -> tuple[str, str]:
    widths = [max(len(r[i]) for r in [HEADER, *rows]) for i in range(len(HEADER))]
    plain = [
        "  ".join(cell.ljust(widths[i]) for i, cell in enumerate(row)) for row in [HEADER, *rows]
    ]
    plain.insert(1, "  ".join("-" * w for w in widths))
    markdown = ["| " + " | ".join(HEADER) + " |", "|" + "|".join("---" for _ in HEADER) + "|"]
    markdown += ["| " + " | ".join(row) + " |" for row in rows]
    return "\n".join(plain), "\n".join(markdown)


def machine() -> str:
    cpu = platform.processor() or "unknown CPU"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    versions = []
    for package in ("samenspraak", "sortition-algorithms", "highspy", "scipy", "numpy", "cvxpy"):
        try:
            versions.append(f"{package} {metadata.version(package)}")
        except metadata.PackageNotFoundError:
            versions.append(f"{package} (not installed)")
    blas = ", ".join(f"{k}={v}" for k, v in sorted(os.environ.items()) if k.startswith("OPENBLAS"))
    return (
        f"{cpu}, {os.cpu_count()} cores; Python {platform.python_version()} on "
        f"{platform.system()} {platform.release()}\n"
        f"{'; '.join(versions)}\n"
        f"BLAS environment (as found, unchanged): {blas or 'none set'}; {load()}"
    )


def main() -> int:
    keys = os.environ.get("BENCH_INSTANCES", "abc")
    reference_budget = float(os.environ.get("BENCH_REFERENCE_TIMEOUT", "900"))
    ours_budget = float(os.environ.get("BENCH_OURS_TIMEOUT", "1800"))
    repeat_override = os.environ.get("BENCH_REPEAT")

    log("Sortition benchmark: Samenspraak LEXIMIN vs sortition-algorithms (HiGHS)")
    print(machine(), flush=True)
    log(f"writing instances to {inst.DATA_DIR}")
    built = inst.build_all(list(keys))
    for instance in built:
        print(inst.describe(instance), flush=True)

    rows: list[list[str]] = []
    target_lines: list[str] = []
    results: list[dict[str, Any]] = []
    failed = False
    for instance in built:
        repeats = DEFAULT_REPEAT[instance.key]
        if repeat_override and instance.key != "c":
            repeats = max(1, int(repeat_override))
        log(f"== instance {instance.key}: {instance.spec.description}")
        ours = run_side(instance, "ours", "leximin", repeats, ours_budget)
        if ours.status == "error" or ours.invalid_panels:  # a timeout is a figure, not a failure
            failed = True
            for problem in ours.invalid_panels[:10]:
                log(f"  ours: {problem}")
        references = []
        for algorithm in instance.spec.reference_algorithms:
            reference = run_side(instance, "reference", algorithm, repeats, reference_budget)
            for problem in reference.invalid_panels[:10]:
                log(f"  reference: {problem}")
            references.append(reference)
        instance_rows = table_rows(instance, ours, references, reference_budget, ours_budget)
        rows += instance_rows
        print("\n" + render(instance_rows)[0] + "\n", flush=True)
        for line in targets(instance, ours, references):
            log(f"target {instance.key}: {line}")
            target_lines.append(f"{instance.key}: {line}")
        results.append(
            {
                "instance": instance.key,
                "name": instance.spec.name,
                "pool": len(instance.people),
                "panel_size": instance.panel_size,
                "outcomes": [
                    {
                        "side": o.side,
                        "algorithm": o.algorithm,
                        "status": o.status,
                        "seconds": o.seconds,
                        "min_probability": o.min_probability,
                        "panels": o.panels,
                        "invalid_panels": o.invalid_panels,
                        "max_rss_mb": o.max_rss_mb,
                    }
                    for o in [ours, *references]
                ],
            }
        )

    plain, markdown = render(rows)
    log("Results")
    print(plain)
    print("\nMarkdown:\n" + markdown, flush=True)
    print("\nTargets (issue 3):\n" + "\n".join(target_lines), flush=True)
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    out = inst.DATA_DIR / f"results-{stamp}.json"
    out.write_text(json.dumps({"machine": machine(), "results": results}, indent=2), "utf-8")
    log(f"results written to {out}")
    if failed:
        log("our side failed or returned a panel that breaks a quota (see above)")
        return 1
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
