"""Form rendering in the NL Design System (Utrecht) structure, and the euro field.

Every field renders label, description and error inside one ``utrecht-form-field``, with
``aria-describedby`` and ``aria-invalid`` so screen readers announce them (WCAG 3.3.1).
"""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.forms.renderers import TemplatesSetting
from django.utils.translation import gettext_lazy as _

from samenspraak.common.adapters import InputError, euro_from_text, euro_to_text


class NLDesignFormRenderer(TemplatesSetting):
    form_template_name = "components/form.html"
    field_template_name = "components/form_field.html"


class EuroInput(forms.TextInput):
    """A text box for euros; shows amounts the Dutch way (1.250.000) when rendered."""

    input_type = "text"

    def __init__(self, attrs=None):
        base = {"inputmode": "decimal", "autocomplete": "off"}
        super().__init__({**base, **(attrs or {})})

    def format_value(self, value):
        if isinstance(value, Decimal):
            # Dutch in every language: that is what ``parse_euro`` reads back. English
            # notation ("-500,000") would be refused as ambiguous when the form is sent.
            return euro_to_text(value).removeprefix("€ ")
        return super().format_value(value)


class EuroField(forms.Field):
    """Euro amounts as Decimal, read by ``samenspraak.core.money.parse_euro``.

    Typing mistakes keep what was typed (the bound value) and say what is wrong.
    """

    widget = EuroInput
    default_error_messages = {
        "not_an_amount": _(
            "“%(value)s” is not an amount. Write for example 1.250.000 or 1250000,50."
        ),
        "too_many_decimals": _("“%(value)s” has more than two decimals."),
        "ambiguous_amount": _(
            "“%(value)s” is ambiguous: write thousands with a dot (1.500) "
            "and cents with a comma (1,50)."
        ),
    }

    def __init__(self, *, max_digits: int = 14, **kwargs):
        self.max_digits = max_digits
        super().__init__(**kwargs)

    def to_python(self, value):
        if value in self.empty_values:
            return None
        if isinstance(value, Decimal):
            return value
        try:
            return euro_from_text(str(value))
        except InputError as exc:
            raise forms.ValidationError(
                self.error_messages[exc.code], code=exc.code, params={"value": value}
            ) from exc

    def validate(self, value):
        super().validate(value)
        if value is not None and len(value.as_tuple().digits) > self.max_digits:
            raise forms.ValidationError(_("This amount is too large."), code="too_large")


WIDGET_CLASSES = {
    "textinput": "utrecht-textbox",
    "emailinput": "utrecht-textbox",
    "passwordinput": "utrecht-textbox",
    "numberinput": "utrecht-textbox",
    "urlinput": "utrecht-textbox",
    "dateinput": "utrecht-textbox",
    "euroinput": "utrecht-textbox",
    "textarea": "utrecht-textarea",
    "select": "utrecht-select",
    "selectmultiple": "utrecht-select",
    "checkboxinput": "utrecht-checkbox",
}


class NLDesignFormMixin:
    """Gives every widget its NL Design System (Utrecht) class, once, for all forms."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            widget = field.widget
            css = WIDGET_CLASSES.get(type(widget).__name__.lower())
            if css and css not in widget.attrs.get("class", "").split():
                widget.attrs["class"] = f"{css} {widget.attrs.get('class', '')}".strip()


def add_service_errors(
    form: forms.BaseForm, exc: ValidationError, names: dict[str, str] | None = None
) -> None:
    """Put a service's ``ValidationError`` on the form: each message on its field where the
    form has that field (``names`` maps a service's field name to the form's), the rest on the
    form as a whole, so the error summary links every message to where it belongs."""
    names = names or {}
    if hasattr(exc, "error_dict"):
        for name, errors in exc.error_dict.items():
            target = names.get(name, name)
            form.add_error(target if target in form.fields else None, errors)
    else:
        form.add_error(None, exc.messages)


def save_form(request, form: forms.BaseForm, call: Callable[[], Any]) -> Any | None:
    """On a POST with a valid ``form``, call the service and return its result; a
    ``ValidationError`` it raises goes onto the form (``add_service_errors``) and None is
    returned, as it is for a GET or an invalid form."""
    if request.method != "POST" or not form.is_valid():
        return None
    try:
        return call()
    except ValidationError as exc:
        add_service_errors(form, exc)
        return None
