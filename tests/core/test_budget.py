"""The budget-gap optimiser: worked examples, the rules, the files and their errors."""

from __future__ import annotations

import random
from decimal import Decimal

import pytest

from samenspraak.core.budget import (
    Gap,
    Measure,
    Objective,
    YearAmounts,
    YearBalance,
    close_gap,
    read_gaps_csv,
    read_groups_csv,
    read_measures_csv,
)
from samenspraak.core.errors import InputError, Location

D = Decimal


def measure(
    measure_id: str,
    effects: dict[int, tuple[str, str]],
    *,
    support: float | None = 0.5,
    impact: float | None = None,
    people: int | None = None,
    group: str | None = None,
) -> Measure:
    return Measure(
        id=measure_id,
        title=f"Measure {measure_id}",
        effects={year: YearAmounts(D(s), D(i)) for year, (s, i) in effects.items()},
        support=support,
        impact=impact,
        people=people,
        group=group,
    )


def gap(year: int, structural: str, incidental: str = "0") -> Gap:
    return Gap(year, D(structural), D(incidental))


# --------------------------------------------------------------------------- closing rules


def test_the_least_opposed_package_that_closes_every_year():
    measures = [
        measure("library", {2027: ("100", "0"), 2028: ("100", "0")}, support=0.2),
        measure("parking", {2027: ("60", "0"), 2028: ("60", "0")}, support=0.7),
        measure("lighting", {2027: ("50", "0"), 2028: ("50", "0")}, support=0.8),
        measure("festival", {2027: ("0", "200")}, support=0.9),
    ]
    result = close_gap(measures, [gap(2027, "100"), gap(2028, "100")])
    assert result.feasible and result.proven_optimal and result.mip_gap == 0.0
    assert result.best is not None
    # library alone: opposition 0.8; parking + lighting: 0.3 + 0.2 = 0.5. The festival's
    # incidental money cannot close a structural gap.
    assert result.best.selected == ("lighting", "parking")
    assert result.best.objective == pytest.approx(0.5)
    assert result.best.balance_per_year == (
        YearBalance(2027, D("10.00"), D("10.00")),
        YearBalance(2028, D("10.00"), D("10.00")),
    )
    assert result.shortfall_per_year is None and result.alternatives == ()


def test_an_incidental_gap_may_be_closed_by_structural_or_incidental_savings():
    measures = [
        measure("festival", {2027: ("0", "50")}, support=0.9),
        measure("library", {2027: ("80", "0")}, support=0.2),
    ]
    # Structural 30 and incidental 50: the library alone (80 structural) closes both parts.
    result = close_gap(measures, [gap(2027, "30", "50")])
    assert result.best is not None and result.best.selected == ("library",)
    assert result.best.balance_per_year == (YearBalance(2027, D("50.00"), D("0.00")),)
    # Structural 90: the library falls short structurally, and no incidental money helps.
    result = close_gap(measures, [gap(2027, "90", "0")])
    assert not result.feasible and result.best is None
    assert result.shortfall_per_year == (YearBalance(2027, D("-10.00"), D("40.00")),)


def test_costs_count_against_a_year_and_years_outside_the_gap_do_not_count():
    measures = [
        # An investment: a one-off cost in 2027, structural savings from 2028 (and a cost in
        # 2031, a year the gap does not cover).
        measure("solar", {2027: ("0", "-100"), 2028: ("80", "0"), 2031: ("-999", "0")}),
        measure("rent", {2027: ("40", "0"), 2028: ("40", "0")}, support=0.6),
    ]
    # 2027 may end 70 in deficit (a negative gap is room), 2028 must save 100 structurally.
    result = close_gap(measures, [gap(2027, "0", "-70"), gap(2028, "100")])
    assert result.best is not None and result.best.selected == ("rent", "solar")
    assert result.best.balance_per_year == (
        YearBalance(2027, D("40.00"), D("10.00")),
        YearBalance(2028, D("20.00"), D("20.00")),
    )


def test_a_cost_in_one_year_can_make_the_gap_impossible():
    measures = [
        measure("solar", {2027: ("0", "-100"), 2028: ("80", "0")}),
        measure("rent", {2027: ("40", "0"), 2028: ("40", "0")}, support=0.6),
    ]
    result = close_gap(measures, [gap(2027, "0", "-50"), gap(2028, "100")])
    # Without solar 2028 falls 60 short; with it 2027 misses 10 of its total.
    assert not result.feasible
    assert result.shortfall_per_year == (
        YearBalance(2027, D("40.00"), D("-10.00")),
        YearBalance(2028, D("20.00"), D("20.00")),
    )


def test_cents_are_exact():
    measures = [
        measure("a", {2027: ("0.10", "0")}, support=0.5),
        measure("b", {2027: ("0.20", "0")}, support=0.5),
    ]
    closes = close_gap(measures, [gap(2027, "0.30")])
    assert closes.best is not None and closes.best.selected == ("a", "b")
    assert closes.best.balance_per_year[0].structural == D("0.00")
    short = close_gap(measures, [gap(2027, "0.31")])
    assert not short.feasible
    assert short.shortfall_per_year == (YearBalance(2027, D("-0.01"), D("-0.01")),)


def test_large_amounts_are_checked_to_the_cent():
    # Tens of millions in cents: HiGHS's tolerances could let a package one cent short pass.
    rng = random.Random(7)
    amounts = [D(rng.randint(10**9, 10**10)) / 100 for _ in range(6)]
    measures = [measure(f"m{i}", {2027: (str(a), "0")}, support=0.5) for i, a in enumerate(amounts)]
    exact = amounts[0] + amounts[2] + amounts[4]
    for offset in ("-0.01", "0", "0.01"):
        result = close_gap(measures, [gap(2027, str(exact + D(offset)))], alternatives=3)
        for package in (result.best, *result.alternatives):
            if package is not None:
                chosen = sum(
                    (a for m, a in zip(measures, amounts, strict=True) if m.id in package.selected),
                    D(0),
                )
                assert chosen >= exact + D(offset)
                assert package.balance_per_year[0].structural == chosen - exact - D(offset)


# --------------------------------------------------------------------------- objectives


def test_each_objective_minimises_its_own_harm():
    measures = [
        measure("a", {2027: ("100", "0")}, support=0.2, impact=1.0, people=5000),
        measure("b", {2027: ("100", "0")}, support=0.6, impact=3.0, people=100),
        measure("c", {2027: ("100", "0")}, support=0.4, impact=2.0, people=2000),
    ]
    gaps = [gap(2027, "100")]
    expected = {
        Objective.SUPPORT: ("b", 0.4),
        Objective.IMPACT: ("a", 1.0),
        Objective.PEOPLE: ("b", 100),
    }
    for objective, (best, value) in expected.items():
        result = close_gap(measures, gaps, objective=objective)
        assert result.best is not None
        assert result.best.selected == (best,)
        assert result.best.objective == pytest.approx(value)


def test_a_missing_score_is_refused_and_named():
    measures = [
        measure("a", {2027: ("100", "0")}, support=None),
        measure("b", {2027: ("100", "0")}, support=0.3, people=None),
    ]
    with pytest.raises(InputError) as caught:
        close_gap(measures, [gap(2027, "100")])
    assert caught.value.code == "missing_score"
    assert "'a'" in caught.value.message_en and "'a'" in caught.value.message_nl
    with pytest.raises(InputError) as caught:
        close_gap(measures, [gap(2027, "100")], objective=Objective.PEOPLE)
    assert "'a'" in caught.value.message_en and "'b'" in caught.value.message_en


def test_scores_out_of_range_are_refused():
    for bad in (
        measure("a", {}, support=1.5),
        measure("a", {}, support=0.5, impact=-1.0),
        measure("a", {}, support=0.5, people=-3),
    ):
        with pytest.raises(InputError):
            close_gap([bad], [gap(2027, "0")])


def test_among_equal_harm_fewer_measures_win():
    measures = [
        measure("a", {2027: ("50", "0")}, support=1.0),
        measure("b", {2027: ("50", "0")}, support=1.0),
        measure("c", {2027: ("100", "0")}, support=1.0),
    ]
    result = close_gap(measures, [gap(2027, "100")])
    assert result.best is not None and result.best.selected == ("c",)
    assert result.best.objective == 0.0


def test_the_same_input_in_any_order_gives_the_same_packages():
    rng = random.Random(3)
    measures = [
        measure(
            f"m{i:02d}",
            {2027: (str(rng.randint(0, 9) * 10), "0"), 2028: (str(rng.randint(0, 9) * 10), "0")},
            support=rng.choice([0.2, 0.5, 0.8]),
            group=rng.choice([None, "x", "y"]),
        )
        for i in range(14)
    ]
    gaps = [gap(2027, "120"), gap(2028, "120")]
    first = close_gap(measures, gaps, alternatives=3)
    for _ in range(3):
        shuffled = list(measures)
        rng.shuffle(shuffled)
        assert close_gap(shuffled, gaps, alternatives=3) == first


# --------------------------------------------------------------------------- constraints


def test_must_include_and_must_exclude_are_respected():
    measures = [
        measure("cheap", {2027: ("100", "0")}, support=0.9),
        measure("pricey", {2027: ("100", "0")}, support=0.1),
        measure("middle", {2027: ("100", "0")}, support=0.5),
    ]
    gaps = [gap(2027, "100")]
    result = close_gap(measures, gaps, must_include=["pricey"])
    assert result.best is not None and result.best.selected == ("pricey",)
    result = close_gap(measures, gaps, must_exclude=["cheap"])
    assert result.best is not None and result.best.selected == ("middle",)
    result = close_gap(measures, gaps, must_exclude=["cheap", "pricey", "middle"])
    assert not result.feasible
    assert result.shortfall_per_year == (YearBalance(2027, D("-100.00"), D("-100.00")),)


def test_at_most_one_measure_of_an_exclusive_group():
    measures = [
        measure("close-a", {2027: ("60", "0")}, support=0.9, group="libraries"),
        measure("close-b", {2027: ("60", "0")}, support=0.9, group="libraries"),
        measure("tax", {2027: ("60", "0")}, support=0.1),
    ]
    result = close_gap(measures, [gap(2027, "120")])
    assert result.best is not None
    assert result.best.selected in {("close-a", "tax"), ("close-b", "tax")}
    # A must-include in the group keeps its group-mates out.
    result = close_gap(measures, [gap(2027, "60")], must_include=["close-b"])
    assert result.best is not None and result.best.selected == ("close-b",)
    result = close_gap(measures, [gap(2027, "120")], must_include=["close-b"], alternatives=5)
    assert all("close-a" not in p.selected for p in (result.best, *result.alternatives) if p)


def test_contradictory_rules_are_input_errors():
    measures = [
        measure("a", {2027: ("60", "0")}, group="g"),
        measure("b", {2027: ("60", "0")}, group="g"),
    ]
    gaps = [gap(2027, "60")]
    with pytest.raises(InputError) as caught:
        close_gap(measures, gaps, must_include=["a", "b"])
    assert caught.value.code == "group_conflict"
    assert "'g'" in caught.value.message_nl and "'a'" in caught.value.message_en
    with pytest.raises(InputError) as caught:
        close_gap(measures, gaps, must_include=["a"], must_exclude=["a"])
    assert caught.value.code == "include_and_exclude"
    for option in ("must_include", "must_exclude"):
        with pytest.raises(InputError) as caught:
            close_gap(measures, gaps, **{option: ["nope"]})
        assert caught.value.code == "unknown_proposal"
        assert caught.value.location.field == option
        assert "'nope'" in caught.value.message_nl


def test_duplicate_ids_years_and_sub_cent_amounts_are_refused():
    a = measure("a", {2027: ("1", "0")})
    with pytest.raises(InputError, match="twee keer"):
        close_gap([a, a], [gap(2027, "1")])
    with pytest.raises(InputError):
        close_gap([a], [gap(2027, "1"), gap(2027, "2")])
    with pytest.raises(InputError) as caught:
        close_gap([measure("a", {2027: ("1.005", "0")})], [gap(2027, "1")])
    assert caught.value.code == "too_many_decimals"
    assert caught.value.location.field == "structural_2027"


def test_when_everything_is_fixed_no_solver_is_needed():
    measures = [measure("a", {2027: ("60", "0")}), measure("b", {2027: ("50", "0")})]
    result = close_gap(measures, [gap(2027, "100")], must_include=["a", "b"])
    assert result.best is not None and result.best.selected == ("a", "b")
    result = close_gap(measures, [gap(2027, "200")], must_include=["a"], must_exclude=["b"])
    assert not result.feasible
    assert result.shortfall_per_year == (YearBalance(2027, D("-140.00"), D("-140.00")),)
    assert close_gap([], [gap(2027, "0")]).best.selected == ()  # type: ignore[union-attr]


# --------------------------------------------------------------------------- alternatives


def test_alternatives_are_distinct_ordered_and_never_contain_a_better_package():
    measures = [
        measure(f"m{i}", {2027: (str(amount), "0")}, support=support)
        for i, (amount, support) in enumerate(
            [(100, 0.5), (60, 0.8), (50, 0.7), (40, 0.9), (100, 0.3), (30, 0.95)]
        )
    ]
    result = close_gap(measures, [gap(2027, "100")], alternatives=4)
    packages = [result.best, *result.alternatives]
    assert len(packages) == 5
    objectives = [p.objective for p in packages if p]
    assert objectives == sorted(objectives)
    sets = [set(p.selected) for p in packages if p]
    assert len({frozenset(s) for s in sets}) == 5
    for later, package in enumerate(sets):
        assert not any(earlier <= package for earlier in sets[:later])
    for package in packages:
        assert package is not None and all(b.closed for b in package.balance_per_year)
    # With supersets allowed, the best package plus the least opposed extra measure appears.
    loose = close_gap(measures, [gap(2027, "100")], alternatives=4, allow_supersets=True)
    best = set(loose.best.selected)  # type: ignore[union-attr]
    assert any(set(p.selected) > best for p in loose.alternatives)


def test_fewer_alternatives_than_asked_when_no_more_packages_exist():
    measures = [measure("a", {2027: ("100", "0")}), measure("b", {2027: ("100", "0")})]
    result = close_gap(measures, [gap(2027, "100")], alternatives=5)
    assert len(result.alternatives) == 1  # {a}, {b}; {a, b} contains a better package
    loose = close_gap(measures, [gap(2027, "100")], alternatives=5, allow_supersets=True)
    assert len(loose.alternatives) == 2


def test_with_a_gap_allowed_the_package_is_within_it():
    rng = random.Random(11)
    measures = [
        measure(
            f"m{i:02d}",
            {
                2027: (str(rng.randint(1, 40) * 1000), "0"),
                2028: (str(rng.randint(1, 40) * 1000), "0"),
            },
            support=rng.randint(5, 95) / 100,
        )
        for i in range(40)
    ]
    gaps = [gap(2027, "200000"), gap(2028, "200000")]
    exact = close_gap(measures, gaps)
    loose = close_gap(measures, gaps, mip_rel_gap=0.05)
    assert exact.best is not None and loose.best is not None
    assert 0 <= loose.mip_gap <= 0.05
    assert exact.best.objective <= loose.best.objective <= exact.best.objective / (1 - 0.05)
    assert all(b.closed for b in loose.best.balance_per_year)
    assert loose.proven_optimal == (loose.mip_gap == 0)


def test_arguments_are_checked():
    with pytest.raises(ValueError):
        close_gap([], [], alternatives=-1)
    with pytest.raises(ValueError):
        close_gap([], [], mip_rel_gap=1.0)
    with pytest.raises(ValueError):
        close_gap([], [], time_limit=0)


# --------------------------------------------------------------------------- the files

PROPOSALS = (
    (
        "id,title,structural_2027,incidental_2027,structural_2028,incidental_2028,"
        "support,impact,people,group\n"
    )
    + """lib,Close a library,"120.000",0,"120.000",0,"0,35",2,1.200,libraries
lib2,Close the other library,100000,,100000,,35%,2,800,libraries
fee,Parking fee,50000,-10000,60000,0,0.7,1,0,
"""
)


def test_read_measures_csv():
    measures = read_measures_csv(PROPOSALS, filename="proposals.csv", years=[2027, 2028])
    lib, lib2, fee = measures
    assert lib.effects[2027] == YearAmounts(D("120000.00"), D("0.00"))
    assert lib.support == pytest.approx(0.35) and lib2.support == pytest.approx(0.35)
    assert (lib.people, lib.impact, lib.group) == (1200, 2.0, "libraries")
    assert fee.group is None and fee.people == 0
    assert fee.effects[2027] == YearAmounts(D("50000.00"), D("-10000.00"))
    assert lib.source == Location(file="proposals.csv", row=2)


def test_read_measures_csv_with_semicolons():
    text = "id;structural_2027;incidental_2027\na;1.250,50;-0,50\n"
    (a,) = read_measures_csv(text, filename="p.csv")
    assert a.effects[2027] == YearAmounts(D("1250.50"), D("-0.50"))
    assert a.support is None and a.group is None


@pytest.mark.parametrize(
    ("text", "years", "code", "row", "field"),
    [
        ("title,structural_2027,incidental_2027\nx,1,1\n", None, "missing_column", 1, "id"),
        ("id,structural_2027\na,1\n", None, "missing_year_column", 1, "incidental_2027"),
        (
            "id,structural_2027,incidental_2027\na,1,1\n",
            [2028],
            "missing_year_columns",
            1,
            "structural_2028",
        ),
        ("id,structural_2027,incidental_2027\na,1,1\n,2,2\n", None, "empty_id", 3, "id"),
        ("id,structural_2027,incidental_2027\na,1,1\na,2,2\n", None, "duplicate_id", 3, "id"),
        (
            "id,structural_2027,incidental_2027\na,1,veel\n",
            None,
            "not_an_amount",
            2,
            "incidental_2027",
        ),
        (
            "id,structural_2027,incidental_2027,support\na,1,1,1.2\n",
            None,
            "support_out_of_range",
            2,
            "support",
        ),
        (
            "id,structural_2027,incidental_2027,support\na,1,1,hoog\n",
            None,
            "not_a_number",
            2,
            "support",
        ),
        (
            "id,structural_2027,incidental_2027,impact\na,1,1,-2\n",
            None,
            "impact_negative",
            2,
            "impact",
        ),
        (
            "id,structural_2027,incidental_2027,people\na,1,1,1.5\n",
            None,
            "not_a_count",
            2,
            "people",
        ),
        ("id,ID\na,b\n", None, "duplicate_column", 1, "ID"),
        ("\n\n", None, "empty_file", None, None),
    ],
)
def test_bad_proposals_name_file_row_and_column(text, years, code, row, field):
    with pytest.raises(InputError) as caught:
        read_measures_csv(text, filename="proposals.csv", years=years)
    error = caught.value
    assert error.code == code
    assert error.location.file == "proposals.csv"
    assert (error.location.row, error.location.field) == (row, field)
    assert "proposals.csv" in str(error) and error.message_nl and error.message_en


def test_read_gaps_csv():
    gaps = read_gaps_csv(
        "year,structural,incidental\n2027,1.000.000,250000\n2028,0,\n", filename="gap.csv"
    )
    assert gaps == [Gap(2027, D("1000000.00"), D("250000.00")), Gap(2028, D("0.00"), D("0.00"))]


@pytest.mark.parametrize(
    ("text", "code", "row", "field"),
    [
        ("year,structural\n2027,1\n", "missing_column", 1, "incidental"),
        ("year,structural,incidental\n27,1,1\n", "not_a_year", 2, "year"),
        ("year,structural,incidental\n2027,1,1\n2027,2,2\n", "duplicate_year", 3, "year"),
        ("year,structural,incidental\n2027,1,twee\n", "not_an_amount", 2, "incidental"),
        ("year,structural,incidental\n", "no_years", None, None),
    ],
)
def test_bad_gaps_name_file_row_and_column(text, code, row, field):
    with pytest.raises(InputError) as caught:
        read_gaps_csv(text, filename="gap.csv")
    assert caught.value.code == code
    assert caught.value.location == Location(file="gap.csv", row=row, field=field)


def test_groups_file_assigns_groups_and_names_unknown_ids():
    measures = read_measures_csv(PROPOSALS, filename="proposals.csv")
    grouped = read_groups_csv(
        "group,id\nlibraries,lib\nfees,fee\n", filename="groups.csv", measures=measures
    )
    assert [m.group for m in grouped] == ["libraries", "libraries", "fees"]
    with pytest.raises(InputError) as caught:
        read_groups_csv(
            "group,id\nfees,fee\nfees,ghost\n", filename="groups.csv", measures=measures
        )
    assert caught.value.code == "unknown_proposal"
    assert caught.value.location == Location(file="groups.csv", row=3, field="id")
    with pytest.raises(InputError) as caught:
        read_groups_csv("group,id\nfees,lib\n", filename="groups.csv", measures=measures)
    assert caught.value.code == "two_groups"
    assert caught.value.location == Location(file="groups.csv", row=2, field="group")


def test_errors_about_a_measure_point_at_its_row():
    text = "id,structural_2027,incidental_2027,support\na,1,1,0.5\nb,1,1,\n"
    measures = read_measures_csv(text, filename="proposals.csv")
    with pytest.raises(InputError) as caught:
        close_gap(measures, [gap(2027, "1")])
    assert caught.value.location == Location(file="proposals.csv", row=3, field="support")
