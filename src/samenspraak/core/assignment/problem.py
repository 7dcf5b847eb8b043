"""The validated input of facilitator assignment and the flow network built from it.

The model is a bipartite b-matching: source to committee (what it still needs), committee to
facilitator (1, for pairs the rules allow), facilitator to sink. Its constraint matrix is a
network matrix, so every stage of the objective is an integral maximum-flow problem.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from samenspraak.core.assignment.explain import (
    check_unique,
    count_en,
    count_nl,
    explain_pair,
    negative,
    unknown,
)
from samenspraak.core.assignment.flow import SINK, SOURCE, TOP, Network
from samenspraak.core.assignment.model import (
    Assignment,
    CommitteeNeed,
    Facilitator,
    is_same_department,
)
from samenspraak.core.errors import InputError, Location


class Problem:
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
        check_unique("committees", [c.id for c in self.committees])
        check_unique("facilitators", [f.id for f in self.facilitators])
        for c in self.committees:
            if c.facilitators_needed < 0:
                raise negative("committees", c.id, c.facilitators_needed)
        for f in self.facilitators:
            if f.capacity < 0:
                raise negative("facilitators", f.id, f.capacity)
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
                    message_nl=f"Bij '{c.name}' zijn {count_nl(fixed_count[i])} "
                    f"vastgelegd, maar het comité heeft er {c.facilitators_needed} nodig.",
                    message_en=f"{count_en(fixed_count[i])} are fixed to '{c.name}', but "
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
                raise unknown(field, "Onbekend comité", "Unknown committee", cid)
            for fid in fids:
                if fid not in self.f_index:
                    raise unknown(field, "Onbekende procesbegeleider", "Unknown facilitator", fid)
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

    def network(self) -> Network:
        n_c, n_f = len(self.committees), len(self.facilitators)
        network = Network(3 + n_c + n_f)
        for i in range(n_c):
            network.add_edge(SOURCE, 3 + i, self.need_left[i])
            network.committee_arcs.append(
                [network.add_edge(3 + i, 3 + n_c + j, 1) for j in self.candidates[i]]
            )
        for j in range(n_f):
            network.direct.append(network.add_edge(3 + n_c + j, SINK, 0))
            network.top.append(network.add_edge(3 + n_c + j, TOP, 0))
        network.top_total = network.add_edge(TOP, SINK, 0)
        return network

    def result(self, network: Network) -> Assignment:
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
            explanations.append(explain_pair(self, i, j, load[j]))
        return Assignment(
            pairs=tuple(
                (self.committees[i].id, self.facilitators[j].id) for i, j in sorted(chosen)
            ),
            load={f.id: load[j] for j, f in self.fac_items()},
            max_load=max(load, default=0),
            explanations=tuple(explanations),
        )
