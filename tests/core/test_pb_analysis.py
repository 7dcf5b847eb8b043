"""Fairness measures of PB outcomes: worked out by hand, and EJR against its plain definition.

The brute-force EJR check at the bottom enumerates every group of voters and every set of
projects, exactly as the definition reads (and as pabutools' ``is_EJR_approval`` does); the
check under test prunes and looks at one group per project set.
"""

from __future__ import annotations

import itertools
import json
from decimal import Decimal
from fractions import Fraction

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from samenspraak.core.errors import InputError
from samenspraak.core.pb import Election, Outcome, Project, Vote, analyse, tally
from samenspraak.core.pb.analysis import Analysis


def election(budget, costs, ballots, vote_type="approval", points=None):
    return Election(
        meta={"budget": budget, "vote_type": vote_type},
        projects=tuple(Project(id=p, cost=Decimal(c)) for p, c in costs.items()),
        votes=tuple(
            Vote(str(i), tuple(b), tuple(points[i]) if points else None)
            for i, b in enumerate(ballots)
        ),
    )


# The four-voter election of test_pb_rules: Y (4) by all, X (6) by voters 1-2, Z (3) by
# voters 3-4, W (2) by voter 4; budget 12.
FOUR = election(
    "12",
    {"X": "6", "Y": "4", "Z": "3", "W": "2"},
    [["X", "Y"], ["X", "Y"], ["Y", "Z"], ["Y", "Z", "W"]],
)


def test_mes_outcome_by_hand():
    # MES funds Y and Z. Cost satisfaction: voters 1-2 get 4, voters 3-4 get 4 + 3 = 7:
    # average 22 / 4 = 5.50, 5.5 / 12 of the budget; funded projects per ballot 6 / 4.
    result = analyse(FOUR, tally(FOUR, "mes"))
    assert isinstance(result, Analysis)
    assert result.rule == "mes"
    assert result.voters == 4
    assert result.selected == 2
    assert result.total_cost == Decimal(7)
    assert result.budget_share_used == pytest.approx(7 / 12)
    assert result.share_with_funded_project == 1.0
    assert result.average_funded_projects == 1.5
    assert result.average_cost_satisfaction == Decimal("5.50")
    assert result.average_cost_satisfaction_share == pytest.approx(5.5 / 12)
    # Gini of 4, 4, 7, 7: (n + 1 - 2 * (4*4 + 4*3 + 7*2 + 7*1) / 22) / n = (5 - 49/11) / 4.
    assert result.gini_cost_satisfaction == pytest.approx(3 / 22)
    # Shares: X 6/2 = 3, Y 1, Z 1.5, W 2; cap 12/4 = 3. Fair shares 3, 3, 2.5, 3; funded
    # shares 1, 1, 2.5, 2.5: ratios 1/3, 1/3, 1, 5/6, average 0.625.
    assert result.average_capped_fair_share == pytest.approx(0.625)
    # Voters 1 and 2 are half the voters and X costs half the budget: cohesive for {X}, and
    # both get 4 < 6, so EJR fails; up to one (or any) project, 4 + 6 >= 6 holds.
    assert result.ejr.status == "checked"
    assert result.ejr.ejr is False
    assert result.ejr.up_to_one is True
    assert result.ejr.up_to_any is True
    assert result.ejr.violation is None


def test_greedy_outcome_by_hand():
    # Greedy funds Y, X, W: voters get 10, 10, 4, 6 (average 7.50). The group for {X} gets 10,
    # the one for {Z} (voters 3-4) gets 4 >= 3, for {W} voter 4 gets 6 >= 2; pairs such as
    # {Y, Z} need 7/12 of the voters: EJR holds.
    result = analyse(FOUR, tally(FOUR, "greedy"))
    assert result.average_cost_satisfaction == Decimal("7.50")
    assert result.ejr.ejr is True
    assert result.ejr.up_to_one is True


def test_ejr_up_to_one_violation():
    # Ten voters, budget 10. A (10) by voters 1-6; B and C (2 each) by voters 7-10. Greedy
    # funds A and spends everything. Voters 7-10 are 4/10 of the voters and {B, C} costs 4/10
    # of the budget; they get 0, and 0 + 2 (the dearest unfunded project of the set) < 4.
    ten = election("10", {"A": "10", "B": "2", "C": "2"}, [["A"]] * 6 + [["B", "C"]] * 4)
    greedy = analyse(ten, tally(ten, "greedy"))
    assert greedy.share_with_funded_project == pytest.approx(0.6)
    assert greedy.ejr.up_to_one is False
    assert greedy.ejr.up_to_any is False
    assert greedy.ejr.violation == ("B", "C")
    # MES: each voter has 1; A's supporters have 6 < 10; B and C cost 0.5 each per supporter.
    mes = analyse(ten, tally(ten, "mes"))
    assert tally(ten, "mes").selected == ("B", "C")
    assert mes.ejr.up_to_one is True


def test_ejr_gives_up_beyond_the_limit():
    result = analyse(FOUR, tally(FOUR, "mes"), ejr_limit=1)
    assert result.ejr.status == "too-large"
    assert result.ejr.ejr is None and result.ejr.up_to_one is None


def test_scored_ballots_have_no_ejr_or_fair_share():
    points = election("7", {"A": "5", "B": "2"}, [["A", "B"], ["B"]], "cumulative", [[3, 1], [2]])
    result = analyse(points, tally(points, "greedy"))
    # Greedy by points: A 3, B 3 -> A first ("A" < "B"), 2 left, B fits. Both voters listed
    # a funded project; cost satisfaction 7 and 2.
    assert result.share_with_funded_project == 1.0
    assert result.average_cost_satisfaction == Decimal("4.50")
    assert result.ejr.status == "not-approval"
    assert result.ejr.up_to_one is None
    assert result.average_capped_fair_share is None


def test_to_dict_is_json():
    data = analyse(FOUR, tally(FOUR, "mes")).to_dict()
    text = json.dumps(data)
    assert json.loads(text)["ejr"]["up_to_one"] is True
    assert data["average_cost_satisfaction"] == "5.50"
    assert data["total_cost"] == "7"


def test_an_unknown_project_in_the_outcome():
    outcome = Outcome(rule="x", selected=("Q",), total_cost=Decimal(1), budget=Decimal(12))
    with pytest.raises(InputError) as excinfo:
        analyse(FOUR, outcome)
    assert excinfo.value.code == "pb_unknown_project"


def test_no_voters():
    empty = election("10", {"A": "5"}, [])
    result = analyse(empty, tally(empty, "greedy"))
    assert result.voters == 0
    assert result.share_with_funded_project == 0.0
    assert result.average_capped_fair_share is None


# --- EJR against the definition ------------------------------------------------------------


def brute_force_ejr(election: Election, funded: set[str]) -> dict[str, bool]:
    costs = {p.id: Fraction(p.cost) for p in election.projects}
    ballots = [set(v.vote) for v in election.votes]
    n, budget = len(ballots), Fraction(Decimal(election.meta["budget"]))
    got = [sum((costs[p] for p in b if p in funded), Fraction(0)) for b in ballots]
    verdict = {"ejr": True, "one": True, "any": True}
    for size in range(1, n + 1):
        for group in itertools.combinations(range(n), size):
            for k in range(1, len(costs) + 1):
                for project_set in itertools.combinations(costs, k):
                    cost = sum(costs[p] for p in project_set)
                    if cost * n > size * budget:
                        continue
                    if not all(set(project_set) <= ballots[i] for i in group):
                        continue
                    missing = [costs[p] for p in project_set if p not in funded]
                    for key, surplus in (
                        ("ejr", Fraction(0)),
                        ("one", max(missing, default=Fraction(0))),
                        ("any", min(missing, default=Fraction(0))),
                    ):
                        if all(got[i] + surplus < cost for i in group):
                            verdict[key] = False
    return verdict


@st.composite
def small_cases(draw):
    ids = draw(st.lists(st.sampled_from(["a", "b", "c", "d", "10", "9"]), min_size=1,
                        max_size=4, unique=True))  # fmt: skip
    costs = {p: str(draw(st.sampled_from([0, 1, 2, 3, 5]))) for p in ids}
    n = draw(st.integers(1, 6))
    ballots = [draw(st.lists(st.sampled_from(ids), unique=True)) for _ in range(n)]
    budget = str(draw(st.integers(1, 12)))
    funded = draw(st.lists(st.sampled_from(ids), unique=True))
    return election(budget, costs, ballots), funded


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(small_cases())
def test_ejr_equals_the_definition(case):
    elected, funded = case
    outcome = Outcome(
        rule="any",
        selected=tuple(funded),
        total_cost=sum((elected.project(p).cost for p in funded), Decimal(0)),
        budget=elected.budget,
    )
    check = analyse(elected, outcome).ejr
    expected = brute_force_ejr(elected, set(funded))
    assert (check.ejr, check.up_to_one, check.up_to_any) == (
        expected["ejr"],
        expected["one"],
        expected["any"],
    )
    assert (check.violation is None) == expected["one"]
