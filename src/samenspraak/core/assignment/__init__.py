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

Modules: ``model`` (value objects, the department rule), ``problem`` (validated input and the
network), ``flow`` (maximum flow), ``solve`` (the three stages), ``explain`` (messages).
"""

from samenspraak.core.assignment.model import (
    Assignment,
    AssignmentInfeasible,
    CommitteeNeed,
    Explanation,
    ExplanationKind,
    Facilitator,
    department_key,
    is_same_department,
)
from samenspraak.core.assignment.solve import assign_facilitators
from samenspraak.core.errors import InputError, Location

# The names core/assignment.py had before it became a package (InputError and Location
# included: callers imported them from here), so every import keeps working.
__all__ = [
    "Assignment",
    "AssignmentInfeasible",
    "CommitteeNeed",
    "Explanation",
    "ExplanationKind",
    "Facilitator",
    "InputError",
    "Location",
    "assign_facilitators",
    "department_key",
    "is_same_department",
]
