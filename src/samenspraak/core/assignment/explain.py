"""What facilitator assignment says, in Dutch and English: why a pair was made, why no
assignment exists, and what is wrong with the input.

When no assignment exists, the max-flow/min-cut theorem gives a set of committees whose demand
exceeds what the facilitators allowed to guide them can offer (Hall's condition, P. Hall,
"On representatives of subsets", J. London Math. Soc. 10, 1935); that set is what the error
names, after any committee that cannot be served even on its own.
"""

from __future__ import annotations

import itertools
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING

from samenspraak.core.assignment.flow import SOURCE, Network
from samenspraak.core.assignment.model import (
    AssignmentInfeasible,
    CommitteeNeed,
    Explanation,
    ExplanationKind,
    is_same_department,
)
from samenspraak.core.errors import InputError, Location

if TYPE_CHECKING:
    from samenspraak.core.assignment.problem import Problem


def check_fixed_capacity(problem: Problem) -> None:
    """Refuse fixed pairs that already give someone more committees than they can guide."""
    over = [j for j, f in problem.fac_items() if problem.fixed_load[j] > f.capacity]
    if not over:
        return
    nl: list[str] = []
    en: list[str] = []
    committee_ids: set[str] = set()
    for j in over:
        f = problem.facilitators[j]
        names = [problem.committees[i].name for i, jj in sorted(problem.fixed) if jj == j]
        committee_ids.update(problem.committees[i].id for i, jj in problem.fixed if jj == j)
        many = len(names) != 1
        nl.append(
            f"{f.name} is handmatig vastgelegd bij {len(names)} "
            f"{'comités' if many else 'comité'} ({join_nl(quoted(names))}), maar kan "
            f"er maar {f.capacity} begeleiden."
        )
        en.append(
            f"{f.name} is fixed to {len(names)} {'committees' if many else 'committee'} "
            f"({join_en(quoted(names))}), but can guide only {f.capacity}."
        )
    raise AssignmentInfeasible(
        message_nl=" ".join(nl),
        message_en=" ".join(en),
        committee_ids=tuple(sorted(committee_ids)),
        facilitator_ids=tuple(problem.facilitators[j].id for j in over),
        location=Location(field="fixed"),
    )


def infeasible(problem: Problem, network: Network) -> AssignmentInfeasible:
    """Explain a maximum flow that falls short: first committees that fail on their own."""
    nl: list[str] = []
    en: list[str] = []
    failing: list[str] = []
    for i, c in enumerate(problem.committees):
        reasons: dict[str, list[str]] = {"department": [], "forbidden": [], "full": []}
        available = 0
        for j, f in problem.fac_items():
            if (i, j) in problem.fixed:
                continue
            reason = problem.why_not(i, j)
            if reason is None:
                available += 1
            else:
                reasons[reason].append(f.name)
        if available >= problem.need_left[i]:
            continue
        failing.append(c.id)
        got = c.facilitators_needed - problem.need_left[i] + available
        text_nl, text_en = local_reasons(c, reasons, len(problem.facilitators))
        nl.append(
            f"'{c.name}' heeft {count_nl(c.facilitators_needed)} nodig, maar kan er maar "
            f"{got} krijgen: {text_nl}."
        )
        en.append(
            f"'{c.name}' needs {count_en(c.facilitators_needed)}, but can get only "
            f"{got}: {text_en}."
        )
    if failing:
        return AssignmentInfeasible(
            message_nl=" ".join(nl), message_en=" ".join(en), committee_ids=tuple(failing)
        )
    # Every committee could be served alone, so together they compete: the source side of a
    # minimum cut is a group whose demand exceeds what its eligible facilitators can offer.
    n_c = len(problem.committees)
    reached = network.reachable(SOURCE)
    group = [i for i in range(n_c) if 3 + i in reached]
    eligible = sorted({network.head[e] - 3 - n_c for i in group for e in network.committee_arcs[i]})
    offer = sum(
        problem.facilitators[j].capacity - problem.fixed_load[j]
        for j in eligible
        if 3 + n_c + j in reached
    ) + sum(1 for i in group for e in network.committee_arcs[i] if network.head[e] not in reached)
    need = sum(problem.need_left[i] for i in group)
    assert need > offer  # max-flow/min-cut: this is what makes the flow fall short
    c_names = quoted([problem.committees[i].name for i in group])
    f_names = [problem.facilitators[j].name for j in eligible]
    return AssignmentInfeasible(
        message_nl=f"De comités {join_nl(c_names)} hebben samen nog "
        f"{count_nl(need)} nodig, maar de procesbegeleiders die hen mogen begeleiden "
        f"({join_nl(f_names) or 'geen'}) kunnen samen maar {offer} van die plaatsen "
        "innemen. Verhoog een capaciteit, voeg procesbegeleiders toe of hef een "
        "uitsluiting op.",
        message_en=f"The committees {join_en(c_names)} together still need "
        f"{count_en(need)}, but the facilitators allowed to guide them "
        f"({join_en(f_names) or 'none'}) can take only {offer} of those places. Raise a "
        "capacity, add facilitators or lift an exclusion.",
        committee_ids=tuple(problem.committees[i].id for i in group),
        facilitator_ids=tuple(problem.facilitators[j].id for j in eligible),
    )


def explain_pair(problem: Problem, i: int, j: int, load: int) -> Explanation:
    """Why facilitator ``j`` guides committee ``i``, in Dutch and English."""
    c, f = problem.committees[i], problem.facilitators[j]
    f_dept_nl = f.department.strip() or "geen afdeling"
    f_dept_en = f.department.strip() or "no department"
    owner = c.owning_department.strip()
    same = is_same_department(f.department, c.owning_department)
    if not owner:
        rule_nl, rule_en = "het thema heeft geen eigenaar-afdeling", "no department owns it"
    elif same:
        rule_nl = f"let op: van de eigenaar-afdeling {owner}"
        rule_en = f"note: from the owning department {owner}"
    else:
        rule_nl = f"niet van de eigenaar-afdeling {owner}"
        rule_en = f"not from the owning department {owner}"
    if (i, j) in problem.fixed:
        code = ExplanationKind.OVERRIDE_SAME_DEPARTMENT if same else ExplanationKind.OVERRIDE
        how_nl = " op aanwijzing van een medewerker (handmatig vastgelegd)"
        how_en = " as set by staff (override)"
    else:
        code, how_nl, how_en = ExplanationKind.ASSIGNED, "", ""
    return Explanation(
        code=code,
        committee_id=c.id,
        facilitator_id=f.id,
        message_nl=f"{f.name} ({f_dept_nl}) begeleidt '{c.name}'{how_nl}: {rule_nl}; "
        f"belasting {load} van {f.capacity}.",
        message_en=f"{f.name} ({f_dept_en}) guides '{c.name}'{how_en}: {rule_en}; "
        f"load {load} of {f.capacity}.",
        load=load,
        capacity=f.capacity,
    )


def local_reasons(
    c: CommitteeNeed, reasons: Mapping[str, list[str]], total: int
) -> tuple[str, str]:
    nl: list[str] = []
    en: list[str] = []
    owner = c.owning_department.strip()
    if names := reasons["department"]:
        one = len(names) == 1
        nl.append(f"{join_nl(names)} {'komt' if one else 'komen'} van de eigenaar-afdeling {owner}")
        en.append(f"{join_en(names)} {'is' if one else 'are'} from the owning department {owner}")
    if names := reasons["forbidden"]:
        one = len(names) == 1
        nl.append(f"{join_nl(names)} {'is' if one else 'zijn'} uitgesloten voor dit comité")
        en.append(f"{join_en(names)} {'is' if one else 'are'} excluded from this committee")
    if names := reasons["full"]:
        one = len(names) == 1
        nl.append(f"{join_nl(names)} {'heeft' if one else 'hebben'} geen ruimte meer")
        en.append(f"{join_en(names)} {'has' if one else 'have'} no capacity left")
    if not nl:
        # Every facilitator is fixed to it or may guide it: there are simply too few.
        if total == 0:
            return "er zijn geen procesbegeleiders", "there are no facilitators"
        verb_nl, verb_en = ("is", "is") if total == 1 else ("zijn", "are")
        return (
            f"er {verb_nl} maar {count_nl(total)}",
            f"there {verb_en} only {count_en(total)}",
        )
    return "; ".join(nl), "; ".join(en)


def count_nl(n: int) -> str:
    return f"{n} procesbegeleider" if n == 1 else f"{n} procesbegeleiders"


def count_en(n: int) -> str:
    return f"{n} facilitator" if n == 1 else f"{n} facilitators"


def quoted(names: Sequence[str]) -> list[str]:
    return [f"'{name}'" for name in names]


def join(items: Sequence[str], word: str) -> str:
    if len(items) <= 1:
        return "".join(items)
    return f"{', '.join(items[:-1])} {word} {items[-1]}"


def join_nl(items: Sequence[str]) -> str:
    return join(items, "en")


def join_en(items: Sequence[str]) -> str:
    return join(items, "and")


def check_unique(field: str, ids: Sequence[str]) -> None:
    for earlier, later in itertools.pairwise(ids):
        if earlier == later:
            raise InputError(
                code="assignment_duplicate_id",
                message_nl=f"De id {later} komt twee keer voor.",
                message_en=f"The id {later} appears twice.",
                location=Location(field=field),
            )


def negative(field: str, id_: str, value: int) -> InputError:
    what_nl = "Het aantal procesbegeleiders" if field == "committees" else "De capaciteit"
    what_en = "The number of facilitators" if field == "committees" else "The capacity"
    return InputError(
        code="assignment_negative_number",
        message_nl=f"{what_nl} van {id_} is {value}; dat moet 0 of meer zijn.",
        message_en=f"{what_en} of {id_} is {value}; it must be 0 or more.",
        location=Location(field=field),
    )


def unknown(field: str, what_nl: str, what_en: str, id_: str) -> InputError:
    return InputError(
        code="assignment_unknown_id",
        message_nl=f"{what_nl}: {id_}.",
        message_en=f"{what_en}: {id_}.",
        location=Location(field=field),
    )
