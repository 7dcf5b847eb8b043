"""Thin views: parse, ask the policy, call a service or selector, render."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db import transaction
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from samenspraak.common.adapters import finding_message
from samenspraak.common.forms import add_service_errors
from samenspraak.common.permissions import require_perm
from samenspraak.processes import selectors, services, tables
from samenspraak.processes.forms import (
    AspectFormSet,
    BandwidthYearFormSet,
    FrameworkForm,
    PhaseFormSet,
    ProcessForm,
    ThemeFormSet,
)
from samenspraak.processes.models import Phase, Process, ProcessStatus


def home(request):
    processes = selectors.process_list_public().exclude(status=ProcessStatus.CLOSED)[:6]
    return render(request, "home.html", {"processes": processes})


def process_list(request):
    filters = {
        "municipality": request.GET.get("gemeente") or None,
        "status": request.GET.get("status") or None,
        "query": (request.GET.get("q") or "").strip() or None,
    }
    context = {
        "processes": selectors.process_list_public(**filters),
        "municipalities": selectors.municipalities_with_public_processes(),
        "statuses": [s for s in ProcessStatus.choices if s[0] != ProcessStatus.DRAFT],
        "filters": filters,
    }
    template = "processes/_process_results.html" if request.htmx else "processes/process_list.html"
    return render(request, template, context)


def process_detail(request, slug: str):
    process = selectors.process_get_for_user(slug=slug, user=request.user)
    return render(
        request,
        "processes/process_detail.html",
        {
            "process": process,
            "phases": selectors.phase_states(process, today=timezone.localdate()),
            "framework": process.framework,
            "can_change": request.user.has_perm("processes.change_process", process),
            "can_view_audit": request.user.has_perm("processes.view_audit", process),
        },
    )


def dashboard(request):
    require_perm(request, "processes.view_dashboard")
    processes = list(selectors.process_list_for_dashboard(user=request.user))
    for process in processes:
        process.can_change = request.user.has_perm("processes.change_process", process)
    own = [p for p in processes if p.owner_id == request.user.pk]
    others = [p for p in processes if p.owner_id != request.user.pk]
    return render(
        request,
        "processes/dashboard.html",
        {
            "own": tables.dashboard_table(own, caption=_("My processes")),
            "others": tables.dashboard_table(others, caption=_("Other processes")),
        },
    )


def _show_warnings(request, warnings) -> None:
    for finding in warnings:
        messages.warning(request, finding_message(finding))


def process_create(request):
    require_perm(request, "processes.add_process")
    form = ProcessForm(request.POST or None, initial={"owner": request.user.pk})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            process = services.process_create(
                actor=request.user,
                title=data["title"],
                summary=data["summary"],
                challenge=data["challenge"],
                municipality=data["municipality"],
                owner=data["owner"],
                districts=list(data["districts"]),
                status=data["status"],
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(
                request, _("The process has been created. Now add its phases and frameworks.")
            )
            return redirect("processes:edit", slug=process.slug)
    return render(request, "processes/process_form.html", {"form": form, "process": None})


def _managed_process(request, slug: str, perm: str = "processes.change_process") -> Process:
    process = get_object_or_404(
        Process.objects.select_related("framework", "municipality"), slug=slug
    )
    require_perm(request, perm, process)
    return process


def process_edit(request, slug: str):
    process = _managed_process(request, slug)
    form = ProcessForm(request.POST or None, instance=process)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        districts = list(data.pop("districts"))
        try:
            # The ModelForm already wrote its values onto ``process``; reload so the
            # service sees (and audits) the stored state.
            services.process_update(
                actor=request.user,
                process=Process.objects.get(pk=process.pk),
                data=data,
                districts=districts,
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("The process has been saved."))
            return redirect("processes:edit", slug=process.slug)
    return render(request, "processes/process_form.html", {"form": form, "process": process})


def _phase_initial(process: Process) -> list[dict]:
    return [
        {
            "id": p.pk,
            "kind": p.kind,
            "title": p.title,
            "start_date": p.start_date,
            "end_date": p.end_date,
            "description": p.description,
        }
        for p in process.phases.order_by("position", "start_date")
    ]


def phases_edit(request, slug: str):
    process = _managed_process(request, slug, "processes.change_phases")
    formset = PhaseFormSet(request.POST or None, initial=_phase_initial(process), prefix="phases")
    if request.method == "POST" and formset.is_valid():
        try:
            warnings = services.phases_replace(
                actor=request.user, process=process, phases=formset.rows()
            )
        except ValidationError as exc:
            formset._non_form_errors = formset.error_class(exc.messages)
        else:
            _show_warnings(request, warnings)
            messages.success(request, _("The phases have been saved."))
            return redirect("processes:phases", slug=process.slug)
    return render(request, "processes/phases_form.html", {"formset": formset, "process": process})


@require_POST
def process_set_current_phase(request, slug: str):
    process = _managed_process(request, slug, "processes.change_phases")
    phase_id = request.POST.get("phase")
    phase = get_object_or_404(Phase, pk=phase_id, process=process) if phase_id else None
    services.process_set_current_phase(actor=request.user, process=process, phase=phase)
    messages.success(request, _("The current phase has been changed."))
    return redirect("processes:phases", slug=process.slug)


def themes_edit(request, slug: str):
    process = _managed_process(request, slug)
    initial = [
        {
            "id": t.pk,
            "name": t.name,
            "owning_department": t.owning_department,
            "description": t.description,
        }
        for t in process.themes.all()
    ]
    formset = ThemeFormSet(request.POST or None, initial=initial, prefix="themes")
    if request.method == "POST" and formset.is_valid():
        try:
            services.themes_replace(actor=request.user, process=process, themes=formset.rows())
        except ValidationError as exc:
            formset._non_form_errors = formset.error_class(exc.messages)
        else:
            messages.success(request, _("The themes have been saved."))
            return redirect("processes:themes", slug=process.slug)
    return render(request, "processes/themes_form.html", {"formset": formset, "process": process})


def framework_edit(request, slug: str):
    process = _managed_process(request, slug, "processes.change_framework")
    framework = process.framework
    years_initial = [
        {
            "year": y.year,
            "minimum": y.minimum,
            "maximum": y.maximum,
            "savings_structural": y.savings_structural,
            "savings_incidental": y.savings_incidental,
        }
        for y in framework.years.order_by("year")
    ]
    aspects_initial = [
        {"name": a.name, "description": a.description} for a in framework.aspects.all()
    ]
    data = request.POST or None
    form = FrameworkForm(data, instance=framework)
    kind = (data or {}).get("bandwidth_kind") or framework.bandwidth_kind
    years = BandwidthYearFormSet(data, initial=years_initial, prefix="years", bandwidth_kind=kind)
    aspects = AspectFormSet(data, initial=aspects_initial, prefix="aspects")
    if request.method == "POST":
        valid = all([form.is_valid(), years.is_valid(), aspects.is_valid()])
        if valid:
            try:
                with transaction.atomic():
                    warnings = services.framework_update(
                        actor=request.user,
                        process=process,
                        data={k: form.cleaned_data[k] for k in form.Meta.fields},
                        years=years.rows(),
                        aspects=aspects.rows(),
                    )
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                _show_warnings(request, warnings)
                messages.success(request, _("The frameworks have been saved."))
                return redirect("processes:framework", slug=process.slug)
    return render(
        request,
        "processes/framework_form.html",
        {"form": form, "years": years, "aspects": aspects, "process": process},
    )


def process_history(request, slug: str):
    process = get_object_or_404(Process, slug=slug)
    require_perm(request, "processes.view_audit", process)
    events = selectors.audit_events_for_process(process=process)
    return render(
        request,
        "processes/history.html",
        {"process": process, "table": tables.history_table(events)},
    )
