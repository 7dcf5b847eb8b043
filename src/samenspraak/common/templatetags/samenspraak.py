"""Template filters shared by every app."""

from __future__ import annotations

from django import template

from samenspraak.common.formatting import format_euro_for_language

register = template.Library()


@register.filter
def euro(value) -> str:
    """€ 1.250.000 in Dutch, € 1,250,000 in English; empty for None."""
    return format_euro_for_language(value)


def _form_errors(form, row_label: str | None = None) -> list[tuple[str | None, str]]:
    items: list[tuple[str | None, str]] = []
    prefix = f"{row_label}: " if row_label else ""
    for error in form.non_field_errors():
        items.append((None, f"{prefix}{error}"))
    for field in form:
        for error in field.errors:
            items.append((f"#{field.auto_id}", f"{prefix}{field.label}: {error}"))
    return items


@register.inclusion_tag("components/error_summary.html")
def error_summary(*forms, row_label: str = ""):
    """Every error of the given forms and formsets, each linking to its field (WCAG 3.3.1)."""
    items: list[tuple[str | None, str]] = []
    for obj in forms:
        if obj is None:
            continue
        if hasattr(obj, "forms"):
            items.extend((None, str(e)) for e in obj.non_form_errors())
            for number, form in enumerate(obj.forms, start=1):
                label = f"{row_label or obj.prefix} {number}"
                items.extend(_form_errors(form, label))
        else:
            items.extend(_form_errors(obj))
    return {"items": items}
