"""Forms for committees: parse and show errors per field; the services do the writing.

Resident-facing text (the sign-up and knowledge network forms) is B1 Dutch in the catalogue:
short sentences, the reader is "u".
"""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from samenspraak.committees import documents, selectors
from samenspraak.committees.models import Committee, DocumentCategory
from samenspraak.common.forms import NLDesignFormMixin
from samenspraak.processes.forms import BaseRowFormSet, DateInput


class DateTimeInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self, attrs=None):
        super().__init__(attrs=attrs, format="%Y-%m-%dT%H:%M")


def feature_field(feature: str, values: list[str], **kwargs) -> forms.ChoiceField:
    """A question of the composition rule as a select with the quota's values."""
    return forms.ChoiceField(
        label=feature[:1].upper() + feature[1:],
        choices=[("", _("Choose…")), *((v, v) for v in values)],
        error_messages={"required": _("Choose an answer.")},
        **kwargs,
    )


FEATURE_PREFIX = "feature_"


class FeatureAnswersMixin:
    """Adds one select per quota feature; ``answers()`` gives them back as {feature: value}."""

    def add_feature_fields(self, features: dict[str, list[str]]) -> None:
        self.features = features
        for index, (feature, values) in enumerate(features.items()):
            self.fields[f"{FEATURE_PREFIX}{index}"] = feature_field(feature, values)

    def answers(self) -> dict[str, str]:
        return {
            feature: self.cleaned_data.get(f"{FEATURE_PREFIX}{index}", "")
            for index, feature in enumerate(self.features)
        }

    def feature_field_name(self, feature: str) -> str | None:
        names = list(self.features)
        return f"{FEATURE_PREFIX}{names.index(feature)}" if feature in names else None


class ApplicationForm(FeatureAnswersMixin, NLDesignFormMixin, forms.Form):
    full_name = forms.CharField(label=_("Your name"), max_length=150)
    email = forms.EmailField(
        label=_("Your e-mail address"),
        help_text=_("We use this only to tell you if you are drawn."),
    )
    phone = forms.CharField(label=_("Your phone number"), max_length=30, required=False)

    def __init__(self, *args, committee: Committee, **kwargs):
        super().__init__(*args, **kwargs)
        self.add_feature_fields(selectors.committee_features(committee))
        self.fields["household_key"] = forms.CharField(
            label=_("Postcode and house number"),
            max_length=120,
            required=False,
            help_text=_(
                "We use this only so that two people from the same home are not both drawn."
            ),
        )
        self.fields["motivation"] = forms.CharField(
            label=_("Why do you want to take part?"),
            required=False,
            widget=forms.Textarea(attrs={"rows": 4}),
        )
        self.fields["consent"] = forms.BooleanField(
            label=_("I agree that the municipality uses my details for this committee."),
            help_text=_(
                "The municipality keeps your details until the committee has finished. "
                "Then it deletes them."
            ),
            error_messages={
                "required": _("You can only sign up if you agree to the privacy statement.")
            },
        )
        self.fields["email"].widget.attrs["autocomplete"] = "email"
        self.fields["full_name"].widget.attrs["autocomplete"] = "name"
        self.fields["phone"].widget.attrs["autocomplete"] = "tel"
        self.fields["phone"].widget.input_type = "tel"


class InviteForm(FeatureAnswersMixin, NLDesignFormMixin, forms.Form):
    full_name = forms.CharField(label=_("Name"), max_length=150)
    email = forms.EmailField(
        label=_("E-mail address"),
        required=False,
        help_text=_("With an account under this address, the member can open the workspace."),
    )

    def __init__(self, *args, committee: Committee, **kwargs):
        super().__init__(*args, **kwargs)
        self.add_feature_fields(selectors.committee_features(committee))


class PoolImportForm(NLDesignFormMixin, forms.Form):
    file = forms.FileField(
        label=_("People file (CSV or Excel)"),
        help_text=_(
            "Sortition Foundation format: a column id and one column per quota feature, "
            "optionally name, email and household. A CSV file or an Excel workbook (.xlsx)."
        ),
    )
    consent = forms.BooleanField(
        label=_("Everyone in this file agreed to take part and to this use of their details."),
        error_messages={"required": _("Confirm that everyone in the file agreed.")},
    )

    MAX_BYTES = 2_000_000

    def clean_file(self) -> tuple[str, str | bytes]:
        """(file name, CSV text) or, for an Excel workbook, (file name, its bytes)."""
        upload = self.cleaned_data["file"]
        if upload.size > self.MAX_BYTES:
            raise forms.ValidationError(_("The file is too large (at most 2 MB)."))
        raw = upload.read()
        extension = upload.name.rsplit(".", 1)[-1].lower() if "." in upload.name else ""
        if extension == "xls" or raw.startswith(b"\xd0\xcf\x11\xe0"):
            raise forms.ValidationError(
                _("Old Excel files (.xls) cannot be read. Save the file as .xlsx or as CSV.")
            )
        if extension == "xlsx" or raw.startswith(b"PK\x03\x04"):
            return upload.name, raw
        for encoding in ("utf-8-sig", "cp1252"):
            try:
                return upload.name, raw.decode(encoding)
            except UnicodeDecodeError:
                continue
        raise forms.ValidationError(_("The file is not a CSV file or an Excel workbook (.xlsx)."))


class DrawForm(NLDesignFormMixin, forms.Form):
    seed = forms.IntegerField(
        label=_("Seed"),
        min_value=0,
        max_value=2_147_483_647,
        help_text=_(
            "Announce this number before the draw. With the same pool, quotas and seed anyone "
            "gets the same result."
        ),
    )
    algorithm = forms.ChoiceField(
        label=_("Algorithm"),
        choices=[
            ("leximin", _("LEXIMIN: everyone's chance as equal as possible (recommended)")),
            ("legacy", _("Legacy: the simple greedy method, for comparison")),
        ],
        initial="leximin",
    )


class CommitteeForm(NLDesignFormMixin, forms.ModelForm):
    class Meta:
        model = Committee
        fields = [
            "name",
            "kind",
            "theme",
            "size",
            "mandate",
            "deliver_by",
            "applications_open",
            "applications_close",
            "facilitators_needed",
        ]
        widgets = {
            "mandate": forms.Textarea(attrs={"rows": 5}),
            "deliver_by": DateInput,
            "applications_open": DateInput,
            "applications_close": DateInput,
        }

    def __init__(self, *args, process, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["theme"].queryset = process.themes.all()
        self.fields["size"].widget.attrs["class"] = "utrecht-textbox--xs"
        self.fields["facilitators_needed"].widget.attrs["class"] = "utrecht-textbox--xs"
        self.fields["size"].min_value = 1

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("applications_open"), cleaned.get("applications_close")
        if start and end and end < start:
            self.add_error("applications_close", _("The closing date is before the opening date."))
        if cleaned.get("size") is not None and cleaned["size"] < 1:
            self.add_error("size", _("A committee has at least one seat."))
        return cleaned


class QuotaForm(NLDesignFormMixin, forms.Form):
    feature = forms.CharField(
        label=_("Feature"), max_length=60, help_text=_("For example: rol, leeftijd, wijk.")
    )
    value = forms.CharField(label=_("Value"), max_length=80)
    minimum = forms.IntegerField(
        label=_("Minimum"),
        min_value=0,
        widget=forms.NumberInput(attrs={"class": "utrecht-textbox--xs"}),
    )
    maximum = forms.IntegerField(
        label=_("Maximum"),
        min_value=0,
        widget=forms.NumberInput(attrs={"class": "utrecht-textbox--xs"}),
    )

    def clean(self):
        cleaned = super().clean()
        low, high = cleaned.get("minimum"), cleaned.get("maximum")
        if low is not None and high is not None and low > high:
            self.add_error("maximum", _("The maximum is lower than the minimum."))
        return cleaned


QuotaFormSet = forms.formset_factory(QuotaForm, formset=BaseRowFormSet, extra=3, can_delete=True)


class OverrideForm(NLDesignFormMixin, forms.Form):
    committee = forms.ModelChoiceField(label=_("Committee"), queryset=Committee.objects.none())
    facilitator = forms.ModelChoiceField(label=_("Facilitator"), queryset=None)
    reason = forms.CharField(
        label=_("Reason"),
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Required. It is kept in the history of the process."),
        error_messages={"required": _("Give the reason for this choice.")},
    )

    def __init__(self, *args, process, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["committee"].queryset = process.committees.all()
        self.fields["facilitator"].queryset = selectors.facilitator_users()
        self.fields["facilitator"].label_from_instance = lambda u: (
            f"{u.full_name} ({u.organisation})" if u.organisation else u.full_name
        )


class MeetingForm(NLDesignFormMixin, forms.Form):
    title = forms.CharField(label=_("Title"), max_length=150)
    starts_at = forms.DateTimeField(label=_("Starts at"), widget=DateTimeInput)
    ends_at = forms.DateTimeField(label=_("Ends at"), widget=DateTimeInput)
    location = forms.CharField(label=_("Location"), max_length=200, required=False)
    agenda = forms.CharField(
        label=_("Agenda"), required=False, widget=forms.Textarea(attrs={"rows": 5})
    )

    def clean(self):
        cleaned = super().clean()
        starts, ends = cleaned.get("starts_at"), cleaned.get("ends_at")
        if starts and ends and ends <= starts:
            self.add_error("ends_at", _("The meeting must end after it starts."))
        return cleaned


class MinutesForm(MeetingForm):
    minutes = forms.CharField(
        label=_("Minutes"), required=False, widget=forms.Textarea(attrs={"rows": 8})
    )
    minutes_published = forms.BooleanField(
        label=_("Publish the minutes to the members"), required=False
    )


class MessageForm(NLDesignFormMixin, forms.Form):
    body = forms.CharField(
        label=_("Your message"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=5000,
        error_messages={"required": _("Write a message first.")},
    )


class KnowledgeNetworkForm(NLDesignFormMixin, forms.Form):
    name = forms.CharField(label=_("Your name"), max_length=150)
    email = forms.EmailField(label=_("Your e-mail address"))
    themes = forms.MultipleChoiceField(
        label=_("Which themes do you want to hear about?"),
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("Choose at least one theme.")},
    )
    districts = forms.MultipleChoiceField(
        label=_("Which districts?"),
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    consent = forms.BooleanField(
        label=_("The municipality may invite me again. It keeps my name and e-mail address."),
        help_text=_("You can stop at any time. Then we delete your details."),
        error_messages={"required": _("We can only add you if you agree.")},
    )

    def __init__(self, *args, themes: list[str], districts: list[str], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["themes"].choices = [(t, t) for t in themes]
        self.fields["districts"].choices = [(d, d) for d in districts]
        if not districts:
            del self.fields["districts"]
        self.fields["email"].widget.attrs["autocomplete"] = "email"
        self.fields["name"].widget.attrs["autocomplete"] = "name"


class NetworkSearchForm(NLDesignFormMixin, forms.Form):
    theme = forms.ChoiceField(label=_("Theme"), required=False)
    district = forms.ChoiceField(label=_("District"), required=False)
    q = forms.CharField(label=_("Name or e-mail"), required=False, max_length=100)

    def __init__(self, *args, themes: list[str], districts: list[str], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["theme"].choices = [("", _("All themes")), *((t, t) for t in themes)]
        self.fields["district"].choices = [("", _("All districts")), *((d, d) for d in districts)]


class DeclineForm(NLDesignFormMixin, forms.Form):
    reason = forms.CharField(
        label=_("Reason for declining"),
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_(
            "Required. It is kept in the history of the process; the applicant does not see it."
        ),
        error_messages={"required": _("Give the reason for declining.")},
    )


class SeatDeclineForm(NLDesignFormMixin, forms.Form):
    """Staff decline a drawn seat on the member's behalf (the member called or wrote)."""

    reason = forms.CharField(
        label=_("Reason (optional)"),
        max_length=1000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("For example: “Called on 3 March: moves away.” It is kept in the history."),
    )


class DocumentForm(NLDesignFormMixin, forms.Form):
    file = forms.FileField(label=_("File"))
    title = forms.CharField(
        label=_("Title"),
        max_length=200,
        required=False,
        help_text=_("Without a title, the file name is used."),
    )
    category = forms.ChoiceField(label=_("Kind of document"), choices=DocumentCategory.choices)

    def __init__(self, *args, categories: list[str], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["file"].help_text = _("Allowed: %(types)s. At most %(max)s MB.") % {
            "types": ", ".join(documents.ALLOWED_EXTENSIONS),
            "max": documents.max_bytes() // (1024 * 1024),
        }
        self.fields["file"].widget.attrs["accept"] = ",".join(
            f".{extension}" for extension in documents.ALLOWED_EXTENSIONS
        )
        self.fields["category"].choices = [
            (value, label) for value, label in DocumentCategory.choices if value in categories
        ]
        if len(categories) == 1:
            self.fields["category"].initial = categories[0]
