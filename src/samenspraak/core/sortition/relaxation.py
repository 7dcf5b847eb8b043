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
from collections.abc import Callable

import numpy as np
from scipy.optimize import Bounds, LinearConstraint, linprog, milp  # type: ignore[import-untyped]
from scipy.sparse import csr_array, hstack, vstack  # type: ignore[import-untyped]

from samenspraak.core.sortition.panels import FloatArray, IntArray, PanelProblem

# A dual weight above this marks a type whose relaxed probability cannot rise further.
POSITIVE_WEIGHT = 1e-9
# A count (or row sum) this close to a whole number counts as whole.
WHOLE = 1e-9
# The decomposition stops when less than this much probability is left to hand out.
LEFTOVER = 1e-10
# The LP tolerances: tighter than HiGHS' defaults (1e-7), so that x* is exact to ~1e-10.
LP_TOLERANCE = 1e-10

log = logging.getLogger(__name__)


def _rows(problem: PanelProblem) -> csr_array:
    """Size, quota and household rows, one matrix: row sums of a panel are ``rows @ n``."""
    return vstack(
        [csr_array(np.ones((1, problem.n_types))), problem.membership, problem.household_matrix],
        format="csr",
    )


def relaxed_leximin(problem: PanelProblem) -> FloatArray:
    """The LEXIMIN probability of every type over the relaxation ``P`` (counts may be fractional).

    Level by level: maximise ``z`` subject to ``n_t >= z s_t`` for the types not yet fixed and
    ``n_t >= f_t s_t`` for the fixed ones; a type whose constraint has a positive dual weight
    cannot rise above ``z`` in any optimum (complementary slackness) and is fixed there.
    """
    n = problem.n_types
    sizes = problem.sizes
    rows = _rows(problem)
    lower = np.concatenate([[problem.panel_size], problem.mins, np.zeros(problem.n_households)])
    upper = np.concatenate([[problem.panel_size], problem.maxs, np.ones(problem.n_households)])
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


def _whole(values: FloatArray) -> tuple[FloatArray, FloatArray]:
    """Floors and fractional parts, with values within ``WHOLE`` of a whole number snapped."""
    floors = np.floor(values + WHOLE)
    parts = values - floors
    parts[parts < WHOLE] = 0.0
    return floors, parts


def _rounding(
    problem: PanelProblem, rows: csr_array, y: FloatArray
) -> tuple[IntArray, float] | None:
    """A panel that rounds ``y`` consistently, and the longest step ``λ`` away from it.

    Binary ``b_t`` rounds fractional count ``t`` up; binary ``c_r`` rounds fractional row sum
    ``r`` up; whole row sums stay exactly as they are. Rounding ``t`` up allows a step of at
    most its fractional part, rounding it down at most one minus it (the same for rows): the
    MILP maximises the smallest of these, ``λ``. None when no consistent rounding exists.
    """
    floors, parts = _whole(y)
    frac = np.flatnonzero(parts)
    sums = rows @ y
    sum_floors, sum_parts = _whole(sums)
    frac_rows = np.flatnonzero(sum_parts)
    whole_rows = np.flatnonzero(sum_parts == 0)
    nb, nc = len(frac), len(frac_rows)
    nv = nb + nc + 1  # b, c, λ
    base = rows @ floors
    sub = rows[:, frac]
    constraints = []
    if len(whole_rows):
        target = np.rint(sums[whole_rows]) - base[whole_rows]
        a = hstack([sub[whole_rows], csr_array((len(whole_rows), nc + 1))], format="csr")
        constraints.append(LinearConstraint(a, target, target))
    if nc:
        pick = csr_array((np.ones(nc), (np.arange(nc), np.arange(nc))), shape=(nc, nc))
        a = hstack([sub[frac_rows], -pick, csr_array((nc, 1))], format="csr")
        target = sum_floors[frac_rows] - base[frac_rows]
        constraints.append(LinearConstraint(a, target, target))
    for count, offset, part in ((nb, 0, parts[frac]), (nc, nb, sum_parts[frac_rows])):
        if not count:
            continue
        index = np.arange(count)
        step = csr_array((np.ones(count), (index, np.full(count, nv - 1))), shape=(count, nv))
        choose = csr_array((np.ones(count), (index, offset + index)), shape=(count, nv))
        # Rounded up: λ <= part; rounded down: λ <= 1 - part.
        constraints.append(LinearConstraint(step + choose, -np.inf, 1.0 + part))
        constraints.append(LinearConstraint(step - choose, -np.inf, 1.0 - part))
    cost = np.zeros(nv)
    cost[-1] = -1.0
    result = milp(
        cost,
        integrality=np.concatenate([np.ones(nb + nc), [0.0]]),
        bounds=Bounds(0.0, 1.0),
        constraints=constraints,
    )
    if result.x is None:
        return None
    up = np.rint(np.asarray(result.x)[:nb]) > 0
    panel = floors.copy()
    panel[frac[up]] += 1.0
    counts: IntArray = np.rint(panel).astype(np.intp)
    # The step, recomputed from the panel itself rather than taken from the solver.
    panel_sums = rows @ counts
    limits = np.concatenate(
        [
            parts[frac][up],
            1.0 - parts[frac][~up],
            sum_parts[frac_rows][panel_sums[frac_rows] > sums[frac_rows]],
            1.0 - sum_parts[frac_rows][panel_sums[frac_rows] <= sums[frac_rows]],
        ]
    )
    return counts, float(limits.min(initial=1.0))


def _is_panel(problem: PanelProblem, rows: csr_array, counts: IntArray) -> bool:
    sums = rows @ counts
    lower = np.concatenate([[problem.panel_size], problem.mins, np.zeros(problem.n_households)])
    upper = np.concatenate([[problem.panel_size], problem.maxs, np.ones(problem.n_households)])
    return bool(
        np.all(counts >= 0)
        and np.all(counts <= problem.sizes)
        and np.all(sums >= lower)
        and np.all(sums <= upper)
    )


def round_decompose(
    problem: PanelProblem,
    target: FloatArray,
    *,
    progress: Callable[[str], None] | None = None,
) -> tuple[list[IntArray], FloatArray, float]:
    """Panels and weights whose lottery gives every type (nearly) ``target``.

    Returns the panels, their weights (not yet normalised) and the probability left over: at
    most ``LEFTOVER`` when the decomposition succeeded, more when it got stuck. The residual is
    recomputed from the target each step (not updated in place), so rounding errors do not pile
    up; a panel the solver returns is checked against every row before it is used.
    """
    rows = _rows(problem)
    goal = target * problem.sizes
    panels: list[IntArray] = []
    weights: list[float] = []
    left = 1.0
    y = goal.copy()
    while left > LEFTOVER:
        found = _rounding(problem, rows, y)
        if found is None or not _is_panel(problem, rows, found[0]):
            log.debug("round_decompose: stuck with %.3g left after %d panels", left, len(panels))
            break
        counts, step = found
        weight = left if step >= 1.0 - WHOLE else left * step
        panels.append(counts)
        weights.append(weight)
        left -= weight
        if progress is not None and len(panels) % 10 == 0:
            progress(f"{len(panels)} panels, {left:.3g} probability left to hand out")
        if left <= LEFTOVER:
            break
        residual = goal - np.array(weights) @ np.array(panels)
        y = np.clip(residual / left, 0.0, problem.sizes)
        snapped = np.rint(y)
        close = np.abs(y - snapped) < WHOLE
        y[close] = snapped[close]
    return panels, np.array(weights), max(left, 0.0)
