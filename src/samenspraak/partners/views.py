"""Pages for the partner register, the offering and its analyses. Thin: parse, ask the policy,
call a service or selector, render."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from samenspraak.common.forms import save_form
from samenspraak.common.permissions import require_perm
from samenspraak.core import coverage
from samenspraak.core.errors import InputError
from samenspraak.partners import adapters, network_sources, selectors, services
from samenspraak.partners.forms import (
    AnalysisFilterForm,
    OfferingForm,
    OfferingImportForm,
    PartnerForm,
)
from samenspraak.partners.models import Offering, Partner, TargetGroup, Theme

# --- register ----------------------------------------------------------------------------


def partner_list(request):
    require_perm(request, "partners.view_register")
    municipalities = list(selectors.municipalities_with_partners())
    municipality = selectors.default_municipality(request.GET.get("gemeente"))
    partners = selectors.partner_list(municipality=municipality).prefetch_related("districts")
    return render(
        request,
        "partners/partner_list.html",
        {
            "partners": partners,
            "municipality": municipality,
            "municipalities": municipalities,
            "own": selectors.partner_of_user(request.user),
            "can_add": request.user.has_perm("partners.add_partner"),
        },
    )


def partner_detail(request, pk: int):
    require_perm(request, "partners.view_register")
    partner = get_object_or_404(Partner.objects.select_related("municipality"), pk=pk)
    offerings = list(selectors.offerings_of(partner=partner))
    lines = {
        line.service.id: line for line in coverage.cost_per_service(adapters.services_of(offerings))
    }
    rows = [(o, lines[o.pk]) for o in offerings]
    return render(
        request,
        "partners/partner_detail.html",
        {
            "partner": partner,
            "rows": rows,
            "contacts": partner.contacts(),
            "can_edit": request.user.has_perm("partners.change_partner", partner),
            "can_delete": request.user.has_perm("partners.delete_partner", partner),
        },
    )


def partner_create(request):
    require_perm(request, "partners.add_partner")
    form = PartnerForm(request.POST or None)
    partner = save_form(
        request,
        form,
        lambda: services.partner_create(
            actor=request.user,
            data=form.cleaned_data,
            districts=list(form.cleaned_data["districts"]),
        ),
    )
    if partner is not None:
        messages.success(request, _("%(name)s has been added to the register.") % {"name": partner})
        return redirect("partners:detail", pk=partner.pk)
    return render(request, "partners/partner_form.html", {"form": form, "partner": None})


def partner_edit(request, pk: int):
    partner = get_object_or_404(Partner, pk=pk)
    require_perm(request, "partners.change_partner", partner)
    staff = request.user.has_perm("partners.add_partner")
    form = PartnerForm(request.POST or None, instance=partner, staff=staff)
    # The ModelForm writes onto the instance while validating: the service compares against
    # a fresh copy so that the audit trail records what changed.
    fresh = Partner.objects.get(pk=pk)
    done = save_form(
        request,
        form,
        lambda: services.partner_update(
            actor=request.user,
            partner=fresh,
            data=form.cleaned_data,
            districts=list(form.cleaned_data["districts"]),
        ),
    )
    if done is not None:
        messages.success(request, _("The profile has been saved."))
        return redirect("partners:detail", pk=pk)
    return render(request, "partners/partner_form.html", {"form": form, "partner": fresh})


@require_POST
def partner_delete(request, pk: int):
    partner = get_object_or_404(Partner, pk=pk)
    require_perm(request, "partners.delete_partner", partner)
    try:
        services.partner_delete(actor=request.user, partner=partner)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("partners:detail", pk=partner.pk)
    messages.success(request, _("%(name)s has been removed from the register.") % {"name": partner})
    return redirect("partners:list")


# --- offering ----------------------------------------------------------------------------


def _offering_data(form) -> dict[str, Any]:
    return {k: v for k, v in form.cleaned_data.items() if k != "districts"}


def offering_create(request, pk: int):
    partner = get_object_or_404(Partner.objects.select_related("municipality"), pk=pk)
    require_perm(request, "partners.change_offering", partner)
    form = OfferingForm(request.POST or None, partner=partner)
    offering = save_form(
        request,
        form,
        lambda: services.offering_create(
            actor=request.user,
            partner=partner,
            data=_offering_data(form),
            districts=list(form.cleaned_data["districts"]),
        ),
    )
    if offering is not None:
        messages.success(request, _("The service %(name)s has been added.") % {"name": offering})
        return redirect("partners:detail", pk=partner.pk)
    return render(
        request, "partners/offering_form.html", {"form": form, "partner": partner, "offering": None}
    )


def offering_edit(request, pk: int):
    offering = get_object_or_404(Offering.objects.select_related("partner__municipality"), pk=pk)
    partner = offering.partner
    require_perm(request, "partners.change_offering", partner)
    form = OfferingForm(request.POST or None, instance=offering, partner=partner)
    fresh = Offering.objects.select_related("partner__municipality").get(pk=pk)
    done = save_form(
        request,
        form,
        lambda: services.offering_update(
            actor=request.user,
            offering=fresh,
            data=_offering_data(form),
            districts=list(form.cleaned_data["districts"]),
        ),
    )
    if done is not None:
        messages.success(request, _("The service has been saved."))
        return redirect("partners:detail", pk=partner.pk)
    return render(
        request,
        "partners/offering_form.html",
        {"form": form, "partner": partner, "offering": fresh},
    )


@require_POST
def offering_delete(request, pk: int):
    offering = get_object_or_404(Offering.objects.select_related("partner"), pk=pk)
    partner = offering.partner
    require_perm(request, "partners.change_offering", partner)
    services.offering_delete(actor=request.user, offering=offering)
    messages.success(request, _("The service %(name)s has been removed.") % {"name": offering})
    return redirect("partners:detail", pk=partner.pk)


def offering_import(request, pk: int):
    partner = get_object_or_404(Partner.objects.select_related("municipality"), pk=pk)
    require_perm(request, "partners.change_offering", partner)
    form = OfferingImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        filename, data = form.cleaned_data["file"]
        try:
            rows = adapters.read_offering_file(
                data,
                filename=filename,
                districts=selectors.district_names(partner.municipality),
            )
            count = services.offering_import(
                actor=request.user,
                partner=partner,
                rows=rows,
                replace=form.cleaned_data["replace"],
            )
        except InputError as exc:
            form.add_error(
                "file",
                _("%(error)s Nothing has been stored.") % {"error": adapters.error_message(exc)},
            )
        except ValidationError as exc:
            form.add_error("file", " ".join(exc.messages))
        else:
            messages.success(
                request, _("%(count)s services have been imported.") % {"count": count}
            )
            return redirect("partners:detail", pk=partner.pk)
    return render(
        request,
        "partners/offering_import.html",
        {
            "form": form,
            "partner": partner,
            "themes": adapters.theme_labels_nl().values(),
            "groups": adapters.group_labels_nl().values(),
            "districts": selectors.district_names(partner.municipality),
        },
    )


def offering_template(request, pk: int, kind: str):
    partner = get_object_or_404(Partner.objects.select_related("municipality"), pk=pk)
    require_perm(request, "partners.view_register")
    names = selectors.district_names(partner.municipality)
    base = f"aanbod-{slugify(partner.name) or 'partner'}"
    if kind == "xlsx":
        response = HttpResponse(
            adapters.template_xlsx(names),
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
        response["Content-Disposition"] = f'attachment; filename="{base}.xlsx"'
        return response
    response = HttpResponse(adapters.template_csv(names), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{base}.csv"'
    return response


# --- analyses ----------------------------------------------------------------------------

AXIS_LABELS = {"theme": Theme, "group": TargetGroup}


def _analysis(request, tab: str) -> dict[str, Any]:
    require_perm(request, "partners.view_analysis")
    municipalities = list(selectors.municipalities_with_partners())
    municipality = selectors.default_municipality(request.GET.get("gemeente"))
    districts = selectors.district_names(municipality) if municipality else []
    form = AnalysisFilterForm(
        request.GET or None,
        municipalities=municipalities,
        districts=districts,
        initial={"gemeente": municipality.cbs_code if municipality else ""},
    )
    params = form.cleaned_data if form.is_valid() else {}
    offerings = list(selectors.offerings_of(municipality=municipality)) if municipality else []
    return {
        "tab": tab,
        "municipality": municipality,
        "municipalities": municipalities,
        "filter": form,
        "params": params,
        "district_names": districts,
        "offerings": offerings,
        "services": adapters.services_of(offerings),
        "query": f"?gemeente={municipality.cbs_code}" if municipality else "",
    }


def _values(axis: str, districts: list[str]) -> list[tuple[str, str]]:
    if axis == "theme":
        return [(c, str(label)) for c, label in Theme.choices]
    if axis == "group":
        return [(c, str(label)) for c, label in TargetGroup.choices]
    return [(d, d) for d in districts]


def _label(axis: str, value: str) -> str:
    if axis in AXIS_LABELS:
        return str(dict(AXIS_LABELS[axis].choices).get(value, value))
    return value


def coverage_view(request):
    ctx = _analysis(request, "matrix")
    params = ctx["params"]
    rows_axis = params.get("rijen") or "group"
    columns_axis = params.get("kolommen") or "district"
    if rows_axis == columns_axis:
        columns_axis = next(a for a in ("district", "group", "theme") if a != rows_axis)
    third = next(a for a in coverage.AXES if a not in (rows_axis, columns_axis))
    only = params.get({"theme": "thema", "group": "doelgroep", "district": "wijk"}[third]) or None
    row_values = _values(rows_axis, ctx["district_names"])
    column_values = _values(columns_axis, ctx["district_names"])
    matrix = coverage.coverage_matrix(
        ctx["services"],
        rows=rows_axis,
        columns=columns_axis,
        row_values=[v for v, _ in row_values],
        column_values=[v for v, _ in column_values],
        only=only,
    )
    table = [
        (
            label,
            [matrix.cell(value, column) for column, _ in column_values],
            matrix.row_totals[value],
        )
        for value, label in row_values
    ]
    axis_names = {"theme": _("theme"), "group": _("target group"), "district": _("district")}
    ctx.update(
        rows_axis=rows_axis,
        columns_axis=columns_axis,
        third=third,
        third_name=axis_names[third],
        only_label=_label(third, only) if only else "",
        rows_name=axis_names[rows_axis],
        columns_name=axis_names[columns_axis],
        columns=[label for _, label in column_values],
        column_totals=[matrix.column_totals[v] for v, _ in column_values],
        table=table,
        matrix=matrix,
    )
    return render(request, "partners/coverage.html", ctx)


def gaps_view(request):
    ctx = _analysis(request, "gaps")
    theme = ctx["params"].get("thema") or None
    groups = list(TargetGroup.values)
    gaps = coverage.find_gaps(
        ctx["services"], groups=groups, districts=ctx["district_names"], theme=theme
    )
    per_theme = [
        (
            label,
            coverage.find_gaps(
                ctx["services"], groups=groups, districts=ctx["district_names"], theme=code
            ),
        )
        for code, label in Theme.choices
    ]
    ctx.update(
        gaps=gaps,
        theme_label=_label("theme", theme) if theme else "",
        gap_groups=[_label("group", g) for g in gaps.groups],
        gap_pairs=[(_label("group", g), d) for g, d in gaps.pairs],
        per_theme=[
            (label, [_label("group", g) for g in found.groups], found.districts)
            for label, found in per_theme
        ],
    )
    return render(request, "partners/gaps.html", ctx)


def overlaps_view(request):
    ctx = _analysis(request, "overlaps")
    found = coverage.find_overlaps(
        ctx["services"],
        themes=list(Theme.values),
        groups=list(TargetGroup.values),
        districts=ctx["district_names"],
    )
    theme = ctx["params"].get("thema") or None
    if theme:
        found = [o for o in found if o.theme == theme]
    ctx.update(
        overlaps=[
            (_label("theme", o.theme), _label("group", o.group), o.district, o.services, o.partners)
            for o in found
        ]
    )
    return render(request, "partners/overlaps.html", ctx)


def cost_view(request):
    ctx = _analysis(request, "cost")
    by_theme = coverage.cost_per_theme(ctx["services"], themes=list(Theme.values))
    ctx.update(
        themes=[(_label("theme", t.theme), t) for t in by_theme if t.services],
        lines=[
            (line, _label("theme", line.service.theme))
            for line in coverage.cost_per_service(ctx["services"])
        ],
    )
    return render(request, "partners/cost.html", ctx)


def network_view(request):
    ctx = _analysis(request, "network")
    partners = sorted({s.partner for s in ctx["services"]}, key=str.casefold)
    coalitions = network_sources.coalitions_in(ctx["municipality"]) if ctx["municipality"] else {}
    # Partners in a coalition but without services in the register are still drawn.
    partners = sorted(
        {*partners, *(p for members in coalitions.values() for p in members)}, key=str.casefold
    )
    net = coverage.partner_network(
        ctx["services"], partners=partners, size=640, coalitions=coalitions
    )
    max_weight = max((link.weight for link in net.links), default=0) or 1
    lines = [
        {
            "a": link.a,
            "b": link.b,
            "x1": net.positions[link.a][0],
            "y1": net.positions[link.a][1],
            "x2": net.positions[link.b][0],
            "y2": net.positions[link.b][1],
            "width": round(1 + 4 * link.weight / max_weight, 1),
            "weight": link.weight,
            "coalitions": link.coalitions,
            "groups": [_label("group", g) for g in link.groups],
            "districts": link.districts,
        }
        for link in net.links
    ]
    centre = net.size / 2
    nodes = [
        {
            "name": p,
            "x": net.positions[p][0],
            "y": net.positions[p][1],
            "degree": net.degree[p],
            "anchor": "start"
            if net.positions[p][0] > centre + 1
            else ("end" if net.positions[p][0] < centre - 1 else "middle"),
            "dx": 10
            if net.positions[p][0] > centre + 1
            else (-10 if net.positions[p][0] < centre - 1 else 0),
            "dy": -12 if net.positions[p][1] < centre else 20,
        }
        for p in net.partners
    ]
    adjacency = [
        (
            p,
            [
                (link.b if link.a == p else link.a, link.weight)
                for link in net.links
                if p in (link.a, link.b)
            ],
        )
        for p in net.partners
    ]
    ctx.update(
        net=net,
        lines=lines,
        nodes=nodes,
        adjacency=adjacency,
        viewbox=f"-160 -20 {net.size + 320} {net.size + 40}",
    )
    return render(request, "partners/network.html", ctx)


def analysis_url(name: str, municipality) -> str:
    url = reverse(name)
    return f"{url}?gemeente={municipality.cbs_code}" if municipality else url
