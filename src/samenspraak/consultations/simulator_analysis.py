"""Budget simulator analysis: what residents chose when they closed the gap themselves.

Every submitted package is one ballot whose choices are the measures taken (value 1). The
analysis counts

- how often each measure was chosen (and the share of packages that took it),
- the most common packages (the same set of measures, whatever the order), top 10,
- the share of packages that close every year's gap: a package closes the gap when, in
  every budget year with a gap, the summed amounts of its measures (savings positive, costs
  negative) reach at least the gap. This is recomputed here from the measures' amounts,
  so it does not depend on what the voting form stored.

``analyse_packages`` is pure (plain values in, plain values out) so it is tested on small
constructed sets; ``simulator_analysis_for`` reads the rows of one consultation.
Amounts are ``Decimal``: a package that reaches the gap exactly closes it.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

TOP_PACKAGES = 10


@dataclass(frozen=True)
class MeasureCount:
    code: str
    title: str
    chosen: int
    share: float  # of all submitted packages, 0..1


@dataclass(frozen=True)
class PackageCount:
    codes: tuple[str, ...]  # in the order of the measures on the ballot
    titles: tuple[str, ...]
    count: int
    share: float  # of all submitted packages
    closes_gap: bool
    balance: dict[int, Decimal] = field(default_factory=dict)  # per year: total minus gap


@dataclass(frozen=True)
class SimulatorAnalysis:
    packages: int  # submitted packages
    closing: int  # packages that close every year's gap
    measures: tuple[MeasureCount, ...]  # most chosen first
    top: tuple[PackageCount, ...]  # most common first, at most TOP_PACKAGES
    distinct: int  # how many different packages were submitted
    years: tuple[int, ...]
    gaps: dict[int, Decimal] = field(default_factory=dict)

    @property
    def closing_share(self) -> float | None:
        return self.closing / self.packages if self.packages else None

    def as_json(self) -> dict[str, Any]:
        """Plain JSON (amounts as strings with two decimals) for ``Result.details``."""
        return {
            "packages": self.packages,
            "closing": self.closing,
            "closing_share": self.closing_share,
            "distinct": self.distinct,
            "years": list(self.years),
            "gaps": {str(y): f"{a:.2f}" for y, a in self.gaps.items()},
            "measures": [
                {"code": m.code, "title": m.title, "chosen": m.chosen, "share": m.share}
                for m in self.measures
            ],
            "top": [
                {
                    "codes": list(p.codes),
                    "titles": list(p.titles),
                    "count": p.count,
                    "share": p.share,
                    "closes_gap": p.closes_gap,
                    "balance": {str(y): f"{a:.2f}" for y, a in p.balance.items()},
                }
                for p in self.top
            ],
        }


def package_balance(
    codes: Iterable[str],
    amounts: Mapping[str, Mapping[int, Decimal]],
    gaps: Mapping[int, Decimal],
) -> dict[int, Decimal]:
    """Per year with a gap: what the package's measures save minus the gap (>= 0 closes it)."""
    chosen = list(codes)
    return {
        year: sum((amounts.get(code, {}).get(year, Decimal(0)) for code in chosen), Decimal(0))
        - gap
        for year, gap in sorted(gaps.items())
    }


def closes_gap(
    codes: Iterable[str],
    amounts: Mapping[str, Mapping[int, Decimal]],
    gaps: Mapping[int, Decimal],
) -> bool:
    """True when the measures reach the gap in every year that has one."""
    return all(rest >= 0 for rest in package_balance(codes, amounts, gaps).values())


def analyse_packages(
    *,
    measures: Mapping[str, str],
    amounts: Mapping[str, Mapping[int, Decimal]],
    gaps: Mapping[int, Decimal],
    packages: Iterable[Iterable[str]],
    top: int = TOP_PACKAGES,
) -> SimulatorAnalysis:
    """Count the submitted ``packages`` (each an iterable of measure codes).

    ``measures`` maps code to title, in ballot order (that order breaks ties between equally
    often chosen measures and orders the measures inside a package); ``amounts`` gives each
    measure's amount per year; ``gaps`` the gap per year. Ties between equally common
    packages are broken by the number of measures, then by ballot order, so the result is
    the same on every run.
    """
    order = {code: position for position, code in enumerate(measures)}
    chosen: Counter[str] = Counter()
    combos: Counter[tuple[str, ...]] = Counter()
    total = 0
    closing = 0
    verdicts: dict[tuple[str, ...], bool] = {}
    for package in packages:
        codes = tuple(sorted(set(package), key=lambda c: (order.get(c, len(order)), c)))
        total += 1
        chosen.update(codes)
        combos[codes] += 1
        if codes not in verdicts:
            verdicts[codes] = closes_gap(codes, amounts, gaps)
        closing += verdicts[codes]
    measure_rows = tuple(
        sorted(
            (
                MeasureCount(
                    code=code,
                    title=title,
                    chosen=chosen[code],
                    share=chosen[code] / total if total else 0.0,
                )
                for code, title in measures.items()
            ),
            key=lambda m: (-m.chosen, order[m.code]),
        )
    )
    ranked = sorted(
        combos.items(),
        key=lambda kv: (-kv[1], len(kv[0]), [order.get(c, len(order)) for c in kv[0]]),
    )
    top_rows = tuple(
        PackageCount(
            codes=codes,
            titles=tuple(measures.get(code, code) for code in codes),
            count=count,
            share=count / total,
            closes_gap=verdicts[codes],
            balance=package_balance(codes, amounts, gaps),
        )
        for codes, count in ranked[:top]
    )
    return SimulatorAnalysis(
        packages=total,
        closing=closing,
        measures=measure_rows,
        top=top_rows,
        distinct=len(combos),
        years=tuple(sorted(gaps)),
        gaps=dict(sorted(gaps.items())),
    )


def simulator_analysis_for(consultation) -> SimulatorAnalysis:
    """The analysis of one simulator consultation, read from its rows."""
    from samenspraak.consultations.models import Ballot, Choice, ItemYearAmount

    items = list(consultation.items.order_by("position", "id").values_list("id", "code", "title"))
    code_of = {pk: code for pk, code, _title in items}
    measures = {code: title for _pk, code, title in items}
    amounts: dict[str, dict[int, Decimal]] = {code: {} for code in measures}
    for item_id, year, amount in ItemYearAmount.objects.filter(
        item__consultation=consultation
    ).values_list("item_id", "year", "amount"):
        amounts[code_of[item_id]][year] = amount
    gaps = dict(consultation.gaps.values_list("year", "amount"))
    by_ballot: dict[int, list[str]] = {
        pk: []
        for pk in Ballot.objects.filter(consultation=consultation).values_list("pk", flat=True)
    }
    for ballot_id, item_id in (
        Choice.objects.filter(ballot__consultation=consultation, value__gt=0)
        .order_by()
        .values_list("ballot_id", "item_id")
    ):
        by_ballot[ballot_id].append(code_of[item_id])
    return analyse_packages(
        measures=measures, amounts=amounts, gaps=gaps, packages=by_ballot.values()
    )
