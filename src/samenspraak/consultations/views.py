"""Thin views: parse, ask the policy, call a service or selector, render.

Residents: the consultation page (``detail``), proving who they are (voting code, e-mail
link, OpenID Connect), the ballot and the page after voting. Staff (the process owner and
administrators): the list of a process's consultations, settings, items, voting codes,
publishing, and the running count of ballots.
"""

from __future__ import annotations

import csv
import io
import logging
from decimal import Decimal

from django.contrib import messages
from django.core import signing
from django.core.exceptions import SuspiciousOperation, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from samenspraak.common.formatting import format_euro_for_language
from samenspraak.common.forms import add_service_errors
from samenspraak.common.permissions import require_perm
from samenspraak.consultations import ballots, selectors, services, verification
from samenspraak.consultations.forms import (
    BallotForm,
    CodeForm,
    CodesForm,
    ConsultationForm,
    EmailForm,
    GapFormSet,
    MeasureFormSet,
    PollItemsForm,
    ProjectFormSet,
    poll_answer_choices,
)
from samenspraak.consultations.models import (
    BallotType,
    Consultation,
    ConsultationKind,
    ConsultationStatus,
    Verification,
)
from samenspraak.processes.models import Process

logger = logging.getLogger(__name__)


def _error_items(*forms) -> list[tuple[str | None, str]]:
    """Every error of the forms for the error summary, each linking to its field."""
    items: list[tuple[str | None, str]] = []
    for form in forms:
        if form is None:
            continue
        for error in form.non_field_errors():
            items.append(("#choices" if getattr(form, "items", None) else None, str(error)))
        for field in form:
            for error in field.errors:
                anchor = field.auto_id
                if field.name in ("projects", "measures"):
                    anchor = "choices"
                items.append((f"#{anchor}", f"{field.label or _('Your choice')}: {error}"))
    return items


def _rules_text(consultation: Consultation, items) -> str:
    if consultation.kind != ConsultationKind.PB:
        return ""
    return ballots.rules_text(services.rules_for(consultation), len(items))


# --- the public page --------------------------------------------------------------------------


def _voting_context(request, consultation: Consultation) -> dict:
    voter = verification.voter_in_session(request, consultation)
    ballot = selectors.voter_ballot(consultation, voter.key) if voter else None
    items = selectors.items_of(consultation)
    open_now = consultation.is_open()
    context = {
        "consultation": consultation,
        "process": consultation.process,
        "items": items,
        "closed_message": services.closed_message(consultation),
        "is_open": open_now,
        "voter": voter,
        "ballot": ballot,
        "rules_text": _rules_text(consultation, items),
        "oidc_name": verification.oidc_provider_name(),
        "can_manage": request.user.has_perm("consultations.change_consultation", consultation),
        "can_view_results": request.user.has_perm("consultations.view_results", consultation),
        "link_hours": verification.link_hours(),
    }
    if consultation.kind == ConsultationKind.SIMULATOR:
        context["simulator"] = selectors.simulator_view(consultation)
    if open_now and voter is None:
        if consultation.verification == Verification.CODE:
            context["code_form"] = CodeForm()
        elif consultation.verification == Verification.EMAIL:
            context["email_form"] = EmailForm()
    return context


def consultation_detail(request, slug: str):
    consultation = selectors.consultation_get_for_user(slug=slug, user=request.user)
    return render(request, "consultations/detail.html", _voting_context(request, consultation))


def _voting_consultation(request, slug: str) -> Consultation:
    return selectors.consultation_get_for_user(slug=slug, user=request.user)


@require_POST
def code_enter(request, slug: str):
    """A voter types the code from the letter; then the ballot (with their earlier choices
    when they voted before)."""
    consultation = _voting_consultation(request, slug)
    context = _voting_context(request, consultation)
    if not context["is_open"]:
        messages.error(request, context["closed_message"])
        return redirect(consultation.get_absolute_url())
    form = CodeForm(request.POST)
    if form.is_valid():
        try:
            voter = verification.verify_code(consultation, form.cleaned_data["code"])
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            earlier = selectors.voter_ballot(consultation, voter.key)
            if earlier is not None and not consultation.allow_changes:
                form.add_error(
                    "code",
                    _(
                        "Someone has already voted with this code. In this vote a code "
                        "votes once and a vote cannot be changed."
                    ),
                )
            else:
                verification.remember(request, consultation, voter)
                if earlier is not None:
                    messages.info(
                        request,
                        _(
                            "You voted with this code before. You see your earlier choices. "
                            "If you send the form again, your new vote replaces the old one."
                        ),
                    )
                return redirect("consultations:ballot", slug=consultation.slug)
    context["code_form"] = form
    return render(request, "consultations/detail.html", context, status=400)


def email_request(request, slug: str):
    consultation = _voting_consultation(request, slug)
    if consultation.verification != Verification.EMAIL:
        raise Http404
    form = EmailForm(request.POST or None)
    closed = services.closed_message(consultation)
    if request.method == "POST" and form.is_valid() and not closed:
        base = request.build_absolute_uri(
            reverse("consultations:email_open", kwargs={"slug": slug, "token": "TOKEN"})
        )
        try:
            verification.request_email_link(
                consultation=consultation,
                email=form.cleaned_data["email"],
                link_for=lambda token: base.replace("TOKEN", token),
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            return redirect("consultations:email_sent", slug=slug)
    return render(
        request,
        "consultations/email_request.html",
        {
            "consultation": consultation,
            "process": consultation.process,
            "form": form,
            "closed_message": closed,
            "link_hours": verification.link_hours(),
        },
        status=400 if request.method == "POST" else 200,
    )


def email_sent(request, slug: str):
    consultation = _voting_consultation(request, slug)
    return render(
        request,
        "consultations/email_sent.html",
        {
            "consultation": consultation,
            "process": consultation.process,
            "link_hours": verification.link_hours(),
        },
    )


@never_cache
def email_open(request, slug: str, token: str):
    """The link from the mail. Opening it shows a button; pressing it uses the link (mail
    scanners that open links in advance would otherwise use it up)."""
    consultation = _voting_consultation(request, slug)
    error = None
    if request.method == "POST":
        closed = services.closed_message(consultation)
        if closed:
            error = closed
        else:
            try:
                voter = verification.open_email_link(consultation=consultation, token=token)
            except ValidationError as exc:
                error = " ".join(exc.messages)
            else:
                verification.remember(request, consultation, voter)
                if selectors.voter_ballot(consultation, voter.key) is not None:
                    messages.info(
                        request,
                        _(
                            "You voted before. You see your earlier choices. If you send the "
                            "form again, your new vote replaces the old one."
                        ),
                    )
                return redirect("consultations:ballot", slug=slug)
    else:
        state = verification.email_link_state(consultation, token)
        if state != "valid":
            error = verification.link_refusal(state)
    return render(
        request,
        "consultations/email_open.html",
        {"consultation": consultation, "process": consultation.process, "error": error},
        status=400 if error and request.method == "POST" else 200,
    )


OIDC_SESSION_KEY = "consultation_oidc"


def oidc_start(request, slug: str):
    """Send the voter to the log-in provider (DigiD broker); back at ``oidc_callback``."""
    consultation = _voting_consultation(request, slug)
    if consultation.verification != Verification.OIDC or not verification.oidc_enabled():
        raise Http404
    closed = services.closed_message(consultation)
    if closed:
        messages.error(request, closed)
        return redirect(consultation.get_absolute_url())
    from mozilla_django_oidc.views import OIDCAuthenticationRequestView

    request.session[OIDC_SESSION_KEY] = consultation.slug
    return OIDCAuthenticationRequestView.as_view()(request)


@never_cache
def oidc_callback(request):
    """The provider sends the voter back here with a code: mozilla-django-oidc exchanges it
    for an ID token and checks it (signature, nonce, PKCE); its issuer and subject make the
    voter key. No account is made."""
    slug = request.session.get(OIDC_SESSION_KEY)
    if not slug or not verification.oidc_enabled():
        raise Http404
    consultation = _voting_consultation(request, slug)
    failed = _("Logging in did not work. Please try again.")
    states = dict(request.session.get("oidc_states", {}))
    state = request.GET.get("state", "")
    if request.GET.get("error") or state not in states or not request.GET.get("code"):
        states.pop(state, None)
        request.session["oidc_states"] = states
        messages.error(request, failed)
        return redirect(consultation.get_absolute_url())
    entry = states.pop(state)
    request.session["oidc_states"] = states
    try:
        claims = verification.oidc_backend().authenticate(
            request, nonce=entry.get("nonce"), code_verifier=entry.get("code_verifier")
        )
        if not claims:
            raise SuspiciousOperation("no claims")
        voter = verification.voter_from_claims(consultation, claims)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect(consultation.get_absolute_url())
    except Exception:  # the provider's errors (HTTP, token, signature): never half logged in
        logger.warning("OpenID Connect log-in for voting failed", exc_info=True)
        messages.error(request, failed)
        return redirect(consultation.get_absolute_url())
    request.session.pop(OIDC_SESSION_KEY, None)
    verification.remember(request, consultation, voter)
    return redirect("consultations:ballot", slug=consultation.slug)


# --- the ballot -------------------------------------------------------------------------------


def _ballot_rows(consultation, form, items, infos, simulator):
    """What the template draws per item: the item, its field names and bound values."""
    by_id = {info.id: info for info in infos}
    amounts_by_item = (
        {item.pk: amounts for item, amounts in simulator.measures} if simulator else {}
    )
    rows = []
    projects = set(form["projects"].value() or []) if "projects" in form.fields else set()
    measures = set(form["measures"].value() or []) if "measures" in form.fields else set()
    for index, item in enumerate(items):
        row = {"item": item, "index": index, "info": by_id.get(item.pk)}
        if consultation.kind == ConsultationKind.POLL:
            row["answer"] = form[f"answer_{item.pk}"]
            row["reason"] = form[f"reason_{item.pk}"]
        elif consultation.kind == ConsultationKind.SIMULATOR:
            row["checked"] = item.code in measures
            row["amounts"] = list(zip(simulator.years, amounts_by_item[item.pk], strict=True))
        elif consultation.ballot_type == BallotType.CUMULATIVE:
            row["field"] = form[f"points_{item.pk}"]
        elif consultation.ballot_type == BallotType.ORDINAL:
            row["field"] = form[f"rank_{item.pk}"]
        else:
            row["checked"] = item.code in projects
        rows.append(row)
    return rows


def _map_ballot_errors(form: BallotForm, exc: ValidationError) -> None:
    if not hasattr(exc, "error_dict"):
        form.add_error(None, exc.messages)
        return
    by_code = {item.code: item for item in form.items}
    for name, errors in exc.error_dict.items():
        if name.startswith("choice:"):
            item = by_code.get(name.split(":", 1)[1])
            target = form.item_field(item) if item else None
        elif name == "choices":
            target = "projects" if "projects" in form.fields else None
            target = "measures" if "measures" in form.fields else target
        else:
            target = name
        form.add_error(target if target in form.fields else None, errors)


def ballot(request, slug: str):
    """The ballot: choose, then send. With voting codes the code may be typed here too."""
    # A post needs only the consultation's own row; a page shows its process too.
    consultation = selectors.consultation_get_for_user(
        slug=slug, user=request.user, related=request.method != "POST"
    )
    closed = services.closed_message(consultation)
    voter = verification.voter_in_session(request, consultation)
    if closed and request.method == "GET":
        messages.error(request, closed)
        return redirect(consultation.get_absolute_url())
    if voter is None and consultation.verification != Verification.CODE:
        messages.info(request, _("First show that you may vote. Then you see the ballot."))
        return redirect(reverse("consultations:detail", kwargs={"slug": slug}) + "#stemmen")
    earlier = selectors.voter_ballot(consultation, voter.key) if voter else None
    if earlier is not None and not consultation.allow_changes:
        messages.info(request, _("You have voted. In this vote you cannot change your vote."))
        return redirect("consultations:thanks", slug=slug)
    # Every query counts here (see docs/benchmarks.md): items, rules and districts are
    # read once per published consultation and kept in memory.
    context = selectors.ballot_context(consultation)
    items, infos, rules = context.items, context.infos, context.rules
    code_voter = consultation.verification == Verification.CODE
    district_required = rules.district_required and not code_voter
    if code_voter:
        # With districts chosen, the address list gives every code its district: not asked.
        ask_district = consultation.ask_demographics and (
            voter.district_id is None if voter is not None else not rules.district_ids
        )
    else:
        ask_district = district_required or consultation.ask_demographics
    form = BallotForm(
        request.POST or None,
        initial=BallotForm.initial_from(consultation, earlier),
        consultation=consultation,
        items=items,
        ask_code=code_voter and voter is None,
        district_choices=context.district_choices if ask_district else (),
        district_required=district_required,
    )
    status = 200
    if request.method == "POST":
        status = 400
        if closed:
            form.add_error(None, closed)
        elif form.is_valid():
            in_session = voter is not None
            voter = voter if in_session else _verify_on_ballot(form, consultation)
            if voter is not None:
                try:
                    submitted = services.ballot_submit(
                        consultation=consultation,
                        voter=voter,
                        choices=form.choices(),
                        age_band=form.cleaned_data.get("age_band") or "",
                        district_id=form.cleaned_data.get("district"),
                        confirm_unbalanced=bool(form.cleaned_data.get("confirm_unbalanced")),
                        items=infos,
                        rules=rules,
                    )
                except ValidationError as exc:
                    _map_ballot_errors(form, exc)
                else:
                    if submitted.created:
                        messages.success(request, _("Thank you for voting. Your vote is stored."))
                    else:
                        messages.success(
                            request,
                            _("Your vote has been changed. Only your new vote counts."),
                        )
                    thanks_url = reverse("consultations:thanks", kwargs={"slug": slug})
                    if in_session:
                        return redirect(thanks_url)
                    # The code was typed on the ballot: the voter is not kept in a session
                    # (changing the vote means typing the code again); the thank-you page
                    # gets a signed, short-lived key to this ballot instead.
                    return redirect(f"{thanks_url}?stem={_thanks_token(consultation, voter)}")
    simulator = context.simulator
    balance_rows = []
    if simulator is not None:
        chosen_codes = set(form["measures"].value() or [])
        chosen = {info.id for info in infos if info.code in chosen_codes}
        totals = ballots.package_totals(infos, chosen, simulator.years)
        balance_rows = [
            (year, gap, totals[year], max(gap - totals[year], Decimal(0)))
            for year, gap in simulator.gap_rows
        ]
    return render(
        request,
        "consultations/ballot.html",
        {
            "consultation": consultation,
            "process": consultation.process,
            "form": form,
            "rows": _ballot_rows(consultation, form, items, infos, simulator),
            "error_items": _error_items(form),
            "rules_text": _rules_text(consultation, items),
            "earlier": earlier,
            "voter": voter,
            "simulator": simulator,
            "balance_rows": balance_rows,
            "budget_text": format_euro_for_language(consultation.budget)
            if consultation.budget is not None
            else "",
        },
        status=status,
    )


def _verify_on_ballot(form: BallotForm, consultation: Consultation):
    try:
        voter = verification.verify_code(consultation, form.cleaned_data.get("code", ""))
    except ValidationError as exc:
        add_service_errors(form, exc)
        return None
    return voter


THANKS_SALT = "consultations.thanks"
THANKS_MAX_AGE = 30 * 60  # seconds


def _thanks_token(consultation: Consultation, voter) -> str:
    return signing.dumps({"c": consultation.pk, "k": voter.key}, salt=THANKS_SALT)


def _thanks_key(consultation: Consultation, token: str) -> str | None:
    """The voter key in a thank-you link, if it is ours, recent and for this consultation."""
    if not token:
        return None
    try:
        data = signing.loads(token, salt=THANKS_SALT, max_age=THANKS_MAX_AGE)
    except signing.BadSignature:
        return None
    return data.get("k") if data.get("c") == consultation.pk else None


def thanks(request, slug: str):
    """After voting: what is stored, a way to change it while voting is open, and stop."""
    consultation = _voting_consultation(request, slug)
    voter = verification.voter_in_session(request, consultation)
    voter_key = voter.key if voter else _thanks_key(consultation, request.GET.get("stem", ""))
    if voter_key is None:
        return redirect(consultation.get_absolute_url())
    stored = selectors.voter_ballot(consultation, voter_key)
    if stored is None:
        return redirect("consultations:ballot", slug=slug)
    lines = sorted(stored.choices.all(), key=lambda c: (c.item.position, c.item_id))
    if consultation.ballot_type == BallotType.ORDINAL:
        lines.sort(key=lambda c: c.value)
    answers = dict(poll_answer_choices())
    for line in lines:
        line.answer_label = answers.get(line.answer, "")
    context = {
        "consultation": consultation,
        "process": consultation.process,
        "ballot": stored,
        "lines": lines,
        "can_change": consultation.allow_changes and consultation.is_open(),
        "in_session": voter is not None,
        "total_cost": sum((c.item.cost or Decimal(0) for c in lines), Decimal(0))
        if consultation.kind == ConsultationKind.PB
        else None,
        "total_points": sum(c.value for c in lines)
        if consultation.ballot_type == BallotType.CUMULATIVE
        else None,
    }
    if consultation.kind == ConsultationKind.SIMULATOR:
        view = selectors.simulator_view(consultation)
        chosen = {c.item_id for c in lines}
        totals = ballots.package_totals(services.item_infos(consultation), chosen, view.years)
        context["balance"] = [
            (
                year,
                view.gaps.get(year, Decimal(0)),
                totals[year],
                totals[year] - view.gaps.get(year, Decimal(0)),
            )
            for year in view.years
        ]
    return render(request, "consultations/thanks.html", context)


@require_POST
def forget(request, slug: str):
    """Stop: the session forgets the voter (on a shared computer)."""
    consultation = _voting_consultation(request, slug)
    verification.forget(request, consultation)
    messages.info(
        request,
        _("You have stopped. To change your vote later, prove again who you are."),
    )
    return redirect(consultation.get_absolute_url())


# --- staff ------------------------------------------------------------------------------------


def _managed(request, slug: str, perm: str = "consultations.change_consultation") -> Consultation:
    """The consultation and ``perm`` on it: 404 for whoever may not see it at all (a draft's
    existence is not given away), then log in or 403."""
    consultation = selectors.consultation_get(slug=slug)
    if not request.user.has_perm("consultations.view_consultation", consultation):
        raise Http404
    require_perm(request, perm, consultation)
    return consultation


def manage_list(request, slug: str):
    process = get_object_or_404(Process.objects.select_related("municipality"), slug=slug)
    require_perm(request, "consultations.add_consultation", process)
    consultations = list(Consultation.objects.filter(process=process))
    rows = [(c, selectors.ballot_stats(c)) for c in consultations]
    return render(
        request,
        "consultations/manage_list.html",
        {"process": process, "rows": rows},
    )


def _default_times():
    now = timezone.localtime()
    opens = (now + timezone.timedelta(days=1)).replace(hour=9, minute=0, second=0, microsecond=0)
    closes = (opens + timezone.timedelta(days=21)).replace(hour=17)
    return opens, closes


def consultation_create(request, slug: str):
    process = get_object_or_404(Process.objects.select_related("municipality"), slug=slug)
    require_perm(request, "consultations.add_consultation", process)
    opens, closes = _default_times()
    form = ConsultationForm(
        request.POST or None,
        process=process,
        initial={
            "kind": request.GET.get("soort") or ConsultationKind.PB,
            "verification": Verification.CODE,
            "opens_at": opens,
            "closes_at": closes,
            "phase": process.current_phase_id,
            "allow_changes": True,
            "ask_demographics": True,
            "rule": "mes-add1",
            "ballot_type": BallotType.APPROVAL,
        },
    )
    if request.method == "POST" and form.is_valid():
        try:
            consultation = services.consultation_create(
                actor=request.user,
                process=process,
                data=form.data_for_service(),
                districts=list(form.cleaned_data["districts"]),
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(
                request,
                _("The consultation is saved as a draft. Now add what residents vote on."),
            )
            return redirect("consultations:items", slug=consultation.slug)
    return render(
        request,
        "consultations/settings_form.html",
        {"process": process, "form": form, "consultation": None},
    )


def manage(request, slug: str):
    consultation = _managed(request, slug)
    items = selectors.items_of(consultation)
    context = {
        "consultation": consultation,
        "process": consultation.process,
        "items": items,
        "stats": selectors.ballot_stats(consultation),
        "problems": services.publish_problems(consultation)
        if consultation.status == ConsultationStatus.DRAFT
        else [],
        "batches": selectors.code_batches(consultation)
        if consultation.verification == Verification.CODE
        else [],
        "rules_text": _rules_text(consultation, items),
        "is_open": consultation.is_open(),
        "closed_message": services.closed_message(consultation),
    }
    if consultation.kind == ConsultationKind.SIMULATOR:
        context["simulator"] = selectors.simulator_view(consultation)
    return render(request, "consultations/manage.html", context)


def ballot_count(request, slug: str):
    """The running count of ballots, as a fragment the manage page refreshes."""
    consultation = _managed(request, slug, "consultations.view_voters")
    return render(
        request,
        "consultations/_count.html",
        {"consultation": consultation, "stats": selectors.ballot_stats(consultation)},
    )


def consultation_edit(request, slug: str):
    consultation = _managed(request, slug)
    if consultation.status == ConsultationStatus.CLOSED:
        messages.error(request, _("This consultation is closed. It cannot change any more."))
        return redirect("consultations:manage", slug=slug)
    form = ConsultationForm(
        request.POST or None,
        process=consultation.process,
        consultation=consultation,
        initial=ConsultationForm.initial_for(consultation),
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.consultation_update(
                actor=request.user,
                consultation=consultation,
                data=form.data_for_service(),
                districts=form.districts_for_service(),
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("The settings have been saved."))
            return redirect("consultations:manage", slug=slug)
    return render(
        request,
        "consultations/settings_form.html",
        {"process": consultation.process, "form": form, "consultation": consultation},
    )


def _poll_selection(items) -> list[str]:
    values = []
    for item in items:
        chapter = (item.extra or {}).get("chapter")
        values.append(f"{item.proposal_id}:{chapter}" if chapter else str(item.proposal_id))
    return values


def _formset_errors(formset, exc: ValidationError, key: str) -> bool:
    """Put a service's row errors under the formset; False when they are not about it."""
    if hasattr(exc, "error_dict") and key in exc.error_dict:
        formset._non_form_errors = formset.error_class(
            [m for e in exc.error_dict[key] for m in e.messages]
        )
        return True
    return False


def consultation_items(request, slug: str):
    """What residents vote on: proposals (poll), projects (PB) or the gap and measures
    (simulator). Only while the consultation is a draft."""
    consultation = _managed(request, slug)
    process = consultation.process
    items = selectors.items_of(consultation)
    editable = consultation.status == ConsultationStatus.DRAFT
    data = request.POST if request.method == "POST" and editable else None
    context = {
        "consultation": consultation,
        "process": process,
        "items": items,
        "editable": editable,
        "error_items": [],
    }
    saved = False
    if consultation.kind == ConsultationKind.POLL:
        options = services.poll_options(process)
        form = PollItemsForm(data, options=options, initial={"proposals": _poll_selection(items)})
        context["form"] = form
        if data is not None and form.is_valid():
            try:
                services.poll_items_from_proposals(
                    actor=request.user,
                    consultation=consultation,
                    selections=form.cleaned_data["proposals"],
                )
                saved = True
            except ValidationError as exc:
                add_service_errors(form, exc, {"items": "proposals"})
        context["error_items"] = _error_items(form) if data is not None else []
    elif consultation.kind == ConsultationKind.PB:
        districts = services.allowed_districts(process)
        formset = ProjectFormSet(
            data,
            prefix="projects",
            districts=districts,
            initial=[
                {
                    "code": i.code,
                    "title": i.title,
                    "description": i.description,
                    "cost": i.cost,
                    "district": i.district,
                    "category": i.category,
                }
                for i in items
            ],
        )
        context["formset"] = formset
        if data is not None and formset.is_valid():
            rows = formset.rows()
            extras = {i.code: i.extra for i in items}
            for row in rows:
                row["extra"] = extras.get(row.get("code") or "", {})
            try:
                services.items_replace(actor=request.user, consultation=consultation, items=rows)
                saved = True
            except ValidationError as exc:
                if not _formset_errors(formset, exc, "items"):
                    messages.error(request, " ".join(exc.messages))
    else:
        view = selectors.simulator_view(consultation)
        context["simulator"] = view
        if data is not None and "prefill" in data:
            try:
                years, measures = services.simulator_prefill(
                    actor=request.user, consultation=consultation
                )
            except ValidationError as exc:
                messages.error(request, " ".join(exc.messages))
            else:
                messages.success(
                    request,
                    _(
                        "Filled from the process: the gap for %(years)s years and %(measures)s "
                        "measures. Check them and save."
                    )
                    % {"years": years, "measures": measures},
                )
            return redirect("consultations:items", slug=slug)
        gaps = GapFormSet(
            data,
            prefix="gaps",
            initial=[{"year": y, "amount": a} for y, a in sorted(view.gaps.items())],
        )
        measures = MeasureFormSet(
            data,
            prefix="measures",
            years=view.years,
            initial=[
                {
                    "code": item.code,
                    "title": item.title,
                    "description": item.description,
                    "proposal": item.proposal,
                    **{f"amount_{y}": a for y, a in zip(view.years, amounts, strict=True)},
                }
                for item, amounts in view.measures
            ],
        )
        context["gaps"] = gaps
        context["measures"] = measures
        if data is not None and gaps.is_valid() and measures.is_valid():
            try:
                services.simulator_replace(
                    actor=request.user,
                    consultation=consultation,
                    gaps=gaps.rows(),
                    items=measures.rows(),
                )
                saved = True
            except ValidationError as exc:
                found_gaps = _formset_errors(gaps, exc, "gaps")
                found_items = _formset_errors(measures, exc, "items")
                if not (found_gaps or found_items):
                    messages.error(request, " ".join(exc.messages))
    if saved:
        messages.success(request, _("Saved."))
        return redirect("consultations:items", slug=slug)
    if request.method == "POST" and not editable:
        messages.error(request, _("Residents can vote already, so the items can no longer change."))
        return redirect("consultations:items", slug=slug)
    return render(
        request,
        "consultations/items.html",
        context,
        status=400 if request.method == "POST" else 200,
    )


def _csv_safe(cell: str) -> str:
    """Spreadsheet programs run cells that start with = + - @ as formulas: neutralise them."""
    return "'" + cell if cell[:1] in ("=", "+", "-", "@", "\t", "\r") else cell


def consultation_codes(request, slug: str):
    """Make voting codes: from an address list, or a number. The CSV download is the only
    time the codes exist in clear; the platform keeps only their keyed hashes."""
    consultation = _managed(request, slug)
    if consultation.verification != Verification.CODE:
        raise Http404
    form = CodesForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data.get("addresses")
        try:
            if upload is not None:
                raw = upload.read()
                try:
                    text = raw.decode("utf-8-sig")
                except UnicodeDecodeError:
                    text = raw.decode("cp1252")
                header, rows = verification.parse_address_list(text, upload.name)
                codes = services.codes_generate(
                    actor=request.user,
                    consultation=consultation,
                    addresses=rows,
                    filename=upload.name,
                )
            else:
                header = []
                codes = services.codes_generate(
                    actor=request.user,
                    consultation=consultation,
                    count=form.cleaned_data["count"],
                )
        except ValidationError as exc:
            add_service_errors(form, exc, {"count": "count", "addresses": "addresses"})
        else:
            return _codes_csv(request, consultation, header, codes)
    return render(
        request,
        "consultations/codes.html",
        {
            "consultation": consultation,
            "process": consultation.process,
            "form": form,
            "batches": selectors.code_batches(consultation),
            "error_items": _error_items(form) if request.method == "POST" else [],
        },
        status=400 if request.method == "POST" else 200,
    )


def _codes_csv(request, consultation, header, codes) -> HttpResponse:
    vote_url = request.build_absolute_uri(consultation.get_absolute_url())
    out = io.StringIO()
    out.write("\ufeff")  # spreadsheet programs then read UTF-8
    writer = csv.writer(out, delimiter=";", lineterminator="\r\n")
    if header:
        writer.writerow([*header, "stemcode", "stemadres"])
        for new in codes:
            cells = [_csv_safe(new.row.cells.get(h, "")) for h in header]
            writer.writerow([*cells, verification.format_code(new.code), vote_url])
    else:
        writer.writerow(["nummer", "stemcode", "stemadres"])
        for number, new in enumerate(codes, start=1):
            writer.writerow([number, verification.format_code(new.code), vote_url])
    response = HttpResponse(out.getvalue(), content_type="text/csv; charset=utf-8")
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
    response["Content-Disposition"] = (
        f'attachment; filename="stemcodes-{consultation.slug}-{stamp}.csv"'
    )
    response["Cache-Control"] = "no-store"
    return response


@require_POST
def consultation_publish(request, slug: str):
    consultation = _managed(request, slug)
    try:
        published = services.consultation_publish(actor=request.user, consultation=consultation)
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
    else:
        messages.success(
            request,
            _("The consultation is published. Residents can vote from %(when)s.")
            % {"when": timezone.localtime(consultation.opens_at).strftime("%d-%m-%Y %H:%M")},
        )
        if published.moved:
            messages.info(
                request,
                _("These proposals are now “in consultation”: %(titles)s.")
                % {"titles": ", ".join(p.title for p in published.moved)},
            )
        for proposal, reason in published.not_moved:
            messages.warning(
                request,
                _("“%(title)s” did not move to “in consultation”: %(reason)s")
                % {"title": proposal.title, "reason": reason},
            )
    return redirect("consultations:manage", slug=slug)


@require_POST
def consultation_unpublish(request, slug: str):
    consultation = _managed(request, slug)
    try:
        services.consultation_unpublish(actor=request.user, consultation=consultation)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("The consultation is a draft again."))
    return redirect("consultations:manage", slug=slug)
