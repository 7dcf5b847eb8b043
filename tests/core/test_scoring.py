"""Tender scoring: the worked example of docs/methods/tender-scoring.md, and every bad input.

The expected numbers below are the hand-computed ones written out on the method page (steps
1 to 5), not values produced by the code under test.
"""

from __future__ import annotations

import re
from decimal import Decimal
from fractions import Fraction
from pathlib import Path

import pytest

from samenspraak.core.errors import InputError
from samenspraak.core.scoring import (
    BidPrice,
    Criterion,
    CriterionType,
    PriceMethod,
    QualityScore,
    TieBreak,
    read_criteria_csv,
    read_prices_csv,
    read_scores_csv,
    rounded,
    score_tender,
)

ROOT = Path(__file__).resolve().parents[2]
FIXTURES = ROOT / "tests" / "fixtures" / "tender"
METHOD_PAGE = ROOT / "docs" / "methods" / "tender-scoring.md"

CRITERIA_CSV = "criterion,weight,type\naanpak,40,quality\nbewoners,30,quality\nprijs,30,price\n"
QUALITY_ONLY_CSV = "criterion,weight,type\naanpak,60,quality\nbewoners,40,quality\n"
PRICES_CSV = "bid,price\nA,120000\nB,100000\nC,125000\n"


def fixture(name: str) -> str:
    return (FIXTURES / name).read_text(encoding="utf-8")


def example(**options):
    criteria = read_criteria_csv(fixture("criteria.csv"), filename="criteria.csv")
    scores = read_scores_csv(fixture("scores.csv"), filename="scores.csv")
    prices = read_prices_csv(fixture("prices.csv"), filename="prices.csv")
    return score_tender(criteria, scores, prices, **options)


def scores_csv(*lines: str) -> str:
    return "bid,scorer,criterion,score\n" + "".join(f"{line}\n" for line in lines)


FULL_SCORES = [
    "A,s1,aanpak,8",
    "A,s1,bewoners,7",
    "B,s1,aanpak,6",
    "B,s1,bewoners,6",
    "C,s1,aanpak,9",
    "C,s1,bewoners,8",
]


def run(
    criteria: str = CRITERIA_CSV,
    scores: str | None = None,
    prices: str | None = PRICES_CSV,
    **options,
):
    """Read the three texts as the CLI does and score them."""
    parsed_criteria = read_criteria_csv(criteria, filename="criteria.csv")
    parsed_scores = read_scores_csv(
        scores if scores is not None else scores_csv(*FULL_SCORES), filename="scores.csv"
    )
    parsed_prices = read_prices_csv(prices, filename="prices.csv") if prices is not None else []
    return score_tender(parsed_criteria, parsed_scores, parsed_prices, **options)


def refused(call, code: str) -> InputError:
    with pytest.raises(InputError) as caught:
        call()
    assert caught.value.code == code, caught.value.full_message()
    return caught.value


# --- The worked example ------------------------------------------------------------------


def test_the_fixtures_are_the_csv_files_printed_on_the_method_page():
    blocks = re.findall(r"```csv\n(.*?)```", METHOD_PAGE.read_text(encoding="utf-8"), re.S)
    assert blocks == [fixture("criteria.csv"), fixture("scores.csv"), fixture("prices.csv")]


def test_worked_example_quality_scores_are_the_means_of_step_1():
    by_bid = {bid.bid: bid for bid in example().ranking}
    assert by_bid["A"].scores["aanpak"] == Fraction(15, 2)
    assert by_bid["A"].scores["bewoners"] == Fraction(15, 2)
    assert by_bid["B"].scores["aanpak"] == Fraction(13, 2)
    assert by_bid["B"].scores["bewoners"] == 6
    assert by_bid["C"].scores["aanpak"] == 7
    assert by_bid["C"].scores["bewoners"] == Fraction(17, 2)


def test_worked_example_price_scores_are_those_of_step_2():
    result = example()
    by_bid = {bid.bid: bid for bid in result.ranking}
    assert by_bid["A"].scores["prijs"] == Fraction(25, 3)  # 8.333..., exactly
    assert by_bid["B"].scores["prijs"] == 10
    assert by_bid["C"].scores["prijs"] == 8
    assert result.lowest_price == Decimal("100000")
    assert rounded(by_bid["A"].scores["prijs"]) == Decimal("8.33")


def test_worked_example_points_and_totals_are_those_of_step_3():
    by_bid = {bid.bid: bid for bid in example().ranking}
    assert dict(by_bid["A"].points) == {"aanpak": 30, "bewoners": Fraction(45, 2), "prijs": 25}
    assert dict(by_bid["B"].points) == {"aanpak": 26, "bewoners": 18, "prijs": 30}
    assert dict(by_bid["C"].points) == {"aanpak": 28, "bewoners": Fraction(51, 2), "prijs": 24}
    assert (by_bid["A"].quality_total, by_bid["A"].total) == (Fraction(105, 2), Fraction(155, 2))
    assert (by_bid["B"].quality_total, by_bid["B"].total) == (44, 74)
    assert (by_bid["C"].quality_total, by_bid["C"].total) == (Fraction(107, 2), Fraction(155, 2))


def test_worked_example_ranking_breaks_the_tie_on_quality_as_in_step_4():
    ranking = example().ranking
    assert [(bid.rank, bid.bid) for bid in ranking] == [(1, "C"), (2, "A"), (3, "B")]
    assert [bid.tie_break for bid in ranking] == [None, TieBreak.QUALITY_TOTAL, None]
    assert [rounded(bid.total) for bid in ranking] == [
        Decimal("77.50"),
        Decimal("77.50"),
        Decimal("74.00"),
    ]


def test_worked_example_spread_flags_c_approach_as_in_step_5():
    result = example()
    spreads = {(item.bid, item.criterion): item.spread for item in result.spread}
    assert spreads == {
        ("A", "aanpak"): 1,
        ("A", "bewoners"): 1,
        ("B", "aanpak"): 1,
        ("B", "bewoners"): 0,
        ("C", "aanpak"): 4,
        ("C", "bewoners"): 1,
    }
    flagged = result.needing_consensus()
    assert [(item.bid, item.criterion, item.lowest, item.highest) for item in flagged] == [
        ("C", "aanpak", Decimal(5), Decimal(9))
    ]
    assert all(item.scorers == 2 for item in result.spread)


def test_worked_example_with_linear_price_scoring_and_a_ceiling_of_150000():
    result = example(price_method=PriceMethod.LINEAR, ceiling=Decimal("150000"))
    rows = [
        (bid.bid, bid.scores["prijs"], bid.points["prijs"], bid.total) for bid in result.ranking
    ]
    assert rows == [
        ("B", 10, 30, 74),
        ("A", 6, 18, Fraction(141, 2)),
        ("C", 5, 15, Fraction(137, 2)),
    ]
    assert all(bid.tie_break is None for bid in result.ranking)
    assert result.ceiling == Decimal("150000")


def test_rounding_a_price_score_before_multiplying_would_lose_a_hundredth():
    """The point the method page makes about rounding only for display."""
    a = next(bid for bid in example().ranking if bid.bid == "A")
    assert Decimal(30) * rounded(a.scores["prijs"]) / 10 == Decimal("24.99")
    assert a.points["prijs"] == 25


# --- Method details ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "places", "expected"),
    [
        (Fraction(1, 8), 2, "0.13"),
        (Fraction(2, 3), 2, "0.67"),
        (Fraction(25, 3), 2, "8.33"),
        (Fraction(155, 2), 2, "77.50"),
        (Fraction(0), 2, "0.00"),
        (Fraction(-1, 8), 2, "-0.13"),
        (Fraction(5, 2), 0, "3"),
        (Fraction(100), 2, "100.00"),
    ],
)
def test_rounded_is_half_up_on_the_exact_fraction(value, places, expected):
    assert str(rounded(value, places)) == expected


def test_a_scorer_with_a_conflict_leaves_out_a_bid_and_the_mean_uses_the_others():
    scores = scores_csv(
        "A,s1,aanpak,8",
        "A,s2,aanpak,6",
        "A,s3,aanpak,7",
        "A,s1,bewoners,9",
        "B,s1,aanpak,4",  # s2 and s3 declared a conflict for B
        "B,s1,bewoners,5",
    )
    result = run(QUALITY_ONLY_CSV, scores, prices=None)
    by_bid = {bid.bid: bid for bid in result.ranking}
    assert by_bid["A"].scores["aanpak"] == 7  # (8 + 6 + 7) / 3
    assert by_bid["B"].scores["aanpak"] == 4
    # A: 60 * 7 / 10 + 40 * 9 / 10 = 42 + 36 = 78; B: 24 + 20 = 44
    assert [(bid.bid, bid.total) for bid in result.ranking] == [("A", 78), ("B", 44)]
    spread = {(item.bid, item.criterion): (item.spread, item.scorers) for item in result.spread}
    assert spread[("A", "aanpak")] == (2, 3)
    assert spread[("B", "aanpak")] == (0, 1)


def test_a_mean_of_three_that_is_not_a_finite_decimal_stays_exact():
    scores = scores_csv("A,s1,aanpak,7", "A,s2,aanpak,8", "A,s3,aanpak,8", "A,s1,bewoners,6")
    (bid,) = run(QUALITY_ONLY_CSV, scores, prices=None).ranking
    assert bid.scores["aanpak"] == Fraction(23, 3)
    # 60 * 23/3 / 10 = 46; 40 * 6 / 10 = 24
    assert bid.total == 70
    assert rounded(bid.scores["aanpak"]) == Decimal("7.67")


def test_a_full_tie_is_broken_by_the_bid_id():
    scores = scores_csv("B2,s1,aanpak,7", "B2,s1,bewoners,7", "B1,s1,aanpak,7", "B1,s1,bewoners,7")
    ranking = run(QUALITY_ONLY_CSV, scores, prices=None).ranking
    assert [bid.bid for bid in ranking] == ["B1", "B2"]
    assert [bid.tie_break for bid in ranking] == [None, TieBreak.BID]


def test_a_spread_equal_to_the_threshold_is_not_flagged_and_the_threshold_can_be_set():
    scores = scores_csv("A,s1,aanpak,4", "A,s2,aanpak,7", "A,s1,bewoners,5", "A,s2,bewoners,9")
    default = run(QUALITY_ONLY_CSV, scores, prices=None)
    assert [(s.criterion, s.consensus_needed) for s in default.spread] == [
        ("aanpak", False),  # 7 - 4 = 3, not above 3
        ("bewoners", True),  # 9 - 5 = 4
    ]
    strict = run(QUALITY_ONLY_CSV, scores, prices=None, consensus_threshold=Decimal(2))
    assert [s.consensus_needed for s in strict.spread] == [True, True]


def test_linear_scores_zero_at_and_above_the_ceiling_and_ten_at_the_lowest():
    prices = "bid,price\nA,100000\nB,150000\nC,180000\n"
    result = run(prices=prices, price_method=PriceMethod.LINEAR, ceiling=Decimal("150000"))
    price_scores = {bid.bid: bid.scores["prijs"] for bid in result.ranking}
    assert price_scores == {"A": 10, "B": 0, "C": 0}


def test_relative_price_score_of_a_bid_twice_as_expensive_is_five():
    result = run(prices="bid,price\nA,100000\nB,200000\nC,300000\n")
    price_scores = {bid.bid: bid.scores["prijs"] for bid in result.ranking}
    assert price_scores == {"A": 10, "B": 5, "C": Fraction(10, 3)}


def test_dutch_spreadsheet_files_are_read():
    criteria = (
        "Criterion;Weight;Type\naanpak;40;kwaliteit\nbewoners;27,5;Kwaliteit\nprijs;32,5;prijs\n"
    )
    scores = (
        "bid;scorer;criterion;score\n"
        "A;s1;aanpak;7,5\nA;s1;bewoners;8\nB;s1;aanpak;6\nB;s1;bewoners;6,5\n"
    )
    prices = "bid;price\nA;€ 120.000,00\nB;100.000\n"
    result = run(criteria, scores, prices)
    parsed = read_criteria_csv(criteria, filename="c.csv")
    assert [(c.name, c.weight, c.type) for c in parsed] == [
        ("aanpak", Decimal(40), CriterionType.QUALITY),
        ("bewoners", Decimal("27.5"), CriterionType.QUALITY),
        ("prijs", Decimal("32.5"), CriterionType.PRICE),
    ]
    by_bid = {bid.bid: bid for bid in result.ranking}
    assert by_bid["A"].price == Decimal("120000.00")
    # A: 40 * 7.5 / 10 + 27.5 * 8 / 10 + 32.5 * (25/3) / 10 = 30 + 22 + 325/12
    assert by_bid["A"].total == 30 + 22 + Fraction(325, 12)


def test_without_a_price_criterion_the_bids_are_the_ones_scored():
    scores = scores_csv("X,s1,aanpak,5", "X,s1,bewoners,5", "Y,s1,aanpak,10", "Y,s1,bewoners,0")
    result = run(QUALITY_ONLY_CSV, scores, prices=None)
    assert [(bid.bid, bid.total, bid.price) for bid in result.ranking] == [
        ("Y", 60, None),
        ("X", 50, None),
    ]
    assert result.lowest_price is None and result.ceiling is None


def test_the_engine_takes_objects_without_a_source():
    criteria = [
        Criterion("q", Decimal(70), CriterionType.QUALITY),
        Criterion("p", Decimal(30), CriterionType.PRICE),
    ]
    scores = [QualityScore("A", "s", "q", Decimal(10)), QualityScore("B", "s", "q", Decimal(5))]
    prices = [BidPrice("A", Decimal(200)), BidPrice("B", Decimal(100))]
    result = score_tender(criteria, scores, prices)
    # A: 70 + 30 * 5 / 10 = 85; B: 35 + 30 = 65
    assert [(bid.bid, bid.total) for bid in result.ranking] == [("A", 85), ("B", 65)]
    error = refused(lambda: score_tender(criteria[:1], scores), "weights_not_100")
    assert error.location.file is None


# --- Bad input ---------------------------------------------------------------------------


def test_weights_not_summing_to_100_name_the_sum():
    error = refused(
        lambda: run("criterion,weight,type\na,40,quality\nb,30,quality\nprijs,20,price\n"),
        "weights_not_100",
    )
    assert (error.location.file, error.location.field) == ("criteria.csv", "weight")
    assert "90" in error.message_nl and "90" in error.message_en
    assert "100" in error.message_nl
    assert str(error).startswith("bestand criteria.csv, veld 'weight': De gewichten")
    assert "(file criteria.csv, field 'weight': The weights add up to 90, not 100.)" in str(error)


def test_weights_with_decimals_summing_to_more_than_100_name_the_sum():
    error = refused(
        lambda: run(
            "criterion,weight,type\naanpak,40,quality\nbewoners,30.5,quality\nprijs,30,price\n"
        ),
        "weights_not_100",
    )
    assert "100.5" in error.message_en


@pytest.mark.parametrize(
    ("line", "code", "field"),
    [
        ("prijs,0,price", "weight_not_positive", "weight"),
        ("prijs,-30,price", "weight_not_positive", "weight"),
        ("prijs,dertig,price", "not_a_number", "weight"),
        ("prijs,30,cost", "unknown_type", "type"),
        ("aanpak,30,price", "duplicate_criterion", "criterion"),
        ("prijs,30,", "empty_cell", "type"),
    ],
)
def test_a_bad_criteria_line_is_named(line, code, field):
    text = f"criterion,weight,type\naanpak,40,quality\nbewoners,30,quality\n{line}\n"
    error = refused(lambda: read_criteria_csv(text, filename="criteria.csv"), code)
    assert (error.location.file, error.location.line, error.location.field) == (
        "criteria.csv",
        4,
        field,
    )


def test_two_price_criteria_are_refused():
    text = "criterion,weight,type\naanpak,40,quality\nprijs,30,price\nkosten,30,price\n"
    error = refused(lambda: read_criteria_csv(text, filename="criteria.csv"), "two_price_criteria")
    assert (error.location.line, error.location.field) == (4, "type")
    assert "prijs" in error.message_nl


@pytest.mark.parametrize(
    ("text", "code", "line", "field"),
    [
        ("", "empty_file", None, None),
        ("criterion,weight\naanpak,100\n", "missing_column", 1, "type"),
        ("criterion,weight,type,Weight\n", "duplicate_column", 1, "Weight"),
        ("criterion,weight,type\n", "no_criteria", None, None),
    ],
)
def test_a_criteria_file_without_the_right_shape_is_refused(text, code, line, field):
    error = refused(lambda: read_criteria_csv(text, filename="criteria.csv"), code)
    assert (error.location.file, error.location.line, error.location.field) == (
        "criteria.csv",
        line,
        field,
    )


def test_a_score_for_an_unknown_criterion_names_the_line_and_the_criteria():
    scores = scores_csv(*FULL_SCORES, "A,s1,duurzaamheid,6")
    error = refused(lambda: run(scores=scores), "unknown_criterion")
    assert (error.location.file, error.location.line, error.location.field) == (
        "scores.csv",
        8,
        "criterion",
    )
    assert "duurzaamheid" in error.message_nl and "aanpak, bewoners, prijs" in error.message_en


def test_a_score_for_an_unknown_bid_names_the_line():
    scores = scores_csv(*FULL_SCORES, "D,s1,aanpak,6")
    error = refused(lambda: run(scores=scores), "unknown_bid")
    assert (error.location.file, error.location.line, error.location.field) == (
        "scores.csv",
        8,
        "bid",
    )
    assert "'D'" in error.message_nl and "prices.csv" in error.message_en


def test_a_score_for_the_price_criterion_is_refused():
    error = refused(
        lambda: run(scores=scores_csv(*FULL_SCORES, "A,s1,prijs,9")), "price_criterion_scored"
    )
    assert (error.location.line, error.location.field) == (8, "criterion")


@pytest.mark.parametrize(
    ("score", "code"),
    [
        ("10.5", "score_out_of_range"),
        ("-1", "score_out_of_range"),
        ("11", "score_out_of_range"),
        ("acht", "not_a_number"),
        ("7/10", "not_a_number"),
        ("nan", "not_a_number"),
        ("1e1", "not_a_number"),
    ],
)
def test_a_score_outside_0_to_10_or_not_a_number_names_the_line(score, code):
    scores = scores_csv("A,s1,aanpak,8", f"A,s2,aanpak,{score}")
    error = refused(lambda: read_scores_csv(scores, filename="scores.csv"), code)
    assert (error.location.file, error.location.line, error.location.field) == (
        "scores.csv",
        3,
        "score",
    )
    assert score in error.message_nl and score in error.message_en


@pytest.mark.parametrize(
    ("cell", "expected"),
    [("0", "0"), ("10", "10"), ('"10,0"', "10"), ("0.0", "0"), ('"7,25"', "7.25"), (".5", "0.5")],
)
def test_scores_on_the_edges_and_with_a_quoted_decimal_comma_are_accepted(cell, expected):
    (parsed,) = read_scores_csv(scores_csv(f"A,s1,aanpak,{cell}"), filename="scores.csv")
    assert parsed.score == Decimal(expected)


def test_an_unquoted_decimal_comma_in_a_comma_file_is_refused_not_cut_off():
    """7,5 in a comma-separated file is two cells; reading 7 would be wrong without a word."""
    error = refused(
        lambda: read_scores_csv(scores_csv("A,s1,aanpak,7,5"), filename="scores.csv"),
        "too_many_cells",
    )
    assert (error.location.file, error.location.line) == ("scores.csv", 2)
    assert '"7,5"' in error.message_nl and "5 cells, the header 4" in error.message_en
    refused(
        lambda: read_prices_csv("bid,price\nA,€ 120.000,50\n", filename="prices.csv"),
        "too_many_cells",
    )
    refused(
        lambda: read_criteria_csv("criterion,weight,type\na,12,5,quality\n", filename="c.csv"),
        "too_many_cells",
    )


def test_the_engine_checks_the_score_range_too():
    criteria = [Criterion("q", Decimal(100), CriterionType.QUALITY)]
    error = refused(
        lambda: score_tender(criteria, [QualityScore("A", "s", "q", Decimal("10.01"))]),
        "score_out_of_range",
    )
    assert error.location.field == "score"


def test_a_duplicate_score_names_both_lines():
    scores = scores_csv(*FULL_SCORES, "B,s1,aanpak,7")
    error = refused(lambda: run(scores=scores), "duplicate_score")
    assert (error.location.file, error.location.line, error.location.field) == (
        "scores.csv",
        8,
        "scorer",
    )
    assert "regel 4" in error.message_nl and "line 4" in error.message_en


def test_a_bid_without_a_score_on_a_quality_criterion_is_named():
    scores = scores_csv(*[line for line in FULL_SCORES if line != "B,s1,bewoners,6"])
    error = refused(lambda: run(scores=scores), "missing_score")
    assert error.location.file == "scores.csv"
    assert "'B'" in error.message_nl and "'bewoners'" in error.message_en


def test_a_bid_with_a_price_but_no_scores_at_all_is_named():
    prices = PRICES_CSV + "D,90000\n"
    error = refused(lambda: run(prices=prices), "missing_score")
    assert "'D'" in error.message_en and "'aanpak'" in error.message_en


def test_a_missing_price_names_the_line():
    error = refused(
        lambda: read_prices_csv("bid,price\nA,120000\nB,\n", filename="prices.csv"),
        "price_missing",
    )
    assert (error.location.file, error.location.line, error.location.field) == (
        "prices.csv",
        3,
        "price",
    )
    assert "'B'" in error.message_nl


@pytest.mark.parametrize("price", ["0", "-100", '"0,00"', "-0", "€ -5"])
def test_a_price_that_is_not_positive_names_the_line(price):
    error = refused(
        lambda: read_prices_csv(f"bid,price\nA,{price}\n", filename="prices.csv"),
        "price_not_positive",
    )
    assert (error.location.line, error.location.field) == (2, "price")


def test_the_engine_checks_that_prices_are_positive_too():
    criteria = [Criterion("p", Decimal(100), CriterionType.PRICE)]
    refused(lambda: score_tender(criteria, [], [BidPrice("A", Decimal(0))]), "price_not_positive")


def test_a_price_that_is_not_an_amount_names_the_line():
    error = refused(
        lambda: read_prices_csv("bid,price\nA,honderdduizend\n", filename="prices.csv"),
        "not_an_amount",
    )
    assert (error.location.file, error.location.line, error.location.field) == (
        "prices.csv",
        2,
        "price",
    )


def test_a_bid_with_two_prices_names_the_first_line():
    error = refused(
        lambda: read_prices_csv("bid,price\nA,1\nB,2\nA,3\n", filename="prices.csv"),
        "duplicate_price",
    )
    assert (error.location.line, error.location.field) == (4, "bid")
    assert "regel 2" in error.message_nl


def test_prices_without_a_price_criterion_are_refused():
    scores = scores_csv("A,s1,aanpak,5", "A,s1,bewoners,5")
    error = refused(
        lambda: run(QUALITY_ONLY_CSV, scores, "bid,price\nA,100\n"),
        "prices_without_price_criterion",
    )
    assert error.location.file == "prices.csv"
    assert "prijscriterium" in error.message_nl and "price criterion" in error.message_en


def test_a_price_criterion_without_prices_is_refused():
    error = refused(lambda: run(prices=None), "no_prices")
    assert (error.location.file, error.location.line) == ("criteria.csv", 4)
    error = refused(lambda: run(prices="bid,price\n"), "no_prices")


def test_no_bids_at_all_is_refused():
    refused(lambda: run(QUALITY_ONLY_CSV, scores_csv(), prices=None), "no_bids")


@pytest.mark.parametrize(
    ("options", "code"),
    [
        ({"price_method": PriceMethod.LINEAR}, "ceiling_missing"),
        (
            {"price_method": PriceMethod.LINEAR, "ceiling": Decimal("100000")},
            "ceiling_not_above_lowest",
        ),
        (
            {"price_method": PriceMethod.LINEAR, "ceiling": Decimal("90000")},
            "ceiling_not_above_lowest",
        ),
        ({"ceiling": Decimal("150000")}, "ceiling_without_linear"),
        ({"consensus_threshold": Decimal("-1")}, "threshold_negative"),
    ],
)
def test_inconsistent_method_settings_are_refused(options, code):
    refused(lambda: run(**options), code)
