"""Forms for proposals: parse and show errors per field; the services do the writing.

Money goes through ``common.forms.EuroField`` (Dutch notation, "1.250.000" or "-500.000,50").
Text for residents and committee members is B1 Dutch in the catalogue.
"""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

from django import forms
from django.utils.translation import gettext_lazy as _

from samenspraak.committees import selectors as committee_selectors
from samenspraak.common.forms import EuroField, NLDesignFormMixin
from samenspraak.processes.forms import BaseRowFormSet
from samenspraak.processes.models import District
from samenspraak.proposals.models import (
    AuthorKind,
    ConditionMet,
    NormOperator,
    Priority,
    Proposal,
    ProposalKind,
    ProposalStatus,
)
from samenspraak.proposals.selectors import SECTION_LABELS
from samenspraak.proposals.services import AMENDABLE_SECTIONS


class NumberInput(forms.TextInput):
    """A text box for a number; shows a Decimal the Dutch way (1,3), as ``NumberField`` reads."""

    def __init__(self, attrs=None):
        super().__init__({"inputmode": "decimal", "autocomplete": "off", **(attrs or {})})

    def format_value(self, value):
        if isinstance(value, Decimal):
            text = f"{value.normalize():f}" if value == value.to_integral() else f"{value:f}"
            if "." in text:
                text = text.rstrip("0").rstrip(".")
            return text.replace(".", ",")
        return super().format_value(value)


class NumberField(forms.Field):
    """A number as Decimal, written the Dutch way (1,3) or the machine way (1.3)."""

    widget = NumberInput
    default_error_messages = {
        "invalid": _("“%(value)s” is not a number. Write for example 1,3 or 40."),
    }

    def __init__(self, *, max_length: int = 30, **kwargs):
        self.max_length = max_length
        super().__init__(**kwargs)

    def to_python(self, value):
        if value in self.empty_values:
            return None
        if isinstance(value, Decimal):
            return value
        text = str(value).strip().replace(" ", "")
        if not text:
            return None
        if text.count(",") == 1 and "." not in text:
            text = text.replace(",", ".")
        try:
            number = Decimal(text) if len(text) <= self.max_length else None
        except InvalidOperation:
            number = None
        if number is None or not number.is_finite():
            raise forms.ValidationError(
                self.error_messages["invalid"], code="invalid", params={"value": value}
            )
        return number


def _split_lines(text: str) -> list[str]:
    return [line.strip() for line in (text or "").replace(",", "\n").splitlines() if line.strip()]


class ProposalForm(NLDesignFormMixin, forms.ModelForm):
    aspects = forms.MultipleChoiceField(
        label=_("Which aspects does the proposal cover?"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("The council asked that a plan covers these aspects."),
    )
    other_aspects = forms.CharField(
        label=_("Other aspects"),
        required=False,
        max_length=500,
        help_text=_("Separate them with a comma."),
    )
    note = forms.CharField(
        label=_("What did you change?"),
        required=False,
        max_length=300,
        help_text=_("A short note for the list of versions."),
    )

    class Meta:
        model = Proposal
        fields = [
            "kind",
            "title",
            "summary",
            "body",
            "theme",
            "budget_area",
            "districts",
            "target_groups",
            "expected_reach",
            "risks",
        ]
        widgets = {
            "kind": forms.RadioSelect,
            "summary": forms.Textarea(attrs={"rows": 3}),
            "body": forms.Textarea(attrs={"rows": 12}),
            "target_groups": forms.Textarea(attrs={"rows": 3}),
            "risks": forms.Textarea(attrs={"rows": 3}),
            "districts": forms.CheckboxSelectMultiple,
        }

    def __init__(self, *args, process, mandatory_aspects: list[str], **kwargs):
        super().__init__(*args, **kwargs)
        self.process = process
        self.mandatory = mandatory_aspects
        self.fields["theme"].queryset = process.themes.all()
        self.fields["districts"].queryset = District.objects.filter(
            municipality=process.municipality
        )
        self.fields["kind"].choices = ProposalKind.choices
        self.fields["expected_reach"].widget.attrs["class"] = "utrecht-textbox--xs"
        framework = getattr(process, "framework", None)
        areas = [a.strip() for a in (framework.budget_areas if framework else "").split(",")]
        areas = [a for a in areas if a]
        if areas:
            self.fields["budget_area"].help_text = _(
                "The frameworks name these budget areas: %(areas)s."
            ) % {"areas": ", ".join(areas)}
        self.fields["aspects"].choices = [(a, a) for a in mandatory_aspects]
        if not mandatory_aspects:
            del self.fields["aspects"]
        if self.instance.pk and not self.is_bound:
            known = {a.casefold() for a in mandatory_aspects}
            own = list(self.instance.aspects)
            if "aspects" in self.fields:
                self.initial["aspects"] = [
                    a for a in mandatory_aspects if a.casefold() in {o.casefold() for o in own}
                ]
            self.initial["other_aspects"] = ", ".join(a for a in own if a.casefold() not in known)

    def aspect_list(self) -> list[str]:
        chosen = list(self.cleaned_data.get("aspects") or [])
        return chosen + _split_lines(self.cleaned_data.get("other_aspects", ""))

    def content(self) -> dict:
        """The content fields for the service (districts and the note apart)."""
        data = {
            k: v
            for k, v in self.cleaned_data.items()
            if k not in ("districts", "other_aspects", "note")
        }
        data["aspects"] = self.aspect_list()
        return data


class AuthorForm(NLDesignFormMixin, forms.Form):
    """Who a new proposal is by: only the choices the user has in this process."""

    author = forms.ChoiceField(label=_("Who writes this proposal?"), widget=forms.RadioSelect)
    author_organisation = forms.CharField(
        label=_("Name of the partner organisation"), required=False, max_length=150
    )

    def __init__(self, *args, user, process, is_manager: bool, residents_allowed: bool, **kwargs):
        super().__init__(*args, **kwargs)
        if is_manager:
            committees = list(process.committees.all())
        else:
            committees = list(
                committee_selectors.committees_where_member(user=user, process=process)
            )
        self.committees = {str(c.pk): c for c in committees}
        choices = [(f"committee:{c.pk}", c.name) for c in committees]
        if is_manager or (user.role == "partner" and user.organisation.strip()):
            label = user.organisation if not is_manager else _("A partner organisation")
            choices.append(("partner", label))
        if user.role == "resident" and residents_allowed:
            choices.append(("resident", _("Myself, as a resident")))
        self.fields["author"].choices = choices
        if len(choices) == 1:
            self.fields["author"].initial = choices[0][0]
        if not is_manager:
            del self.fields["author_organisation"]

    def clean(self):
        cleaned = super().clean()
        author = cleaned.get("author") or ""
        if (
            author == "partner"
            and "author_organisation" in self.fields
            and not (cleaned.get("author_organisation") or "").strip()
        ):
            self.add_error("author_organisation", _("Give the name of the partner organisation."))
        return cleaned

    def author_kwargs(self) -> dict:
        author = self.cleaned_data["author"]
        if author.startswith("committee:"):
            return {"author_kind": AuthorKind.COMMITTEE, "committee": self.committees[author[10:]]}
        if author == "partner":
            return {
                "author_kind": AuthorKind.PARTNER,
                "organisation": self.cleaned_data.get("author_organisation", ""),
            }
        return {"author_kind": AuthorKind.RESIDENT}


class EffectForm(NLDesignFormMixin, forms.Form):
    year = forms.IntegerField(
        label=_("Budget year"),
        min_value=2000,
        max_value=2100,
        widget=forms.NumberInput(attrs={"class": "utrecht-textbox--xs"}),
    )
    structural = EuroField(
        label=_("Structural (€)"),
        required=False,
        help_text=_("Every year again. Savings positive, costs negative."),
    )
    incidental = EuroField(
        label=_("Incidental (€)"), required=False, help_text=_("Only this year.")
    )


class BaseEffectFormSet(BaseRowFormSet):
    def clean(self):
        if any(self.errors):
            return
        seen: set[int] = set()
        for form in self.live_forms():
            year = form.cleaned_data.get("year")
            if year in seen:
                form.add_error("year", _("This year is already in the list."))
            seen.add(year)


EffectFormSet = forms.formset_factory(
    EffectForm, formset=BaseEffectFormSet, extra=2, can_delete=True
)


class RequirementForm(NLDesignFormMixin, forms.Form):
    aspect = forms.CharField(label=_("Aspect"), max_length=100)
    title = forms.CharField(label=_("Requirement"), max_length=200)
    description = forms.CharField(
        label=_("Explanation"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    priority = forms.ChoiceField(label=_("Priority"), choices=Priority.choices)
    cost_estimate = EuroField(label=_("Cost estimate (€)"), required=False)
    norm_quantity = forms.CharField(
        label=_("Norm: what is measured"),
        required=False,
        max_length=100,
        help_text=_("For example: parking spaces per home."),
    )
    norm_operator = forms.ChoiceField(
        label=_("Norm: how"),
        required=False,
        choices=[("", "\u2013"), *NormOperator.choices],
    )
    norm_value = NumberField(label=_("Norm: value"), required=False, max_length=30)
    norm_unit = forms.CharField(label=_("Norm: unit"), required=False, max_length=40)

    def __init__(self, *args, aspects: list[str] | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        if aspects:
            current = (self.initial or {}).get("aspect") or (
                self.data.get(self.add_prefix("aspect")) if self.is_bound else None
            )
            choices = [(a, a) for a in aspects]
            if current and current not in aspects:
                choices.append((current, current))
            self.fields["aspect"] = forms.ChoiceField(
                label=_("Aspect"), choices=[("", _("Choose…")), *choices]
            )
        # An empty extra row stays unchanged only if the select's first value is its initial.
        self.fields["priority"].initial = Priority.MUST

    def clean(self):
        cleaned = super().clean()
        quantity = (cleaned.get("norm_quantity") or "").strip()
        operator = cleaned.get("norm_operator") or ""
        value = cleaned.get("norm_value")
        unit = (cleaned.get("norm_unit") or "").strip()
        if "norm_value" in self.errors:
            return cleaned
        if quantity or operator or value is not None or unit:
            if not quantity:
                self.add_error("norm_quantity", _("Say what the norm measures."))
            if not operator:
                self.add_error("norm_operator", _("Choose at least, at most or exactly."))
            if value is None:
                self.add_error("norm_value", _("A norm needs a value."))
        return cleaned


class BaseRequirementFormSet(BaseRowFormSet):
    def __init__(self, *args, aspects: list[str] | None = None, **kwargs):
        self.aspects = aspects or []
        super().__init__(*args, **kwargs)

    def get_form_kwargs(self, index):
        return {**super().get_form_kwargs(index), "aspects": self.aspects}


RequirementFormSet = forms.formset_factory(
    RequirementForm, formset=BaseRequirementFormSet, extra=2, can_delete=True
)


class FilterForm(NLDesignFormMixin, forms.Form):
    status = forms.ChoiceField(label=_("Status"), required=False)
    theme = forms.ChoiceField(label=_("Theme"), required=False)
    kind = forms.ChoiceField(label=_("Kind"), required=False)
    q = forms.CharField(label=_("Search"), required=False, max_length=100)

    def __init__(self, *args, process, statuses, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["status"].choices = [("", _("All statuses")), *statuses]
        self.fields["theme"].choices = [
            ("", _("All themes")),
            *((str(t.pk), t.name) for t in process.themes.all()),
        ]
        self.fields["kind"].choices = [("", _("All kinds")), *ProposalKind.choices]


class AmendmentForm(NLDesignFormMixin, forms.Form):
    section = forms.ChoiceField(label=_("Which part do you want to change?"))
    proposed_text = forms.CharField(
        label=_("Your new text"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("Write the whole part as it should read."),
    )
    reason = forms.CharField(
        label=_("Why?"),
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": _("Explain why you propose this change.")},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["section"].choices = [(s, SECTION_LABELS[s]) for s in AMENDABLE_SECTIONS]


class DecisionForm(NLDesignFormMixin, forms.Form):
    decision = forms.ChoiceField(
        label=_("Decision"),
        choices=[("accept", _("Accept")), ("reject", _("Reject"))],
        widget=forms.RadioSelect,
    )
    reason = forms.CharField(
        label=_("Reason"),
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": _("Give the reason for your decision.")},
    )
    accept_stale = forms.BooleanField(
        label=_("I have read the current text and still accept this change."),
        required=False,
    )


class CommentForm(NLDesignFormMixin, forms.Form):
    body = forms.CharField(
        label=_("Your comment"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=5000,
        error_messages={"required": _("Write a comment first.")},
    )
    parent = forms.IntegerField(required=False, widget=forms.HiddenInput)


class HideCommentForm(NLDesignFormMixin, forms.Form):
    reason = forms.CharField(
        label=_("Reason for removing"),
        max_length=500,
        error_messages={"required": _("Give the reason for removing the comment.")},
    )


class TransitionForm(NLDesignFormMixin, forms.Form):
    status = forms.ChoiceField(label=_("New status"))
    override_reason = forms.CharField(
        label=_("Reason to go on although the check fails"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Only for staff. It is kept in the history of the process."),
    )

    def __init__(self, *args, choices, show_override: bool, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["status"].choices = [(s, ProposalStatus(s).label) for s in choices]
        if not show_override:
            del self.fields["override_reason"]


class ConditionForm(NLDesignFormMixin, forms.Form):
    condition = forms.CharField(widget=forms.HiddenInput)
    met = forms.ChoiceField(label=_("Met?"), choices=ConditionMet.choices, widget=forms.RadioSelect)
    note = forms.CharField(label=_("Note"), required=False, max_length=1000)


ConditionFormSet = forms.formset_factory(ConditionForm, extra=0)


class AssessmentForm(NLDesignFormMixin, forms.Form):
    support = NumberField(
        label=_("Measured support (share from 0 to 1)"),
        required=False,
        help_text=_(
            "For example 0,62 when 62% backs the proposal. A consultation fills this later."
        ),
    )
    impact_score = NumberField(
        label=_("Impact score"),
        required=False,
        help_text=_("How much harm the measure does (0 or more; higher is worse)."),
    )
    people_affected = forms.IntegerField(label=_("People affected"), required=False, min_value=0)
    exclusive_group = forms.CharField(
        label=_("Exclusive group"),
        required=False,
        max_length=80,
        help_text=_("Proposals in the same group exclude each other: at most one is chosen."),
    )

    def clean_support(self):
        value = self.cleaned_data.get("support")
        if value is not None and not Decimal(0) <= value <= Decimal(1):
            raise forms.ValidationError(_("Support is a share from 0 to 1."))
        if value is not None and value != value.quantize(Decimal("0.0001")):
            raise forms.ValidationError(_("Use at most four decimals."))
        return value

    def clean_impact_score(self):
        value = self.cleaned_data.get("impact_score")
        if value is not None and value < 0:
            raise forms.ValidationError(_("The impact score cannot be negative."))
        if value is not None and value != value.quantize(Decimal("0.01")):
            raise forms.ValidationError(_("Use at most two decimals."))
        return value


class SettingsForm(NLDesignFormMixin, forms.Form):
    residents_may_propose = forms.BooleanField(
        label=_("Any logged-in resident may write a proposal in this process"), required=False
    )
