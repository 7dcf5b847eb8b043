"""The PB voting rules on small elections worked out by hand, their errors, and the real files.

Every expected outcome below is derived in the comments from the definitions in
docs/methods/pb-rules.md, not computed by the code under test. The real Pabulib files in
../shared/data/real/pabulib are used where they record the official outcome (the ``selected``
column); those tests are skipped only when that folder is absent.
"""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction

import pytest

from samenspraak.core.errors import InputError
from samenspraak.core.pb import Election, Project, Vote, read_pb
from samenspraak.core.pb.rules import RULES, tally
from samenspraak.core.pb.rules._profile import build_profile
from samenspraak.core.pb.rules.mes import MesData, method_of_equal_shares
from tests.realdata import REAL_PABULIB, needs_real_pabulib

REAL = REAL_PABULIB
needs_real_data = needs_real_pabulib


def election(
    budget: str,
    costs: dict[str, str],
    ballots: list[list[str]],
    *,
    vote_type: str = "approval",
    points: list[list[int]] | None = None,
    meta: dict[str, str] | None = None,
    extra: dict[str, dict[str, str]] | None = None,
) -> Election:
    return Election(
        meta={"budget": budget, "vote_type": vote_type, **(meta or {})},
        projects=tuple(
            Project(id=p, cost=Decimal(c), extra=(extra or {}).get(p, {})) for p, c in costs.items()
        ),
        votes=tuple(
            Vote(
                voter_id=str(i + 1),
                vote=tuple(ballot),
                points=tuple(points[i]) if points is not None else None,
            )
            for i, ballot in enumerate(ballots)
        ),
    )


# Four voters, budget 12 (3 each). Y: cost 4, all four; X: cost 6, voters 1 and 2;
# Z: cost 3, voters 3 and 4; W: cost 2, voter 4.
FOUR = election(
    "12",
    {"X": "6", "Y": "4", "Z": "3", "W": "2"},
    [["X", "Y"], ["X", "Y"], ["Y", "Z"], ["Y", "Z", "W"]],
)


def test_rules_are_listed():
    assert set(RULES) == {
        "greedy",
        "mes",
        "mes-add1",
        "phragmen",
        "max-utilitarian",
        "greedy-threshold",
        "greedy-no-skip",
        "greedy-neighborhood",
        "official",
    }


def test_greedy_by_approvals_skips_what_does_not_fit():
    # Approvals: Y 4, X 2, Z 2, W 1; X before Z (tie, "X" < "Z"). Y (4): 8 left; X (6): 2
    # left; Z (3) does not fit; W (2) does: 0 left.
    outcome = tally(FOUR, "greedy")
    assert outcome.selected == ("Y", "X", "W")
    assert outcome.total_cost == Decimal(12)
    assert outcome.budget == Decimal(12)
    assert outcome.rule == "greedy"


def test_mes_by_hand():
    # Each voter has 3. Round 1: Y costs 1 per supporter (affordability 1/4), X 3 each (3/6),
    # Z 1.5 each (1.5/3), W 2 (2/2): Y; everyone has 2 left. Round 2: X's supporters have 4 < 6
    # (out); Z 1.5 each (0.5), W 2 (1): Z; voters 3 and 4 have 0.5 left. Round 3: W's only
    # supporter has 0.5 < 2: done.
    outcome = tally(FOUR, "mes")
    assert outcome.selected == ("Y", "Z")
    assert outcome.total_cost == Decimal(7)
    assert outcome.details["voter_budget"] == "3.0000"


def test_mes_add_one_by_hand():
    # Start at 3 each: (Y, Z), cost 7; W would still fit, so raise to 4 each. Then Y (1 each,
    # 3 left), then X and Z tie at affordability 1/2 and X wins ("X" < "Z"), then Z: cost 13 >
    # 12, so the outcome at 3 counts. Greedy fills up: X (6) does not fit in the 5 left, W
    # (2) does.
    outcome = tally(FOUR, "mes-add1")
    assert outcome.selected == ("Y", "Z", "W")
    assert outcome.total_cost == Decimal(9)
    assert outcome.details["voter_budget"] == "3.0000"
    assert outcome.details["steps"] == "0"
    assert outcome.details["mes_selected"] == "2"


def test_mes_add_one_increment():
    # With steps of 0.5: at 3.5 each, Y leaves 2.5 each, X's supporters have 5 < 6, Z costs
    # 1.5 each: (Y, Z) again, W would fit, go on; at 4 each the outcome costs 13 (see above),
    # so the outcome at 3.5 counts, one step up.
    outcome = tally(FOUR, "mes-add1", increment=Decimal("0.5"))
    assert outcome.selected == ("Y", "Z", "W")
    assert outcome.details["voter_budget"] == "3.5000"
    assert outcome.details["steps"] == "1"
    assert outcome.details["increment"] == "0.5"


def test_phragmen_by_hand():
    # New maximal loads: X 6/2 = 3, Y 4/4 = 1, Z 3/2 = 1.5, W 2/1 = 2: Y, everyone at load
    # 1. Then X (1 + 1 + 6)/2 = 4, Z (1 + 1 + 3)/2 = 2.5, W (1 + 2)/1 = 3: Z (cost 7 so far),
    # voters 3 and 4 at 2.5. Then X 4, W (2.5 + 2)/1 = 4.5: X would cost 13 > 12: stop.
    outcome = tally(FOUR, "phragmen")
    assert outcome.selected == ("Y", "Z")


def test_max_utilitarian_by_hand():
    # Welfare (approvals x cost): X 12, Y 16, Z 6, W 2. Within 12: Y + X + W (cost 12) gives 30;
    # every other affordable set gives less (Y + X 28, Y + Z + W 24, X + Z + W 20, ...).
    outcome = tally(FOUR, "max-utilitarian")
    assert set(outcome.selected) == {"Y", "X", "W"}
    assert outcome.details["welfare"] == "30"


def test_greedy_no_skip_stops_at_the_first_misfit():
    # Greedy order Y, X, Z, W: Y and X fit (2 left), Z does not: stop (W would have fitted).
    outcome = tally(FOUR, "greedy-no-skip")
    assert outcome.selected == ("Y", "X")


def test_ties_break_on_the_project_id_as_text():
    # One voter approves both; budget 1 funds one. Equal in every rule: "10" < "9" as text.
    tied = election("1", {"9": "1", "10": "1"}, [["9", "10"]])
    for rule in ("greedy", "mes", "mes-add1", "phragmen", "greedy-no-skip"):
        assert tally(tied, rule).selected == ("10",), rule


def test_mes_at_the_start_is_not_always_part_of_the_add_one_outcome():
    # Budget 7, two voters (3.5 each). "100" (6) by voter 1; "1" (5) and "a" (2) by voter 2.
    # MES at 3.5: only "a" is affordable (2 each, affordability 1). The add-one steps: at 4.5
    # still ("a"), and "1" would fit; at 5.5 "1" and "a" are both affordable at 1 and "1" wins
    # ("1" < "a"), leaving voter 2 with 0.5: ("1"), cost 5, "a" still fits; at 6.5 "1", "100"
    # and "a" tie and "1" wins, then "100": cost 11 > 7, so ("1") from 5.5 counts. Greedy adds
    # "a" (2 fits in 2): ("1", "a"), which does not contain MES's "a"-only start as its MES part.
    two = election("7", {"100": "6", "1": "5", "a": "2"}, [["100"], ["1", "a"]])
    assert tally(two, "mes").selected == ("a",)
    outcome = tally(two, "mes-add1")
    assert outcome.selected == ("1", "a")
    assert outcome.details["mes_selected"] == "1"
    assert outcome.details["steps"] == "2"
    assert outcome.details["voter_budget"] == "5.5000"


def test_a_project_without_cost_comes_last_in_greedy_and_is_funded():
    # Free (cost 0, 3 approvals) has satisfaction 0 with cost satisfaction: density 0, so it
    # comes after A (2 approvals); both fit. The official ranking by approvals puts it first.
    free = election("5", {"Free": "0", "A": "5"}, [["Free", "A"], ["Free", "A"], ["Free"]])
    assert tally(free, "greedy").selected == ("A", "Free")
    assert tally(free, "greedy-no-skip").selected == ("Free", "A")
    # MES leaves Free out (its cost satisfaction is 0, as in pabutools), and A too: its two
    # supporters have 5/3 each, 10/3 < 5. Add-one: at 8/3 each they can pay 2.5 each, A is
    # funded and nothing else takes part; greedy then adds Free.
    assert tally(free, "mes").selected == ()
    outcome = tally(free, "mes-add1")
    assert outcome.selected == ("A", "Free")
    assert outcome.details["steps"] == "1"


def test_decimal_costs_are_exact():
    # 0.1 + 0.2 = 0.3 exactly: both fit a budget of 0.3 (in floats 0.1 + 0.2 > 0.3).
    tenths = election("0.3", {"a": "0.1", "b": "0.2"}, [["a", "b"], ["a"]])
    outcome = tally(tenths, "greedy")
    assert outcome.selected == ("a", "b")
    assert outcome.total_cost == Decimal("0.3")
    assert tally(tenths, "max-utilitarian").details["welfare"] == "0.4"


def test_duplicate_approvals_count_once():
    twice = election("2", {"a": "2", "b": "2"}, [["a", "a"], ["b"], ["b"]])
    assert tally(twice, "greedy").selected == ("b",)


def test_greedy_threshold():
    # Approvals Y 4, X 2, Z 2, W 1; threshold 2: W is skipped although it would fit.
    four = election(
        "12",
        {"X": "6", "Y": "4", "Z": "3", "W": "2"},
        [["X", "Y"], ["X", "Y"], ["Y", "Z"], ["Y", "Z", "W"]],
        meta={"min_project_score_threshold": "2"},
    )
    outcome = tally(four, "greedy-threshold")
    assert outcome.selected == ("Y", "X")
    assert outcome.details["threshold"] == "2"


def test_greedy_per_neighbourhood():
    # P (north, 4, 5 votes), Q (north, 3, 4 votes), R (south, 5, 3 votes); budget 10, north 5,
    # south 10. P: north 1 left; Q (3) is over north's budget; R fits south and the 6 left.
    # Without neighbourhood budgets greedy takes P and Q (7) and R (5) no longer fits.
    votes = [["P", "Q", "R"]] * 3 + [["P", "Q"], ["P"]]
    town = election(
        "10",
        {"P": "4", "Q": "3", "R": "5"},
        votes,
        meta={"neighborhoods": "north,south", "budget_per_neighborhood": "5,10", "rule": "greedy"},
        extra={
            "P": {"neighborhood": "north"},
            "Q": {"neighborhood": "north"},
            "R": {"neighborhood": "south"},
        },
    )
    assert tally(town, "greedy-neighborhood").selected == ("P", "R")
    assert tally(town, "greedy").selected == ("P", "Q")
    official = tally(town, "official")
    assert official.selected == ("P", "R")
    assert official.details["official_rule"] == "greedy"
    assert "north: 5" in official.details["neighbourhood_budgets"]


@pytest.mark.parametrize(
    ("rule", "meta", "expected"),
    [
        ("greedy", {}, ("Y", "X", "W")),
        ("greedy-threshold", {"min_project_score_threshold": "3"}, ("Y",)),
        ("greedy", {"min_project_score_threshold": "3"}, ("Y",)),
        ("greedy-no-skip", {}, ("Y", "X")),
        ("equalshares", {}, ("Y", "Z")),
        ("equalshares/add1", {}, ("Y", "Z", "W")),
    ],
)
def test_official_applies_the_meta_rule(rule, meta, expected):
    four = election(
        "12",
        {"X": "6", "Y": "4", "Z": "3", "W": "2"},
        [["X", "Y"], ["X", "Y"], ["Y", "Z"], ["Y", "Z", "W"]],
        meta={"rule": rule, **meta},
    )
    outcome = tally(four, "official")
    assert outcome.selected == expected
    assert outcome.rule == "official"
    assert outcome.details["official_rule"] == rule


def test_cumulative_greedy_ranks_by_points():
    # Points: A 3, B 4 + 1 = 5, C 2 + 1 = 3. Order B, A, C (A before C: "A" < "C"). B (5): 2
    # left; A (5) does not fit; C (2) does.
    points = election(
        "7",
        {"A": "5", "B": "5", "C": "2"},
        [["A", "C"], ["B"], ["B", "C"]],
        vote_type="cumulative",
        points=[[3, 2], [4], [1, 1]],
    )
    assert tally(points, "greedy").selected == ("B", "C")
    # Welfare points x cost: A 15, B 25, C 6; within 7: B + C = 31 beats A + C = 21.
    assert set(tally(points, "max-utilitarian").selected) == {"B", "C"}


def test_ordinal_greedy_ranks_by_borda_score():
    # Borda (length - position - 1): [A, B, C] gives A 2, B 1, C 0; [C, A] gives C 1, A 0;
    # [B] gives B 0. Totals A 2, B 1, C 1: A (5), 2 left; B (5) does not fit; C (2) does.
    ranks = election(
        "7",
        {"A": "5", "B": "5", "C": "2"},
        [["A", "B", "C"], ["C", "A"], ["B"]],
        vote_type="ordinal",
    )
    assert tally(ranks, "greedy").selected == ("A", "C")


# --- errors ----------------------------------------------------------------------------------


def _error(excinfo: pytest.ExceptionInfo[InputError]) -> InputError:
    error = excinfo.value
    assert error.message_nl and error.message_en
    assert error.message_nl != error.message_en
    return error


def test_unknown_rule():
    with pytest.raises(InputError) as excinfo:
        tally(FOUR, "borda")
    error = _error(excinfo)
    assert error.code == "pb_unknown_rule"
    assert "bestaat niet" in error.message_nl
    assert "mes-add1" in error.message_en


@pytest.mark.parametrize("increment", [Decimal(0), Decimal(-1), Decimal("NaN")])
def test_bad_increment(increment):
    with pytest.raises(InputError) as excinfo:
        tally(FOUR, "mes-add1", increment=increment)
    assert _error(excinfo).code == "pb_bad_increment"


@pytest.mark.parametrize("rule", ["mes", "mes-add1", "phragmen"])
def test_approval_only_rules_refuse_points(rule):
    points = election("7", {"A": "5"}, [["A"]], vote_type="scoring", points=[[3]])
    with pytest.raises(InputError) as excinfo:
        tally(points, rule)
    assert _error(excinfo).code == "pb_rule_needs_approval"


def test_vote_for_an_unknown_project():
    bad = election("7", {"A": "5"}, [["A", "B"]])
    with pytest.raises(InputError) as excinfo:
        tally(bad, "greedy")
    error = _error(excinfo)
    assert error.code == "pb_unknown_project"
    assert "'B'" in error.message_nl


@pytest.mark.parametrize(
    ("meta", "code"),
    [
        ({}, "pb_no_official_rule"),
        ({"rule": "greedy-custom"}, "pb_official_rule_unsupported"),
        ({"rule": "unknown"}, "pb_official_rule_unsupported"),
        ({"rule": "greedy-threshold"}, "pb_no_threshold"),
        ({"rule": "greedy", "budget_per_neighborhood": "5"}, "pb_bad_neighbourhood_budgets"),
    ],
)
def test_official_needs_a_rule_it_can_recount(meta, code):
    four = election("12", {"X": "6"}, [["X"]], meta=meta)
    with pytest.raises(InputError) as excinfo:
        tally(four, "official")
    assert _error(excinfo).code == code


def test_a_project_outside_every_neighbourhood():
    town = election(
        "10",
        {"P": "4"},
        [["P"]],
        meta={"neighborhoods": "north", "budget_per_neighborhood": "5"},
        extra={"P": {"neighborhood": "east"}},
    )
    with pytest.raises(InputError) as excinfo:
        tally(town, "greedy-neighborhood")
    assert _error(excinfo).code == "pb_project_without_neighbourhood"


@pytest.mark.parametrize(
    ("meta", "code"),
    [({"budget": "lots"}, "pb_bad_amount"), ({"budget": "-5"}, "pb_bad_amount")],
)
def test_a_bad_budget(meta, code):
    bad = Election(meta={"vote_type": "approval", **meta}, projects=(), votes=())
    with pytest.raises(InputError) as excinfo:
        tally(bad, "greedy")
    assert _error(excinfo).code == code


def test_no_budget():
    bad = Election(meta={"vote_type": "approval"}, projects=(), votes=())
    with pytest.raises(InputError) as excinfo:
        tally(bad, "greedy")
    assert _error(excinfo).code == "pb_no_budget"


def test_an_election_without_voters():
    empty = election("10", {"A": "5"}, [])
    for rule in ("greedy", "mes", "mes-add1", "phragmen", "max-utilitarian"):
        outcome = tally(empty, rule)
        assert outcome.total_cost <= Decimal(10)
    # Nobody supports A: MES funds nothing; greedy still funds what fits (density 0).
    assert tally(empty, "mes").selected == ()
    assert tally(empty, "greedy").selected == ("A",)


# --- the real files ---------------------------------------------------------------------------


@needs_real_data
@pytest.mark.parametrize("name", ["Poland_Warszawa_2026", "Poland_Warszawa_2026_Bemowo"])
def test_official_reproduces_the_selected_column(name):
    real = read_pb(REAL / f"{name}.pb")
    truth = {p.id for p in real.projects if p.extra.get("selected") == "1"}
    assert truth  # the file records the official outcome
    outcome = tally(real, "official")
    assert set(outcome.selected) == truth
    assert outcome.details["official_rule"] == "greedy-threshold"
    # The threshold matters: plain greedy funds a different set.
    assert set(tally(real, "greedy").selected) != truth


@needs_real_data
def test_official_amsterdam_keeps_each_neighbourhood_within_its_budget():
    # The file has no selected column; check what the rule promises instead.
    real = read_pb(REAL / "Netherlands_Amsterdam_252.pb")
    outcome = tally(real, "official")
    names = real.meta["neighborhoods"].split(",")
    caps = [Decimal(x) for x in real.meta["budget_per_neighborhood"].split(",")]
    spent = dict.fromkeys(names, Decimal(0))
    for project_id in outcome.selected:
        project = real.project(project_id)
        spent[project.extra["neighborhood"]] += project.cost
    assert all(spent[name] <= cap for name, cap in zip(names, caps, strict=True))
    assert outcome.total_cost <= real.budget
    assert set(outcome.selected) != set(tally(real, "greedy").selected)
    assert outcome.selected == tally(real, "greedy-neighborhood").selected


@needs_real_data
def test_official_toulouse_is_greedy_by_approvals():
    real = read_pb(REAL / "France_Toulouse_2024.pb")
    assert real.meta["rule"] == "greedy"
    assert set(tally(real, "official").selected) == set(tally(real, "greedy").selected)


@needs_real_data
@pytest.mark.parametrize("name", ["Poland_Warszawa_2026_Bemowo", "France_Toulouse_2024"])
def test_fast_and_exact_mes_agree_on_real_files(name):
    real = read_pb(REAL / f"{name}.pb")
    profile = build_profile(real)
    data = MesData(profile)
    start = Fraction(profile.budget, profile.n_voters)
    for extra in (0, 50, 200):
        fast = method_of_equal_shares(data, start + extra)
        assert fast == method_of_equal_shares(data, start + extra, exact=True)
        assert sum(profile.costs[p] for p in fast) <= (start + extra) * profile.n_voters
