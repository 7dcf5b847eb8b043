"""Checking a ballot against the rules of its consultation, before anything is stored.

``check_ballot`` takes the consultation's rules and items as plain values and what the voter
chose, keyed by item code (the Pabulib ``project_id``), and returns the choice lines to
store, or raises one ``ValidationError`` that names every problem and the field it belongs
to. Fields: ``choices`` (the ballot as a whole), ``choice:<code>`` (one item),
``confirm_unbalanced`` (simulator), ``district`` and ``age_band``.

What a choice holds per ballot type (``Choice.value``):

- poll: an ``answer`` (support / oppose / no opinion) and an optional ``reason``;
- approval and knapsack: the chosen projects (value 1); knapsack also keeps the total cost
  within the budget;
- cumulative: the points given to a project (1 or more; the total at most the points);
- ordinal: the rank (1 = most preferred; the ranks given are exactly 1, 2, …, k);
- simulator: the chosen measures (value 1); ``closes_gap`` says whether the package closes
  the gap in every year, computed in ``Decimal``.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from samenspraak.common.formatting import format_euro_for_language
from samenspraak.consultations.models import (
    AgeBand,
    BallotType,
    ConsultationKind,
    PollAnswer,
)

ZERO = Decimal("0")
REASON_MAX = 2000


@dataclass(frozen=True)
class ItemInfo:
    id: int
    code: str
    title: str
    cost: Decimal | None = None
    amounts: Mapping[int, Decimal] = field(default_factory=dict)


@dataclass(frozen=True)
class Rules:
    kind: str
    ballot_type: str = ""
    budget: Decimal | None = None
    min_choices: int = 0
    max_choices: int | None = None
    points: int | None = None
    gaps: Mapping[int, Decimal] = field(default_factory=dict)
    district_ids: frozenset[int] = frozenset()  # districts that may take part (empty: all)
    district_required: bool = False


@dataclass(frozen=True)
class Line:
    item_id: int
    value: int = 1
    answer: str = ""
    reason: str = ""


@dataclass(frozen=True)
class Checked:
    lines: tuple[Line, ...]
    closes_gap: bool | None
    district_id: int | None
    age_band: str


class _Errors:
    def __init__(self) -> None:
        self.by_field: dict[str, list[str]] = {}

    def add(self, name: str, message: str) -> None:
        self.by_field.setdefault(name, []).append(message)

    def raise_if_any(self) -> None:
        if self.by_field:
            raise ValidationError(self.by_field)


def euro(amount: Decimal) -> str:
    return format_euro_for_language(amount)


def _integer(raw: Any) -> int | None:
    """A whole number from a form or API value; None for empty; raises ValueError."""
    if raw is None or raw == "" or raw is False:
        return None
    if raw is True:
        return 1
    if isinstance(raw, int):
        return raw
    text = str(raw).strip()
    if not text:
        return None
    if not text.lstrip("-").isdigit():
        raise ValueError(text)
    return int(text)


def _chosen(raw: Any) -> bool:
    if isinstance(raw, str):
        return raw.strip().lower() in {"1", "on", "true", "yes", "ja"}
    return bool(raw)


def selection_size_rule(rules: Rules) -> tuple[int, int | None]:
    """The fewest and most projects a PB voter must choose: at least one always."""
    return max(1, rules.min_choices), rules.max_choices


def rules_text(rules: Rules, item_count: int) -> str:
    """The rules of a PB ballot in one or two short sentences."""
    low, high = selection_size_rule(rules)
    high = min(high, item_count) if high else None
    if rules.ballot_type == BallotType.ORDINAL:
        if high and high == low:
            return ngettext(
                "Put %(n)s project in order: 1 is the one you want most.",
                "Put %(n)s projects in order: 1 is the one you want most.",
                high,
            ) % {"n": high}
        if high:
            return _(
                "Put at least %(low)s and at most %(high)s projects in order: number 1 is "
                "the one you want most."
            ) % {"low": low, "high": high}
        return _("Put at least %(low)s projects in order: number 1 is the one you want most.") % {
            "low": low
        }
    if rules.ballot_type == BallotType.CUMULATIVE:
        return _(
            "You have %(points)s points. Divide them over the projects you like: more points "
            "for what you want more."
        ) % {"points": rules.points or 0}
    parts = []
    if high and low > 1:
        parts.append(
            _("Choose at least %(low)s and at most %(high)s projects.")
            % {
                "low": low,
                "high": high,
            }
        )
    elif high:
        parts.append(
            ngettext("Choose at most %(n)s project.", "Choose at most %(n)s projects.", high)
            % {"n": high}
        )
    elif low > 1:
        parts.append(_("Choose at least %(low)s projects.") % {"low": low})
    else:
        parts.append(_("Choose the projects you like."))
    if rules.ballot_type == BallotType.KNAPSACK and rules.budget is not None:
        parts.append(
            _("Together they may cost at most %(budget)s.") % {"budget": euro(rules.budget)}
        )
    return " ".join(str(p) for p in parts)


def check_ballot(
    rules: Rules,
    items: Sequence[ItemInfo],
    choices: Mapping[str, Any],
    *,
    district_id: int | None = None,
    age_band: str = "",
    confirm_unbalanced: bool = False,
) -> Checked:
    """The lines to store, or a ``ValidationError`` naming every problem and its field.

    ``choices`` maps item codes to: a dict ``{answer, reason}`` (poll), a truth value
    (approval, knapsack, simulator), points (cumulative) or a rank (ordinal); empty values
    mean "not chosen".
    """
    errors = _Errors()
    by_code = {item.code: item for item in items}
    unknown = sorted(code for code in choices if code not in by_code)
    if unknown:
        errors.add(
            "choices",
            ngettext(
                "This is not a project of this vote: %(codes)s.",
                "These are not projects of this vote: %(codes)s.",
                len(unknown),
            )
            % {"codes": ", ".join(unknown)},
        )
        errors.raise_if_any()

    if rules.kind == ConsultationKind.POLL:
        lines = _check_poll(items, choices, errors)
    elif rules.kind == ConsultationKind.SIMULATOR:
        lines = [Line(item_id=by_code[code].id) for code, raw in choices.items() if _chosen(raw)]
    elif rules.ballot_type == BallotType.CUMULATIVE:
        lines = _check_cumulative(rules, by_code, choices, errors)
    elif rules.ballot_type == BallotType.ORDINAL:
        lines = _check_ordinal(rules, by_code, choices, errors)
    else:
        lines = _check_approval(rules, by_code, choices, errors)

    closes_gap = None
    if rules.kind == ConsultationKind.SIMULATOR:
        closes_gap = package_closes_gap(rules.gaps, items, {line.item_id for line in lines})
        if not closes_gap and not confirm_unbalanced:
            errors.add(
                "confirm_unbalanced",
                _(
                    "Your package does not close the gap in every year. Choose more measures, "
                    "or tick the box to send this package anyway."
                ),
            )

    if district_id is not None and rules.district_ids and district_id not in rules.district_ids:
        errors.add("district", _("Choose one of the districts in the list."))
    if district_id is None and rules.district_required:
        errors.add(
            "district",
            _("Choose the district where you live. Only residents of these districts may vote."),
        )
    if age_band and age_band not in AgeBand.values:
        errors.add("age_band", _("Choose one of the age groups in the list."))
    errors.raise_if_any()
    return Checked(
        lines=tuple(lines), closes_gap=closes_gap, district_id=district_id, age_band=age_band
    )


def _check_poll(items, choices, errors: _Errors) -> list[Line]:
    lines = []
    for item in items:
        raw = choices.get(item.code) or {}
        answer = str(raw.get("answer") or "").strip()
        reason = str(raw.get("reason") or "").strip()
        if answer and answer not in PollAnswer.values:
            errors.add(f"choice:{item.code}", _("Choose for, against or no opinion."))
            continue
        if len(reason) > REASON_MAX:
            errors.add(
                f"choice:{item.code}",
                _("Your explanation is too long: at most %(n)s characters.") % {"n": REASON_MAX},
            )
            continue
        if reason and not answer:
            errors.add(
                f"choice:{item.code}",
                _("You wrote an explanation. Also choose for, against or no opinion."),
            )
            continue
        if answer:
            lines.append(Line(item_id=item.id, answer=answer, reason=reason))
    if not lines and not errors.by_field:
        errors.add("choices", _("Give your opinion on at least one proposal."))
    return lines


def _count_rule(rules: Rules, count: int, errors: _Errors) -> None:
    low, high = selection_size_rule(rules)
    if count < low:
        errors.add(
            "choices",
            ngettext(
                "Choose at least %(n)s project. You chose %(count)s.",
                "Choose at least %(n)s projects. You chose %(count)s.",
                low,
            )
            % {"n": low, "count": count},
        )
    elif high is not None and count > high:
        errors.add(
            "choices",
            ngettext(
                "Choose at most %(n)s project. You chose %(count)s.",
                "Choose at most %(n)s projects. You chose %(count)s.",
                high,
            )
            % {"n": high, "count": count},
        )


def _check_approval(rules: Rules, by_code, choices, errors: _Errors) -> list[Line]:
    chosen = [by_code[code] for code, raw in choices.items() if _chosen(raw)]
    _count_rule(rules, len(chosen), errors)
    if rules.ballot_type == BallotType.KNAPSACK and rules.budget is not None:
        total = sum((item.cost or ZERO for item in chosen), ZERO)
        if total > rules.budget:
            errors.add(
                "choices",
                _(
                    "The projects you chose cost %(total)s together. That is %(over)s more than "
                    "the budget of %(budget)s. Remove a project."
                )
                % {
                    "total": euro(total),
                    "over": euro(total - rules.budget),
                    "budget": euro(rules.budget),
                },
            )
    return [Line(item_id=item.id) for item in chosen]


def _check_cumulative(rules: Rules, by_code, choices, errors: _Errors) -> list[Line]:
    points = rules.points or 0
    lines = []
    total = 0
    for code, raw in choices.items():
        try:
            value = _integer(raw)
        except ValueError:
            errors.add(f"choice:{code}", _("Write a whole number of points, for example 3."))
            continue
        if value is None or value == 0:
            continue
        if value < 0:
            errors.add(f"choice:{code}", _("Points cannot be negative."))
            continue
        total += value
        lines.append(Line(item_id=by_code[code].id, value=value))
    if errors.by_field:
        return lines
    _count_rule(rules, len(lines), errors)
    if total > points:
        errors.add(
            "choices",
            _("You gave %(total)s points, but you have %(points)s. Take away %(over)s points.")
            % {"total": total, "points": points, "over": total - points},
        )
    return lines


def _check_ordinal(rules: Rules, by_code, choices, errors: _Errors) -> list[Line]:
    lines = []
    for code, raw in choices.items():
        try:
            value = _integer(raw)
        except ValueError:
            errors.add(f"choice:{code}", _("Write a place as a number: 1, 2, 3 …"))
            continue
        if value is None:
            continue
        if value < 1:
            errors.add(f"choice:{code}", _("A place is 1 or higher."))
            continue
        lines.append(Line(item_id=by_code[code].id, value=value))
    if errors.by_field:
        return lines
    ranks = sorted(line.value for line in lines)
    duplicates = sorted({r for r in ranks if ranks.count(r) > 1})
    if duplicates:
        errors.add(
            "choices",
            _(
                "You gave the same place to more than one project: %(places)s. Give each a "
                "different place."
            )
            % {"places": ", ".join(str(r) for r in duplicates)},
        )
    elif ranks != list(range(1, len(ranks) + 1)):
        errors.add(
            "choices",
            _("Number the projects 1, 2, 3 … without skipping a number. You used: %(places)s.")
            % {"places": ", ".join(str(r) for r in ranks)},
        )
    _count_rule(rules, len(lines), errors)
    return lines


def package_totals(
    items: Sequence[ItemInfo], chosen_ids: set[int], years: Sequence[int]
) -> dict[int, Decimal]:
    """What the chosen measures save per year (savings positive, costs negative)."""
    totals = dict.fromkeys(years, ZERO)
    for item in items:
        if item.id in chosen_ids:
            for year in years:
                totals[year] += item.amounts.get(year, ZERO)
    return totals


def package_closes_gap(
    gaps: Mapping[int, Decimal], items: Sequence[ItemInfo], chosen_ids: set[int]
) -> bool:
    """True when the chosen measures save at least the gap in every year (exact Decimal)."""
    totals = package_totals(items, chosen_ids, sorted(gaps))
    return all(totals[year] >= gap for year, gap in gaps.items())
