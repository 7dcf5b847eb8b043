"""``samenspraak tender``: tender analysis without Django, settings or a database.

``tender score`` reads the criteria, the quality scores of the evaluation panel and the
prices, and prints the ranking and the spread between scorers (docs/methods/tender-scoring.md).
Numbers in the output are strings of decimals rounded half up to two places ("77.50"); the
ranking itself is decided on the exact values. Bad input: a message on stderr, Dutch first and
English second, naming the file, line and column, and exit code 2.
"""

from __future__ import annotations

import argparse
import itertools
import json
import sys
from decimal import Decimal, InvalidOperation
from fractions import Fraction
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from samenspraak.core.scoring import TenderResult

EXIT_INPUT_ERROR = 2


class _CommandError(Exception):
    """A problem with the command line or a file, reported on stderr with exit code 2."""


def _read(path: str) -> str:
    try:
        return Path(path).read_text(encoding="utf-8-sig")
    except OSError as error:
        raise _CommandError(
            f"Kan {path} niet lezen: {error.strerror}. (Cannot read {path}: {error.strerror}.)"
        ) from None
    except UnicodeDecodeError:
        raise _CommandError(f"{path} is geen UTF-8-tekst. ({path} is not UTF-8 text.)") from None


def _tender_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="samenspraak tender",
        description="Tender analysis without a database. 'score' computes the weighted "
        "totals of the bids from the panel's quality scores and the prices, ranks them and "
        "shows where scorers disagree (see docs/methods/tender-scoring.md).",
    )
    actions = parser.add_subparsers(dest="action", required=True, metavar="score")
    score = actions.add_parser(
        "score",
        prog="samenspraak tender score",
        help="score and rank the bids of a tender",
        description="A quality criterion's score is the mean of its scorers (0-10); the price "
        "score is 10 x lowest price / price (relative) or a straight line from the lowest price "
        "to a ceiling (linear); a bid's total is the sum of weight x score / 10 (0-100). Ties go "
        "to the higher quality total, then to the bid id. Numbers are shown rounded half up to "
        "two decimals; the ranking uses the exact values.",
    )
    score.add_argument(
        "--criteria", required=True, help="criteria CSV: criterion,weight,type (quality|price)"
    )
    score.add_argument("--scores", required=True, help="scores CSV: bid,scorer,criterion,score")
    score.add_argument(
        "--prices", help="prices CSV: bid,price (needed when there is a price criterion)"
    )
    score.add_argument(
        "--price-method",
        choices=("relative", "linear"),
        default="relative",
        help="relative: 10 x lowest / price (default); linear: 10 at the lowest price, 0 at "
        "--ceiling and above",
    )
    score.add_argument("--ceiling", help="ceiling price for --price-method linear (euros)")
    score.add_argument(
        "--consensus-threshold",
        default="3",
        metavar="POINTS",
        help="ask for consensus when the scorers of a bid on a criterion lie more than this "
        "many points apart (default 3)",
    )
    score.add_argument("--json", action="store_true", help="print the result as JSON")
    return parser


def _threshold(text: str) -> Decimal:
    try:
        value = Decimal(text.replace(",", "."))
    except InvalidOperation:
        value = Decimal(-1)
    if not value.is_finite() or value < 0:
        raise _CommandError(
            f"--consensus-threshold: '{text}' is geen getal van 0 of meer. "
            f"(--consensus-threshold: '{text}' is not a number of 0 or more.)"
        )
    return value


def _tender(argv: list[str]) -> int:
    options = _tender_parser().parse_args(argv)
    from samenspraak.core.errors import InputError, Location
    from samenspraak.core.money import parse_euro
    from samenspraak.core.scoring import (
        PriceMethod,
        read_criteria_csv,
        read_prices_csv,
        read_scores_csv,
        score_tender,
    )

    try:
        if options.ceiling is not None and options.price_method != "linear":
            raise _CommandError(
                "--ceiling hoort alleen bij --price-method linear. "
                "(--ceiling belongs only with --price-method linear.)"
            )
        ceiling = (
            parse_euro(options.ceiling, location=Location(field="--ceiling"))
            if options.ceiling is not None
            else None
        )
        threshold = _threshold(options.consensus_threshold)
        criteria = read_criteria_csv(_read(options.criteria), filename=Path(options.criteria).name)
        scores = read_scores_csv(_read(options.scores), filename=Path(options.scores).name)
        prices = (
            read_prices_csv(_read(options.prices), filename=Path(options.prices).name)
            if options.prices
            else []
        )
        result = score_tender(
            criteria,
            scores,
            prices,
            price_method=PriceMethod(options.price_method),
            ceiling=ceiling,
            consensus_threshold=threshold,
        )
    except (InputError, _CommandError) as error:
        print(str(error), file=sys.stderr)
        return EXIT_INPUT_ERROR
    if options.json:
        print(json.dumps(_as_json(result), indent=2, ensure_ascii=False))
    else:
        _print_table(result)
    return 0


def _number(value: Any) -> str:
    """A Fraction or Decimal as a string with two decimals, rounded half up."""
    from samenspraak.core.scoring import rounded

    return str(rounded(Fraction(value)))


def _as_json(result: TenderResult) -> dict[str, Any]:
    return {
        "price_method": str(result.price_method),
        "ceiling": _number(result.ceiling) if result.ceiling is not None else None,
        "lowest_price": _number(result.lowest_price) if result.lowest_price is not None else None,
        "consensus_threshold": _number(result.consensus_threshold),
        "ranking": [
            {
                "rank": bid.rank,
                "bid": bid.bid,
                "total": _number(bid.total),
                "quality_total": _number(bid.quality_total),
                "price": _number(bid.price) if bid.price is not None else None,
                "scores": {name: _number(value) for name, value in bid.scores.items()},
                "points": {name: _number(value) for name, value in bid.points.items()},
                "tie_break": str(bid.tie_break) if bid.tie_break else None,
            }
            for bid in result.ranking
        ],
        "spread": [
            {
                "bid": item.bid,
                "criterion": item.criterion,
                "lowest": _number(item.lowest),
                "highest": _number(item.highest),
                "spread": _number(item.spread),
                "scorers": item.scorers,
                "consensus_needed": item.consensus_needed,
            }
            for item in result.spread
        ],
    }


def _print_table(result: TenderResult) -> None:
    from samenspraak.core.money import format_euro

    criteria = list(result.ranking[0].scores)
    if result.lowest_price is None:
        how = "no price criterion"
    elif result.ceiling is None:
        how = f"relative price score, lowest price {format_euro(result.lowest_price)}"
    else:
        how = (
            f"linear price score from {format_euro(result.lowest_price)} (10) to the ceiling "
            f"{format_euro(result.ceiling)} (0)"
        )
    print(f"Ranking of {len(result.ranking)} bids ({how}); scores 0-10, totals 0-100:")
    head = ["rank", "bid", "total", "quality", *criteria]
    lines = [
        [
            str(bid.rank),
            bid.bid,
            _number(bid.total),
            _number(bid.quality_total),
            *(_number(bid.scores[name]) for name in criteria),
        ]
        for bid in result.ranking
    ]
    widths = [max(len(cell) for cell in column) for column in zip(head, *lines, strict=True)]
    for cells in (head, *lines):
        print(
            "  ".join(
                cell.ljust(width) if index == 1 else cell.rjust(width)
                for index, (cell, width) in enumerate(zip(cells, widths, strict=True))
            )
        )
    for above, bid in itertools.pairwise(result.ranking):
        if bid.tie_break is not None:
            reason = "quality total" if bid.tie_break == "quality_total" else "bid id"
            print(
                f"{above.bid} and {bid.bid} have the same total; "
                f"{above.bid} ranks higher on the {reason}."
            )
    print("Numbers are rounded half up to two decimals; the ranking uses the exact values.")
    flagged = [item for item in result.spread if item.consensus_needed]
    threshold = _number(result.consensus_threshold)
    if not flagged:
        print(f"Spread: no scorers lie more than {threshold} points apart.")
        return
    print(f"Consensus needed (scorers more than {threshold} points apart):")
    for item in flagged:
        print(
            f"  bid {item.bid}, {item.criterion}: {_number(item.lowest)} to "
            f"{_number(item.highest)} (spread {_number(item.spread)}, {item.scorers} scorers)"
        )
