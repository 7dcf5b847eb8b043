"""Rows and snapshots <-> core value objects for proposals (the only door to the core).

- ``core.frameworks.check_plan``: the council's frameworks (``processes.Framework``) and a
  version's snapshot plus staff's condition assessments become ``PlanFrameworks`` and a
  ``Plan``; the ``CheckReport`` comes back as a dict for the database and is read again for
  the page.
- ``core.drafting``: a snapshot becomes one text per section, so two versions can be
  compared section by section; amendments are stale when their section changed.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from decimal import Decimal
from typing import Any

from django.utils.translation import get_language

from samenspraak.core import drafting as core_drafting
from samenspraak.core import frameworks as core
from samenspraak.core.errors import InputError
from samenspraak.core.money import format_euro

__all__ = [
    "SECTION_ORDER",
    "CheckItem",
    "CheckReport",
    "CheckStatus",
    "DiffSegment",
    "FieldDiff",
    "InputError",
    "amendment_is_stale",
    "check_snapshot",
    "diff_snapshots",
    "diff_text",
    "item_text",
    "plan_frameworks",
    "report_from_dict",
    "snapshot_sections",
]

CheckItem = core.CheckItem
CheckReport = core.CheckReport
CheckStatus = core.CheckStatus
DiffSegment = core_drafting.DiffSegment
FieldDiff = core_drafting.FieldDiff

# The sections of a proposal in the order a reader meets them; the labels live in the web
# layer (selectors.SECTION_LABELS).
SECTION_ORDER = (
    "title",
    "kind",
    "summary",
    "body",
    "theme",
    "budget_area",
    "districts",
    "aspects",
    "target_groups",
    "expected_reach",
    "risks",
    "effects",
    "requirements",
)


def _dutch() -> bool:
    return not (get_language() or "nl").startswith("en")


def _decimal(value: Any) -> Decimal | None:
    if value is None or value == "":
        return None
    return Decimal(str(value))


# --- the framework check -------------------------------------------------------------------


def plan_frameworks(framework) -> core.PlanFrameworks:
    """``processes.Framework`` (or None: no frameworks set) as the core's ``PlanFrameworks``."""
    if framework is None:
        return core.PlanFrameworks(core.BandwidthKind.RANGE, (), (), ())
    years = tuple(
        core.BandwidthYear(
            year=y.year,
            minimum=y.minimum,
            maximum=y.maximum,
            savings_structural=y.savings_structural,
            savings_incidental=y.savings_incidental,
        )
        for y in framework.years.all()
    )
    return core.PlanFrameworks(
        bandwidth_kind=core.BandwidthKind(framework.bandwidth_kind),
        years=years,
        mandatory_aspects=tuple(a.name for a in framework.aspects.all()),
        conditions=tuple(framework.condition_lines),
    )


def requirement_key(number: int, title: str) -> str:
    """How a requirement is named in the check's messages: its number in the document and
    its title, the same in Dutch and English (the stored report holds both languages)."""
    return f"#{number} \u2018{title}\u2019"


def plan_from_snapshot(
    snapshot: Mapping[str, Any], assessments: Iterable[tuple[str, str, str]] = ()
) -> core.Plan:
    """A version's snapshot and ``(condition, met yes/no/unknown, note)`` as a core ``Plan``."""
    requirements = []
    for number, row in enumerate(snapshot.get("requirements", []), start=1):
        operator = row.get("norm_operator") or None
        requirements.append(
            core.Requirement(
                key=requirement_key(number, row.get("title", "")),
                aspect=row.get("aspect", ""),
                title=row.get("title", ""),
                priority=core.Priority(row.get("priority", "must")),
                cost_estimate=_decimal(row.get("cost_estimate")),
                quantity=row.get("norm_quantity") or None,
                operator=core.NormOperator(operator) if operator else None,
                value=_decimal(row.get("norm_value")),
                unit=row.get("norm_unit") or None,
            )
        )
    years = tuple(
        core.PlanYear(
            year=int(row["year"]),
            structural=_decimal(row.get("structural")) or Decimal(0),
            incidental=_decimal(row.get("incidental")) or Decimal(0),
        )
        for row in snapshot.get("effects", [])
    )
    met = {"yes": True, "no": False}
    conditions = tuple(
        core.ConditionAssessment(condition=text, met=met.get(value), note=note)
        for text, value, note in assessments
    )
    return core.Plan(
        aspects=frozenset(snapshot.get("aspects", [])),
        years=years,
        requirements=tuple(requirements),
        conditions=conditions,
    )


def check_snapshot(
    framework, snapshot: Mapping[str, Any], assessments: Iterable[tuple[str, str, str]] = ()
) -> core.CheckReport:
    """Run ``core.check_plan`` for one version of a proposal."""
    return core.check_plan(plan_frameworks(framework), plan_from_snapshot(snapshot, assessments))


def report_from_dict(data: Mapping[str, Any]) -> core.CheckReport:
    return core.CheckReport.from_dict(data)


def item_text(item: core.CheckItem) -> dict[str, Any]:
    """A check item's title, reason and notes in the active language (Dutch unless English)."""
    dutch = _dutch()
    return {
        "code": item.code,
        "status": item.status.value,
        "title": item.title_nl if dutch else item.title_en,
        "reason": item.reason_nl if dutch else item.reason_en,
        "notes": list(item.notes_nl if dutch else item.notes_en),
        "details": list(item.details),
        "years": list(item.years),
    }


# --- versions and amendments ---------------------------------------------------------------


def _euro(value: Any) -> str:
    amount = _decimal(value)
    return format_euro(amount) if amount is not None else ""


def _effects_text(rows: Iterable[Mapping[str, Any]]) -> str:
    dutch = _dutch()
    words = ("structureel", "incidenteel") if dutch else ("structural", "incidental")
    return "\n".join(
        f"{row['year']}: {words[0]} {_euro(row.get('structural'))}; "
        f"{words[1]} {_euro(row.get('incidental'))}"
        for row in rows
    )


def _requirements_text(rows: Iterable[Mapping[str, Any]], labels: Mapping[str, str]) -> str:
    lines = []
    for number, row in enumerate(rows, start=1):
        parts = [f"{number}. [{row.get('aspect', '')}] {row.get('title', '')}"]
        parts.append(f"({labels.get(row.get('priority', ''), row.get('priority', ''))})")
        if row.get("norm_quantity"):
            operator = labels.get(row.get("norm_operator", ""), row.get("norm_operator", ""))
            value = core.format_number(Decimal(str(row["norm_value"])), dutch=_dutch())
            unit = f" {row['norm_unit']}" if row.get("norm_unit") else ""
            parts.append(f"{row['norm_quantity']} {operator} {value}{unit}")
        if row.get("cost_estimate") not in (None, ""):
            parts.append(_euro(row["cost_estimate"]))
        line = " ".join(parts)
        if row.get("description"):
            line += f"\n   {row['description']}"
        lines.append(line)
    return "\n".join(lines)


def snapshot_sections(
    snapshot: Mapping[str, Any], labels: Mapping[str, str] | None = None
) -> dict[str, str]:
    """One text per section of a snapshot, in ``SECTION_ORDER``; ``labels`` names choices
    (kind, priority, operator) in the reader's language."""
    labels = labels or {}
    sections: dict[str, str] = {}
    for name in SECTION_ORDER:
        value = snapshot.get(name)
        if name == "effects":
            text = _effects_text(value or [])
        elif name == "requirements":
            text = _requirements_text(value or [], labels)
        elif name in ("districts", "aspects"):
            text = "\n".join(value or [])
        elif name == "kind":
            text = labels.get(value or "", value or "")
        elif value is None:
            text = ""
        else:
            text = str(value)
        sections[name] = text
    return sections


def diff_snapshots(
    old: Mapping[str, Any], new: Mapping[str, Any], labels: Mapping[str, str] | None = None
) -> tuple[core_drafting.FieldDiff, ...]:
    """Section by section, what changed from ``old`` to ``new`` (word level)."""
    return core_drafting.diff_documents(
        snapshot_sections(old, labels), snapshot_sections(new, labels)
    )


def diff_text(old: str, new: str) -> tuple[core_drafting.DiffSegment, ...]:
    return core_drafting.diff_text(old, new)


def amendment_is_stale(base_text: str, current_text: str) -> bool:
    return core_drafting.amendment_is_stale(base_text, current_text)
