"""Thin views: parse, ask the policy, call a service or selector, render."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from samenspraak.committees import documents, selectors, services, tables
from samenspraak.committees.forms import (
    ApplicationForm,
    CommitteeForm,
    DeclineForm,
    DocumentForm,
    DrawForm,
    InviteForm,
    KnowledgeNetworkForm,
    MeetingForm,
    MessageForm,
    MinutesForm,
    NetworkSearchForm,
    OverrideForm,
    PoolImportForm,
    QuotaFormSet,
    SeatDeclineForm,
)
from samenspraak.committees.models import (
    Application,
    ApplicationStatus,
    Committee,
    CommitteeDocument,
    CommitteeStatus,
    DocumentCategory,
    KnowledgeNetworkEntry,
    Meeting,
    Message,
)
from samenspraak.common.forms import add_service_errors
from samenspraak.common.permissions import require_perm
from samenspraak.processes.models import Process


@dataclass(frozen=True)
class Submitted:
    """What ``_submit`` did: ``ok`` (true: the service wrote) and the service's result."""

    ok: bool
    result: Any = None

    def __bool__(self) -> bool:
        return self.ok


def _submit(
    request,
    forms: Sequence,
    call: Callable[[], Any],
    *,
    success: str | Callable[[Any], str],
    field_names: dict[str, str] | None = None,
) -> Submitted:
    """The shape of every form view: on a POST whose ``forms`` (forms and formsets) are all
    valid, call the service; a ``ValidationError`` it raises goes onto the first form (per field
    where the field exists), otherwise ``success`` (a text, or a function of the result) is
    shown. Every form is validated, so each shows its own errors."""
    if request.method != "POST":
        return Submitted(ok=False)
    valid = [form.is_valid() for form in forms]  # a list: no short cut past a form
    if not all(valid):
        return Submitted(ok=False)
    try:
        result = call()
    except ValidationError as exc:
        add_service_errors(forms[0], exc, field_names)
        return Submitted(ok=False)
    messages.success(request, success(result) if callable(success) else success)
    return Submitted(ok=True, result=result)


def _act(request, call: Callable[[], Any], *, success: str | Callable[[Any], str]) -> bool:
    """A button without a form (a POST that only confirms): call the service and say what
    happened, or why not, as a message on the next page."""
    try:
        result = call()
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return False
    messages.success(request, success(result) if callable(success) else success)
    return True


def _checked(request, queryset, perm: str, **lookup):
    """The object (or 404), then the policy's answer for it: log in first, or 403."""
    obj = get_object_or_404(queryset, **lookup)
    require_perm(request, perm, obj)
    return obj


def _feature_fields(form) -> dict[str, str]:
    """Service errors name a quota feature; the form's field for it is ``feature_<n>``."""
    return {feature: form.feature_field_name(feature) for feature in form.features}


def _committee(request, slug: str, perm: str) -> Committee:
    committees = Committee.objects.select_related("process", "process__municipality", "theme")
    return _checked(request, committees, perm, slug=slug)


def _perms(user, committee: Committee) -> dict[str, bool]:
    names = [
        "manage_committee",
        "change_content",
        "view_workspace",
        "change_status",
        "schedule_meeting",
        "publish_minutes",
        "moderate_messages",
        "post_message",
        "view_documents",
        "upload_process_document",
        "upload_content_document",
    ]
    return {f"can_{name}": user.has_perm(f"committees.{name}", committee) for name in names}


def _base_url(request) -> str:
    """The site's address, to make the links in e-mails absolute."""
    return request.build_absolute_uri("/").rstrip("/")


def _client_address(request) -> str:
    """The client's IP address for the mail rate limits. REMOTE_ADDR: a proxy in front of the
    site must set it to the real client (headers such as X-Forwarded-For can be forged)."""
    return request.META.get("REMOTE_ADDR", "") or ""


# --- public ----------------------------------------------------------------------------------


def committee_detail(request, slug: str):
    committee = selectors.committee_get_for_user(slug=slug, user=request.user)
    context = {
        "committee": committee,
        "process": committee.process,
        "accepts_applications": committee.accepts_applications(timezone.localdate()),
        "member_count": selectors.members(committee).count(),
        "facilitators": selectors.facilitators(committee),
        "draw": committee.draws.order_by("created_at", "id").first(),
        "replacements": committee.draws.exclude(replaces=None).order_by("created_at", "id"),
        "free_after_declines": services.free_seats(committee)
        if services.replacement_possible(committee)
        else 0,
        "steps": _steps(committee),
        **_perms(request.user, committee),
    }
    return render(request, "committees/committee_detail.html", context)


def _steps(committee: Committee) -> list[tuple[str, str]]:
    """Each step of the committee with its state: done, current or upcoming."""
    order = list(CommitteeStatus)
    index = order.index(CommitteeStatus(committee.status))
    states = []
    for i, step in enumerate(order):
        state = "done" if i < index else "current" if i == index else "upcoming"
        states.append((step.label, state))
    return states


def committee_apply(request, slug: str):
    committee = selectors.committee_get_for_user(slug=slug, user=request.user)
    open_now = committee.accepts_applications(timezone.localdate())
    form = ApplicationForm(request.POST or None, committee=committee)
    submitted = open_now and _submit(
        request,
        [form],
        lambda: services.application_submit(
            committee=committee,
            full_name=form.cleaned_data["full_name"],
            email=form.cleaned_data["email"],
            phone=form.cleaned_data["phone"],
            answers=form.answers(),
            motivation=form.cleaned_data["motivation"],
            consent=form.cleaned_data["consent"],
            household_key=form.cleaned_data["household_key"],
            base_url=_base_url(request),
            client_address=_client_address(request),
        ),
        success=_(
            "Thank you for signing up. After the closing date we draw the members. "
            "We will let you know by e-mail."
        ),
        field_names=_feature_fields(form),
    )
    if submitted:
        return redirect(committee.get_absolute_url())
    return render(
        request,
        "committees/apply_form.html",
        {"committee": committee, "form": form, "open_now": open_now},
    )


def application_status(request, token):
    """The applicant's own page (the link in their e-mail): how their application stands.

    It names the committee and the state only, never the person or a decline's reason, so a
    forwarded link tells nobody much.
    """
    application = selectors.application_for_token(token=token)
    if application is None:
        raise Http404
    committee = application.committee
    return render(
        request,
        "committees/application_status.html",
        {
            "application": application,
            "committee": committee,
            "process": committee.process,
            "drawn": committee.draws.exists(),
            "can_decline_seat": services.seat_decline_allowed(application),
            "replacement_pending": services.replacement_pending_for(application),
        },
    )


def application_seat_decline(request, token):
    """The applicant declines the seat they were drawn for, from their own status page.

    A GET only asks "Are you sure?" (mail scanners open links; that must not decline
    anything); the POST of that page declines. The uuid in the address is the key.
    """
    application = selectors.application_for_token(token=token)
    if application is None:
        raise Http404
    if request.method == "POST":
        _act(
            request,
            lambda: services.seat_decline(application=application),
            success=_("You have declined your seat. Thank you for letting us know."),
        )
        return redirect(services.application_status_url(application))
    committee = application.committee
    return render(
        request,
        "committees/seat_decline_confirm.html",
        {
            "application": application,
            "committee": committee,
            "process": committee.process,
            "allowed": services.seat_decline_allowed(application),
        },
    )


def committee_workspace(request, slug: str):
    committee = _committee(request, slug, "committees.view_workspace")
    perms = _perms(request.user, committee)
    meetings = list(selectors.meetings(committee))
    now = timezone.now()
    context = {
        "committee": committee,
        "process": committee.process,
        "framework": getattr(committee.process, "framework", None),
        "members": selectors.members(committee),
        "facilitators": selectors.facilitators(committee),
        "upcoming": [m for m in meetings if m.ends_at > now],
        "past": [m for m in meetings if m.ends_at <= now],
        "thread": selectors.messages(committee),
        "message_form": MessageForm() if perms["can_post_message"] else None,
        "documents": tables.documents_table(selectors.documents(committee), request=request)
        if perms["can_view_documents"]
        else None,
        "steps": _steps(committee),
        "checklist": selectors.checklist(committee, now=now)
        if perms["can_change_status"]
        else None,
        "calendar_url": request.build_absolute_uri(
            reverse("committees:calendar", kwargs={"slug": committee.slug})
            + f"?sleutel={committee.calendar_token}"
        ),
        **perms,
    }
    return render(request, "committees/workspace.html", context)


@require_POST
def committee_advance(request, slug: str):
    committee = _committee(request, slug, "committees.change_status")
    _act(
        request,
        lambda: services.committee_advance(actor=request.user, committee=committee),
        success=lambda moved: (
            _("The committee is now in the step “%(step)s”.") % {"step": moved.get_status_display()}
        ),
    )
    return redirect("committees:workspace", slug=committee.slug)


def meeting_create(request, slug: str):
    committee = _committee(request, slug, "committees.schedule_meeting")
    form = MeetingForm(request.POST or None)
    if _submit(
        request,
        [form],
        lambda: services.meeting_schedule(
            actor=request.user, committee=committee, data=form.cleaned_data
        ),
        success=_("The meeting has been scheduled."),
    ):
        return redirect("committees:workspace", slug=committee.slug)
    return render(request, "committees/meeting_form.html", {"committee": committee, "form": form})


def meeting_edit(request, slug: str, pk: int):
    committee = _committee(request, slug, "committees.schedule_meeting")
    meeting = get_object_or_404(Meeting, pk=pk, committee=committee)
    initial = {
        "title": meeting.title,
        "starts_at": timezone.localtime(meeting.starts_at),
        "ends_at": timezone.localtime(meeting.ends_at),
        "location": meeting.location,
        "agenda": meeting.agenda,
        "minutes": meeting.minutes,
        "minutes_published": meeting.minutes_published,
    }
    form = MinutesForm(request.POST or None, initial=initial)

    def save():
        data = dict(form.cleaned_data)
        publish = data.pop("minutes_published")
        return services.meeting_update(
            actor=request.user,
            meeting=meeting,
            data=data,
            publish_minutes=publish if publish != meeting.minutes_published else None,
        )

    if _submit(request, [form], save, success=_("The meeting has been saved.")):
        return redirect("committees:workspace", slug=committee.slug)
    return render(
        request,
        "committees/meeting_form.html",
        {"committee": committee, "form": form, "meeting": meeting},
    )


@require_POST
def message_create(request, slug: str):
    committee = _committee(request, slug, "committees.post_message")
    form = MessageForm(request.POST)
    if form.is_valid():
        _act(
            request,
            lambda: services.message_post(
                actor=request.user, committee=committee, body=form.cleaned_data["body"]
            ),
            success=_("Your message has been posted."),
        )
    else:
        messages.error(request, " ".join(e for errors in form.errors.values() for e in errors))
    return redirect(
        reverse("committees:workspace", kwargs={"slug": committee.slug}) + "#discussion"
    )


@require_POST
def message_delete(request, slug: str, pk: int):
    committee = _committee(request, slug, "committees.moderate_messages")
    message = get_object_or_404(Message, pk=pk, committee=committee)
    services.message_delete(actor=request.user, message=message)
    messages.success(request, _("The message has been removed."))
    return redirect(
        reverse("committees:workspace", kwargs={"slug": committee.slug}) + "#discussion"
    )


# --- the calendar feed -------------------------------------------------------------------------


def _ical_text(value: str) -> str:
    """Escape a TEXT value (RFC 5545, 3.3.11)."""
    return (
        value.replace("\\", "\\\\")
        .replace(";", "\\;")
        .replace(",", "\\,")
        .replace("\r\n", "\\n")
        .replace("\n", "\\n")
        .replace("\r", "\\n")
    )


def _ical_fold(line: str) -> str:
    """Fold a content line at 75 octets, never inside a UTF-8 character (RFC 5545, 3.1)."""
    parts, current, size = [], "", 0
    for char in line:
        width = len(char.encode())
        if size + width > 75:
            parts.append(current)
            current, size = " ", 1
        current += char
        size += width
    parts.append(current)
    return "\r\n".join(parts)


def _ical_time(value) -> str:
    return value.astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")


def icalendar(committee: Committee, meetings, *, url: str, host: str) -> str:
    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        "PRODID:-//Samenspraak//Committees//NL",
        "CALSCALE:GREGORIAN",
        "METHOD:PUBLISH",
        f"X-WR-CALNAME:{_ical_text(committee.name)}",
    ]
    for meeting in meetings:
        description = meeting.agenda
        if meeting.minutes_published and meeting.minutes:
            description += f"\n\n{_('Minutes')}:\n{meeting.minutes}"
        lines += [
            "BEGIN:VEVENT",
            f"UID:{meeting.uuid}@{host}",
            f"DTSTAMP:{_ical_time(meeting.updated_at)}",
            f"DTSTART:{_ical_time(meeting.starts_at)}",
            f"DTEND:{_ical_time(meeting.ends_at)}",
            f"SUMMARY:{_ical_text(f'{meeting.title} ({committee.name})')}",
        ]
        if meeting.location:
            lines.append(f"LOCATION:{_ical_text(meeting.location)}")
        if description:
            lines.append(f"DESCRIPTION:{_ical_text(description)}")
        lines += [f"URL:{url}", "END:VEVENT"]
    lines.append("END:VCALENDAR")
    return "".join(_ical_fold(line) + "\r\n" for line in lines)


def committee_calendar(request, slug: str):
    """The meetings as iCalendar. Calendar apps cannot log in, so the committee's secret key
    in the address (``?sleutel=``) opens the feed as well as a logged-in member's session."""
    committee = get_object_or_404(Committee.objects.select_related("process"), slug=slug)
    key = request.GET.get("sleutel", "")
    if key != str(committee.calendar_token):
        require_perm(request, "committees.view_workspace", committee)
    url = request.build_absolute_uri(
        reverse("committees:workspace", kwargs={"slug": committee.slug})
    )
    body = icalendar(committee, selectors.meetings(committee), url=url, host=request.get_host())
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'inline; filename="{committee.slug}.ics"'
    return response


# --- knowledge network -------------------------------------------------------------------------


def network_opt_in(request, slug: str):
    process = get_object_or_404(Process.objects.prefetch_related("themes", "districts"), slug=slug)
    require_perm(request, "processes.view_process", process)
    themes = [t.name for t in process.themes.all()]
    districts = [d.name for d in process.districts.all()]
    initial = {}
    if request.user.is_authenticated:
        initial = {"name": request.user.full_name, "email": request.user.email}
    form = KnowledgeNetworkForm(
        request.POST or None, initial=initial, themes=themes, districts=districts
    )
    asked = _submit(
        request,
        [form],
        lambda: services.knowledge_network_opt_in(
            email=form.cleaned_data["email"],
            name=form.cleaned_data["name"],
            themes=form.cleaned_data["themes"],
            districts=form.cleaned_data.get("districts", []),
            process=process,
            base_url=_base_url(request),
            client_address=_client_address(request),
        ),
        success=_("Almost done. Check your e-mail and confirm with the link in it."),
    )
    if asked:
        return render(
            request,
            "committees/network_done.html",
            {"process": process, "pending": asked.result, "days": services.NETWORK_CONFIRM_DAYS},
        )
    return render(request, "committees/network_form.html", {"process": process, "form": form})


def network_confirm(request, token):
    """The link in the opt-in e-mail. A GET only shows a button: mail scanners open links, and
    that must not count as the person's confirmation."""
    pending = services.knowledge_network_request_for(token=token)
    if pending is None:
        return render(request, "committees/network_confirm.html", {"expired": True}, status=404)
    if request.method == "POST":
        try:
            entry = services.knowledge_network_confirm(request=pending, base_url=_base_url(request))
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
            return render(request, "committees/network_confirm.html", {"expired": True})
        messages.success(request, _("Thank you. You are now in the knowledge network."))
        return render(request, "committees/network_joined.html", {"entry": entry})
    return render(request, "committees/network_confirm.html", {"pending": pending})


def network_opt_out(request, token):
    entry = KnowledgeNetworkEntry.objects.filter(uuid=token).first()
    if entry is None:
        raise Http404
    if request.method == "POST":
        services.knowledge_network_opt_out(entry=entry)
        messages.success(
            request, _("You are no longer in the knowledge network. We deleted your details.")
        )
        return redirect("processes:list")
    return render(request, "committees/network_opt_out.html", {"entry": entry})


def network_search(request):
    require_perm(request, "committees.view_knowledge_network")
    themes, districts = selectors.knowledge_network_choices()
    form = NetworkSearchForm(request.GET or None, themes=themes, districts=districts)
    filters = {}
    if form.is_valid():
        filters = {
            "theme": form.cleaned_data["theme"] or None,
            "district": form.cleaned_data["district"] or None,
            "query": form.cleaned_data["q"].strip() or None,
        }
    services.knowledge_network_expire()  # lazily, so expired opt-ins do not linger
    entries = list(selectors.knowledge_network_search(**filters))
    return render(
        request,
        "committees/network_search.html",
        {"form": form, "entries": entries, "table": tables.network_table(entries)},
    )


# --- staff: committees of a process ------------------------------------------------------------


def _managed_process(request, slug: str, perm: str) -> Process:
    return _checked(request, Process.objects.select_related("municipality"), perm, slug=slug)


def process_committees(request, slug: str):
    process = _managed_process(request, slug, "committees.add_committee")
    committees = selectors.committee_list_for_process(process=process)
    return render(
        request,
        "committees/manage_list.html",
        {"process": process, "table": tables.committees_table(committees)},
    )


def _quota_rows(committee: Committee | None) -> list[dict]:
    if committee is None:
        return []
    return [
        {"feature": q.feature, "value": q.value, "minimum": q.minimum, "maximum": q.maximum}
        for q in committee.quotas.all()
    ]


def committee_create(request, slug: str):
    process = _managed_process(request, slug, "committees.add_committee")
    form = CommitteeForm(request.POST or None, process=process)
    quotas = QuotaFormSet(request.POST or None, prefix="quotas")
    created = _submit(
        request,
        [form, quotas],
        lambda: services.committee_create(
            actor=request.user, process=process, data=form.cleaned_data, quotas=quotas.rows()
        ),
        success=_("The committee has been created."),
    )
    if created:
        return redirect("committees:manage", slug=created.result.slug)
    return render(
        request,
        "committees/committee_form.html",
        {"process": process, "form": form, "quotas": quotas, "committee": None},
    )


def committee_edit(request, slug: str):
    committee = _committee(request, slug, "committees.change_content")
    form = CommitteeForm(request.POST or None, instance=committee, process=committee.process)
    quotas = QuotaFormSet(request.POST or None, initial=_quota_rows(committee), prefix="quotas")
    if _submit(
        request,
        [form, quotas],
        lambda: services.committee_update(
            actor=request.user,
            committee=Committee.objects.get(pk=committee.pk),
            data=form.cleaned_data,
            quotas=quotas.rows(),
        ),
        success=_("The committee has been saved."),
    ):
        return redirect("committees:manage", slug=committee.slug)
    return render(
        request,
        "committees/committee_form.html",
        {"process": committee.process, "form": form, "quotas": quotas, "committee": committee},
    )


def committee_manage(request, slug: str):
    committee = _committee(request, slug, "committees.manage_committee")
    return render(
        request,
        "committees/manage_detail.html",
        {
            "committee": committee,
            "process": committee.process,
            "representation": selectors.representation(committee),
            "members": selectors.members(committee),
            "members_table": tables.members_table(
                selectors.members(committee),
                list(selectors.committee_features(committee)),
                decline_for=committee.slug
                if committee.status in services.SEAT_DECLINE_STEPS
                else None,
            ),
            "facilitators": selectors.facilitators(committee),
            "pool_size": selectors.pool(committee).count(),
            "draw": committee.draws.first(),
            "free_after_declines": services.free_seats(committee)
            if services.replacement_possible(committee)
            else 0,
            "accepts_applications": committee.accepts_applications(timezone.localdate()),
            **_perms(request.user, committee),
        },
    )


def _applications_page(request, committee, *, invite_form=None, import_form=None, status=200):
    drawn = committee.draws.exists()
    return render(
        request,
        "committees/applications.html",
        {
            "committee": committee,
            "process": committee.process,
            "applications": selectors.applications(committee),
            "table": tables.applications_table(
                selectors.applications(committee),
                list(selectors.committee_features(committee)),
                request=request,
                pool_open=not drawn,
            ),
            "invite_form": invite_form or InviteForm(committee=committee),
            "import_form": import_form or PoolImportForm(),
            "drawn": drawn,
        },
        status=status,
    )


def committee_applications(request, slug: str):
    committee = _committee(request, slug, "committees.manage_committee")
    return _applications_page(request, committee)


@require_POST
def committee_invite(request, slug: str):
    committee = _committee(request, slug, "committees.manage_committee")
    form = InviteForm(request.POST, committee=committee)
    if _submit(
        request,
        [form],
        lambda: services.member_invite(
            actor=request.user,
            committee=committee,
            full_name=form.cleaned_data["full_name"],
            email=form.cleaned_data["email"],
            answers=form.answers(),
        ),
        success=_("The member has been added."),
        field_names=_feature_fields(form),
    ):
        return redirect("committees:applications", slug=committee.slug)
    return _applications_page(request, committee, invite_form=form)


@require_POST
def committee_import(request, slug: str):
    committee = _committee(request, slug, "committees.manage_committee")
    form = PoolImportForm(request.POST, request.FILES)

    def import_pool():
        filename, content = form.cleaned_data["file"]
        # The form gives CSV as text and an Excel workbook as its bytes.
        source = {"workbook": content} if isinstance(content, bytes) else {"text": content}
        return services.pool_import(
            actor=request.user, committee=committee, filename=filename, **source
        )

    if _submit(
        request,
        [form],
        import_pool,
        success=lambda count: _("%(count)s people have been added to the pool.") % {"count": count},
    ):
        return redirect("committees:applications", slug=committee.slug)
    return _applications_page(request, committee, import_form=form)


def _application(request, slug: str, number: int) -> tuple[Committee, Application]:
    committee = _committee(request, slug, "committees.manage_committee")
    return committee, get_object_or_404(Application, committee=committee, number=number)


def application_decline(request, slug: str, number: int):
    """Take an application out of the pool, with the reason (kept in the history)."""
    committee, application = _application(request, slug, number)
    form = DeclineForm(request.POST or None)
    if _submit(
        request,
        [form],
        lambda: services.application_decline(
            actor=request.user, application=application, reason=form.cleaned_data["reason"]
        ),
        success=_("The application of %(name)s has been declined. It will not be drawn.")
        % {"name": application.full_name},
    ):
        return redirect("committees:applications", slug=committee.slug)
    return render(
        request,
        "committees/application_decline.html",
        {
            "committee": committee,
            "process": committee.process,
            "application": application,
            "form": form,
            "drawn": committee.draws.exists(),
        },
    )


def manage_seat_decline(request, slug: str, number: int):
    """Staff decline a drawn seat on the member's behalf (they called), with an optional
    reason kept in the history."""
    committee, application = _application(request, slug, number)
    form = SeatDeclineForm(request.POST or None)
    if _submit(
        request,
        [form],
        lambda: services.seat_decline(
            application=application, actor=request.user, reason=form.cleaned_data["reason"]
        ),
        success=_("%(name)s no longer has a seat. The seat is free for a replacement draw.")
        % {"name": application.full_name},
    ):
        return redirect("committees:manage", slug=committee.slug)
    return render(
        request,
        "committees/manage_seat_decline.html",
        {
            "committee": committee,
            "process": committee.process,
            "application": application,
            "form": form,
            "allowed": services.seat_decline_allowed(application),
        },
    )


@require_POST
def application_restore(request, slug: str, number: int):
    """Undo a decline: the application is back in the pool."""
    committee, application = _application(request, slug, number)
    _act(
        request,
        lambda: services.application_restore(actor=request.user, application=application),
        success=_("The application of %(name)s is back in the pool.")
        % {"name": application.full_name},
    )
    return redirect("committees:applications", slug=committee.slug)


# --- workspace documents -----------------------------------------------------------------------


def _upload_categories(user, committee: Committee) -> list[str]:
    if user.has_perm("committees.upload_content_document", committee):
        return list(DocumentCategory.values)
    return [DocumentCategory.PROCESS]


def document_upload(request, slug: str):
    committee = _committee(request, slug, "committees.upload_process_document")
    categories = _upload_categories(request.user, committee)
    form = DocumentForm(request.POST or None, request.FILES or None, categories=categories)
    if _submit(
        request,
        [form],
        lambda: services.document_upload(
            actor=request.user,
            committee=committee,
            upload=form.cleaned_data["file"],
            title=form.cleaned_data["title"],
            category=form.cleaned_data["category"],
        ),
        success=_("The document has been added."),
    ):
        return redirect(reverse("committees:workspace", args=[committee.slug]) + "#documents")
    return render(
        request,
        "committees/document_form.html",
        {
            "committee": committee,
            "process": committee.process,
            "form": form,
            "facilitator_only": categories == [DocumentCategory.PROCESS],
        },
    )


def _document(request, slug: str, token, perm: str) -> CommitteeDocument:
    """The document (404 when it is not this committee's), then ``perm`` on it or its
    committee: login first, or 403."""
    document = get_object_or_404(
        CommitteeDocument.objects.select_related("committee", "committee__process", "uploaded_by"),
        uuid=token,
        committee__slug=slug,
    )
    target = document if perm == "committees.delete_document" else document.committee
    require_perm(request, perm, target)
    return document


def document_download(request, slug: str, token):
    """The file itself, only for who may see the workspace; never from a public address."""
    document = _document(request, slug, token, "committees.view_documents")
    try:
        handle = document.file.open("rb")
    except FileNotFoundError as exc:
        raise Http404 from exc
    response = FileResponse(
        handle,
        as_attachment=True,
        filename=document.original_name,
        content_type=documents.CONTENT_TYPES.get(document.extension, "application/octet-stream"),
    )
    response["Cache-Control"] = "private, no-store"
    return response


@require_POST
def document_delete(request, slug: str, token):
    document = _document(request, slug, token, "committees.delete_document")
    services.document_delete(actor=request.user, document=document)
    messages.success(request, _("The document has been removed."))
    return redirect(reverse("committees:workspace", args=[slug]) + "#documents")


# --- staff: the draw ---------------------------------------------------------------------------


def draw_filenames(committee: Committee, number: int = 1) -> tuple[str, str]:
    """The names of the two files of the committee's ``number``-th draw (1 is the first;
    2, 3, ... are replacement draws, "aanvulling" 1, 2, ...)."""
    stem = committee.slug if number <= 1 else f"{committee.slug}-aanvulling-{number - 1}"
    return f"{stem}-pool.csv", f"{stem}-quota.csv"


def distribution_filename(committee: Committee, number: int = 1) -> str:
    """The name of the distribution file of the committee's ``number``-th draw."""
    stem = committee.slug if number <= 1 else f"{committee.slug}-aanvulling-{number - 1}"
    return f"{stem}-verdeling.json"


def reproduce_command(
    *,
    people: str,
    categories: str,
    panel_size: int,
    seed: int,
    algorithm: str,
    household_column: str,
) -> str:
    """The command line that reproduces a draw from its two files."""
    command = (
        f"samenspraak select --people {people} --categories {categories} "
        f"--size {panel_size} --seed {seed} --algorithm {algorithm}"
    )
    if household_column:
        command += f" --household-column {household_column}"
    return command + " --json"


def check_command(
    *,
    people: str,
    categories: str,
    panel_size: int,
    seed: int,
    household_column: str,
    distribution: str,
) -> str:
    """The command line that checks a draw from its published distribution file: it checks
    the file against the two files (SHA-256, quotas, households) and redraws without a
    solver. The algorithm is the file's."""
    command = (
        f"samenspraak select --people {people} --categories {categories} "
        f"--size {panel_size} --seed {seed}"
    )
    if household_column:
        command += f" --household-column {household_column}"
    return command + f" --distribution {distribution} --json"


def committee_draw(request, slug: str):
    """Prepare and make the draw; after it, only a replacement draw for seats that became
    free after declines (otherwise this page shows the result)."""
    committee = _committee(request, slug, "committees.manage_committee")
    replacement = committee.draws.exists()
    if replacement and not services.replacement_possible(committee):
        return redirect("committees:draw_result", slug=committee.slug)
    initial = {"seed": committee.draw_seed or services.new_seed(), "algorithm": "leximin"}
    form = DrawForm(request.POST or None, initial=initial)
    infeasible = None
    if request.method == "POST" and form.is_valid():
        try:
            services.committee_draw(
                actor=request.user,
                committee=committee,
                seed=form.cleaned_data["seed"],
                algorithm=form.cleaned_data["algorithm"],
            )
        except services.DrawInfeasible as exc:
            infeasible = exc
            form.add_error(None, exc.messages)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(
                request,
                _("The replacement draw is done. These are the new members.")
                if replacement
                else _("The draw is done. These are the members."),
            )
            return redirect("committees:draw_result", slug=committee.slug)
    data = services.draw_input(committee)
    return render(
        request,
        "committees/draw.html",
        {
            "committee": committee,
            "process": committee.process,
            "form": form,
            "infeasible": infeasible,
            "pool_size": data["pool_size"],
            "panel_size": data["panel_size"],
            "problems": data["problems"],
            "quotas": committee.quotas.all(),
            "seated": selectors.members(committee).count(),
            "replacement": replacement,
        },
        status=422 if infeasible else 200,
    )


@require_POST
def committee_new_seed(request, slug: str):
    committee = _committee(request, slug, "committees.manage_committee")
    _act(
        request,
        lambda: services.committee_set_seed(actor=request.user, committee=committee),
        success=lambda changed: (
            _("The new seed is %(seed)s. Announce it before you draw.")
            % {"seed": changed.draw_seed}
        ),
    )
    return redirect("committees:draw", slug=committee.slug)


def _draws_in_order(committee: Committee) -> list:
    return list(committee.draws.select_related("created_by").order_by("created_at", "id"))


def _draw_section(committee: Committee, draw, number: int, applications, features) -> dict:
    """What the result page shows of one draw: its facts, members, chances and the files
    and command to reproduce it."""
    selected = set(draw.selected)
    rows = sorted(
        (
            {
                "id": pid,
                "name": applications[pid].full_name if pid in applications else _("(removed)"),
                "probability": p,
                "percent": p * 100,
                "selected": pid in selected,
                "withdrawn": pid in applications
                and applications[pid].status == ApplicationStatus.WITHDRAWN,
                "answers": applications[pid].answers if pid in applications else {},
            }
            for pid, p in draw.probabilities.items()
        ),
        key=lambda r: (-r["probability"], r["name"], r["id"]),
    )
    filenames = draw_filenames(committee, number)
    suffix = "" if number == 1 else f"-{number}"
    return {
        "draw": draw,
        "number": number,
        "suffix": suffix,
        "selected_rows": [r for r in rows if r["selected"]],
        "probabilities": tables.probabilities_table(
            rows,
            features,
            id=f"probabilities{suffix}",
            caption=_("Chance of being drawn, per applicant")
            if number == 1
            else _("Chance of being drawn in replacement draw %(n)s, per applicant")
            % {"n": number - 1},
        ),
        "chart": _chart(rows, draw),
        "filenames": filenames,
        "pool_url": reverse("committees:draw_file_of", args=[committee.slug, number, "pool"]),
        "quota_url": reverse("committees:draw_file_of", args=[committee.slug, number, "quota"]),
        "command": reproduce_command(
            people=filenames[0],
            categories=filenames[1],
            panel_size=draw.panel_size,
            seed=draw.seed,
            algorithm=draw.algorithm,
            household_column=draw.household_column,
        ),
        # Draws made before distribution files were stored have none: no link, no command.
        "distribution_filename": distribution_filename(committee, number)
        if draw.distribution
        else "",
        "distribution_url": reverse("committees:draw_distribution", args=[committee.slug, number])
        if draw.distribution
        else "",
        "check_command": check_command(
            people=filenames[0],
            categories=filenames[1],
            panel_size=draw.panel_size,
            seed=draw.seed,
            household_column=draw.household_column,
            distribution=distribution_filename(committee, number),
        )
        if draw.distribution
        else "",
    }


def draw_result(request, slug: str):
    """Every draw of the committee in order: the first, then each replacement draw, each with
    its seed, everyone's chance and the files to reproduce it."""
    committee = _committee(request, slug, "committees.manage_committee")
    draws = _draws_in_order(committee)
    if not draws:
        return redirect("committees:draw", slug=committee.slug)
    applications = {a.pool_id: a for a in committee.applications.all()}
    features = list(selectors.committee_features(committee))
    sections = [
        _draw_section(committee, draw, number, applications, features)
        for number, draw in enumerate(draws, start=1)
    ]
    return render(
        request,
        "committees/draw_result.html",
        {
            "committee": committee,
            "process": committee.process,
            "sections": sections,
            "representation": selectors.representation(committee),
            "free_after_declines": services.free_seats(committee)
            if services.replacement_possible(committee)
            else 0,
        },
    )


def _chart(rows: list[dict], draw) -> dict:
    """Bars for the chance of each applicant (rows are sorted, highest first)."""
    width, height = 600, 160
    top = max([r["probability"] for r in rows] + [draw.panel_size / max(draw.pool_size, 1)])
    step = width / max(len(rows), 1)
    scale = (height - 4) / top if top else 0
    bars = [
        {
            "x": f"{i * step:.2f}",
            "w": f"{max(step - 1, 0.5):.2f}",
            "h": f"{r['probability'] * scale:.2f}",
            "y": f"{height - r['probability'] * scale:.2f}",
            "selected": r["selected"],
        }
        for i, r in enumerate(rows)
    ]
    uniform = draw.panel_size / max(draw.pool_size, 1)
    return {
        "width": width,
        "height": height,
        "bars": bars,
        "uniform_y": f"{height - uniform * scale:.2f}",
    }


def draw_file(request, slug: str, kind: str, number: int | None = None):
    """The pool or the quotas as CSV to download: of the ``number``-th draw (1 is the first),
    or without a number those the next draw would use now (before the first draw, or before a
    replacement draw), else those of the latest draw."""
    committee = _committee(request, slug, "committees.manage_committee")
    if kind not in {"pool", "quota"}:
        raise Http404
    draws = _draws_in_order(committee)
    if number is not None:
        if not 1 <= number <= len(draws):
            raise Http404
        draw = draws[number - 1]
    elif draws and not services.replacement_possible(committee):
        draw, number = draws[-1], len(draws)
    else:
        draw, number = None, len(draws) + 1
    if draw is not None:
        people, categories = draw.people_csv, draw.categories_csv
    else:
        data = services.draw_input(committee)
        people, categories = data["people_file"], data["categories_file"]
    body = people if kind == "pool" else categories
    filename = draw_filenames(committee, number)[0 if kind == "pool" else 1]
    # Exactly the bytes whose SHA-256 the draw's distribution file records.
    response = HttpResponse(services.draw_file_bytes(body), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def draw_distribution(request, slug: str, number: int):
    """The distribution file of the committee's ``number``-th draw (1 is the first), as
    stored: 404 for a draw made before distribution files were kept."""
    committee = _committee(request, slug, "committees.manage_committee")
    draws = _draws_in_order(committee)
    if not 1 <= number <= len(draws) or not draws[number - 1].distribution:
        raise Http404
    response = HttpResponse(
        draws[number - 1].distribution.encode("utf-8"),
        content_type="application/json; charset=utf-8",
    )
    filename = distribution_filename(committee, number)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


# --- staff: facilitators -----------------------------------------------------------------------


def _facilitators_page(request, process, *, form=None, status=200):
    committees = selectors.committee_list_for_process(process=process)
    return render(
        request,
        "committees/facilitators.html",
        {
            "process": process,
            "table": tables.facilitators_table(committees),
            "people": selectors.facilitator_users(),
            "form": form or OverrideForm(process=process),
        },
        status=status,
    )


def facilitators(request, slug: str):
    process = _managed_process(request, slug, "committees.manage_facilitators")
    if request.method == "POST":
        _act(
            request,
            lambda: services.facilitators_assign(actor=request.user, process=process),
            success=lambda result: (
                _(
                    "The facilitators have been assigned. Nobody guides a committee of their "
                    "own department; the most committees for one person is %(max)s."
                )
                % {"max": result.max_load}
            ),
        )
        return redirect("committees:facilitators", slug=process.slug)
    return _facilitators_page(request, process)


@require_POST
def facilitator_override(request, slug: str):
    process = _managed_process(request, slug, "committees.manage_facilitators")
    form = OverrideForm(request.POST, process=process)
    if _submit(
        request,
        [form],
        lambda: services.facilitator_override(
            actor=request.user,
            committee=form.cleaned_data["committee"],
            facilitator=form.cleaned_data["facilitator"],
            reason=form.cleaned_data["reason"],
        ),
        success=_("The facilitator has been set."),
    ):
        return redirect("committees:facilitators", slug=process.slug)
    return _facilitators_page(request, process, form=form)
