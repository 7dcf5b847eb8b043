"""Showing numbers the way the reader's language writes them."""

from __future__ import annotations

from decimal import Decimal

from django.utils.translation import get_language

from samenspraak.common.adapters import euro_to_text


def format_euro_for_language(value) -> str:
    """€ 1.250.000 in Dutch, € 1,250,000 in English; empty for None or ""."""
    if value is None or value == "":
        return ""
    text = euro_to_text(Decimal(value))
    if (get_language() or "nl").startswith("en"):
        # Swap the separators: 1.250.000,50 -> 1,250,000.50
        text = text.replace(".", "\0").replace(",", ".").replace("\0", ",")
    return text
