"""Checks of a plan (proposal, PvE, package) against the council's frameworks."""

from __future__ import annotations

import json
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from samenspraak.core.frameworks import (
    CHECK_CODES,
    BandwidthKind,
    BandwidthYear,
    CheckItem,
    CheckReport,
    CheckStatus,
    ConditionAssessment,
    NormOperator,
    Plan,
    PlanFrameworks,
    PlanYear,
    Priority,
    Requirement,
    YearBalance,
    check_plan,
    find_conflicts,
    format_number,
    norms_conflict,
)

D = Decimal
RANGE, SAVINGS = BandwidthKind.RANGE, BandwidthKind.SAVINGS
PASS, FAIL, NOT_ASSESSED = CheckStatus.PASS, CheckStatus.FAIL, CheckStatus.NOT_ASSESSED
AT_LEAST, AT_MOST, EXACTLY = NormOperator.AT_LEAST, NormOperator.AT_MOST, NormOperator.EXACTLY
ASPECTS = (
    "milieu",
    "toegankelijkheid",
    "voorzieningen",
    "groen",
    "parkeren",
    "woningtypen",
    "beeldkwaliteit",
)


def frameworks(kind=RANGE, years=(), aspects=(), conditions=()):
    return PlanFrameworks(kind, tuple(years), tuple(aspects), tuple(conditions))


def norm(key, operator, value, quantity="parkeerplaatsen per woning", unit=None, aspect="parkeren"):
    return Requirement(
        key,
        aspect,
        f"Eis {key}",
        Priority.MUST,
        quantity=quantity,
        operator=operator,
        value=D(value),
        unit=unit,
    )


def item(frameworks_, plan, code):
    return check_plan(frameworks_, plan).item(code)


# --- the report as a whole --------------------------------------------------------------


def test_every_check_is_present_in_a_fixed_order_even_when_passing():
    report = check_plan(frameworks(), Plan(frozenset()))
    assert [i.code for i in report.items] == list(CHECK_CODES)
    assert CHECK_CODES == ("aspects", "bandwidth", "structural", "conditions", "conflicts")
    assert all(i.status is PASS for i in report.items)
    assert report.passed


def test_report_fails_on_any_fail_or_not_assessed():
    fw = frameworks(aspects=["groen"], conditions=["Geen extra verkeer"])
    open_condition = Plan(frozenset({"groen"}))
    assert not check_plan(fw, open_condition).passed
    met = Plan(frozenset({"groen"}), conditions=(ConditionAssessment("Geen extra verkeer", True),))
    assert check_plan(fw, met).passed
    missing_aspect = Plan(frozenset(), conditions=met.conditions)
    assert not check_plan(fw, missing_aspect).passed


def test_item_lookup_unknown_code():
    with pytest.raises(KeyError):
        check_plan(frameworks(), Plan(frozenset())).item("nope")


# --- 1. aspects -------------------------------------------------------------------------


def test_all_mandatory_aspects_covered():
    result = item(frameworks(aspects=ASPECTS), Plan(frozenset(ASPECTS)), "aspects")
    assert result.status is PASS
    assert result.details == ()
    assert result.reason_nl == "Alle verplichte aspecten komen aan bod."


def test_missing_aspects_are_named_in_framework_order():
    plan = Plan(frozenset({"milieu", "groen", "voorzieningen", "woningtypen"}))
    result = item(frameworks(aspects=ASPECTS), plan, "aspects")
    assert result.status is FAIL
    assert result.details == ("toegankelijkheid", "parkeren", "beeldkwaliteit")
    assert result.reason_nl == (
        "Deze verplichte aspecten ontbreken: toegankelijkheid, parkeren en beeldkwaliteit."
    )
    assert "toegankelijkheid, parkeren and beeldkwaliteit" in result.reason_en


def test_one_missing_aspect():
    result = item(frameworks(aspects=["groen", "parkeren"]), Plan(frozenset({"groen"})), "aspects")
    assert result.status is FAIL
    assert result.details == ("parkeren",)
    assert result.reason_nl == "Dit verplichte aspect ontbreekt: parkeren."


def test_aspects_compared_case_and_space_insensitively():
    fw = frameworks(aspects=["Openbare  Ruimte", "GROEN"])
    plan = Plan(frozenset({"openbare ruimte ", " groen"}))
    assert item(fw, plan, "aspects").status is PASS
    # One letter off is still missing.
    assert item(fw, Plan(frozenset({"openbare ruimte", "groenn"})), "aspects").details == ("GROEN",)


def test_requirements_cover_their_aspect():
    fw = frameworks(aspects=["parkeren", "groen"])
    req = Requirement("R1", "Parkeren", "Parkeren op eigen terrein", Priority.COULD)
    result = item(fw, Plan(frozenset({"groen"}), requirements=(req,)), "aspects")
    assert result.status is PASS


def test_no_mandatory_aspects_passes():
    result = item(frameworks(aspects=["  "]), Plan(frozenset()), "aspects")
    assert result.status is PASS
    assert result.reason_en == "No mandatory aspects were set."


def test_duplicate_mandatory_aspect_named_once():
    fw = frameworks(aspects=["groen", "Groen"])
    assert item(fw, Plan(frozenset()), "aspects").details == ("groen",)


# --- 2. bandwidth -----------------------------------------------------------------------


def test_no_bandwidth_set_passes_both_financial_items():
    plan = Plan(frozenset(), years=(PlanYear(2026, D("-9999999"), D("0")),))
    for kind in (RANGE, SAVINGS):
        report = check_plan(frameworks(kind), plan)
        for code in ("bandwidth", "structural"):
            assert report.item(code).status is PASS
            assert report.item(code).reason_en == "No bandwidth set."


def test_range_within_bounds_including_the_boundaries():
    fw = frameworks(
        RANGE,
        [
            BandwidthYear(2026, minimum=D("-500000"), maximum=D("1500000")),
            BandwidthYear(2027, minimum=D("-500000"), maximum=D("1500000")),
        ],
    )
    plan = Plan(
        frozenset(),
        years=(PlanYear(2026, D("-200000"), D("-300000")), PlanYear(2027, D("1500000"), D("0"))),
    )
    result = item(fw, plan, "bandwidth")
    assert result.status is PASS
    assert [(y.year, y.amount, y.ok) for y in result.years] == [
        (2026, D("-500000"), True),
        (2027, D("1500000"), True),
    ]


def test_range_below_minimum_names_year_and_amount():
    fw = frameworks(RANGE, [BandwidthYear(2027, minimum=D("-500000"), maximum=D("1500000"))])
    plan = Plan(frozenset(), years=(PlanYear(2027, D("-600000"), D("-150000")),))
    result = item(fw, plan, "bandwidth")
    assert result.status is FAIL
    assert result.details == ("2027",)
    assert "€ 250.000 lager dan het minimum van € -500.000" in result.reason_nl
    assert "€ -750.000" in result.reason_nl
    assert result.years[0].shortfall == D("250000")
    assert result.years[0].excess == 0


def test_range_above_maximum():
    fw = frameworks(RANGE, [BandwidthYear(2027, maximum=D("1000000"))])
    plan = Plan(frozenset(), years=(PlanYear(2027, D("1000000"), D("0.01")),))
    result = item(fw, plan, "bandwidth")
    assert result.status is FAIL
    assert "€ 0,01 hoger dan het maximum van € 1.000.000" in result.reason_nl
    assert result.years[0].excess == D("0.01")


def test_range_one_sided_limits():
    only_min = frameworks(RANGE, [BandwidthYear(2026, minimum=D("0"))])
    assert (
        item(
            only_min, Plan(frozenset(), years=(PlanYear(2026, D("9e9"), D(0)),)), "bandwidth"
        ).status
        is PASS
    )
    only_max = frameworks(RANGE, [BandwidthYear(2026, maximum=D("0"))])
    plan = Plan(frozenset(), years=(PlanYear(2026, D("-9e9"), D(0)),))
    assert item(only_max, plan, "bandwidth").status is PASS


def test_missing_plan_year_counts_as_zero_and_rows_of_one_year_add_up():
    fw = frameworks(
        RANGE,
        [BandwidthYear(2026, minimum=D("100")), BandwidthYear(2027, minimum=D("100"))],
    )
    plan = Plan(
        frozenset(),
        years=(
            PlanYear(2026, D("60"), D("0")),
            PlanYear(2026, D("0"), D("40")),
            PlanYear(2030, D("5000"), D("0")),  # a year outside the framework is ignored
        ),
    )
    result = item(fw, plan, "bandwidth")
    assert result.status is FAIL
    assert result.details == ("2027",)
    assert [(y.year, y.amount) for y in result.years] == [(2026, D("100")), (2027, D("0"))]
    assert "In 2027 is het totaal € 0." in result.reason_nl


def test_savings_target_shortfall_per_year_in_dutch_euros():
    fw = frameworks(
        SAVINGS,
        [
            BandwidthYear(2026, savings_structural=D("1000000"), savings_incidental=D("500000")),
            BandwidthYear(2027, savings_structural=D("2000000")),
        ],
    )
    plan = Plan(
        frozenset(),
        years=(PlanYear(2026, D("250000"), D("0")), PlanYear(2027, D("2000000"), D("0"))),
    )
    result = item(fw, plan, "bandwidth")
    assert result.status is FAIL
    assert result.details == ("2026",)
    assert "€ 1.250.000" in result.reason_nl
    assert "tekort" in result.reason_nl
    assert "2027" not in result.reason_nl
    assert "falls € 1.250.000 short" in result.reason_en
    assert result.years[0].minimum == D("1500000")


def test_savings_target_reached_exactly_passes():
    fw = frameworks(SAVINGS, [BandwidthYear(2026, D(0), D(0), D("100"), D("50"))])
    plan = Plan(frozenset(), years=(PlanYear(2026, D("100"), D("50")),))
    assert item(fw, plan, "bandwidth").status is PASS
    less = Plan(frozenset(), years=(PlanYear(2026, D("100"), D("49.99")),))
    assert "€ 0,01" in item(fw, less, "bandwidth").reason_nl


def test_cost_estimates_above_the_room_of_a_range_give_a_note_not_a_failure():
    fw = frameworks(
        RANGE,
        [
            BandwidthYear(2026, minimum=D("-500000"), maximum=D("1500000")),
            BandwidthYear(2027, minimum=D("-500000"), maximum=D("1500000")),
        ],
    )
    reqs = (
        Requirement("R1", "groen", "Park", Priority.MUST, cost_estimate=D("700000")),
        Requirement("R2", "groen", "Bomen", Priority.SHOULD, cost_estimate=D("400000")),
    )
    result = item(fw, Plan(frozenset(), requirements=reqs), "bandwidth")
    assert result.status is PASS
    [note] = result.notes_nl
    assert "€ 1.100.000" in note
    assert "€ 100.000 meer" in note
    assert len(result.notes_en) == 1
    within = (reqs[0],)
    assert item(fw, Plan(frozenset(), requirements=within), "bandwidth").notes_nl == ()


def test_no_cost_note_without_minimum_in_every_year():
    fw = frameworks(RANGE, [BandwidthYear(2026, maximum=D("1"))])
    reqs = (Requirement("R1", "groen", "Park", Priority.MUST, cost_estimate=D("9e9")),)
    assert item(fw, Plan(frozenset(), requirements=reqs), "bandwidth").notes_nl == ()


# --- 3. structural ----------------------------------------------------------------------


def test_incidental_money_cannot_close_a_structural_gap():
    fw = frameworks(
        SAVINGS, [BandwidthYear(2026, savings_structural=D("1000000"), savings_incidental=D(0))]
    )
    plan = Plan(frozenset(), years=(PlanYear(2026, D("400000"), D("800000")),))
    report = check_plan(fw, plan)
    assert report.item("bandwidth").status is PASS  # the total is enough ...
    structural = report.item("structural")
    assert structural.status is FAIL  # ... but not structurally
    assert structural.details == ("2026",)
    assert "€ 600.000" in structural.reason_nl
    assert structural.years[0].amount == D("400000")


def test_structural_target_met_each_year():
    fw = frameworks(
        SAVINGS,
        [
            BandwidthYear(2026, savings_structural=D("100")),
            BandwidthYear(2027, savings_incidental=D("100")),  # no structural part
        ],
    )
    plan = Plan(frozenset(), years=(PlanYear(2026, D("100"), D(0)), PlanYear(2027, D(0), D(100))))
    result = item(fw, plan, "structural")
    assert result.status is PASS
    assert [y.minimum for y in result.years] == [D("100"), D("0")]


def test_structural_does_not_apply_to_a_range():
    fw = frameworks(RANGE, [BandwidthYear(2026, minimum=D("100"))])
    result = item(fw, Plan(frozenset()), "structural")
    assert result.status is PASS
    assert result.years == ()


# --- 4. conditions ----------------------------------------------------------------------

COND = ("Geen extra verkeer door de wijk", "Sociale huur minstens 30%")


@pytest.mark.parametrize(
    ("assessments", "status", "details"),
    [
        ((True, True), PASS, ()),
        ((True, None), NOT_ASSESSED, (COND[1],)),
        ((False, True), FAIL, (COND[0],)),
        ((False, None), FAIL, (COND[0],)),
        ((None, None), NOT_ASSESSED, COND),
    ],
)
def test_conditions(assessments, status, details):
    plan = Plan(
        frozenset(),
        conditions=tuple(ConditionAssessment(c, m) for c, m in zip(COND, assessments, strict=True)),
    )
    result = item(frameworks(conditions=COND), plan, "conditions")
    assert result.status is status
    assert result.details == details
    for text in details:
        assert text in result.reason_nl


def test_unassessed_framework_condition_is_not_assessed():
    plan = Plan(frozenset(), conditions=(ConditionAssessment(COND[0].upper(), True),))
    result = item(frameworks(conditions=COND), plan, "conditions")
    assert result.status is NOT_ASSESSED
    assert result.details == (COND[1],)


def test_no_conditions_pass_and_extra_assessment_that_fails_still_fails():
    assert item(frameworks(), Plan(frozenset()), "conditions").status is PASS
    plan = Plan(
        frozenset(), conditions=(ConditionAssessment("Past in het bestemmingsplan", False),)
    )
    result = item(frameworks(), plan, "conditions")
    assert result.status is FAIL
    assert "Past in het bestemmingsplan" in result.reason_nl


def test_last_assessment_of_a_condition_counts():
    plan = Plan(
        frozenset(),
        conditions=(ConditionAssessment(COND[0], False), ConditionAssessment(COND[0], True)),
    )
    assert item(frameworks(conditions=COND[:1]), plan, "conditions").status is PASS


# --- 5. conflicts -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("a", "b", "conflict"),
    [
        ((AT_LEAST, "2"), (AT_MOST, "1.5"), True),
        ((AT_LEAST, "2"), (AT_MOST, "2"), False),
        ((EXACTLY, "1"), (EXACTLY, "1.2"), True),
        ((EXACTLY, "1"), (EXACTLY, "1.00"), False),
        ((EXACTLY, "3"), (AT_MOST, "2"), True),
        ((EXACTLY, "2"), (AT_MOST, "2"), False),
        ((EXACTLY, "1"), (AT_LEAST, "1.01"), True),
        ((AT_LEAST, "5"), (AT_LEAST, "50"), False),
        ((AT_MOST, "5"), (AT_MOST, "-50"), False),
    ],
)
def test_conflict_examples_both_ways_round(a, b, conflict):
    for first, second in ((a, b), (b, a)):
        reqs = [norm("R1", first[0], first[1]), norm("R2", second[0], second[1])]
        found = find_conflicts(reqs)
        assert bool(found) is conflict
        if conflict:
            [(key_a, key_b, reason)] = found
            assert (key_a, key_b) == ("R1", "R2")
            assert "parkeerplaatsen per woning" in reason


def test_conflicts_only_on_the_same_quantity_and_unit():
    reqs = [
        norm("R1", AT_LEAST, "2", quantity="Parkeerplaatsen  per woning"),
        norm("R2", AT_MOST, "1", quantity="parkeerplaatsen per woning "),  # same after normalising
        norm("R3", AT_MOST, "1", quantity="fietsplekken per woning"),
        norm("R4", AT_MOST, "1", unit="m2"),
        norm("R5", AT_LEAST, "3", unit="M2"),
    ]
    assert [(a, b) for a, b, _ in find_conflicts(reqs)] == [("R1", "R2"), ("R4", "R5")]


def test_requirements_without_a_complete_norm_are_skipped():
    reqs = [
        norm("R1", AT_LEAST, "2"),
        Requirement("R2", "parkeren", "t", Priority.MUST, quantity="parkeerplaatsen per woning"),
        Requirement("R3", "parkeren", "t", Priority.MUST, operator=AT_MOST, value=D("1")),
        Requirement(
            "R4", "parkeren", "t", Priority.MUST, quantity="  ", operator=AT_MOST, value=D(1)
        ),
    ]
    assert find_conflicts(reqs) == []


def test_conflict_item_names_the_keys_in_dutch():
    reqs = (
        norm("R12", AT_LEAST, "2"),
        norm("R3", AT_MOST, "1.5"),
        norm("R7", EXACTLY, "1.8", unit="plaatsen"),  # other unit: no conflict
    )
    result = item(frameworks(), Plan(frozenset(), requirements=reqs), "conflicts")
    assert result.status is FAIL
    assert result.details == ("R12", "R3")
    assert result.reason_nl == (
        "Deze eisen kunnen niet allebei gelden: R12 vraagt minstens 2 en R3 vraagt "
        "hoogstens 1,5 voor 'parkeerplaatsen per woning'."
    )
    assert "R12 requires at least 2 and R3 requires at most 1.5" in result.reason_en


def test_several_conflicts_are_counted_and_keys_listed_once():
    reqs = (norm("A", AT_LEAST, "3"), norm("B", AT_MOST, "1"), norm("C", EXACTLY, "2"))
    found = find_conflicts(reqs)
    assert [(a, b) for a, b, _ in found] == [("A", "B"), ("A", "C"), ("B", "C")]
    result = item(frameworks(), Plan(frozenset(), requirements=reqs), "conflicts")
    assert result.details == ("A", "B", "C")
    assert result.reason_nl.startswith("3 paren eisen kunnen niet allebei gelden:")


def test_no_conflicts_passes():
    reqs = (norm("R1", AT_LEAST, "1"), norm("R2", AT_MOST, "2"), norm("R3", EXACTLY, "1.5"))
    result = item(frameworks(), Plan(frozenset(), requirements=reqs), "conflicts")
    assert result.status is PASS
    assert result.details == ()


@pytest.mark.parametrize(
    ("value", "nl", "en"),
    [
        (D("1.50"), "1,5", "1.5"),
        (D("2"), "2", "2"),
        (D("1E+2"), "100", "100"),
        (D("-0.0"), "0", "0"),
        (D("0.125"), "0,125", "0.125"),
    ],
)
def test_format_number(value, nl, en):
    assert format_number(value, dutch=True) == nl
    assert format_number(value, dutch=False) == en


# --- serialisation ----------------------------------------------------------------------


def failing_report():
    fw = frameworks(
        SAVINGS,
        [BandwidthYear(2026, savings_structural=D("1000000.50"), savings_incidental=D("10"))],
        aspects=["groen", "parkeren"],
        conditions=COND,
    )
    plan = Plan(
        frozenset({"groen"}),
        years=(PlanYear(2026, D("100.25"), D("5")),),
        requirements=(
            norm("R1", AT_LEAST, "2", aspect="groen"),
            norm("R2", AT_MOST, "1", aspect="groen"),
        ),
        conditions=(ConditionAssessment(COND[0], False),),
    )
    return check_plan(fw, plan)


def test_to_dict_is_json_and_round_trips():
    report = failing_report()
    data = report.to_dict()
    text = json.dumps(data)  # serialisable: Decimals are strings
    assert '"1000010.50"' in text
    restored = CheckReport.from_dict(json.loads(text))
    assert restored == report
    assert data["passed"] is False
    assert [i["status"] for i in data["items"]] == ["fail", "fail", "fail", "fail", "fail"]


def test_from_dict_refuses_bad_data():
    good = failing_report().to_dict()
    with pytest.raises(ValueError, match="format"):
        CheckReport.from_dict({**good, "format": 99})
    with pytest.raises(ValueError, match="list of items"):
        CheckReport.from_dict({"items": "x"})
    bad_status = json.loads(json.dumps(good))
    bad_status["items"][0]["status"] = "maybe"
    with pytest.raises(ValueError, match="status"):
        CheckReport.from_dict(bad_status)
    bad_amount = json.loads(json.dumps(good))
    bad_amount["items"][1]["years"][0]["amount"] = "veel"
    with pytest.raises(ValueError, match="amount"):
        CheckReport.from_dict(bad_amount)
    missing_title = json.loads(json.dumps(good))
    del missing_title["items"][2]["title_nl"]
    with pytest.raises(ValueError, match="title_nl"):
        CheckReport.from_dict(missing_title)


# --- properties -------------------------------------------------------------------------

values = st.decimals(min_value=-5, max_value=5, places=1, allow_nan=False, allow_infinity=False)
operators = st.sampled_from(list(NormOperator))
quantities = st.sampled_from(["bouwhoogte", "Bouwhoogte ", "groen per woning"])
units = st.sampled_from([None, "", "m", "M"])


@st.composite
def requirement_lists(draw):
    size = draw(st.integers(0, 14))
    return [
        Requirement(
            f"R{i}",
            "a",
            "t",
            Priority.MUST,
            quantity=draw(quantities),
            operator=draw(operators),
            value=draw(values),
            unit=draw(units),
        )
        for i in range(size)
    ]


def satisfies(op, value, x):
    return {AT_LEAST: x >= value, AT_MOST: x <= value, EXACTLY: x == value}[op]


def same_measure(a, b):
    def label(text):
        return " ".join((text or "").split()).lower()

    return label(a.quantity) == label(b.quantity) and label(a.unit) == label(b.unit)


@given(requirement_lists())
def test_a_conflict_is_reported_iff_no_value_satisfies_both(reqs):
    # Each norm's solution set is a closed ray or a point; when two of them intersect, the
    # intersection contains one of the two values, so trying both values is exact.
    expected = [
        (a.key, b.key)
        for i, a in enumerate(reqs)
        for b in reqs[i + 1 :]
        if same_measure(a, b)
        and not any(
            satisfies(a.operator, a.value, x) and satisfies(b.operator, b.value, x)
            for x in (a.value, b.value)
        )
    ]
    assert [(a, b) for a, b, _ in find_conflicts(reqs)] == expected


@given(operators, values, operators, values, st.lists(values, min_size=1, max_size=30))
def test_norms_conflict_against_sampling(op_a, a, op_b, b, samples):
    # Any sampled value satisfying both proves there is no conflict.
    if any(satisfies(op_a, a, x) and satisfies(op_b, b, x) for x in [a, b, *samples]):
        assert not norms_conflict(op_a, a, op_b, b)
    assert norms_conflict(op_a, a, op_b, b) == norms_conflict(op_b, b, op_a, a)


amounts = st.decimals(min_value=-(10**7), max_value=10**7, places=2)


@st.composite
def framework_and_plan(draw):
    kind = draw(st.sampled_from([RANGE, SAVINGS]))
    years = draw(st.lists(st.integers(2026, 2030), unique=True, max_size=4))
    rows = []
    for year in years:
        low, high = sorted([draw(amounts), draw(amounts)])
        rows.append(
            BandwidthYear(
                year,
                minimum=draw(st.sampled_from([low, None])),
                maximum=draw(st.sampled_from([high, None])),
                savings_structural=abs(draw(amounts)),
                savings_incidental=abs(draw(amounts)),
            )
        )
    plan_years = tuple(
        PlanYear(y, draw(amounts), draw(amounts))
        for y in draw(st.lists(st.integers(2025, 2031), max_size=6))
    )
    return frameworks(kind, rows), Plan(frozenset(), years=plan_years)


@given(framework_and_plan())
def test_bandwidth_status_matches_the_rule_per_year(pair):
    fw, plan = pair
    report = check_plan(fw, plan)
    assert [i.code for i in report.items] == list(CHECK_CODES)
    failing = []
    for row in fw.years:
        structural = sum((p.structural for p in plan.years if p.year == row.year), D(0))
        total = structural + sum((p.incidental for p in plan.years if p.year == row.year), D(0))
        if fw.bandwidth_kind is RANGE:
            bad = (row.minimum is not None and total < row.minimum) or (
                row.maximum is not None and total > row.maximum
            )
        else:
            bad = total < row.savings_structural + row.savings_incidental
        if bad:
            failing.append(str(row.year))
    bandwidth = report.item("bandwidth")
    assert sorted(bandwidth.details) == sorted(failing)
    assert (bandwidth.status is FAIL) == bool(failing)
    for balance in bandwidth.years:
        assert balance.shortfall >= 0 and balance.excess >= 0
        if balance.shortfall:
            assert str(balance.year) in bandwidth.details
    assert CheckReport.from_dict(json.loads(json.dumps(report.to_dict()))) == report


def test_dataclasses_are_frozen():
    result = CheckItem("aspects", PASS, "a", "b", "c", "d")
    with pytest.raises(AttributeError):
        result.status = FAIL  # type: ignore[misc]
    assert YearBalance(2026, D(1), D(0), None, D(0), D(0)).ok


def test_reason_names_the_first_conflicts_and_counts_the_rest():
    from samenspraak.core.frameworks import CONFLICTS_NAMED

    reqs = tuple(norm(f"L{i}", AT_LEAST, "5") for i in range(3)) + tuple(
        norm(f"M{i}", AT_MOST, "1") for i in range(5)
    )
    result = item(frameworks(), Plan(frozenset(), requirements=reqs), "conflicts")
    assert result.details == ("L0", "M0", "M1", "M2", "M3", "M4", "L1", "L2")
    assert result.reason_nl.startswith("15 paren eisen kunnen niet allebei gelden:")
    assert result.reason_nl.count(" vraagt minstens ") == CONFLICTS_NAMED
    assert result.reason_nl.endswith(f"En nog {15 - CONFLICTS_NAMED} paren.")
    assert result.reason_en.endswith(f"And {15 - CONFLICTS_NAMED} more pairs.")
