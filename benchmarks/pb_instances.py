"""Generated participatory-budgeting instances, larger than the real files, with fixed seeds.

``python -m benchmarks.pb_instances`` writes them (as Pabulib ``.pb`` files, with our writer) to
benchmarks/data/pb/ and prints a summary. A file is written again only when it is missing.

How an instance is generated (numpy, one seed per instance):

- Districts: project ``i`` belongs to district ``i mod districts`` or, for a fifth of them, to
  the whole city; a voter lives in one district (uniform).
- Costs: log-normal around 200,000 (sigma 1), rounded to 1,000, at least 5,000.
- Popularity: a log-normal weight per project (sigma 1), so a few projects draw most votes.
- Ballots: approval; a voter approves ``1 + Binomial(max_length - 1, 0.6)`` distinct projects,
  drawn by weight among the city-wide projects and those of their own district (their own
  district's projects weigh three times as much).
- Budget: ``budget_share`` of the total cost of all projects, rounded to 1,000.

Local projects with few but concentrated supporters next to city-wide favourites is what makes
the Method of Equal Shares differ from greedy, as in real city-wide PB.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

import numpy as np

from samenspraak.core.pb import Election, Project, Vote, write_pb

DATA_DIR = Path(__file__).resolve().parent / "data" / "pb"


@dataclass(frozen=True)
class Spec:
    key: str
    projects: int
    voters: int
    districts: int
    max_length: int
    budget_share: float
    seed: int
    description: str


SPECS = (
    Spec(
        "gen_city_100k",
        projects=120,
        voters=100_000,
        districts=10,
        max_length=5,
        budget_share=0.25,
        seed=20260501,
        description="120 projects, 100,000 voters, 10 districts, up to 5 approvals "
        "(a city the size of Warszawa's city-wide vote, with more voters)",
    ),
    Spec(
        "gen_long_ballots_20k",
        projects=400,
        voters=20_000,
        districts=16,
        max_length=15,
        budget_share=0.15,
        seed=20260502,
        description="400 projects, 20,000 voters, 16 districts, up to 15 approvals "
        "(many projects and long ballots)",
    ),
)


def generate(spec: Spec) -> Election:
    rng = np.random.default_rng(spec.seed)
    n = spec.projects
    district = np.where(rng.random(n) < 0.2, -1, np.arange(n) % spec.districts)
    costs = np.maximum(5_000, np.round(rng.lognormal(np.log(200_000), 1.0, n), -3)).astype(int)
    weight = rng.lognormal(0.0, 1.0, n)
    ids = [str(1000 + i) for i in range(n)]
    projects = tuple(
        Project(
            id=ids[i],
            cost=Decimal(int(costs[i])),
            name=f"Project {i + 1}",
            extra={"district": "city" if district[i] < 0 else f"D{district[i] + 1}"},
        )
        for i in range(n)
    )
    candidates = []
    for d in range(spec.districts):
        pool = np.flatnonzero((district == -1) | (district == d))
        w = weight[pool] * np.where(district[pool] == d, 3.0, 1.0)
        candidates.append((pool, w / w.sum()))
    homes = rng.integers(0, spec.districts, spec.voters)
    lengths = 1 + rng.binomial(spec.max_length - 1, 0.6, spec.voters)
    votes = []
    for v in range(spec.voters):
        pool, p = candidates[homes[v]]
        k = min(int(lengths[v]), len(pool))
        chosen = rng.choice(pool, size=k, replace=False, p=p)
        votes.append(
            Vote(
                voter_id=str(v + 1),
                vote=tuple(ids[i] for i in chosen),
                extra={"district": f"D{homes[v] + 1}"},
            )
        )
    budget = int(round(float(costs.sum()) * spec.budget_share, -3))
    meta = {
        "description": f"Generated benchmark instance {spec.key}: {spec.description}",
        "country": "Generated",
        "unit": spec.key,
        "instance": str(spec.seed),
        "num_projects": str(n),
        "num_votes": str(spec.voters),
        "budget": str(budget),
        "vote_type": "approval",
        "rule": "greedy",
        "max_length": str(spec.max_length),
        "currency": "EUR",
    }
    return Election(meta=meta, projects=projects, votes=tuple(votes))


def build(keys: list[str] | None = None) -> list[Path]:
    """Write the instances named in ``keys`` (default all) when missing; their paths."""
    DATA_DIR.mkdir(parents=True, exist_ok=True)
    paths = []
    for spec in SPECS:
        if keys is not None and spec.key not in keys:
            continue
        path = DATA_DIR / f"{spec.key}.pb"
        if not path.exists():
            tmp = path.with_suffix(".tmp")
            tmp.write_text(write_pb(generate(spec)), encoding="utf-8")
            tmp.replace(path)
        paths.append(path)
    return paths


if __name__ == "__main__":
    for path in build():
        size = path.stat().st_size / 1e6
        print(f"{path.relative_to(Path.cwd()) if path.is_relative_to(Path.cwd()) else path}: "
              f"{size:.1f} MB")  # fmt: skip
