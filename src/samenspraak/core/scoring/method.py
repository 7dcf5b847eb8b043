"""Weighted scoring of bids: quality means, price scores, totals, ranking and spread.

The method (docs/methods/tender-scoring.md):

- a quality criterion's score for a bid is the mean of its scorers' scores (0 to 10);
- the price score is ``10 * lowest price / price`` (``relative``), or with ``linear`` a
  straight line from 10 at the lowest price to 0 at the ceiling price (0 at or above it);
- the points on a criterion are ``weight * score / 10`` and a bid's total is the sum of its
  points (0 to 100, as the weights add up to 100);
- the ranking is by total, highest first; a tie goes to the higher quality total (the points
  on the quality criteria), then to the bid id in code-point order ("A" before "B");
- the spread of a bid on a quality criterion is the highest minus the lowest score; above the
  consensus threshold (3 points by default) the panel is asked to reach consensus.

Everything is computed exactly (``Fraction``); only display rounds (``model.rounded``).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from decimal import Decimal
from fractions import Fraction

from samenspraak.core.errors import InputError, Location
from samenspraak.core.scoring.model import (
    DEFAULT_CONSENSUS_THRESHOLD,
    MAX_SCORE,
    BidPrice,
    BidResult,
    Criterion,
    CriterionType,
    PriceMethod,
    QualityScore,
    Spread,
    TenderResult,
    TieBreak,
)

TOTAL_WEIGHT = Decimal(100)


def _where(source: Location | None, field: str) -> Location:
    if source is None:
        return Location(field=field)
    return Location(file=source.file, line=source.line, row=source.row, field=field)


def _file_of(items: Iterable[Criterion | QualityScore | BidPrice], field: str) -> Location:
    for item in items:
        if item.source is not None and item.source.file:
            return Location(file=item.source.file, field=field)
    return Location(field=field)


def _plain(number: Decimal) -> str:
    """A Decimal as people write it: 100, 92.5 (no exponent, no trailing zeros)."""
    return f"{number.normalize():f}"


def check_criteria(criteria: Sequence[Criterion]) -> None:
    """Refuse criteria that cannot be scored: none, a name twice, a weight of 0 or less,
    more than one price criterion, or weights that do not add up to 100."""
    if not criteria:
        raise InputError(
            code="no_criteria",
            message_nl="Er zijn geen criteria.",
            message_en="There are no criteria.",
            location=_file_of(criteria, "criterion"),
        )
    seen: dict[str, Criterion] = {}
    price: Criterion | None = None
    for criterion in criteria:
        if criterion.name in seen:
            earlier = seen[criterion.name].source
            line = f" (regel {earlier.line})" if earlier and earlier.line else ""
            line_en = f" (line {earlier.line})" if earlier and earlier.line else ""
            raise InputError(
                code="duplicate_criterion",
                message_nl=f"Het criterium '{criterion.name}' staat er al{line}.",
                message_en=f"The criterion '{criterion.name}' is already there{line_en}.",
                location=_where(criterion.source, "criterion"),
            )
        seen[criterion.name] = criterion
        if criterion.weight <= 0:
            raise InputError(
                code="weight_not_positive",
                message_nl=f"Het gewicht van '{criterion.name}' is {_plain(criterion.weight)}. "
                "Een gewicht is meer dan 0.",
                message_en=f"The weight of '{criterion.name}' is {_plain(criterion.weight)}. "
                "A weight is more than 0.",
                location=_where(criterion.source, "weight"),
            )
        if criterion.type is CriterionType.PRICE:
            if price is not None:
                raise InputError(
                    code="two_price_criteria",
                    message_nl=f"Er is al een prijscriterium: '{price.name}'. "
                    "Er kan maar één prijscriterium zijn.",
                    message_en=f"There is already a price criterion: '{price.name}'. "
                    "There can be only one price criterion.",
                    location=_where(criterion.source, "type"),
                )
            price = criterion
    total = sum((criterion.weight for criterion in criteria), Decimal(0))
    if total != TOTAL_WEIGHT:
        raise InputError(
            code="weights_not_100",
            message_nl=f"De gewichten tellen op tot {_plain(total)}, niet tot 100.",
            message_en=f"The weights add up to {_plain(total)}, not 100.",
            location=_file_of(criteria, "weight"),
        )


def _check_score_value(score: QualityScore) -> None:
    if not 0 <= score.score <= MAX_SCORE:
        raise InputError(
            code="score_out_of_range",
            message_nl=f"De score {_plain(score.score)} ligt niet tussen 0 en 10.",
            message_en=f"The score {_plain(score.score)} is not between 0 and 10.",
            location=_where(score.source, "score"),
        )


def _bids_and_prices(
    price_criterion: Criterion | None,
    scores: Sequence[QualityScore],
    prices: Sequence[BidPrice],
) -> tuple[list[str], dict[str, Decimal]]:
    """The bids in order and their prices.

    With a price criterion the prices define the bids: every bid needs a price, and a bid
    that is scored but has no price is unknown. Without one, prices are refused (they would
    silently not count) and the bids are the ones scored.
    """
    if price_criterion is not None and not prices:
        raise InputError(
            code="no_prices",
            message_nl=f"'{price_criterion.name}' is een prijscriterium, maar er zijn geen "
            "prijzen. Geef per inschrijving een prijs.",
            message_en=f"'{price_criterion.name}' is a price criterion, but there are no prices. "
            "Give a price for every bid.",
            location=_where(price_criterion.source, "type"),
        )
    if price_criterion is None:
        if prices:
            raise InputError(
                code="prices_without_price_criterion",
                message_nl="Er zijn prijzen, maar geen prijscriterium. Geef in de criteria een "
                "criterium het type 'price', of laat de prijzen weg.",
                message_en="Prices are given, but there is no price criterion. Give a criterion "
                "the type 'price' in the criteria, or leave out the prices.",
                location=_file_of(prices, "price"),
            )
        return list(dict.fromkeys(score.bid for score in scores)), {}
    by_bid: dict[str, BidPrice] = {}
    for price in prices:
        if price.bid in by_bid:
            earlier = by_bid[price.bid].source
            line = f" (regel {earlier.line})" if earlier and earlier.line else ""
            line_en = f" (line {earlier.line})" if earlier and earlier.line else ""
            raise InputError(
                code="duplicate_price",
                message_nl=f"Inschrijving '{price.bid}' heeft al een prijs{line}.",
                message_en=f"Bid '{price.bid}' already has a price{line_en}.",
                location=_where(price.source, "bid"),
            )
        if price.price <= 0:
            raise InputError(
                code="price_not_positive",
                message_nl=f"De prijs van inschrijving '{price.bid}' is {_plain(price.price)}. "
                "Een prijs is meer dan 0.",
                message_en=f"The price of bid '{price.bid}' is {_plain(price.price)}. "
                "A price is more than 0.",
                location=_where(price.source, "price"),
            )
        by_bid[price.bid] = price
    price_file = _file_of(prices, "bid").file or "de prijzen"
    price_file_en = _file_of(prices, "bid").file or "the prices"
    for score in scores:
        if score.bid not in by_bid:
            raise InputError(
                code="unknown_bid",
                message_nl=f"Er is geen inschrijving '{score.bid}' met een prijs in "
                f"{price_file}. Elke inschrijving heeft een prijs nodig.",
                message_en=f"There is no bid '{score.bid}' with a price in {price_file_en}. "
                "Every bid needs a price.",
                location=_where(score.source, "bid"),
            )
    return list(by_bid), {bid: price.price for bid, price in by_bid.items()}


def _price_scores(
    prices: dict[str, Decimal], method: PriceMethod, ceiling: Decimal | None
) -> dict[str, Fraction]:
    lowest = Fraction(min(prices.values()))
    if method is PriceMethod.RELATIVE:
        return {bid: MAX_SCORE * lowest / Fraction(price) for bid, price in prices.items()}
    assert ceiling is not None  # checked by score_tender
    top = Fraction(ceiling)
    return {
        bid: max(Fraction(0), MAX_SCORE * (top - Fraction(price)) / (top - lowest))
        for bid, price in prices.items()
    }


def _check_method(
    method: PriceMethod,
    ceiling: Decimal | None,
    prices: dict[str, Decimal],
    threshold: Decimal,
) -> None:
    if threshold < 0:
        raise InputError(
            code="threshold_negative",
            message_nl="De drempel voor overleg is 0 of meer.",
            message_en="The consensus threshold is 0 or more.",
            location=Location(field="consensus_threshold"),
        )
    if method is PriceMethod.RELATIVE and ceiling is not None:
        raise InputError(
            code="ceiling_without_linear",
            message_nl="Een plafondprijs hoort alleen bij de lineaire prijsmethode.",
            message_en="A ceiling price belongs only with the linear price method.",
            location=Location(field="ceiling"),
        )
    if method is PriceMethod.LINEAR and prices:
        if ceiling is None:
            raise InputError(
                code="ceiling_missing",
                message_nl="De lineaire prijsmethode heeft een plafondprijs nodig.",
                message_en="The linear price method needs a ceiling price.",
                location=Location(field="ceiling"),
            )
        lowest = min(prices.values())
        if ceiling <= lowest:
            raise InputError(
                code="ceiling_not_above_lowest",
                message_nl=f"De plafondprijs {_plain(ceiling)} is niet hoger dan de laagste "
                f"prijs {_plain(lowest)}. Dan kan niemand punten voor prijs krijgen.",
                message_en=f"The ceiling price {_plain(ceiling)} is not above the lowest price "
                f"{_plain(lowest)}. Then no bid could score points on price.",
                location=Location(field="ceiling"),
            )


def score_tender(
    criteria: Sequence[Criterion],
    scores: Sequence[QualityScore],
    prices: Sequence[BidPrice] = (),
    *,
    price_method: PriceMethod = PriceMethod.RELATIVE,
    ceiling: Decimal | None = None,
    consensus_threshold: Decimal = DEFAULT_CONSENSUS_THRESHOLD,
) -> TenderResult:
    """Score and rank the bids; ``InputError`` (naming file, line and field where known)
    when the input is inconsistent. See the module docstring for the method."""
    check_criteria(criteria)
    by_name = {criterion.name: criterion for criterion in criteria}
    quality = [c for c in criteria if c.type is CriterionType.QUALITY]
    price_criterion = next((c for c in criteria if c.type is CriterionType.PRICE), None)

    given: dict[tuple[str, str], dict[str, QualityScore]] = {}
    for score in scores:
        criterion = by_name.get(score.criterion)
        if criterion is None:
            raise InputError(
                code="unknown_criterion",
                message_nl=f"Er is geen criterium '{score.criterion}'. "
                f"De criteria zijn: {', '.join(by_name)}.",
                message_en=f"There is no criterion '{score.criterion}'. "
                f"The criteria are: {', '.join(by_name)}.",
                location=_where(score.source, "criterion"),
            )
        if criterion.type is CriterionType.PRICE:
            raise InputError(
                code="price_criterion_scored",
                message_nl=f"'{score.criterion}' is het prijscriterium. Die score volgt uit "
                "de prijzen; geef er geen cijfer voor.",
                message_en=f"'{score.criterion}' is the price criterion. Its score follows from "
                "the prices; do not score it.",
                location=_where(score.source, "criterion"),
            )
        _check_score_value(score)
        per_scorer = given.setdefault((score.bid, score.criterion), {})
        if score.scorer in per_scorer:
            earlier = per_scorer[score.scorer].source
            line = f" (regel {earlier.line})" if earlier and earlier.line else ""
            line_en = f" (line {earlier.line})" if earlier and earlier.line else ""
            raise InputError(
                code="duplicate_score",
                message_nl=f"Beoordelaar '{score.scorer}' heeft inschrijving '{score.bid}' al "
                f"een score gegeven voor '{score.criterion}'{line}.",
                message_en=f"Scorer '{score.scorer}' already scored bid '{score.bid}' on "
                f"'{score.criterion}'{line_en}.",
                location=_where(score.source, "scorer"),
            )
        per_scorer[score.scorer] = score

    bids, bid_prices = _bids_and_prices(price_criterion, scores, prices)
    if not bids:
        raise InputError(
            code="no_bids",
            message_nl="Er zijn geen inschrijvingen om te beoordelen.",
            message_en="There are no bids to score.",
            location=_file_of([*prices, *scores], "bid"),
        )
    for bid in bids:
        for criterion in quality:
            if (bid, criterion.name) not in given:
                raise InputError(
                    code="missing_score",
                    message_nl=f"Inschrijving '{bid}' heeft geen score voor het criterium "
                    f"'{criterion.name}'.",
                    message_en=f"Bid '{bid}' has no score on the criterion '{criterion.name}'.",
                    location=_file_of(scores, "score"),
                )
    _check_method(price_method, ceiling, bid_prices, consensus_threshold)
    price_scores = _price_scores(bid_prices, price_method, ceiling) if bid_prices else {}

    unranked: list[tuple[str, Fraction, Fraction, dict[str, Fraction], dict[str, Fraction]]] = []
    for bid in bids:
        criterion_scores: dict[str, Fraction] = {}
        points: dict[str, Fraction] = {}
        for criterion in criteria:
            if criterion.type is CriterionType.PRICE:
                value = price_scores[bid]
            else:
                marks = [Fraction(s.score) for s in given[(bid, criterion.name)].values()]
                value = sum(marks, Fraction(0)) / len(marks)
            criterion_scores[criterion.name] = value
            points[criterion.name] = Fraction(criterion.weight) * value / MAX_SCORE
        quality_total = sum((points[c.name] for c in quality), Fraction(0))
        total = sum(points.values(), Fraction(0))
        unranked.append((bid, total, quality_total, criterion_scores, points))
    unranked.sort(key=lambda item: (-item[1], -item[2], item[0]))
    ranking: list[BidResult] = []
    for place, (bid, total, quality_total, criterion_scores, points) in enumerate(unranked, 1):
        tie_break: TieBreak | None = None
        if ranking and ranking[-1].total == total:
            same_quality = ranking[-1].quality_total == quality_total
            tie_break = TieBreak.BID if same_quality else TieBreak.QUALITY_TOTAL
        ranking.append(
            BidResult(
                bid=bid,
                rank=place,
                total=total,
                quality_total=quality_total,
                scores=criterion_scores,
                points=points,
                price=bid_prices.get(bid),
                tie_break=tie_break,
            )
        )
    spread: list[Spread] = []
    for bid in sorted(bids):
        for criterion in quality:
            values = [s.score for s in given[(bid, criterion.name)].values()]
            low, high = min(values), max(values)
            spread.append(
                Spread(
                    bid=bid,
                    criterion=criterion.name,
                    lowest=low,
                    highest=high,
                    spread=high - low,
                    scorers=len(values),
                    consensus_needed=high - low > consensus_threshold,
                )
            )
    return TenderResult(
        ranking=tuple(ranking),
        spread=tuple(spread),
        price_method=price_method,
        ceiling=ceiling if bid_prices else None,
        lowest_price=min(bid_prices.values()) if bid_prices else None,
        consensus_threshold=consensus_threshold,
    )
