"""Benchmark: Samenspraak's participatory-budgeting rules and .pb reader against pabutools.

Run with `make bench BENCH=pb` (or `benchmarks/.venv/bin/python -m benchmarks.pb` from the
repository root once benchmarks/.venv exists). For every real Pabulib file in
../shared/data/real/pabulib/ and every generated instance (benchmarks.pb_instances) it runs,
per rule, our side (benchmarks.pb_ours_worker) and the reference (benchmarks.pb_reference_worker,
pabutools 1.2.3) each in its own subprocess, the reference with a time budget, and prints:

- per file: our parse time and pabutools' (each side's own reader), and whether both read the
  same projects, costs and ballots (a fingerprint of each side's parsed data);
- per file and rule: seconds on both sides, the ratio reference/ours from the same run, and
  whether the outcomes are identical as sets and in order (phragmen: as sets only, since
  pabutools returns it sorted by project id). For max-utilitarian (an optimum
  that ties may reach with different sets) the welfare of both outcomes is compared instead
  (sum over funded projects of cost x approvals, computed here with exact arithmetic).

Benchmarks are not tests: this measures and prints; it fails (exit 1) only when our side
crashes or funds more than the budget.

Environment:
  BENCH_PB_DATA               folder of real .pb files (default ../shared/data/real/pabulib)
  BENCH_PB_INSTANCES          comma-separated file stems to run (default: every real file and
                              every generated instance)
  BENCH_PB_RULES              comma-separated rules (default greedy,mes,mes-add1,phragmen,
                              max-utilitarian)
  BENCH_PB_REFERENCE_TIMEOUT  seconds one pabutools run may take (default 900)
  BENCH_PB_OURS_TIMEOUT       seconds one run of our worker may take (default 600)
  BENCH_PB_REPEAT             timed runs of ours per rule after the first; the best is shown
                              (default 3)
  BENCH_PB_FRACTION           pabutools arithmetic: float (default, as the issue measured) or
                              gmpy2 (exact rationals)
  BENCH_PB_EXACT_RECHECK      when a float-mode reference outcome differs from ours, run the
                              reference again in gmpy2 mode (default 1; 0 to skip)
"""

from __future__ import annotations

import json
import os
import platform
import sys
from dataclasses import dataclass, field
from datetime import UTC, datetime
from decimal import Decimal
from importlib import metadata
from pathlib import Path
from typing import Any

from benchmarks import pb_instances
from benchmarks.sortition import load, log, run_worker
from samenspraak.core.pb import Election, read_pb

ROOT = Path(__file__).resolve().parent.parent
REAL_DIR = ROOT.parent / "shared" / "data" / "real" / "pabulib"
RULES = ("greedy", "mes", "mes-add1", "phragmen", "max-utilitarian")
TARGETS = {  # (rule, file stem): (minimum ratio, maximum seconds of ours) from issue 5
    ("mes-add1", "Poland_Warszawa_2026"): (50.0, 2.0),
    ("mes-add1", "Netherlands_Amsterdam_252"): (50.0, 2.0),
    ("greedy", "Poland_Warszawa_2026"): (50.0, None),
    ("greedy", "Netherlands_Amsterdam_252"): (50.0, None),
}
PARSE_TARGET_SECONDS = 0.5  # for a 3 MB file
# pabutools' sequential_phragmen returns its outcome sorted by project id, not in the order it
# bought the projects: only the sets can be compared.
UNORDERED = {"phragmen"}


@dataclass
class Run:
    status: str  # "ok", "timeout", "error"
    result: dict[str, Any] = field(default_factory=dict)
    detail: str = ""

    @property
    def seconds(self) -> float | None:
        return self.result.get("seconds") if self.status == "ok" else None


def welfare(election: Election, selected: list[str]) -> Decimal:
    """Utilitarian welfare with cost satisfaction: sum of cost x approvals of funded projects."""
    approvals = dict.fromkeys((p.id for p in election.projects), 0)
    for vote in election.votes:
        for project_id in vote.vote:
            approvals[project_id] += 1
    return sum((election.project(p).cost * approvals[p] for p in selected), Decimal(0))


def ours(path: Path, rule: str, repeat: int, budget: float) -> Run:
    command = [sys.executable, "-m", "benchmarks.pb_ours_worker", "--file", str(path)]
    command += ["--rule", rule, "--repeat", str(repeat)]
    status, result, detail = run_worker(command, budget, f"{path.stem} ours {rule}")
    return Run(status, result or {}, detail)


def reference(path: Path, rule: str, fraction: str, budget: float) -> Run:
    command = [sys.executable, "-m", "benchmarks.pb_reference_worker", "--file", str(path)]
    command += ["--rule", rule, "--fraction", fraction]
    status, result, detail = run_worker(command, budget, f"{path.stem} pabutools {rule}")
    return Run(status, result or {}, detail)


def fmt_seconds(run: Run, *, first: bool = False) -> str:
    if run.seconds is None:
        return run.detail or run.status
    text = f"{run.seconds:.3f}" if run.seconds < 10 else f"{run.seconds:.1f}"
    if first and "first_seconds" in run.result:
        text += f" (first {run.result['first_seconds']:.3f})"
    return text


def ratio(mine: Run, theirs: Run, reference_budget: float) -> str:
    if mine.seconds and theirs.seconds is not None:
        return f"{theirs.seconds / mine.seconds:.1f}x"
    if mine.seconds and theirs.status == "timeout":
        return f"> {reference_budget / mine.seconds:.0f}x"
    return "-"


def compare(election: Election, rule: str, mine: Run, theirs: Run) -> tuple[str, str]:
    """(same set, same order) or, for max-utilitarian, (welfare equal, the two welfares)."""
    if mine.status != "ok" or theirs.status != "ok":
        return "-", "-"
    a, b = mine.result["selected"], theirs.result["selected"]
    if rule == "max-utilitarian":
        wa, wb = welfare(election, a), welfare(election, b)
        shown = [w.quantize(Decimal(1)) if w == w.to_integral_value() else w for w in (wa, wb)]
        return ("welfare =" if wa == wb else "WELFARE DIFFERS"), f"{shown[0]:,} / {shown[1]:,}"
    same_set = "yes" if set(a) == set(b) else "NO"
    if rule in UNORDERED:
        return same_set, "n/a"
    return same_set, ("yes" if a == b else "NO")


def render(header: list[str], rows: list[list[str]]) -> tuple[str, str]:
    widths = [max(len(r[i]) for r in [header, *rows]) for i in range(len(header))]
    plain = ["  ".join(c.ljust(widths[i]) for i, c in enumerate(row)) for row in [header, *rows]]
    plain.insert(1, "  ".join("-" * w for w in widths))
    markdown = ["| " + " | ".join(header) + " |", "|" + "|".join("---" for _ in header) + "|"]
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
    for package in ("samenspraak", "pabutools", "gmpy2", "PuLP", "numpy", "scipy", "highspy"):
        try:
            versions.append(f"{package} {metadata.version(package)}")
        except metadata.PackageNotFoundError:
            versions.append(f"{package} (not installed)")
    return (
        f"{cpu}, {os.cpu_count()} cores; Python {platform.python_version()} on "
        f"{platform.system()} {platform.release()}\n{'; '.join(versions)}; {load()}"
    )


def main() -> int:
    data = Path(os.environ.get("BENCH_PB_DATA", str(REAL_DIR)))
    rules = [r for r in os.environ.get("BENCH_PB_RULES", ",".join(RULES)).split(",") if r]
    reference_budget = float(os.environ.get("BENCH_PB_REFERENCE_TIMEOUT", "900"))
    ours_budget = float(os.environ.get("BENCH_PB_OURS_TIMEOUT", "600"))
    repeat = int(os.environ.get("BENCH_PB_REPEAT", "3"))
    fraction = os.environ.get("BENCH_PB_FRACTION", "float")
    recheck = os.environ.get("BENCH_PB_EXACT_RECHECK", "1") != "0"
    wanted = {s for s in os.environ.get("BENCH_PB_INSTANCES", "").split(",") if s}

    log(f"PB benchmark: Samenspraak vs pabutools ({fraction} arithmetic)")
    print(machine(), flush=True)
    files = sorted(data.glob("*.pb")) if data.is_dir() else []
    if not files:
        log(f"no real .pb files in {data}: running the generated instances only")
    keys = [spec.key for spec in pb_instances.SPECS]
    generated = pb_instances.build([k for k in keys if not wanted or k in wanted])
    paths = [p for p in files if not wanted or p.stem in wanted] + generated

    rule_rows: list[list[str]] = []
    parse_rows: list[list[str]] = []
    results: list[dict[str, Any]] = []
    notes: list[str] = []
    failed = False
    for path in paths:
        election = read_pb(path)
        size = path.stat().st_size / 1e6
        label = f"{path.stem} ({len(election.projects)}/{len(election.votes):,})"
        log(f"== {label}, {size:.2f} MB, budget {election.budget:,}")
        parse_ours: list[float] = []
        parse_ref: list[float] = []
        digests: set[tuple[str, str]] = set()
        for rule in rules:
            log(f"{path.stem} {rule}: ours ({load()})")
            mine = ours(path, rule, repeat, ours_budget)
            if mine.status != "ok":
                failed = True
                log(f"  ours: {mine.status} {mine.detail}")
            else:
                parse_ours.append(mine.result["parse_seconds"])
                cost = sum((election.project(p).cost for p in mine.result["selected"]), Decimal(0))
                if cost > election.budget:
                    failed = True
                    log(f"  ours funds {cost:,}, more than the budget {election.budget:,}")
            log(f"{path.stem} {rule}: pabutools ({load()})")
            theirs = reference(path, rule, fraction, reference_budget)
            if theirs.status == "ok":
                parse_ref.append(theirs.result["parse_seconds"])
            same_set, same_order = compare(election, rule, mine, theirs)
            exact = None
            if recheck and fraction == "float" and "NO" in (same_set, same_order):
                log(f"{path.stem} {rule}: outcomes differ; pabutools again with exact fractions")
                exact = reference(path, rule, "gmpy2", reference_budget)
                exact_set, exact_order = compare(election, rule, mine, exact)
                notes.append(
                    f"{path.stem} {rule}: pabutools in float differs from ours; in exact "
                    f"(gmpy2) arithmetic it took {fmt_seconds(exact)} s, same set {exact_set}, "
                    f"same order {exact_order}"
                )
                same_set, same_order = (
                    f"{same_set} (exact: {exact_set})",
                    (f"{same_order} (exact: {exact_order})"),
                )
            if mine.status == "ok" and theirs.status == "ok":
                digests.add((mine.result["digest"], theirs.result["digest"]))
            row = [
                label,
                rule,
                fmt_seconds(mine, first=True),
                fmt_seconds(theirs),
                ratio(mine, theirs, reference_budget),
                same_set,
                same_order,
                str(len(mine.result.get("selected", []))) + " / "
                + (str(len(theirs.result["selected"])) if theirs.status == "ok" else "-"),
            ]  # fmt: skip
            rule_rows.append(row)
            print("  " + " | ".join(row), flush=True)
            results.append(
                {
                    "file": path.name,
                    "rule": rule,
                    "ours": {"status": mine.status, **mine.result},
                    "pabutools": {"status": theirs.status, "fraction": fraction, **theirs.result},
                    "pabutools_exact": (
                        {"status": exact.status, **exact.result} if exact is not None else None
                    ),
                }
            )
            target = TARGETS.get((rule, path.stem))
            if target and mine.seconds:
                minimum, most = target
                reached = theirs.seconds is not None and theirs.seconds / mine.seconds >= minimum
                reached = reached or (
                    theirs.status == "timeout" and reference_budget / mine.seconds >= minimum
                )
                fast = most is None or mine.seconds < most
                notes.append(
                    f"target {rule} on {path.stem}: >= {minimum:.0f}x"
                    + (f" and < {most:.0f} s" if most else "")
                    + f": {'met' if reached and fast else 'NOT met'} "
                    f"(ours {mine.seconds:.3f} s, ratio {ratio(mine, theirs, reference_budget)})"
                )
        same = "-"
        if digests:
            same = "yes" if all(a == b for a, b in digests) else "NO"
        best_ours = min(parse_ours) if parse_ours else None
        best_ref = min(parse_ref) if parse_ref else None
        parse_rows.append(
            [
                f"{path.stem} ({size:.2f} MB)",
                f"{best_ours:.3f}" if best_ours is not None else "-",
                f"{best_ref:.3f}" if best_ref is not None else "-",
                f"{best_ref / best_ours:.1f}x" if best_ours and best_ref else "-",
                same,
            ]
        )
        if best_ours is not None and size >= 3.0:
            notes.append(
                f"target parse {path.stem} ({size:.1f} MB) < {PARSE_TARGET_SECONDS} s: "
                f"{'met' if best_ours < PARSE_TARGET_SECONDS else 'NOT met'} ({best_ours:.3f} s)"
            )

    rule_header = [
        "instance (projects/voters)",
        "rule",
        "ours s",
        f"pabutools s ({fraction})",
        "ratio",
        "same set",
        "same order",
        "funded ours/ref",
    ]
    parse_header = ["file", "ours parse s", "pabutools parse s", "ratio", "same content"]
    log("Results")
    plain_rules, md_rules = render(rule_header, rule_rows)
    plain_parse, md_parse = render(parse_header, parse_rows)
    print(plain_rules + "\n\n" + plain_parse + "\n")
    for note in notes:
        print(note)
    print("\nMarkdown:\n" + md_rules + "\n\n" + md_parse, flush=True)
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    out = pb_instances.DATA_DIR.parent / f"pb-results-{stamp}.json"
    out.write_text(
        json.dumps({"machine": machine(), "notes": notes, "results": results}, indent=2), "utf-8"
    )
    log(f"results written to {out}")
    if failed:
        log("our side failed or funded more than the budget (see above)")
        return 1
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
