"""Exports of a Programme of Requirements: standalone HTML, CSV for Excel, PDF.

- CSV: one row per requirement, UTF-8 with a byte-order mark and ";" between fields, amounts
  with a decimal comma: what Excel in Dutch expects, so it opens with a double click. The
  header names are Dutch whatever the interface language (the file is for Dutch offices).
- PDF: fpdf2 with the bundled DejaVu Sans (fonts/, Bitstream Vera licence), so "€" and "ë"
  print; the text stays selectable and searchable.
- HTML: one file with its own styles, to mail or archive.
"""

from __future__ import annotations

import csv
import io
from decimal import Decimal
from pathlib import Path

from django.template.loader import render_to_string
from django.utils import translation
from django.utils.translation import gettext as _

from samenspraak.common.formatting import format_euro_for_language
from samenspraak.proposals.models import NormOperator, Priority
from samenspraak.proposals.selectors import PveDocument
from samenspraak.proposals.tables import pve_totals_table

FONT = Path(__file__).parent / "fonts" / "DejaVuSans.ttf"

CSV_HEADER = [
    "Nummer",
    "Aspect",
    "Verplicht aspect",
    "Eis",
    "Toelichting",
    "Prioriteit",
    "Kostenraming (€)",
    "Norm: wat",
    "Norm: hoe",
    "Norm: waarde",
    "Norm: eenheid",
]


def _number(value: Decimal | None, *, places: int | None = None) -> str:
    """A number with a decimal comma and no thousands separator (Excel in Dutch reads it)."""
    if value is None:
        return ""
    if places is not None:
        value = value.quantize(Decimal(1).scaleb(-places))
        text = f"{value:f}"
    else:
        text = f"{value.normalize():f}" if value == value.to_integral() else f"{value:f}"
        if "." in text:
            text = text.rstrip("0").rstrip(".")
    return text.replace(".", ",")


def pve_csv(document: PveDocument) -> bytes:
    with translation.override("nl"):
        priority = {value: str(label) for value, label in Priority.choices}
        operator = {value: str(label) for value, label in NormOperator.choices}
        buffer = io.StringIO()
        writer = csv.writer(buffer, delimiter=";", lineterminator="\r\n")
        writer.writerow(CSV_HEADER)
        for number, group, requirement in document.numbered:
            writer.writerow(
                [
                    number,
                    group.aspect,
                    "ja" if group.mandatory else "nee",
                    requirement.title,
                    requirement.description,
                    priority.get(requirement.priority, requirement.priority),
                    _number(requirement.cost_estimate, places=2),
                    requirement.norm_quantity,
                    operator.get(requirement.norm_operator, ""),
                    _number(requirement.norm_value),
                    requirement.norm_unit,
                ]
            )
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def norm_text(requirement) -> str:
    """'parking spaces per home: at least 1.3 places' in the active language."""
    if not requirement.has_norm:
        return ""
    dutch = (translation.get_language() or "nl").startswith("nl")
    value = _number(requirement.norm_value)
    if not dutch:
        value = value.replace(",", ".")
    unit = f" {requirement.norm_unit}" if requirement.norm_unit else ""
    return f"{requirement.norm_quantity}: {requirement.get_norm_operator_display()} {value}{unit}"


def pve_html(document: PveDocument, *, request=None) -> str:
    return render_to_string(
        "proposals/pve_export.html",
        {
            "document": document,
            "proposal": document.proposal,
            "totals": pve_totals_table(document),
        },
        request=request,
    )


def pve_pdf(document: PveDocument) -> bytes:
    from fpdf import FPDF
    from fpdf.enums import XPos, YPos
    from fpdf.fonts import FontFace

    proposal = document.proposal
    pdf = FPDF(format="A4")
    pdf.set_title(proposal.title)
    pdf.set_author(proposal.author_label)
    pdf.set_lang((translation.get_language() or "nl")[:2])
    pdf.set_creator("Samenspraak")
    pdf.add_font("DejaVu", fname=str(FONT))
    pdf.set_margins(18, 18, 18)
    pdf.set_auto_page_break(auto=True, margin=18)
    pdf.add_page()
    width = pdf.epw

    def line(text: str, size: float = 10.5, height: float = 5.5, gap: float = 0.0) -> None:
        pdf.set_font("DejaVu", size=size)
        pdf.multi_cell(width, height, text, new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        if gap:
            pdf.ln(gap)

    line(_("Programme of Requirements"), size=10, gap=1)
    line(proposal.title, size=18, height=8, gap=2)
    version = proposal.current_version.number if proposal.current_version_id else 1
    line(
        _("%(process)s · by %(author)s · status: %(status)s · version %(version)s")
        % {
            "process": proposal.process.title,
            "author": proposal.author_label,
            "status": proposal.get_status_display(),
            "version": version,
        },
        size=9,
        gap=3,
    )
    if proposal.summary:
        line(proposal.summary, gap=3)
    if document.missing:
        line(
            _("Mandatory aspects without requirements: %(aspects)s.")
            % {"aspects": ", ".join(document.missing)},
            gap=3,
        )
    for group in document.groups:
        heading = group.aspect + (f" ({_('mandatory aspect')})" if group.mandatory else "")
        pdf.ln(2)
        line(heading, size=14, height=7, gap=1)
        for offset, requirement in enumerate(group.requirements):
            number = group.number_from + offset
            line(f"{number}. {requirement.title}", size=11, height=6)
            facts = [f"{_('Priority')}: {requirement.get_priority_display()}"]
            norm = norm_text(requirement)
            if norm:
                facts.append(f"{_('Norm')}: {norm}")
            if requirement.cost_estimate is not None:
                facts.append(
                    f"{_('Cost estimate')}: {format_euro_for_language(requirement.cost_estimate)}"
                )
            line(" · ".join(facts), size=9)
            if requirement.description:
                line(requirement.description, size=10)
            pdf.ln(1.5)
        line(
            _("Cost estimate for %(aspect)s: %(amount)s")
            % {"aspect": group.aspect, "amount": format_euro_for_language(group.cost)},
            size=9,
            gap=2,
        )
    pdf.ln(3)
    line(_("Totals"), size=14, height=7, gap=1)
    pdf.set_font("DejaVu", size=10)
    labels = dict(Priority.choices)
    # One regular font only (no bold file bundled): headings without emphasis.
    with pdf.table(
        col_widths=(50, 25, 45),
        text_align=("LEFT", "RIGHT", "RIGHT"),
        headings_style=FontFace(emphasis=""),
    ) as table:
        table.row([_("Priority"), _("Requirements"), _("Cost estimate")])
        for priority in Priority.values:
            table.row(
                [
                    str(labels[priority]),
                    str(document.count_by_priority.get(priority, 0)),
                    format_euro_for_language(document.cost_by_priority[priority]),
                ]
            )
        table.row([_("Total"), str(document.count), format_euro_for_language(document.total_cost)])
    return bytes(pdf.output())
