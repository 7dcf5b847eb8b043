"""Pages of the results part: the results page per consultation (public once closed,
managers at any time), closing with confirmation, open-data downloads, the budget
simulator analysis and the import of a ``.pb`` file. Thin: ask the policy, call
``results``, ``opendata``, ``pbimport`` or ``simulator_analysis``, render."""

from __future__ import annotations

import json
from decimal import Decimal
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.formats import number_format
from django.utils.translation import gettext as _

from samenspraak.common.formatting import format_euro_for_language
from samenspraak.common.permissions import require_perm
from samenspraak.consultations import opendata, pbimport, results
from samenspraak.consultations.models import (
    AgeBand,
    Consultation,
    ConsultationKind,
    ConsultationStatus,
)
from samenspraak.consultations.results_forms import CloseForm, PbImportForm
from samenspraak.consultations.results_labels import (
    ANALYSIS_MEASURES,
    EJR_LABELS,
    rule_help,
    rule_label,
    yes_no,
)
from samenspraak.consultations.simulator_analysis import simulator_analysis_for
from samenspraak.processes.models import Process

DASH = "\u2013"


def _consultation(request, slug: str) -> Consultation:
    """The consultation the user may see (404 otherwise, drafts included)."""
    consultation = (
        Consultation.objects.select_related("process", "process__municipality", "phase")
        .filter(slug=slug)
        .first()
    )
    if consultation is None or not request.user.has_perm(
        "consultations.view_consultation", consultation
    ):
        raise Http404
    return consultation


def detail_url(consultation: Consultation) -> str | None:
    """The consultation's own page (the voting part), when that page exists."""
    try:
        return consultation.get_absolute_url()
    except NoReverseMatch:
        return None


def _common(request, consultation: Consultation) -> dict[str, Any]:
    return {
        "consultation": consultation,
        "process": consultation.process,
        "detail_url": detail_url(consultation),
        "is_closed": consultation.status == ConsultationStatus.CLOSED,
        "can_manage": request.user.has_perm("consultations.change_consultation", consultation),
    }


def _pending(request, consultation: Consultation):
    """Results are public once the consultation closes; until then a short explanation."""
    return render(
        request,
        "consultations/results_pending.html",
        _common(request, consultation),
        status=403,
    )


# --- numbers as the page shows them ------------------------------------------------------------


def money(value, currency: str = "EUR") -> str:
    """An amount the way the reader's language writes it, in the vote's currency."""
    if value is None or value == "":
        return ""
    text = format_euro_for_language(Decimal(str(value)))
    if currency and currency != "EUR":
        return text.replace("€ ", "") + f" {currency}"
    return text


def percent(value, places: int = 1) -> str:
    """0.4567 -> "45,7%" in Dutch, "45.7%" in English; a dash for None."""
    if value is None or value == "":
        return DASH
    number = float(value) * 100
    text = f"{number:.{places}f}"
    from django.utils.translation import get_language

    if not (get_language() or "nl").startswith("en"):
        text = text.replace(".", ",")
    return f"{text}%"


def _bar(value: float, top: float) -> float:
    """Bar length in percent of the widest (at least a sliver when not zero)."""
    if top <= 0 or value <= 0:
        return 0.0
    return round(max(0.5, 100 * value / top), 2)


def demographics_rows(consultation: Consultation, counts: dict[str, Any]) -> dict[str, Any]:
    """Voters per age band and per district, with the share of those who answered; every
    district where the consultation was open is listed, also when nobody from it voted."""
    data = counts.get("demographics", {})
    ages = data.get("age_band", {})
    answered = sum(v for k, v in ages.items() if k)
    age_rows = [
        {
            "label": band.label,
            "count": ages.get(band.value, 0),
            "share": percent(ages.get(band.value, 0) / answered if answered else None),
            "bar": _bar(ages.get(band.value, 0), max([*ages.values(), 0])),
        }
        for band in AgeBand
    ]
    districts = data.get("district", {})
    names = [d.name for d in consultation.districts.all()] or [
        d.name for d in consultation.process.districts.all()
    ]
    for name in districts:
        if name and name not in names:
            names.append(name)
    in_district = sum(v for k, v in districts.items() if k)
    top = max([v for k, v in districts.items() if k] or [0])
    district_rows = [
        {
            "label": name,
            "count": districts.get(name, 0),
            "share": percent(districts.get(name, 0) / in_district if in_district else None),
            "bar": _bar(districts.get(name, 0), top),
            "none": districts.get(name, 0) == 0,
        }
        for name in names
    ]
    return {
        "ages": age_rows,
        "age_unknown": ages.get("", 0),
        "age_answered": answered,
        "districts": district_rows,
        "district_unknown": districts.get("", 0),
        "district_answered": in_district,
        "ballots": counts.get("ballots", 0),
    }


def _in_language(messages_by_key: dict[str, Any]) -> dict[str, str]:
    """``{key: {"nl": ..., "en": ...}}`` as ``{key: message in the active language}``."""
    from django.utils.translation import get_language

    language = "en" if (get_language() or "nl").startswith("en") else "nl"
    return {
        key: value.get(language, "") if isinstance(value, dict) else str(value)
        for key, value in messages_by_key.items()
    }


def _turnout(counts: dict[str, Any]) -> dict[str, Any]:
    return {
        "ballots": counts.get("ballots", 0),
        "codes": counts.get("codes", 0),
        "share": percent(counts.get("turnout")) if counts.get("turnout") is not None else None,
    }


def _analysis_rows(analyses: list[Any], currency: str) -> list[tuple[str, list[str]]]:
    """The fairness measures of ``core.pb.analysis`` (stored as JSON), one row per measure
    with a value per rule: percentages, numbers, amounts, yes or no."""
    analyses = [a if isinstance(a, dict) else {} for a in analyses]
    rows: list[tuple[str, list[str]]] = []
    for key, kind, label in ANALYSIS_MEASURES:
        if all(a.get(key) is None for a in analyses):
            continue
        values = []
        for analysis in analyses:
            value = analysis.get(key)
            if value is None:
                values.append(DASH)
            elif kind == "percent":
                values.append(percent(value))
            elif kind == "money":
                values.append(money(value, currency))
            else:
                values.append(number_format(round(float(value), 2), decimal_pos=2))
        rows.append((str(label), values))
    checks = [a.get("ejr") or {} for a in analyses]
    if any(c.get("status") in ("checked", "too-large") for c in checks):
        for key, label in EJR_LABELS.items():
            values = []
            for check in checks:
                if check.get("status") == "checked":
                    values.append(yes_no(check.get(key)))
                elif check.get("status") == "too-large":
                    values.append(_("too many groups of voters to check"))
                else:
                    values.append(DASH)
            rows.append((str(label), values))
    return rows


def pb_page(consultation: Consultation, stored: dict) -> dict[str, Any]:
    counts = stored[results.COUNT].details
    currency = (consultation.pb_meta or {}).get("currency") or "EUR"
    rules = results.rules_order(consultation, stored)
    outcome = stored.get(consultation.rule)
    funded = set(outcome.selected) if outcome else set()
    entries = counts.get("items", {})
    items = list(consultation.items.select_related("proposal").order_by("position", "id"))
    top = max([entries.get(i.code, {}).get("votes", 0) for i in items] or [0])
    rows = []
    for item in items:
        entry = entries.get(item.code, {})
        rows.append(
            {
                "code": item.code,
                "title": item.title,
                "cost": money(item.cost, currency),
                "votes": entry.get("votes", 0),
                "points": entry.get("points"),
                "mean_rank": entry.get("mean_rank"),
                "share": percent(entry.get("share")),
                "bar": _bar(entry.get("votes", 0), top),
                "funded": item.code in funded,
                "by_rule": [
                    (item.code in stored[rule].selected, rule == consultation.rule)
                    for rule in rules
                ],
                "official": (item.extra or {}).get("selected"),
                "proposal_url": item.proposal.get_absolute_url() if item.proposal else None,
            }
        )
    rows.sort(key=lambda r: (-r["votes"], r["title"]))
    budget = consultation.budget or Decimal(0)
    summaries = []
    for rule in rules:
        result = stored[rule]
        total = result.total_cost or Decimal(0)
        summaries.append(
            {
                "rule": rule,
                "label": rule_label(rule),
                "help": rule_help(rule),
                "is_outcome": rule == consultation.rule,
                "count": len(result.selected),
                "total": money(total, currency),
                "left": money(budget - total, currency),
                "budget_share": percent(total / budget if budget else None),
                "bar": _bar(float(total), float(budget)),
                "official_rule": (result.details.get("rule_details") or {}).get(
                    "official_rule", ""
                ),
                "projects": [
                    next((r["title"] for r in rows if r["code"] == code), code)
                    for code in result.selected
                ],
            }
        )
    figures = [
        (_("Projects funded"), [str(s["count"]) for s in summaries]),
        (_("Total cost"), [s["total"] for s in summaries]),
        (_("Share of the budget"), [s["budget_share"] for s in summaries]),
        *_analysis_rows([stored[rule].details.get("analysis") for rule in rules], currency),
    ]
    outcome_flags = [s["is_outcome"] for s in summaries]
    figures = [(label, list(zip(values, outcome_flags, strict=True))) for label, values in figures]
    return {
        "rules": [{"rule": r, "label": rule_label(r)} for r in rules],
        "rows": rows,
        "summaries": summaries,
        "figures": figures,
        "outcome": next((s for s in summaries if s["is_outcome"]), None),
        "budget": money(budget, currency),
        "skipped": [
            {"label": rule_label(r), "reason": reason}
            for r, reason in _in_language(counts.get("skipped_rules", {})).items()
        ],
        "has_official": any(r["official"] for r in rows),
        "has_points": any(r["points"] is not None for r in rows),
        "has_rank": any(r["mean_rank"] is not None for r in rows),
        "empty": counts.get("empty", 0),
    }


def poll_page(consultation: Consultation, counts: dict[str, Any]) -> dict[str, Any]:
    rows = []
    for item in consultation.items.select_related("proposal").order_by("position", "id"):
        entry = counts.get("items", {}).get(item.code, {})
        ci = entry.get("ci")
        value = float(entry["share"]) if entry.get("share") is not None else None
        rows.append(
            {
                "code": item.code,
                "title": item.title,
                "proposal_url": item.proposal.get_absolute_url() if item.proposal else None,
                "support": entry.get("support", 0),
                "oppose": entry.get("oppose", 0),
                "no_opinion": entry.get("no_opinion", 0),
                "unanswered": entry.get("unanswered", 0),
                "share": percent(value),
                "low": percent(ci[0]) if ci else DASH,
                "high": percent(ci[1]) if ci else DASH,
                "bar": round(100 * value, 2) if value is not None else 0,
                "ci_left": round(100 * ci[0], 2) if ci else 0,
                "ci_width": round(100 * (ci[1] - ci[0]), 2) if ci else 0,
                "judged": entry.get("support", 0) + entry.get("oppose", 0),
            }
        )
    return {"rows": rows}


def simulator_page(analysis: dict[str, Any]) -> dict[str, Any]:
    """The simulator analysis (as stored in JSON) as the page shows it. A package with more
    than half of the measures is described by what it leaves out."""
    measures = analysis.get("measures", [])
    top = max([m["chosen"] for m in measures] or [0])
    titles = {m["code"]: m["title"] for m in measures}
    packages = []
    for number, p in enumerate(analysis.get("top", []), start=1):
        chosen = set(p["codes"])
        left_out = [titles[code] for code in titles if code not in chosen]
        packages.append(
            {
                **p,
                "rank": number,
                "share_text": percent(p["share"]),
                "left_out": left_out if len(chosen) > len(titles) / 2 else None,
                "short": [
                    (int(y), money(-Decimal(a)))
                    for y, a in p.get("balance", {}).items()
                    if Decimal(a) < 0
                ],
            }
        )
    return {
        "packages": analysis.get("packages", 0),
        "closing": analysis.get("closing", 0),
        "closing_share": percent(analysis.get("closing_share")),
        "distinct": analysis.get("distinct", 0),
        "years": analysis.get("years", []),
        "measure_count": len(measures),
        "gaps": [(int(y), money(a)) for y, a in analysis.get("gaps", {}).items()],
        "measures": [
            {**m, "share_text": percent(m["share"]), "bar": _bar(m["chosen"], top)}
            for m in measures
        ],
        "top": packages,
    }


# --- the results page -------------------------------------------------------------------------


def results_page(request, slug: str):
    consultation = _consultation(request, slug)
    if not request.user.has_perm("consultations.view_results", consultation):
        return _pending(request, consultation)
    stored = results.results_for(consultation)
    context = _common(request, consultation)
    running = results.COUNT not in stored
    if running:
        # Managers before closing: the figures as they stand, counted now and not stored.
        stored = {r.rule: r for r in results.results_count(consultation)}
    counts = stored[results.COUNT].details
    context.update(
        {
            "running": running,
            "counts": counts,
            "turnout": _turnout(counts),
            "demographics": demographics_rows(consultation, counts),
            # Voting ended at the closing time, or earlier when staff closed early.
            "closed_on": None
            if running
            else min(consultation.closes_at, stored[results.COUNT].computed_at),
        }
    )
    if consultation.kind == ConsultationKind.PB:
        context["pb"] = pb_page(consultation, stored)
    elif consultation.kind == ConsultationKind.POLL:
        context["poll"] = poll_page(consultation, counts)
    else:
        context["simulator"] = simulator_page(counts.get("simulator", {}))
    return render(request, "consultations/results.html", context)


def close(request, slug: str):
    """Staff close a published consultation; before its end time they confirm it."""
    consultation = _consultation(request, slug)
    require_perm(request, "consultations.change_consultation", consultation)
    if consultation.status == ConsultationStatus.CLOSED:
        messages.info(request, _("This consultation is already closed."))
        return redirect("consultations:results", slug=consultation.slug)
    posted = request.method == "POST"
    form = CloseForm(request.POST if posted else None)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                results.consultation_close(actor=request.user, consultation=consultation)
            except ValidationError as exc:
                form.add_error(None, exc.messages)
            else:
                messages.success(
                    request, _("The consultation is closed. The results have been counted.")
                )
                return redirect("consultations:results", slug=consultation.slug)
        status = 400
    context = _common(request, consultation)
    context.update(
        {
            "form": form,
            "early": timezone.now() < consultation.closes_at,
            "ballots_so_far": consultation.ballots.count(),
        }
    )
    return render(request, "consultations/results_close.html", context, status=status)


# --- open data --------------------------------------------------------------------------------


def _counted(request, slug: str) -> Consultation:
    consultation = _consultation(request, slug)
    require_perm(request, "consultations.view_results", consultation)
    if not consultation.results.filter(rule=results.COUNT).exists():
        raise Http404
    return consultation


def _attachment(content: str, content_type: str, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def download_csv(request, slug: str):
    consultation = _counted(request, slug)
    return _attachment(
        opendata.results_csv(consultation),
        "text/csv; charset=utf-8",
        opendata.csv_filename(consultation),
    )


def download_json(request, slug: str):
    consultation = _counted(request, slug)
    return _attachment(
        json.dumps(opendata.results_json(consultation), ensure_ascii=False, indent=2),
        "application/json",
        opendata.json_filename(consultation),
    )


def download_pb(request, slug: str):
    consultation = _counted(request, slug)
    if consultation.kind != ConsultationKind.PB:
        raise Http404
    return _attachment(
        opendata.results_pb(consultation),
        "text/plain; charset=utf-8",
        opendata.pb_filename(consultation),
    )


# --- budget simulator analysis ---------------------------------------------------------------


def simulator_analysis(request, slug: str):
    """Public once closed (the stored analysis); managers see running figures before."""
    consultation = _consultation(request, slug)
    if consultation.kind != ConsultationKind.SIMULATOR:
        raise Http404
    if not request.user.has_perm("consultations.view_results", consultation):
        return _pending(request, consultation)
    counts = results.counts_for(consultation)
    running = counts is None
    analysis = (
        simulator_analysis_for(consultation).as_json() if running else counts.get("simulator", {})
    )
    context = _common(request, consultation)
    context.update({"simulator": simulator_page(analysis), "running": running})
    return render(request, "consultations/simulator_analysis.html", context)


# --- importing a .pb file ---------------------------------------------------------------------


def _import_processes(user):
    processes = Process.objects.select_related("municipality").order_by("title")
    allowed = [p.pk for p in processes if user.has_perm("consultations.add_consultation", p)]
    return Process.objects.filter(pk__in=allowed).order_by("title")


def import_pb(request):
    """Staff import a published PB vote (``.pb``) as a closed consultation of a process."""
    if not request.user.is_authenticated:
        require_perm(request, "consultations.add_consultation", None)
    processes = _import_processes(request.user)
    if not processes.exists():
        raise PermissionDenied("consultations.add_consultation")
    posted = request.method == "POST"
    form = PbImportForm(
        request.POST if posted else None, request.FILES if posted else None, processes=processes
    )
    status = 200
    if request.method == "POST":
        if form.is_valid():
            filename, _upload = form.cleaned_data["file"]
            try:
                report = pbimport.consultation_import_pb(
                    actor=request.user,
                    process=form.cleaned_data["process"],
                    source=form.lines(),
                    filename=filename,
                    title=form.cleaned_data["title"],
                    rule=form.cleaned_data["rule"],
                )
            except ValidationError as exc:
                form.add_error("file", exc.messages)
            else:
                messages.success(
                    request,
                    _(
                        "%(file)s has been imported: %(ballots)s ballots and %(items)s "
                        "projects, counted with every rule."
                    )
                    % {
                        "file": filename,
                        "ballots": number_format(report.ballots, force_grouping=True),
                        "items": report.items,
                    },
                )
                return redirect("consultations:results", slug=report.consultation.slug)
        status = 400
    return render(request, "consultations/import.html", {"form": form}, status=status)


def results_url(consultation: Consultation) -> str:
    return reverse("consultations:results", kwargs={"slug": consultation.slug})
