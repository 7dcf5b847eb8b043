"""The budget-gap optimiser: the package of measures that closes every year's gap with the
least harm, as an exact 0-1 integer programme solved with HiGHS.

Given the gap per budget year (structural and incidental) and candidate proposals with their
yearly effects, ``close_gap`` finds the package that closes every year (structural gaps by
structural measures only; the rest by either) while minimising the total opposition, impact
or number of people affected, with must-include, must-exclude and exclusive groups; it offers
the k best alternatives and, when nothing closes the gap, how far each year falls short at
best. Method: docs/methods/budget-optimiser.md.
"""

from samenspraak.core.budget.files import read_gaps_csv, read_groups_csv, read_measures_csv
from samenspraak.core.budget.model import (
    BudgetResult,
    Gap,
    Measure,
    Objective,
    Package,
    YearAmounts,
    YearBalance,
)
from samenspraak.core.budget.optimiser import close_gap

__all__ = [
    "BudgetResult",
    "Gap",
    "Measure",
    "Objective",
    "Package",
    "YearAmounts",
    "YearBalance",
    "close_gap",
    "read_gaps_csv",
    "read_groups_csv",
    "read_measures_csv",
]
