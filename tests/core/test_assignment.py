"""Facilitators (Chefs de Dossier) to committees: the rules hold and the load is spread.

Hand-made cases from the Zeist budget dialogue, then properties over random instances: the
exact lexicographic optimum against brute force on tiny instances, the first two objective
levels against a MILP (scipy/HiGHS) on larger ones, and the rules on every result.
"""

from __future__ import annotations

import itertools
from collections import Counter

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from scipy.optimize import Bounds, LinearConstraint, milp

from samenspraak.core.assignment import (
    Assignment,
    AssignmentInfeasible,
    CommitteeNeed,
    ExplanationKind,
    Facilitator,
    assign_facilitators,
)
from samenspraak.core.errors import InputError

MO = "Maatschappelijke Ontwikkeling"

# The eight themes of the Zeist budget dialogue with the departments that own them (as in the
# demo data), and five staff members from across the organisation who can each guide two.
ZEIST = (
    CommitteeNeed("z1", "Zorg en welzijn", MO),
    CommitteeNeed("z2", "Jeugd en onderwijs", MO),
    CommitteeNeed("z3", "Sport en cultuur", MO),
    CommitteeNeed("z4", "Openbare ruimte en groen", "Ruimte"),
    CommitteeNeed("z5", "Economie en toerisme", "Economie"),
    CommitteeNeed("z6", "Wonen", "Ruimte"),
    CommitteeNeed("z7", "Veiligheid", "Openbare Orde en Veiligheid"),
    CommitteeNeed("z8", "Dienstverlening en bedrijfsvoering", "Financiën"),
)
STAFF = (
    Facilitator("f1", "Anouk Jansen", MO, capacity=2),
    Facilitator("f2", "Bram de Vries", "Ruimte", capacity=2),
    Facilitator("f3", "Chantal Bakker", "Financiën", capacity=2),
    Facilitator("f4", "Dirk Visser", "Publiekszaken", capacity=2),
    Facilitator("f5", "Esra Yilmaz", "Economie", capacity=2),
)


def dept_key(department):
    return "".join(department.split()).casefold()


def conflicts(committee, facilitator):
    """The department rule, written out again independently of the module."""
    owner = dept_key(committee.owning_department)
    return owner != "" and owner == dept_key(facilitator.department)


def check_rules(result, committees, facilitators, fixed=None, forbidden=None):
    """Every rule that any valid assignment must satisfy."""
    fixed, forbidden = fixed or {}, forbidden or {}
    by_c = {c.id: c for c in committees}
    by_f = {f.id: f for f in facilitators}
    pairs = set(result.pairs)
    assert len(pairs) == len(result.pairs)  # distinct facilitators per committee
    assert list(result.pairs) == sorted(result.pairs)
    per_committee = Counter(cid for cid, _ in result.pairs)
    for c in committees:
        assert per_committee[c.id] == c.facilitators_needed
    for cid, fids in fixed.items():
        assert {(cid, fid) for fid in fids} <= pairs
    for cid, fids in forbidden.items():
        assert not {(cid, fid) for fid in fids} & pairs
    for cid, fid in result.pairs:
        if conflicts(by_c[cid], by_f[fid]):
            assert fid in fixed.get(cid, ())
    load = Counter(fid for _, fid in result.pairs)
    assert dict(result.load) == {f.id: load[f.id] for f in facilitators}
    assert list(result.load) == sorted(result.load)
    for f in facilitators:
        assert load[f.id] <= f.capacity
    assert result.max_load == max(load.values(), default=0)
    assert [(e.committee_id, e.facilitator_id) for e in result.explanations] == list(result.pairs)
    for e in result.explanations:
        assert e.is_override == (e.facilitator_id in fixed.get(e.committee_id, ()))
        assert e.load == load[e.facilitator_id]
        assert f"{e.load} van {by_f[e.facilitator_id].capacity}" in e.message_nl
        assert f"{e.load} of {by_f[e.facilitator_id].capacity}" in e.message_en


# --- hand-made cases -----------------------------------------------------------------------


def test_zeist_eight_committees_one_facilitator_each():
    result = assign_facilitators(ZEIST, STAFF)
    check_rules(result, ZEIST, STAFF)
    # 8 committees over 5 people: the maximum load is 2, and at least 3 people carry 2
    # (2a + b = 8 with a + b <= 5). Committees in id order take the lowest facilitator id
    # that still allows that optimum, e.g. z3 cannot take f1 (its own department) nor f2
    # (who would then guide 3).
    assert result.pairs == (
        ("z1", "f2"),
        ("z2", "f2"),
        ("z3", "f3"),
        ("z4", "f1"),
        ("z5", "f1"),
        ("z6", "f3"),
        ("z7", "f4"),
        ("z8", "f5"),
    )
    assert result.max_load == 2
    assert result.at_max_load == ("f1", "f2", "f3")
    assert dict(result.load) == {"f1": 2, "f2": 2, "f3": 2, "f4": 1, "f5": 1}
    first = result.explanations[0]
    assert first.code is ExplanationKind.ASSIGNED
    assert first.message_nl == (
        "Bram de Vries (Ruimte) begeleidt 'Zorg en welzijn': niet van de eigenaar-afdeling "
        "Maatschappelijke Ontwikkeling; belasting 2 van 2."
    )
    assert first.message_en == (
        "Bram de Vries (Ruimte) guides 'Zorg en welzijn': not from the owning department "
        "Maatschappelijke Ontwikkeling; load 2 of 2."
    )


def test_department_rule_ignores_case_and_white_space():
    committees = [CommitteeNeed("w", "Wonen", "Ruimte")]
    facilitators = [
        Facilitator("a", "Ahmed", "  ruimte "),
        Facilitator("b", "Bea", "RUIM TE"),
        Facilitator("c", "Cas", "Financiën"),
    ]
    result = assign_facilitators(committees, facilitators)
    assert result.pairs == (("w", "c"),)


def test_blank_owning_department_conflicts_with_nobody():
    committees = [CommitteeNeed("k", "Kopgroep Huis ter Heide", " ")]
    result = assign_facilitators(committees, [Facilitator("a", "Ahmed", "")])
    assert result.pairs == (("k", "a"),)
    assert "geen eigenaar-afdeling" in result.explanations[0].message_nl


def test_department_conflict_leaves_one_choice_even_at_a_higher_load():
    # Only Chantal is outside Maatschappelijke Ontwikkeling, so she guides all three MO
    # committees although Anouk has nothing to do.
    committees = ZEIST[:3]
    facilitators = [STAFF[0], Facilitator("f3", "Chantal Bakker", "Financiën", capacity=3)]
    result = assign_facilitators(committees, facilitators)
    assert result.pairs == (("z1", "f3"), ("z2", "f3"), ("z3", "f3"))
    assert result.max_load == 3
    assert dict(result.load) == {"f1": 0, "f3": 3}


def test_capacity_limits_hold_and_load_is_spread():
    committees = [CommitteeNeed(f"c{i}", f"Comité {i}", "Ruimte", 2) for i in range(4)]
    facilitators = [
        Facilitator("a", "Ahmed", "Financiën", capacity=4),
        Facilitator("b", "Bea", "Economie", capacity=2),
        Facilitator("c", "Cas", "Publiekszaken", capacity=2),
        Facilitator("d", "Dewi", "Publiekszaken", capacity=0),  # on leave
    ]
    result = assign_facilitators(committees, facilitators)
    check_rules(result, committees, facilitators)
    # 8 places; b and c hold at most 2 each, so a takes 4 however it is spread.
    assert dict(result.load) == {"a": 4, "b": 2, "c": 2, "d": 0}
    assert result.max_load == 4
    assert result.at_max_load == ("a",)


def test_count_at_maximum_is_minimised():
    # 5 committees, 3 people: loads (2, 2, 1) beat (2, 1, 2)? Equal; but (3, 1, 1) is worse
    # on the maximum and (2, 2, 1) has two at the maximum, which is the fewest possible.
    committees = [CommitteeNeed(f"c{i}", f"Comité {i}", "") for i in range(5)]
    facilitators = [Facilitator(x, x.upper(), "", capacity=3) for x in "abc"]
    result = assign_facilitators(committees, facilitators)
    assert result.max_load == 2
    assert result.at_max_load == ("a", "b")
    assert result.pairs == (("c0", "a"), ("c1", "a"), ("c2", "b"), ("c3", "b"), ("c4", "c"))


def test_fixed_override_is_honoured_even_against_the_department_rule():
    result = assign_facilitators(ZEIST, STAFF, fixed={"z1": ["f1"]})  # MO guides MO
    check_rules(result, ZEIST, STAFF, fixed={"z1": ["f1"]})
    assert ("z1", "f1") in result.pairs
    override = result.explanations[0]
    assert override.code is ExplanationKind.OVERRIDE_SAME_DEPARTMENT
    assert override.is_override
    assert "handmatig vastgelegd" in override.message_nl
    assert "van de eigenaar-afdeling Maatschappelijke Ontwikkeling" in override.message_nl
    assert "override" in override.message_en
    assert [e.is_override for e in result.explanations].count(True) == 1
    # The override counts towards the load: the other seven places are spread around it.
    assert result.max_load == 2
    assert len(result.at_max_load) == 3


def test_fixed_within_the_rule_is_an_override_too():
    result = assign_facilitators(ZEIST, STAFF, fixed={"z8": ["f4"]})
    [override] = [e for e in result.explanations if e.is_override]
    assert (override.committee_id, override.facilitator_id) == ("z8", "f4")
    assert override.code is ExplanationKind.OVERRIDE
    assert "niet van de eigenaar-afdeling Financiën" in override.message_nl


def test_fixed_counts_towards_need():
    committees = [CommitteeNeed("c", "Comité", "", 2)]
    facilitators = [Facilitator(x, x, "") for x in "abc"]
    result = assign_facilitators(committees, facilitators, fixed={"c": ["c"]})
    assert result.pairs == (("c", "a"), ("c", "c"))


def test_forbidden_pairs_are_never_used():
    forbidden = {"z1": ["f2", "f3"], "z2": ["f2"]}
    result = assign_facilitators(ZEIST, STAFF, forbidden=forbidden)
    check_rules(result, ZEIST, STAFF, forbidden=forbidden)
    assert result.pairs[0] == ("z1", "f4")


def test_infeasible_when_everyone_comes_from_the_owning_department():
    facilitators = [
        Facilitator("f1", "Anouk Jansen", MO, capacity=3),
        Facilitator("f6", "Femke Smit", "maatschappelijke ontwikkeling", capacity=3),
    ]
    with pytest.raises(AssignmentInfeasible) as excinfo:
        assign_facilitators(ZEIST[:2], facilitators)
    error = excinfo.value
    assert error.code == "assignment_infeasible"
    assert error.committee_ids == ("z1", "z2")
    assert error.message_nl.startswith(
        "'Zorg en welzijn' heeft 1 procesbegeleider nodig, maar kan er maar 0 krijgen: "
        "Anouk Jansen en Femke Smit komen van de eigenaar-afdeling Maatschappelijke "
        "Ontwikkeling."
    )
    assert "'Jeugd en onderwijs'" in error.message_nl
    assert "Anouk Jansen and Femke Smit are from the owning department" in error.message_en


def test_infeasible_total_capacity_names_the_competing_committees():
    staff = [Facilitator(f.id, f.name, f.department, capacity=1) for f in STAFF]
    with pytest.raises(AssignmentInfeasible) as excinfo:
        assign_facilitators(ZEIST, staff)
    error = excinfo.value
    assert error.code == "assignment_infeasible"
    assert set(error.committee_ids) == {c.id for c in ZEIST}
    assert error.message_nl.startswith("De comités 'Zorg en welzijn', 'Jeugd en onderwijs'")
    assert "hebben samen nog 8 procesbegeleiders nodig" in error.message_nl
    assert "kunnen samen maar 5 van die plaatsen innemen" in error.message_nl
    assert "together still need 8 facilitators" in error.message_en
    assert "can take only 5 of those places" in error.message_en


def test_infeasible_group_is_the_smallest_part_that_fails():
    # The three MO committees compete for Chantal (capacity 2), the only one outside their
    # department. Wonen can be served besides them, so it is not named.
    committees = [*ZEIST[:3], ZEIST[5]]
    facilitators = [
        STAFF[0],
        Facilitator("f3", "Chantal Bakker", "Financiën", capacity=2),
        Facilitator("f7", "Gijs Mulder", MO),
    ]
    with pytest.raises(AssignmentInfeasible) as excinfo:
        assign_facilitators(committees, facilitators)
    assert excinfo.value.committee_ids == ("z1", "z2", "z3")
    assert excinfo.value.facilitator_ids == ("f3",)
    assert "(Chantal Bakker) kunnen samen maar 2 van die plaatsen" in excinfo.value.message_nl


def test_infeasible_when_overrides_exceed_a_capacity():
    with pytest.raises(AssignmentInfeasible) as excinfo:
        assign_facilitators(ZEIST, STAFF, fixed={"z1": ["f4"], "z2": ["f4"], "z3": ["f4"]})
    error = excinfo.value
    assert error.facilitator_ids == ("f4",)
    assert error.committee_ids == ("z1", "z2", "z3")
    assert "Dirk Visser is handmatig vastgelegd bij 3 comités" in error.message_nl
    assert "but can guide only 2" in error.message_en


def test_infeasible_with_no_facilitators_at_all():
    with pytest.raises(AssignmentInfeasible) as excinfo:
        assign_facilitators(ZEIST[:1], [])
    assert "er zijn geen procesbegeleiders" in excinfo.value.message_nl


def test_nothing_to_assign():
    result = assign_facilitators([CommitteeNeed("c", "Comité", "", 0)], STAFF)
    assert result == Assignment(
        pairs=(), load={f.id: 0 for f in STAFF}, max_load=0, explanations=()
    )
    assert assign_facilitators([], []).pairs == ()


@pytest.mark.parametrize(
    ("kwargs", "code", "field"),
    [
        ({"fixed": {"z9": ["f1"]}}, "assignment_unknown_id", "fixed"),
        ({"fixed": {"z1": ["f9"]}}, "assignment_unknown_id", "fixed"),
        ({"forbidden": {"z1": ["f9"]}}, "assignment_unknown_id", "forbidden"),
        ({"fixed": {"z1": "f2"}}, "assignment_invalid_pairs", "fixed"),
        ({"fixed": {"z1": ["f2", "f2"]}}, "assignment_duplicate_pair", "fixed"),
        ({"fixed": {"z1": ["f2", "f3"]}}, "assignment_too_many_fixed", "fixed"),
        (
            {"fixed": {"z1": ["f2"]}, "forbidden": {"z1": ["f2"]}},
            "assignment_fixed_forbidden",
            "fixed",
        ),
    ],
)
def test_bad_overrides_are_refused(kwargs, code, field):
    with pytest.raises(InputError) as excinfo:
        assign_facilitators(ZEIST, STAFF, **kwargs)
    assert excinfo.value.code == code
    assert excinfo.value.location.field == field
    assert excinfo.value.message_nl and excinfo.value.message_en


@pytest.mark.parametrize(
    ("committees", "facilitators", "code", "field"),
    [
        ([*ZEIST, ZEIST[0]], STAFF, "assignment_duplicate_id", "committees"),
        (ZEIST, [*STAFF, STAFF[0]], "assignment_duplicate_id", "facilitators"),
        ([CommitteeNeed("c", "C", "", -1)], STAFF, "assignment_negative_number", "committees"),
        ([], [Facilitator("a", "A", "", -1)], "assignment_negative_number", "facilitators"),
    ],
)
def test_bad_input_is_refused(committees, facilitators, code, field):
    with pytest.raises(InputError) as excinfo:
        assign_facilitators(committees, facilitators)
    assert (excinfo.value.code, excinfo.value.location.field) == (code, field)


# --- the reference: brute force and a MILP ---------------------------------------------------


def brute_force(committees, facilitators, fixed, forbidden):
    """The lexicographic optimum by enumeration: (max load, number at it, sorted pairs)."""
    fids = sorted(f.id for f in facilitators)
    by_f = {f.id: f for f in facilitators}
    options = []
    for c in sorted(committees, key=lambda c: c.id):
        given = set(fixed.get(c.id, ()))
        free = [
            fid
            for fid in fids
            if fid not in given
            and fid not in forbidden.get(c.id, ())
            and not conflicts(c, by_f[fid])
        ]
        options.append(
            [
                [(c.id, fid) for fid in given.union(extra)]
                for extra in itertools.combinations(free, c.facilitators_needed - len(given))
            ]
        )
    best = None
    for choice in itertools.product(*options):
        pairs = tuple(sorted(pair for chosen in choice for pair in chosen))
        load = Counter(fid for _, fid in pairs)
        if any(load[fid] > by_f[fid].capacity for fid in fids):
            continue
        top = max((load[fid] for fid in fids), default=0)
        key = (top, sum(load[fid] == top for fid in fids), pairs)
        best = key if best is None or key < best else best
    return best


def milp_levels(committees, facilitators, fixed, forbidden):
    """The first two objective levels with scipy's MILP (HiGHS), or None if infeasible."""
    fixed_load = Counter(fid for fids in fixed.values() for fid in fids)
    arcs = [
        (c.id, f.id)
        for c in committees
        for f in facilitators
        if f.id not in fixed.get(c.id, ())
        and f.id not in forbidden.get(c.id, ())
        and not conflicts(c, f)
    ]
    n, n_f = len(arcs), len(facilitators)
    need = np.zeros((len(committees), n + n_f + 1))
    for k, (cid, _) in enumerate(arcs):
        need[[c.id for c in committees].index(cid), k] = 1
    need_left = [c.facilitators_needed - len(fixed.get(c.id, ())) for c in committees]
    per_f = np.zeros((n_f, n + n_f + 1))
    for k, (_, fid) in enumerate(arcs):
        per_f[[f.id for f in facilitators].index(fid), k] = 1
    caps = [f.capacity - fixed_load[f.id] for f in facilitators]
    if min(caps, default=0) < 0:
        return None
    # Variables: x per arc, y per facilitator, then L.
    level = per_f.copy()
    level[:, -1] = -1
    base = [
        LinearConstraint(need, need_left, need_left),
        LinearConstraint(per_f, -np.inf, caps),
    ]
    integrality = np.ones(n + n_f + 1)
    upper = np.array([1] * (n + n_f) + [max([f.capacity for f in facilitators], default=0)])
    bounds = Bounds(np.zeros(n + n_f + 1), upper)
    fl = np.array([fixed_load[f.id] for f in facilitators])
    cost = np.zeros(n + n_f + 1)
    cost[-1] = 1
    first = milp(
        cost,
        constraints=[*base, LinearConstraint(level, -np.inf, -fl)],
        integrality=integrality,
        bounds=bounds,
    )
    if first.status == 2:
        return None
    assert first.success
    top = round(first.fun)
    # Load below top, unless y marks the facilitator as one at the maximum.
    below = per_f.copy()
    below[:, n : n + n_f] = -np.eye(n_f)
    cost = np.zeros(n + n_f + 1)
    cost[n : n + n_f] = 1
    second = milp(
        cost,
        constraints=[*base, LinearConstraint(below, -np.inf, top - 1 - fl)],
        integrality=integrality,
        bounds=bounds,
    )
    assert second.success
    return top, round(second.fun)


# --- random instances ------------------------------------------------------------------------

DEPARTMENTS = [
    "Ruimte",
    " ruimte",
    "RUIMTE ",
    "Financiën",
    MO,
    "maatschappelijke  ontwikkeling",
    "Economie",
    "Publiekszaken",
    "",
]
IDS = ["a", "b", "c", "d", "e", "f", "g", "aa", "b1", "B", "10", "9", "x y"]


@st.composite
def instances(draw, max_committees, max_facilitators, max_need, max_capacity=3):
    """Random instances, mostly non-trivial: every committee usually needs someone."""
    cids = draw(st.permutations(IDS))[: draw(st.integers(1, max_committees))]
    fids = draw(st.permutations(IDS))[: draw(st.integers(1, max_facilitators))]
    committees = [
        CommitteeNeed(
            cid,
            f"Comité {cid}",
            draw(st.sampled_from(DEPARTMENTS)),
            draw(st.sampled_from([1, 1, 1, 1, 1, *range(max_need + 1)])),
        )
        for cid in cids
    ]
    facilitators = [
        Facilitator(
            fid,
            f"Persoon {fid}",
            draw(st.sampled_from(DEPARTMENTS)),
            draw(st.integers(1, max_capacity)) if draw(st.integers(0, 7)) else 0,
        )
        for fid in fids
    ]
    fixed, forbidden = {}, {}
    for c in committees:
        if draw(st.integers(0, 5)) == 0:
            fixed[c.id] = draw(
                st.lists(st.sampled_from(fids), unique=True, max_size=c.facilitators_needed)
            )
        free = [fid for fid in fids if fid not in fixed.get(c.id, ())]
        if free and draw(st.integers(0, 3)) == 0:
            forbidden[c.id] = draw(st.lists(st.sampled_from(free), unique=True, max_size=2))
    return committees, facilitators, fixed, forbidden


def outcome(committees, facilitators, fixed, forbidden):
    try:
        return assign_facilitators(committees, facilitators, fixed=fixed, forbidden=forbidden)
    except AssignmentInfeasible as error:
        return error


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(instances(max_committees=5, max_facilitators=4, max_need=2))
def test_matches_brute_force_on_tiny_instances(instance):
    committees, facilitators, fixed, forbidden = instance
    expected = brute_force(committees, facilitators, fixed, forbidden)
    result = outcome(committees, facilitators, fixed, forbidden)
    if expected is None:
        assert isinstance(result, AssignmentInfeasible), result
        assert result.code == "assignment_infeasible"
        assert result.committee_ids
        # The named committees cannot be served even on their own (the others keeping only
        # their fixed pairs), and the message names each of them in both languages.
        alone = [
            c
            if c.id in result.committee_ids
            else CommitteeNeed(c.id, c.name, c.owning_department, len(fixed.get(c.id, ())))
            for c in committees
        ]
        assert brute_force(alone, facilitators, fixed, forbidden) is None
        for c in committees:
            if c.id in result.committee_ids:
                assert f"'{c.name}'" in result.message_nl
                assert f"'{c.name}'" in result.message_en
        return
    assert isinstance(result, Assignment), result
    check_rules(result, committees, facilitators, fixed, forbidden)
    top, count, pairs = expected
    assert result.max_load == top
    assert len(result.at_max_load) == count
    assert result.pairs == pairs  # the tie-break, too


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(instances(max_committees=10, max_facilitators=8, max_need=3, max_capacity=4))
def test_first_two_levels_match_a_milp(instance):
    committees, facilitators, fixed, forbidden = instance
    levels = milp_levels(committees, facilitators, fixed, forbidden)
    result = outcome(committees, facilitators, fixed, forbidden)
    if levels is None:
        assert isinstance(result, AssignmentInfeasible), result
        return
    assert isinstance(result, Assignment), result
    check_rules(result, committees, facilitators, fixed, forbidden)
    assert (result.max_load, len(result.at_max_load)) == levels


@settings(max_examples=100, deadline=None)
@given(st.data())
def test_deterministic_and_independent_of_input_order(data):
    committees, facilitators, fixed, forbidden = data.draw(
        instances(max_committees=10, max_facilitators=8, max_need=3, max_capacity=4)
    )
    first = outcome(committees, facilitators, fixed, forbidden)
    again = outcome(committees, facilitators, fixed, forbidden)
    shuffled = outcome(
        data.draw(st.permutations(committees)),
        data.draw(st.permutations(facilitators)),
        {k: data.draw(st.permutations(v)) for k, v in reversed(fixed.items())},
        {k: data.draw(st.permutations(v)) for k, v in reversed(forbidden.items())},
    )
    if isinstance(first, AssignmentInfeasible):
        for other in (again, shuffled):
            assert isinstance(other, AssignmentInfeasible)
            assert (other.message_nl, other.message_en) == (first.message_nl, first.message_en)
            assert other.committee_ids == first.committee_ids
    else:
        assert first == again == shuffled
