"""Forms for staff pages: parse and show errors per field; the services do the writing."""

from __future__ import annotations

from django import forms
from django.contrib.auth import get_user_model
from django.utils.translation import gettext_lazy as _

from samenspraak.accounts.models import Role
from samenspraak.common.adapters import errors, finding_message
from samenspraak.common.forms import EuroField, NLDesignFormMixin
from samenspraak.processes import adapters
from samenspraak.processes.models import (
    BandwidthKind,
    District,
    Framework,
    Phase,
    PhaseKind,
    Process,
)


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs=attrs, format="%Y-%m-%d")


class ProcessForm(NLDesignFormMixin, forms.ModelForm):
    class Meta:
        model = Process
        fields = ["title", "summary", "challenge", "municipality", "districts", "owner", "status"]
        widgets = {
            "challenge": forms.Textarea(attrs={"rows": 6}),
            "summary": forms.Textarea(attrs={"rows": 2}),
            "districts": forms.CheckboxSelectMultiple,
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = get_user_model().objects.filter(
            role__in=[Role.STAFF, Role.ADMIN], is_active=True
        )
        self.fields["districts"].queryset = District.objects.select_related("municipality")
        self.fields["districts"].label_from_instance = lambda d: f"{d.name} ({d.municipality.name})"

    def clean(self):
        cleaned = super().clean()
        municipality = cleaned.get("municipality")
        districts = cleaned.get("districts") or []
        foreign = [
            d.name for d in districts if municipality and d.municipality_id != municipality.pk
        ]
        if foreign:
            self.add_error(
                "districts",
                _("These districts are not in %(municipality)s: %(names)s")
                % {"municipality": municipality, "names": ", ".join(foreign)},
            )
        return cleaned


class PhaseForm(NLDesignFormMixin, forms.ModelForm):
    id = forms.IntegerField(required=False, widget=forms.HiddenInput)

    class Meta:
        model = Phase
        fields = ["kind", "title", "start_date", "end_date", "description"]
        widgets = {
            "start_date": DateInput,
            "end_date": DateInput,
            "description": forms.Textarea(attrs={"rows": 2}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = PhaseKind.choices
        # Without a blank choice a browser submits the first kind for an empty extra row;
        # making that the initial value keeps such a row "unchanged", so it is skipped.
        self.fields["kind"].initial = PhaseKind.choices[0][0]

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("start_date"), cleaned.get("end_date")
        if start and end and end < start:
            self.add_error("end_date", _("The end date is before the start date."))
        return cleaned


class BaseRowFormSet(forms.BaseFormSet):
    """Rows the user filled in, in order, without the ones marked for removal."""

    def live_forms(self) -> list[forms.Form]:
        """The rows to keep: every stored row (changed or not) and every filled-in new row.

        A stored row the user left alone is still wanted: the services replace all rows,
        so leaving it out would delete it. An empty extra row is skipped.
        """
        return [
            form
            for index, form in enumerate(self.forms)
            if (index < self.initial_form_count() or form.has_changed())
            and not form.cleaned_data.get("DELETE")
        ]

    def rows(self) -> list[dict]:
        return [
            {k: v for k, v in form.cleaned_data.items() if k != "DELETE"}
            for form in self.live_forms()
        ]


class BasePhaseFormSet(BaseRowFormSet):
    def clean(self):
        if any(self.errors):
            return
        live = self.live_forms()
        findings = adapters.check_phases([f.cleaned_data for f in live])
        for finding in errors(findings):
            if finding.index is not None:
                live[finding.index].add_error(finding.field, finding_message(finding))


PhaseFormSet = forms.formset_factory(PhaseForm, formset=BasePhaseFormSet, extra=2, can_delete=True)


class ThemeForm(NLDesignFormMixin, forms.Form):
    id = forms.IntegerField(required=False, widget=forms.HiddenInput)
    name = forms.CharField(label=_("Name"), max_length=120)
    owning_department = forms.CharField(
        label=_("Owning department"),
        max_length=120,
        required=False,
        help_text=_(
            "The department responsible for the content; its facilitator comes from elsewhere."
        ),
    )
    description = forms.CharField(
        label=_("Description"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


ThemeFormSet = forms.formset_factory(ThemeForm, formset=BaseRowFormSet, extra=2, can_delete=True)


class FrameworkForm(NLDesignFormMixin, forms.ModelForm):
    class Meta:
        model = Framework
        fields = [
            "bandwidth_kind",
            "bandwidth_subject",
            "budget_areas",
            "conditions",
            "decision_deadline",
            "council_decision_reference",
        ]
        widgets = {
            "bandwidth_kind": forms.RadioSelect,
            "conditions": forms.Textarea(attrs={"rows": 4}),
            "decision_deadline": DateInput,
        }


class BandwidthYearForm(NLDesignFormMixin, forms.Form):
    year = forms.IntegerField(
        label=_("Budget year"),
        min_value=2000,
        max_value=2100,
        widget=forms.NumberInput(attrs={"class": "utrecht-textbox--xs"}),
    )
    minimum = EuroField(label=_("Minimum (€)"), required=False)
    maximum = EuroField(label=_("Maximum (€)"), required=False)
    savings_structural = EuroField(label=_("Structural saving (€)"), required=False)
    savings_incidental = EuroField(label=_("Incidental saving (€)"), required=False)


class BaseBandwidthFormSet(BaseRowFormSet):
    def __init__(self, *args, bandwidth_kind: str = BandwidthKind.RANGE, **kwargs):
        self.bandwidth_kind = bandwidth_kind
        super().__init__(*args, **kwargs)

    def clean(self):
        if any(self.errors):
            return
        live = self.live_forms()
        findings = adapters.check_bandwidth(self.bandwidth_kind, [f.cleaned_data for f in live])
        for finding in errors(findings):
            if finding.index is not None:
                live[finding.index].add_error(finding.field, finding_message(finding))


BandwidthYearFormSet = forms.formset_factory(
    BandwidthYearForm, formset=BaseBandwidthFormSet, extra=2, can_delete=True
)


class AspectForm(NLDesignFormMixin, forms.Form):
    name = forms.CharField(label=_("Aspect"), max_length=100)
    description = forms.CharField(label=_("Explanation"), required=False, max_length=500)


class BaseAspectFormSet(BaseRowFormSet):
    def clean(self):
        if any(self.errors):
            return
        seen: set[str] = set()
        for form in self.live_forms():
            name = form.cleaned_data["name"].strip().lower()
            if name in seen:
                form.add_error("name", _("This aspect is already in the list."))
            seen.add(name)


AspectFormSet = forms.formset_factory(
    AspectForm, formset=BaseAspectFormSet, extra=3, can_delete=True
)
