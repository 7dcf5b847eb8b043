"""Fair selection by lot with quotas: quotas, LEXIMIN, the legacy greedy algorithm, seeded draw.

Given a pool of people with features (gender, age band, district, ...), quotas per feature
value and a panel size, ``find_distribution`` computes a probability distribution over the
panels that meet every quota (and never seat two people of one household), and ``select``
draws one panel from it with a public seed and reports everyone's selection probability.

LEXIMIN follows Flanigan, Gölz, Gupta, Hennig and Procaccia, "Fair algorithms for selecting
citizens' assemblies", Nature 596, 548-552 (2021). Files use the Sortition Foundation's
formats. Method, tolerances and tie-breaking: docs/methods/sortition.md.
"""

from samenspraak.core.sortition.draw import ALGORITHMS, draw, find_distribution, select
from samenspraak.core.sortition.files import read_categories_csv, read_people_csv
from samenspraak.core.sortition.model import InfeasibleQuotas, Person, Quota, Selection

__all__ = [
    "ALGORITHMS",
    "InfeasibleQuotas",
    "Person",
    "Quota",
    "Selection",
    "draw",
    "find_distribution",
    "read_categories_csv",
    "read_people_csv",
    "select",
]
