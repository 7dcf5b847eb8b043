"""Assign facilitators (Chefs de Dossier) to committees so that the load is spread.

A facilitator guards the process of a committee, never its content, so nobody guides a
committee whose theme their own department owns. Each committee gets the number of distinct
facilitators it needs, nobody exceeds their capacity, and staff may fix pairs (overrides, which
may break the department rule) or forbid pairs.

Objective, lexicographically: (1) the smallest possible maximum load, (2) then the fewest
facilitators at that maximum, (3) then, of all assignments that are optimal for (1) and (2), the
one whose sorted list of (committee id, facilitator id) pairs is lexicographically smallest:
committees in id order each get the lowest facilitator ids that still allow an optimum.

The model is a bipartite b-matching. Its constraint matrix is a network matrix, so every stage
is an integral maximum-flow problem and is solved exactly here (Edmonds and Karp, "Theoretical
improvements in algorithmic efficiency for network flow problems", J. ACM 19(2), 1972), without
a MILP solver and without floating point. When no assignment exists, the max-flow/min-cut
theorem gives a set of committees whose demand exceeds what the facilitators allowed to guide
them can offer (Hall's condition, P. Hall 1935), and that set is what the error names.
See docs/methods/facilitator-assignment.md.
"""

from __future__ import annotations

import enum
import itertools
import unicodedata
from collections import deque
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from samenspraak.core.errors import InputError, Location


@dataclass(frozen=True)
class Facilitator:
    id: str
    name: str
    department: str
    capacity: int = 1  # the most committees this person guides


@dataclass(frozen=True)
class CommitteeNeed:
    id: str
    name: str
    owning_department: str  # blank: no department owns the theme
    facilitators_needed: int = 1


class ExplanationKind(enum.StrEnum):
    ASSIGNED = "assigned"  # chosen by the optimisation, within every rule
    OVERRIDE = "override"  # fixed by staff, not from the owning department
    OVERRIDE_SAME_DEPARTMENT = "override_same_department"  # fixed by staff against the rule


@dataclass(frozen=True)
class Explanation:
    """Why one facilitator guides one committee, in Dutch and English."""

    code: ExplanationKind
    committee_id: str
    facilitator_id: str
    message_nl: str
    message_en: str
    load: int  # the facilitator's number of committees in this assignment
    capacity: int

    @property
    def is_override(self) -> bool:
        return self.code is not ExplanationKind.ASSIGNED


@dataclass(frozen=True)
class Assignment:
    pairs: tuple[tuple[str, str], ...]  # (committee id, facilitator id), sorted
    load: Mapping[str, int]  # every facilitator id (sorted) -> number of committees
    max_load: int
    explanations: tuple[Explanation, ...]  # one per pair, in the order of ``pairs``

    @property
    def at_max_load(self) -> tuple[str, ...]:
        """The ids of the facilitators whose load equals the maximum."""
        return tuple(fid for fid, load in self.load.items() if load == self.max_load)


class AssignmentInfeasible(InputError):
    """No assignment meets every rule; names the committees (and facilitators) concerned.

    For every group of committees named, even those committees alone cannot be served, given
    the facilitators' capacities and the fixed pairs.
    """

    def __init__(
        self,
        *,
        message_nl: str,
        message_en: str,
        committee_ids: tuple[str, ...],
        facilitator_ids: tuple[str, ...] = (),
        location: Location | None = None,
    ) -> None:
        self.committee_ids = committee_ids
        self.facilitator_ids = facilitator_ids
        super().__init__(
            code="assignment_infeasible",
            message_nl=message_nl,
            message_en=message_en,
            location=location,
        )


def department_key(department: str) -> str:
    """A department as compared: Unicode-normalised, without any white space, case-folded."""
    return "".join(unicodedata.normalize("NFKC", department).split()).casefold()


def is_same_department(facilitator_department: str, owning_department: str) -> bool:
    """Whether a facilitator comes from the department that owns a theme.

    A blank owning department means no department owns the theme, so it never matches.
    """
    owner = department_key(owning_department)
    return bool(owner) and owner == department_key(facilitator_department)


def assign_facilitators(
    committees: Sequence[CommitteeNeed],
    facilitators: Sequence[Facilitator],
    *,
    fixed: Mapping[str, Sequence[str]] | None = None,
    forbidden: Mapping[str, Sequence[str]] | None = None,
) -> Assignment:
    """Assign ``facilitators_needed`` distinct facilitators to every committee.

    ``fixed`` and ``forbidden`` map a committee id to facilitator ids. Fixed pairs are always
    used, even against the department rule, and count towards need, load and capacity;
    forbidden pairs are never used. The result depends only on the input's content, not on the
    order of the sequences. Raises ``InputError`` for malformed input and
    ``AssignmentInfeasible`` (code ``assignment_infeasible``) when no assignment exists.
    """
    problem = _Problem(committees, facilitators, fixed or {}, forbidden or {})
    problem.check_fixed_capacity()
    network = problem.network()
    network.set_caps(direct=[f.capacity - problem.fixed_load[j] for j, f in problem.fac_items()])
    if network.augment() < problem.demand:
        raise problem.infeasible(network)

    # Stage 1: the smallest maximum load L. Raising L only adds capacity, so keep augmenting.
    max_load = max([*problem.fixed_load, 1 if problem.demand else 0])
    network = problem.network()
    while True:
        network.set_caps(direct=problem.room(max_load))
        if network.augment() == problem.demand:
            break
        max_load += 1

    # Stage 2: the fewest facilitators at L. A facilitator's first L-1 units go straight to
    # the sink; the L-th goes through one shared node whose capacity K is the number of
    # facilitators allowed to reach L (besides those whose fixed pairs already put them at L).
    network = problem.network()
    network.set_caps(
        direct=problem.room(max_load - 1),
        top=[
            1 if f.capacity >= max_load and problem.fixed_load[j] < max_load else 0
            for j, f in problem.fac_items()
        ],
        top_total=0,
    )
    while network.augment() < problem.demand:
        network.set_caps(top_total=network.capacity[network.top_total] + 1)

    # Stage 3: the lexicographically smallest pairs. Walk the candidate pairs in order; keep a
    # pair when the current flow uses it or a residual cycle through it exists (then push the
    # cycle), otherwise rule it out. Kept pairs are locked, so later cycles cannot undo them.
    for i, _ in enumerate(problem.committees):
        chosen = 0
        for edge in network.committee_arcs[i]:
            if chosen < problem.need_left[i] and (
                network.flow[edge] == 1 or network.push_cycle_through(edge)
            ):
                network.lock(edge)
                chosen += 1
            else:
                network.exclude(edge)
    return problem.result(network)


# --- the model -----------------------------------------------------------------------------

_SOURCE, _SINK, _TOP = 0, 1, 2


class _Problem:
    """Validated input in id order: committees, facilitators, fixed and candidate pairs."""

    def __init__(
        self,
        committees: Sequence[CommitteeNeed],
        facilitators: Sequence[Facilitator],
        fixed: Mapping[str, Sequence[str]],
        forbidden: Mapping[str, Sequence[str]],
    ) -> None:
        self.committees = sorted(committees, key=lambda c: c.id)
        self.facilitators = sorted(facilitators, key=lambda f: f.id)
        _check_unique("committees", [c.id for c in self.committees])
        _check_unique("facilitators", [f.id for f in self.facilitators])
        for c in self.committees:
            if c.facilitators_needed < 0:
                raise _negative("committees", c.id, c.facilitators_needed)
        for f in self.facilitators:
            if f.capacity < 0:
                raise _negative("facilitators", f.id, f.capacity)
        self.c_index = {c.id: i for i, c in enumerate(self.committees)}
        self.f_index = {f.id: j for j, f in enumerate(self.facilitators)}
        self.fixed = self._pairs("fixed", fixed)
        self.forbidden = self._pairs("forbidden", forbidden)
        for i, j in sorted(self.fixed & self.forbidden):
            c, f = self.committees[i], self.facilitators[j]
            raise InputError(
                code="assignment_fixed_forbidden",
                message_nl=f"{f.name} is bij '{c.name}' zowel vastgelegd als uitgesloten.",
                message_en=f"{f.name} is both fixed to and excluded from '{c.name}'.",
                location=Location(field="fixed"),
            )
        fixed_count = [0] * len(self.committees)
        self.fixed_load = [0] * len(self.facilitators)
        for i, j in self.fixed:
            fixed_count[i] += 1
            self.fixed_load[j] += 1
        for i, c in enumerate(self.committees):
            if fixed_count[i] > c.facilitators_needed:
                raise InputError(
                    code="assignment_too_many_fixed",
                    message_nl=f"Bij '{c.name}' zijn {_count_nl(fixed_count[i])} "
                    f"vastgelegd, maar het comité heeft er {c.facilitators_needed} nodig.",
                    message_en=f"{_count_en(fixed_count[i])} are fixed to '{c.name}', but "
                    f"the committee needs {c.facilitators_needed}.",
                    location=Location(field="fixed"),
                )
        self.need_left = [
            c.facilitators_needed - fixed_count[i] for i, c in enumerate(self.committees)
        ]
        self.demand = sum(self.need_left)
        # Per committee, the facilitators the optimisation may choose (fixed pairs are given).
        self.candidates = [
            [
                j
                for j in range(len(self.facilitators))
                if (i, j) not in self.fixed and self.why_not(i, j) is None
            ]
            for i in range(len(self.committees))
        ]

    def fac_items(self) -> list[tuple[int, Facilitator]]:
        return list(enumerate(self.facilitators))

    def _pairs(self, field: str, mapping: Mapping[str, Sequence[str]]) -> set[tuple[int, int]]:
        pairs: set[tuple[int, int]] = set()
        for cid in sorted(mapping):
            fids = mapping[cid]
            if isinstance(fids, str):
                raise InputError(
                    code="assignment_invalid_pairs",
                    message_nl=f"Geef bij comité {cid} een lijst van procesbegeleiders, "
                    "geen losse tekst.",
                    message_en=f"Give a list of facilitators for committee {cid}, not a string.",
                    location=Location(field=field),
                )
            if cid not in self.c_index:
                raise _unknown(field, "Onbekend comité", "Unknown committee", cid)
            for fid in fids:
                if fid not in self.f_index:
                    raise _unknown(field, "Onbekende procesbegeleider", "Unknown facilitator", fid)
                pair = (self.c_index[cid], self.f_index[fid])
                if pair in pairs:
                    raise InputError(
                        code="assignment_duplicate_pair",
                        message_nl=f"Procesbegeleider {fid} staat twee keer bij comité {cid}.",
                        message_en=f"Facilitator {fid} is listed twice for committee {cid}.",
                        location=Location(field=field),
                    )
                pairs.add(pair)
        return pairs

    def why_not(self, i: int, j: int) -> str | None:
        """Why facilitator j may not be chosen for committee i (fixed pairs aside), or None."""
        c, f = self.committees[i], self.facilitators[j]
        if (i, j) in self.forbidden:
            return "forbidden"
        if is_same_department(f.department, c.owning_department):
            return "department"
        if f.capacity - self.fixed_load[j] <= 0:
            return "full"
        return None

    def room(self, level: int) -> list[int]:
        """Per facilitator, how many more committees fit below load ``level``."""
        return [max(0, min(f.capacity, level) - self.fixed_load[j]) for j, f in self.fac_items()]

    def network(self) -> _Network:
        n_c, n_f = len(self.committees), len(self.facilitators)
        network = _Network(3 + n_c + n_f)
        for i in range(n_c):
            network.add_edge(_SOURCE, 3 + i, self.need_left[i])
            network.committee_arcs.append(
                [network.add_edge(3 + i, 3 + n_c + j, 1) for j in self.candidates[i]]
            )
        for j in range(n_f):
            network.direct.append(network.add_edge(3 + n_c + j, _SINK, 0))
            network.top.append(network.add_edge(3 + n_c + j, _TOP, 0))
        network.top_total = network.add_edge(_TOP, _SINK, 0)
        return network

    def check_fixed_capacity(self) -> None:
        over = [j for j, f in self.fac_items() if self.fixed_load[j] > f.capacity]
        if not over:
            return
        nl: list[str] = []
        en: list[str] = []
        committee_ids: set[str] = set()
        for j in over:
            f = self.facilitators[j]
            names = [self.committees[i].name for i, jj in sorted(self.fixed) if jj == j]
            committee_ids.update(self.committees[i].id for i, jj in self.fixed if jj == j)
            many = len(names) != 1
            nl.append(
                f"{f.name} is handmatig vastgelegd bij {len(names)} "
                f"{'comités' if many else 'comité'} ({_join_nl(_quoted(names))}), maar kan "
                f"er maar {f.capacity} begeleiden."
            )
            en.append(
                f"{f.name} is fixed to {len(names)} {'committees' if many else 'committee'} "
                f"({_join_en(_quoted(names))}), but can guide only {f.capacity}."
            )
        raise AssignmentInfeasible(
            message_nl=" ".join(nl),
            message_en=" ".join(en),
            committee_ids=tuple(sorted(committee_ids)),
            facilitator_ids=tuple(self.facilitators[j].id for j in over),
            location=Location(field="fixed"),
        )

    def infeasible(self, network: _Network) -> AssignmentInfeasible:
        """Explain a maximum flow that falls short: first committees that fail on their own."""
        nl: list[str] = []
        en: list[str] = []
        failing: list[str] = []
        for i, c in enumerate(self.committees):
            reasons: dict[str, list[str]] = {"department": [], "forbidden": [], "full": []}
            available = 0
            for j, f in self.fac_items():
                if (i, j) in self.fixed:
                    continue
                reason = self.why_not(i, j)
                if reason is None:
                    available += 1
                else:
                    reasons[reason].append(f.name)
            if available >= self.need_left[i]:
                continue
            failing.append(c.id)
            got = c.facilitators_needed - self.need_left[i] + available
            text_nl, text_en = _local_reasons(c, reasons, len(self.facilitators))
            nl.append(
                f"'{c.name}' heeft {_count_nl(c.facilitators_needed)} nodig, maar kan er maar "
                f"{got} krijgen: {text_nl}."
            )
            en.append(
                f"'{c.name}' needs {_count_en(c.facilitators_needed)}, but can get only "
                f"{got}: {text_en}."
            )
        if failing:
            return AssignmentInfeasible(
                message_nl=" ".join(nl), message_en=" ".join(en), committee_ids=tuple(failing)
            )
        # Every committee could be served alone, so together they compete: the source side of a
        # minimum cut is a group whose demand exceeds what its eligible facilitators can offer.
        n_c = len(self.committees)
        reached = network.reachable(_SOURCE)
        group = [i for i in range(n_c) if 3 + i in reached]
        eligible = sorted(
            {network.head[e] - 3 - n_c for i in group for e in network.committee_arcs[i]}
        )
        offer = sum(
            self.facilitators[j].capacity - self.fixed_load[j]
            for j in eligible
            if 3 + n_c + j in reached
        ) + sum(
            1 for i in group for e in network.committee_arcs[i] if network.head[e] not in reached
        )
        need = sum(self.need_left[i] for i in group)
        assert need > offer  # max-flow/min-cut: this is what makes the flow fall short
        c_names = _quoted([self.committees[i].name for i in group])
        f_names = [self.facilitators[j].name for j in eligible]
        return AssignmentInfeasible(
            message_nl=f"De comités {_join_nl(c_names)} hebben samen nog "
            f"{_count_nl(need)} nodig, maar de procesbegeleiders die hen mogen begeleiden "
            f"({_join_nl(f_names) or 'geen'}) kunnen samen maar {offer} van die plaatsen "
            "innemen. Verhoog een capaciteit, voeg procesbegeleiders toe of hef een "
            "uitsluiting op.",
            message_en=f"The committees {_join_en(c_names)} together still need "
            f"{_count_en(need)}, but the facilitators allowed to guide them "
            f"({_join_en(f_names) or 'none'}) can take only {offer} of those places. Raise a "
            "capacity, add facilitators or lift an exclusion.",
            committee_ids=tuple(self.committees[i].id for i in group),
            facilitator_ids=tuple(self.facilitators[j].id for j in eligible),
        )

    def result(self, network: _Network) -> Assignment:
        n_c = len(self.committees)
        chosen = set(self.fixed)
        for i in range(n_c):
            for edge in network.committee_arcs[i]:
                if network.flow[edge] == 1:
                    chosen.add((i, network.head[edge] - 3 - n_c))
        load = [0] * len(self.facilitators)
        for _, j in chosen:
            load[j] += 1
        explanations = []
        for i, j in sorted(chosen):
            explanations.append(self._explain(i, j, load[j]))
        return Assignment(
            pairs=tuple(
                (self.committees[i].id, self.facilitators[j].id) for i, j in sorted(chosen)
            ),
            load={f.id: load[j] for j, f in self.fac_items()},
            max_load=max(load, default=0),
            explanations=tuple(explanations),
        )

    def _explain(self, i: int, j: int, load: int) -> Explanation:
        c, f = self.committees[i], self.facilitators[j]
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
        if (i, j) in self.fixed:
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


class _Network:
    """A flow network with integer capacities; edge ``e ^ 1`` is the reverse of edge ``e``.

    Nodes: source, sink, the shared top node, then committees, then facilitators. Arcs: source
    to committee (what it still needs), committee to facilitator (1, for candidate pairs only),
    facilitator to sink (``direct``), facilitator to top and top to sink (``top_total``).
    """

    def __init__(self, size: int) -> None:
        self.head: list[int] = []
        self.capacity: list[int] = []
        self.flow: list[int] = []
        self.locked: list[bool] = []
        self.out: list[list[int]] = [[] for _ in range(size)]
        self.committee_arcs: list[list[int]] = []  # per committee, in facilitator id order
        self.direct: list[int] = []
        self.top: list[int] = []
        self.top_total = -1

    def add_edge(self, tail: int, head: int, capacity: int) -> int:
        edge = len(self.head)
        for a, b, cap in ((tail, head, capacity), (head, tail, 0)):
            self.out[a].append(len(self.head))
            self.head.append(b)
            self.capacity.append(cap)
            self.flow.append(0)
            self.locked.append(False)
        return edge

    def set_caps(
        self,
        *,
        direct: Sequence[int] = (),
        top: Sequence[int] = (),
        top_total: int | None = None,
    ) -> None:
        changes = [*zip(self.direct, direct, strict=False), *zip(self.top, top, strict=False)]
        if top_total is not None:
            changes.append((self.top_total, top_total))
        for edge, cap in changes:
            assert cap >= self.flow[edge]
            self.capacity[edge] = cap

    def residual(self, edge: int) -> int:
        return 0 if self.locked[edge] else self.capacity[edge] - self.flow[edge]

    def path(self, start: int, goal: int) -> list[int] | None:
        """A shortest path of edges with residual capacity (breadth first), or None."""
        via: dict[int, int] = {start: -1}
        queue = deque([start])
        while queue:
            node = queue.popleft()
            for edge in self.out[node]:
                nxt = self.head[edge]
                if nxt not in via and self.residual(edge) > 0:
                    via[nxt] = edge
                    if nxt == goal:
                        edges = []
                        while nxt != start:
                            edges.append(via[nxt])
                            nxt = self.head[via[nxt] ^ 1]
                        return edges[::-1]
                    queue.append(nxt)
        return None

    def reachable(self, start: int) -> set[int]:
        seen = {start}
        queue = deque([start])
        while queue:
            node = queue.popleft()
            for edge in self.out[node]:
                if self.head[edge] not in seen and self.residual(edge) > 0:
                    seen.add(self.head[edge])
                    queue.append(self.head[edge])
        return seen

    def push(self, edges: Sequence[int], amount: int) -> None:
        for edge in edges:
            self.flow[edge] += amount
            self.flow[edge ^ 1] -= amount

    def augment(self) -> int:
        """Augment to a maximum flow from source to sink; return the total flow."""
        while (edges := self.path(_SOURCE, _SINK)) is not None:
            self.push(edges, min(self.residual(e) for e in edges))
        return sum(self.flow[e] for e in self.out[_SOURCE])

    def push_cycle_through(self, edge: int) -> bool:
        """Reroute one unit so that ``edge`` (committee to facilitator) carries it, if possible.

        A flow with the edge in use exists iff the residual network has a path from its head
        back to its tail; path plus edge is a cycle, and pushing it keeps every node balanced.
        """
        edges = self.path(self.head[edge], self.head[edge ^ 1])
        if edges is None:
            return False
        self.push([*edges, edge], 1)
        return True

    def lock(self, edge: int) -> None:
        """Keep a used committee-facilitator pair: its flow may no longer be pushed back."""
        assert self.flow[edge] == 1
        self.locked[edge ^ 1] = True

    def exclude(self, edge: int) -> None:
        assert self.flow[edge] == 0
        self.capacity[edge] = 0


# --- messages ------------------------------------------------------------------------------


def _local_reasons(
    c: CommitteeNeed, reasons: Mapping[str, list[str]], total: int
) -> tuple[str, str]:
    nl: list[str] = []
    en: list[str] = []
    owner = c.owning_department.strip()
    if names := reasons["department"]:
        one = len(names) == 1
        nl.append(
            f"{_join_nl(names)} {'komt' if one else 'komen'} van de eigenaar-afdeling {owner}"
        )
        en.append(f"{_join_en(names)} {'is' if one else 'are'} from the owning department {owner}")
    if names := reasons["forbidden"]:
        one = len(names) == 1
        nl.append(f"{_join_nl(names)} {'is' if one else 'zijn'} uitgesloten voor dit comité")
        en.append(f"{_join_en(names)} {'is' if one else 'are'} excluded from this committee")
    if names := reasons["full"]:
        one = len(names) == 1
        nl.append(f"{_join_nl(names)} {'heeft' if one else 'hebben'} geen ruimte meer")
        en.append(f"{_join_en(names)} {'has' if one else 'have'} no capacity left")
    if not nl:
        # Every facilitator is fixed to it or may guide it: there are simply too few.
        if total == 0:
            return "er zijn geen procesbegeleiders", "there are no facilitators"
        verb_nl, verb_en = ("is", "is") if total == 1 else ("zijn", "are")
        return (
            f"er {verb_nl} maar {_count_nl(total)}",
            f"there {verb_en} only {_count_en(total)}",
        )
    return "; ".join(nl), "; ".join(en)


def _count_nl(n: int) -> str:
    return f"{n} procesbegeleider" if n == 1 else f"{n} procesbegeleiders"


def _count_en(n: int) -> str:
    return f"{n} facilitator" if n == 1 else f"{n} facilitators"


def _quoted(names: Sequence[str]) -> list[str]:
    return [f"'{name}'" for name in names]


def _join(items: Sequence[str], word: str) -> str:
    if len(items) <= 1:
        return "".join(items)
    return f"{', '.join(items[:-1])} {word} {items[-1]}"


def _join_nl(items: Sequence[str]) -> str:
    return _join(items, "en")


def _join_en(items: Sequence[str]) -> str:
    return _join(items, "and")


def _check_unique(field: str, ids: Sequence[str]) -> None:
    for earlier, later in itertools.pairwise(ids):
        if earlier == later:
            raise InputError(
                code="assignment_duplicate_id",
                message_nl=f"De id {later} komt twee keer voor.",
                message_en=f"The id {later} appears twice.",
                location=Location(field=field),
            )


def _negative(field: str, id_: str, value: int) -> InputError:
    what_nl = "Het aantal procesbegeleiders" if field == "committees" else "De capaciteit"
    what_en = "The number of facilitators" if field == "committees" else "The capacity"
    return InputError(
        code="assignment_negative_number",
        message_nl=f"{what_nl} van {id_} is {value}; dat moet 0 of meer zijn.",
        message_en=f"{what_en} of {id_} is {value}; it must be 0 or more.",
        location=Location(field=field),
    )


def _unknown(field: str, what_nl: str, what_en: str, id_: str) -> InputError:
    return InputError(
        code="assignment_unknown_id",
        message_nl=f"{what_nl}: {id_}.",
        message_en=f"{what_en}: {id_}.",
        location=Location(field=field),
    )
