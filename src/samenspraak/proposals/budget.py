"""The budget page of a process: the savings target per year (the gap), the candidate
measures, and the packages ``core.budget.close_gap`` chooses to close the gap.

This module is the door to ``samenspraak.core.budget`` for the page: it turns the process's
framework and ``selectors.budget_candidates`` into core ``Gap`` and ``Measure`` objects, and
the optimiser's ``BudgetResult`` into rows the template shows (a chart and a table per
package). Money stays ``Decimal`` from the database to the page; only the support and impact
scores enter the core as floats (its interface), and those are shares and scores, not euros.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django import forms
from django.urls import reverse
from django.utils.formats import number_format
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _

from samenspraak.common.forms import NLDesignFormMixin
from samenspraak.core import budget as core
from samenspraak.core.errors import InputError
from samenspraak.processes.models import BandwidthKind, Process
from samenspraak.proposals import selectors
from samenspraak.proposals.models import PUBLIC_STATUSES, Proposal, ProposalStatus
from samenspraak.proposals.selectors import BudgetCandidate

ZERO = Decimal("0.00")
MAX_ALTERNATIVES = 5
DEFAULT_ALTERNATIVES = 2
# The page answers while the visitor waits: HiGHS gets at most this many seconds in total.
# 300 candidates take a few seconds (make bench); a process has tens.
TIME_LIMIT = 20.0

OBJECTIVE_CHOICES = [
    (core.Objective.SUPPORT.value, gettext_lazy("The most support: the least opposition")),
    (core.Objective.IMPACT.value, gettext_lazy("The least harm: the lowest impact scores")),
    (core.Objective.PEOPLE.value, gettext_lazy("The fewest people affected")),
]


# --- the form (GET: works without JavaScript, every choice is in the address) ----------------


class BudgetForm(NLDesignFormMixin, forms.Form):
    objective = forms.ChoiceField(
        label=gettext_lazy("What should the package spare most?"),
        choices=OBJECTIVE_CHOICES,
        required=False,
        widget=forms.RadioSelect,
    )
    alternatives = forms.IntegerField(
        label=gettext_lazy("Number of alternatives"),
        min_value=0,
        max_value=MAX_ALTERNATIVES,
        required=False,
        help_text=gettext_lazy("Besides the best package, show up to 5 next-best packages."),
    )
    include = forms.MultipleChoiceField(
        label=gettext_lazy("Always in the package"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    exclude = forms.MultipleChoiceField(
        label=gettext_lazy("Never in the package"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args, candidates: Sequence[BudgetCandidate] = (), **kwargs):
        super().__init__(*args, **kwargs)
        choices = [(c.slug, c.title) for c in candidates]
        self.fields["include"].choices = choices
        self.fields["exclude"].choices = choices

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        both = set(data.get("include") or ()) & set(data.get("exclude") or ())
        if both:
            titles = [label for value, label in self.fields["include"].choices if value in both]
            self.add_error(
                "exclude",
                _("A proposal cannot be always in and never in the package: %(titles)s.")
                % {"titles": ", ".join(str(t) for t in titles)},
            )
        return data


@dataclass(frozen=True)
class Choices:
    objective: core.Objective
    alternatives: int
    include: tuple[str, ...]
    exclude: tuple[str, ...]


DEFAULT_CHOICES = Choices(core.Objective.SUPPORT, DEFAULT_ALTERNATIVES, (), ())


def choices_from(form: BudgetForm) -> Choices | None:
    """What the visitor asked for: the defaults for an empty form, None when it is invalid."""
    if not form.is_bound:
        return DEFAULT_CHOICES
    if not form.is_valid():
        return None
    data = form.cleaned_data
    alternatives = data.get("alternatives")
    return Choices(
        objective=core.Objective(data.get("objective") or DEFAULT_CHOICES.objective),
        alternatives=DEFAULT_ALTERNATIVES if alternatives is None else alternatives,
        include=tuple(data.get("include") or ()),
        exclude=tuple(data.get("exclude") or ()),
    )


# --- the gap and the candidates --------------------------------------------------------------


@dataclass(frozen=True)
class GapRow:
    year: int
    structural: Decimal
    incidental: Decimal

    @property
    def total(self) -> Decimal:
        return self.structural + self.incidental


def gap_rows(process: Process) -> list[GapRow] | None:
    """The savings target per year of the process's framework; None when the council set no
    savings target (no framework, or a range bandwidth instead)."""
    framework = getattr(process, "framework", None)
    if framework is None or framework.bandwidth_kind != BandwidthKind.SAVINGS:
        return None
    return [
        GapRow(y.year, y.savings_structural or ZERO, y.savings_incidental or ZERO)
        for y in sorted(framework.years.all(), key=lambda y: y.year)
    ]


@dataclass(frozen=True)
class CandidateRow:
    """A candidate measure as the page shows it; ``url`` only when the visitor may read it."""

    candidate: BudgetCandidate
    status: str
    status_label: str
    url: str | None
    effects: tuple[tuple[Decimal, Decimal], ...]  # (structural, incidental) per page year

    @property
    def slug(self) -> str:
        return self.candidate.slug

    @property
    def title(self) -> str:
        return self.candidate.title


def candidate_rows(
    *,
    process: Process,
    user,
    years: Sequence[int],
    whole: bool,
    candidates: Sequence[BudgetCandidate],
) -> list[CandidateRow]:
    """The measures the page weighs: all candidates for those who follow the whole process
    (``whole``), only those put to residents (in consultation or later) for everyone else."""
    statuses = dict(
        Proposal.objects.filter(pk__in=[c.id for c in candidates]).values_list("pk", "status")
    )
    if not whole:
        candidates = [c for c in candidates if statuses.get(c.id) in PUBLIC_STATUSES]
    readable = set(
        selectors.proposal_list_for_user(user=user, process=process).values_list("pk", flat=True)
    )
    rows = []
    for c in candidates:
        status = statuses.get(c.id, "")
        rows.append(
            CandidateRow(
                candidate=c,
                status=status,
                status_label=str(ProposalStatus(status).label) if status else "",
                url=reverse("proposals:detail", kwargs={"slug": c.slug})
                if c.id in readable
                else None,
                effects=tuple(c.effects.get(year, (ZERO, ZERO)) for year in years),
            )
        )
    return rows


def page_years(gaps: Sequence[GapRow] | None, candidates: Sequence[BudgetCandidate]) -> list[int]:
    """The budget years the page shows: the gap's years, or every year a candidate names."""
    if gaps:
        return [g.year for g in gaps]
    return sorted({year for c in candidates for year in c.effects})


def measure_of(candidate: BudgetCandidate) -> core.Measure:
    """A candidate as the core's ``Measure``; its id is the proposal's slug (unique, readable)."""
    return core.Measure(
        id=candidate.slug,
        title=candidate.title,
        effects={
            year: core.YearAmounts(structural=s, incidental=i)
            for year, (s, i) in candidate.effects.items()
        },
        support=float(candidate.support) if candidate.support is not None else None,
        impact=float(candidate.impact) if candidate.impact is not None else None,
        people=candidate.people,
        group=candidate.group or None,
    )


def _score(candidate: BudgetCandidate, objective: core.Objective) -> Any:
    if objective is core.Objective.SUPPORT:
        return candidate.support
    if objective is core.Objective.IMPACT:
        return candidate.impact
    return candidate.people


# --- the optimiser's answer as rows ------------------------------------------------------------


@dataclass(frozen=True)
class BalanceRow:
    """One year of a package: the gap, what the package saves and the balance (saved - gap)."""

    year: int
    gap_structural: Decimal
    gap_total: Decimal
    saved_structural: Decimal
    saved_total: Decimal
    balance_structural: Decimal
    balance_total: Decimal

    @property
    def closed(self) -> bool:
        return self.balance_structural >= 0 and self.balance_total >= 0

    @property
    def short(self) -> Decimal:
        """The extra structural savings this year still needs (0 when closed)."""
        return max(ZERO, -self.balance_structural, -self.balance_total)


@dataclass(frozen=True)
class PackageView:
    number: int  # 0 is the best package, 1.. the alternatives
    heading: str
    proposals: list[CandidateRow]
    harm: str
    rows: list[BalanceRow]
    chart: dict[str, Any]
    # Compared with the best package (alternatives only): what it takes in addition, and
    # what it leaves out.
    added: list[CandidateRow] = field(default_factory=list)
    left_out: list[CandidateRow] = field(default_factory=list)
    harm_value: float | None = None  # the optimiser's objective value (saved with a package)

    @property
    def closes(self) -> bool:
        return all(row.closed for row in self.rows)


@dataclass
class Outcome:
    """What the page says about packages; ``error`` when nothing could be computed."""

    feasible: bool = False
    packages: list[PackageView] = field(default_factory=list)
    shortfall: list[BalanceRow] | None = None
    proven: bool = False
    mip_gap: float = 0.0
    timed_out: bool = False
    error: str = ""

    @property
    def best(self) -> PackageView | None:
        return self.packages[0] if self.packages else None

    @property
    def short_years(self) -> list[BalanceRow]:
        return [row for row in self.shortfall or () if not row.closed]


def _dutch() -> bool:
    return not (get_language() or "nl").startswith("en")


def harm_text(objective: core.Objective, value: float) -> str:
    if objective is core.Objective.SUPPORT:
        return _("Opposition: %(value)s (the sum of 1 minus the support of each proposal)") % {
            "value": number_format(value, 2)
        }
    if objective is core.Objective.IMPACT:
        return _("Impact: %(value)s (the sum of the impact scores)") % {
            "value": number_format(value, 2)
        }
    return _("People affected: %(value)s") % {
        "value": number_format(round(value), 0, force_grouping=True)
    }


def _saved(
    selected: Sequence[str], by_slug: Mapping[str, BudgetCandidate], year: int
) -> tuple[Decimal, Decimal]:
    structural = incidental = ZERO
    for slug in selected:
        s, i = by_slug[slug].effects.get(year, (ZERO, ZERO))
        structural += s
        incidental += i
    return structural, structural + incidental


def balance_rows(
    balances: Sequence[core.YearBalance],
    gaps: Sequence[GapRow],
    selected: Sequence[str] | None,
    by_slug: Mapping[str, BudgetCandidate],
) -> list[BalanceRow]:
    """Rows of a package's yearly balance. What the package saves is summed from the chosen
    proposals' effects when they are known; for the shortfall (whose package the core does not
    name) it is the gap plus the balance."""
    gap_of = {g.year: g for g in gaps}
    rows = []
    for balance in balances:
        gap = gap_of[balance.year]
        if selected is not None:
            saved_s, saved_t = _saved(selected, by_slug, balance.year)
        else:
            saved_s, saved_t = gap.structural + balance.structural, gap.total + balance.total
        rows.append(
            BalanceRow(
                year=balance.year,
                gap_structural=gap.structural,
                gap_total=gap.total,
                saved_structural=saved_s,
                saved_total=saved_t,
                balance_structural=balance.structural,
                balance_total=balance.total,
            )
        )
    return rows


def balance_chart(rows: Sequence[BalanceRow]) -> dict[str, Any]:
    """Per year two bars from a zero line, what the package saves structurally (dark) and in
    total (light), each with a dashed mark at the gap it must reach; the table beside it
    gives the same numbers."""
    width, height, pad = 560, 220, 24
    if not rows:
        return {}
    group = (width - 2 * pad) / len(rows)
    bar = min(group / 3, 56)
    values = [
        v for r in rows for v in (r.gap_structural, r.gap_total, r.saved_structural, r.saved_total)
    ]
    top = max([*values, ZERO])
    bottom = min([*values, ZERO])
    span = (top - bottom) or Decimal(1)
    usable = Decimal(height - 2 * pad)
    zero = pad + float(top / span * usable)

    def y_of(value: Decimal) -> float:
        return zero - float(value / span * usable)

    def bar_of(value: Decimal, target: Decimal, x: float, kind: str) -> dict[str, Any]:
        size = float(abs(value) / span * usable)
        y = zero - size if value >= 0 else zero
        return {
            "x": f"{x:.1f}",
            "y": f"{y:.1f}",
            "w": f"{bar:.1f}",
            "h": f"{max(size, 0.5 if value else 0):.1f}",
            "kind": kind,
            "mark_x1": f"{x - 3:.1f}",
            "mark_x2": f"{x + bar + 3:.1f}",
            "mark_y": f"{y_of(target):.1f}",
        }

    groups = []
    for index, row in enumerate(rows):
        start = pad + index * group + (group - 2 * bar) / 2
        groups.append(
            {
                "year": row.year,
                "label_x": f"{start + bar:.1f}",
                "closed": row.closed,
                "bars": [
                    bar_of(row.saved_structural, row.gap_structural, start, "structural"),
                    bar_of(row.saved_total, row.gap_total, start + bar, "total"),
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


def _missing_scores(candidates: Sequence[BudgetCandidate], objective: core.Objective) -> str:
    missing = [c.title for c in candidates if _score(c, objective) is None]
    if not missing:
        return ""
    what = {
        core.Objective.SUPPORT: _("a measured support"),
        core.Objective.IMPACT: _("an impact score"),
        core.Objective.PEOPLE: _("a number of people affected"),
    }[objective]
    return _(
        "To choose on this, every proposal needs %(what)s. These proposals have none yet: "
        "%(titles)s. Staff fill it in on the proposal's assessment page, or choose another aim."
    ) % {"what": what, "titles": "; ".join(missing)}


def close_gap(
    *,
    gaps: Sequence[GapRow],
    candidates: Sequence[CandidateRow],
    choices: Choices,
    time_limit: float = TIME_LIMIT,
) -> Outcome:
    """Run the optimiser for the page and shape its answer (never raises for bad input)."""
    pool = [row.candidate for row in candidates]
    missing = _missing_scores(pool, choices.objective)
    if missing:
        return Outcome(error=missing)
    by_slug = {c.slug: c for c in pool}
    row_of = {row.slug: row for row in candidates}
    try:
        result = core.close_gap(
            [measure_of(c) for c in pool],
            [core.Gap(g.year, g.structural, g.incidental) for g in gaps],
            objective=choices.objective,
            must_include=[s for s in choices.include if s in by_slug],
            must_exclude=[s for s in choices.exclude if s in by_slug],
            alternatives=choices.alternatives,
            time_limit=time_limit,
        )
    except InputError as exc:
        return Outcome(error=exc.message_nl if _dutch() else exc.message_en)
    outcome = Outcome(
        feasible=result.feasible, proven=result.proven_optimal, mip_gap=result.mip_gap
    )
    if not result.feasible:
        if result.shortfall_per_year is None:
            outcome.timed_out = True
        else:
            outcome.shortfall = balance_rows(result.shortfall_per_year, gaps, None, by_slug)
        return outcome
    packages = [p for p in (result.best, *result.alternatives) if p is not None]
    order = {row.slug: index for index, row in enumerate(candidates)}
    best = set(packages[0].selected) if packages else set()
    for number, package in enumerate(packages):
        rows = balance_rows(package.balance_per_year, gaps, package.selected, by_slug)
        selected = set(package.selected)
        outcome.packages.append(
            PackageView(
                number=number,
                heading=_("Best package")
                if number == 0
                else _("Alternative %(n)s") % {"n": number},
                proposals=[row_of[slug] for slug in sorted(selected, key=order.__getitem__)],
                harm=harm_text(choices.objective, package.objective),
                rows=rows,
                chart=balance_chart(rows),
                added=[row_of[s] for s in sorted(selected - best, key=order.__getitem__)],
                left_out=[row_of[s] for s in sorted(best - selected, key=order.__getitem__)],
                harm_value=package.objective,
            )
        )
    return outcome


# --- the whole page ----------------------------------------------------------------------------


@dataclass
class BudgetPage:
    form: BudgetForm
    gaps: list[GapRow] | None
    years: list[int]
    candidates: list[CandidateRow]
    outcome: Outcome | None
    choices: Choices | None
    whole: bool

    @property
    def membership(self) -> list[tuple[CandidateRow, list[bool]]]:
        """Side by side: each candidate in any package, and per package whether it is in."""
        if self.outcome is None or not self.outcome.packages:
            return []
        chosen = [{row.slug for row in p.proposals} for p in self.outcome.packages]
        return [
            (row, [row.slug in c for c in chosen])
            for row in self.candidates
            if any(row.slug in c for c in chosen)
        ]


def choice_params(data) -> Any:
    """Only the GET parameters that decide the packages (objective, alternatives, always/never
    in), as a ``QueryDict``: posted again with "Save this package", so the package that is
    saved is exactly the one the page showed."""
    from django.http import QueryDict

    query = QueryDict(mutable=True)
    for name in ("objective", "alternatives", "include", "exclude"):
        values = [v for v in data.getlist(name) if v != ""]
        if values:
            query.setlist(name, values)
    return query


def budget_page(*, process: Process, user, query: Mapping[str, Any], whole: bool) -> BudgetPage:
    """Everything the budget page shows, for ``user`` asking ``query`` (the GET parameters)."""
    gaps = gap_rows(process)
    pool = selectors.budget_candidates(process)
    years = page_years(gaps, pool)
    candidates = candidate_rows(
        process=process, user=user, years=years, whole=whole, candidates=pool
    )
    form = BudgetForm(
        query or None,
        candidates=[row.candidate for row in candidates],
        initial={
            "objective": DEFAULT_CHOICES.objective.value,
            "alternatives": DEFAULT_ALTERNATIVES,
        },
    )
    choices = choices_from(form)
    outcome = None
    if gaps and candidates and choices is not None:
        outcome = close_gap(gaps=gaps, candidates=candidates, choices=choices)
    return BudgetPage(form, gaps, years, candidates, outcome, choices, whole)


def balance_against_gap(
    process: Process, totals: dict[int, tuple[Decimal, Decimal]]
) -> dict[str, Any]:
    """Yearly totals (structural, incidental) of a set of measures and, where the council set
    a savings target, their balance against the gap per year (rows and chart as on the budget
    page). Used by the package page and the API."""
    gaps = gap_rows(process)
    if not gaps:
        return {"gaps": None, "years": list(totals), "totals": totals, "rows": [], "chart": {}}
    rows = []
    for gap in gaps:
        s, i = totals.get(gap.year, (ZERO, ZERO))
        rows.append(
            BalanceRow(
                year=gap.year,
                gap_structural=gap.structural,
                gap_total=gap.total,
                saved_structural=s,
                saved_total=s + i,
                balance_structural=s - gap.structural,
                balance_total=s + i - gap.total,
            )
        )
    return {
        "gaps": gaps,
        "years": [g.year for g in gaps],
        "totals": totals,
        "rows": rows,
        "chart": balance_chart(rows),
        "closes": all(r.closed for r in rows),
    }
