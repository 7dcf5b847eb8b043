"""Exact money: euro amounts are ``Decimal`` with two places, never float.

``parse_euro`` reads amounts as Dutch people type them ("€ 1.250.000", "-500.000,50",
"1,5 mln" is *not* accepted: words are ambiguous) and as machines write them ("1250000.50").
"""

from __future__ import annotations

import re
from decimal import ROUND_HALF_EVEN, Decimal, InvalidOperation

from samenspraak.core.errors import InputError, Location

CENT = Decimal("0.01")
_ALLOWED = re.compile(r"^[+-]?[0-9.,]+$")
_THOUSANDS_DOTS = re.compile(r"^\d{1,3}(\.\d{3})+$")
_THOUSANDS_COMMAS = re.compile(r"^\d{1,3}(,\d{3})+$")


def _not_an_amount(text: str, location: Location | None) -> InputError:
    return InputError(
        code="not_an_amount",
        message_nl=f"'{text}' is geen bedrag. Schrijf bijvoorbeeld 1.250.000 of 1250000,50.",
        message_en=f"'{text}' is not an amount. Write for example 1.250.000 or 1250000,50.",
        location=location,
    )


def parse_euro(text: str, *, location: Location | None = None) -> Decimal:
    """Read a euro amount; raise ``InputError`` naming ``location`` when it is not one.

    Rules (Dutch first): a comma is the decimal separator and dots group thousands.
    With only dots, they group thousands when every group after a dot has three digits
    ("1.500" is 1500); a single dot otherwise is a decimal point ("12.5"). Likewise
    with only commas: "1,500,000" groups thousands, "12,5" is twelve and a half.
    More than two decimals is refused: euros have cents.
    """
    cleaned = text.strip().replace("€", "").replace("EUR", "").replace("\u00a0", "")
    cleaned = cleaned.replace(" ", "").replace("_", "")
    if not cleaned or not _ALLOWED.match(cleaned):
        raise _not_an_amount(text.strip(), location)
    sign = ""
    if cleaned[0] in "+-":
        sign, cleaned = ("-" if cleaned[0] == "-" else ""), cleaned[1:]
    if "," in cleaned and "." in cleaned:
        if cleaned.rfind(",") > cleaned.rfind("."):
            whole, _, frac = cleaned.rpartition(",")
            whole = whole.replace(".", "")
        else:
            whole, _, frac = cleaned.rpartition(".")
            whole = whole.replace(",", "")
        number = f"{whole}.{frac}"
    elif "." in cleaned:
        number = cleaned.replace(".", "") if _THOUSANDS_DOTS.match(cleaned) else cleaned
    elif "," in cleaned:
        if _THOUSANDS_COMMAS.match(cleaned):
            number = cleaned.replace(",", "")
        else:
            number = cleaned.replace(",", ".")
    else:
        number = cleaned
    if number.count(".") > 1 or not re.match(r"^\d+(\.\d+)?$", number):
        raise _not_an_amount(text.strip(), location)
    try:
        amount = Decimal(sign + number)
    except InvalidOperation as exc:  # pragma: no cover - the regex above guards this
        raise _not_an_amount(text.strip(), location) from exc
    if amount != amount.quantize(CENT, rounding=ROUND_HALF_EVEN):
        raise InputError(
            code="too_many_decimals",
            message_nl=f"'{text.strip()}' heeft meer dan twee cijfers achter de komma.",
            message_en=f"'{text.strip()}' has more than two decimals.",
            location=location,
        )
    return amount.quantize(CENT)


def format_euro(amount: Decimal, *, decimals: bool = False) -> str:
    """Dutch notation: € 1.250.000 or € -500.000,50 (for plain-language pages)."""
    quantized = amount.quantize(CENT)
    sign = "-" if quantized < 0 else ""
    whole, _, cents = f"{abs(quantized):.2f}".partition(".")
    grouped = f"{int(whole):,}".replace(",", ".")
    if decimals or cents != "00":
        return f"€ {sign}{grouped},{cents}"
    return f"€ {sign}{grouped}"
