"""Checks against the council's frameworks (kaders) -> ``Finding`` objects.

A framework gives a financial bandwidth per budget year: either a range a plan must stay
within (e.g. a land-development result between -0.5m and +1.5m) or a savings target
(structural and incidental) that a package of measures must reach. This module checks
that the frameworks themselves are consistent (``check_bandwidth``, ``check_phases``) and
checks a plan -- a proposal, a Programme of Requirements or a package -- against them
(``check_plan`` -> ``CheckReport``; ``find_conflicts`` for norms that cannot both hold).
See docs/methods/framework-checks.md for the exact rules.
"""

from __future__ import annotations

import bisect
import enum
import itertools
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal, InvalidOperation

from samenspraak.core.money import format_euro


class Severity(enum.StrEnum):
    ERROR = "error"
    WARNING = "warning"


class BandwidthKind(enum.StrEnum):
    RANGE = "range"  # financiële bandbreedte: minimum and/or maximum amount
    SAVINGS = "savings"  # besparingsopgave: an amount to save


@dataclass(frozen=True)
class Finding:
    """One thing a check found, in Dutch and English, tied to a field and year if any."""

    code: str
    severity: Severity
    message_nl: str
    message_en: str
    field: str | None = None
    year: int | None = None
    index: int | None = None


@dataclass(frozen=True)
class BandwidthYear:
    year: int
    minimum: Decimal | None = None
    maximum: Decimal | None = None
    savings_structural: Decimal | None = None
    savings_incidental: Decimal | None = None

    @property
    def savings_total(self) -> Decimal:
        return (self.savings_structural or Decimal(0)) + (self.savings_incidental or Decimal(0))


@dataclass(frozen=True)
class PhaseDates:
    title: str
    start: date | None
    end: date | None


def check_bandwidth_year(kind: BandwidthKind, row: BandwidthYear, index: int) -> list[Finding]:
    """Findings for one budget year of a bandwidth."""
    findings: list[Finding] = []
    if kind is BandwidthKind.RANGE:
        if row.minimum is None and row.maximum is None:
            findings.append(
                Finding(
                    "range_empty",
                    Severity.ERROR,
                    f"Vul voor {row.year} een minimum of een maximum in.",
                    f"Enter a minimum or a maximum for {row.year}.",
                    field="minimum",
                    year=row.year,
                    index=index,
                )
            )
        if row.minimum is not None and row.maximum is not None and row.minimum > row.maximum:
            findings.append(
                Finding(
                    "minimum_above_maximum",
                    Severity.ERROR,
                    f"Het minimum voor {row.year} is hoger dan het maximum.",
                    f"The minimum for {row.year} is higher than the maximum.",
                    field="minimum",
                    year=row.year,
                    index=index,
                )
            )
    else:
        if row.savings_structural is None and row.savings_incidental is None:
            findings.append(
                Finding(
                    "savings_empty",
                    Severity.ERROR,
                    f"Vul voor {row.year} een structurele of incidentele besparing in.",
                    f"Enter a structural or incidental saving for {row.year}.",
                    field="savings_structural",
                    year=row.year,
                    index=index,
                )
            )
        for name in ("savings_structural", "savings_incidental"):
            value = getattr(row, name)
            if value is not None and value < 0:
                findings.append(
                    Finding(
                        "savings_negative",
                        Severity.ERROR,
                        f"Een besparing is een positief bedrag ({row.year}).",
                        f"A saving is a positive amount ({row.year}).",
                        field=name,
                        year=row.year,
                        index=index,
                    )
                )
    return findings


def check_bandwidth(kind: BandwidthKind, rows: Sequence[BandwidthYear]) -> list[Finding]:
    """Findings for a whole bandwidth: each year, duplicate years, a shrinking structural target.

    A structural saving recurs every year from its start, so a structural target that drops
    in a later year is almost always a typing error; it is a warning, not an error.
    """
    findings: list[Finding] = []
    seen: dict[int, int] = {}
    for index, row in enumerate(rows):
        findings.extend(check_bandwidth_year(kind, row, index))
        if row.year in seen:
            findings.append(
                Finding(
                    "duplicate_year",
                    Severity.ERROR,
                    f"Het jaar {row.year} staat er twee keer in.",
                    f"The year {row.year} appears twice.",
                    field="year",
                    year=row.year,
                    index=index,
                )
            )
        seen.setdefault(row.year, index)
    if kind is BandwidthKind.SAVINGS:
        ordered = sorted(
            (r for r in rows if r.savings_structural is not None), key=lambda r: r.year
        )
        for earlier, later in itertools.pairwise(ordered):
            assert earlier.savings_structural is not None
            assert later.savings_structural is not None
            if later.savings_structural < earlier.savings_structural:
                findings.append(
                    Finding(
                        "structural_decreases",
                        Severity.WARNING,
                        f"De structurele besparing daalt van {earlier.year} naar {later.year}. "
                        "Klopt dat?",
                        f"The structural saving drops from {earlier.year} to {later.year}. "
                        "Is that right?",
                        field="savings_structural",
                        year=later.year,
                    )
                )
    return findings


def check_phases(phases: Sequence[PhaseDates]) -> list[Finding]:
    """Findings for a process's ordered phases: each ends after it starts; no overlap."""
    findings: list[Finding] = []
    for index, phase in enumerate(phases):
        if phase.start and phase.end and phase.end < phase.start:
            findings.append(
                Finding(
                    "phase_ends_before_start",
                    Severity.ERROR,
                    f"De fase '{phase.title}' eindigt voordat hij begint.",
                    f"The phase '{phase.title}' ends before it starts.",
                    field="end_date",
                    index=index,
                )
            )
    for index, (earlier, later) in enumerate(itertools.pairwise(phases), start=1):
        if earlier.end and later.start and later.start < earlier.end:
            findings.append(
                Finding(
                    "phases_overlap",
                    Severity.WARNING,
                    f"De fase '{later.title}' begint voordat '{earlier.title}' klaar is.",
                    f"The phase '{later.title}' starts before '{earlier.title}' ends.",
                    field="start_date",
                    index=index,
                )
            )
    return findings


def current_phase_index(phases: Sequence[PhaseDates], today: date) -> int | None:
    """The phase that ``today`` falls in (the last one that has started), or None.

    The clock is the caller's: core never reads it.
    """
    current: int | None = None
    for index, phase in enumerate(phases):
        if phase.start and phase.start <= today:
            current = index
    return current


# --- checking a plan against the frameworks ---------------------------------------------
#
# A plan is a proposal, a Programme of Requirements (PvE) or a package of proposals. The
# caller (proposals.adapters) turns its models into the frozen dataclasses below; the result
# is a ``CheckReport`` with one ``CheckItem`` per check, always in the order of CHECK_CODES.


class Priority(enum.StrEnum):
    MUST = "must"
    SHOULD = "should"
    COULD = "could"


class NormOperator(enum.StrEnum):
    AT_LEAST = "at_least"
    AT_MOST = "at_most"
    EXACTLY = "exactly"


@dataclass(frozen=True)
class Requirement:
    """One requirement of a PvE, optionally with a measurable norm ``quantity operator value``."""

    key: str  # stable id (e.g. "R12") used in messages
    aspect: str  # e.g. "parkeren"
    title: str
    priority: Priority
    cost_estimate: Decimal | None = None  # a cost, as a positive amount
    quantity: str | None = None  # e.g. "parkeerplaatsen per woning"
    operator: NormOperator | None = None
    value: Decimal | None = None
    unit: str | None = None

    @property
    def has_norm(self) -> bool:
        return bool(self.quantity and self.quantity.strip()) and (
            self.operator is not None and self.value is not None
        )


@dataclass(frozen=True)
class PlanYear:
    """The plan's financial effect in one budget year: savings/proceeds positive, costs negative.

    The amounts are the effect *in that year*: a structural measure that saves € 1 m from
    2026 on appears as 1 m in 2026 and again in every later year.
    """

    year: int
    structural: Decimal
    incidental: Decimal

    @property
    def total(self) -> Decimal:
        return self.structural + self.incidental


@dataclass(frozen=True)
class ConditionAssessment:
    condition: str
    met: bool | None  # None: staff did not assess it yet
    note: str = ""


@dataclass(frozen=True)
class PlanFrameworks:
    """What the council set for the process (from processes.Framework)."""

    bandwidth_kind: BandwidthKind
    years: tuple[BandwidthYear, ...]
    mandatory_aspects: tuple[str, ...]
    conditions: tuple[str, ...]


@dataclass(frozen=True)
class Plan:
    aspects: frozenset[str]  # aspects the plan addresses; requirements' aspects count too
    years: tuple[PlanYear, ...] = ()
    requirements: tuple[Requirement, ...] = ()
    conditions: tuple[ConditionAssessment, ...] = ()


class CheckStatus(enum.StrEnum):
    PASS = "pass"  # noqa: S105 (a check status, not a password)
    FAIL = "fail"
    NOT_ASSESSED = "not_assessed"


@dataclass(frozen=True)
class YearBalance:
    """One budget year of the bandwidth or structural check, for a table on a page.

    ``amount`` is what was compared (the plan's total, or its structural part);
    ``minimum``/``maximum`` the limits it was compared with (for a savings target the target
    is the minimum). ``shortfall`` is how much below the minimum, ``excess`` how much above
    the maximum; both are zero when the year is within its limits.
    """

    year: int
    amount: Decimal
    minimum: Decimal | None
    maximum: Decimal | None
    shortfall: Decimal
    excess: Decimal

    @property
    def ok(self) -> bool:
        return self.shortfall == 0 and self.excess == 0


@dataclass(frozen=True)
class CheckItem:
    code: str  # one of CHECK_CODES
    status: CheckStatus
    title_nl: str
    title_en: str
    reason_nl: str  # plain B1 Dutch
    reason_en: str
    details: tuple[str, ...] = ()  # missing aspects, failing years, conflicting keys, ...
    years: tuple[YearBalance, ...] = ()  # bandwidth and structural items: one per year
    notes_nl: tuple[str, ...] = ()  # warnings that do not change the status
    notes_en: tuple[str, ...] = ()


CHECK_CODES: tuple[str, ...] = ("aspects", "bandwidth", "structural", "conditions", "conflicts")
REPORT_FORMAT = 1


@dataclass(frozen=True)
class CheckReport:
    items: tuple[CheckItem, ...]

    @property
    def passed(self) -> bool:
        """True when no item failed and none is still to be assessed."""
        return all(item.status is CheckStatus.PASS for item in self.items)

    def item(self, code: str) -> CheckItem:
        for item in self.items:
            if item.code == code:
                return item
        raise KeyError(code)

    def to_dict(self) -> dict[str, object]:
        """JSON-serialisable form (Decimals as strings), stored with the version it checked."""
        return {
            "format": REPORT_FORMAT,
            "passed": self.passed,
            "items": [_item_to_dict(item) for item in self.items],
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, object]) -> CheckReport:
        """The inverse of ``to_dict``; raises ``ValueError`` on data it cannot read."""
        fmt = data.get("format", REPORT_FORMAT)
        if fmt != REPORT_FORMAT:
            raise ValueError(f"Unknown check report format: {fmt!r}")
        items = data.get("items")
        if not isinstance(items, list):
            raise ValueError("A check report needs a list of items.")
        return cls(tuple(_item_from_dict(raw) for raw in items))


def _decimal_or_none(value: Decimal | None) -> str | None:
    return None if value is None else str(value)


def _item_to_dict(item: CheckItem) -> dict[str, object]:
    return {
        "code": item.code,
        "status": item.status.value,
        "title_nl": item.title_nl,
        "title_en": item.title_en,
        "reason_nl": item.reason_nl,
        "reason_en": item.reason_en,
        "details": list(item.details),
        "years": [
            {
                "year": y.year,
                "amount": str(y.amount),
                "minimum": _decimal_or_none(y.minimum),
                "maximum": _decimal_or_none(y.maximum),
                "shortfall": str(y.shortfall),
                "excess": str(y.excess),
            }
            for y in item.years
        ],
        "notes_nl": list(item.notes_nl),
        "notes_en": list(item.notes_en),
    }


def _str(raw: Mapping[str, object], name: str) -> str:
    value = raw.get(name)
    if not isinstance(value, str):
        raise ValueError(f"Check item field {name!r} must be text, not {value!r}.")
    return value


def _strings(raw: Mapping[str, object], name: str) -> tuple[str, ...]:
    value = raw.get(name, [])
    if not isinstance(value, list | tuple) or not all(isinstance(v, str) for v in value):
        raise ValueError(f"Check item field {name!r} must be a list of texts.")
    return tuple(value)


def _decimal(value: object, name: str, *, optional: bool = False) -> Decimal | None:
    if value is None and optional:
        return None
    if not isinstance(value, str | int):
        raise ValueError(f"{name!r} must be an amount written as text, not {value!r}.")
    try:
        return Decimal(value)
    except InvalidOperation as exc:
        raise ValueError(f"{name!r} is not an amount: {value!r}.") from exc


def _year_from_dict(raw: object) -> YearBalance:
    if not isinstance(raw, Mapping):
        raise ValueError("Each year of a check item must be an object.")
    year = raw.get("year")
    if not isinstance(year, int) or isinstance(year, bool):
        raise ValueError(f"'year' must be a whole number, not {year!r}.")
    amount = _decimal(raw.get("amount"), "amount")
    shortfall = _decimal(raw.get("shortfall"), "shortfall")
    excess = _decimal(raw.get("excess"), "excess")
    assert amount is not None and shortfall is not None and excess is not None
    return YearBalance(
        year=year,
        amount=amount,
        minimum=_decimal(raw.get("minimum"), "minimum", optional=True),
        maximum=_decimal(raw.get("maximum"), "maximum", optional=True),
        shortfall=shortfall,
        excess=excess,
    )


def _item_from_dict(raw: object) -> CheckItem:
    if not isinstance(raw, Mapping):
        raise ValueError("Each check item must be an object.")
    years = raw.get("years", [])
    if not isinstance(years, list | tuple):
        raise ValueError("'years' must be a list.")
    try:
        status = CheckStatus(_str(raw, "status"))
    except ValueError as exc:
        raise ValueError(f"Unknown check status: {raw.get('status')!r}.") from exc
    return CheckItem(
        code=_str(raw, "code"),
        status=status,
        title_nl=_str(raw, "title_nl"),
        title_en=_str(raw, "title_en"),
        reason_nl=_str(raw, "reason_nl"),
        reason_en=_str(raw, "reason_en"),
        details=_strings(raw, "details"),
        years=tuple(_year_from_dict(y) for y in years),
        notes_nl=_strings(raw, "notes_nl"),
        notes_en=_strings(raw, "notes_en"),
    )


# --- helpers ----------------------------------------------------------------------------


def normalize_label(text: str) -> str:
    """How aspects, quantities, units and conditions are compared: case and spacing ignored."""
    return " ".join(text.split()).casefold()


def format_number(value: Decimal, *, dutch: bool) -> str:
    """A norm's value without an exponent or trailing zeros: 1,5 (Dutch) or 1.5 (English)."""
    text = f"{value:f}"
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    if text in ("-0", ""):
        text = "0"
    return text.replace(".", ",") if dutch else text


def _quoted(items: Sequence[str]) -> list[str]:
    return [f"'{item}'" for item in items]


def _join(items: Sequence[str], last_nl: bool) -> str:
    """'a, b en c' (Dutch) or 'a, b and c'."""
    word = " en " if last_nl else " and "
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + word + items[-1]


# --- 1. mandatory aspects ---------------------------------------------------------------


def covered_aspects(plan: Plan) -> frozenset[str]:
    """The normalised aspects a plan covers: its own and those of its requirements."""
    labels = {normalize_label(a) for a in plan.aspects}
    labels.update(normalize_label(r.aspect) for r in plan.requirements)
    labels.discard("")
    return frozenset(labels)


def _check_aspects(frameworks: PlanFrameworks, plan: Plan) -> CheckItem:
    title = ("Verplichte aspecten", "Mandatory aspects")
    covered = covered_aspects(plan)
    missing: list[str] = []
    seen: set[str] = set()
    for aspect in frameworks.mandatory_aspects:
        label = normalize_label(aspect)
        if label and label not in covered and label not in seen:
            missing.append(" ".join(aspect.split()))
        seen.add(label)
    if not any(normalize_label(a) for a in frameworks.mandatory_aspects):
        return CheckItem(
            "aspects",
            CheckStatus.PASS,
            *title,
            "Er zijn geen verplichte aspecten vastgesteld.",
            "No mandatory aspects were set.",
        )
    if not missing:
        return CheckItem(
            "aspects",
            CheckStatus.PASS,
            *title,
            "Alle verplichte aspecten komen aan bod.",
            "Every mandatory aspect is covered.",
        )
    if len(missing) == 1:
        nl = f"Dit verplichte aspect ontbreekt: {missing[0]}."
        en = f"This mandatory aspect is missing: {missing[0]}."
    else:
        nl = f"Deze verplichte aspecten ontbreken: {_join(missing, True)}."
        en = f"These mandatory aspects are missing: {_join(missing, False)}."
    return CheckItem("aspects", CheckStatus.FAIL, *title, nl, en, details=tuple(missing))


# --- 2 and 3. bandwidth and structural --------------------------------------------------

_NO_BANDWIDTH = ("Er is geen financiële bandbreedte vastgesteld.", "No bandwidth set.")


def plan_totals(plan: Plan) -> dict[int, tuple[Decimal, Decimal]]:
    """Per year the plan's (structural, incidental) sums; several rows for one year add up."""
    totals: dict[int, tuple[Decimal, Decimal]] = {}
    for row in plan.years:
        s, i = totals.get(row.year, (Decimal(0), Decimal(0)))
        totals[row.year] = (s + row.structural, i + row.incidental)
    return totals


def _balance(
    year: int, amount: Decimal, minimum: Decimal | None, maximum: Decimal | None
) -> YearBalance:
    shortfall = minimum - amount if minimum is not None and amount < minimum else Decimal(0)
    excess = amount - maximum if maximum is not None and amount > maximum else Decimal(0)
    return YearBalance(year, amount, minimum, maximum, shortfall, excess)


def _cost_notes(frameworks: PlanFrameworks, plan: Plan) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """A warning when the requirements' cost estimates exceed the room a range leaves for costs.

    The room is minus the sum of the yearly minimums (the most the plan may cost net over all
    years); only for a range whose every year has a minimum. A warning, not a failure: the
    plan's proceeds may pay for part of the costs.
    """
    costs = [r.cost_estimate for r in plan.requirements if r.cost_estimate is not None]
    if not costs or frameworks.bandwidth_kind is not BandwidthKind.RANGE:
        return (), ()
    minimums = [y.minimum for y in frameworks.years]
    if not minimums or any(m is None for m in minimums):
        return (), ()
    total_cost = sum(costs, Decimal(0))
    room = -sum((m for m in minimums if m is not None), Decimal(0))
    if total_cost <= room:
        return (), ()
    over = format_euro(total_cost - room)
    return (
        (
            f"De geschatte kosten van de eisen zijn samen {format_euro(total_cost)}. "
            f"Dat is {over} meer dan de bandbreedte aan kosten toestaat "
            f"({format_euro(room)} over alle jaren samen).",
        ),
        (
            f"The requirements' cost estimates add up to {format_euro(total_cost)}. "
            f"That is {over} more than the bandwidth allows in costs "
            f"({format_euro(room)} over all years together).",
        ),
    )


def _check_bandwidth(frameworks: PlanFrameworks, plan: Plan) -> CheckItem:
    title = ("Financiële bandbreedte per jaar", "Financial bandwidth per year")
    notes_nl, notes_en = _cost_notes(frameworks, plan)
    if not frameworks.years:
        return CheckItem("bandwidth", CheckStatus.PASS, *title, *_NO_BANDWIDTH)
    totals = plan_totals(plan)
    balances: list[YearBalance] = []
    nl: list[str] = []
    en: list[str] = []
    for row in sorted(frameworks.years, key=lambda r: r.year):
        s, i = totals.get(row.year, (Decimal(0), Decimal(0)))
        amount = s + i
        if frameworks.bandwidth_kind is BandwidthKind.RANGE:
            balance = _balance(row.year, amount, row.minimum, row.maximum)
            if balance.shortfall:
                nl.append(
                    f"In {row.year} is het totaal {format_euro(amount)}. Dat is "
                    f"{format_euro(balance.shortfall)} lager dan het minimum van "
                    f"{format_euro(row.minimum or Decimal(0))}."
                )
                en.append(
                    f"In {row.year} the total is {format_euro(amount)}. That is "
                    f"{format_euro(balance.shortfall)} below the minimum of "
                    f"{format_euro(row.minimum or Decimal(0))}."
                )
            if balance.excess:
                nl.append(
                    f"In {row.year} is het totaal {format_euro(amount)}. Dat is "
                    f"{format_euro(balance.excess)} hoger dan het maximum van "
                    f"{format_euro(row.maximum or Decimal(0))}."
                )
                en.append(
                    f"In {row.year} the total is {format_euro(amount)}. That is "
                    f"{format_euro(balance.excess)} above the maximum of "
                    f"{format_euro(row.maximum or Decimal(0))}."
                )
        else:
            target = row.savings_total
            balance = _balance(row.year, amount, target, None)
            if balance.shortfall:
                nl.append(
                    f"In {row.year} levert het plan {format_euro(amount)} op. De opgave is "
                    f"{format_euro(target)}. Het plan komt {format_euro(balance.shortfall)} "
                    "tekort."
                )
                en.append(
                    f"In {row.year} the plan yields {format_euro(amount)}. The target is "
                    f"{format_euro(target)}. The plan falls {format_euro(balance.shortfall)} "
                    "short."
                )
        balances.append(balance)
    failing = tuple(str(b.year) for b in balances if not b.ok)
    if failing:
        return CheckItem(
            "bandwidth",
            CheckStatus.FAIL,
            *title,
            " ".join(nl),
            " ".join(en),
            details=failing,
            years=tuple(balances),
            notes_nl=notes_nl,
            notes_en=notes_en,
        )
    if frameworks.bandwidth_kind is BandwidthKind.RANGE:
        reason = (
            "In elk jaar blijft het totaal binnen de bandbreedte.",
            "In every year the total stays within the bandwidth.",
        )
    else:
        reason = (
            "In elk jaar haalt het plan de besparingsopgave.",
            "In every year the plan reaches the savings target.",
        )
    return CheckItem(
        "bandwidth",
        CheckStatus.PASS,
        *title,
        *reason,
        years=tuple(balances),
        notes_nl=notes_nl,
        notes_en=notes_en,
    )


def _check_structural(frameworks: PlanFrameworks, plan: Plan) -> CheckItem:
    title = (
        "Structureel tekort structureel gedekt",
        "Structural gap closed by structural measures",
    )
    if not frameworks.years:
        return CheckItem("structural", CheckStatus.PASS, *title, *_NO_BANDWIDTH)
    if frameworks.bandwidth_kind is BandwidthKind.RANGE:
        return CheckItem(
            "structural",
            CheckStatus.PASS,
            *title,
            "Er is geen structurele besparingsopgave, alleen een bandbreedte.",
            "There is no structural savings target, only a range.",
        )
    totals = plan_totals(plan)
    balances: list[YearBalance] = []
    nl: list[str] = []
    en: list[str] = []
    for row in sorted(frameworks.years, key=lambda r: r.year):
        structural = totals.get(row.year, (Decimal(0), Decimal(0)))[0]
        target = row.savings_structural or Decimal(0)
        balance = _balance(row.year, structural, target, None)
        balances.append(balance)
        if balance.shortfall:
            nl.append(
                f"In {row.year} bespaart het plan structureel {format_euro(structural)}. "
                f"De structurele opgave is {format_euro(target)}. Er ontbreekt "
                f"{format_euro(balance.shortfall)} aan structurele besparing."
            )
            en.append(
                f"In {row.year} the plan saves {format_euro(structural)} structurally. "
                f"The structural target is {format_euro(target)}. It lacks "
                f"{format_euro(balance.shortfall)} of structural savings."
            )
    failing = tuple(str(b.year) for b in balances if not b.ok)
    if failing:
        nl.append("Een structureel tekort mag u alleen met structurele maatregelen dekken.")
        en.append("A structural gap may only be closed by structural measures.")
        return CheckItem(
            "structural",
            CheckStatus.FAIL,
            *title,
            " ".join(nl),
            " ".join(en),
            details=failing,
            years=tuple(balances),
        )
    return CheckItem(
        "structural",
        CheckStatus.PASS,
        *title,
        "In elk jaar dekken structurele maatregelen de structurele opgave.",
        "In every year structural measures cover the structural target.",
        years=tuple(balances),
    )


# --- 4. conditions ----------------------------------------------------------------------


def _check_conditions(frameworks: PlanFrameworks, plan: Plan) -> CheckItem:
    title = ("Voorwaarden", "Conditions")
    # The council's conditions in their order, then any assessed condition not among them;
    # for one condition the last assessment given counts.
    order: dict[str, str] = {}
    for text in frameworks.conditions:
        if normalize_label(text):
            order.setdefault(normalize_label(text), " ".join(text.split()))
    assessed: dict[str, bool | None] = {}
    for assessment in plan.conditions:
        label = normalize_label(assessment.condition)
        if label:
            order.setdefault(label, " ".join(assessment.condition.split()))
            assessed[label] = assessment.met
    if not order:
        return CheckItem(
            "conditions",
            CheckStatus.PASS,
            *title,
            "Er zijn geen voorwaarden gesteld.",
            "No conditions were set.",
        )
    not_met = [text for label, text in order.items() if assessed.get(label) is False]
    open_ = [text for label, text in order.items() if assessed.get(label) is None]
    if not_met:
        nl = [f"Niet voldaan aan: {_join(_quoted(not_met), True)}."]
        en = [f"Not met: {_join(_quoted(not_met), False)}."]
        if open_:
            nl.append(f"Nog niet beoordeeld: {_join(_quoted(open_), True)}.")
            en.append(f"Not assessed yet: {_join(_quoted(open_), False)}.")
        return CheckItem(
            "conditions",
            CheckStatus.FAIL,
            *title,
            " ".join(nl),
            " ".join(en),
            details=tuple(not_met),
        )
    if open_:
        return CheckItem(
            "conditions",
            CheckStatus.NOT_ASSESSED,
            *title,
            "De gemeente heeft nog niet beoordeeld of het plan voldoet aan: "
            f"{_join(_quoted(open_), True)}.",
            f"Staff have not yet assessed whether the plan meets: {_join(_quoted(open_), False)}.",
            details=tuple(open_),
        )
    return CheckItem(
        "conditions",
        CheckStatus.PASS,
        *title,
        "Het plan voldoet aan alle voorwaarden.",
        "The plan meets every condition.",
    )


# --- 5. conflicting requirements --------------------------------------------------------

_OPERATOR_TEXT = {
    NormOperator.AT_LEAST: ("minstens", "at least"),
    NormOperator.AT_MOST: ("hoogstens", "at most"),
    NormOperator.EXACTLY: ("precies", "exactly"),
}


def norms_conflict(
    op_a: NormOperator, value_a: Decimal, op_b: NormOperator, value_b: Decimal
) -> bool:
    """True when no number satisfies both ``x op_a value_a`` and ``x op_b value_b``."""
    lower_a = value_a if op_a is not NormOperator.AT_MOST else None
    upper_a = value_a if op_a is not NormOperator.AT_LEAST else None
    lower_b = value_b if op_b is not NormOperator.AT_MOST else None
    upper_b = value_b if op_b is not NormOperator.AT_LEAST else None
    lower = max((v for v in (lower_a, lower_b) if v is not None), default=None)
    upper = min((v for v in (upper_a, upper_b) if v is not None), default=None)
    return lower is not None and upper is not None and lower > upper


def _norm_text(req: Requirement, *, dutch: bool) -> str:
    assert req.operator is not None and req.value is not None
    word = _OPERATOR_TEXT[req.operator][0 if dutch else 1]
    unit = f" {req.unit.strip()}" if req.unit and req.unit.strip() else ""
    return f"{word} {format_number(req.value, dutch=dutch)}{unit}"


def _conflict_reason(a: Requirement, b: Requirement, *, dutch: bool) -> str:
    quantity = " ".join((a.quantity or "").split())
    if dutch:
        return (
            f"{a.key} vraagt {_norm_text(a, dutch=True)} en {b.key} vraagt "
            f"{_norm_text(b, dutch=True)} voor '{quantity}'."
        )
    return (
        f"{a.key} requires {_norm_text(a, dutch=False)} and {b.key} requires "
        f"{_norm_text(b, dutch=False)} for '{quantity}'."
    )


def _conflicting_index_pairs(requirements: Sequence[Requirement]) -> list[tuple[int, int]]:
    """Index pairs (i < j) of norms on the same quantity and unit that cannot both hold.

    Per (quantity, unit) group the norms are split by operator and sorted by value; each
    kind of conflict is then a prefix or suffix of a sorted list found by bisection, so the
    work is O(n log n + number of conflicts) instead of looking at every pair.
    """
    groups: dict[tuple[str, str], list[int]] = {}
    for index, req in enumerate(requirements):
        if req.has_norm:
            key = (normalize_label(req.quantity or ""), normalize_label(req.unit or ""))
            groups.setdefault(key, []).append(index)
    pairs: list[tuple[int, int]] = []
    for members in groups.values():
        if len(members) < 2:
            continue
        by_op: dict[NormOperator, list[tuple[Decimal, int]]] = {op: [] for op in NormOperator}
        for index in members:
            req = requirements[index]
            assert req.operator is not None and req.value is not None
            by_op[req.operator].append((req.value, index))
        at_least = sorted(by_op[NormOperator.AT_LEAST])
        at_most = sorted(by_op[NormOperator.AT_MOST])
        exactly = sorted(by_op[NormOperator.EXACTLY])
        least_values = [v for v, _ in at_least]
        exact_values = [v for v, _ in exactly]

        def add(i: int, j: int) -> None:
            pairs.append((i, j) if i < j else (j, i))

        # at most m vs at least l: conflict when l > m.
        for m, i in at_most:
            for _, j in at_least[bisect.bisect_right(least_values, m) :]:
                add(i, j)
        # exactly e vs at least l: conflict when l > e; exactly e vs at most m: when e > m.
        for e, i in exactly:
            for _, j in at_least[bisect.bisect_right(least_values, e) :]:
                add(i, j)
        for m, i in at_most:
            for _, j in exactly[bisect.bisect_right(exact_values, m) :]:
                add(i, j)
        # exactly e vs exactly f: conflict when the values differ.
        for position, (e, i) in enumerate(exactly):
            for _, j in exactly[bisect.bisect_right(exact_values, e, lo=position) :]:
                add(i, j)
    pairs.sort()
    return pairs


def find_conflicts(requirements: Sequence[Requirement]) -> list[tuple[str, str, str]]:
    """(key_a, key_b, reason_en) for each pair of norms that no value can satisfy together.

    Two norms are compared only when their quantity and unit are equal after
    ``normalize_label``; requirements without a complete norm are skipped. Pairs come in
    input order: ``key_a`` is the requirement listed first.
    """
    return [
        (
            requirements[i].key,
            requirements[j].key,
            _conflict_reason(requirements[i], requirements[j], dutch=False),
        )
        for i, j in _conflicting_index_pairs(requirements)
    ]


# The reason names at most this many pairs; ``details`` always lists every key involved.
CONFLICTS_NAMED = 10


def _check_conflicts(plan: Plan) -> CheckItem:
    title = ("Eisen die elkaar tegenspreken", "Conflicting requirements")
    reqs = plan.requirements
    pairs = _conflicting_index_pairs(reqs)
    if not pairs:
        return CheckItem(
            "conflicts",
            CheckStatus.PASS,
            *title,
            "Geen eisen spreken elkaar tegen.",
            "No requirements conflict.",
        )
    keys: dict[str, None] = {}
    for i, j in pairs:
        keys[reqs[i].key] = None
        keys[reqs[j].key] = None
    if len(pairs) == 1:
        nl = ["Deze eisen kunnen niet allebei gelden:"]
        en = ["These requirements cannot both hold:"]
    else:
        nl = [f"{len(pairs)} paren eisen kunnen niet allebei gelden:"]
        en = [f"{len(pairs)} pairs of requirements cannot both hold:"]
    for i, j in pairs[:CONFLICTS_NAMED]:
        nl.append(_conflict_reason(reqs[i], reqs[j], dutch=True))
        en.append(_conflict_reason(reqs[i], reqs[j], dutch=False))
    rest = len(pairs) - CONFLICTS_NAMED
    if rest > 0:
        nl.append(f"En nog {rest} {'paar' if rest == 1 else 'paren'}.")
        en.append(f"And {rest} more {'pair' if rest == 1 else 'pairs'}.")
    return CheckItem(
        "conflicts",
        CheckStatus.FAIL,
        *title,
        " ".join(nl),
        " ".join(en),
        details=tuple(keys),
    )


def check_plan(frameworks: PlanFrameworks, plan: Plan) -> CheckReport:
    """Check a plan against the council's frameworks: one item per check, in a fixed order."""
    return CheckReport(
        (
            _check_aspects(frameworks, plan),
            _check_bandwidth(frameworks, plan),
            _check_structural(frameworks, plan),
            _check_conditions(frameworks, plan),
            _check_conflicts(plan),
        )
    )
