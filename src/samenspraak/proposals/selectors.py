"""Reads of proposals: what a user may see, shaped for the pages, exports and the budget page."""

from __future__ import annotations

from collections import OrderedDict
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db.models import Prefetch, Q, QuerySet
from django.http import Http404
from django.utils.translation import gettext_lazy as _

from samenspraak.accounts.models import Role
from samenspraak.accounts.permissions import is_council, is_staff_member
from samenspraak.committees import selectors as committee_selectors
from samenspraak.processes.models import Process, ProcessStatus
from samenspraak.proposals import adapters
from samenspraak.proposals.models import (
    COUNCIL_STATUSES,
    PUBLIC_STATUSES,
    Amendment,
    AuthorKind,
    Comment,
    FinancialEffect,
    FrameworkCheck,
    NormOperator,
    Priority,
    Proposal,
    ProposalKind,
    ProposalStatus,
    ProposalVersion,
    Requirement,
)

SECTION_LABELS = {
    "title": _("Title"),
    "kind": _("Kind"),
    "summary": _("Summary"),
    "body": _("Full text"),
    "theme": _("Theme"),
    "budget_area": _("Budget area (taakveld)"),
    "districts": _("Districts"),
    "aspects": _("Aspects addressed"),
    "target_groups": _("Target groups"),
    "expected_reach": _("Expected reach (people)"),
    "risks": _("Risks"),
    "effects": _("Financial effect per year"),
    "requirements": _("Requirements"),
}
# Statuses whose measures are candidates for the budget page: handed in and not turned down.
BUDGET_STATUSES = (
    ProposalStatus.SUBMITTED,
    ProposalStatus.CHECKED,
    ProposalStatus.IN_CONSULTATION,
    ProposalStatus.TO_COUNCIL,
    ProposalStatus.ADOPTED,
    ProposalStatus.AMENDED,
)


def choice_labels() -> dict[str, str]:
    """Labels of the choices a snapshot stores as codes (kind, priority, norm operator)."""
    labels: dict[str, str] = {}
    for choices in (ProposalKind, Priority, NormOperator):
        labels.update({value: str(label) for value, label in choices.choices})
    return labels


# --- visibility --------------------------------------------------------------------------------


def _visible_q(user) -> Q | None:
    """The proposals ``user`` may read, as a filter (None: all of them).

    The same policy as the ``proposals.view_proposal`` rule, in one query for lists; a test
    checks that both agree.
    """
    public_process = ~Q(process__status=ProcessStatus.DRAFT)
    visible = Q(status__in=PUBLIC_STATUSES) & public_process
    if not (user and user.is_authenticated and user.is_active):
        return visible
    if is_staff_member(user):
        return None
    if is_council(user):
        visible |= Q(status__in=COUNCIL_STATUSES) & public_process
    member_of = committee_selectors.committees_where_member(user=user).values("pk")
    visible |= Q(author_kind=AuthorKind.COMMITTEE, author_committee__in=member_of)
    if user.role == Role.PARTNER and user.organisation.strip():
        visible |= Q(
            author_kind=AuthorKind.PARTNER, author_organisation__iexact=user.organisation.strip()
        )
    visible |= Q(author_kind=AuthorKind.RESIDENT, created_by=user)
    if user.role == Role.FACILITATOR:
        # A person holds one seat per committee: the seats that are not member seats are
        # facilitator seats.
        guided = committee_selectors.committees_of_user(user=user).exclude(pk__in=member_of)
        visible |= Q(author_kind=AuthorKind.COMMITTEE, author_committee__in=guided.values("pk"))
    return visible


def _base() -> QuerySet[Proposal]:
    return Proposal.objects.select_related(
        "process", "process__municipality", "theme", "author_committee", "created_by"
    )


def proposal_list_for_user(
    *,
    user,
    process: Process | None = None,
    status: str | None = None,
    theme: int | None = None,
    kind: str | None = None,
    query: str | None = None,
) -> QuerySet[Proposal]:
    qs = _base()
    visible = _visible_q(user)
    if visible is not None:
        qs = qs.filter(visible)
    if process is not None:
        qs = qs.filter(process=process)
    if status:
        qs = qs.filter(status=status)
    if theme:
        qs = qs.filter(theme_id=theme)
    if kind:
        qs = qs.filter(kind=kind)
    if query:
        qs = qs.filter(Q(title__icontains=query) | Q(summary__icontains=query))
    return qs.prefetch_related("effects").distinct().order_by("title", "pk")


def proposal_get_for_user(*, slug: str, user) -> Proposal:
    """The proposal, or 404 when it does not exist or the user may not read it."""
    proposal = (
        _base()
        .select_related("current_version", "process__framework")
        .prefetch_related("districts", "effects", "requirements")
        .filter(slug=slug)
        .first()
    )
    if proposal is None or not user.has_perm("proposals.view_proposal", proposal):
        raise Http404
    return proposal


# --- effects -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class EffectsSummary:
    rows: list[FinancialEffect]
    structural: Decimal
    incidental: Decimal

    @property
    def total(self) -> Decimal:
        return self.structural + self.incidental


def effects_summary(proposal: Proposal) -> EffectsSummary:
    rows = sorted(proposal.effects.all(), key=lambda e: e.year)
    return EffectsSummary(
        rows=rows,
        structural=sum((e.structural for e in rows), Decimal(0)),
        incidental=sum((e.incidental for e in rows), Decimal(0)),
    )


def effects_chart(summary: EffectsSummary) -> dict[str, Any] | None:
    """Grouped bars per year (structural, incidental), savings up and costs down from a zero
    line; the page shows the same numbers in a table beside it."""
    if not summary.rows:
        return None
    width, height, pad = 600, 220, 24
    group = (width - 2 * pad) / len(summary.rows)
    bar = min(group / 3, 60)
    values = [v for e in summary.rows for v in (e.structural, e.incidental)]
    top = max([v for v in values if v > 0], default=Decimal(0))
    bottom = min([v for v in values if v < 0], default=Decimal(0))
    span = (top - bottom) or Decimal(1)
    usable = Decimal(height - 2 * pad)
    zero = pad + float(top / span * usable)

    def bar_of(value: Decimal, x: float, kind: str) -> dict[str, Any]:
        size = float(abs(value) / span * usable)
        y = zero - size if value >= 0 else zero
        return {
            "x": f"{x:.1f}",
            "y": f"{y:.1f}",
            "w": f"{bar:.1f}",
            "h": f"{max(size, 0.5 if value else 0):.1f}",
            "kind": kind,
            "negative": value < 0,
        }

    groups = []
    for index, effect in enumerate(summary.rows):
        start = pad + index * group + (group - 2 * bar) / 2
        groups.append(
            {
                "year": effect.year,
                "label_x": f"{start + bar:.1f}",
                "bars": [
                    bar_of(effect.structural, start, "structural"),
                    bar_of(effect.incidental, start + bar, "incidental"),
                ],
            }
        )
    return {
        "width": width,
        "height": height + 20,
        "zero_y": f"{zero:.1f}",
        "label_y": f"{height + 12:.1f}",
        "groups": groups,
    }


# --- versions and diffs ------------------------------------------------------------------------


def versions(proposal: Proposal) -> QuerySet[ProposalVersion]:
    return proposal.versions.select_related("author").order_by("-number")


@dataclass(frozen=True)
class SectionDiff:
    name: str
    label: str
    segments: tuple
    changed: bool


def version_diff(old: ProposalVersion, new: ProposalVersion) -> list[SectionDiff]:
    """Every section of two versions, word by word; unchanged sections included."""
    diffs = adapters.diff_snapshots(old.snapshot, new.snapshot, choice_labels())
    return [
        SectionDiff(d.field, str(SECTION_LABELS.get(d.field, d.field)), d.segments, d.changed)
        for d in diffs
    ]


# --- amendments and comments -------------------------------------------------------------------


def amendments(proposal: Proposal) -> list[Amendment]:
    """All amendments, open ones first; each with ``stale`` (its section changed since)."""
    items = list(
        proposal.amendments.select_related("author", "decided_by", "base_version", "result_version")
    )
    for amendment in items:
        amendment.stale = amendment.is_open and adapters.amendment_is_stale(
            amendment.base_text, getattr(proposal, amendment.section, "") or ""
        )
        amendment.section_label = SECTION_LABELS.get(amendment.section, amendment.section)
    return sorted(items, key=lambda a: (not a.is_open, -a.created_at.timestamp()))


def amendment_diff(amendment: Amendment, proposal: Proposal) -> tuple:
    """The current text of the amendment's section against its proposed text."""
    return adapters.diff_text(getattr(proposal, amendment.section) or "", amendment.proposed_text)


@dataclass
class CommentNode:
    comment: Comment
    replies: list[CommentNode] = field(default_factory=list)
    depth: int = 0


def comment_tree(proposal: Proposal) -> list[CommentNode]:
    """The comments as threads, oldest first; a hidden comment keeps its place (and its
    replies) but the page shows only that the moderator removed it."""
    comments = list(
        proposal.comments.select_related("author", "hidden_by").order_by("created_at", "pk")
    )
    nodes = {c.pk: CommentNode(c) for c in comments}
    roots: list[CommentNode] = []
    for comment in comments:
        node = nodes[comment.pk]
        parent = nodes.get(comment.parent_id) if comment.parent_id else None
        if parent is None:
            roots.append(node)
        else:
            node.depth = parent.depth + 1
            parent.replies.append(node)
    return roots


# --- framework checks --------------------------------------------------------------------------


def latest_check(proposal: Proposal) -> FrameworkCheck | None:
    return proposal.checks.select_related("version", "run_by").first()


def check_items(check: FrameworkCheck) -> list[dict[str, Any]]:
    """The stored report's items in the reader's language, for the checklist."""
    report = adapters.report_from_dict(check.report)
    return [adapters.item_text(item) for item in report.items]


@dataclass(frozen=True)
class ConditionRow:
    condition: str
    met: str
    note: str


def condition_rows(proposal: Proposal) -> list[ConditionRow]:
    """Each condition of the frameworks with staff's current assessment (unknown if none)."""
    framework = getattr(proposal.process, "framework", None)
    if framework is None:
        return []
    assessed = {
        " ".join(a.condition.split()).casefold(): a for a in proposal.condition_assessments.all()
    }
    rows = []
    for condition in framework.condition_lines:
        assessment = assessed.get(" ".join(condition.split()).casefold())
        rows.append(
            ConditionRow(
                condition,
                assessment.met if assessment else "unknown",
                assessment.note if assessment else "",
            )
        )
    return rows


# --- Programme of Requirements -----------------------------------------------------------------


def mandatory_aspects(process: Process) -> list[str]:
    framework = getattr(process, "framework", None)
    return [a.name for a in framework.aspects.all()] if framework is not None else []


@dataclass
class AspectGroup:
    aspect: str
    mandatory: bool
    requirements: list[Requirement]
    number_from: int = 1

    @property
    def cost(self) -> Decimal:
        return sum((r.cost_estimate or Decimal(0) for r in self.requirements), Decimal(0))


@dataclass
class PveDocument:
    proposal: Proposal
    groups: list[AspectGroup]
    missing: list[str]
    count_by_priority: dict[str, int]
    cost_by_priority: dict[str, Decimal]

    @property
    def total_cost(self) -> Decimal:
        return sum(self.cost_by_priority.values(), Decimal(0))

    @property
    def count(self) -> int:
        return sum(self.count_by_priority.values())

    @property
    def numbered(self) -> list[tuple[int, AspectGroup, Requirement]]:
        rows = []
        for group in self.groups:
            for offset, requirement in enumerate(group.requirements):
                rows.append((group.number_from + offset, group, requirement))
        return rows


def _aspect_order(mandatory: list[str], others: list[str]) -> list[str]:
    """The framework's mandatory aspects first (in its order), then the others by name."""
    seen = {a.casefold() for a in mandatory}
    extra = sorted({a for a in others if a.casefold() not in seen}, key=str.casefold)
    return [*mandatory, *extra]


def pve_document(proposal: Proposal) -> PveDocument:
    """The requirements grouped by aspect (mandatory aspects first), numbered through, with
    counts and cost estimates per priority; ``missing`` lists mandatory aspects without any
    requirement."""
    requirements = list(proposal.requirements.all().order_by("position", "id"))
    mandatory = mandatory_aspects(proposal.process)
    by_aspect: OrderedDict[str, list[Requirement]] = OrderedDict()
    for requirement in requirements:
        key = next((a for a in by_aspect if a.casefold() == requirement.aspect.casefold()), None)
        by_aspect.setdefault(key or requirement.aspect, []).append(requirement)
    groups = []
    number = 1
    mandatory_keys = {a.casefold() for a in mandatory}
    for aspect in _aspect_order(mandatory, list(by_aspect)):
        items = next((v for k, v in by_aspect.items() if k.casefold() == aspect.casefold()), [])
        if not items:
            continue
        priority_rank = {p: i for i, p in enumerate(Priority.values)}
        items = sorted(items, key=lambda r: (priority_rank.get(r.priority, 9), r.position, r.pk))
        groups.append(AspectGroup(aspect, aspect.casefold() in mandatory_keys, items, number))
        number += len(items)
    covered = {r.aspect.casefold() for r in requirements}
    covered |= {a.casefold() for a in proposal.aspects}
    missing = [a for a in mandatory if a.casefold() not in covered]
    count = dict.fromkeys(Priority.values, 0)
    cost = {p: Decimal(0) for p in Priority.values}
    for requirement in requirements:
        count[requirement.priority] = count.get(requirement.priority, 0) + 1
        cost[requirement.priority] = cost.get(requirement.priority, Decimal(0)) + (
            requirement.cost_estimate or Decimal(0)
        )
    return PveDocument(proposal, groups, missing, count, cost)


@dataclass(frozen=True)
class CoverageRow:
    aspect: str
    mandatory: bool
    counts: dict[str, int]

    @property
    def total(self) -> int:
        return sum(self.counts.values())

    @property
    def covered(self) -> bool:
        return self.total > 0


def coverage(*, process: Process, user, proposal: Proposal | None = None) -> list[CoverageRow]:
    """Aspects (rows; the framework's mandatory aspects first) against the requirements of
    the process's Programmes of Requirements the user may read (or of one of them)."""
    if proposal is not None:
        programmes = [proposal]
    else:
        programmes = list(
            proposal_list_for_user(user=user, process=process, kind=ProposalKind.PROGRAMME)
        )
    requirements = list(Requirement.objects.filter(proposal__in=programmes))
    counts: dict[str, dict[str, int]] = {}
    names: dict[str, str] = {}
    for requirement in requirements:
        key = requirement.aspect.casefold()
        names.setdefault(key, requirement.aspect)
        row = counts.setdefault(key, dict.fromkeys(Priority.values, 0))
        row[requirement.priority] = row.get(requirement.priority, 0) + 1
    mandatory = mandatory_aspects(process)
    mandatory_keys = {a.casefold() for a in mandatory}
    rows = []
    for aspect in _aspect_order(mandatory, list(names.values())):
        rows.append(
            CoverageRow(
                aspect,
                aspect.casefold() in mandatory_keys,
                counts.get(aspect.casefold(), dict.fromkeys(Priority.values, 0)),
            )
        )
    return rows


# --- the budget page (core.budget builds Measures from these) ------------------------------------


@dataclass(frozen=True)
class BudgetCandidate:
    """One measure for the budget optimiser: yearly effects (savings positive) and harm."""

    id: int
    slug: str
    title: str
    effects: dict[int, tuple[Decimal, Decimal]]  # year -> (structural, incidental)
    support: Decimal | None
    impact: Decimal | None
    people: int | None
    group: str


def budget_candidates(process: Process) -> list[BudgetCandidate]:
    """Measures of ``process`` handed in and not rejected or withdrawn, for the budget page.

    Drafts are not candidates: their authors have not put them forward yet.
    """
    proposals = (
        Proposal.objects.filter(
            process=process, kind=ProposalKind.MEASURE, status__in=BUDGET_STATUSES
        )
        .prefetch_related(Prefetch("effects", queryset=FinancialEffect.objects.order_by("year")))
        .order_by("title", "pk")
    )
    return [
        BudgetCandidate(
            id=p.pk,
            slug=p.slug,
            title=p.title,
            effects={e.year: (e.structural, e.incidental) for e in p.effects.all()},
            support=p.support,
            impact=p.impact_score,
            people=p.people_affected,
            group=p.exclusive_group,
        )
        for p in proposals
    ]
