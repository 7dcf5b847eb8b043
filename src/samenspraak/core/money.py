"""Exact money: euro amounts are ``Decimal`` with two places, never float.

``parse_euro`` reads amounts as Dutch people type them ("€ 1.250.000", "-500.000,50",
"1,5 mln" is *not* accepted: words are ambiguous) and as machines write them ("1250000.50").
"""

from __future__ import annotations

import re
from decimal import ROUND_HALF_EVEN, Decimal

from samenspraak.core.errors import InputError, Location

CENT = Decimal("0.01")
_ALLOWED = re.compile(r"^[+-]?[0-9.,]+$")
_THOUSANDS_DOTS = re.compile(r"^[1-9]\d{0,2}(\.\d{3})+$")  # a leading 0 never groups thousands
_THOUSANDS_COMMAS = re.compile(r"^[1-9]\d{0,2}(,\d{3})+$")


def _not_an_amount(text: str, location: Location | None) -> InputError:
    return InputError(
        code="not_an_amount",
        message_nl=f"'{text}' is geen bedrag. Schrijf bijvoorbeeld 1.250.000 of 1250000,50.",
        message_en=f"'{text}' is not an amount. Write for example 1.250.000 or 1250000,50.",
        location=location,
    )


def parse_euro(text: str, *, location: Location | None = None) -> Decimal:
    """Read a euro amount; raise ``InputError`` naming ``location`` when it is not one.

    Dutch first: a comma is the decimal separator and dots group thousands.

    - Both separators: the last one is the decimal separator, and the other must group
      the whole part in threes ("1.250.000,50" and "1,250,000.50"; not "1.2.3,45").
    - Only dots: they group thousands when every group after a dot has three digits
      ("1.500" is 1500, "1.250.000" is 1250000); a single dot otherwise is a decimal
      point ("12.5", as machines write).
    - Only commas: one comma is the Dutch decimal comma ("12,5"); several
      commas group thousands when every group has three digits ("1,500,000"). One comma
      followed by exactly three digits ("1,500") is refused as ambiguous.
    - At most two decimals: euros have cents. "€", "EUR", spaces and underscores are
      ignored; a sign may lead. "-0" is zero.
    """
    shown = text.strip()
    cleaned = re.sub(r"(?i)eur|€|[\s_]", "", shown)
    if not cleaned or not _ALLOWED.match(cleaned):
        raise _not_an_amount(shown, location)
    sign = ""
    if cleaned[0] in "+-":
        sign, cleaned = ("-" if cleaned[0] == "-" else ""), cleaned[1:]
    if "," in cleaned and "." in cleaned:
        decimal_mark = "," if cleaned.rfind(",") > cleaned.rfind(".") else "."
        whole, _, frac = cleaned.rpartition(decimal_mark)
        grouping = _THOUSANDS_DOTS if decimal_mark == "," else _THOUSANDS_COMMAS
        if not grouping.match(whole):
            raise _not_an_amount(shown, location)
        number = f"{whole.replace('.', '').replace(',', '')}.{frac}"
    elif "." in cleaned:
        number = cleaned.replace(".", "") if _THOUSANDS_DOTS.match(cleaned) else cleaned
    elif cleaned.count(",") > 1:
        if not _THOUSANDS_COMMAS.match(cleaned):
            raise _not_an_amount(shown, location)
        number = cleaned.replace(",", "")
    elif re.match(r"^\d{1,3},\d{3}$", cleaned):
        # "1,500": a Dutch decimal comma with three decimals, or English thousands?
        # Guessing either way can be off by a factor 1000, so ask.
        raise InputError(
            code="ambiguous_amount",
            message_nl=f"'{shown}' is niet duidelijk. Bedoelt u {cleaned.replace(',', '.')}? "
            "Schrijf duizendtallen met een punt en centen met een komma.",
            message_en=f"'{shown}' is ambiguous. Do you mean {cleaned.replace(',', '.')}? "
            "Write thousands with a dot and cents with a comma.",
            location=location,
        )
    else:
        number = cleaned.replace(",", ".")
    if not re.match(r"^\d+(\.\d+)?$", number):
        raise _not_an_amount(shown, location)
    amount = Decimal(sign + number)
    if amount != amount.quantize(CENT, rounding=ROUND_HALF_EVEN):
        raise InputError(
            code="too_many_decimals",
            message_nl=f"'{shown}' heeft meer dan twee cijfers achter de komma.",
            message_en=f"'{shown}' has more than two decimals.",
            location=location,
        )
    return amount.quantize(CENT) + Decimal("0.00")  # + 0 turns -0.00 into 0.00


def format_euro(amount: Decimal, *, decimals: bool = False) -> str:
    """Dutch notation: € 1.250.000 or € -500.000,50 (for plain-language pages)."""
    quantized = amount.quantize(CENT)
    sign = "-" if quantized < 0 else ""
    whole, _, cents = f"{abs(quantized):.2f}".partition(".")
    grouped = f"{int(whole):,}".replace(",", ".")
    if decimals or cents != "00":
        return f"€ {sign}{grouped},{cents}"
    return f"€ {sign}{grouped}"
