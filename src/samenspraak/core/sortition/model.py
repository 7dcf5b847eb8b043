"""Value objects of selection by lot: quotas, people, a selection, infeasible quotas."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from samenspraak.core.errors import InputError


@dataclass(frozen=True)
class Quota:
    """How many seats people with ``feature == value`` take: at least ``min``, at most ``max``.

    ``min_flex``/``max_flex`` are the Sortition Foundation's optional outer bounds: how far a
    relaxation may move ``min`` down and ``max`` up when the quotas cannot hold together.
    """

    feature: str
    value: str
    min: int
    max: int
    min_flex: int | None = None
    max_flex: int | None = None

    def describe(self) -> str:
        return f"{self.feature}={self.value} [{self.min}, {self.max}]"


@dataclass(frozen=True)
class Person:
    """Someone in the pool: an id, one value per feature, optionally a household key.

    Two people with the same non-empty ``household`` are never both on a panel.
    """

    id: str
    features: Mapping[str, str]
    household: str | None = None


@dataclass(frozen=True)
class Selection:
    """A drawn panel and the distribution it was drawn from.

    ``probabilities`` gives every person's chance to be selected under ``panels`` (they sum to
    ``panel_size``); for ``algorithm == "legacy"`` the distribution is the empirical one of
    repeated runs of the greedy algorithm, so the probabilities are estimates.
    """

    algorithm: str
    seed: int
    panel_size: int
    selected: tuple[str, ...]
    probabilities: Mapping[str, float]
    min_probability: float
    panels: tuple[tuple[tuple[str, ...], float], ...]


class InfeasibleQuotas(InputError):
    """No panel of the asked size meets every quota (and household rule).

    ``conflicts`` are quotas that cannot hold together: a set from which no quota can be
    dropped without the rest becoming satisfiable, followed by any other quota the relaxation
    changes. ``relaxation`` is a smallest change of the bounds (total seats moved, summed over
    all mins and maxes) that makes the quotas feasible: ``(quota, new_min, new_max)`` for each
    quota whose bounds change.
    """

    def __init__(
        self,
        *,
        conflicts: Sequence[Quota],
        relaxation: Sequence[tuple[Quota, int, int]],
        panel_size: int,
    ) -> None:
        self.conflicts = list(conflicts)
        self.relaxation = list(relaxation)
        self.panel_size = panel_size
        named = "; ".join(q.describe() for q in self.conflicts)
        if self.relaxation:
            changes = "; ".join(
                f"{q.feature}={q.value} [{lo}, {hi}] (was [{q.min}, {q.max}])"
                for q, lo, hi in self.relaxation
            )
            nl = (
                f"De quota kunnen niet samen gelden voor een panel van {panel_size}: {named}. "
                f"Haalbaar wordt het met {changes}."
            )
            en = (
                f"The quotas cannot hold together for a panel of {panel_size}: {named}. "
                f"They become feasible with {changes}."
            )
        else:
            nl = (
                f"Er is geen panel van {panel_size} mogelijk, ook niet als de quota worden "
                "losgelaten: er zijn te weinig mensen (of huishoudens) in de pool."
            )
            en = (
                f"No panel of {panel_size} is possible, not even without quotas: the pool has "
                "too few people (or households)."
            )
        super().__init__(code="infeasible_quotas", message_nl=nl, message_en=en)
