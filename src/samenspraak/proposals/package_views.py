"""Pages of budget packages: the list of a process, saving one from the budget page, the
package page (members, yearly balance against the gap, the check, status, history), changing
its proposals, assessing its conditions. Thin: parse, ask the policy, call ``packages``."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from samenspraak.common.audit import action_label
from samenspraak.common.forms import NLDesignFormMixin, add_service_errors
from samenspraak.common.models import AuditEvent
from samenspraak.common.permissions import require_perm
from samenspraak.processes import selectors as process_selectors
from samenspraak.proposals import budget, packages, selectors
from samenspraak.proposals.forms import ConditionFormSet
from samenspraak.proposals.models import (
    PACKAGE_GATED_STATUSES,
    BudgetPackage,
    PackageStatus,
    Proposal,
    ProposalKind,
)


class PackageSaveForm(NLDesignFormMixin, forms.Form):
    title = forms.CharField(label=gettext_lazy("Title of the package"), max_length=200)
    number = forms.IntegerField(widget=forms.HiddenInput, min_value=0)
    note = forms.CharField(
        label=gettext_lazy("Note"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class PackageEditForm(NLDesignFormMixin, forms.Form):
    title = forms.CharField(label=gettext_lazy("Title of the package"), max_length=200)
    proposals = forms.MultipleChoiceField(
        label=gettext_lazy("Proposals in the package"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    note = forms.CharField(
        label=gettext_lazy("Note"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args, choices, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["proposals"].choices = choices


class PackageTransitionForm(NLDesignFormMixin, forms.Form):
    status = forms.ChoiceField(label=gettext_lazy("New status"))
    override_reason = forms.CharField(
        label=gettext_lazy("Reason to go on although the check fails"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=gettext_lazy("Only for staff. It is kept in the history of the process."),
    )

    def __init__(self, *args, choices, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["status"].choices = [(s, PackageStatus(s).label) for s in choices]
        if not any(c in PACKAGE_GATED_STATUSES for c in choices):
            del self.fields["override_reason"]


def _package(request, pk: int, perm: str | None = None) -> BudgetPackage:
    """The package the user may read (404 otherwise), and ``perm`` on it (403/log in)."""
    package = (
        BudgetPackage.objects.select_related("process", "process__framework", "created_by")
        .filter(pk=pk)
        .first()
    )
    if package is None or not request.user.has_perm("proposals.view_package", package):
        raise Http404
    if perm:
        require_perm(request, perm, package)
    return package


# --- the list ---------------------------------------------------------------------------------


def package_list(request, slug: str):
    process = process_selectors.process_get_for_user(slug=slug, user=request.user)
    return render(
        request,
        "proposals/package_list.html",
        {
            "process": process,
            "packages": packages.package_list_for_user(user=request.user, process=process)
            .prefetch_related("proposals")
            .select_related("created_by"),
            "can_add": request.user.has_perm("proposals.add_package", process),
        },
    )


# --- saving from the budget page -----------------------------------------------------------------


@require_POST
def package_save(request, slug: str):
    """Save package ``number`` of the budget page as computed for the posted choices.

    The page is computed again from the same choices, so what is stored is exactly the
    package the page showed (and the harm value is the optimiser's, not the browser's)."""
    process = process_selectors.process_get_for_user(slug=slug, user=request.user)
    require_perm(request, "proposals.add_package", process)
    query = budget.choice_params(request.POST)
    form = PackageSaveForm(request.POST)
    page = budget.budget_page(process=process, user=request.user, query=query, whole=True)
    outcome = page.outcome
    shown = None
    if form.is_valid() and outcome is not None:
        number = form.cleaned_data["number"]
        if number < len(outcome.packages):
            shown = outcome.packages[number]
        else:
            form.add_error(None, _("This package is no longer on the budget page."))
    elif outcome is None or not outcome.packages:
        form.add_error(None, _("The budget page has no package to save for these choices."))
    if form.is_valid() and shown is not None and page.choices is not None:
        chosen = Proposal.objects.filter(
            process=process, slug__in=[row.slug for row in shown.proposals]
        )
        try:
            package = packages.package_save(
                actor=request.user,
                process=process,
                title=form.cleaned_data["title"],
                proposals=list(chosen),
                objective=page.choices.objective.value,
                harm=shown.harm_value,
                note=form.cleaned_data["note"],
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("The package has been saved."))
            return redirect(package.get_absolute_url())
    return render(
        request,
        "proposals/package_save.html",
        {
            "process": process,
            "form": form,
            "shown": shown,
            "query": query,
            "budget_url": reverse("proposals:budget", kwargs={"slug": process.slug})
            + (f"?{query.urlencode()}" if query else ""),
        },
        status=400,
    )


# --- the package page ---------------------------------------------------------------------


@dataclass(frozen=True)
class MemberRow:
    proposal: Proposal
    url: str | None
    effects: tuple[tuple[Decimal, Decimal], ...]


def _balance(process, members) -> dict[str, Any]:
    """The summed effects per year and the balance against the gap (see budget.py)."""
    return budget.balance_against_gap(process, packages.summed_effects(members))


def _history(package: BudgetPackage) -> list[dict[str, Any]]:
    events = AuditEvent.objects.filter(
        object_type=BudgetPackage._meta.label_lower, object_id=str(package.pk)
    ).select_related("actor")
    return [
        {
            "when": e.created_at,
            "what": action_label(e.action),
            "who": e.actor,
            "status": [PackageStatus(s).label for s in e.changes.get("status", [])],
            "override": e.changes.get("override_reason", ""),
        }
        for e in events
    ]


def _transition_form(user, package, data=None):
    if not user.has_perm("proposals.change_package_status", package):
        return None
    choices = list(package.allowed_transitions)
    return PackageTransitionForm(data, choices=choices) if choices else None


def package_detail(request, pk: int):
    package = _package(request, pk)
    process = package.process
    members = packages.package_members(package)
    readable = set(
        selectors.proposal_list_for_user(user=request.user, process=process).values_list(
            "pk", flat=True
        )
    )
    balance = _balance(process, members)
    years = balance["years"]
    rows = [
        MemberRow(
            proposal=p,
            url=p.get_absolute_url() if p.pk in readable else None,
            effects=tuple(
                next(
                    ((e.structural, e.incidental) for e in p.effects.all() if e.year == year),
                    (budget.ZERO, budget.ZERO),
                )
                for year in years
            ),
        )
        for p in members
    ]
    check = packages.latest_check(package)
    user = request.user
    return render(
        request,
        "proposals/package_detail.html",
        {
            "process": process,
            "package": package,
            "members": rows,
            "balance": balance,
            "totals": [balance["totals"].get(y, (budget.ZERO, budget.ZERO)) for y in years],
            "check": check,
            "check_items": packages.check_items(check) if check else [],
            "check_is_current": packages.check_is_current(package, check),
            "checks": package.checks.select_related("run_by")[:10],
            "conditions": packages.condition_rows(package),
            "history": _history(package),
            "transition_form": _transition_form(user, package),
            "can_change": user.has_perm("proposals.change_package", package),
            "can_run_check": user.has_perm("proposals.run_package_check", package),
            "can_assess": user.has_perm("proposals.assess_package_conditions", package),
            "objective_label": dict(budget.OBJECTIVE_CHOICES).get(package.objective, ""),
        },
    )


@require_POST
def package_check(request, pk: int):
    package = _package(request, pk, "proposals.run_package_check")
    check = packages.package_run_check(actor=request.user, package=package)
    if check.passed:
        messages.success(request, _("The check is done: the package meets the frameworks."))
    else:
        messages.warning(request, _("The check is done: not everything meets the frameworks yet."))
    return redirect(package.get_absolute_url() + "#check")


@require_POST
def package_transition(request, pk: int):
    package = _package(request, pk, "proposals.change_package_status")
    form = _transition_form(request.user, package, request.POST)
    if form is None or not form.is_valid():
        errors = form.errors.values() if form is not None else [[_("Unknown status.")]]
        messages.error(request, " ".join(str(e) for group in errors for e in group))
        return redirect(package.get_absolute_url())
    target = form.cleaned_data["status"]
    try:
        packages.package_transition(
            actor=request.user,
            package=package,
            to_status=target,
            override_reason=form.cleaned_data.get("override_reason", ""),
        )
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect(package.get_absolute_url() + "#check")
    messages.success(
        request,
        _("The package now has the status “%(status)s”.") % {"status": PackageStatus(target).label},
    )
    return redirect(package.get_absolute_url())


def package_edit(request, pk: int):
    package = _package(request, pk, "proposals.change_package")
    candidates = Proposal.objects.filter(
        process=package.process, kind=ProposalKind.MEASURE
    ).order_by("title", "pk")
    choices = [(p.slug, p.title) for p in candidates]
    initial = {
        "title": package.title,
        "note": package.note,
        "proposals": list(package.proposals.values_list("slug", flat=True)),
    }
    form = PackageEditForm(request.POST or None, choices=choices, initial=initial)
    if request.method == "POST" and form.is_valid():
        chosen = list(candidates.filter(slug__in=form.cleaned_data["proposals"]))
        try:
            packages.package_update(
                actor=request.user,
                package=package,
                proposals=chosen,
                title=form.cleaned_data["title"],
                note=form.cleaned_data["note"],
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("The package has been changed."))
            return redirect(package.get_absolute_url())
    return render(
        request,
        "proposals/package_edit.html",
        {"process": package.process, "package": package, "form": form},
        status=400 if form.errors else 200,
    )


def package_conditions(request, pk: int):
    package = _package(request, pk, "proposals.assess_package_conditions")
    rows = packages.condition_rows(package)
    initial = [{"condition": r.condition, "met": r.met, "note": r.note} for r in rows]
    formset = ConditionFormSet(request.POST or None, initial=initial)
    if request.method == "POST":
        if not rows:
            raise PermissionDenied("proposals.assess_package_conditions")
        if formset.is_valid():
            try:
                packages.package_assess_conditions(
                    actor=request.user,
                    package=package,
                    assessments=[f.cleaned_data for f in formset.forms if f.cleaned_data],
                )
            except ValidationError as exc:
                formset._non_form_errors = formset.error_class(exc.messages)
            else:
                messages.success(request, _("The assessment has been saved."))
                return redirect(package.get_absolute_url())
    return render(
        request,
        "proposals/package_conditions.html",
        {
            "process": package.process,
            "package": package,
            "formset": formset,
            "forms_and_rows": list(zip(formset.forms, rows, strict=False)),
        },
    )
