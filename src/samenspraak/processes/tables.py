"""Tables of the management pages, built as ``common.tables.Table`` data."""

from __future__ import annotations

from collections.abc import Sequence

from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.formats import date_format
from django.utils.html import format_html
from django.utils.safestring import mark_safe
from django.utils.timezone import localtime
from django.utils.translation import gettext as _

from samenspraak.common.models import AuditEvent
from samenspraak.common.tables import Column, Table
from samenspraak.processes.models import Process

NO_VALUE = "\u2013"  # an en dash, as Dutch tables show an empty cell


def dashboard_table(processes: Sequence[Process], *, caption: str) -> Table:
    """Processes with a link to manage them (or to read them, for a colleague's process)."""
    rows = []
    for p in processes:
        url = reverse("processes:edit", args=[p.slug]) if p.can_change else p.get_absolute_url()
        badge = render_to_string(
            "components/status_badge.html", {"status": p.status, "label": p.get_status_display()}
        )
        rows.append(
            [
                format_html('<a class="utrecht-link" href="{}">{}</a>', url, p.title),
                p.municipality.name,
                p.current_phase.title if p.current_phase else NO_VALUE,
                mark_safe(badge.strip()),  # rendered from our own, escaping template
                str(p.owner),
            ]
        )
    return Table(
        columns=[
            Column(_("Process")),
            Column(_("Municipality")),
            Column(_("Current phase")),
            Column(_("Status")),
            Column(_("Owner")),
        ],
        rows=rows,
        caption=caption,
        empty_text=_("None."),
    )


def history_table(events: Sequence[AuditEvent]) -> Table:
    return Table(
        columns=[
            Column(_("When")),
            Column(_("Who")),
            Column(_("What")),
            Column(_("Changed fields")),
        ],
        rows=[
            [
                date_format(localtime(e.created_at), "j M Y H:i"),
                str(e.actor) if e.actor else NO_VALUE,
                e.label,
                ", ".join(e.changes.keys()),
            ]
            for e in events
        ],
        caption=_("Every change to this process, newest first"),
        row_headers=False,
        empty_text=_("No changes recorded yet."),
    )
