"""The set of feasible panels as a mixed-integer programme: size, quotas, households.

Every algorithm asks the same question of it: "which feasible panel has the largest total
weight?" (HiGHS through ``scipy.optimize.milp``). When no panel is feasible, it also finds
which quotas clash and the smallest change of the bounds that makes them hold together.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence

import numpy as np
from numpy.typing import NDArray
from scipy.optimize import Bounds, LinearConstraint, milp  # type: ignore[import-untyped]
from scipy.sparse import csr_array, hstack, vstack  # type: ignore[import-untyped]

from samenspraak.core.errors import InputError
from samenspraak.core.sortition.highs import int32, new_solver, optimal
from samenspraak.core.sortition.model import InfeasibleQuotas, Person, Quota

# A relative MIP gap this small makes the pricing step exact for our purposes: its weights
# sum to at most 1, so the absolute error stays far below the 1e-8 improvement threshold.
MIP_REL_GAP = 1e-10
MIP_ABS_GAP = 1e-11

FloatArray = NDArray[np.float64]
IntArray = NDArray[np.intp]


def validate(people: Sequence[Person], quotas: Sequence[Quota], panel_size: int) -> None:
    """Refuse inconsistent input given as objects (the CSV readers check their files)."""
    seen_quotas: set[tuple[str, str]] = set()
    values: dict[str, set[str]] = defaultdict(set)
    for quota in quotas:
        key = (quota.feature, quota.value)
        if key in seen_quotas:
            raise InputError(
                code="duplicate_quota",
                message_nl=f"Het quotum {quota.feature}={quota.value} staat er twee keer in.",
                message_en=f"The quota {quota.feature}={quota.value} appears twice.",
            )
        seen_quotas.add(key)
        if not 0 <= quota.min <= quota.max:
            raise InputError(
                code="quota_bounds",
                message_nl=f"Quotum {quota.describe()}: nodig is 0 <= min <= max.",
                message_en=f"Quota {quota.describe()}: 0 <= min <= max is required.",
            )
        values[quota.feature].add(quota.value)
    if panel_size < 1:
        raise InputError(
            code="panel_size",
            message_nl=f"De panelgrootte moet minstens 1 zijn, niet {panel_size}.",
            message_en=f"The panel size must be at least 1, not {panel_size}.",
        )
    ids: set[str] = set()
    for person in people:
        if person.id in ids:
            raise InputError(
                code="duplicate_id",
                message_nl=f"De id '{person.id}' komt twee keer voor.",
                message_en=f"The id '{person.id}' appears twice.",
            )
        ids.add(person.id)
        for feature, allowed in values.items():
            value = person.features.get(feature)
            if value not in allowed:
                shown = ", ".join(sorted(allowed))
                raise InputError(
                    code="unknown_value",
                    message_nl=f"'{person.id}' heeft voor '{feature}' de waarde '{value}'; "
                    f"toegestaan: {shown}.",
                    message_en=f"'{person.id}' has '{value}' for '{feature}'; allowed: {shown}.",
                )


class PanelProblem:
    """Panels of ``panel_size`` people out of ``people`` that meet every quota and household rule.

    People with the same value for every quota feature who share a household with nobody
    else in the pool are interchangeable: no constraint tells them apart. They form one
    *type*, and the programmes count how many of each type a panel takes, which keeps them
    small. Someone who shares a household with another person in the pool is a type alone.
    """

    def __init__(self, people: Sequence[Person], quotas: Sequence[Quota], panel_size: int) -> None:
        validate(people, quotas, panel_size)
        self.people = list(people)
        self.quotas = list(quotas)
        self.panel_size = panel_size
        self.n = len(self.people)
        features = sorted({q.feature for q in self.quotas})
        households: dict[str, list[int]] = defaultdict(list)
        for i, person in enumerate(self.people):
            if person.household:
                households[person.household].append(i)
        shared = {i for group in households.values() if len(group) > 1 for i in group}
        by_key: dict[tuple[str, ...], list[int]] = {}
        type_members: list[list[int]] = []
        for i, person in enumerate(self.people):
            if i in shared:
                type_members.append([i])
                continue
            key = tuple(person.features[f] for f in features)
            if key not in by_key:
                by_key[key] = []
                type_members.append(by_key[key])
            by_key[key].append(i)
        self.types: list[IntArray] = [np.array(m, dtype=np.intp) for m in type_members]
        self.type_of = np.empty(self.n, dtype=np.intp)
        for t, members in enumerate(self.types):
            self.type_of[members] = t
        self.sizes = np.array([len(m) for m in self.types], dtype=np.float64)
        self.n_types = n_types = len(self.types)
        rows: list[int] = []
        cols: list[int] = []
        for q_index, quota in enumerate(self.quotas):
            for t, members in enumerate(self.types):
                if self.people[members[0]].features.get(quota.feature) == quota.value:
                    rows.append(q_index)
                    cols.append(t)
        self.membership = csr_array(
            (np.ones(len(rows)), (rows, cols)), shape=(len(self.quotas), n_types)
        )
        groups = [group for group in households.values() if len(group) > 1]
        h_rows = [r for r, group in enumerate(groups) for _ in group]
        h_cols = [int(self.type_of[i]) for group in groups for i in group]
        self.household_matrix = csr_array(
            (np.ones(len(h_cols)), (h_rows, h_cols)), shape=(len(groups), n_types)
        )
        self.n_households = len(groups)
        self.mins = np.array([q.min for q in self.quotas], dtype=np.float64)
        self.maxs = np.array([q.max for q in self.quotas], dtype=np.float64)
        self._pricing: Pricing | None = None
        # Per person (for the legacy algorithm and checks): quota x person, and households.
        self.person_membership = np.zeros((len(self.quotas), self.n), dtype=bool)
        for q_index, quota in enumerate(self.quotas):
            for i, person in enumerate(self.people):
                self.person_membership[q_index, i] = person.features[quota.feature] == quota.value
        self._household_of = {i: np.array(group, dtype=np.intp) for group in groups for i in group}

    def _constraints(self, active: NDArray[np.bool_] | None = None) -> list[LinearConstraint]:
        constraints = [
            LinearConstraint(np.ones((1, self.n_types)), self.panel_size, self.panel_size)
        ]
        if self.quotas:
            keep = np.ones(len(self.quotas), dtype=bool) if active is None else active
            if keep.any():
                constraints.append(
                    LinearConstraint(self.membership[keep], self.mins[keep], self.maxs[keep])
                )
        if self.n_households:
            constraints.append(LinearConstraint(self.household_matrix, 0, 1))
        return constraints

    def best_counts(
        self, weights: FloatArray, *, active: NDArray[np.bool_] | None = None
    ) -> IntArray | None:
        """How many of each type the feasible panel of largest total weight takes.

        ``weights`` is the weight of one person of each type. None when no panel is feasible.
        """
        if self.n < self.panel_size:
            return None
        result = milp(
            c=-weights,
            integrality=np.ones(self.n_types),
            bounds=Bounds(0, self.sizes),
            constraints=self._constraints(active),
            options={"mip_rel_gap": MIP_REL_GAP},
        )
        if result.x is None:
            if result.status == 2:  # infeasible
                return None
            raise RuntimeError(f"HiGHS failed on a panel problem: {result.message}")
        counts: IntArray = np.rint(np.asarray(result.x)).astype(np.intp)
        return counts

    def check_panel(self, panel: IntArray) -> None:
        """Refuse a panel that breaks the size, a quota or a household (a bug, not bad input)."""
        seated = self.person_membership[:, panel].sum(axis=1)
        households = [self.people[i].household for i in panel if len(self.household_of(i)) > 1]
        if (
            len(np.unique(panel)) != self.panel_size
            or len(panel) != self.panel_size
            or np.any(seated < self.mins)
            or np.any(seated > self.maxs)
            or len(households) != len(set(households))
        ):
            raise RuntimeError(f"an invalid panel was constructed: {panel.tolist()}")

    def rows(self) -> csr_array:
        """The size row, the quota rows and the household rows in one matrix over the types:
        a panel's row sums are ``rows() @ counts``, bounded by ``row_bounds()``."""
        return vstack(
            [csr_array(np.ones((1, self.n_types))), self.membership, self.household_matrix],
            format="csr",
        )

    def row_bounds(self) -> tuple[FloatArray, FloatArray]:
        """Lower and upper bound of every row of ``rows()`` (whole numbers)."""
        lower = np.concatenate([[self.panel_size], self.mins, np.zeros(self.n_households)])
        upper = np.concatenate([[self.panel_size], self.maxs, np.ones(self.n_households)])
        return lower, upper

    def household_of(self, person: int) -> IntArray:
        """The person and everyone sharing their household."""
        found = self._household_of.get(person)
        return found if found is not None else np.array([person], dtype=np.intp)

    def pricing(self) -> Pricing:
        if self._pricing is None:
            self._pricing = Pricing(self)
        return self._pricing

    def feasible(self, active: NDArray[np.bool_] | None = None) -> bool:
        return self.best_counts(np.zeros(self.n_types), active=active) is not None

    def explain_infeasibility(self) -> InfeasibleQuotas:
        """The quotas that clash and a smallest relaxation of their bounds."""
        relaxation = self._relaxation(respect_flex=True)
        if relaxation is None:
            relaxation = self._relaxation(respect_flex=False)
        changed = [q for q, _, _ in relaxation or []]
        # Deletion filter: drop a quota whenever the rest stays infeasible; what remains is a
        # set in which every quota is needed for the clash. Quotas the relaxation changes are
        # tried last, so that they tend to stay in the set that is shown.
        active = np.ones(len(self.quotas), dtype=bool)
        if self.feasible(np.zeros(len(self.quotas), dtype=bool)):
            order = sorted(range(len(self.quotas)), key=lambda q: self.quotas[q] in changed)
            for q in order:
                active[q] = False
                if self.feasible(active):
                    active[q] = True
        else:
            active[:] = False  # not even the size and households can be met
        conflicts = [quota for quota, keep in zip(self.quotas, active, strict=True) if keep]
        conflicts += [quota for quota in changed if quota not in conflicts]
        return InfeasibleQuotas(
            conflicts=conflicts, relaxation=relaxation or [], panel_size=self.panel_size
        )

    def _relaxation(self, *, respect_flex: bool) -> list[tuple[Quota, int, int]] | None:
        """Minimise the total slack on every min and max (integer seats); None if impossible."""
        n, m = self.n_types, len(self.quotas)
        if self.n < self.panel_size or m == 0:
            return None
        down_limit = np.array(
            [
                q.min - max(0, q.min_flex) if respect_flex and q.min_flex is not None else q.min
                for q in self.quotas
            ],
            dtype=np.float64,
        )
        up_limit = np.array(
            [
                max(0, q.max_flex - q.max)
                if respect_flex and q.max_flex is not None
                else self.panel_size
                for q in self.quotas
            ],
            dtype=np.float64,
        )
        down_limit = np.maximum(down_limit, 0)
        # Variables: x (n people), down slack (m), up slack (m).
        identity = csr_array(np.eye(m))
        zeros = csr_array((m, m))
        lower_rows = hstack([self.membership, identity, zeros])
        upper_rows = hstack([self.membership, zeros, -identity])
        constraints = [
            LinearConstraint(
                np.concatenate([np.ones(n), np.zeros(2 * m)])[None, :],
                self.panel_size,
                self.panel_size,
            ),
            LinearConstraint(lower_rows, self.mins, np.inf),
            LinearConstraint(upper_rows, -np.inf, self.maxs),
        ]
        if self.n_households:
            constraints.append(
                LinearConstraint(
                    hstack([self.household_matrix, csr_array((self.n_households, 2 * m))]), 0, 1
                )
            )
        result = milp(
            c=np.concatenate([np.zeros(n), np.ones(2 * m)]),
            integrality=np.ones(n + 2 * m),
            bounds=Bounds(
                np.zeros(n + 2 * m),
                np.concatenate([self.sizes, down_limit, up_limit]),
            ),
            constraints=constraints,
        )
        if result.x is None:
            return None
        down = np.rint(result.x[n : n + m]).astype(int)
        up = np.rint(result.x[n + m :]).astype(int)
        return [
            (quota, quota.min - int(down[q]), quota.max + int(up[q]))
            for q, quota in enumerate(self.quotas)
            if down[q] or up[q]
        ]


class Pricing:
    """The panel MILP kept in one HiGHS instance; each call only changes the objective."""

    def __init__(self, problem: PanelProblem) -> None:
        self.n_types = n_types = problem.n_types
        solver = new_solver()
        solver.setOptionValue("mip_rel_gap", MIP_REL_GAP)
        solver.setOptionValue("mip_abs_gap", MIP_ABS_GAP)
        solver.setOptionValue("mip_improving_solution_save", True)
        # The model is small and solved hundreds of times: presolve costs more than it saves.
        solver.setOptionValue("presolve", "off")
        solver.addVars(n_types, np.zeros(n_types), problem.sizes.astype(np.float64))
        solver.changeColsIntegrality(
            n_types, int32(np.arange(n_types)), np.ones(n_types, dtype=np.uint8)
        )
        matrix = problem.rows()
        lower, upper = problem.row_bounds()
        solver.addRows(
            len(lower),
            lower.astype(np.float64),
            upper.astype(np.float64),
            matrix.nnz,
            int32(matrix.indptr[:-1]),
            int32(matrix.indices),
            matrix.data.astype(np.float64),
        )
        self.solver = solver
        self.all_columns = int32(np.arange(n_types))

    def best(self, weights: FloatArray) -> list[IntArray]:
        """Type counts of the best feasible panel first, then other good panels HiGHS met."""
        self.solver.changeColsCost(self.n_types, self.all_columns, -weights)
        self.solver.run()
        if not optimal(self.solver):
            raise RuntimeError(
                f"HiGHS did not solve a panel problem: {self.solver.getModelStatus().name}"
            )
        found = [np.rint(np.asarray(self.solver.getSolution().col_value)).astype(np.intp)]
        for saved in self.solver.getSavedMipSolutions():
            found.append(np.rint(np.asarray(saved.col_value)).astype(np.intp))
        return found
