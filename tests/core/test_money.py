"""parse_euro reads amounts as Dutch people and machines write them; format_euro writes them."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from samenspraak.core.errors import InputError, Location
from samenspraak.core.money import format_euro, parse_euro


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("1.250.000", Decimal("1250000.00")),  # dots group thousands
        ("€ 1.250.000,50", Decimal("1250000.50")),  # euro sign, Dutch decimal comma
        ("-500.000", Decimal("-500000.00")),  # a loss
        ("1250000.50", Decimal("1250000.50")),  # machine notation
        ("12,5", Decimal("12.50")),  # decimal comma
        ("1,500,000", Decimal("1500000.00")),  # English thousands commas
        (" 7 ", Decimal("7.00")),  # surrounding blanks
        ("12.5", Decimal("12.50")),  # a single dot not followed by three digits: decimal point
        ("1.500", Decimal("1500.00")),  # a dot followed by three digits groups thousands
        ("1,500.25", Decimal("1500.25")),  # English: comma groups, dot is decimal
        ("EUR 5", Decimal("5.00")),
        ("+3", Decimal("3.00")),
        ("1\u00a0250\u00a0000", Decimal("1250000.00")),  # non-breaking spaces as grouping
        ("0,05", Decimal("0.05")),
    ],
)
def test_parse_euro_accepts(text, expected):
    amount = parse_euro(text)
    assert amount == expected
    # Exact: two places, the same digits (not just numerically equal).
    assert amount.as_tuple() == expected.as_tuple()


@pytest.mark.parametrize("text", ["12,345", "1,500", "0,001", "-1,500", "€ 999,000"])
def test_one_comma_then_three_digits_is_ambiguous(text):
    # Dutch decimal comma with three decimals, or English thousands? Off by a factor 1000
    # either way, so the rule is to refuse and ask (with several commas it is unambiguous).
    with pytest.raises(InputError) as excinfo:
        parse_euro(text)
    assert excinfo.value.code == "ambiguous_amount"
    assert text.strip("€ -") in excinfo.value.message_nl


def test_dots_only_with_groups_of_three_are_thousands():
    assert parse_euro("12.345") == Decimal("12345.00")
    assert parse_euro("1.500.000") == Decimal("1500000.00")


def test_minus_zero_is_plain_zero():
    amount = parse_euro("-0")
    assert amount == 0
    assert amount.as_tuple() == Decimal("0.00").as_tuple()


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("abc", "not_an_amount"),
        ("1.2.3,4,5", "not_an_amount"),
        ("", "not_an_amount"),
        ("   ", "not_an_amount"),
        ("€", "not_an_amount"),
        ("1,5 mln", "not_an_amount"),
        ("1.2.3", "not_an_amount"),
        ("1.250.000.5", "not_an_amount"),
        ("5,", "not_an_amount"),
        (",5", "not_an_amount"),
        ("--5", "not_an_amount"),
        ("1,2345", "too_many_decimals"),
        ("1.500,256", "too_many_decimals"),
        ("12.345,678", "too_many_decimals"),
        # A leading zero group is never a thousands group: 0.001 is a tenth of a cent.
        ("0.001", "too_many_decimals"),
        ("0.500.000", "not_an_amount"),
        ("1.2.3,45", "not_an_amount"),  # the whole part is not grouped in threes
        ("1,2,3.45", "not_an_amount"),
    ],
)
def test_parse_euro_refuses(text, code):
    with pytest.raises(InputError) as excinfo:
        parse_euro(text)
    assert excinfo.value.code == code
    assert isinstance(excinfo.value, ValueError)


def test_error_names_the_field_in_both_languages():
    with pytest.raises(InputError) as excinfo:
        parse_euro("veel geld", location=Location(field="minimum"))
    error = excinfo.value
    assert error.location == Location(field="minimum")
    message = str(error)
    assert "veld 'minimum'" in message
    assert "field 'minimum'" in message
    assert "veel geld" in error.message_nl
    assert "veel geld" in error.message_en


def test_too_many_decimals_names_the_field():
    with pytest.raises(InputError) as excinfo:
        parse_euro("1,2345", location=Location(field="maximum", row=3))
    assert excinfo.value.code == "too_many_decimals"
    assert "rij 3, veld 'maximum'" in str(excinfo.value)
    assert "row 3, field 'maximum'" in str(excinfo.value)


def test_error_without_location_has_no_location_prefix():
    with pytest.raises(InputError) as excinfo:
        parse_euro("abc")
    assert str(excinfo.value).startswith("'abc' is geen bedrag")


@pytest.mark.parametrize(
    ("amount", "decimals", "expected"),
    [
        (Decimal("1250000"), False, "€ 1.250.000"),
        (Decimal("1250000"), True, "€ 1.250.000,00"),
        (Decimal("-500000.5"), False, "€ -500.000,50"),
        (Decimal("0.05"), False, "€ 0,05"),
        (Decimal("999"), False, "€ 999"),
        (Decimal("1000"), False, "€ 1.000"),
    ],
)
def test_format_euro(amount, decimals, expected):
    assert format_euro(amount, decimals=decimals) == expected


two_places = st.decimals(
    min_value=Decimal("-999999999999.99"),
    max_value=Decimal("999999999999.99"),
    places=2,
    allow_nan=False,
    allow_infinity=False,
)


@given(two_places)
def test_parse_reads_back_what_format_writes(amount):
    text = format_euro(amount, decimals=True)
    assert text.startswith("€ ")
    assert parse_euro(text.removeprefix("€ ")) == amount
    assert parse_euro(text) == amount


@given(two_places)
def test_parse_reads_machine_notation(amount):
    assert parse_euro(str(amount)) == amount


@given(st.integers(min_value=-(10**12), max_value=10**12))
def test_whole_euros_read_back_without_decimals(whole):
    amount = Decimal(whole)
    assert parse_euro(format_euro(amount).removeprefix("€ ")) == amount
