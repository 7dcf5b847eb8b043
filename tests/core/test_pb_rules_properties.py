"""Properties of the PB rules on random elections, and slow, obviously correct references.

The references below follow the definitions word for word with ``Fraction``s, one voter at a
time (no classes, no floats, no lazy evaluation, nothing shared with the code under test):

- ``naive_mes``: each round, for every project whose supporters still have its cost, the price
  ``q`` with ``sum(min(budget, q)) == cost`` is found by trying every candidate water level; the
  lowest ``q / cost`` wins, ties by project id;
- ``naive_add_one``: the add-one loop around ``naive_mes`` and a greedy fill-up;
- ``naive_phragmen``: loads per voter, the new maximal load per project;
- the utilitarian optimum by trying every set of projects.
"""

from __future__ import annotations

import itertools
from decimal import Decimal
from fractions import Fraction

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from samenspraak.core.pb import Election, Project, Vote
from samenspraak.core.pb.analysis import analyse
from samenspraak.core.pb.rules import tally
from samenspraak.core.pb.rules._profile import build_profile
from samenspraak.core.pb.rules.mes import MesData, _FloatRun, _Uncertain, method_of_equal_shares

IDS = ["1", "2", "9", "10", "100", "a", "B", "07"]
SETTINGS = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@st.composite
def elections(draw, vote_type: str = "approval", max_voters: int = 10) -> Election:
    ids = draw(st.lists(st.sampled_from(IDS), min_size=1, max_size=6, unique=True))
    cost_values = st.sampled_from(["0", "1", "2", "2", "3", "4", "5", "1.5", "2.25", "10"])
    costs = [Decimal(draw(cost_values)) for _ in ids]
    total = int(sum(costs))
    budget = Decimal(draw(st.integers(1, total + 2))) + Decimal(draw(st.sampled_from(["0", "0.5"])))
    n = draw(st.integers(0, max_voters))
    votes = []
    for i in range(n):
        ballot = draw(st.lists(st.sampled_from(ids), unique=True, max_size=len(ids)))
        if vote_type in ("cumulative", "scoring"):
            points = tuple(draw(st.integers(1, 5)) for _ in ballot)
            votes.append(Vote(voter_id=str(i), vote=tuple(ballot), points=points))
        else:
            votes.append(Vote(voter_id=str(i), vote=tuple(ballot)))
    return Election(
        meta={"budget": str(budget), "vote_type": vote_type},
        projects=tuple(Project(id=p, cost=c) for p, c in zip(ids, costs, strict=True)),
        votes=tuple(votes),
    )


# --- references ---------------------------------------------------------------------------


def _parts(election: Election) -> tuple[dict[str, Fraction], list[set[str]], Fraction]:
    costs = {p.id: Fraction(p.cost) for p in election.projects}
    ballots = [set(v.vote) for v in election.votes]
    return costs, ballots, Fraction(Decimal(election.meta["budget"]))


def _price(cost: Fraction, money: list[Fraction]) -> Fraction:
    """The ``q`` with ``sum(min(m, q)) == cost``, found among every candidate water level."""
    ordered = sorted(money)
    for poor in range(len(ordered)):
        q = (cost - sum(ordered[:poor], Fraction(0))) / (len(ordered) - poor)
        if sum((min(m, q) for m in ordered), Fraction(0)) == cost:
            return q
    raise AssertionError("no water level")


def naive_mes(election: Election, voter_budget: Fraction | None = None) -> list[str]:
    costs, ballots, budget = _parts(election)
    if not ballots:
        return []
    money = [voter_budget if voter_budget is not None else budget / len(ballots)] * len(ballots)
    remaining = [p for p in costs if costs[p] > 0 and any(p in b for b in ballots)]
    selected: list[str] = []
    while True:
        best: tuple[Fraction, str, Fraction] | None = None
        for project in sorted(remaining):
            supporters = [i for i, b in enumerate(ballots) if project in b]
            if sum((money[i] for i in supporters), Fraction(0)) < costs[project]:
                continue
            q = _price(costs[project], [money[i] for i in supporters])
            if best is None or q / costs[project] < best[0]:
                best = (q / costs[project], project, q)
        if best is None:
            return selected
        _, project, q = best
        for i, ballot in enumerate(ballots):
            if project in ballot:
                money[i] -= min(money[i], q)
        selected.append(project)
        remaining.remove(project)


def naive_greedy(election: Election, start: list[str]) -> list[str]:
    costs, ballots, budget = _parts(election)
    votes = {p: sum(p in b for b in ballots) for p in costs}
    left = budget - sum(costs[p] for p in start)
    out = []
    for p in sorted(costs, key=lambda p: (-(votes[p] if costs[p] and votes[p] else 0), p)):
        if p not in start and costs[p] <= left:
            out.append(p)
            left -= costs[p]
    return out


def naive_add_one(election: Election, increment: Fraction = Fraction(1)) -> list[str]:
    costs, ballots, budget = _parts(election)
    if not ballots:
        return naive_greedy(election, [])
    taking_part = [p for p in costs if costs[p] > 0 and any(p in b for b in ballots)]
    voter_budget = budget / len(ballots)
    previous: list[str] = []
    while True:
        outcome = naive_mes(election, voter_budget)
        spent = sum(costs[p] for p in outcome)
        if spent > budget:
            outcome = previous
            break
        if all(p in outcome or spent + costs[p] > budget for p in taking_part):
            break
        previous = outcome
        voter_budget += increment
    return outcome + naive_greedy(election, outcome)


def naive_phragmen(election: Election) -> list[str]:
    costs, ballots, budget = _parts(election)
    load = [Fraction(0)] * len(ballots)
    remaining = [p for p in costs if costs[p] <= budget]
    spent = Fraction(0)
    selected: list[str] = []
    while remaining:
        new: dict[str, float | Fraction] = {}
        for p in remaining:
            supporters = [i for i, b in enumerate(ballots) if p in b]
            if supporters:
                new[p] = (sum((load[i] for i in supporters), Fraction(0)) + costs[p]) / len(
                    supporters
                )
            else:
                new[p] = float("inf")
        lowest = min(new.values())
        tied = sorted(p for p in remaining if new[p] == lowest)
        if any(spent + costs[p] > budget for p in tied):
            break
        winner = tied[0]
        for i, ballot in enumerate(ballots):
            if winner in ballot:
                load[i] = Fraction(lowest)
        spent += costs[winner]
        selected.append(winner)
        remaining.remove(winner)
    return selected


def welfare(election: Election, selected: tuple[str, ...] | list[str]) -> Fraction:
    costs, _, _ = _parts(election)
    total = Fraction(0)
    for vote in election.votes:
        for place, p in enumerate(vote.vote):
            if p in selected:
                if vote.points is not None:
                    score = vote.points[place]
                elif election.meta["vote_type"] == "ordinal":
                    score = len(vote.vote) - place - 1
                else:
                    score = 1
                total += score * costs[p]
    return total


# --- properties ---------------------------------------------------------------------------


@SETTINGS
@given(elections())
def test_mes_equals_the_naive_reference(election):
    expected = naive_mes(election)
    assert list(tally(election, "mes").selected) == expected
    profile = build_profile(election)
    data = MesData(profile)
    start = Fraction(profile.budget, max(profile.n_voters, 1))
    ids = lambda found: [profile.ids[p] for p in found]  # noqa: E731
    assert ids(method_of_equal_shares(data, start, exact=True)) == expected
    try:  # the float run, when it is sure of every decision, must agree too
        fast = ids(_FloatRun(data, start).run())
    except _Uncertain:
        fast = expected
    assert fast == expected


@SETTINGS
@given(elections(), st.sampled_from(["1", "0.5", "2"]))
def test_mes_add_one_equals_the_naive_reference(election, increment):
    outcome = tally(election, "mes-add1", increment=Decimal(increment))
    assert list(outcome.selected) == naive_add_one(election, Fraction(Decimal(increment)))


@SETTINGS
@given(elections())
def test_phragmen_equals_the_naive_reference(election):
    assert list(tally(election, "phragmen").selected) == naive_phragmen(election)


@SETTINGS
@given(st.sampled_from(["approval", "cumulative", "scoring", "ordinal"]).flatmap(elections))
def test_every_outcome_is_within_the_budget_and_max_utilitarian_is_best(election):
    budget = Decimal(election.meta["budget"])
    rules = ["greedy", "greedy-no-skip", "max-utilitarian"]
    if election.meta["vote_type"] == "approval":
        rules += ["mes", "mes-add1", "phragmen"]
    outcomes = {rule: tally(election, rule) for rule in rules}
    costs = {p.id: p.cost for p in election.projects}
    for rule, outcome in outcomes.items():
        assert outcome.total_cost == sum((costs[p] for p in outcome.selected), Decimal(0))
        assert outcome.total_cost <= budget, rule
        assert len(set(outcome.selected)) == len(outcome.selected), rule
    best = welfare(election, outcomes["max-utilitarian"].selected)
    for outcome in outcomes.values():
        assert welfare(election, outcome.selected) <= best
    # ... and nothing beats it: try every set that fits.
    ids = list(costs)
    for size in range(len(ids) + 1):
        for subset in itertools.combinations(ids, size):
            if sum((costs[p] for p in subset), Decimal(0)) <= budget:
                assert welfare(election, list(subset)) <= best


@SETTINGS
@given(st.sampled_from(["approval", "cumulative", "ordinal"]).flatmap(elections))
def test_greedy_goes_down_its_ranking_and_leaves_nothing_that_fits(election):
    outcome = tally(election, "greedy")
    costs = {p.id: p.cost for p in election.projects}
    budget = Decimal(election.meta["budget"])
    score = dict.fromkeys(costs, 0)
    for vote in election.votes:
        for place, p in enumerate(vote.vote):
            if vote.points is not None:
                score[p] += vote.points[place]
            elif election.meta["vote_type"] == "ordinal":
                score[p] += len(vote.vote) - place - 1
            else:
                score[p] += 1
    density = {p: score[p] if costs[p] > 0 and score[p] > 0 else 0 for p in costs}
    ranking = sorted(costs, key=lambda p: (-density[p], p))
    chosen = [p for p in ranking if p in outcome.selected]
    assert list(outcome.selected) == chosen  # in ranking order
    spent = Decimal(0)
    for p in ranking:  # each project left out did not fit when its turn came
        if p in outcome.selected:
            spent += costs[p]
        else:
            assert spent + costs[p] > budget
    left = budget - outcome.total_cost
    assert all(p in outcome.selected or costs[p] > left for p in costs)  # exhaustive


@SETTINGS
@given(elections())
def test_mes_and_add_one_satisfy_ejr_up_to_one_project(election):
    # Peters, Pierczyński and Skowron (2021): MES satisfies EJR up to one project; adding
    # projects (the add-one completion) keeps it.
    for rule in ("mes", "mes-add1"):
        check = analyse(election, tally(election, rule)).ejr
        assert check.status == "checked"
        assert check.up_to_one is True, rule


@SETTINGS
@given(elections(max_voters=6))
def test_threshold_and_no_skip(election):
    threshold = 2
    meta = dict(election.meta, min_project_score_threshold=str(threshold))
    with_threshold = Election(meta=meta, projects=election.projects, votes=election.votes)
    votes = {p.id: sum(p.id in v.vote for v in election.votes) for p in election.projects}
    selected = tally(with_threshold, "greedy-threshold").selected
    assert all(votes[p] >= threshold for p in selected)
    no_skip = tally(election, "greedy-no-skip").selected
    ranking = sorted(votes, key=lambda p: (-votes[p], p))
    assert list(no_skip) == ranking[: len(no_skip)]  # a prefix of the ranking
