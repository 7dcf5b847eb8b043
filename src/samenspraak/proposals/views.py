"""Thin views: parse, ask the policy, call a service or selector, render."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from samenspraak.common.forms import add_service_errors
from samenspraak.common.permissions import require_perm
from samenspraak.processes import selectors as process_selectors
from samenspraak.processes.models import Process
from samenspraak.proposals import exports, selectors, services, tables
from samenspraak.proposals.forms import (
    AmendmentForm,
    AssessmentForm,
    AuthorForm,
    CommentForm,
    ConditionFormSet,
    DecisionForm,
    EffectFormSet,
    FilterForm,
    HideCommentForm,
    ProposalForm,
    RequirementFormSet,
    SettingsForm,
    TransitionForm,
)
from samenspraak.proposals.models import (
    GATED_STATUSES,
    Amendment,
    Comment,
    ProposalKind,
    ProposalSettings,
    ProposalStatus,
)


def _proposal(request, slug: str, perm: str | None = None):
    """The proposal the user may read (404 otherwise), and ``perm`` on it (403/log in)."""
    proposal = selectors.proposal_get_for_user(slug=slug, user=request.user)
    if perm:
        require_perm(request, perm, proposal)
    return proposal


def _perms(user, proposal) -> dict[str, bool]:
    names = [
        "change_proposal",
        "submit_proposal",
        "withdraw_proposal",
        "change_status",
        "amend_proposal",
        "decide_amendment",
        "comment",
        "moderate_comments",
        "run_check",
        "assess_conditions",
        "assess_proposal",
    ]
    return {f"can_{name}": user.has_perm(f"proposals.{name}", proposal) for name in names}


def _transition_choices(user, proposal) -> list[str]:
    """The statuses this user may move the proposal to now."""
    if user.has_perm("proposals.change_status", proposal):
        return list(proposal.allowed_transitions)
    choices = []
    if user.has_perm("proposals.submit_proposal", proposal):
        choices.append(ProposalStatus.SUBMITTED)
    if user.has_perm("proposals.withdraw_proposal", proposal):
        choices.append(ProposalStatus.WITHDRAWN)
    return [c for c in choices if c in proposal.allowed_transitions]


def _transition_form(user, proposal, data=None):
    choices = _transition_choices(user, proposal)
    if not choices:
        return None
    is_manager = user.has_perm("proposals.change_status", proposal)
    show_override = is_manager and any(c in GATED_STATUSES for c in choices)
    return TransitionForm(data, choices=choices, show_override=show_override)


# --- lists -------------------------------------------------------------------------------------


def proposal_list(request, slug: str):
    process = process_selectors.process_get_for_user(slug=slug, user=request.user)
    form = FilterForm(request.GET or None, process=process, statuses=ProposalStatus.choices)
    filters = {}
    if form.is_valid():
        filters = {
            "status": form.cleaned_data["status"] or None,
            "theme": int(form.cleaned_data["theme"]) if form.cleaned_data["theme"] else None,
            "kind": form.cleaned_data["kind"] or None,
            "query": form.cleaned_data["q"].strip() or None,
        }
    proposals = selectors.proposal_list_for_user(user=request.user, process=process, **filters)
    return render(
        request,
        "proposals/proposal_list.html",
        {
            "process": process,
            "form": form,
            "proposals": proposals,
            "can_add": request.user.has_perm("proposals.add_proposal", process),
            "can_manage": request.user.has_perm("proposals.view_proposal_overview", process),
            "has_programmes": proposals.filter(kind=ProposalKind.PROGRAMME).exists(),
        },
    )


def _managed_process(request, slug: str, perm: str) -> Process:
    process = get_object_or_404(Process.objects.select_related("municipality"), slug=slug)
    require_perm(request, perm, process)
    return process


def manage_list(request, slug: str):
    """Staff: every proposal of the process as a table; the owner also sets who may propose."""
    process = _managed_process(request, slug, "proposals.view_proposal_overview")
    can_manage = request.user.has_perm("proposals.manage_proposals", process)
    settings = ProposalSettings.objects.filter(process=process).first()
    initial = {"residents_may_propose": bool(settings and settings.residents_may_propose)}
    form = SettingsForm(request.POST or None, initial=initial) if can_manage else None
    if request.method == "POST":
        if form is None:
            raise PermissionDenied("proposals.manage_proposals")
        if form.is_valid():
            services.settings_update(
                actor=request.user,
                process=process,
                residents_may_propose=form.cleaned_data["residents_may_propose"],
            )
            messages.success(request, _("The settings have been saved."))
            return redirect("proposals:manage_list", slug=process.slug)
    proposals = selectors.proposal_list_for_user(user=request.user, process=process)
    return render(
        request,
        "proposals/manage_list.html",
        {"process": process, "table": tables.manage_table(proposals), "form": form},
    )


# --- create and edit ---------------------------------------------------------------------------


def _effect_rows(proposal) -> list[dict]:
    return [
        {"year": e.year, "structural": e.structural, "incidental": e.incidental}
        for e in proposal.effects.all()
    ]


def _requirement_rows(proposal) -> list[dict]:
    return [
        {
            "aspect": r.aspect,
            "title": r.title,
            "description": r.description,
            "priority": r.priority,
            "cost_estimate": r.cost_estimate,
            "norm_quantity": r.norm_quantity,
            "norm_operator": r.norm_operator,
            "norm_value": r.norm_value.normalize() if r.norm_value is not None else None,
            "norm_unit": r.norm_unit,
        }
        for r in proposal.requirements.all()
    ]


def _formsets(request, process, proposal=None):
    aspects = selectors.mandatory_aspects(process)
    data = request.POST if request.method == "POST" else None
    effects = EffectFormSet(
        data, initial=_effect_rows(proposal) if proposal else None, prefix="effects"
    )
    requirements = RequirementFormSet(
        data,
        initial=_requirement_rows(proposal) if proposal else None,
        prefix="requirements",
        aspects=aspects,
    )
    return aspects, effects, requirements


def _service_errors_to_formsets(exc: ValidationError, form, effects, requirements) -> None:
    if hasattr(exc, "error_dict"):
        for name, errors in exc.error_dict.items():
            if name == "effects":
                effects._non_form_errors = effects.error_class(
                    [m for e in errors for m in e.messages]
                )
            elif name == "requirements":
                requirements._non_form_errors = requirements.error_class(
                    [m for e in errors for m in e.messages]
                )
            else:
                form.add_error(name if name in form.fields else None, errors)
    else:
        form.add_error(None, exc.messages)


def proposal_create(request, slug: str):
    process = process_selectors.process_get_for_user(slug=slug, user=request.user)
    require_perm(request, "proposals.add_proposal", process)
    settings = ProposalSettings.objects.filter(process=process).first()
    author_form = AuthorForm(
        request.POST or None,
        user=request.user,
        process=process,
        is_manager=request.user.has_perm("proposals.manage_proposals", process),
        residents_allowed=bool(settings and settings.residents_may_propose),
    )
    aspects, effects, requirements = _formsets(request, process)
    form = ProposalForm(
        request.POST or None,
        process=process,
        mandatory_aspects=aspects,
        initial={"kind": request.GET.get("soort") or ProposalKind.MEASURE},
    )
    if request.method == "POST" and all(
        [author_form.is_valid(), form.is_valid(), effects.is_valid(), requirements.is_valid()]
    ):
        try:
            proposal = services.proposal_create(
                actor=request.user,
                process=process,
                data=form.content(),
                effects=effects.rows(),
                requirements=requirements.rows(),
                districts=list(form.cleaned_data["districts"]),
                note=form.cleaned_data["note"],
                **author_form.author_kwargs(),
            )
        except ValidationError as exc:
            _service_errors_to_formsets(exc, form, effects, requirements)
        else:
            messages.success(request, _("Your proposal has been saved as a draft (version 1)."))
            return redirect(proposal.get_absolute_url())
    return render(
        request,
        "proposals/proposal_form.html",
        {
            "process": process,
            "form": form,
            "author_form": author_form,
            "effects": effects,
            "requirements": requirements,
            "proposal": None,
        },
    )


def proposal_edit(request, slug: str):
    proposal = _proposal(request, slug, "proposals.change_proposal")
    process = proposal.process
    aspects, effects, requirements = _formsets(request, process, proposal)
    form = ProposalForm(
        request.POST or None, instance=proposal, process=process, mandatory_aspects=aspects
    )
    if request.method == "POST" and all(
        [form.is_valid(), effects.is_valid(), requirements.is_valid()]
    ):
        try:
            version = services.proposal_update(
                actor=request.user,
                proposal=proposal,
                data=form.content(),
                effects=effects.rows(),
                requirements=requirements.rows(),
                districts=list(form.cleaned_data["districts"]),
                note=form.cleaned_data["note"],
            )
        except ValidationError as exc:
            _service_errors_to_formsets(exc, form, effects, requirements)
        else:
            if version is None:
                messages.info(request, _("Nothing had changed, so there is no new version."))
            else:
                messages.success(
                    request,
                    _("The proposal has been saved as version %(number)s.")
                    % {"number": version.number},
                )
            return redirect(proposal.get_absolute_url())
    return render(
        request,
        "proposals/proposal_form.html",
        {
            "process": process,
            "form": form,
            "author_form": None,
            "effects": effects,
            "requirements": requirements,
            "proposal": proposal,
        },
    )


# --- the proposal page -------------------------------------------------------------------------


def proposal_detail(request, slug: str):
    proposal = _proposal(request, slug)
    perms = _perms(request.user, proposal)
    summary = selectors.effects_summary(proposal)
    check = selectors.latest_check(proposal)
    amendments = selectors.amendments(proposal)
    return render(
        request,
        "proposals/proposal_detail.html",
        {
            "proposal": proposal,
            "process": proposal.process,
            "effects": summary,
            "effects_table": tables.effects_table(summary),
            "chart": selectors.effects_chart(summary),
            "document": selectors.pve_document(proposal) if proposal.is_programme else None,
            "check": check,
            "check_items": selectors.check_items(check) if check else [],
            "check_is_current": bool(check and check.version_id == proposal.current_version_id),
            "open_amendments": [a for a in amendments if a.is_open],
            "thread": selectors.comment_tree(proposal),
            "comment_form": CommentForm() if perms["can_comment"] else None,
            "transition_form": _transition_form(request.user, proposal),
            "version_count": proposal.versions.count(),
            **perms,
        },
    )


@require_POST
def proposal_transition(request, slug: str):
    proposal = _proposal(request, slug)
    form = _transition_form(request.user, proposal, request.POST)
    if form is None:
        require_perm(request, "proposals.change_status", proposal)
        raise PermissionDenied("proposals.change_status")
    if not form.is_valid():
        messages.error(request, " ".join(e for errors in form.errors.values() for e in errors))
        return redirect(proposal.get_absolute_url())
    target = form.cleaned_data["status"]
    try:
        services.proposal_transition(
            actor=request.user,
            proposal=proposal,
            to_status=target,
            override_reason=form.cleaned_data.get("override_reason", ""),
        )
    except services.CheckFailed as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect("proposals:check", slug=proposal.slug)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(
            request,
            _("The proposal now has the status “%(status)s”.")
            % {"status": ProposalStatus(target).label},
        )
    return redirect(proposal.get_absolute_url())


# --- versions ----------------------------------------------------------------------------------


def proposal_versions(request, slug: str):
    proposal = _proposal(request, slug)
    versions = list(selectors.versions(proposal))
    return render(
        request,
        "proposals/versions.html",
        {"proposal": proposal, "process": proposal.process, "versions": versions},
    )


def _version_number(value: str | None) -> int | None:
    """A version number from the address; a number that is not one is a page that does not
    exist (404), not a silent fallback."""
    if not value:
        return None
    try:
        return int(value)
    except ValueError:
        raise Http404 from None


def proposal_diff(request, slug: str):
    """Two versions side by side in one text: removed words in <del>, added in <ins>."""
    proposal = _proposal(request, slug)
    versions = list(selectors.versions(proposal))
    by_number = {v.number: v for v in versions}
    newest = versions[0].number if versions else None
    old_n = _version_number(request.GET.get("van"))
    new_n = _version_number(request.GET.get("naar")) or newest
    if old_n is None and new_n is not None:
        old_n = max(new_n - 1, 1)
    if old_n not in by_number or new_n not in by_number:
        raise Http404
    old, new = by_number[old_n], by_number[new_n]
    sections = selectors.version_diff(old, new)
    return render(
        request,
        "proposals/diff.html",
        {
            "proposal": proposal,
            "process": proposal.process,
            "versions": versions,
            "old": old,
            "new": new,
            "sections": sections,
            "changed": [s for s in sections if s.changed],
            "unchanged": [s.label for s in sections if not s.changed],
        },
    )


# --- amendments --------------------------------------------------------------------------------


def proposal_amendments(request, slug: str):
    proposal = _proposal(request, slug)
    can_amend = request.user.has_perm("proposals.amend_proposal", proposal)
    form = None
    if request.method == "POST":
        require_perm(request, "proposals.amend_proposal", proposal)
        form = AmendmentForm(request.POST)
        if form.is_valid():
            try:
                services.amendment_propose(
                    actor=request.user, proposal=proposal, **form.cleaned_data
                )
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                messages.success(request, _("Your amendment has been sent to the authors."))
                return redirect("proposals:amendments", slug=proposal.slug)
    elif can_amend:
        section = request.GET.get("onderdeel")
        initial = {}
        if section in services.AMENDABLE_SECTIONS:
            initial = {"section": section, "proposed_text": getattr(proposal, section)}
        form = AmendmentForm(initial=initial)
    return render(
        request,
        "proposals/amendments.html",
        {
            "proposal": proposal,
            "process": proposal.process,
            "amendments": selectors.amendments(proposal),
            "form": form,
            "can_decide_amendment": request.user.has_perm("proposals.decide_amendment", proposal),
        },
        status=400 if form is not None and form.is_bound and form.errors else 200,
    )


def amendment_decide(request, slug: str, pk: int):
    proposal = _proposal(request, slug, "proposals.decide_amendment")
    amendment = get_object_or_404(Amendment, pk=pk, proposal=proposal)
    amendment.stale = amendment.is_open and services.amendment_is_stale(amendment)
    form = DecisionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            if data["decision"] == "accept":
                version = services.amendment_accept(
                    actor=request.user,
                    amendment=amendment,
                    reason=data["reason"],
                    accept_stale=data["accept_stale"],
                )
                messages.success(
                    request,
                    _("The amendment has been accepted. The proposal is now version %(n)s.")
                    % {"n": version.number},
                )
            else:
                services.amendment_reject(
                    actor=request.user, amendment=amendment, reason=data["reason"]
                )
                messages.success(request, _("The amendment has been rejected."))
        except ValidationError as exc:
            add_service_errors(form, exc, {"decision_reason": "reason"})
        else:
            return redirect("proposals:amendments", slug=proposal.slug)
    diff = selectors.amendment_diff(amendment, proposal)
    return render(
        request,
        "proposals/amendment_decide.html",
        {
            "proposal": proposal,
            "process": proposal.process,
            "amendment": amendment,
            "form": form,
            "diff": diff,
            "current_text": getattr(proposal, amendment.section) or "",
        },
    )


@require_POST
def amendment_withdraw(request, slug: str, pk: int):
    proposal = _proposal(request, slug)
    amendment = get_object_or_404(Amendment, pk=pk, proposal=proposal)
    if not request.user.is_authenticated:
        require_perm(request, "proposals.amend_proposal", proposal)
    try:
        services.amendment_withdraw(actor=request.user, amendment=amendment)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("You have withdrawn your amendment."))
    return redirect("proposals:amendments", slug=proposal.slug)


# --- comments ----------------------------------------------------------------------------------


@require_POST
def comment_create(request, slug: str):
    proposal = _proposal(request, slug, "proposals.comment")
    form = CommentForm(request.POST)
    if form.is_valid():
        parent = None
        if form.cleaned_data.get("parent"):
            parent = get_object_or_404(Comment, pk=form.cleaned_data["parent"], proposal=proposal)
        try:
            comment = services.comment_post(
                actor=request.user, proposal=proposal, body=form.cleaned_data["body"], parent=parent
            )
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, _("Your comment has been posted."))
            return redirect(
                reverse("proposals:detail", args=[proposal.slug]) + f"#comment-{comment.pk}"
            )
    else:
        messages.error(request, " ".join(e for errors in form.errors.values() for e in errors))
    return redirect(reverse("proposals:detail", args=[proposal.slug]) + "#comments")


@require_POST
def comment_hide(request, slug: str, pk: int):
    proposal = _proposal(request, slug, "proposals.moderate_comments")
    comment = get_object_or_404(Comment, pk=pk, proposal=proposal)
    form = HideCommentForm(request.POST)
    if form.is_valid():
        try:
            services.comment_hide(
                actor=request.user, comment=comment, reason=form.cleaned_data["reason"]
            )
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, _("The comment has been removed."))
    else:
        messages.error(request, " ".join(e for errors in form.errors.values() for e in errors))
    return redirect(reverse("proposals:detail", args=[proposal.slug]) + f"#comment-{comment.pk}")


# --- framework check, conditions, assessment ---------------------------------------------------


def proposal_check(request, slug: str):
    proposal = _proposal(request, slug)
    if request.method == "POST":
        require_perm(request, "proposals.run_check", proposal)
        check = services.proposal_run_check(actor=request.user, proposal=proposal)
        if check.passed:
            messages.success(request, _("The check is done: the proposal meets the frameworks."))
        else:
            messages.warning(
                request, _("The check is done: not everything meets the frameworks yet.")
            )
        return redirect("proposals:check", slug=proposal.slug)
    check = selectors.latest_check(proposal)
    return render(
        request,
        "proposals/check.html",
        {
            "proposal": proposal,
            "process": proposal.process,
            "check": check,
            "items": selectors.check_items(check) if check else [],
            "is_current": bool(check and check.version_id == proposal.current_version_id),
            "history": proposal.checks.select_related("version", "run_by")[:10],
            "conditions": selectors.condition_rows(proposal),
            **_perms(request.user, proposal),
        },
    )


def proposal_conditions(request, slug: str):
    proposal = _proposal(request, slug, "proposals.assess_conditions")
    rows = selectors.condition_rows(proposal)
    initial = [{"condition": r.condition, "met": r.met, "note": r.note} for r in rows]
    formset = ConditionFormSet(request.POST or None, initial=initial, prefix="conditions")
    if request.method == "POST" and formset.is_valid():
        try:
            services.conditions_assess(
                actor=request.user,
                proposal=proposal,
                assessments=[f.cleaned_data for f in formset.forms],
            )
        except ValidationError as exc:
            formset._non_form_errors = formset.error_class(exc.messages)
        else:
            messages.success(request, _("The assessment of the conditions has been saved."))
            return redirect("proposals:check", slug=proposal.slug)
    return render(
        request,
        "proposals/conditions.html",
        {"proposal": proposal, "process": proposal.process, "formset": formset, "rows": rows},
    )


def proposal_assessment(request, slug: str):
    proposal = _proposal(request, slug, "proposals.assess_proposal")
    initial = {
        "support": proposal.support,
        "impact_score": proposal.impact_score,
        "people_affected": proposal.people_affected,
        "exclusive_group": proposal.exclusive_group,
    }
    form = AssessmentForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.proposal_assess(actor=request.user, proposal=proposal, data=form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("The assessment has been saved."))
            return redirect(proposal.get_absolute_url())
    return render(
        request,
        "proposals/assessment.html",
        {"proposal": proposal, "process": proposal.process, "form": form},
    )


# --- Programme of Requirements -----------------------------------------------------------------


def _programme(request, slug: str):
    proposal = _proposal(request, slug)
    if not proposal.is_programme:
        raise Http404
    return proposal


def pve_document(request, slug: str):
    proposal = _programme(request, slug)
    document = selectors.pve_document(proposal)
    return render(
        request,
        "proposals/pve_document.html",
        {
            "proposal": proposal,
            "process": proposal.process,
            "document": document,
            "totals": tables.pve_totals_table(document),
        },
    )


def pve_export(request, slug: str, fmt: str):
    proposal = _programme(request, slug)
    document = selectors.pve_document(proposal)
    base = proposal.slug
    if fmt == "csv":
        response = HttpResponse(exports.pve_csv(document), content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="{base}.csv"'
    elif fmt == "pdf":
        response = HttpResponse(exports.pve_pdf(document), content_type="application/pdf")
        response["Content-Disposition"] = f'attachment; filename="{base}.pdf"'
    else:
        response = HttpResponse(exports.pve_html(document, request=request))
        response["Content-Disposition"] = f'attachment; filename="{base}.html"'
    return response


def coverage(request, slug: str):
    process = process_selectors.process_get_for_user(slug=slug, user=request.user)
    programmes = list(
        selectors.proposal_list_for_user(
            user=request.user, process=process, kind=ProposalKind.PROGRAMME
        )
    )
    chosen = None
    wanted = request.GET.get("pve")
    if wanted:
        chosen = next((p for p in programmes if p.slug == wanted), None)
        if chosen is None:
            raise Http404
    rows = selectors.coverage(process=process, user=request.user, proposal=chosen)
    return render(
        request,
        "proposals/coverage.html",
        {
            "process": process,
            "programmes": programmes,
            "chosen": chosen,
            "rows": rows,
            "missing": [r.aspect for r in rows if r.mandatory and not r.covered],
        },
    )
