"""Fair selection by lot with quotas: quotas, LEXIMIN, the legacy greedy algorithm, seeded draw.

Given a pool of people with features (gender, age band, district, ...), quotas per feature
value and a panel size, ``find_distribution`` computes a probability distribution over the
panels that meet every quota (and never seat two people of one household), and ``select``
draws one panel from it with a public seed and reports everyone's selection probability.

LEXIMIN follows Flanigan, Gölz, Gupta, Hennig and Procaccia, "Fair algorithms for selecting
citizens' assemblies", Nature 596, 548-552 (2021). Files use the Sortition Foundation's
formats. ``dump_distribution``/``load_distribution``/``verify_distribution`` publish the
distribution as a file so a draw can be redone and checked without a solver. Method,
tolerances and tie-breaking: docs/methods/sortition.md.
"""

from samenspraak.core.sortition.distfile import (
    DistributionMetadata,
    dump_distribution,
    load_distribution,
    select_from_distribution,
    sha256_hex,
    verify_distribution,
)
from samenspraak.core.sortition.draw import (
    ALGORITHMS,
    Distribution,
    draw,
    find_distribution,
    select,
)
from samenspraak.core.sortition.files import read_categories_csv, read_people_csv
from samenspraak.core.sortition.model import InfeasibleQuotas, Person, Quota, Selection

__all__ = [
    "ALGORITHMS",
    "Distribution",
    "DistributionMetadata",
    "InfeasibleQuotas",
    "Person",
    "Quota",
    "Selection",
    "draw",
    "dump_distribution",
    "find_distribution",
    "load_distribution",
    "read_categories_csv",
    "read_people_csv",
    "select",
    "select_from_distribution",
    "sha256_hex",
    "verify_distribution",
]
