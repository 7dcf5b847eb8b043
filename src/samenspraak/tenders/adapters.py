"""Rows -> core.scoring values: the tender's criteria, the panel's scores and the bids' prices."""

from __future__ import annotations

from collections.abc import Iterable

from samenspraak.core.errors import Location
from samenspraak.core.scoring import (
    BidPrice,
    Criterion,
    CriterionType,
    PriceMethod,
    QualityScore,
)


def criterion_values(rows: Iterable[tuple[str, object, str]]) -> list[Criterion]:
    """(name, weight, kind) rows as core.scoring criteria; the field is 'criteria'."""
    from decimal import Decimal

    return [
        Criterion(
            name=name,
            weight=Decimal(str(weight)),
            type=CriterionType(kind),
            source=Location(row=index, field="criteria"),
        )
        for index, (name, weight, kind) in enumerate(rows, start=1)
    ]


def criteria_of(tender) -> list[Criterion]:
    return criterion_values((c.name, c.weight, c.kind) for c in tender.criteria.all())


def scores_of(tender, bids) -> list[QualityScore]:
    from samenspraak.tenders.models import Score

    keys = {bid.pk: bid.key for bid in bids}
    rows = Score.objects.filter(bid__in=list(keys)).select_related("criterion", "member")
    return [
        QualityScore(
            bid=keys[row.bid_id],
            scorer=f"P{row.member_id}",
            criterion=row.criterion.name,
            score=row.score,
        )
        for row in rows
    ]


def prices_of(bids) -> list[BidPrice]:
    return [BidPrice(bid=bid.key, price=bid.price) for bid in bids]


def price_method_of(tender) -> PriceMethod:
    return PriceMethod(tender.price_method)
