"""Pages for tenders, coalitions, bids and the evaluation. Thin: parse, ask the policy,
call a service or selector, render."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from samenspraak.common.forms import add_service_errors, save_form
from samenspraak.common.permissions import LoginRequired, require_perm
from samenspraak.core.scoring import rounded
from samenspraak.partners.selectors import partner_of_user
from samenspraak.tenders import agreements, monitoring, selectors, services
from samenspraak.tenders.forms import (
    AgreementForm,
    AwardForm,
    BidForm,
    CoalitionForm,
    DeclareForm,
    IndicatorForm,
    MemberForm,
    PanelForm,
    ReportForm,
    ReuseForm,
    ScoreForm,
    TenderForm,
)
from samenspraak.tenders.models import (
    Agreement,
    Bid,
    BidStatus,
    Coalition,
    CoalitionMember,
    Indicator,
    MemberStatus,
    Tender,
    TenderStatus,
)


def _tender(request, pk: int) -> Tender:
    tender = get_object_or_404(
        Tender.objects.select_related("process", "winner", "based_on"), pk=pk
    )
    if not request.user.has_perm("tenders.view_tender", tender):
        raise Http404
    return tender


# --- tenders -----------------------------------------------------------------------------


def tender_list(request):
    return render(
        request,
        "tenders/tender_list.html",
        {
            "tenders": selectors.tenders_for(request.user),
            "coalitions": selectors.coalitions_for(request.user),
            "invitations": selectors.invitations_for(request.user),
            "can_add": request.user.has_perm("tenders.manage_tender"),
            "can_form": request.user.has_perm("tenders.add_coalition"),
        },
    )


def tender_detail(request, pk: int):
    tender = _tender(request, pk)
    user = request.user
    return render(
        request,
        "tenders/tender_detail.html",
        {
            "tender": tender,
            "based_on": tender.based_on
            if tender.based_on_id and user.has_perm("tenders.view_tender", tender.based_on)
            else None,
            "criteria": tender.criteria.all(),
            "bids": selectors.visible_bids(user, tender) if user.is_authenticated else [],
            "can_manage": user.has_perm("tenders.manage_tender"),
            "can_form": user.has_perm("tenders.add_coalition") and tender.is_open,
            "can_evaluate": user.has_perm("tenders.view_evaluation", tender),
            **_agreement_context(user, tender),
        },
    )


def _agreement_context(user, tender: Tender) -> dict[str, Any]:
    agreement = Agreement.objects.filter(tender=tender).select_related("bid__coalition").first()
    can_make = (
        agreement is None
        and tender.winner_id is not None
        and user.has_perm("tenders.manage_agreement")
    )
    can_see = agreement is not None and user.has_perm("tenders.view_monitoring", agreement)
    return {
        "agreement": agreement if can_see else None,
        "public_states": monitoring.states(agreement) if agreement is not None else [],
        "can_make_agreement": can_make,
        "agreement_warnings": monitoring.warnings(agreement)
        if can_see and user.has_perm("tenders.manage_agreement")
        else [],
    }


def tender_create(request):
    require_perm(request, "tenders.manage_tender")
    earlier = selectors.tenders_for(request.user)
    initial: dict[str, Any] = {}
    # Step one (GET ?van=<pk>): start from an earlier tender; its copy prefills the form.
    reuse = ReuseForm(request.GET if "van" in request.GET else None, earlier=earlier)
    source = None
    if reuse.is_bound and reuse.is_valid():
        source = reuse.cleaned_data["van"]
        if source is not None:
            initial.update(selectors.reuse_initial(source))
    if request.GET.get("proces"):
        initial["process"] = request.GET["proces"]
    form = TenderForm(request.POST or None, initial=initial, earlier=earlier)
    tender = save_form(
        request,
        form,
        lambda: services.tender_create(
            actor=request.user,
            process=form.cleaned_data["process"],
            data=form.cleaned_data,
            criteria=form.criteria_rows(),
            districts=list(form.cleaned_data["districts"]),
            based_on=form.cleaned_data["based_on"],
        ),
    )
    if tender is not None:
        messages.success(request, _("The tender has been saved as a draft."))
        return redirect("tenders:detail", pk=tender.pk)
    if form.is_bound:
        source = getattr(form, "cleaned_data", {}).get("based_on") or source
    return render(
        request,
        "tenders/tender_form.html",
        {"form": form, "reuse": reuse, "source": source, "has_earlier": earlier.exists()},
    )


@require_POST
def tender_publish(request, pk: int):
    tender = get_object_or_404(Tender, pk=pk)
    require_perm(request, "tenders.manage_tender")
    try:
        services.tender_publish(actor=request.user, tender=tender)
        messages.success(request, _("The tender has been published."))
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    return redirect("tenders:detail", pk=pk)


def panel(request, pk: int):
    tender = get_object_or_404(Tender, pk=pk)
    require_perm(request, "tenders.manage_tender")
    form = PanelForm(request.POST or None, tender=tender)
    member = save_form(
        request,
        form,
        lambda: services.panel_add(
            actor=request.user, tender=tender, user=form.cleaned_data["user"]
        ),
    )
    if member is not None:
        messages.success(request, _("%(name)s is now on the panel.") % {"name": member.user})
        return redirect("tenders:panel", pk=pk)
    return render(
        request,
        "tenders/panel.html",
        {"tender": tender, "form": form, "members": tender.panel.select_related("user")},
    )


# --- coalitions --------------------------------------------------------------------------


def coalition_create(request):
    require_perm(request, "tenders.add_coalition")
    own = None if request.user.has_perm("tenders.manage_tender") else partner_of_user(request.user)
    if own is None and not request.user.has_perm("tenders.manage_tender"):
        raise PermissionDenied
    initial = {"tender": request.GET.get("aanbesteding")}
    form = CoalitionForm(request.POST or None, lead=own, initial=initial)
    coalition = save_form(
        request,
        form,
        lambda: services.coalition_create(
            actor=request.user,
            lead=own or form.cleaned_data["lead"],
            name=form.cleaned_data["name"],
            tender=form.cleaned_data["tender"],
            process=form.cleaned_data["process"],
            challenge=form.cleaned_data["challenge"],
        ),
    )
    if coalition is not None:
        messages.success(request, _("Your coalition has been formed. Now invite the members."))
        return redirect("tenders:coalition", pk=coalition.pk)
    return render(request, "tenders/coalition_form.html", {"form": form, "lead": own})


def coalition_detail(request, pk: int):
    coalition = get_object_or_404(
        Coalition.objects.select_related("lead", "tender", "process"), pk=pk
    )
    require_perm(request, "tenders.view_coalition", coalition)
    can_change = request.user.has_perm("tenders.change_coalition", coalition)
    form = MemberForm(request.POST or None, municipality=coalition.lead.municipality_id)
    if can_change:
        member = save_form(
            request,
            form,
            lambda: services.coalition_add_member(
                actor=request.user, coalition=coalition, data=form.cleaned_data
            ),
        )
        if member is not None:
            if member.status == MemberStatus.INVITED:
                messages.success(
                    request,
                    _("%(name)s has been invited. They join once they say yes.") % {"name": member},
                )
            else:
                messages.success(request, _("%(name)s has been added.") % {"name": member})
            return redirect("tenders:coalition", pk=pk)
    elif request.method == "POST":
        raise PermissionDenied
    bids = [b for b in coalition.bids.all() if request.user.has_perm("tenders.view_bid", b)]
    invited = coalition.members.filter(status=MemberStatus.INVITED).select_related("partner")
    return render(
        request,
        "tenders/coalition_detail.html",
        {
            "coalition": coalition,
            "members": coalition.members.select_related("partner")
            if can_change
            else selectors.accepted_members(coalition),
            "show_status": can_change,
            "invitations": [
                m for m in invited if request.user.has_perm("tenders.respond_invitation", m)
            ],
            "form": form if can_change else None,
            "bids": bids,
            "can_bid": can_change
            and coalition.tender is not None
            and coalition.tender.is_open
            and not bids,
        },
    )


@require_POST
def invitation_respond(request, pk: int):
    """A representative of the invited partner says yes or no."""
    member = get_object_or_404(
        CoalitionMember.objects.select_related("coalition", "partner"), pk=pk
    )
    require_perm(request, "tenders.respond_invitation", member)
    accept = request.POST.get("answer") == "accept"
    try:
        services.coalition_member_respond(actor=request.user, member=member, accept=accept)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect("tenders:list")
    if accept:
        messages.success(request, _("You have joined %(name)s.") % {"name": member.coalition.name})
        return redirect("tenders:coalition", pk=member.coalition_id)
    messages.success(
        request,
        _("You have declined the invitation of %(name)s.") % {"name": member.coalition.name},
    )
    return redirect("tenders:list")


def invitation(request, token: str):
    """A resident answers the e-mailed invitation; no account needed, the link works once."""
    member = services.invitation_for_token(token)
    error = ""
    answered = None
    if request.method == "POST":
        try:
            answered = services.coalition_member_respond_by_token(
                token=token, accept=request.POST.get("answer") == "accept"
            )
        except ValidationError as exc:
            error = " ".join(exc.messages)
    else:
        try:
            services.check_invitation(member)
        except ValidationError as exc:
            error = " ".join(exc.messages)
    response = render(
        request,
        "tenders/invitation.html",
        {
            "member": member if not error else None,
            "answered": answered,
            "error": error,
        },
        status=410 if error and member is not None else (404 if error else 200),
    )
    response["Referrer-Policy"] = "no-referrer"
    return response


def bid_edit(request, pk: int):
    """Write (or change) the coalition's draft bid."""
    coalition = get_object_or_404(Coalition.objects.select_related("lead", "tender"), pk=pk)
    require_perm(request, "tenders.change_coalition", coalition)
    tender = coalition.tender
    if tender is None:
        raise Http404
    bid = coalition.bids.first()
    if bid is not None:
        require_perm(request, "tenders.change_bid", bid)
    initial: dict[str, Any] = {}
    if bid is not None:
        initial = {
            "plan": bid.plan,
            "price": bid.price,
            "committed_outcomes": bid.committed_outcomes,
            "resident_involvement": bid.resident_involvement,
            "proposals": list(bid.proposals.all()),
        } | {f"year_{y.year}": y.amount for y in bid.years.all()}
    form = BidForm(request.POST or None, tender=tender, initial=initial)
    saved = save_form(
        request,
        form,
        lambda: services.bid_save(
            actor=request.user,
            coalition=coalition,
            data=form.cleaned_data,
            years=form.year_amounts(),
            proposals=list(form.cleaned_data["proposals"]),
            bid=bid,
        ),
    )
    if saved is not None:
        messages.success(request, _("Your bid has been saved. It is not submitted yet."))
        return redirect("tenders:bid", pk=saved.pk)
    return render(
        request,
        "tenders/bid_form.html",
        {"form": form, "coalition": coalition, "tender": tender, "bid": bid},
    )


def bid_detail(request, pk: int):
    bid = get_object_or_404(Bid.objects.select_related("tender", "coalition__lead"), pk=pk)
    if not request.user.is_authenticated:
        raise LoginRequired
    if not request.user.has_perm("tenders.view_bid", bid):
        raise Http404
    return render(
        request,
        "tenders/bid_detail.html",
        {
            "bid": bid,
            "members": selectors.accepted_members(bid.coalition),
            "years": bid.years.all(),
            "can_change": request.user.has_perm("tenders.change_bid", bid)
            and bid.status == BidStatus.DRAFT,
        },
    )


@require_POST
def bid_submit(request, pk: int):
    bid = get_object_or_404(Bid.objects.select_related("tender", "coalition__lead"), pk=pk)
    require_perm(request, "tenders.change_bid", bid)
    try:
        services.bid_submit(actor=request.user, bid=bid)
        messages.success(request, _("Your bid has been submitted. Thank you."))
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    return redirect("tenders:bid", pk=pk)


# --- evaluation --------------------------------------------------------------------------


def evaluation(request, pk: int):
    tender = get_object_or_404(
        Tender.objects.select_related("process", "winner", "based_on"), pk=pk
    )
    require_perm(request, "tenders.view_evaluation", tender)
    user = request.user
    member = tender.panel.filter(user=user).first()
    bids = selectors.submitted_bids(tender)
    criteria = selectors.quality_criteria(tender)
    action = request.POST.get("action", "") if request.method == "POST" else ""
    forms: dict[int, Any] = {}
    if member is not None:
        declarations = selectors.own_declarations(member)
        scores = selectors.own_scores(member)
        for bid in bids:
            declaration = declarations.get(bid.pk)
            posted = action.endswith(f"-{bid.pk}")
            data = request.POST if posted else None
            if declaration is None:
                form = DeclareForm(data, prefix=f"d{bid.pk}")
                if posted and action.startswith("declare") and form.is_valid():
                    try:
                        services.declare(
                            actor=user,
                            bid=bid,
                            has_conflict=form.cleaned_data["has_conflict"],
                            note=form.cleaned_data["note"],
                        )
                        messages.success(request, _("Your declaration has been saved."))
                        return redirect("tenders:evaluation", pk=pk)
                    except ValidationError as exc:
                        add_service_errors(form, exc)
                forms[bid.pk] = ("declare", form)
            elif declaration.has_conflict:
                forms[bid.pk] = ("conflict", declaration)
            elif not any((bid.pk, c.pk) in scores for c in criteria):
                form = ScoreForm(data, criteria=criteria, prefix=f"s{bid.pk}")
                if posted and action.startswith("score") and form.is_valid():
                    try:
                        services.score_bid(actor=user, bid=bid, scores=form.values())
                        messages.success(request, _("Your scores have been saved."))
                        return redirect("tenders:evaluation", pk=pk)
                    except ValidationError as exc:
                        add_service_errors(form, exc)
                forms[bid.pk] = ("score", form)
            else:
                forms[bid.pk] = ("scored", [(c, scores.get((bid.pk, c.pk))) for c in criteria])
    complete = selectors.all_scored(tender)
    result = selectors.result_of(tender) if complete else None
    keyed = {bid.key: bid for bid in bids}
    ranking = []
    spread = []
    award_form = None
    if result is not None:
        names = [c.name for c in tender.criteria.all()]
        ranking = [
            {
                "bid": keyed[r.bid],
                "rank": r.rank,
                "total": rounded(r.total),
                "scores": [(n, rounded(r.scores[n])) for n in names if n in r.scores],
                "tie_break": r.tie_break,
            }
            for r in result.ranking
        ]
        spread = [{"bid": keyed[s.bid], "item": s} for s in result.spread]
        if user.has_perm("tenders.manage_tender") and tender.status == TenderStatus.PUBLISHED:
            award_form = AwardForm(
                request.POST if action == "award" else None,
                bids=[keyed[r.bid] for r in result.ranking],
                initial={"bid": str(keyed[result.ranking[0].bid].pk)},
            )
            if action == "award" and award_form.is_valid():
                chosen = {b.pk: b for b in bids}
                try:
                    services.award(
                        actor=user,
                        tender=tender,
                        bid=chosen[int(award_form.cleaned_data["bid"])],
                        reasoning=award_form.cleaned_data["reasoning"],
                    )
                    messages.success(request, _("The tender has been awarded."))
                    return redirect("tenders:detail", pk=pk)
                except ValidationError as exc:
                    add_service_errors(award_form, exc)
    return render(
        request,
        "tenders/evaluation.html",
        {
            "tender": tender,
            "bids": bids,
            "rows": [(bid, forms.get(bid.pk)) for bid in bids],
            "member": member,
            "progress": selectors.progress(tender),
            "complete": complete,
            "ranking": ranking,
            "spread": spread,
            "criteria": criteria,
            "award_form": award_form,
        },
    )


# --- agreements and monitoring -----------------------------------------------------------


def agreement_create(request, pk: int):
    tender = get_object_or_404(
        Tender.objects.select_related("process", "winner", "based_on"), pk=pk
    )
    require_perm(request, "tenders.manage_agreement")
    existing = Agreement.objects.filter(tender=tender).first()
    if existing is not None:
        return redirect("tenders:agreement", pk=existing.pk)
    if tender.winner is None:
        raise Http404
    initial = {
        "start_date": date(tender.first_year, 1, 1),
        "end_date": date(tender.last_year, 12, 31),
        "commitments": tender.winner.committed_outcomes,
    }
    form = AgreementForm(request.POST or None, initial=initial)
    agreement = save_form(
        request,
        form,
        lambda: agreements.agreement_create(actor=request.user, tender=tender, **form.cleaned_data),
    )
    if agreement is not None:
        messages.success(request, _("The agreement has been made. Now add the indicators."))
        return redirect("tenders:agreement", pk=agreement.pk)
    return render(request, "tenders/agreement_form.html", {"form": form, "tender": tender})


def _agreement(request, pk: int) -> Agreement:
    agreement = get_object_or_404(
        Agreement.objects.select_related("tender", "bid__coalition__lead"), pk=pk
    )
    require_perm(request, "tenders.view_monitoring", agreement)
    return agreement


def agreement_detail(request, pk: int):
    """The monitoring page: per indicator baseline, target, latest value, progress, status."""
    agreement = _agreement(request, pk)
    user = request.user
    is_staff = user.has_perm("tenders.manage_agreement")
    return render(
        request,
        "tenders/monitoring.html",
        {
            "agreement": agreement,
            "tender": agreement.tender,
            "states": monitoring.states(agreement),
            "warnings": monitoring.warnings(agreement) if is_staff else [],
            "can_manage": is_staff,
            "reportable": {i.pk for i in monitoring.reportable(user, agreement)},
        },
    )


def indicator_add(request, pk: int):
    agreement = _agreement(request, pk)
    require_perm(request, "tenders.manage_agreement")
    form = IndicatorForm(request.POST or None, agreement=agreement)
    indicator = save_form(
        request,
        form,
        lambda: agreements.indicator_add(
            actor=request.user,
            agreement=agreement,
            data=form.cleaned_data,
            targets=form.targets(),
        ),
    )
    if indicator is not None:
        messages.success(request, _("The indicator has been added."))
        return redirect("tenders:agreement", pk=agreement.pk)
    return render(
        request,
        "tenders/agreement_indicator_form.html",
        {"form": form, "agreement": agreement, "tender": agreement.tender},
    )


def indicator_report(request, pk: int):
    indicator = get_object_or_404(
        Indicator.objects.select_related("agreement__tender", "agreement__bid__coalition__lead"),
        pk=pk,
    )
    require_perm(request, "tenders.report_indicator", indicator)
    today = timezone.localdate()
    periods = [p for p in monitoring.schedule(indicator) if p.start <= today]
    reported = {r.period_start: r for r in indicator.reports.all()}
    due = next((p for p in periods if p.start not in reported and p.end < today), None)
    suggested = due or (periods[-1] if periods else None)
    initial = {"period": suggested.start.isoformat()} if suggested else {}
    form = ReportForm(request.POST or None, periods=periods, initial=initial)
    report = save_form(
        request,
        form,
        lambda: agreements.report_save(
            actor=request.user,
            indicator=indicator,
            period_start=date.fromisoformat(form.cleaned_data["period"]),
            value=form.cleaned_data["value"],
            note=form.cleaned_data["note"],
        ),
    )
    if report is not None:
        messages.success(request, _("Thank you. Your figure has been saved."))
        return redirect("tenders:agreement", pk=indicator.agreement_id)
    return render(
        request,
        "tenders/agreement_report_form.html",
        {
            "form": form,
            "indicator": indicator,
            "agreement": indicator.agreement,
            "tender": indicator.agreement.tender,
            "reported": [(p, reported.get(p.start)) for p in periods],
        },
    )
