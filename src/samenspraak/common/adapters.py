"""The web layer's door to the core engine for shared value types: money and findings.

Forms, template tags and services use these instead of importing ``samenspraak.core``.
"""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal

from django.utils.translation import get_language

from samenspraak.core.errors import InputError
from samenspraak.core.frameworks import Finding, Severity
from samenspraak.core.money import format_euro, parse_euro

__all__ = [
    "InputError",
    "errors",
    "euro_from_text",
    "euro_to_text",
    "finding_message",
    "warnings",
]


def euro_from_text(text: str) -> Decimal:
    """A typed euro amount as Decimal; raises ``InputError`` (with a ``code``) if it is none."""
    return parse_euro(text)


def euro_to_text(amount: Decimal) -> str:
    """€ 1.250.000 (Dutch notation)."""
    return format_euro(amount)


def finding_message(finding: Finding) -> str:
    """A core ``Finding`` in the active language (Dutch unless English is chosen)."""
    language = (get_language() or "nl")[:2]
    return finding.message_en if language == "en" else finding.message_nl


def errors(findings: Iterable[Finding]) -> list[Finding]:
    return [f for f in findings if f.severity is Severity.ERROR]


def warnings(findings: Iterable[Finding]) -> list[Finding]:
    return [f for f in findings if f.severity is Severity.WARNING]
