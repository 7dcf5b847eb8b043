"""Properties of the budget optimiser, checked against brute force on small instances.

The brute force shares no code with the optimiser: it enumerates every subset of at most ten
measures, keeps those that respect must-include, must-exclude and the exclusive groups, and
computes each one's yearly balance in Decimal and its harm as an exact fraction. From that
list it derives what the optimiser must return: the least harm (then the fewest measures)
among packages that close every year, the k best alternatives in order, and, when nothing
closes, the smallest total shortfall.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction

import pytest
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from samenspraak.core.budget import Gap, Measure, Objective, YearAmounts, close_gap
from samenspraak.core.errors import InputError

SETTINGS = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
ZERO = Decimal("0.00")


@dataclass(frozen=True)
class Instance:
    measures: list[Measure]
    gaps: list[Gap]
    objective: Objective
    must_include: frozenset[str]
    must_exclude: frozenset[str]
    alternatives: int
    allow_supersets: bool


def amounts(draw, low: int, high: int) -> Decimal:
    euros = draw(st.integers(low, high)) * 10
    cents = draw(st.sampled_from([0, 0, 0, 1, 50, 99]))
    return Decimal(euros) + Decimal(cents) / 100


@st.composite
def instances(draw, max_measures: int = 10) -> Instance:
    years = list(range(2027, 2027 + draw(st.integers(1, 3))))
    numbers = draw(st.lists(st.integers(0, 99), max_size=max_measures, unique=True))
    measures = []
    for number in numbers:
        effects = {}
        for year in years:
            if draw(st.integers(0, 4)):
                effects[year] = YearAmounts(amounts(draw, -4, 12), amounts(draw, -4, 8))
        measures.append(
            Measure(
                id=f"p{number}",
                title=f"Proposal {number}",
                effects=effects,
                support=draw(st.integers(0, 100)) / 100,
                impact=draw(st.integers(0, 50)) / 10,
                people=draw(st.integers(0, 500)),
                group=draw(st.sampled_from([None, None, "g1", "g2"])),
            )
        )
    gaps = []
    for year in years:
        possible = sum((m.effects[year].structural for m in measures if year in m.effects), ZERO)
        share = Fraction(draw(st.integers(0, 12)), 10)  # above 1 tends to be infeasible
        structural = (max(possible, ZERO) * Decimal(share.numerator) / share.denominator).quantize(
            Decimal("0.01")
        )
        gaps.append(Gap(year, structural, amounts(draw, -5, 5)))
    ids = [m.id for m in measures]
    include: set[str] = set()
    exclude: set[str] = set()
    if ids and draw(st.booleans()):
        include = set(draw(st.lists(st.sampled_from(ids), max_size=2, unique=True)))
        groups = [m.group for m in measures if m.id in include and m.group]
        if len(groups) != len(set(groups)):
            include = set(sorted(include)[:1])
        exclude = set(draw(st.lists(st.sampled_from(ids), max_size=2, unique=True))) - include
    return Instance(
        measures=measures,
        gaps=gaps,
        objective=draw(st.sampled_from(list(Objective))),
        must_include=frozenset(include),
        must_exclude=frozenset(exclude),
        alternatives=draw(st.integers(0, 3)),
        allow_supersets=draw(st.booleans()),
    )


# --------------------------------------------------------------------------- brute force


def harm(measure: Measure, objective: Objective) -> Fraction:
    if objective is Objective.SUPPORT:
        assert measure.support is not None
        return 1 - Fraction(round(measure.support * 100), 100)
    if objective is Objective.IMPACT:
        assert measure.impact is not None
        return Fraction(round(measure.impact * 10), 10)
    assert measure.people is not None
    return Fraction(measure.people)


def balances(chosen, gaps) -> list[tuple[int, Decimal, Decimal]]:
    """(year, structural balance, total balance) of a set of measures."""
    rows = []
    for g in gaps:
        structural = sum(
            (m.effects[g.year].structural for m in chosen if g.year in m.effects), ZERO
        )
        incidental = sum(
            (m.effects[g.year].incidental for m in chosen if g.year in m.effects), ZERO
        )
        rows.append(
            (
                g.year,
                structural - g.structural,
                structural + incidental - g.structural - g.incidental,
            )
        )
    return rows


def closes(rows) -> bool:
    return all(s >= 0 and t >= 0 for _, s, t in rows)


def short(rows) -> Decimal:
    return sum((max(ZERO, -s, -t) for _, s, t in rows), ZERO)


@dataclass(frozen=True)
class Candidate:
    ids: frozenset[str]
    harm: Fraction
    balances: tuple[tuple[int, Decimal, Decimal], ...]

    @property
    def key(self) -> tuple[Fraction, int]:
        return self.harm, len(self.ids)


def allowed(instance: Instance) -> list[Candidate]:
    """Every package that respects must-include, must-exclude and the exclusive groups."""
    found = []
    measures = instance.measures
    for size in range(len(measures) + 1):
        for chosen in itertools.combinations(measures, size):
            ids = frozenset(m.id for m in chosen)
            if not instance.must_include <= ids or ids & instance.must_exclude:
                continue
            groups = [m.group for m in chosen if m.group]
            if len(groups) != len(set(groups)):
                continue
            found.append(
                Candidate(
                    ids=ids,
                    harm=sum((harm(m, instance.objective) for m in chosen), Fraction(0)),
                    balances=tuple(balances(chosen, instance.gaps)),
                )
            )
    return found


def solve(instance: Instance):
    return close_gap(
        instance.measures,
        instance.gaps,
        objective=instance.objective,
        must_include=instance.must_include,
        must_exclude=instance.must_exclude,
        alternatives=instance.alternatives,
        allow_supersets=instance.allow_supersets,
    )


def assert_respects_rules(selected: tuple[str, ...], instance: Instance) -> None:
    ids = set(selected)
    assert len(ids) == len(selected)
    assert list(selected) == sorted(selected)
    assert instance.must_include <= ids
    assert not ids & instance.must_exclude
    by_id = {m.id: m for m in instance.measures}
    groups = [by_id[i].group for i in selected if by_id[i].group]
    assert len(groups) == len(set(groups))


# --------------------------------------------------------------------------- properties


@SETTINGS
@given(instances())
def test_every_package_closes_every_year_in_decimal_and_respects_the_rules(instance):
    result = solve(instance)
    by_id = {m.id: m for m in instance.measures}
    for package in (result.best, *result.alternatives):
        if package is None:
            continue
        assert_respects_rules(package.selected, instance)
        rows = balances([by_id[i] for i in package.selected], instance.gaps)
        assert closes(rows)
        assert [(b.year, b.structural, b.total) for b in package.balance_per_year] == rows
        assert package.objective == pytest.approx(
            float(sum((harm(by_id[i], instance.objective) for i in package.selected), Fraction(0)))
        )


@SETTINGS
@given(instances())
def test_no_package_is_better_than_the_best_and_alternatives_follow_in_order(instance):
    result = solve(instance)
    candidates = allowed(instance)
    closing = [c for c in candidates if closes(c.balances)]
    assert result.feasible == bool(closing)
    event("feasible" if closing else "infeasible")
    event(f"packages returned: {len(result.alternatives) + (result.best is not None)}")
    if not closing:
        assert result.best is None and result.alternatives == ()
        return
    assert result.proven_optimal and result.mip_gap == 0.0
    packages = [result.best, *result.alternatives]
    chosen: list[frozenset[str]] = []
    for package in packages:
        assert package is not None
        ids = frozenset(package.selected)
        # What is left once the earlier packages are removed (and, unless supersets are
        # allowed, every package that contains one of them).
        left = [
            c
            for c in closing
            if c.ids not in chosen
            and (instance.allow_supersets or not any(earlier <= c.ids for earlier in chosen))
        ]
        best_key = min(c.key for c in left)
        mine = next(c for c in left if c.ids == ids)  # the package is among those left
        assert mine.key == best_key
        chosen.append(ids)
    if len(packages) < instance.alternatives + 1:
        left = [
            c
            for c in closing
            if c.ids not in chosen
            and (instance.allow_supersets or not any(earlier <= c.ids for earlier in chosen))
        ]
        assert left == [], "fewer alternatives than asked while more packages exist"
    objectives = [p.objective for p in packages if p is not None]
    assert objectives == sorted(objectives)


@SETTINGS
@given(instances())
def test_when_nothing_closes_the_shortfall_is_the_least_possible(instance):
    result = solve(instance)
    candidates = allowed(instance)
    if any(closes(c.balances) for c in candidates):
        assert result.feasible
        return
    assert not result.feasible and result.best is None
    assert result.shortfall_per_year is not None
    assert result.proven_optimal
    rows = [(b.year, b.structural, b.total) for b in result.shortfall_per_year]
    least = min(short(c.balances) for c in candidates)
    assert short(rows) == least
    # The reported balance is that of a real package allowed by the rules.
    assert any(list(c.balances) == rows and short(c.balances) == least for c in candidates)


@settings(max_examples=40, deadline=None)
@given(instances(max_measures=6), st.data())
def test_two_must_includes_in_one_group_are_refused(instance, data):
    grouped = [m for m in instance.measures if m.group]
    by_group: dict[str, list[str]] = {}
    for m in grouped:
        by_group.setdefault(m.group or "", []).append(m.id)
    pairs = [ids[:2] for ids in by_group.values() if len(ids) >= 2]
    if not pairs:
        return
    pair = data.draw(st.sampled_from(pairs))
    with pytest.raises(InputError) as caught:
        close_gap(instance.measures, instance.gaps, must_include=pair)
    assert caught.value.code == "group_conflict"
