"""Cross-check: our participatory-budgeting rules against the reference library pabutools.

Run in the benchmark environment (pabutools is GPL and lives only there)::

    benchmarks/.venv/bin/python -m benchmarks.pb_crosscheck            # real files + 300 random
    benchmarks/.venv/bin/python -m benchmarks.pb_crosscheck --random 2000 --seed 7
    benchmarks/.venv/bin/python -m benchmarks.pb_crosscheck --files --rules greedy mes

For every election it computes ``samenspraak.core.pb.rules.tally`` and pabutools 1.2.3 with its
default exact arithmetic (gmpy2 fractions) and default lexicographic tie-breaking, and prints
every mismatch:

- ``greedy``: ``greedy_utilitarian_welfare(sat_class=Cost_Sat)``; for cumulative, scoring and
  ordinal ballots with the satisfaction ``score * cost`` (points or Borda score times the cost,
  an additive satisfaction defined here), which ranks projects by total score as ours does;
  the selected projects must be equal, in the same order;
- ``mes``: ``method_of_equal_shares(sat_class=Cost_Sat)``; equal, in the same order;
- ``mes-add1``: ``completion_by_rule_combination([method_of_equal_shares,
  greedy_utilitarian_welfare], [{"sat_class": Cost_Sat, "voter_budget_increment": 1},
  {"sat_class": Cost_Sat}])``; equal, in the same order;
- ``phragmen``: ``sequential_phragmen``; the same set (pabutools returns it sorted by name);
- ``max-utilitarian``: ``max_additive_utilitarian_welfare`` with its exact knapsack solver
  (``MaxAddUtilWelfareAlgo.PRIMAL_DUAL``; where that one fails with an ``IndexError``, as it
  does on some tiny instances, its ILP through PuLP/CBC); the same total cost satisfaction
  (several sets can be optimal). pabutools' knapsack solver misses the optimum on some
  instances with decimal costs: when ours is higher and equals the optimum found by trying
  every set of projects, a note is printed instead of a mismatch;
- ``official`` (real files only): equal to the ``selected`` column where the file has one.

Real files: the Pabulib files in ``../shared/data/real/pabulib/`` beside the repository
(``BENCH_PB_DATA`` to use another folder). pabutools needs minutes for ``mes-add1`` on the large
ones, so its outcomes are cached in ``benchmarks/data/pb_reference/`` (keyed by the file's
SHA-256, the rule and pabutools' version); ``--no-slow`` skips uncached ``mes-add1`` references
on files over 500 kB. Random elections are seeded (the seed is printed): few projects with
small and equal costs (and some of cost 0), ids such as ``9`` and ``10`` (lexicographic order
differs from numeric order), repeated ballots, empty ballots (not with points: pabutools
cannot read those), decimal costs; approval ballots for every rule, cumulative, scoring and
ordinal ballots for ``greedy`` and ``max-utilitarian``.

``analyse`` (share of voters with a funded project, average cost and cardinality
satisfaction, Gini, capped fair share, EJR exactly / up to one / up to any) is compared with
``pabutools.analysis`` on tiny random approval elections (pabutools' EJR checks try every group
of voters with every set of projects); the average cost satisfaction within half a cent (ours
is rounded to cents).

Exit status 1 when any outcome differs. ``check_file`` and ``check_random`` can be called
from other benchmarks; they return the mismatches.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import sys
import time
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction
from importlib import metadata
from pathlib import Path
from typing import Any

import numpy as np
from pabutools.election import Cost_Sat
from pabutools.election.ballot import AbstractOrdinalBallot
from pabutools.election.pabulib import parse_pabulib_from_string
from pabutools.election.satisfaction.additivesatisfaction import AdditiveSatisfaction
from pabutools.election.satisfaction.positionalsatisfaction import borda_sat_func
from pabutools.rules import (
    MaxAddUtilWelfareAlgo,
    completion_by_rule_combination,
    greedy_utilitarian_welfare,
    max_additive_utilitarian_welfare,
    method_of_equal_shares,
    sequential_phragmen,
)

from samenspraak.core.pb import Election, Outcome, Project, Vote, analyse, read_pb, write_pb
from samenspraak.core.pb.rules import tally

ROOT = Path(__file__).resolve().parent.parent
DATA = Path(os.environ.get("BENCH_PB_DATA", ROOT.parent / "shared" / "data" / "real" / "pabulib"))
CACHE = ROOT / "benchmarks" / "data" / "pb_reference"
RULES = ("greedy", "mes", "mes-add1", "phragmen", "max-utilitarian")
APPROVAL_ONLY = ("mes", "mes-add1", "phragmen")
SLOW_SIZE = 500_000


def _score_cost(instance: Any, profile: Any, ballot: Any, project: Any, pre: Any) -> Any:
    """Satisfaction ``score * cost``: points (cardinal) or Borda score (ordinal) times cost."""
    if isinstance(ballot, AbstractOrdinalBallot):
        return borda_sat_func(ballot, project) * project.cost
    return ballot.get(project, 0) * project.cost


class ScoreCostSat(AdditiveSatisfaction):  # type: ignore[misc]
    """The cost satisfaction for scored ballots that ``greedy`` uses (see the docstring)."""

    def __init__(self, instance: Any, profile: Any, ballot: Any) -> None:
        AdditiveSatisfaction.__init__(self, instance, profile, ballot, _score_cost)


@dataclass(frozen=True)
class Mismatch:
    source: str
    rule: str
    ours: Sequence[str]
    theirs: Sequence[str]
    note: str = ""

    def __str__(self) -> str:
        return (
            f"MISMATCH {self.source} {self.rule}: ours {list(self.ours)} "
            f"pabutools {list(self.theirs)} {self.note}".rstrip()
        )


def reference(instance: Any, profile: Any, rule: str, vote_type: str) -> list[str]:
    """pabutools' outcome (project names, in its order)."""
    sat = Cost_Sat if vote_type == "approval" else ScoreCostSat
    if rule == "greedy":
        out = greedy_utilitarian_welfare(instance, profile, sat_class=sat)
    elif rule == "mes":
        out = method_of_equal_shares(instance, profile, sat_class=Cost_Sat)
    elif rule == "mes-add1":
        out = completion_by_rule_combination(
            instance,
            profile,
            [method_of_equal_shares, greedy_utilitarian_welfare],
            [{"sat_class": Cost_Sat, "voter_budget_increment": 1}, {"sat_class": Cost_Sat}],
        )
    elif rule == "phragmen":
        out = sequential_phragmen(instance, profile)
    elif rule == "max-utilitarian":
        try:
            out = max_additive_utilitarian_welfare(
                instance, profile, sat_class=sat, inner_algo=MaxAddUtilWelfareAlgo.PRIMAL_DUAL
            )
        except IndexError:  # pabutools 1.2.3's knapsack solver fails on some tiny instances
            out = max_additive_utilitarian_welfare(
                instance, profile, sat_class=sat, inner_algo=MaxAddUtilWelfareAlgo.ILP_SOLVER
            )
    else:
        raise ValueError(rule)
    return [str(p.name) for p in out]


def welfare(election: Election, selected: Sequence[str]) -> Fraction:
    """Total cost satisfaction: per project its cost times its score (approvals, points,
    Borda score), exactly."""
    chosen = set(selected)
    cost = {p.id: Fraction(p.cost) for p in election.projects}
    total = Fraction(0)
    for vote in election.votes:
        for place, project_id in enumerate(vote.vote):
            if project_id not in chosen:
                continue
            if vote.points is not None:
                score = vote.points[place]
            elif election.vote_type.value == "ordinal":
                score = len(vote.vote) - place - 1
            else:
                score = 1
            total += score * cost[project_id]
    return total


def best_welfare(election: Election) -> Fraction | None:
    """The utilitarian optimum by trying every set of projects (``None`` beyond 16)."""
    if len(election.projects) > 16:
        return None
    budget = Fraction(election.budget)
    best = Fraction(0)
    ids = [p.id for p in election.projects]
    cost = {p.id: Fraction(p.cost) for p in election.projects}
    for mask in range(1 << len(ids)):
        chosen = [ids[i] for i in range(len(ids)) if mask >> i & 1]
        if sum((cost[p] for p in chosen), Fraction(0)) <= budget:
            best = max(best, welfare(election, chosen))
    return best


def compare(
    source: str, rule: str, election: Election, ours: Outcome, theirs: list[str]
) -> Mismatch | None:
    mine = list(ours.selected)
    if rule == "phragmen":
        same = sorted(mine) == sorted(theirs)
    elif rule == "max-utilitarian":
        ours_w, theirs_w = welfare(election, mine), welfare(election, theirs)
        if ours_w == theirs_w:
            return None
        optimum = best_welfare(election) if ours_w > theirs_w else None
        if optimum is not None and ours_w == optimum and ours.total_cost <= election.budget:
            # pabutools 1.2.3's knapsack solver misses the optimum on some instances with
            # decimal costs; ours reaches the optimum found by trying every set.
            print(f"  note: {source}: pabutools' max welfare {theirs_w} < optimum {optimum} (ours)")
            return None
        return Mismatch(source, rule, mine, theirs, f"welfare {ours_w} vs {theirs_w}")
    else:
        same = mine == theirs
    return None if same else Mismatch(source, rule, mine, theirs)


def _sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _cached_reference(
    path: Path, text: str, rule: str, vote_type: str, *, allow_slow: bool
) -> tuple[list[str] | None, float | None, bool]:
    """pabutools' outcome on a file, from the cache when it is there: (outcome, seconds,
    from cache); ``None`` when skipped as too slow."""
    version = metadata.version("pabutools")
    digest = _sha256(path)
    entry = CACHE / f"{path.stem}-{rule}.json"
    if entry.exists():
        stored = json.loads(entry.read_text())
        if stored.get("sha256") == digest and stored.get("pabutools") == version:
            return list(stored["selected"]), float(stored["seconds"]), True
    if rule == "mes-add1" and not allow_slow and path.stat().st_size > SLOW_SIZE:
        return None, None, False
    instance, profile = parse_pabulib_from_string(text)
    start = time.perf_counter()
    selected = reference(instance, profile, rule, instance.meta.get("vote_type", "approval"))
    seconds = time.perf_counter() - start
    CACHE.mkdir(parents=True, exist_ok=True)
    entry.write_text(
        json.dumps(
            {
                "file": path.name,
                "sha256": digest,
                "rule": rule,
                "pabutools": version,
                "fractions": "gmpy2",
                "seconds": seconds,
                "selected": selected,
            }
        )
    )
    return selected, seconds, False


def check_file(
    path: Path, rules: Sequence[str] = RULES, *, allow_slow: bool = True, verbose: bool = True
) -> list[Mismatch]:
    """Our rules against pabutools on one ``.pb`` file, and ``official`` against its
    ``selected`` column when it has one."""
    text = path.read_text(encoding="utf-8-sig")
    election = read_pb(path)
    vote_type = election.vote_type.value
    mismatches: list[Mismatch] = []
    for rule in rules:
        if rule in APPROVAL_ONLY and vote_type != "approval":
            continue
        start = time.perf_counter()
        ours = tally(election, rule)
        ours_s = time.perf_counter() - start
        theirs, theirs_s, cached = _cached_reference(
            path, text, rule, vote_type, allow_slow=allow_slow
        )
        if theirs is None:
            if verbose:
                print(f"  {path.name:34} {rule:16} ours {ours_s:8.3f} s  pabutools skipped")
            continue
        found = compare(path.name, rule, election, ours, theirs)
        if verbose:
            where = " (cached)" if cached else ""
            print(
                f"  {path.name:34} {rule:16} ours {ours_s:8.3f} s  pabutools {theirs_s:8.2f} s"
                f"{where}  {'MISMATCH' if found else 'equal'} ({len(ours.selected)} projects)"
            )
        if found:
            mismatches.append(found)
    if any("selected" in p.extra for p in election.projects):
        official = tally(election, "official")
        truth = [p.id for p in election.projects if p.extra.get("selected") == "1"]
        same = sorted(official.selected) == sorted(truth)
        if verbose:
            print(
                f"  {path.name:34} {'official':16} {'equal to' if same else 'DIFFERS from'} "
                f"the selected column ({len(truth)} projects)"
            )
        if not same:
            mismatches.append(
                Mismatch(path.name, "official", official.selected, truth, "selected column")
            )
    return mismatches


# -- random elections ------------------------------------------------------------------------

_IDS = ("1", "2", "9", "10", "11", "100", "21", "3", "A", "a", "b7", "07")


def random_election(
    rng: np.random.Generator, vote_type: str, *, max_projects: int = 9, max_voters: int = 24
) -> Election:
    """A small election made to have ties: few projects, small and equal costs."""
    n_projects = int(rng.integers(1, max_projects + 1))
    ids = [str(x) for x in rng.choice(_IDS, size=n_projects, replace=False)]
    decimal = rng.random() < 0.2
    costs: list[Decimal] = []
    for _ in ids:
        if rng.random() < 0.08:
            costs.append(Decimal(0))
        elif decimal:
            costs.append(Decimal(int(rng.integers(1, 40))) / 4)
        else:
            costs.append(Decimal(int(rng.choice([1, 2, 2, 3, 4, 5, 6, 10]))))
    total = sum(costs, Decimal(0))
    budget = Decimal(int(rng.integers(1, int(total) + 3)))
    if decimal and rng.random() < 0.5:
        budget += Decimal("0.5")
    n_voters = int(rng.integers(0, max_voters + 1))
    density = float(rng.uniform(0.1, 0.8))
    patterns: list[list[str]] = []
    votes: list[Vote] = []
    for i in range(n_voters):
        if patterns and rng.random() < 0.3:
            chosen = list(patterns[int(rng.integers(0, len(patterns)))])
        else:
            chosen = [p for p in ids if rng.random() < density]
            if not chosen and vote_type in ("cumulative", "scoring"):
                chosen = [ids[0]]  # pabutools cannot read an empty ballot with points
            rng.shuffle(chosen)
            patterns.append(chosen)
        points: tuple[int, ...] | None = None
        if vote_type in ("cumulative", "scoring"):
            points = tuple(int(x) for x in rng.integers(1, 6, size=len(chosen)))
        votes.append(Vote(voter_id=str(i + 1), vote=tuple(chosen), points=points))
    meta = {
        "description": "random",
        "country": "Nowhere",
        "unit": "Test",
        "instance": "1",
        "num_projects": str(n_projects),
        "num_votes": str(n_voters),
        "budget": str(budget),
        "vote_type": vote_type,
        "rule": "greedy",
    }
    projects = tuple(Project(id=p, cost=c, name=f"P{p}") for p, c in zip(ids, costs, strict=True))
    return Election(meta=meta, projects=projects, votes=tuple(votes))


def check_random(
    count: int, seed: int, rules: Sequence[str] = RULES, *, verbose: bool = True
) -> list[Mismatch]:
    """Our rules against pabutools on ``count`` random elections from ``seed``."""
    rng = np.random.default_rng(seed)
    mismatches: list[Mismatch] = []
    checked = 0
    for index in range(count):
        vote_type = str(rng.choice(["approval"] * 6 + ["cumulative", "scoring", "ordinal"]))
        election = random_election(rng, vote_type)
        text = write_pb(election)
        instance, profile = parse_pabulib_from_string(text)
        for rule in rules:
            if rule in APPROVAL_ONLY and vote_type != "approval":
                continue
            ours = tally(election, rule)
            theirs = reference(instance, profile, rule, vote_type)
            found = compare(f"random #{index} (seed {seed})", rule, election, ours, theirs)
            checked += 1
            if found:
                mismatches.append(found)
                if verbose:
                    print(found)
                    print(text)
    if verbose:
        print(f"  random: {count} elections, {checked} outcomes, {len(mismatches)} mismatches")
    return mismatches


def check_analysis_random(count: int, seed: int, *, verbose: bool = True) -> list[Mismatch]:
    """``analyse`` against pabutools' analysis module on ``count`` tiny random approval
    elections (at most 6 voters and 5 projects: pabutools' EJR checks try every group of
    voters with every set of projects), for the outcomes of greedy, MES and a random set."""
    from pabutools.analysis.fairshare import average_capped_fair_share_ratio
    from pabutools.analysis.justifiedrepresentation import (
        is_EJR_any_approval,
        is_EJR_approval,
        is_EJR_one_approval,
    )
    from pabutools.analysis.votersatisfaction import (
        avg_satisfaction,
        gini_coefficient_of_satisfaction,
        percent_non_empty_handed,
    )
    from pabutools.election import Cardinality_Sat

    rng = np.random.default_rng(seed)
    mismatches: list[Mismatch] = []
    checked = 0
    for index in range(count):
        election = random_election(rng, "approval", max_projects=5, max_voters=6)
        instance, profile = parse_pabulib_from_string(write_pb(election))
        by_name = {str(p.name): p for p in instance}
        ids = [p.id for p in election.projects]
        random_set = tuple(p for p in ids if rng.random() < 0.5)
        for name, selected in (
            ("greedy", tally(election, "greedy").selected),
            ("mes", tally(election, "mes").selected),
            ("random set", random_set),
        ):
            ours = analyse(
                election,
                Outcome(rule=name, selected=selected, total_cost=Decimal(0), budget=Decimal(0)),
            )
            alloc = [by_name[p] for p in selected]
            theirs: dict[str, Any] = {
                "ejr": is_EJR_approval(instance, profile, Cost_Sat, alloc),
                "up_to_one": is_EJR_one_approval(instance, profile, Cost_Sat, alloc),
                "up_to_any": is_EJR_any_approval(instance, profile, Cost_Sat, alloc),
            }
            mine: dict[str, Any] = {
                "ejr": ours.ejr.ejr,
                "up_to_one": ours.ejr.up_to_one,
                "up_to_any": ours.ejr.up_to_any,
            }
            if profile.num_ballots():
                theirs["share"] = float(percent_non_empty_handed(instance, profile, alloc))
                theirs["cards"] = float(avg_satisfaction(instance, profile, alloc, Cardinality_Sat))
                theirs["cost"] = float(avg_satisfaction(instance, profile, alloc, Cost_Sat))
                theirs["gini"] = float(
                    gini_coefficient_of_satisfaction(instance, profile, alloc, Cost_Sat)
                )
                mine["share"] = ours.share_with_funded_project
                mine["cards"] = ours.average_funded_projects
                mine["cost"] = float(ours.average_cost_satisfaction)
                mine["gini"] = ours.gini_cost_satisfaction
                costly = {p.id for p in election.projects if p.cost > 0}
                everyone_votes = all(costly.intersection(v.vote) for v in election.votes)
                everything_voted = all(any(p in v.vote for v in election.votes) for p in ids)
                if everyone_votes and everything_voted:  # else pabutools divides by zero
                    theirs["fair"] = float(
                        average_capped_fair_share_ratio(instance, profile, alloc)
                    )
                    mine["fair"] = ours.average_capped_fair_share
            checked += 1
            different = [
                key
                for key in theirs
                if not (
                    theirs[key] == mine[key]
                    if isinstance(theirs[key], bool)
                    else abs(theirs[key] - mine[key]) <= (0.006 if key == "cost" else 1e-9)
                )
            ]
            if different:
                found = Mismatch(
                    f"analysis #{index} (seed {seed})",
                    f"analyse {name}: {different}",
                    [f"{k}={mine[k]}" for k in different],
                    [f"{k}={theirs[k]}" for k in different],
                )
                mismatches.append(found)
                if verbose:
                    print(found)
    if verbose:
        print(f"  analysis: {checked} outcomes, {len(mismatches)} mismatches")
    return mismatches


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--files", action="store_true", help="only the real files")
    parser.add_argument("--random", type=int, default=300, help="random elections (default 300)")
    parser.add_argument("--seed", type=int, default=20260501)
    parser.add_argument("--rules", nargs="+", default=list(RULES), choices=RULES)
    parser.add_argument("--no-slow", action="store_true", help="skip uncached slow references")
    args = parser.parse_args(argv)
    print(f"pabutools {metadata.version('pabutools')}, exact fractions; data {DATA}")
    mismatches: list[Mismatch] = []
    if DATA.is_dir():
        for path in sorted(DATA.glob("*.pb")):
            mismatches += check_file(path, args.rules, allow_slow=not args.no_slow)
    else:
        print(f"  no real files: {DATA} does not exist")
    if not args.files and args.random:
        mismatches += check_random(args.random, args.seed, args.rules)
        mismatches += check_analysis_random(args.random, args.seed + 1)
    for mismatch in mismatches:
        print(mismatch)
    print(f"{len(mismatches)} mismatches")
    return 1 if mismatches else 0


if __name__ == "__main__":
    sys.exit(main())
