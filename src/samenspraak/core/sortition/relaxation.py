"""LEXIMIN the fast way: solve the LP relaxation, then write its point as a lottery of panels.

The panels that meet the quotas are the integer points of a polytope ``P`` (type counts ``n``
with ``Σ n = panel size``, every quota between its bounds, at most one person per shared
household, ``0 <= n_t <= s_t``). A lottery over panels gives type ``t`` the expected count
``E[n_t]``, a point of the convex hull of those integer points, which lies inside ``P``. So the
LEXIMIN over ``P`` itself (``relaxed_leximin``: a handful of linear programmes, milliseconds)
is an upper bound on what any lottery can reach, and when its point ``x*`` can be written as a
lottery of panels, that lottery *is* the LEXIMIN: nothing better exists.

``round_decompose`` tries to write it so: take a panel ``z`` that rounds every fractional
count of the current point ``y`` down or up and keeps every row sum (size, quota, household)
at the floor or ceiling of its current value; move ``y`` away from ``z`` as far as possible,
``y' = (y - λz)/(1 - λ)``, until one more count or row sum becomes a whole number. Each step
makes at least one more value whole, so after at most (types + rows) steps nothing fractional
is left and the last point is itself a panel. The rounding panel is a small MILP; we pick the
one that allows the longest step. When no such rounding exists the attempt stops and the
caller falls back to column generation (``leximin.type_leximin``), which is exact in every
case. See docs/methods/sortition.md.
"""

from __future__ import annotations

import logging
import math
from collections.abc import Callable
from fractions import Fraction

import numpy as np
from scipy.optimize import Bounds, LinearConstraint, linprog, milp  # type: ignore[import-untyped]
from scipy.sparse import csr_array, hstack, vstack  # type: ignore[import-untyped]

from samenspraak.core.sortition.panels import FloatArray, IntArray, PanelProblem

# A dual weight above this marks a type whose relaxed probability cannot rise further.
POSITIVE_WEIGHT = 1e-9
# Probabilities this close together belong to one LEXIMIN level (and to 0 or 1).
CLOSE = 1e-8
# A row sum (in seats) this close to a bound counts as tight at the relaxation's point.
TIGHT = 1e-6
# The rounding first asks for steps of at least these lengths (a fraction of what is left),
# the longest first; 0 accepts any step.
THRESHOLDS = (0.25, 0.0625, 0.015625, 0.0)
# The LP tolerances: tighter than HiGHS' defaults (1e-7), so that x* is exact to ~1e-10.
LP_TOLERANCE = 1e-10

log = logging.getLogger(__name__)


def relaxed_leximin(problem: PanelProblem) -> FloatArray:
    """The LEXIMIN probability of every type over the relaxation ``P`` (counts may be fractional).

    Level by level: maximise ``z`` subject to ``n_t >= z s_t`` for the types not yet fixed and
    ``n_t >= f_t s_t`` for the fixed ones; a type whose constraint has a positive dual weight
    cannot rise above ``z`` in any optimum (complementary slackness) and is fixed there.
    """
    n = problem.n_types
    sizes = problem.sizes
    rows = problem.rows()
    lower, upper = problem.row_bounds()
    # Rows as A_ub x <= b_ub on the variables (n_1..n_T, z): rows <= upper, -rows <= -lower.
    a_rows = hstack([vstack([rows, -rows]), csr_array((2 * rows.shape[0], 1))], format="csr")
    b_rows = np.concatenate([upper, -lower])
    fixed = np.zeros(n)
    is_fixed = np.zeros(n, dtype=bool)
    cost = np.zeros(n + 1)
    cost[-1] = -1.0
    while not is_fixed.all():
        free = np.flatnonzero(~is_fixed)
        # -n_t + s_t z <= 0 for every type not fixed yet.
        a_free = csr_array(
            (
                np.concatenate([-np.ones(len(free)), sizes[free]]),
                (np.tile(np.arange(len(free)), 2), np.concatenate([free, np.full(len(free), n)])),
            ),
            shape=(len(free), n + 1),
        )
        low = np.concatenate([np.where(is_fixed, fixed * sizes, 0.0), [0.0]])
        result = linprog(
            cost,
            A_ub=vstack([a_free, a_rows], format="csr"),
            b_ub=np.concatenate([np.zeros(len(free)), b_rows]),
            bounds=np.column_stack([np.minimum(low, np.append(sizes, 1.0)), np.append(sizes, 1.0)]),
            method="highs-ds",
            options={
                "primal_feasibility_tolerance": LP_TOLERANCE,
                "dual_feasibility_tolerance": LP_TOLERANCE,
            },
        )
        if result.status != 0:
            raise RuntimeError(f"HiGHS failed on the relaxed leximin LP: {result.message}")
        value = float(np.clip(result.x[-1], 0.0, 1.0))
        weights = -np.asarray(result.ineqlin.marginals)[: len(free)]
        newly = free[weights > POSITIVE_WEIGHT]
        if not len(newly):  # all weights tiny after rounding: the largest still marks one
            newly = free[[int(np.argmax(weights))]]
        fixed[newly] = value
        is_fixed[newly] = True
        left = n - int(is_fixed.sum())
        log.debug("relaxed leximin: %d types at %.12f, %d left", len(newly), value, left)
    return fixed


def _row_members(rows: csr_array) -> list[list[int]]:
    return [
        rows.indices[rows.indptr[r] : rows.indptr[r + 1]].tolist() for r in range(rows.shape[0])
    ]


def _bounds(problem: PanelProblem) -> tuple[list[int], list[int]]:
    """``row_bounds()`` as Python integers, for the exact arithmetic."""
    lower, upper = problem.row_bounds()
    return [int(v) for v in lower], [int(v) for v in upper]


def _solve_exactly(equations: list[list[Fraction]], unknowns: int) -> list[Fraction] | None:
    """The unique solution of ``equations`` (rows of coefficients, then the right-hand side)
    by Gaussian elimination in exact fractions; None if there is none or more than one."""
    matrix = [row[:] for row in equations]
    pivot_row = 0
    pivots: list[int] = []
    for column in range(unknowns):
        found = next((r for r in range(pivot_row, len(matrix)) if matrix[r][column]), None)
        if found is None:
            return None  # this unknown is not determined by the tight rows
        matrix[pivot_row], matrix[found] = matrix[found], matrix[pivot_row]
        head = matrix[pivot_row][column]
        matrix[pivot_row] = [value / head for value in matrix[pivot_row]]
        for r in range(len(matrix)):
            if r != pivot_row and matrix[r][column]:
                factor = matrix[r][column]
                matrix[r] = [
                    a - factor * b for a, b in zip(matrix[r], matrix[pivot_row], strict=True)
                ]
        pivots.append(pivot_row)
        pivot_row += 1
    if any(row[-1] for row in matrix[pivot_row:]):
        return None  # inconsistent
    return [matrix[p][-1] for p in pivots]


def exact_target(problem: PanelProblem, target: FloatArray) -> tuple[list[int], int] | None:
    """The relaxation's point in exact arithmetic: counts ``Y_t / D`` with whole numbers.

    The LEXIMIN point gives all types of one level the same probability, so it is fixed by a
    few level values. Those are rational, and the rows that are tight at the point (within
    ``TIGHT``) are linear equations in them with whole coefficients: solved exactly, they give
    the level values as fractions. The result is accepted only if it lies within ``CLOSE`` of
    the solver's values and meets every row exactly; otherwise None.
    """
    order = np.argsort(target, kind="stable")
    groups: list[list[int]] = []
    for t in order.tolist():
        if groups and target[t] - target[groups[-1][0]] <= CLOSE:
            groups[-1].append(t)
        else:
            groups.append([t])
    value: list[Fraction | None] = []
    for members in groups:
        level = float(target[members].mean())
        value.append(
            Fraction(0) if abs(level) <= CLOSE else Fraction(1) if abs(level - 1) <= CLOSE else None
        )
    unknown = [g for g, v in enumerate(value) if v is None]
    column_of = {g: c for c, g in enumerate(unknown)}
    group_of = np.empty(problem.n_types, dtype=np.intp)
    for g, members in enumerate(groups):
        group_of[members] = g
    sizes = [int(s) for s in problem.sizes]
    rows = _row_members(problem.rows())
    lower, upper = _bounds(problem)
    counts = target * problem.sizes
    equations: list[list[Fraction]] = []
    for r, members in enumerate(rows):
        total = float(counts[members].sum())
        if abs(total - lower[r]) <= TIGHT:
            bound = lower[r]
        elif abs(total - upper[r]) <= TIGHT:
            bound = upper[r]
        else:
            continue
        coefficients = [Fraction(0)] * (len(unknown) + 1)
        rest = Fraction(bound)
        for t in members:
            g = int(group_of[t])
            known = value[g]
            if known is None:
                coefficients[column_of[g]] += sizes[t]
            else:
                rest -= known * sizes[t]
        coefficients[-1] = rest
        equations.append(coefficients)
    solution = _solve_exactly(equations, len(unknown)) if unknown else []
    if solution is None:
        return None
    for g, solved in zip(unknown, solution, strict=True):
        if abs(float(solved) - float(target[groups[g]].mean())) > CLOSE:
            return None
        value[g] = solved
    exact = [value[int(group_of[t])] or Fraction(0) for t in range(problem.n_types)]
    denominator = math.lcm(*(v.denominator for v in exact))
    numerators = [int(v * denominator) * sizes[t] for t, v in enumerate(exact)]
    if any(not 0 <= y <= sizes[t] * denominator for t, y in enumerate(numerators)):
        return None
    for r, members in enumerate(rows):
        total = sum(numerators[t] for t in members)
        if not lower[r] * denominator <= total <= upper[r] * denominator:
            return None
    return numerators, denominator


def _rounding(
    rows: csr_array,
    floors: IntArray,
    parts: FloatArray,
    row_floors: IntArray,
    row_parts: FloatArray,
) -> IntArray | None:
    """A panel that rounds the point consistently, as close to it as it can.

    ``floors``/``parts`` are the whole and fractional parts of the counts, ``row_floors``/
    ``row_parts`` those of the row sums (a part of 0 means whole). Binary ``b_t`` rounds
    fractional count ``t`` up; binary ``c_r`` rounds fractional row sum ``r`` up; whole row
    sums stay exactly as they are. The step away from the panel ends where the first value
    reaches the whole number it moves towards, so values close to a whole number should move
    towards it: first every value within 1/4 of a whole number must (the step is then at
    least 1/4), then within 1/16, 1/64, then none must; among the roundings allowed, the
    objective prefers the nearer whole number for every value (weight ``part - 1/2``). This
    asks for long steps without a max-min objective, which HiGHS solves slowly: on the
    1,700-person benchmark 18 s, against 47 s for the longest step itself and 23 s for the
    nearest rounding alone (which, with 300 shared households, took 468 steps and 660 s
    against 110 steps and 52 s). None when no consistent rounding exists.
    """
    frac = np.flatnonzero(parts)
    frac_rows = np.flatnonzero(row_parts)
    whole_rows = np.flatnonzero(row_parts == 0)
    nb, nc = len(frac), len(frac_rows)
    base = rows @ floors
    sub = rows[:, frac]
    constraints = []
    if len(whole_rows):
        target = (row_floors[whole_rows] - base[whole_rows]).astype(np.float64)
        a = hstack([sub[whole_rows], csr_array((len(whole_rows), nc))], format="csr")
        constraints.append(LinearConstraint(a, target, target))
    if nc:
        pick = csr_array((np.ones(nc), (np.arange(nc), np.arange(nc))), shape=(nc, nc))
        a = hstack([sub[frac_rows], -pick], format="csr")
        target = (row_floors[frac_rows] - base[frac_rows]).astype(np.float64)
        constraints.append(LinearConstraint(a, target, target))
    all_parts = np.concatenate([parts[frac], row_parts[frac_rows]])
    cost = -(all_parts - 0.5)
    result = None
    for threshold in THRESHOLDS:
        # Values within `threshold` of a whole number must move towards it: the step is then
        # at least `threshold` long. Try long steps first, shorter ones when none exists.
        low = np.where(all_parts > 1.0 - threshold, 1.0, 0.0)
        high = np.where(all_parts < threshold, 0.0, 1.0)
        result = milp(
            cost,
            integrality=np.ones(nb + nc),
            bounds=Bounds(low, high),
            constraints=constraints,
        )
        if result.x is not None:
            break
    if result is None or result.x is None:
        return None
    up = np.rint(np.asarray(result.x)[:nb]) > 0
    panel = floors.copy()
    panel[frac[up]] += 1
    return panel


def _relaxed_rounding(
    rows: csr_array,
    floors: IntArray,
    parts: FloatArray,
    row_lower: FloatArray,
    row_upper: FloatArray,
) -> IntArray | None:
    """A panel that rounds every fractional count down or up, with the row sums free between
    ``row_lower`` and ``row_upper`` (a row at its bound is given that bound on both sides).

    The second try when no consistent rounding exists: the step then ends where a count
    becomes whole or a row sum reaches its bound. None when no such panel exists either.
    """
    frac = np.flatnonzero(parts)
    base = rows @ floors
    constraints = [LinearConstraint(rows[:, frac], row_lower - base, row_upper - base)]
    result = milp(
        -(parts[frac] - 0.5),
        integrality=np.ones(len(frac)),
        bounds=Bounds(0.0, 1.0),
        constraints=constraints,
    )
    if result.x is None:
        return None
    up = np.rint(np.asarray(result.x)) > 0
    panel = floors.copy()
    panel[frac[up]] += 1
    return panel


def round_decompose(
    problem: PanelProblem,
    numerators: list[int],
    denominator: int,
    *,
    progress: Callable[[str], None] | None = None,
) -> tuple[list[IntArray], list[Fraction], Fraction]:
    """Panels and exact weights whose lottery gives every type the count ``Y_t / D``.

    All arithmetic is on whole numbers: with ``y = Y/D`` and a step ``λ = p/q``,
    ``y' = (y - λz)/(1 - λ) = (q·Y - p·D·z) / (D·(q - p))``, so no rounding error can build
    up. Each step first looks for a consistent rounding (``_rounding``) and, when there is
    none, for a panel that only rounds the counts (``_relaxed_rounding``). Returns the panels,
    their weights and the probability left over: 0 when the lottery is complete, more when
    neither rounding exists.
    """
    rows = problem.rows()
    members = _row_members(rows)
    sizes = [int(s) for s in problem.sizes]
    lower, upper = _bounds(problem)
    y = list(numerators)
    d = denominator
    left = Fraction(1)
    panels: list[IntArray] = []
    weights: list[Fraction] = []
    while True:
        parts = [v % d for v in y]
        if not any(parts):
            panels.append(np.array([v // d for v in y], dtype=np.intp))
            weights.append(left)
            return panels, weights, Fraction(0)
        sums = [sum(y[t] for t in row) for row in members]
        row_parts = [v % d for v in sums]
        floors = np.array([v // d for v in y], dtype=np.intp)
        fractions = np.array([p / d for p in parts])
        panel = _rounding(
            rows,
            floors,
            fractions,
            np.array([v // d for v in sums], dtype=np.intp),
            np.array([p / d for p in row_parts]),
        )
        consistent = panel is not None
        if panel is None:
            at_lower = [sums[r] == lower[r] * d for r in range(len(sums))]
            at_upper = [sums[r] == upper[r] * d for r in range(len(sums))]
            panel = _relaxed_rounding(
                rows,
                floors,
                fractions,
                np.array([upper[r] if at_upper[r] else lower[r] for r in range(len(sums))], float),
                np.array([lower[r] if at_lower[r] else upper[r] for r in range(len(sums))], float),
            )
        if panel is None:
            log.debug(
                "round_decompose: stuck with %s left after %d panels", float(left), len(panels)
            )
            return panels, weights, left
        panel_sums = [int(panel[row].sum()) for row in members]
        if not (
            all(0 <= int(panel[t]) <= sizes[t] for t in range(len(y)))
            and all(lower[r] <= panel_sums[r] <= upper[r] for r in range(len(sums)))
        ):
            raise RuntimeError("a rounding that breaks a row was constructed")
        # The step ends where a count reaches the whole number it moves towards, and a row
        # sum its floor or ceiling (consistent) or its bound (relaxed).
        limits = [
            Fraction(parts[t] if panel[t] > floors[t] else d - parts[t], d)
            for t in range(len(y))
            if parts[t]
        ]
        for r, total in enumerate(sums):
            seated = panel_sums[r] * d
            if seated == total:
                continue
            if consistent:
                limits.append(Fraction(row_parts[r] if seated > total else d - row_parts[r], d))
            elif seated > total:  # the row sum falls towards its lower bound
                limits.append(Fraction(total - lower[r] * d, seated - lower[r] * d))
            else:  # it rises towards its upper bound
                limits.append(Fraction(upper[r] * d - total, upper[r] * d - seated))
        step = min(limits)
        panels.append(panel)
        weights.append(left * step)
        left *= 1 - step
        p, q = step.numerator, step.denominator
        y = [q * v - p * d * int(c) for v, c in zip(y, panel, strict=True)]
        d *= q - p
        common = math.gcd(d, *y)
        if common > 1:
            y = [v // common for v in y]
            d //= common
        if progress is not None and len(panels) % 10 == 0:
            progress(f"{len(panels)} panels, {float(left):.3g} probability left to hand out")
