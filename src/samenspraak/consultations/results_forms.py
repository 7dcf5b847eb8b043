"""Forms of the results part: confirming the close, importing a ``.pb`` file."""

from __future__ import annotations

import io

from django import forms
from django.utils.translation import gettext_lazy as _

from samenspraak.common.forms import NLDesignFormMixin

MAX_PB_MB = 50


def rule_choices() -> list[tuple[str, str]]:
    from samenspraak.consultations.results_labels import rule_label
    from samenspraak.core.pb.rules import RULES

    return [(name, rule_label(name)) for name in RULES]


class CloseForm(NLDesignFormMixin, forms.Form):
    confirm = forms.BooleanField(
        label=_("I understand that voting stops now and that the results become public."),
        error_messages={"required": _("Tick the box to confirm that you want to close.")},
    )


class PbImportForm(NLDesignFormMixin, forms.Form):
    process = forms.ModelChoiceField(
        label=_("Process"),
        queryset=None,
        help_text=_("The consultation is added to this process."),
        empty_label=_("Choose a process"),
    )
    file = forms.FileField(
        label=_("Pabulib file (.pb)"),
        help_text=_(
            "A participatory budgeting vote in the Pabulib format (META, PROJECTS, VOTES), "
            "for example from pabulib.org. At most %(mb)s MB."
        )
        % {"mb": MAX_PB_MB},
    )
    title = forms.CharField(
        label=_("Title"),
        max_length=200,
        required=False,
        help_text=_("Leave empty to use the description, place and year in the file."),
    )
    rule = forms.ChoiceField(
        label=_("Rule that decides the outcome"),
        help_text=_("Every rule is counted; this one is shown as the outcome."),
    )

    def __init__(self, *args, processes, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["process"].queryset = processes
        choices = rule_choices()
        self.fields["rule"].choices = choices
        self.fields["rule"].initial = "mes-add1"

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > MAX_PB_MB * 1024 * 1024:
            raise forms.ValidationError(
                _("The file is too large (at most %(mb)s MB).") % {"mb": MAX_PB_MB}
            )
        name = upload.name or "upload.pb"
        if not name.lower().endswith(".pb"):
            raise forms.ValidationError(_("Choose a .pb file."))
        return name, upload

    def lines(self):
        """The uploaded file as text lines (UTF-8; a byte-order mark is ignored)."""
        _name, upload = self.cleaned_data["file"]
        upload.seek(0)
        return io.TextIOWrapper(upload.file, encoding="utf-8-sig", newline="")
