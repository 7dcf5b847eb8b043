"""The flow network behind facilitator assignment: integral maximum flow by shortest paths.

Edmonds and Karp, "Theoretical improvements in algorithmic efficiency for network flow
problems", J. ACM 19(2), 1972. Capacities are integers, so every flow found is integral and
exact; no floating point, no solver library.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Sequence

# The fixed nodes; committees follow from 3 on, then facilitators.
SOURCE, SINK, TOP = 0, 1, 2


class Network:
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
        while (edges := self.path(SOURCE, SINK)) is not None:
            self.push(edges, min(self.residual(e) for e in edges))
        return sum(self.flow[e] for e in self.out[SOURCE])

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
