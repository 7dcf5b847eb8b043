"""The budget optimiser's value objects: measures, gaps, packages and the result."""

from __future__ import annotations

import enum
from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal

from samenspraak.core.errors import Location


class Objective(enum.StrEnum):
    """What a package should do least of: the harm the optimiser minimises."""

    SUPPORT = "support"  # sum of (1 - support): total opposition
    IMPACT = "impact"  # sum of the impact scores staff assign
    PEOPLE = "people"  # number of people affected


@dataclass(frozen=True)
class YearAmounts:
    """One measure's effect in one budget year, in euros: savings positive, costs negative."""

    structural: Decimal
    incidental: Decimal

    @property
    def total(self) -> Decimal:
        return self.structural + self.incidental


@dataclass(frozen=True)
class Measure:
    """A candidate proposal: its yearly effects and the scores the objectives use.

    ``effects`` maps a budget year to its amounts; a year that is missing counts as zero.
    ``group`` names an exclusive group: a package takes at most one measure of a group.
    ``source`` (optional) is where the measure was read, so that errors can point there.
    """

    id: str
    title: str
    effects: Mapping[int, YearAmounts]
    support: float | None = None
    impact: float | None = None
    people: int | None = None
    group: str | None = None
    source: Location | None = field(default=None, compare=False, repr=False)


@dataclass(frozen=True)
class Gap:
    """What must be saved in one year: the structural and the incidental part (euros)."""

    year: int
    structural: Decimal
    incidental: Decimal

    @property
    def total(self) -> Decimal:
        return self.structural + self.incidental


@dataclass(frozen=True)
class YearBalance:
    """A package's effect minus the gap in one year; 0 or more means that part is closed.

    ``structural`` compares the structural effects with the structural gap; ``total``
    compares structural plus incidental effects with the structural plus incidental gap.
    """

    year: int
    structural: Decimal
    total: Decimal

    @property
    def closed(self) -> bool:
        return self.structural >= 0 and self.total >= 0

    @property
    def short(self) -> Decimal:
        """Euros of extra structural savings this year still needs (0 when closed)."""
        return max(Decimal("0.00"), -self.structural, -self.total)


@dataclass(frozen=True)
class Package:
    """A set of measures (ids in sorted order), its harm and its balance per gap year."""

    selected: tuple[str, ...]
    objective: float
    balance_per_year: tuple[YearBalance, ...]


@dataclass(frozen=True)
class BudgetResult:
    """The optimiser's answer.

    - ``feasible``: some package closes every year (within the must/must-not/group rules).
    - ``best``: the package of least harm (``None`` when infeasible); ``alternatives``: the
      next best packages, best first, none of which contains every measure of a better one.
    - ``shortfall_per_year``: when infeasible, the yearly balance of the package that falls
      short by the fewest euros in total (negative numbers are what is short).
    - ``proven_optimal``: the solver proved the best package (or, when infeasible, the
      smallest shortfall) optimal; ``mip_gap``: its relative gap on the harm (0 when proven).
      ``feasible=False`` with ``proven_optimal=False`` and no shortfall means the time
      limit ran out before the solver knew either way.
    """

    feasible: bool
    best: Package | None
    alternatives: tuple[Package, ...]
    shortfall_per_year: tuple[YearBalance, ...] | None
    proven_optimal: bool
    mip_gap: float
