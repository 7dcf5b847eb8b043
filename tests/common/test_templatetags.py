"""The shared template tags: euro amounts per language, and the error summary."""

from __future__ import annotations

import html
import re
from decimal import Decimal

import pytest
from django import forms
from django.template import Context, Template
from django.utils import translation

from samenspraak.common.templatetags.samenspraak import euro


@pytest.mark.parametrize(
    ("value", "nl", "en"),
    [
        (Decimal("1250000"), "€ 1.250.000", "€ 1,250,000"),
        (Decimal("-500000.50"), "€ -500.000,50", "€ -500,000.50"),
        (Decimal("0.05"), "€ 0,05", "€ 0.05"),
        (Decimal("999"), "€ 999", "€ 999"),
        (1500, "€ 1.500", "€ 1,500"),
        ("2500.5", "€ 2.500,50", "€ 2,500.50"),
    ],
)
def test_euro_filter(value, nl, en):
    with translation.override("nl"):
        assert euro(value) == nl
    with translation.override("en"):
        assert euro(value) == en


@pytest.mark.parametrize("value", [None, ""])
def test_euro_filter_leaves_nothing_for_no_amount(value):
    assert euro(value) == ""


def test_euro_filter_in_a_template():
    template = Template("{% load samenspraak %}{{ amount|euro }}")
    with translation.override("nl"):
        assert template.render(Context({"amount": Decimal("1500000")})) == "€ 1.500.000"


class PlanForm(forms.Form):
    title = forms.CharField(label="Titel")
    amount = forms.IntegerField(label="Bedrag")

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("title") == "fout":
            raise forms.ValidationError("Het plan klopt niet.")
        return cleaned


RowFormSet = forms.formset_factory(PlanForm, extra=0)


def summary_items(rendered: str) -> list[tuple[str | None, str]]:
    items = []
    for li in re.findall(r"<li>(.*?)</li>", rendered, re.S):
        link = re.search(r'<a [^>]*href="([^"]+)"[^>]*>(.*?)</a>', li, re.S)
        if link:
            items.append((link.group(1), html.unescape(link.group(2)).strip()))
        else:
            items.append((None, html.unescape(li).strip()))
    return items


def render_summary(template: str, **context) -> str:
    with translation.override("en"):
        return Template("{% load samenspraak %}" + template).render(Context(context))


def test_error_summary_links_every_field_error():
    form = PlanForm(data={"title": "", "amount": "veel"})
    assert not form.is_valid()
    rendered = render_summary("{% error_summary form %}", form=form)
    assert 'role="alert"' in rendered
    assert summary_items(rendered) == [
        ("#id_title", "Titel: This field is required."),
        ("#id_amount", "Bedrag: Enter a whole number."),
    ]


def test_error_summary_shows_form_errors_without_a_link():
    form = PlanForm(data={"title": "fout", "amount": "3"})
    assert not form.is_valid()
    rendered = render_summary("{% error_summary form %}", form=form)
    assert summary_items(rendered) == [(None, "Het plan klopt niet.")]


def test_error_summary_names_the_row_of_a_formset():
    formset = RowFormSet(
        data={
            "rows-TOTAL_FORMS": "2",
            "rows-INITIAL_FORMS": "0",
            "rows-0-title": "Goed",
            "rows-0-amount": "1",
            "rows-1-title": "Ook goed",
            "rows-1-amount": "",
        },
        prefix="rows",
    )
    assert not formset.is_valid()
    rendered = render_summary('{% error_summary formset row_label="Jaar" %}', formset=formset)
    assert summary_items(rendered) == [
        ("#id_rows-1-amount", "Jaar 2: Bedrag: This field is required.")
    ]


def test_error_summary_of_valid_forms_renders_nothing():
    form = PlanForm(data={"title": "Goed", "amount": "3"})
    assert form.is_valid()
    assert render_summary("{% error_summary form None %}", form=form).strip() == ""


def test_table_component_marks_row_headers_and_numeric_cells():
    from samenspraak.common.tables import Column, Table

    table = Table(
        columns=[Column("Jaar"), Column("Bedrag", numeric=True)],
        rows=[["2027", "€ 5"], ["<b>2028</b>", "€ 6"]],
        caption="Per jaar",
    )
    out = Template('{% include "components/table.html" %}').render(Context({"table": table}))
    assert '<caption class="utrecht-table__caption">Per jaar</caption>' in out
    assert out.count('<th scope="row"') == 2
    assert out.count("utrecht-table__cell--numeric") == 2
    assert "&lt;b&gt;2028&lt;/b&gt;" in out  # text cells are escaped


def test_empty_table_shows_its_empty_text():
    from samenspraak.common.tables import Column, Table

    table = Table(columns=[Column("Jaar")], rows=[], empty_text="Nog niets.")
    out = Template('{% include "components/table.html" %}').render(Context({"table": table}))
    assert "<table" not in out
    assert "Nog niets." in out
