"""LEXIMIN: the distribution over panels that maximises the smallest selection probability,
then the next smallest, and so on.

Flanigan, Gölz, Gupta, Hennig, Procaccia, "Fair algorithms for selecting citizens'
assemblies", Nature 596, 548-552 (2021), methods section "Leximin": column generation over
panels, with a MILP that prices new panels. We run it over *types* of interchangeable people
(see ``PanelProblem``), whose leximin probabilities are necessarily equal, and then turn the
distribution over type counts into one over named panels (``decompose``). See
docs/methods/sortition.md.
"""

from __future__ import annotations

import itertools
import logging
from collections.abc import Callable
from fractions import Fraction

import numpy as np
from numpy.typing import NDArray
from scipy.optimize import linprog  # type: ignore[import-untyped]
from scipy.sparse import csr_array, hstack  # type: ignore[import-untyped]

from samenspraak.core.sortition.highs import INF, int32, new_solver, optimal
from samenspraak.core.sortition.panels import FloatArray, IntArray, PanelProblem
from samenspraak.core.sortition.relaxation import (
    LP_TOLERANCE,
    POSITIVE_WEIGHT,
    exact_target,
    relaxed_leximin,
    round_decompose,
)

# A new panel enters only if it beats the LP's bound by more than this; the smallest
# probability found is then within this distance of the true optimum.
IMPROVEMENT = 1e-9
# Seed for the random weights of the warm-start panels: fixed, so the result is deterministic.
WARM_START_SEED = 20210804
# Weight of the best duals so far in the point where new panels are priced (Wentges).
SMOOTHING = 0.5
# When the panels found miss a fixed level by a rounding error, the levels are lowered by this
# (then ten times more, up to the maximum) so that the next level's LP can be solved.
FIX_SLACK = 1e-11
MAX_FIX_SLACK = 1e-8
# Completing the relaxation's lottery by column generation gives up after this many rounds
# per type (then the level-by-level column generation decides).
LOTTERY_ROUNDS = 2
# Probabilities below this are dropped from the final distribution (then renormalised).
NEGLIGIBLE = 1e-12

log = logging.getLogger(__name__)


class _Columns:
    """Panels found so far as type counts; ``matrix`` holds count / type size per panel."""

    def __init__(self, sizes: FloatArray) -> None:
        self.sizes = sizes
        self.counts: list[IntArray] = []
        self._keys: set[bytes] = set()
        self._rows: list[FloatArray] = []
        self._matrix: FloatArray | None = None

    def add(self, counts: IntArray) -> bool:
        key = counts.tobytes()
        if key in self._keys:
            return False
        self._keys.add(key)
        self.counts.append(counts)
        self._rows.append(counts / self.sizes)
        self._matrix = None
        return True

    def matrix(self) -> FloatArray:
        if self._matrix is None:
            self._matrix = np.array(self._rows)
        return self._matrix


def _cover(problem: PanelProblem, columns: _Columns) -> NDArray[np.bool_]:
    """Find a panel for every type that is on any feasible panel; return which are on none.

    Each MILP rewards only the types not yet covered (with random weights, so the panels
    differ); when its best panel takes none of them, no feasible panel does.
    """
    rng = np.random.Generator(np.random.PCG64(WARM_START_SEED))
    covered = np.zeros(problem.n_types, dtype=bool)
    for earlier in columns.counts:  # panels found before (the relaxation's attempt)
        covered |= earlier > 0
    while not covered.all():
        weights = np.where(covered, 0.0, 1.0 + rng.random(problem.n_types))
        counts = problem.best_counts(weights)
        if counts is None or covered[counts > 0].all():
            break
        columns.add(counts)
        covered |= counts > 0
    return ~covered


class _Master:
    """The dual of "maximise the smallest probability among unfixed types", kept warm in HiGHS.

    Variables y (one per type, >= 0) and y_hat: minimise y_hat - sum_fixed f_t y_t subject to
    sum_unfixed y_t = 1 and, for every panel P, sum_t y_t P_t / s_t <= y_hat. Its optimum is
    the best smallest probability the panels found so far allow. Adding a panel adds a row,
    so each re-solve starts from the previous basis.
    """

    def __init__(self, n_types: int) -> None:
        self.n_types = n_types
        solver = new_solver()
        # Tighter than HiGHS' defaults (1e-7): the levels are fixed at this LP's values.
        solver.setOptionValue("primal_feasibility_tolerance", LP_TOLERANCE)
        solver.setOptionValue("dual_feasibility_tolerance", LP_TOLERANCE)
        solver.addVars(
            n_types + 1,
            np.concatenate([np.zeros(n_types), [-INF]]),
            np.full(n_types + 1, INF),
        )
        solver.changeColsCost(1, int32([n_types]), np.array([1.0]))
        solver.addRows(
            1,
            np.array([1.0]),
            np.array([1.0]),
            n_types,
            int32([0]),
            int32(np.arange(n_types)),
            np.ones(n_types),
        )
        self.solver = solver

    def add_panel(self, fractions: FloatArray) -> None:
        types = np.flatnonzero(fractions)
        self.solver.addRows(
            1,
            np.array([-INF]),
            np.array([0.0]),
            len(types) + 1,
            int32([0]),
            int32(np.concatenate([types, [self.n_types]])),
            np.concatenate([fractions[types], [-1.0]]),
        )

    def fix(self, types: IntArray, value: float) -> None:
        for t in types:
            self.solver.changeCoeff(0, int(t), 0.0)
        self.solver.changeColsCost(len(types), int32(types), np.full(len(types), -value))

    def solve(self) -> tuple[FloatArray, float, float]:
        """(y, y_hat, objective). Raises ``_Unbounded`` when the fixed values cannot all be
        met by the panels found (rounding in the previous level's LP), RuntimeError otherwise."""
        self.solver.run()
        if self.solver.getModelStatus().name in ("kUnbounded", "kUnboundedOrInfeasible"):
            raise _Unbounded
        if not optimal(self.solver):
            raise RuntimeError(
                f"HiGHS did not solve the leximin LP: {self.solver.getModelStatus().name}"
            )
        x = np.asarray(self.solver.getSolution().col_value)
        objective = float(self.solver.getInfo().objective_function_value)
        return x[: self.n_types], float(x[self.n_types]), objective


class _Unbounded(Exception):
    """The master LP is unbounded: its dual (the probabilities) cannot meet the fixed values."""


def _converge(
    problem: PanelProblem,
    columns: _Columns,
    master: _Master,
    fixed: FloatArray,
    is_fixed: NDArray[np.bool_],
) -> tuple[FloatArray, float]:
    """Add panels until none improves the master LP; return its dual weights and value.

    Pricing exactly at the LP's duals converges slowly (the duals jump about). As in
    Wentges' smoothing (1997), price at a point between them and the best duals seen so far
    (the ones with the lowest Lagrangian bound); only when that finds no panel that improves
    the LP is the LP's own dual priced, so the test that ends the loop stays exact.
    """
    pricing = problem.pricing()
    sizes = problem.sizes
    center: FloatArray | None = None
    best_bound = np.inf
    while True:
        y, y_hat, value = master.solve()
        alpha = SMOOTHING if center is not None else 0.0
        added = 0
        while True:
            point = y if center is None or alpha == 0.0 else alpha * center + (1 - alpha) * y
            found = pricing.best(point / sizes)
            # Every dual point gives an upper bound on the LP over all panels.
            bound = float((point / sizes) @ found[0]) - float(fixed[is_fixed] @ point[is_fixed])
            if bound < best_bound:
                best_bound, center = bound, point
            per_person = y / sizes
            for counts in found:
                if float(per_person @ counts) > y_hat + IMPROVEMENT and columns.add(counts):
                    master.add_panel(counts / sizes)
                    added += 1
            if added or alpha == 0.0:
                break
            alpha = 0.0  # mispricing: price the LP's own duals
        log.debug("  LP %.9f, bound %.9f, %d panels added", value, best_bound, added)
        if not added:
            return y, value


def type_leximin(
    problem: PanelProblem, *, progress: Callable[[str], None] | None = None
) -> tuple[list[IntArray], FloatArray]:
    """Type counts of panels and their probabilities (summing to 1): the LEXIMIN distribution.

    Every person of type t is selected with probability sum_k lambda_k counts_k[t] / s_t.

    First the fast way (``relaxation``): the LEXIMIN of the LP relaxation is an upper bound,
    and when a lottery of panels reaches it (within ``IMPROVEMENT`` for every type) that
    lottery is the LEXIMIN. Otherwise column generation computes it exactly, starting from the
    panels the fast way found.
    """
    say = progress or (lambda line: None)
    say(f"{problem.n} people in {problem.n_types} types; LEXIMIN of the relaxation")
    target = relaxed_leximin(problem)
    exact = exact_target(problem, target)
    panels: list[IntArray] = []
    if exact is None:
        say("the relaxation's levels could not be made exact; column generation, level by level")
        return _column_generation(problem, panels, say)
    say(f"relaxation: smallest probability {target.min():.6f}; writing it as a lottery of panels")
    panels, weights, left = round_decompose(problem, *exact, progress=say)
    if not left:
        merged: dict[bytes, tuple[IntArray, Fraction]] = {}
        for counts, weight in zip(panels, weights, strict=True):
            previous = merged.get(counts.tobytes())
            merged[counts.tobytes()] = (counts, weight + (previous[1] if previous else 0))
        # Panels with a negligible weight would vanish in ``decompose``: drop them here.
        kept = [(counts, float(w)) for counts, w in merged.values() if w >= NEGLIGIBLE]
        found = [counts for counts, _ in kept]
        shares = np.array([weight for _, weight in kept])
        shares /= shares.sum()
        reached = (shares @ np.array(found)) / problem.sizes
        if np.all(reached >= target - IMPROVEMENT):
            log.debug("leximin: the relaxation's point as %d panels", len(found))
            return found, shares
    say(f"no rounding found with {float(left):.3g} left; completing the lottery")
    completed = _complete_lottery(problem, target, panels, say)
    if completed is not None:
        log.debug("leximin: the relaxation's point completed as %d panels", len(completed[0]))
        return completed
    log.debug("leximin: relaxation not reached; column generation, level by level")
    say("the relaxation cannot be reached; column generation, level by level")
    return _column_generation(problem, panels, say)


class _Lottery:
    """ "Write the target as a lottery over the panels found", kept warm in HiGHS.

    Variables ``e_t >= 0`` (probability type t misses) and ``λ_P >= 0`` per panel: minimise
    ``Σ s_t e_t`` subject to ``Σ_P λ_P P_t / s_t + e_t >= x_t`` and ``Σ λ = 1``. Adding a panel
    adds a column; its duals ``π_t`` lie in ``[0, s_t]``, which keeps them steady.
    """

    def __init__(self, target: FloatArray, sizes: FloatArray) -> None:
        n = len(target)
        self.n = n
        self.sizes = sizes
        solver = new_solver()
        solver.setOptionValue("primal_feasibility_tolerance", LP_TOLERANCE)
        solver.setOptionValue("dual_feasibility_tolerance", LP_TOLERANCE)
        solver.addVars(n, np.zeros(n), np.full(n, INF))
        solver.changeColsCost(n, int32(np.arange(n)), sizes.astype(np.float64))
        lower = np.concatenate([target, [1.0]])
        upper = np.concatenate([np.full(n, INF), [1.0]])
        starts = int32(np.arange(n + 1))
        index = int32(np.arange(n))
        # Row t holds e_t; the last row (sum of lambdas) has no entry yet.
        solver.addRows(n + 1, lower, upper, n, starts, index, np.ones(n))
        self.solver = solver
        self.columns: list[IntArray] = []

    def add(self, counts: IntArray) -> None:
        types = np.flatnonzero(counts)
        self.solver.addCol(
            0.0,
            0.0,
            INF,
            len(types) + 1,
            int32(np.concatenate([types, [self.n]])),
            np.concatenate([counts[types] / self.sizes[types], [1.0]]),
        )
        self.columns.append(counts)

    def solve(self) -> tuple[float, FloatArray, float, FloatArray]:
        """(missing, π per type, μ, λ per panel)."""
        self.solver.run()
        if not optimal(self.solver):
            raise RuntimeError(
                f"HiGHS did not solve the lottery LP: {self.solver.getModelStatus().name}"
            )
        solution = self.solver.getSolution()
        duals = np.asarray(solution.row_dual)
        values = np.asarray(solution.col_value)
        missing = float(self.solver.getInfo().objective_function_value)
        return missing, duals[: self.n], float(duals[self.n]), values[self.n :]


def _complete_lottery(
    problem: PanelProblem,
    target: FloatArray,
    start: list[IntArray],
    progress: Callable[[str], None],
) -> tuple[list[IntArray], FloatArray] | None:
    """A lottery over panels that gives every type ``target`` (within ``IMPROVEMENT``), by
    column generation from the ``start`` panels; None when no such lottery exists (the
    relaxation promised more than panels can give) or it takes more than ``LOTTERY_ROUNDS``.
    """
    lottery = _Lottery(target, problem.sizes)
    seen: set[bytes] = set()
    for counts in start:
        if counts.tobytes() not in seen:
            seen.add(counts.tobytes())
            lottery.add(counts)
    pricing = problem.pricing()
    sizes = problem.sizes
    if not seen:  # the LP needs one panel to start from: the one nearest the target
        first = pricing.best(target)[0]
        seen.add(first.tobytes())
        lottery.add(first)
    missing = np.inf
    for round_ in range(LOTTERY_ROUNDS * problem.n_types):
        missing, duals, convexity, _ = lottery.solve()
        if missing <= IMPROVEMENT:
            break
        added = 0
        for counts in pricing.best(duals / sizes):
            # Reduced cost of a new panel: -(Σ π_t P_t / s_t + μ); it helps if that is < 0.
            gain = float((duals / sizes) @ counts) + convexity
            if gain > IMPROVEMENT and counts.tobytes() not in seen:
                seen.add(counts.tobytes())
                lottery.add(counts)
                added += 1
        if not added:
            return None  # optimal, and something is still missing: the target is out of reach
        if round_ % 10 == 9:
            progress(f"completing the lottery: {missing:.3g} still missing, {len(seen)} panels")
    else:
        return None
    _, _, _, weights = lottery.solve()
    weights = np.where(weights < NEGLIGIBLE, 0.0, weights)
    keep = np.flatnonzero(weights)
    shares = weights[keep] / weights[keep].sum()
    found = [lottery.columns[j] for j in keep]
    reached = (shares @ np.array(found)) / sizes
    if not np.all(reached >= target - IMPROVEMENT):
        return None
    return found, shares


def _column_generation(
    problem: PanelProblem,
    start: list[IntArray],
    progress: Callable[[str], None] | None = None,
) -> tuple[list[IntArray], FloatArray]:
    """LEXIMIN by column generation, level by level (Flanigan et al.), from ``start`` panels."""
    columns = _Columns(problem.sizes)
    for counts in start:
        columns.add(counts)
    master = _Master(problem.n_types)
    unselectable = _cover(problem, columns)
    for row in columns.matrix():
        master.add_panel(row)
    fixed = np.zeros(problem.n_types)
    is_fixed = unselectable.copy()
    master.fix(np.flatnonzero(unselectable), 0.0)
    slack = 0.0
    while not is_fixed.all():
        try:
            y, value = _converge(problem, columns, master, fixed, is_fixed)
        except _Unbounded:
            # The previous level's value came out of an LP solved to HiGHS' tolerance, so the
            # panels may miss it by a hair. Lower every fixed value by a little more each time.
            slack = FIX_SLACK if slack == 0.0 else 10 * slack
            if slack > MAX_FIX_SLACK:
                raise RuntimeError("HiGHS could not meet the leximin levels found") from None
            lowered = np.flatnonzero(is_fixed & (fixed > 0))
            fixed[lowered] = np.maximum(0.0, fixed[lowered] - slack)
            for t in lowered:
                master.fix(np.array([t]), float(fixed[t]))
            log.debug("leximin: fixed levels lowered by %.0e", slack)
            continue
        # Complementary slackness: a type with positive dual weight has probability `value`
        # in every optimal solution, so it cannot rise; fix it there and go on.
        newly = (~is_fixed) & (y > POSITIVE_WEIGHT)
        if not newly.any():  # numerically all tiny; the largest weight still marks a stuck type
            newly[np.flatnonzero(~is_fixed)[np.argmax(y[~is_fixed])]] = True
        fixed[newly] = max(0.0, value)
        is_fixed |= newly
        master.fix(np.flatnonzero(newly), max(0.0, value))
        if progress is not None:
            progress(
                f"level: {int(newly.sum())} types fixed at {max(0.0, value):.6f}, "
                f"{int((~is_fixed).sum())} types left, {len(columns.counts)} panels"
            )
        log.debug(
            "leximin: fixed %d types at %.9f, %d left, %d panels",
            newly.sum(),
            value,
            (~is_fixed).sum(),
            len(columns.counts),
        )
    return _final_distribution(columns, fixed)


def _final_distribution(columns: _Columns, fixed: FloatArray) -> tuple[list[IntArray], FloatArray]:
    """A distribution over the panels found that gives every type its fixed probability.

    Minimise s subject to p_t + s >= f_t, sum lambda = 1, lambda >= 0 (s absorbs rounding).
    """
    matrix = columns.matrix()
    m, n_types = matrix.shape
    a_ub = hstack([csr_array(-matrix.T), csr_array(-np.ones((n_types, 1)))], format="csr")
    cost = np.concatenate([np.zeros(m), [1.0]])
    a_eq = np.concatenate([np.ones(m), [0.0]])[None, :]
    result = linprog(
        cost,
        A_ub=a_ub,
        b_ub=-fixed,
        A_eq=a_eq,
        b_eq=[1.0],
        bounds=[(0.0, None)] * (m + 1),
        method="highs-ds",  # simplex: a vertex, so at most n_types + 1 panels get weight
        options={
            "primal_feasibility_tolerance": LP_TOLERANCE,
            "dual_feasibility_tolerance": LP_TOLERANCE,
        },
    )
    if result.status != 0:
        raise RuntimeError(f"HiGHS failed on the final leximin LP: {result.message}")
    weights = np.asarray(result.x)[:m]
    weights[weights < NEGLIGIBLE] = 0.0
    weights /= weights.sum()
    keep = np.flatnonzero(weights)
    return [columns.counts[j] for j in keep], weights[keep]


def _transport(members: int, demand: FloatArray, length: FloatArray) -> FloatArray:
    """Split each panel's time among the members of one type: x[j, k] in [0, length_k].

    Column k needs demand_k = count_k * length_k in total; every member gets the same sum.
    A vertex of this transportation polytope (simplex) leaves few x strictly between the
    bounds, and only those cut a panel's time into pieces. Falls back to equal shares.

    The LP is solved in scaled units, u = x / length_k in [0, 1], with each member's row
    divided by their total: panels of tiny weight (1e-7) then keep their full precision.
    """
    k = len(demand)
    each = demand.sum() / members
    counts = demand / length
    # Variables u[j, k] row-major. Rows: per member (sum over k) then per panel (sum over j).
    member_rows = np.repeat(np.arange(members), k)
    panel_rows = members + np.tile(np.arange(k), members)
    a_eq = csr_array(
        (
            np.concatenate([np.tile(length / each, members), np.ones(members * k)]),
            (np.concatenate([member_rows, panel_rows]), np.tile(np.arange(members * k), 2)),
        ),
        shape=(members + k, members * k),
    )
    result = linprog(
        np.zeros(members * k),
        A_eq=a_eq,
        b_eq=np.concatenate([np.ones(members), counts]),
        bounds=(0.0, 1.0),
        method="highs-ds",
        options={"primal_feasibility_tolerance": LP_TOLERANCE},
    )
    if result.status != 0:
        return np.tile(demand / members, (members, 1))
    u = np.clip(np.asarray(result.x).reshape(members, k), 0.0, 1.0)
    u[u < NEGLIGIBLE] = 0.0
    u[u > 1.0 - NEGLIGIBLE] = 1.0
    x: FloatArray = u * length
    return x


def decompose(
    problem: PanelProblem, columns: list[IntArray], weights: FloatArray
) -> list[tuple[IntArray, float]]:
    """Named panels whose distribution gives every person of a type the same probability.

    Panel k of the type distribution takes ``columns[k][t]`` of the ``s_t`` people of type t
    for a time ``weights[k]`` on [0, 1). For each type, ``_transport`` divides that time among
    its people so that all get the same total; within panel k, McNaughton's wrap-around rule
    (1959) then lays the people's shares end to end over ``count`` parallel seats of length
    ``weights[k]``, so nobody holds two seats at once. Where a share ends, the named panel
    changes: at most a few such cuts per person in all, so the support stays small.
    """
    counts = np.array(columns)
    n_columns = len(columns)
    # shares[k] holds, per partly taken type, its members and their shares of panel k's time.
    shares: list[list[tuple[IntArray, FloatArray, int]]] = [[] for _ in range(n_columns)]
    fixed_members: list[list[IntArray]] = [[] for _ in range(n_columns)]
    for t, members in enumerate(problem.types):
        size = len(members)
        taken = counts[:, t]
        for k_full in np.flatnonzero(taken == size):
            fixed_members[int(k_full)].append(members)
        partial = np.flatnonzero((taken > 0) & (taken < size))
        if not len(partial):
            continue
        x = _transport(size, taken[partial] * weights[partial], weights[partial])
        for column, k_partial in enumerate(partial):
            shares[int(k_partial)].append((members, x[:, column], int(taken[k_partial])))
    pieces: dict[bytes, tuple[IntArray, float]] = {}
    for k in range(n_columns):
        length = float(weights[k])
        base = np.concatenate(fixed_members[k]) if fixed_members[k] else np.zeros(0, np.intp)
        layouts = []
        cuts = [0.0, length]
        for members, share, seats in shares[k]:
            full = share >= length
            part = (share > 0) & ~full
            if not part.any():
                base = np.concatenate([base, members[full]])
                continue
            order = np.concatenate([np.flatnonzero(full), np.flatnonzero(part)])
            ends = np.cumsum(share[order])
            layouts.append((members[order], ends, seats))
            cuts.extend(np.mod(ends[:-1], length).tolist())
        grid = np.unique(np.clip(cuts, 0.0, length))
        for start, stop in itertools.pairwise(grid):
            if stop - start <= NEGLIGIBLE:
                continue
            middle = (start + stop) / 2
            chosen = [base]
            for ordered, ends, seats in layouts:
                positions = np.arange(seats) * length + middle
                index = np.minimum(np.searchsorted(ends, positions, side="right"), len(ends) - 1)
                chosen.append(ordered[index])
            panel = np.sort(np.concatenate(chosen))
            key = panel.tobytes()
            previous = pieces.get(key)
            pieces[key] = (panel, (previous[1] if previous else 0.0) + (stop - start))
    for panel, _ in pieces.values():
        problem.check_panel(panel)
    return list(pieces.values())
