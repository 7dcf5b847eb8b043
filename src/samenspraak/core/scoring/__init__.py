"""Tender evaluation: weighted scores of bids on quality criteria and price, with the price
normalisation methods in common use in Dutch tendering, a ranking with fixed tie-breaks and
the spread between scorers. Method and worked example: docs/methods/tender-scoring.md.
"""

from samenspraak.core.scoring.files import read_criteria_csv, read_prices_csv, read_scores_csv
from samenspraak.core.scoring.method import check_criteria, score_tender
from samenspraak.core.scoring.model import (
    DEFAULT_CONSENSUS_THRESHOLD,
    BidPrice,
    BidResult,
    Criterion,
    CriterionType,
    PriceMethod,
    QualityScore,
    Spread,
    TenderResult,
    TieBreak,
    rounded,
)

__all__ = [
    "DEFAULT_CONSENSUS_THRESHOLD",
    "BidPrice",
    "BidResult",
    "Criterion",
    "CriterionType",
    "PriceMethod",
    "QualityScore",
    "Spread",
    "TenderResult",
    "TieBreak",
    "check_criteria",
    "read_criteria_csv",
    "read_prices_csv",
    "read_scores_csv",
    "rounded",
    "score_tender",
]
