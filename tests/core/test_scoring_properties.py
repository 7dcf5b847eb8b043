"""Properties of tender scoring on random tenders (Hypothesis).

Totals are also recomputed here from the generated numbers with plain fractions, by the
formulas of docs/methods/tender-scoring.md, sharing no code with the engine.
"""

from __future__ import annotations

import itertools
import random
from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction

from hypothesis import assume, given, settings
from hypothesis import strategies as st

from samenspraak.core.scoring import (
    BidPrice,
    Criterion,
    CriterionType,
    PriceMethod,
    QualityScore,
    score_tender,
)

SETTINGS = settings(max_examples=200, deadline=None)


@dataclass(frozen=True)
class Tender:
    criteria: list[Criterion]
    scores: list[QualityScore]
    prices: list[BidPrice]
    method: PriceMethod
    ceiling: Decimal | None


@st.composite
def tenders(draw, with_price: bool | None = None) -> Tender:
    quality_count = draw(st.integers(1, 4))
    has_price = draw(st.booleans()) if with_price is None else with_price
    count = quality_count + has_price
    # Weights in halves of a point, more than 0, adding up to exactly 100.
    cuts = sorted(draw(st.sets(st.integers(1, 199), min_size=count - 1, max_size=count - 1)))
    bounds = [0, *cuts, 200]
    weights = [Decimal(high - low) / 2 for low, high in itertools.pairwise(bounds)]
    criteria = [
        Criterion(f"q{index}", weights[index], CriterionType.QUALITY)
        for index in range(quality_count)
    ]
    if has_price:
        criteria.append(Criterion("price", weights[-1], CriterionType.PRICE))
    bids = [f"bid{index:02d}" for index in range(draw(st.integers(1, 6)))]
    scorers = [f"s{index}" for index in range(draw(st.integers(1, 4)))]
    scores: list[QualityScore] = []
    for bid in bids:
        for criterion in criteria[:quality_count]:
            # Every (bid, criterion) gets at least one scorer; others may abstain (conflict).
            who = draw(st.lists(st.sampled_from(scorers), min_size=1, unique=True))
            for scorer in who:
                tenths = draw(st.integers(0, 100))
                scores.append(QualityScore(bid, scorer, criterion.name, Decimal(tenths) / 10))
    prices: list[BidPrice] = []
    method, ceiling = PriceMethod.RELATIVE, None
    if has_price:
        for bid in bids:
            cents = draw(st.integers(1, 10**9))
            prices.append(BidPrice(bid, Decimal(cents) / 100))
        if draw(st.booleans()):
            method = PriceMethod.LINEAR
            lowest = min(price.price for price in prices)
            ceiling = lowest + Decimal(draw(st.integers(1, 10**9))) / 100
    return Tender(criteria, scores, prices, method, ceiling)


def run(tender: Tender, **changes):
    fields = {
        "criteria": tender.criteria,
        "scores": tender.scores,
        "prices": tender.prices,
        **changes,
    }
    return score_tender(
        fields["criteria"],
        fields["scores"],
        fields["prices"],
        price_method=tender.method,
        ceiling=tender.ceiling,
    )


def expected_totals(tender: Tender) -> dict[str, tuple[Fraction, Fraction]]:
    """(total, quality total) per bid, straight from the formulas on the method page."""
    marks: dict[tuple[str, str], list[Fraction]] = defaultdict(list)
    for score in tender.scores:
        marks[(score.bid, score.criterion)].append(Fraction(score.score))
    bids = {bid for bid, _ in marks} | {price.bid for price in tender.prices}
    price_score: dict[str, Fraction] = {}
    if tender.prices:
        lowest = min(Fraction(price.price) for price in tender.prices)
        for price in tender.prices:
            value = Fraction(price.price)
            if tender.method is PriceMethod.RELATIVE:
                price_score[price.bid] = 10 * lowest / value
            else:
                top = Fraction(tender.ceiling)
                price_score[price.bid] = (
                    10 * (top - value) / (top - lowest) if value < top else Fraction(0)
                )
    out = {}
    for bid in bids:
        quality = Fraction(0)
        total = Fraction(0)
        for criterion in tender.criteria:
            if criterion.type is CriterionType.PRICE:
                score = price_score[bid]
            else:
                values = marks[(bid, criterion.name)]
                score = sum(values) / len(values)
                quality += Fraction(criterion.weight) * score / 10
            total += Fraction(criterion.weight) * score / 10
        out[bid] = (total, quality)
    return out


@SETTINGS
@given(tenders())
def test_totals_match_the_formulas_and_lie_within_0_and_100(tender):
    result = run(tender)
    expected = expected_totals(tender)
    assert {bid.bid: (bid.total, bid.quality_total) for bid in result.ranking} == expected
    for bid in result.ranking:
        assert 0 <= bid.quality_total <= bid.total <= 100
        assert all(0 <= score <= 10 for score in bid.scores.values())


@SETTINGS
@given(tenders(with_price=True))
def test_the_cheapest_bid_gets_the_full_price_score(tender):
    result = run(tender)
    lowest = min(price.price for price in tender.prices)
    cheapest = {price.bid for price in tender.prices if price.price == lowest}
    for bid in result.ranking:
        if bid.bid in cheapest:
            assert bid.scores["price"] == 10
        else:
            assert bid.scores["price"] < 10
    assert result.lowest_price == lowest


@SETTINGS
@given(tenders(), st.randoms(use_true_random=False))
def test_permuting_bids_scores_and_prices_changes_no_total_and_no_rank(tender, rng: random.Random):
    result = run(tender)
    scores, prices = list(tender.scores), list(tender.prices)
    rng.shuffle(scores)
    rng.shuffle(prices)
    shuffled = run(tender, scores=scores, prices=prices)
    assert [(b.bid, b.total, b.quality_total) for b in shuffled.ranking] == [
        (b.bid, b.total, b.quality_total) for b in result.ranking
    ]
    assert shuffled.spread == result.spread


@SETTINGS
@given(tenders(), st.data())
def test_a_scorer_who_gives_the_mean_changes_nothing(tender, data):
    pairs = sorted({(s.bid, s.criterion) for s in tender.scores})
    bid, criterion = data.draw(st.sampled_from(pairs))
    values = [Fraction(s.score) for s in tender.scores if (s.bid, s.criterion) == (bid, criterion)]
    mean = sum(values) / len(values)
    # The new scorer writes the mean as a decimal; a third is not one, so skip those.
    denominator = mean.denominator
    for factor in (2, 5):
        while denominator % factor == 0:
            denominator //= factor
    assume(denominator == 1)
    as_decimal = Decimal(mean.numerator) / Decimal(mean.denominator)
    extra = QualityScore(bid, "extra scorer", criterion, as_decimal)
    before = {b.bid: b for b in run(tender).ranking}
    after = {b.bid: b for b in run(tender, scores=[*tender.scores, extra]).ranking}
    assert after[bid].scores[criterion] == before[bid].scores[criterion] == mean
    assert after[bid].total == before[bid].total
    assert {b: r.total for b, r in after.items()} == {b: r.total for b, r in before.items()}


@SETTINGS
@given(tenders())
def test_the_ranking_is_by_total_then_quality_then_bid_id(tender):
    ranking = run(tender).ranking
    keys = [(-bid.total, -bid.quality_total, bid.bid) for bid in ranking]
    assert keys == sorted(keys)
    assert [bid.rank for bid in ranking] == list(range(1, len(ranking) + 1))
    for above, below in itertools.pairwise(ranking):
        assert (below.tie_break is not None) == (above.total == below.total)


@SETTINGS
@given(tenders())
def test_spread_is_highest_minus_lowest_of_the_scorers(tender):
    by_pair: dict[tuple[str, str], list[Decimal]] = defaultdict(list)
    for score in tender.scores:
        by_pair[(score.bid, score.criterion)].append(score.score)
    result = run(tender)
    assert {(s.bid, s.criterion) for s in result.spread} == set(by_pair)
    for item in result.spread:
        values = by_pair[(item.bid, item.criterion)]
        assert item.spread == max(values) - min(values)
        assert item.scorers == len(values)
        assert item.consensus_needed == (max(values) - min(values) > 3)
