"""Close a multi-year budget gap with the package of measures that does the least harm.

A 0-1 integer programme with one binary variable per measure and two covering constraints per
budget year (structural; structural plus incidental), solved exactly with HiGHS (Huangfu and
Hall, "Parallelizing the dual revised simplex method", Math. Prog. Comp. 10, 2018; the MIP
solver of the same project). Money enters the model as whole cents, every package that comes
out is re-checked in ``Decimal`` before it is reported. Method, tie-breaking, the k best
alternatives and the shortfall: docs/methods/budget-optimiser.md.
"""

from __future__ import annotations

import math
from collections.abc import Collection, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from fractions import Fraction
from typing import Any

import numpy as np

from samenspraak.core.budget.model import (
    BudgetResult,
    Gap,
    Measure,
    Objective,
    Package,
    YearBalance,
)
from samenspraak.core.errors import InputError, Location
from samenspraak.core.sortition.highs import INF, int32, new_solver

MAX_DECIMALS = 4  # support and impact scores count to 0.0001 (support: to 0.01 percentage point)
# The integer objective harm * (n + 1) + count stays below this, so that HiGHS's bounds (in
# doubles, with relative tolerances around 1e-9) still tell objective values one apart.
_MAGNITUDE = 2**40
# Measured on the benchmark instances: the RINS and RENS sub-MIP heuristics took most of the
# time on these small covering programmes and found nothing the root heuristics did not.
_OPTIONS = {"mip_heuristic_run_rins": False, "mip_heuristic_run_rens": False}
_INFEASIBLE = {"kInfeasible", "kUnboundedOrInfeasible"}
_CENT = Decimal("0.01")


# --------------------------------------------------------------------------- the problem


@dataclass(frozen=True)
class _Problem:
    """The validated instance in integers: measures sorted by id, money in cents."""

    measures: tuple[Measure, ...]  # sorted by id; column i of the model is measures[i]
    gaps: tuple[Gap, ...]  # sorted by year
    harm: tuple[int, ...]  # harm of each measure in units of 1/scale
    scale: int
    structural: tuple[tuple[int, ...], ...]  # [year][measure] cents
    total: tuple[tuple[int, ...], ...]  # [year][measure] structural + incidental cents
    gap_structural: tuple[int, ...]  # [year] cents
    gap_total: tuple[int, ...]
    lower: tuple[int, ...]  # bounds of each measure's variable: (1, 1) must, (0, 0) must not
    upper: tuple[int, ...]
    groups: tuple[tuple[int, ...], ...]  # exclusive groups with two or more free members

    @property
    def n(self) -> int:
        return len(self.measures)

    @property
    def free(self) -> list[int]:
        return [i for i in range(self.n) if self.lower[i] != self.upper[i]]

    def combined(self) -> list[int]:
        """Integer cost per measure: harm first, then one unit per measure (fewer is better)."""
        weight = self.n + 1
        return [h * weight + 1 for h in self.harm]


def _error(code: str, nl: str, en: str, location: Location | None = None) -> InputError:
    return InputError(code=code, message_nl=nl, message_en=en, location=location)


def _where(measure: Measure, field_name: str | None = None) -> Location:
    source = measure.source or Location()
    return Location(file=source.file, line=source.line, row=source.row, field=field_name)


def _cents(amount: Decimal, where: Location) -> int:
    if not isinstance(amount, Decimal) or not amount.is_finite():
        raise _error(
            "not_an_amount",
            f"'{amount}' is geen bedrag.",
            f"'{amount}' is not an amount.",
            where,
        )
    cents = amount * 100
    if cents != cents.to_integral_value():
        raise _error(
            "too_many_decimals",
            f"'{amount}' heeft meer dan twee cijfers achter de komma.",
            f"'{amount}' has more than two decimals.",
            where,
        )
    return int(cents)


def _scores(measures: Sequence[Measure], objective: Objective) -> list[float | int | None]:
    if objective is Objective.SUPPORT:
        return [m.support for m in measures]
    if objective is Objective.IMPACT:
        return [m.impact for m in measures]
    return [m.people for m in measures]


def _check_scores(measures: Sequence[Measure], objective: Objective) -> list[Fraction]:
    """Validate every score that is present; the objective's own must be present everywhere."""
    for m in measures:
        if m.support is not None and not (
            isinstance(m.support, int | float) and 0 <= m.support <= 1
        ):
            raise _error(
                "support_out_of_range",
                f"Draagvlak {m.support} van voorstel '{m.id}' ligt niet tussen 0 en 1.",
                f"Support {m.support} of proposal '{m.id}' is not between 0 and 1.",
                _where(m, "support"),
            )
        if m.impact is not None and not (math.isfinite(m.impact) and m.impact >= 0):
            raise _error(
                "impact_negative",
                f"Impactscore {m.impact} van voorstel '{m.id}' is geen getal van 0 of meer.",
                f"Impact score {m.impact} of proposal '{m.id}' is not a number of 0 or more.",
                _where(m, "impact"),
            )
        if m.people is not None and not (isinstance(m.people, int) and m.people >= 0):
            raise _error(
                "not_a_count",
                f"Aantal mensen {m.people} van voorstel '{m.id}' is geen geheel getal van 0 "
                "of meer.",
                f"Number of people {m.people} of proposal '{m.id}' is not a whole number of 0 "
                "or more.",
                _where(m, "people"),
            )
    values = _scores(measures, objective)
    missing = [m for m, value in zip(measures, values, strict=True) if value is None]
    if missing:
        names = ", ".join(f"'{m.id}'" for m in missing[:10]) + (" …" if len(missing) > 10 else "")
        label_nl = {"support": "draagvlak", "impact": "impactscore", "people": "aantal mensen"}
        raise _error(
            "missing_score",
            f"Het doel '{objective.value}' heeft van elk voorstel een {label_nl[objective.value]} "
            f"nodig; {len(missing)} voorstel(len) hebben er geen: {names}.",
            f"The objective '{objective.value}' needs a {objective.value} value for every "
            f"proposal; {len(missing)} proposal(s) have none: {names}.",
            _where(missing[0], objective.value),
        )
    present = [v for v in values if v is not None]
    if objective is Objective.SUPPORT:
        return [1 - Fraction(v) for v in present]
    return [Fraction(v) for v in present]


def _harm_units(harm: list[Fraction], n: int) -> tuple[list[int], int]:
    """Integer harm per measure and its scale 10**d: the fewest decimals that are exact."""
    decimals = MAX_DECIMALS
    for d in range(MAX_DECIMALS + 1):
        scaled = [h * 10**d for h in harm]
        # Floats like 0.62 are not exactly 62/100; within 1e-9 of an integer counts as exact.
        if all(abs(s - round(s)) <= Fraction(1, 10**9) * max(1, abs(s)) for s in scaled):
            decimals = d
            break
    while True:
        units = [round(h * 10**decimals) for h in harm]
        if (n + 1) * (sum(units) + 1) < _MAGNITUDE or decimals == 0:
            break
        decimals -= 1
    if (n + 1) * (sum(units) + 1) >= _MAGNITUDE:
        raise _error(
            "scores_too_large",
            "De scores zijn samen te groot om exact te rekenen; gebruik een kleinere schaal.",
            "The scores are too large together to compute exactly; use a smaller scale.",
        )
    return units, 10**decimals


def _problem(
    measures: Sequence[Measure],
    gaps: Sequence[Gap],
    objective: Objective,
    must_include: Collection[str],
    must_exclude: Collection[str],
) -> _Problem:
    objective = Objective(objective)
    seen: dict[str, Measure] = {}
    for m in measures:
        if not m.id:
            raise _error(
                "empty_id", "Een voorstel heeft geen id.", "A proposal has no id.", _where(m, "id")
            )
        if m.id in seen:
            raise _error(
                "duplicate_id",
                f"De id '{m.id}' komt twee keer voor.",
                f"The id '{m.id}' appears twice.",
                _where(m, "id"),
            )
        seen[m.id] = m
    years: set[int] = set()
    for gap in gaps:
        if gap.year in years:
            raise _error(
                "duplicate_year",
                f"Het jaar {gap.year} staat twee keer in het tekort.",
                f"The year {gap.year} appears twice in the gap.",
                Location(field="year"),
            )
        years.add(gap.year)
    for name, ids in (("must_include", must_include), ("must_exclude", must_exclude)):
        for measure_id in ids:
            if measure_id not in seen:
                raise _error(
                    "unknown_proposal",
                    f"Er is geen voorstel met id '{measure_id}' (genoemd bij {name}).",
                    f"There is no proposal with id '{measure_id}' (given in {name}).",
                    Location(field=name),
                )
    both = sorted(set(must_include) & set(must_exclude))
    if both:
        raise _error(
            "include_and_exclude",
            f"Voorstel '{both[0]}' moet tegelijk wel en niet in het pakket; dan is geen pakket "
            "mogelijk.",
            f"Proposal '{both[0]}' must be both in and out of the package; then no package is "
            "possible.",
            Location(field="must_include"),
        )
    ordered = tuple(sorted(measures, key=lambda m: m.id))
    harm_values = _check_scores(ordered, objective)
    harm, scale = _harm_units(harm_values, len(ordered))
    ordered_gaps = tuple(sorted(gaps, key=lambda g: g.year))
    structural: list[tuple[int, ...]] = []
    total: list[tuple[int, ...]] = []
    for gap in ordered_gaps:
        row_s, row_t = [], []
        for m in ordered:
            amounts = m.effects.get(gap.year)
            if amounts is None:
                row_s.append(0)
                row_t.append(0)
                continue
            s = _cents(amounts.structural, _where(m, f"structural_{gap.year}"))
            i = _cents(amounts.incidental, _where(m, f"incidental_{gap.year}"))
            row_s.append(s)
            row_t.append(s + i)
        structural.append(tuple(row_s))
        total.append(tuple(row_t))
    gap_s = [_cents(g.structural, Location(field=f"structural {g.year}")) for g in ordered_gaps]
    gap_i = [_cents(g.incidental, Location(field=f"incidental {g.year}")) for g in ordered_gaps]
    lower = [1 if m.id in must_include else 0 for m in ordered]
    upper = [0 if m.id in must_exclude else 1 for m in ordered]
    members: dict[str, list[int]] = {}
    for i, m in enumerate(ordered):
        if m.group:
            members.setdefault(m.group, []).append(i)
    groups: list[tuple[int, ...]] = []
    for group, indices in sorted(members.items()):
        forced = [i for i in indices if lower[i] == 1]
        if len(forced) > 1:
            a, b = ordered[forced[0]].id, ordered[forced[1]].id
            raise _error(
                "group_conflict",
                f"De voorstellen '{a}' en '{b}' moeten allebei in het pakket, maar ze zitten in "
                f"dezelfde groep '{group}', waarvan er maar één in kan. Zo is geen pakket "
                "mogelijk.",
                f"The proposals '{a}' and '{b}' must both be in the package, but they are in the "
                f"same exclusive group '{group}', of which only one can be chosen. So no package "
                "is possible.",
                _where(ordered[forced[1]], "group"),
            )
        if forced:
            for i in indices:
                if i != forced[0]:
                    upper[i] = 0
            continue
        free = tuple(i for i in indices if upper[i] == 1)
        if len(free) > 1:
            groups.append(free)
    return _Problem(
        measures=ordered,
        gaps=ordered_gaps,
        harm=tuple(harm),
        scale=scale,
        structural=tuple(structural),
        total=tuple(total),
        gap_structural=tuple(gap_s),
        gap_total=tuple(s + i for s, i in zip(gap_s, gap_i, strict=True)),
        lower=tuple(lower),
        upper=tuple(upper),
        groups=tuple(groups),
    )


# --------------------------------------------------------------------------- the model


@dataclass
class _Outcome:
    status: str
    x: list[int] | None  # rounded values of the measure variables, when a solution exists
    bound: float  # the solver's dual bound on the objective
    seconds: float


@dataclass
class _Model:
    """Columns and rows of one integer programme, with the HiGHS instance that solves it.

    Rows added after the first solve go into the same instance, so that re-solves (the next
    alternative after a cut) keep HiGHS's state instead of starting from nothing.
    """

    n: int  # the first n columns are the measures
    lower: list[float]
    upper: list[float]
    cost: list[float]
    options: dict[str, Any]
    rows: list[tuple[list[int], list[float], float, float]] = field(default_factory=list)
    solver: Any = None

    def add_columns(self, count: int, cost: float) -> int:
        """Integer columns >= 0 (the shortfall of each year); before the first solve only."""
        assert self.solver is None
        first = len(self.lower)
        self.lower += [0.0] * count
        self.upper += [INF] * count
        self.cost += [cost] * count
        return first

    def add_row(self, indices: list[int], values: list[float], low: float, high: float) -> int:
        self.rows.append((indices, values, low, high))
        if self.solver is not None:
            self.solver.addRows(
                1,
                np.array([low]),
                np.array([high]),
                len(indices),
                int32([0]),
                int32(indices),
                np.array(values, dtype=np.float64),
            )
        return len(self.rows) - 1

    def _build(self) -> Any:
        solver = new_solver()
        for name, value in self.options.items():
            solver.setOptionValue(name, value)
        columns = len(self.lower)
        solver.addVars(
            columns, np.array(self.lower, dtype=np.float64), np.array(self.upper, dtype=np.float64)
        )
        solver.changeColsCost(columns, int32(np.arange(columns)), np.array(self.cost))
        solver.changeColsIntegrality(
            columns, int32(np.arange(columns)), np.ones(columns, dtype=np.uint8)
        )
        if self.rows:
            starts = np.cumsum([0, *(len(r[0]) for r in self.rows[:-1])])
            indices = [i for r in self.rows for i in r[0]]
            values = [v for r in self.rows for v in r[1]]
            solver.addRows(
                len(self.rows),
                np.array([r[2] for r in self.rows], dtype=np.float64),
                np.array([r[3] for r in self.rows], dtype=np.float64),
                len(indices),
                int32(starts),
                int32(indices),
                np.array(values, dtype=np.float64),
            )
        return solver

    def solve(self, time_limit: float | None) -> _Outcome:
        if time_limit is not None and time_limit <= 0:
            return _Outcome("kTimeLimit", None, -INF, 0.0)
        if self.solver is None:
            self.solver = self._build()
        self.solver.setOptionValue("time_limit", INF if time_limit is None else time_limit)
        self.solver.run()
        status = str(self.solver.getModelStatus().name)
        info = self.solver.getInfo()
        seconds = float(self.solver.getRunTime())
        x = None
        feasible = status == "kOptimal" or int(info.primal_solution_status) == 2
        if feasible and status not in _INFEASIBLE:
            values = np.asarray(self.solver.getSolution().col_value)[: self.n]
            x = [
                int(v) for v in np.clip(np.rint(values), self.lower[: self.n], self.upper[: self.n])
            ]
        return _Outcome(status, x, float(info.mip_dual_bound), seconds)


def _shortfall_unit(problem: _Problem) -> int:
    """The largest number of cents that divides every amount and every gap."""
    everything = [c for row in (*problem.structural, *problem.total) for c in row]
    return math.gcd(*everything, *problem.gap_structural, *problem.gap_total) or 1


def _gap_rows(
    problem: _Problem, *, shortfall: int | None
) -> list[tuple[list[int], list[int], int]]:
    """Two covering rows per year as (columns, integer coefficients, lower bound).

    Every row is divided by the greatest common divisor of its coefficients, and its bound
    rounded up: exact for integer rows, and amounts in whole thousands of euros then give
    rows in thousands, which keeps HiGHS's numbers small. With ``shortfall`` (the first of
    one column per year), that year's column, counted in a common unit of every amount,
    enters both rows of its year.
    """
    unit = _shortfall_unit(problem)
    rows = []
    for y in range(len(problem.gaps)):
        for coefficients, bound in (
            (problem.structural[y], problem.gap_structural[y]),
            (problem.total[y], problem.gap_total[y]),
        ):
            columns = [i for i, c in enumerate(coefficients) if c]
            values = [coefficients[i] for i in columns]
            if shortfall is not None:
                columns.append(shortfall + y)
                values.append(unit)
            divisor = math.gcd(*values) if values else 1
            if divisor > 1:
                values = [v // divisor for v in values]
                bound = -(-bound // divisor)  # ceiling
            if not columns and bound <= 0:
                continue
            rows.append((columns, values, bound))
    return rows


def _costs(problem: _Problem, mip_rel_gap: float) -> list[float]:
    """The objective: harm * (n + 1) + count when solving exactly (fewer measures break ties);
    the harm alone when a gap is allowed, so that HiGHS's gap is the gap on the harm."""
    return [float(c) for c in (problem.combined() if mip_rel_gap == 0 else problem.harm)]


def _base_model(problem: _Problem, *, shortfall: bool, mip_rel_gap: float) -> _Model:
    n = problem.n
    model = _Model(
        n=n,
        lower=[float(v) for v in problem.lower],
        upper=[float(v) for v in problem.upper],
        cost=[0.0] * n if shortfall else _costs(problem, mip_rel_gap),
        options={**_OPTIONS, "mip_rel_gap": mip_rel_gap},
    )
    first = model.add_columns(len(problem.gaps), 1.0) if shortfall else None
    for columns, values, bound in _gap_rows(problem, shortfall=first):
        model.add_row(columns, [float(v) for v in values], float(bound), INF)
    for members in problem.groups:
        model.add_row(list(members), [1.0] * len(members), -INF, 1.0)
    return model


# --------------------------------------------------------------------------- exact checks


def _chosen(x: Sequence[int]) -> list[int]:
    return [i for i, v in enumerate(x) if v]


def _balances(problem: _Problem, chosen: Sequence[int]) -> tuple[YearBalance, ...]:
    """Each year's balance of a package, in Decimal from the measures themselves."""
    balances = []
    for gap in problem.gaps:
        structural = incidental = Decimal("0.00")
        for i in chosen:
            amounts = problem.measures[i].effects.get(gap.year)
            if amounts is not None:
                structural += amounts.structural
                incidental += amounts.incidental
        balances.append(
            YearBalance(
                year=gap.year,
                structural=(structural - gap.structural).quantize(_CENT),
                total=(structural + incidental - gap.total).quantize(_CENT),
            )
        )
    return tuple(balances)


def _keeps_rules(problem: _Problem, x: Sequence[int]) -> bool:
    """Must-include, must-exclude and the exclusive groups hold for x."""
    if any(not problem.lower[i] <= x[i] <= problem.upper[i] for i in range(problem.n)):
        return False
    groups = [m.group for m, v in zip(problem.measures, x, strict=True) if v and m.group]
    return len(groups) == len(set(groups))


def _closes(problem: _Problem, x: Sequence[int]) -> bool:
    return all(b.closed for b in _balances(problem, _chosen(x)))


class SolverError(RuntimeError):
    """HiGHS kept returning packages that exact arithmetic rejects."""


_REPAIRS = 50


def _verified(
    model: _Model, problem: _Problem, outcome: _Outcome, clock: _Clock, *, close: bool
) -> _Outcome:
    """Re-check a solution in exact arithmetic, and exclude it and re-solve when it fails.

    HiGHS accepts a row within a small tolerance relative to the size of its numbers; with
    amounts of many millions in cents, a package one cent short can pass. Such a package is
    removed with a row that excludes exactly it (so no valid package is lost) and the model
    solved again. When HiGHS then proves a package optimal, it is optimal among the packages
    that really close the gap: its value is at most theirs, and it is one of them.
    """
    for _ in range(_REPAIRS):
        x = outcome.x
        if x is None or (_keeps_rules(problem, x) and (not close or _closes(problem, x))):
            return outcome
        ones = _chosen(x)
        model.add_row(
            list(range(problem.n)),
            [1.0 if v else -1.0 for v in x],
            -INF,
            float(len(ones) - 1),
        )
        outcome = model.solve(clock.left)
        clock.spend(outcome)
    raise SolverError("HiGHS kept returning packages that break a constraint in exact arithmetic")


class _Clock:
    """The time budget, counted in HiGHS's own run times (the core reads no clock)."""

    def __init__(self, limit: float | None) -> None:
        self.left = limit

    def spend(self, outcome: _Outcome) -> None:
        if self.left is not None:
            self.left -= outcome.seconds


# --------------------------------------------------------------------------- the solves


def _value(problem: _Problem, x: Sequence[int]) -> int:
    return sum(c for c, v in zip(problem.combined(), x, strict=True) if v)


def _package(problem: _Problem, x: Sequence[int]) -> Package:
    chosen = _chosen(x)
    return Package(
        selected=tuple(problem.measures[i].id for i in chosen),
        objective=sum(problem.harm[i] for i in chosen) / problem.scale,
        balance_per_year=_balances(problem, chosen),
    )


def _harm_gap(problem: _Problem, x: Sequence[int], bound: float, mip_rel_gap: float) -> float:
    """The relative gap on the harm, from HiGHS's bound on its objective (see ``_costs``)."""
    harm = sum(problem.harm[i] for i in _chosen(x))
    if harm == 0:
        return 0.0
    if mip_rel_gap == 0:  # a bound on harm * (n + 1) + count, where count <= n
        bound = (bound - problem.n) / (problem.n + 1)
    lowest = max(0, math.ceil(bound - 1e-6))
    return max(0.0, (harm - lowest) / harm)


def _cut(
    problem: _Problem, x: Sequence[int], *, allow_supersets: bool
) -> tuple[list[int], list[float], float] | None:
    """A row that removes package x and, unless allowed, every package that contains it.

    ``None`` when no other package can exist (every measure is fixed, or x holds only the
    must-include measures and supersets are not allowed).
    """
    free = problem.free
    ones = [i for i in free if x[i]]
    if allow_supersets:
        if not free:
            return None
        return free, [1.0 if x[i] else -1.0 for i in free], float(len(ones) - 1)
    if not ones:
        return None
    return ones, [1.0] * len(ones), float(len(ones) - 1)


def close_gap(
    measures: Sequence[Measure],
    gaps: Sequence[Gap],
    *,
    objective: Objective = Objective.SUPPORT,
    must_include: Collection[str] = (),
    must_exclude: Collection[str] = (),
    alternatives: int = 0,
    mip_rel_gap: float = 0.0,
    time_limit: float | None = None,
    allow_supersets: bool = False,
) -> BudgetResult:
    """The package of least harm that closes every year's gap, and the next best ones.

    A package closes year Y when its structural effects in Y are at least the structural gap
    and its structural plus incidental effects at least the structural plus incidental gap;
    years that are not in ``gaps`` do not count. Harm, by ``objective``: ``support`` sums
    (1 - support), ``impact`` sums the impact scores, ``people`` sums the people affected;
    every measure needs the objective's score. Among packages of equal harm the one with
    fewer measures wins; a remaining tie is decided by HiGHS on the model with the measures
    in id order (the same input gives the same package; see the method page).

    ``alternatives``: how many next-best packages to add, each the best package that does
    not contain every measure of a better one (with ``allow_supersets``: any other package).
    ``mip_rel_gap`` > 0 lets the solver stop within that relative gap on the harm (ties on
    the number of measures are then not broken); ``time_limit`` bounds the solver's seconds
    over all solves.

    When no package closes every year: ``feasible=False`` and the per-year balance of a
    package that falls short by the fewest euros over all years, a year's shortfall being
    the structural savings it would still need (the larger of what its structural and its
    total constraint miss). Raises InputError for contradictory or incomplete input.
    """
    if alternatives < 0:
        raise ValueError("alternatives must be 0 or more")
    if not 0 <= mip_rel_gap < 1:
        raise ValueError("mip_rel_gap must be in [0, 1)")
    if time_limit is not None and time_limit <= 0:
        raise ValueError("time_limit must be positive")
    problem = _problem(measures, gaps, objective, must_include, must_exclude)
    if not problem.free:  # nothing to choose: the package is the must-include measures
        x = list(problem.lower)
        if _closes(problem, x):
            return BudgetResult(True, _package(problem, x), (), None, True, 0.0)
        return BudgetResult(False, None, (), _balances(problem, _chosen(x)), True, 0.0)
    clock = _Clock(time_limit)
    model = _base_model(problem, shortfall=False, mip_rel_gap=mip_rel_gap)
    found: list[list[int]] = []
    proven, gap = False, math.inf
    while len(found) <= alternatives:
        outcome = model.solve(clock.left)
        clock.spend(outcome)
        outcome = _verified(model, problem, outcome, clock, close=True)
        if outcome.x is None:
            if not found and outcome.status in _INFEASIBLE:
                return _shortfall(problem, clock, mip_rel_gap)
            break
        x = outcome.x
        if not found:
            gap = _harm_gap(problem, x, outcome.bound, mip_rel_gap)
            if outcome.status == "kOptimal" and mip_rel_gap == 0:
                gap = 0.0
            proven = outcome.status == "kOptimal" and gap == 0.0
        found.append(x)
        cut = _cut(problem, x, allow_supersets=allow_supersets)
        if cut is None or len(found) > alternatives:
            break
        # Measured: a row "objective >= the bound just proved" made these re-solves slower.
        model.add_row(*cut[:2], -INF, cut[2])
    if not found:
        return BudgetResult(False, None, (), None, False, gap)
    # With a gap allowed, a later solve may find a better package: order by value (stable,
    # so that without a gap, where the values never decrease, nothing moves).
    found.sort(key=lambda v: _value(problem, v))
    packages = [_package(problem, x) for x in found]
    return BudgetResult(True, packages[0], tuple(packages[1:]), None, proven, gap)


def _shortfall(problem: _Problem, clock: _Clock, mip_rel_gap: float) -> BudgetResult:
    """No package closes every year: the balance of one that falls short the least in total.

    One integer column per year holds that year's shortfall (in the common unit of all
    amounts); the model minimises their sum under the same rules.
    """
    model = _base_model(problem, shortfall=True, mip_rel_gap=mip_rel_gap)
    outcome = model.solve(clock.left)
    clock.spend(outcome)
    outcome = _verified(model, problem, outcome, clock, close=False)
    if outcome.x is None:  # the rules were checked, so this is the time limit
        return BudgetResult(False, None, (), None, False, math.inf)
    balances = _balances(problem, _chosen(outcome.x))
    short = sum((b.short for b in balances), Decimal(0))
    proven = outcome.status == "kOptimal" and mip_rel_gap == 0
    gap = 0.0
    if not proven and short > 0:
        units = short * 100 / _shortfall_unit(problem)
        lowest = max(0, math.ceil(outcome.bound - 1e-6))
        gap = max(0.0, float((units - lowest) / units))
    return BudgetResult(False, None, (), balances, proven, gap)
