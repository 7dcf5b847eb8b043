"""The data of a tender evaluation: criteria, quality scores, prices, and the result.

Inputs are ``Decimal`` (weights, scores and prices as people write them). The results are
exact fractions (``fractions.Fraction``): a mean of three scorers or 10 * lowest price / price
is usually not a finite decimal, and rounding before ranking could split or create ties.
``rounded`` turns a result into a ``Decimal`` for display (half up, two places by default).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from enum import StrEnum
from fractions import Fraction

from samenspraak.core.errors import Location

MAX_SCORE = 10
DEFAULT_CONSENSUS_THRESHOLD = Decimal(3)


class CriterionType(StrEnum):
    """A quality criterion is scored by people; the price criterion is computed from prices."""

    QUALITY = "quality"
    PRICE = "price"


class PriceMethod(StrEnum):
    """How a price becomes a score from 0 to 10 (docs/methods/tender-scoring.md).

    - ``relative``: 10 * lowest price / price (the default of the issue and of most Dutch
      tenders: the cheapest bid gets 10, a bid twice as expensive 5).
    - ``linear``: 10 at the lowest price, 0 at a ceiling price set in advance, a straight line
      in between; a price at or above the ceiling scores 0.
    """

    RELATIVE = "relative"
    LINEAR = "linear"


class TieBreak(StrEnum):
    """Why a bid ranks below the bid above it although their totals are equal."""

    QUALITY_TOTAL = "quality_total"  # the bid above has the higher quality total
    BID = "bid"  # same quality total too: the bid id of the bid above comes first


@dataclass(frozen=True)
class Criterion:
    """An award criterion with its weight (points out of 100) and its type."""

    name: str
    weight: Decimal
    type: CriterionType
    source: Location | None = field(default=None, compare=False)


@dataclass(frozen=True)
class QualityScore:
    """One scorer's score (0 to 10) for one bid on one quality criterion."""

    bid: str
    scorer: str
    criterion: str
    score: Decimal
    source: Location | None = field(default=None, compare=False)


@dataclass(frozen=True)
class BidPrice:
    """The price of a bid in euros (more than 0)."""

    bid: str
    price: Decimal
    source: Location | None = field(default=None, compare=False)


@dataclass(frozen=True)
class BidResult:
    """A bid's evaluation.

    ``scores``: per criterion the score from 0 to 10 (for quality the mean of the scorers,
    for price the price score); ``points``: per criterion weight * score / 10; ``total``: the
    sum of the points (0 to 100); ``quality_total``: the sum of the quality points only, the
    first tie-break. ``rank`` is the place in the ranking, 1 for the best; ``tie_break`` is
    set when the total equals that of the bid ranked just above, and says what decided.
    """

    bid: str
    rank: int
    total: Fraction
    quality_total: Fraction
    scores: Mapping[str, Fraction]
    points: Mapping[str, Fraction]
    price: Decimal | None
    tie_break: TieBreak | None = None


@dataclass(frozen=True)
class Spread:
    """How far the scorers of a bid on a quality criterion lie apart.

    ``spread`` is the highest minus the lowest score (0 with one scorer); ``consensus_needed``
    is true when the spread is above the threshold, so the panel should discuss and agree.
    """

    bid: str
    criterion: str
    lowest: Decimal
    highest: Decimal
    spread: Decimal
    scorers: int
    consensus_needed: bool


@dataclass(frozen=True)
class TenderResult:
    """The ranking (best first), the spread per bid and criterion, and the settings used."""

    ranking: tuple[BidResult, ...]
    spread: tuple[Spread, ...]
    price_method: PriceMethod
    ceiling: Decimal | None
    lowest_price: Decimal | None
    consensus_threshold: Decimal

    def needing_consensus(self) -> tuple[Spread, ...]:
        """The (bid, criterion) pairs whose scorers lie too far apart."""
        return tuple(item for item in self.spread if item.consensus_needed)


def rounded(value: Fraction, places: int = 2) -> Decimal:
    """``value`` as a Decimal with ``places`` decimals, rounded half up (away from zero).

    Exact: the rounding works on the fraction itself, so 0.125 becomes 0.13 and 2/3 becomes
    0.67; no binary floating point and no intermediate rounding is involved.
    """
    scaled = abs(value) * 10**places
    whole = int(scaled + Fraction(1, 2))  # int() truncates a non-negative fraction: floor
    sign = -1 if value < 0 else 1
    return Decimal(sign * whole).scaleb(-places)
