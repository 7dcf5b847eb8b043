"""Tables of the committee pages, built as ``common.tables.Table`` data.

The representation check keeps its own template: its rows carry a state (missing, over)
that the table component has no place for.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from django.template.defaultfilters import filesizeformat
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format, number_format
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

from samenspraak.common.tables import Column, Table

NO_VALUE = "\u2013"  # an en dash, as Dutch tables show an empty cell


def _link(url: str, text: str):
    return format_html('<a class="utrecht-link" href="{}">{}</a>', url, text)


def _badge(status: str, label: str):
    html = render_to_string("components/status_badge.html", {"status": status, "label": label})
    return mark_safe(html.strip())  # rendered from our own, escaping template


def _lines(items: Iterable[str]):
    items = list(items)
    if not items:
        return NO_VALUE
    return format_html_join(mark_safe("<br>"), "{}", ((item,) for item in items))


def _facilitator_names(committee) -> list[str]:
    return [
        f"{m.display_name} ({m.user.organisation})"
        if m.user and m.user.organisation
        else m.display_name
        for m in committee.facilitator_memberships
    ]


def committees_table(committees: Sequence) -> Table:
    """The committees of a process for its owner (annotated by ``committee_list_for_process``)."""
    return Table(
        columns=[
            Column(_("Committee")),
            Column(_("Theme")),
            Column(_("Members"), numeric=True),
            Column(_("In the pool"), numeric=True),
            Column(_("Facilitator")),
            Column(_("Step")),
        ],
        rows=[
            [
                _link(reverse("committees:manage", args=[c.slug]), c.name),
                c.theme.name if c.theme else NO_VALUE,
                f"{c.member_count} / {c.size}",
                c.pool_count,
                _lines(m.display_name for m in c.facilitator_memberships),
                _badge(c.status, c.get_status_display()),
            ]
            for c in committees
        ],
        caption=_("Committees of this process"),
        empty_text=_("This process has no committees yet."),
    )


def facilitators_table(committees: Sequence) -> Table:
    return Table(
        columns=[
            Column(_("Committee")),
            Column(_("Owning department")),
            Column(_("Facilitator")),
            Column(_("How")),
        ],
        rows=[
            [
                _link(reverse("committees:manage", args=[c.slug]), c.name),
                (c.theme.owning_department if c.theme else "") or NO_VALUE,
                _lines(_facilitator_names(c)) if c.facilitator_memberships else _("none yet"),
                _lines(
                    f"{m.get_source_display()}: {m.override_reason}"
                    if m.override_reason
                    else m.get_source_display()
                    for m in c.facilitator_memberships
                ),
            ]
            for c in committees
        ],
        caption=_("Facilitator per committee"),
        empty_text=_("This process has no committees yet."),
    )


def _answers(answers: dict, features: Sequence[str]) -> list[str]:
    return [answers.get(feature, "") or NO_VALUE for feature in features]


def _application_status(application):
    badge = _badge(application.status, application.get_status_display())
    if application.status == "declined" and application.decline_reason:
        return format_html(
            '{} <span class="samenspraak-card__meta">{}</span>', badge, application.decline_reason
        )
    return badge


def _application_action(application, *, request, pool_open: bool):
    """Decline (a link to a page that asks the reason) or undo a decline (a button)."""
    if not pool_open:
        return NO_VALUE
    slug = application.committee.slug
    if application.status == "applied":
        return _link(
            reverse("committees:application_decline", args=[slug, application.number]),
            format_html(
                '{}<span class="samenspraak-visually-hidden"> {}</span>',
                _("Decline"),
                application.full_name,
            ),
        )
    if application.status == "declined":
        html = render_to_string(
            "committees/_application_restore.html",
            {"application": application, "slug": slug},
            request=request,
        )
        return mark_safe(html.strip())  # rendered from our own, escaping template
    return NO_VALUE


def applications_table(
    applications: Sequence, features: Sequence[str], *, request=None, pool_open: bool = False
) -> Table:
    """Everyone in the pool and beyond, with their status; while the pool is open (before the
    draw) a decline link or an undo button per application."""
    return Table(
        columns=[
            Column(_("Name")),
            Column(_("E-mail address")),
            *(Column(feature) for feature in features),
            Column(_("Source")),
            Column(_("Status")),
            Column(_("Action")),
        ],
        rows=[
            [
                a.full_name,
                a.email or NO_VALUE,
                *_answers(a.answers, features),
                a.get_source_display(),
                _application_status(a),
                _application_action(a, request=request, pool_open=pool_open),
            ]
            for a in applications
        ],
        caption=_("Everyone who signed up, was imported or was invited"),
        empty_text=_("Nobody has signed up yet."),
    )


def _seat_decline_action(membership, slug: str):
    application = membership.application
    if application is None or application.status != "selected":
        return NO_VALUE
    return _link(
        reverse("committees:manage_seat_decline", args=[slug, application.number]),
        format_html(
            '{}<span class="samenspraak-visually-hidden"> {}</span>',
            _("Decline the seat on their behalf"),
            membership.display_name,
        ),
    )


def members_table(
    members: Sequence, features: Sequence[str], *, decline_for: str | None = None
) -> Table:
    """The members; with ``decline_for`` (the committee's slug, while a drawn member can still
    decline) a link per drawn member to decline the seat on their behalf."""
    return Table(
        columns=[
            Column(_("Name")),
            Column(_("How")),
            *(Column(feature) for feature in features),
            *([Column(_("Action"))] if decline_for else []),
        ],
        rows=[
            [
                m.display_name,
                m.get_source_display(),
                *_answers(m.application.answers if m.application else {}, features),
                *([_seat_decline_action(m, decline_for)] if decline_for else []),
            ]
            for m in members
        ],
        caption=_("Members and how they got their seat"),
        empty_text=_("The committee has no members yet."),
    )


def probabilities_table(
    rows: Sequence[dict], features: Sequence[str], *, id: str = "probabilities", caption=None
) -> Table:
    """Every applicant's chance of being drawn: the accessible form of the bar chart."""
    return Table(
        columns=[
            Column(_("Applicant")),
            *(Column(feature) for feature in features),
            Column(_("Chance"), numeric=True),
            Column(_("Drawn")),
        ],
        rows=[
            [
                format_html(
                    '{} <span class="samenspraak-card__meta">(id {})</span>',
                    r["name"],
                    r["id"],
                ),
                *_answers(r["answers"], features),
                f"{number_format(r['percent'], decimal_pos=1)}%",
                _("yes") if r["selected"] else _("no"),
            ]
            for r in rows
        ],
        caption=caption or _("Chance of being drawn, per applicant"),
        id=id,
    )


def network_table(entries: Sequence) -> Table:
    return Table(
        columns=[
            Column(_("Name")),
            Column(_("E-mail address")),
            Column(_("Themes")),
            Column(_("Districts")),
            Column(_("Since")),
        ],
        rows=[
            [
                e.name,
                format_html('<a class="utrecht-link" href="mailto:{0}">{0}</a>', e.email),
                ", ".join(t.name for t in e.themes.all()),
                ", ".join(d.name for d in e.districts.all()) or NO_VALUE,
                date_format(e.consent_at, "j F Y"),
            ]
            for e in entries
        ],
        caption=_("Members of the knowledge network"),
    )


def documents_table(documents: Sequence, *, request) -> Table:
    """The workspace's documents; a remove button where the user may remove one."""
    user = request.user

    def remove(document):
        if not user.has_perm("committees.delete_document", document):
            return NO_VALUE
        html = render_to_string(
            "committees/_document_remove.html", {"document": document}, request=request
        )
        return mark_safe(html.strip())  # rendered from our own, escaping template

    return Table(
        columns=[
            Column(_("Document")),
            Column(_("Kind")),
            Column(_("Added by")),
            Column(_("Date")),
            Column(_("Size"), numeric=True),
            Column(_("Action")),
        ],
        rows=[
            [
                _link(
                    reverse("committees:document_download", args=[d.committee.slug, d.uuid]),
                    format_html(
                        '{} <span class="samenspraak-card__meta">({})</span>',
                        d.title,
                        d.extension.upper() or d.original_name,
                    ),
                ),
                d.get_category_display(),
                d.uploaded_by.full_name if d.uploaded_by else _("(former member)"),
                date_format(timezone.localtime(d.created_at), "j F Y"),
                filesizeformat(d.size),
                remove(d),
            ]
            for d in documents
        ],
        caption=_("Documents of the committee"),
        empty_text=_("No documents yet."),
        id="documents-table",
    )
