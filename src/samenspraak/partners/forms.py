"""Forms for partners and their offering: parse and show errors per field; services write."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from samenspraak.common.forms import EuroField, NLDesignFormMixin
from samenspraak.partners.models import Offering, Partner, TargetGroup, Theme
from samenspraak.processes.models import District, Municipality


class PartnerForm(NLDesignFormMixin, forms.ModelForm):
    districts = forms.ModelMultipleChoiceField(
        label=_("Districts served"),
        queryset=District.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    class Meta:
        model = Partner
        fields = ["municipality", "name", "kind", "kvk_number", "website", "description"]

    website = forms.URLField(label=_("Website"), required=False, assume_scheme="https")

    def __init__(self, *args, staff: bool = True, **kwargs):
        super().__init__(*args, **kwargs)
        municipality = self.instance.municipality if self.instance.pk else None
        self.fields["municipality"].queryset = Municipality.objects.order_by("name")
        self.fields["districts"].queryset = (
            District.objects.filter(municipality=municipality)
            if municipality
            else District.objects.select_related("municipality")
        ).order_by("municipality__name", "name")
        if not municipality:
            self.fields["districts"].label_from_instance = lambda d: f"{d.name} ({d.municipality})"
        if self.instance.pk:
            self.fields["districts"].initial = list(self.instance.districts.all())
        if not staff:
            # A representative edits the profile; the name and municipality are the register's.
            del self.fields["municipality"]
            del self.fields["name"]
        elif self.instance.pk:
            del self.fields["municipality"]


class OfferingForm(NLDesignFormMixin, forms.ModelForm):
    target_groups = forms.MultipleChoiceField(
        label=_("Target groups"),
        choices=TargetGroup.choices,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("Choose at least one target group.")},
    )
    districts = forms.ModelMultipleChoiceField(
        label=_("Districts"),
        queryset=District.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("Choose at least one district.")},
    )
    yearly_cost = EuroField(label=_("Yearly cost"), help_text=_("In euros, for example 12.500."))
    subsidy = EuroField(
        label=_("Municipal subsidy per year"),
        required=False,
        help_text=_("In euros; at most the yearly cost. Leave empty for none."),
    )

    class Meta:
        model = Offering
        fields = [
            "name",
            "theme",
            "target_groups",
            "districts",
            "reach",
            "capacity",
            "yearly_cost",
            "subsidy",
            "outcomes",
        ]
        help_texts = {
            "reach": _("How many different people take part per year."),
            "capacity": _("Optional: how many people the service can serve at most per year."),
        }

    def __init__(self, *args, partner: Partner, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["theme"].choices = [("", _("Choose…")), *Theme.choices]
        self.fields["districts"].queryset = District.objects.filter(
            municipality=partner.municipality
        ).order_by("name")
        if self.instance.pk:
            self.fields["districts"].initial = list(self.instance.districts.all())

    def clean_subsidy(self):
        return self.cleaned_data.get("subsidy") or 0


class OfferingImportForm(NLDesignFormMixin, forms.Form):
    file = forms.FileField(
        label=_("Offering file (CSV or Excel)"),
        help_text=_(
            "One row per service, with the columns of the template. If one row has a mistake, "
            "nothing is stored and the message names the row and the column."
        ),
    )
    replace = forms.BooleanField(
        label=_("Remove our services that are not in the file"),
        required=False,
    )

    MAX_BYTES = 5_000_000

    def clean_file(self) -> tuple[str, bytes]:
        upload = self.cleaned_data["file"]
        if upload.size > self.MAX_BYTES:
            raise forms.ValidationError(_("The file is too large (at most 5 MB)."))
        raw = upload.read()
        if upload.name.lower().endswith(".xls") or raw.startswith(b"\xd0\xcf\x11\xe0"):
            raise forms.ValidationError(
                _("Old Excel files (.xls) cannot be read. Save the file as .xlsx or as CSV.")
            )
        name = upload.name
        if raw.startswith(b"PK\x03\x04") and not name.lower().endswith(".xlsx"):
            name += ".xlsx"
        return name, raw


class AnalysisFilterForm(NLDesignFormMixin, forms.Form):
    """Which municipality, and for the matrix the axes and the filter on the third axis."""

    gemeente = forms.ChoiceField(label=_("Municipality"), required=False)
    rijen = forms.ChoiceField(
        label=_("Rows"),
        required=False,
        choices=[("group", _("Target group")), ("theme", _("Theme")), ("district", _("District"))],
    )
    kolommen = forms.ChoiceField(
        label=_("Columns"),
        required=False,
        choices=[("district", _("District")), ("group", _("Target group")), ("theme", _("Theme"))],
    )
    thema = forms.ChoiceField(label=_("Theme"), required=False)
    doelgroep = forms.ChoiceField(label=_("Target group"), required=False)
    wijk = forms.ChoiceField(label=_("District"), required=False)

    def __init__(self, *args, municipalities, districts, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["gemeente"].choices = [(m.cbs_code, m.name) for m in municipalities]
        everything = ("", _("All"))
        self.fields["thema"].choices = [everything, *Theme.choices]
        self.fields["doelgroep"].choices = [everything, *TargetGroup.choices]
        self.fields["wijk"].choices = [everything, *((d, d) for d in districts)]
