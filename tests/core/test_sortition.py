"""LEXIMIN, legacy and the seeded draw on small instances whose answer is known by hand."""

from __future__ import annotations

import pytest

from samenspraak.core.errors import InputError
from samenspraak.core.sortition import (
    InfeasibleQuotas,
    Person,
    Quota,
    find_distribution,
    select,
)


def people_of(groups: dict[str, str], households: dict[str, str] | None = None) -> list[Person]:
    households = households or {}
    return [Person(pid, {"g": value}, households.get(pid)) for pid, value in groups.items()]


def probabilities(panels):
    result: dict[str, float] = {}
    for ids, probability in panels:
        for person_id in ids:
            result[person_id] = result.get(person_id, 0.0) + probability
    return result


def test_one_of_each_pair_gives_everyone_one_half():
    people = people_of({"a": "x", "b": "x", "c": "y", "d": "y"})
    quotas = [Quota("g", "x", 1, 1), Quota("g", "y", 1, 1)]
    selection = select(people, quotas, 2, seed=1)
    assert selection.probabilities == pytest.approx(dict.fromkeys("abcd", 0.5), abs=1e-9)
    assert selection.min_probability == pytest.approx(0.5, abs=1e-9)
    assert sum(p for _, p in selection.panels) == pytest.approx(1.0)
    for ids, _ in selection.panels:
        assert len([i for i in ids if i in "ab"]) == 1
    assert selection.selected in [ids for ids, _ in selection.panels]
    assert list(selection.selected) == sorted(selection.selected)


def test_someone_no_panel_can_hold_gets_probability_zero():
    people = people_of({"a": "x", "b": "x", "c": "x", "d": "y"})
    quotas = [Quota("g", "x", 2, 2), Quota("g", "y", 0, 0)]
    selection = select(people, quotas, 2, seed=5)
    assert selection.probabilities["d"] == 0.0
    assert [selection.probabilities[p] for p in "abc"] == pytest.approx([2 / 3] * 3, abs=1e-9)
    assert selection.min_probability == 0.0
    assert "d" not in selection.selected


def test_leximin_raises_the_second_level_after_the_first():
    # b and c compete for one "y" seat, a alone fills "x": leximin gives b and c 1/2 each and
    # then a certainty (maximin alone would also accept a at 1/2).
    people = people_of({"a": "x", "b": "y", "c": "y"})
    quotas = [Quota("g", "x", 1, 1), Quota("g", "y", 1, 1)]
    probs = probabilities(find_distribution(people, quotas, 2))
    assert probs == pytest.approx({"a": 1.0, "b": 0.5, "c": 0.5}, abs=1e-9)


def test_two_people_of_one_household_are_never_both_drawn():
    people = people_of(dict.fromkeys("abcd", "x"), households={"a": "h1", "b": "h1", "c": "h2"})
    quotas = [Quota("g", "x", 2, 2)]
    panels = find_distribution(people, quotas, 2)
    assert all(not {"a", "b"} <= set(ids) for ids, _ in panels)
    assert probabilities(panels) == pytest.approx(dict.fromkeys("abcd", 0.5), abs=1e-9)


def test_the_same_seed_draws_the_same_panel_and_seeds_spread_over_panels():
    people = people_of({f"p{i}": "xy"[i % 2] for i in range(8)})
    quotas = [Quota("g", "x", 2, 2), Quota("g", "y", 1, 1)]
    first = select(people, quotas, 3, seed=42)
    again = select(people, quotas, 3, seed=42)
    assert first.selected == again.selected
    assert first.panels == again.panels
    drawn = {select(people, quotas, 3, seed=seed).selected for seed in range(30)}
    assert len(drawn) > 1
    assert drawn <= {ids for ids, _ in first.panels}


def test_legacy_estimates_probabilities_from_runs():
    people = people_of({"a": "x", "b": "x", "c": "y", "d": "y"})
    quotas = [Quota("g", "x", 1, 1), Quota("g", "y", 1, 1)]
    selection = select(people, quotas, 2, seed=3, algorithm="legacy")
    assert selection.algorithm == "legacy"
    assert sum(selection.probabilities.values()) == pytest.approx(2.0)
    # 1,000 runs: each of the four people near 1/2.
    assert all(abs(p - 0.5) < 0.08 for p in selection.probabilities.values())
    for ids, _ in selection.panels:
        assert len([i for i in ids if i in "ab"]) == 1


def test_infeasible_quotas_name_the_clash_and_a_smallest_relaxation():
    people = people_of({f"f{i}": "female" for i in range(6)} | {f"m{i}": "male" for i in range(6)})
    quotas = [Quota("g", "female", 4, 5), Quota("g", "male", 3, 5)]
    with pytest.raises(InfeasibleQuotas) as caught:
        select(people, quotas, 6, seed=1)
    error = caught.value
    assert set(error.conflicts) == set(quotas)
    assert len(error.relaxation) == 1
    quota, low, high = error.relaxation[0]
    assert (quota.min - low) + (high - quota.max) == 1
    assert "kunnen niet samen gelden" in str(error) and "Haalbaar wordt het met" in str(error)
    assert "cannot hold together" in str(error)
    relaxed = [Quota(q.feature, q.value, low, high) if q == quota else q for q in quotas]
    assert select(people, relaxed, 6, seed=1).panel_size == 6


def test_an_irrelevant_quota_is_not_named_and_flex_bounds_limit_the_relaxation():
    people = [
        Person(f"p{i}", {"g": "female" if i < 6 else "male", "a": "young" if i % 2 else "old"})
        for i in range(12)
    ]
    quotas = [
        Quota("g", "female", 4, 5, min_flex=4),  # may not go down
        Quota("g", "male", 3, 5),
        Quota("a", "young", 0, 6),
        Quota("a", "old", 0, 6),
    ]
    with pytest.raises(InfeasibleQuotas) as caught:
        find_distribution(people, quotas, 6)
    error = caught.value
    assert set(error.conflicts) == {quotas[0], quotas[1]}
    assert error.relaxation == [(quotas[1], 2, 5)]


def test_too_few_people_is_explained_without_a_relaxation():
    people = people_of({"a": "x", "b": "x"})
    with pytest.raises(InfeasibleQuotas) as caught:
        find_distribution(people, [Quota("g", "x", 0, 3)], 3)
    assert caught.value.relaxation == []
    assert "te weinig" in str(caught.value)


@pytest.mark.parametrize(
    ("people", "quotas", "size", "code"),
    [
        (
            people_of({"a": "x"}),
            [Quota("g", "x", 0, 1), Quota("g", "x", 0, 1)],
            1,
            "duplicate_quota",
        ),
        (people_of({"a": "x"}), [Quota("g", "x", 2, 1)], 1, "quota_bounds"),
        (people_of({"a": "z"}), [Quota("g", "x", 0, 1)], 1, "unknown_value"),
        ([Person("a", {}), Person("a", {})], [], 1, "duplicate_id"),
        (people_of({"a": "x"}), [Quota("g", "x", 0, 1)], 0, "panel_size"),
    ],
)
def test_inconsistent_objects_are_refused(people, quotas, size, code):
    with pytest.raises(InputError) as caught:
        find_distribution(people, quotas, size)
    assert caught.value.code == code


def test_unknown_algorithm_and_negative_seed_are_refused():
    people = people_of({"a": "x", "b": "x"})
    quotas = [Quota("g", "x", 1, 1)]
    with pytest.raises(InputError, match="maximin"):
        find_distribution(people, quotas, 1, algorithm="maximin")
    with pytest.raises(InputError, match="seed"):
        select(people, quotas, 1, seed=-1)
