"""Tables of the proposal pages, built as ``common.tables.Table`` data."""

from __future__ import annotations

from collections.abc import Sequence

from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.html import format_html
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

from samenspraak.common.formatting import format_euro_for_language
from samenspraak.common.tables import Column, Table
from samenspraak.proposals.models import Priority
from samenspraak.proposals.selectors import EffectsSummary, PveDocument

NO_VALUE = "\u2013"


def _link(url: str, text: str):
    return format_html('<a class="utrecht-link" href="{}">{}</a>', url, text)


def _badge(status: str, label: str):
    html = render_to_string("components/status_badge.html", {"status": status, "label": label})
    return mark_safe(html.strip())  # rendered from our own, escaping template


def _euro(value) -> str:
    return format_euro_for_language(value) if value is not None else NO_VALUE


def manage_table(proposals: Sequence) -> Table:
    return Table(
        columns=[
            Column(_("Proposal")),
            Column(_("Kind")),
            Column(_("By")),
            Column(_("Status")),
            Column(_("Structural, all years"), numeric=True),
            Column(_("Incidental, all years"), numeric=True),
            Column(_("Support"), numeric=True),
        ],
        rows=[
            [
                _link(reverse("proposals:detail", args=[p.slug]), p.title),
                p.get_kind_display(),
                p.author_label,
                _badge(p.status, p.get_status_display()),
                _euro(sum(e.structural for e in p.effects.all())),
                _euro(sum(e.incidental for e in p.effects.all())),
                f"{p.support * 100:.0f}%" if p.support is not None else NO_VALUE,
            ]
            for p in proposals
        ],
        caption=_("Proposals of this process"),
        empty_text=_("This process has no proposals yet."),
    )


def effects_table(summary: EffectsSummary) -> Table:
    """Per budget year: structural, incidental, total; the last row sums all years."""
    rows = [
        [str(e.year), _euro(e.structural), _euro(e.incidental), _euro(e.total)]
        for e in summary.rows
    ]
    if summary.rows:
        rows.append(
            [
                _("All years together"),
                _euro(summary.structural),
                _euro(summary.incidental),
                _euro(summary.total),
            ]
        )
    return Table(
        columns=[
            Column(_("Year")),
            Column(_("Structural"), numeric=True),
            Column(_("Incidental"), numeric=True),
            Column(_("Total"), numeric=True),
        ],
        rows=rows,
        caption=_("Financial effect per year (savings positive, costs negative)"),
        empty_text=_("No financial effect has been entered."),
        id="effects-table",
    )


def pve_totals_table(document: PveDocument) -> Table:
    labels = dict(Priority.choices)
    rows = [
        [str(labels[p]), document.count_by_priority.get(p, 0), _euro(document.cost_by_priority[p])]
        for p in Priority.values
    ]
    rows.append([_("Total"), document.count, _euro(document.total_cost)])
    return Table(
        columns=[
            Column(_("Priority")),
            Column(_("Requirements"), numeric=True),
            Column(_("Cost estimate"), numeric=True),
        ],
        rows=rows,
        caption=_("Requirements and cost estimates per priority"),
        id="pve-totals",
    )
