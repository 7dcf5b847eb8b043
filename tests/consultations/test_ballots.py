"""The ballot rules of every type (ballots.check_ballot), on plain values: no database."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from hypothesis import given
from hypothesis import strategies as st

from samenspraak.consultations.ballots import (
    ItemInfo,
    Rules,
    check_ballot,
    package_closes_gap,
    rules_text,
)
from samenspraak.consultations.models import BallotType, ConsultationKind

ITEMS = [
    ItemInfo(id=1, code="a", title="A", cost=Decimal("40000.00")),
    ItemInfo(id=2, code="b", title="B", cost=Decimal("35000.00")),
    ItemInfo(id=3, code="c", title="C", cost=Decimal("25000.00")),
    ItemInfo(id=4, code="d", title="D", cost=Decimal("0.01")),
]


def pb(ballot_type=BallotType.APPROVAL, **kwargs):
    return Rules(kind=ConsultationKind.PB, ballot_type=ballot_type, **kwargs)


def errors_of(rules, choices, items=ITEMS, **kwargs) -> dict[str, list[str]]:
    with pytest.raises(ValidationError) as excinfo:
        check_ballot(rules, items, choices, **kwargs)
    return excinfo.value.message_dict


def test_approval_counts_choices():
    rules = pb(min_choices=2, max_choices=3)
    assert "minstens 2 projecten" in errors_of(rules, {"a": True})["choices"][0]
    assert "maximaal 3 projecten" in errors_of(rules, dict.fromkeys("abcd", "on"))["choices"][0]
    checked = check_ballot(rules, ITEMS, {"a": "on", "c": "1", "d": ""})
    assert [line.item_id for line in checked.lines] == [1, 3]
    assert all(line.value == 1 for line in checked.lines)


def test_an_empty_ballot_is_refused_even_without_a_minimum():
    assert "minstens 1 project" in errors_of(pb(), {})["choices"][0]


def test_knapsack_budget_is_exact_to_the_cent():
    rules = pb(BallotType.KNAPSACK, budget=Decimal("100000.00"))
    assert check_ballot(rules, ITEMS, dict.fromkeys("abc", True)).lines  # exactly 100.000
    message = errors_of(rules, dict.fromkeys("abcd", True))["choices"][0]
    assert "€ 100.000,01" in message and "€ 0,01 meer" in message


def test_approval_without_the_knapsack_limit_may_exceed_the_budget():
    rules = pb(BallotType.APPROVAL, budget=Decimal("50000.00"))
    assert len(check_ballot(rules, ITEMS, dict.fromkeys("abc", True)).lines) == 3


def test_unknown_projects_are_named():
    message = errors_of(pb(), {"a": True, "zz": True, "yy": True})["choices"][0]
    assert message == "Dit zijn geen projecten van deze stemming: yy, zz."


def test_cumulative_points():
    rules = pb(BallotType.CUMULATIVE, points=10)
    assert "choice:a" in errors_of(rules, {"a": "drie"})
    assert "negatief" in errors_of(rules, {"a": -1})["choice:a"][0]
    assert "U gaf 12 punten" in errors_of(rules, {"a": 7, "b": "5"})["choices"][0]
    checked = check_ballot(rules, ITEMS, {"a": 7, "b": "3", "c": 0, "d": ""})
    assert [(line.item_id, line.value) for line in checked.lines] == [(1, 7), (2, 3)]


def test_cumulative_counts_only_supported_projects():
    rules = pb(BallotType.CUMULATIVE, points=10, max_choices=1)
    assert "maximaal 1 project" in errors_of(rules, {"a": 5, "b": 5})["choices"][0]
    assert check_ballot(rules, ITEMS, {"a": 10, "b": 0}).lines


@pytest.mark.parametrize(
    ("ranks", "words"),
    [
        ({"a": 1, "b": 1}, "dezelfde plaats aan meer dan één project: 1"),
        ({"a": 2, "b": 3}, "U gebruikte: 2, 3"),
        ({"a": 1, "b": 3}, "U gebruikte: 1, 3"),
        ({"a": 0}, "1 of hoger"),
        ({"a": "eerste"}, "als getal"),
    ],
)
def test_ordinal_ranks_are_one_to_k(ranks, words):
    found = errors_of(pb(BallotType.ORDINAL), ranks)
    assert words in " ".join(m for messages in found.values() for m in messages)


def test_ordinal_keeps_the_ranks():
    checked = check_ballot(pb(BallotType.ORDINAL), ITEMS, {"c": 1, "a": "2", "d": None})
    assert sorted((line.item_id, line.value) for line in checked.lines) == [(1, 2), (3, 1)]


def test_poll_answers():
    rules = Rules(kind=ConsultationKind.POLL)
    assert "choice:a" in errors_of(rules, {"a": {"answer": "misschien"}})
    assert "ten minste één" in errors_of(rules, {"a": {"answer": ""}})["choices"][0]
    long = {"a": {"answer": "support", "reason": "x" * 2001}}
    assert "te lang" in errors_of(rules, long)["choice:a"][0]
    checked = check_ballot(
        rules, ITEMS, {"a": {"answer": "support", "reason": " Goed. "}, "b": {"answer": "oppose"}}
    )
    assert [(line.item_id, line.answer, line.reason) for line in checked.lines] == [
        (1, "support", "Goed."),
        (2, "oppose", ""),
    ]


MEASURES = [
    ItemInfo(id=1, code="m1", title="M1", amounts={2027: Decimal("0.10"), 2028: Decimal("5")}),
    ItemInfo(id=2, code="m2", title="M2", amounts={2027: Decimal("0.20"), 2028: Decimal("-2")}),
]


def test_the_simulator_compares_decimals_exactly():
    """0.10 + 0.20 is exactly 0.30 (in floating point it would be 0.30000000000000004)."""
    rules = Rules(kind=ConsultationKind.SIMULATOR, gaps={2027: Decimal("0.30"), 2028: Decimal("3")})
    checked = check_ballot(rules, MEASURES, {"m1": True, "m2": True})
    assert checked.closes_gap is True
    assert "confirm_unbalanced" in errors_of(rules, {"m1": True}, items=MEASURES)
    unbalanced = check_ballot(rules, MEASURES, {"m1": True}, confirm_unbalanced=True)
    assert unbalanced.closes_gap is False
    tighter = Rules(kind=ConsultationKind.SIMULATOR, gaps={2027: Decimal("0.31")})
    assert not package_closes_gap(tighter.gaps, MEASURES, {1, 2})


@given(
    st.lists(st.decimals(min_value=-(10**6), max_value=10**6, places=2), min_size=1, max_size=6),
    st.decimals(min_value=0, max_value=10**6, places=2),
)
def test_closes_gap_is_the_sum_against_the_gap(amounts, gap):
    items = [
        ItemInfo(id=i, code=str(i), title="", amounts={2030: amount})
        for i, amount in enumerate(amounts)
    ]
    chosen = set(range(len(items)))
    assert package_closes_gap({2030: gap}, items, chosen) is (sum(amounts) >= gap)


def test_districts_and_age():
    rules = pb(district_ids=frozenset({7, 8}), district_required=True)
    assert "district" in errors_of(rules, {"a": True})
    assert "district" in errors_of(rules, {"a": True}, district_id=9)
    assert "age_band" in errors_of(rules, {"a": True}, district_id=7, age_band="99+")
    checked = check_ballot(rules, ITEMS, {"a": True}, district_id=8, age_band="65+")
    assert (checked.district_id, checked.age_band) == (8, "65+")


def test_the_rules_in_words():
    assert rules_text(pb(max_choices=5), 12) == "Kies maximaal 5 projecten."
    text = rules_text(pb(BallotType.KNAPSACK, budget=Decimal("250000")), 12)
    assert text == "Kies de projecten die u goed vindt. Samen mogen ze hoogstens € 250.000 kosten."
    assert "U hebt 10 punten" in rules_text(pb(BallotType.CUMULATIVE, points=10), 4)
    assert rules_text(pb(BallotType.ORDINAL, min_choices=3, max_choices=3), 8).startswith(
        "Zet 3 projecten op volgorde"
    )
