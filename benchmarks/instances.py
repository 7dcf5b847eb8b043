"""Deterministic benchmark instances for fair selection by lot (sortition).

Each instance is a generated pool of respondents plus quotas, written as the two CSV files
that the Sortition Foundation's tools read:

- categories.csv: ``feature,value,min,max``
- people.csv: ``id`` and one column per feature

How a pool is generated (fixed seed per instance, so every run sees the same files):

- Each feature has a *census* share per value (the population the panel should mirror) and
  a *pool* share per value (who actually answered the invitation: older, more educated and
  more concerned people answer more often, so the pool is skewed).
- The number of pool members per value is exactly the pool share times the pool size
  (largest remainders, at least one person per value).
- Features are correlated through one latent trait per person (think "likelihood to answer"):
  a person's score for a feature is ``loading * latent + noise`` and the values are handed
  out in blocks along that score. This keeps the marginals exact while making the
  features depend on each other, as they do in real pools.

Quotas are derived from the census shares with the slack real panels use:
``share = panel_size * census``, ``min = floor(0.8 * share)``, ``max = ceil(1.2 * share) + 1``,
then ``min`` is capped at the number of pool members with that value (a rare value then has
a minimum close to its availability) and ``max`` at the panel size. Feasibility is checked
with an integer program (scipy's HiGHS); should the quotas ever be infeasible they are
relaxed one step at a time, and the run says so.
"""

from __future__ import annotations

import csv
import math
import random
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from scipy.optimize import Bounds, LinearConstraint, milp

DATA_DIR = Path(__file__).resolve().parent / "data"


@dataclass(frozen=True)
class FeatureSpec:
    name: str
    values: tuple[str, ...]
    census: tuple[float, ...]  # share of each value in the population (quotas come from this)
    pool: tuple[float, ...]  # share of each value in the pool (self-selection skew)
    loading: float  # 0..1: how strongly this feature follows the shared latent trait


@dataclass(frozen=True)
class InstanceSpec:
    key: str
    name: str
    description: str
    pool_size: int
    panel_size: int
    seed: int
    features: tuple[FeatureSpec, ...]
    reference_algorithms: tuple[str, ...]


@dataclass(frozen=True)
class Quota:
    feature: str
    value: str
    min: int
    max: int


@dataclass(frozen=True)
class Instance:
    spec: InstanceSpec
    people_csv: Path
    categories_csv: Path
    people: tuple[dict[str, str], ...]  # rows including "id"
    quotas: tuple[Quota, ...]
    relaxations: int  # 0 unless the derived quotas had to be relaxed to become feasible

    @property
    def key(self) -> str:
        return self.spec.key

    @property
    def panel_size(self) -> int:
        return self.spec.panel_size


SPECS: tuple[InstanceSpec, ...] = (
    InstanceSpec(
        key="a",
        name="pool150",
        description="150-person pool, 22 seats, 4 features, mild self-selection skew",
        pool_size=150,
        panel_size=22,
        seed=150,
        features=(
            FeatureSpec(
                "gender",
                ("female", "male", "non-binary"),
                census=(0.505, 0.49, 0.005),
                pool=(0.45, 0.53, 0.02),
                loading=0.3,
            ),
            FeatureSpec(
                "age",
                ("16-24", "25-34", "35-49", "50-64", "65+"),
                census=(0.13, 0.16, 0.25, 0.25, 0.21),
                pool=(0.07, 0.12, 0.22, 0.31, 0.28),
                loading=0.6,
            ),
            FeatureSpec(
                "district",
                ("Centrum", "Noord", "Oost", "West"),
                census=(0.30, 0.25, 0.25, 0.20),
                pool=(0.34, 0.22, 0.26, 0.18),
                loading=0.2,
            ),
            FeatureSpec(
                "education",
                ("low", "middle", "high"),
                census=(0.28, 0.40, 0.32),
                pool=(0.14, 0.36, 0.50),
                loading=0.6,
            ),
        ),
        reference_algorithms=("maximin", "nash"),
    ),
    InstanceSpec(
        key="b",
        name="skewed500",
        description=(
            "skewed 500-person pool, 40 seats, 4 features: 70% in one age band, "
            "10 low-education people for a minimum of 9, "
            "a district with 10 people for a minimum of 3"
        ),
        pool_size=500,
        panel_size=40,
        seed=500,
        features=(
            FeatureSpec(
                "age",
                ("16-29", "30-44", "45-64", "65+"),
                census=(0.22, 0.24, 0.33, 0.21),
                pool=(0.06, 0.10, 0.70, 0.14),
                loading=0.7,
            ),
            FeatureSpec(
                "gender",
                ("female", "male", "other"),
                census=(0.50, 0.49, 0.01),
                pool=(0.38, 0.61, 0.01),
                loading=0.2,
            ),
            FeatureSpec(
                "district",
                ("A", "B", "C", "D", "E", "F"),
                census=(0.20, 0.20, 0.18, 0.17, 0.15, 0.10),
                pool=(0.25, 0.24, 0.20, 0.18, 0.11, 0.02),
                loading=0.3,
            ),
            FeatureSpec(
                "education",
                ("low", "middle", "high"),
                census=(0.30, 0.40, 0.30),
                pool=(0.02, 0.28, 0.70),
                loading=0.6,
            ),
        ),
        reference_algorithms=("maximin", "nash"),
    ),
    InstanceSpec(
        key="c",
        name="large1700",
        description="1,700-person pool, 110 seats, 7 features (31 values), moderate skew",
        pool_size=1700,
        panel_size=110,
        seed=1700,
        features=(
            FeatureSpec(
                "gender",
                ("female", "male", "non-binary"),
                census=(0.505, 0.49, 0.005),
                pool=(0.44, 0.55, 0.01),
                loading=0.3,
            ),
            FeatureSpec(
                "age",
                ("16-24", "25-34", "35-44", "45-54", "55-64", "65+"),
                census=(0.12, 0.15, 0.15, 0.17, 0.17, 0.24),
                pool=(0.06, 0.11, 0.14, 0.19, 0.23, 0.27),
                loading=0.6,
            ),
            FeatureSpec(
                "region",
                ("R1", "R2", "R3", "R4", "R5", "R6", "R7", "R8"),
                census=(0.16, 0.15, 0.14, 0.13, 0.12, 0.11, 0.10, 0.09),
                pool=(0.20, 0.16, 0.14, 0.13, 0.12, 0.10, 0.09, 0.06),
                loading=0.2,
            ),
            FeatureSpec(
                "education",
                ("low", "middle", "high"),
                census=(0.28, 0.40, 0.32),
                pool=(0.12, 0.35, 0.53),
                loading=0.6,
            ),
            FeatureSpec(
                "urbanity",
                ("urban", "suburban", "rural"),
                census=(0.45, 0.35, 0.20),
                pool=(0.50, 0.33, 0.17),
                loading=0.3,
            ),
            FeatureSpec(
                "background",
                ("none", "western", "non-western", "other"),
                census=(0.73, 0.10, 0.14, 0.03),
                pool=(0.82, 0.09, 0.07, 0.02),
                loading=0.4,
            ),
            FeatureSpec(
                "climate_concern",
                ("not at all", "not very", "fairly", "very"),
                census=(0.07, 0.18, 0.45, 0.30),
                pool=(0.04, 0.12, 0.40, 0.44),
                loading=0.5,
            ),
        ),
        reference_algorithms=("maximin",),
    ),
)


def _exact_counts(shares: Sequence[float], total: int) -> list[int]:
    """Split ``total`` by ``shares`` with largest remainders; every value gets at least one."""
    weight = sum(shares)
    raw = [total * s / weight for s in shares]
    counts = [max(1, math.floor(r)) for r in raw]
    order = sorted(
        range(len(shares)), key=lambda i: (raw[i] - math.floor(raw[i]), -i), reverse=True
    )
    index = 0
    while sum(counts) < total:
        counts[order[index % len(order)]] += 1
        index += 1
    while sum(counts) > total:  # only when the at-least-one rule overshot
        largest = max(range(len(counts)), key=lambda i: counts[i])
        counts[largest] -= 1
    return counts


def generate_people(spec: InstanceSpec) -> list[dict[str, str]]:
    rng = random.Random(spec.seed)  # noqa: S311 - reproducible benchmark data, not security
    n = spec.pool_size
    latent = [rng.gauss(0.0, 1.0) for _ in range(n)]
    people: list[dict[str, str]] = [{"id": f"P{i + 1:04d}"} for i in range(n)]
    for feature in spec.features:
        counts = _exact_counts(feature.pool, n)
        noise = math.sqrt(max(0.0, 1.0 - feature.loading**2))
        scores = [feature.loading * latent[i] + noise * rng.gauss(0.0, 1.0) for i in range(n)]
        order = sorted(range(n), key=lambda i: scores[i])
        # Values are handed out along the score in a fixed, seeded order of blocks.
        value_order = list(range(len(feature.values)))
        rng.shuffle(value_order)
        position = 0
        for value_index in value_order:
            for person_index in order[position : position + counts[value_index]]:
                people[person_index][feature.name] = feature.values[value_index]
            position += counts[value_index]
    return people


def derive_quotas(spec: InstanceSpec, people: Sequence[dict[str, str]]) -> list[Quota]:
    k = spec.panel_size
    quotas: list[Quota] = []
    for feature in spec.features:
        available = {v: sum(1 for p in people if p[feature.name] == v) for v in feature.values}
        weight = sum(feature.census)
        mins: list[int] = []
        maxs: list[int] = []
        for value, census in zip(feature.values, feature.census, strict=True):
            share = k * census / weight
            mins.append(min(math.floor(0.8 * share), available[value]))
            maxs.append(min(math.ceil(1.2 * share) + 1, k))
        # Per-feature sanity: the panel size must fit between the sums (it does with this slack).
        while sum(mins) > k:
            mins[mins.index(max(mins))] -= 1
        while sum(min(m, available[v]) for m, v in zip(maxs, feature.values, strict=True)) < k:
            spare = [i for i, v in enumerate(feature.values) if maxs[i] < available[v]]
            maxs[spare[0]] += 1
        for value, lo, hi in zip(feature.values, mins, maxs, strict=True):
            quotas.append(Quota(feature.name, value, lo, hi))
    return quotas


def is_feasible(people: Sequence[dict[str, str]], quotas: Sequence[Quota], panel_size: int) -> bool:
    """Whether some panel of ``panel_size`` meets every quota (an integer program, HiGHS)."""
    n = len(people)
    rows = [np.ones(n)]
    lower = [float(panel_size)]
    upper = [float(panel_size)]
    for quota in quotas:
        rows.append(np.array([1.0 if p[quota.feature] == quota.value else 0.0 for p in people]))
        lower.append(float(quota.min))
        upper.append(float(quota.max))
    result = milp(
        c=np.zeros(n),
        constraints=LinearConstraint(np.vstack(rows), np.array(lower), np.array(upper)),
        integrality=np.ones(n),
        bounds=Bounds(0, 1),
    )
    return bool(result.status == 0)


def _relax(quotas: Sequence[Quota], panel_size: int) -> list[Quota]:
    return [
        Quota(q.feature, q.value, max(0, q.min - 1), min(panel_size, q.max + 1)) for q in quotas
    ]


def write_csvs(
    directory: Path, spec: InstanceSpec, people: Sequence[dict[str, str]], quotas: Sequence[Quota]
) -> tuple[Path, Path]:
    directory.mkdir(parents=True, exist_ok=True)
    people_csv = directory / f"{spec.key}_{spec.name}_people.csv"
    categories_csv = directory / f"{spec.key}_{spec.name}_categories.csv"
    columns = ["id", *(f.name for f in spec.features)]
    with people_csv.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=columns)
        writer.writeheader()
        writer.writerows(people)
    with categories_csv.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(["feature", "value", "min", "max"])
        for quota in quotas:
            writer.writerow([quota.feature, quota.value, quota.min, quota.max])
    return people_csv, categories_csv


def build(spec: InstanceSpec, directory: Path = DATA_DIR) -> Instance:
    people = generate_people(spec)
    quotas = derive_quotas(spec, people)
    relaxations = 0
    while not is_feasible(people, quotas, spec.panel_size):
        relaxations += 1
        if relaxations > 5:
            raise RuntimeError(f"instance {spec.key}: quotas stay infeasible after 5 relaxations")
        quotas = _relax(quotas, spec.panel_size)
    people_csv, categories_csv = write_csvs(directory, spec, people, quotas)
    return Instance(spec, people_csv, categories_csv, tuple(people), tuple(quotas), relaxations)


def build_all(keys: Sequence[str] | None = None, directory: Path = DATA_DIR) -> list[Instance]:
    return [build(spec, directory) for spec in SPECS if keys is None or spec.key in keys]


def describe(instance: Instance) -> str:
    lines = [f"instance {instance.key} ({instance.spec.name}): {instance.spec.description}"]
    for feature in instance.spec.features:
        parts = []
        for quota in instance.quotas:
            if quota.feature != feature.name:
                continue
            have = sum(1 for p in instance.people if p[feature.name] == quota.value)
            parts.append(f"{quota.value}={have} [{quota.min},{quota.max}]")
        lines.append(f"  {feature.name}: " + ", ".join(parts))
    if instance.relaxations:
        lines.append(f"  quotas relaxed {instance.relaxations}x to become feasible")
    return "\n".join(lines)


if __name__ == "__main__":
    for built in build_all():
        print(describe(built))
        print(f"  -> {built.people_csv}\n  -> {built.categories_csv}")
