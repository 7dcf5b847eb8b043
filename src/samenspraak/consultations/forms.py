"""Forms of consultations: staff set them up; residents verify and vote.

Forms parse and check types; the rules (budget, numbers of choices, ranks, who may vote)
are checked by the services, which put their errors back on these fields.
"""

from __future__ import annotations

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from samenspraak.common.formatting import format_euro_for_language
from samenspraak.common.forms import WIDGET_CLASSES, EuroField, NLDesignFormMixin
from samenspraak.consultations import services, verification
from samenspraak.consultations.models import (
    AgeBand,
    BallotType,
    Consultation,
    ConsultationKind,
    ConsultationStatus,
    PollAnswer,
    Verification,
)
from samenspraak.processes.forms import BaseRowFormSet
from samenspraak.processes.models import District

DATETIME_FORMAT = "%Y-%m-%dT%H:%M"


class DateTimeLocalInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self, attrs=None):
        super().__init__({"class": "utrecht-textbox", **(attrs or {})}, format=DATETIME_FORMAT)


class ConsultationForm(NLDesignFormMixin, forms.Form):
    """The settings of a consultation. Once published, only the title, explanation, phase and
    closing time can change; the other fields are shown but disabled."""

    title = forms.CharField(label=_("Title"), max_length=200)
    description = forms.CharField(
        label=_("Explanation for residents"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("What is the vote about, and what happens with the result? Use plain words."),
    )
    kind = forms.ChoiceField(
        label=_("Type"), choices=ConsultationKind.choices, widget=forms.RadioSelect
    )
    phase = forms.ModelChoiceField(
        label=_("Phase"), queryset=None, required=False, empty_label=_("(no phase)")
    )
    verification = forms.ChoiceField(
        label=_("How voters prove who they are"),
        choices=Verification.choices,
        widget=forms.RadioSelect,
        help_text=_(
            "Voting code: every address gets a letter with a code. E-mail: the voter gets a "
            "link that works once. Log in: with DigiD or another log-in of the municipality."
        ),
    )
    opens_at = forms.DateTimeField(
        label=_("Voting opens at"), widget=DateTimeLocalInput(), input_formats=[DATETIME_FORMAT]
    )
    closes_at = forms.DateTimeField(
        label=_("Voting closes at"), widget=DateTimeLocalInput(), input_formats=[DATETIME_FORMAT]
    )
    districts = forms.ModelMultipleChoiceField(
        label=_("Districts whose residents may vote"),
        queryset=None,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Choose none to let residents of all districts vote."),
    )
    allow_changes = forms.BooleanField(
        label=_("Voters may change their vote until voting closes"),
        required=False,
        initial=True,
    )
    ask_demographics = forms.BooleanField(
        label=_("Ask voters their age group and district (never required)"),
        required=False,
        initial=True,
        help_text=_("This shows how well the voters reflect the population."),
    )
    ballot_type = forms.ChoiceField(
        label=_("Ballot type (participatory budget)"),
        choices=BallotType.choices,
        widget=forms.RadioSelect,
        required=False,
    )
    budget = EuroField(label=_("Budget (participatory budget)"), required=False)
    min_choices = forms.IntegerField(
        label=_("Fewest projects a voter chooses"), min_value=0, required=False, initial=0
    )
    max_choices = forms.IntegerField(
        label=_("Most projects a voter chooses"),
        min_value=1,
        required=False,
        help_text=_("Leave empty for no limit."),
    )
    points = forms.IntegerField(
        label=_("Points per voter (points ballot)"), min_value=1, required=False
    )
    rule = forms.ChoiceField(
        label=_("Counting rule"),
        initial="mes-add1",
        help_text=_(
            "mes-add1 is the Method of Equal Shares as on equalshares.net: every voter gets "
            "an equal share of the budget. greedy funds the projects with the most votes "
            "first."
        ),
    )

    def __init__(self, *args, process, consultation: Consultation | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.process = process
        self.fields["phase"].queryset = process.phases.all()
        self.fields["districts"].queryset = District.objects.filter(
            pk__in=[d.pk for d in services.allowed_districts(process)]
        )
        self.fields["rule"].choices = [(name, name) for name in services.rule_names()]
        methods = list(Verification.choices)
        current = consultation.verification if consultation else None
        if not verification.oidc_enabled() and current != Verification.OIDC:
            methods = [(v, label) for v, label in methods if v != Verification.OIDC]
        self.fields["verification"].choices = methods
        self.fields["ballot_type"].choices = list(BallotType.choices)
        if consultation is not None and consultation.status != ConsultationStatus.DRAFT:
            for name, field in self.fields.items():
                if name not in services.FIELDS_WHEN_PUBLISHED:
                    field.disabled = True

    @classmethod
    def initial_for(cls, consultation: Consultation) -> dict:
        data = {name: getattr(consultation, name) for name in services.SETTINGS_FIELDS}
        data["opens_at"] = timezone.localtime(consultation.opens_at)
        data["closes_at"] = timezone.localtime(consultation.closes_at)
        data["districts"] = list(consultation.districts.all())
        return data

    def data_for_service(self) -> dict:
        """The settings to save: the fields that could be changed (not the disabled ones)."""
        return {
            k: v
            for k, v in self.cleaned_data.items()
            if k in services.SETTINGS_FIELDS and not self.fields[k].disabled
        }

    def districts_for_service(self):
        if self.fields["districts"].disabled:
            return None
        return list(self.cleaned_data["districts"])


# --- items ------------------------------------------------------------------------------------


class ProjectForm(NLDesignFormMixin, forms.Form):
    code = forms.CharField(
        label=_("Project id"),
        max_length=64,
        required=False,
        help_text=_("Short and unique, e.g. 1, 2, 3. Empty: the row number."),
        widget=forms.TextInput(attrs={"class": "utrecht-textbox--xs"}),
    )
    title = forms.CharField(label=_("Title"), max_length=300)
    description = forms.CharField(
        label=_("Description"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    cost = EuroField(label=_("Cost (€)"))
    district = forms.ModelChoiceField(label=_("District"), queryset=None, required=False)
    category = forms.CharField(label=_("Category"), max_length=120, required=False)

    def __init__(self, *args, districts=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["district"].queryset = District.objects.filter(pk__in=[d.pk for d in districts])


class BaseProjectFormSet(BaseRowFormSet):
    def __init__(self, *args, districts=(), **kwargs):
        self.districts = list(districts)
        super().__init__(*args, **kwargs)

    def get_form_kwargs(self, index):
        return {**super().get_form_kwargs(index), "districts": self.districts}

    @property
    def empty_form(self):  # pragma: no cover - not rendered (no JavaScript row adding)
        form = self.form(
            auto_id=self.auto_id,
            prefix=self.add_prefix("__prefix__"),
            empty_permitted=True,
            use_required_attribute=False,
            renderer=self.renderer,
            districts=self.districts,
        )
        self.add_fields(form, None)
        return form


ProjectFormSet = forms.formset_factory(
    ProjectForm, formset=BaseProjectFormSet, extra=3, can_delete=True
)


class GapForm(NLDesignFormMixin, forms.Form):
    year = forms.IntegerField(
        label=_("Budget year"),
        min_value=2000,
        max_value=2100,
        widget=forms.NumberInput(attrs={"class": "utrecht-textbox--xs"}),
    )
    amount = EuroField(label=_("Gap to close (€)"))


GapFormSet = forms.formset_factory(GapForm, formset=BaseRowFormSet, extra=2, can_delete=True)


class MeasureForm(NLDesignFormMixin, forms.Form):
    """A simulator measure with one amount per year of the gap (savings positive)."""

    code = forms.CharField(
        label=_("Measure id"),
        max_length=64,
        required=False,
        widget=forms.TextInput(attrs={"class": "utrecht-textbox--xs"}),
    )
    title = forms.CharField(label=_("Title"), max_length=300)
    description = forms.CharField(
        label=_("Description"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args, years=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.years = list(years)
        for year in self.years:
            self.fields[f"amount_{year}"] = EuroField(
                label=_("%(year)s (€)") % {"year": year},
                required=False,
                help_text=_("Saving positive, cost negative."),
            )

    def amounts(self) -> dict[int, object]:
        return {
            year: self.cleaned_data.get(f"amount_{year}")
            for year in self.years
            if self.cleaned_data.get(f"amount_{year}") is not None
        }


class BaseMeasureFormSet(BaseRowFormSet):
    def __init__(self, *args, years=(), **kwargs):
        self.years = list(years)
        super().__init__(*args, **kwargs)

    def get_form_kwargs(self, index):
        return {**super().get_form_kwargs(index), "years": self.years}

    def rows(self) -> list[dict]:
        return [
            {
                "code": form.cleaned_data.get("code"),
                "title": form.cleaned_data.get("title"),
                "description": form.cleaned_data.get("description"),
                "amounts": form.amounts(),
                "proposal": form.initial.get("proposal"),
            }
            for form in self.live_forms()
        ]


MeasureFormSet = forms.formset_factory(
    MeasureForm, formset=BaseMeasureFormSet, extra=2, can_delete=True
)


class PollItemsForm(NLDesignFormMixin, forms.Form):
    proposals = forms.MultipleChoiceField(
        label=_("Proposals residents give their opinion on"),
        widget=forms.CheckboxSelectMultiple,
        help_text=_(
            "A Programme of Requirements can be asked about as a whole or chapter by chapter."
        ),
    )

    def __init__(self, *args, options=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["proposals"].choices = [(value, label) for value, label, _p in options]


class CodesForm(NLDesignFormMixin, forms.Form):
    addresses = forms.FileField(
        label=_("Address list (CSV)"),
        required=False,
        help_text=_(
            "One line per address with the columns adres, postcode and (if some districts "
            "may vote) wijk. Other columns are kept for the mail merge."
        ),
    )
    count = forms.IntegerField(
        label=_("Or: number of codes without addresses"),
        min_value=1,
        max_value=services.MAX_CODES,
        required=False,
    )

    def clean(self):
        data = super().clean()
        if not data.get("addresses") and not data.get("count"):
            raise forms.ValidationError(_("Choose an address list or give a number of codes."))
        if data.get("addresses") and data.get("count"):
            raise forms.ValidationError(_("Choose an address list or a number, not both."))
        return data


# --- verification -----------------------------------------------------------------------------


def _code_field() -> forms.CharField:
    return forms.CharField(
        label=_("Your voting code"),
        max_length=40,
        help_text=_("It is in the letter you received, for example ABCD-EFGH-JKMN."),
        widget=forms.TextInput(
            attrs={
                "autocomplete": "off",
                "autocapitalize": "characters",
                "spellcheck": "false",
                "class": "utrecht-textbox samenspraak-code-input",
            }
        ),
    )


class CodeForm(NLDesignFormMixin, forms.Form):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["code"] = _code_field()


class EmailForm(NLDesignFormMixin, forms.Form):
    email = forms.CharField(
        label=_("Your e-mail address"),
        max_length=254,
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
        help_text=_("We send you a link to vote. We do not keep your e-mail address."),
    )


# --- the ballot -------------------------------------------------------------------------------


def poll_answer_choices() -> list[tuple[str, str]]:
    """The answers of a poll in the voter's words (the model's labels are for staff)."""
    return [
        (PollAnswer.SUPPORT, _("For")),
        (PollAnswer.OPPOSE, _("Against")),
        (PollAnswer.NO_OPINION, _("No opinion")),
    ]


def _item_text(item) -> str:
    """Cost, district and explanation of a project, as the description under its field."""
    parts = []
    if item.cost is not None:
        parts.append(_("Cost: %(cost)s") % {"cost": format_euro_for_language(item.cost)})
    if item.district_id:
        parts.append(str(item.district))
    if item.category:
        parts.append(item.category)
    text = " · ".join(str(p) for p in parts)
    if item.description:
        text = f"{text}. {item.description}" if text else item.description
    return text


class BallotForm(NLDesignFormMixin, forms.Form):
    """One ballot. Item fields are named by the item's database id (``answer_12``,
    ``reason_12``, ``points_12``, ``rank_12``) or grouped (``projects``, ``measures``); the
    template draws them itself so each project shows its cost and explanation."""

    def __init__(
        self,
        *args,
        consultation: Consultation,
        items,
        ask_code: bool,
        district_choices=(),
        district_required: bool = False,
        **kwargs,
    ):
        super().__init__(*args, **kwargs)
        self.consultation = consultation
        self.items = list(items)
        kind = consultation.kind
        if ask_code:
            self.fields["code"] = _code_field()
        codes = [(item.code, item.title) for item in self.items]
        if kind == ConsultationKind.POLL:
            for item in self.items:
                self.fields[f"answer_{item.pk}"] = forms.ChoiceField(
                    label=item.title,
                    choices=poll_answer_choices(),
                    required=False,
                    widget=forms.RadioSelect,
                )
                self.fields[f"reason_{item.pk}"] = forms.CharField(
                    label=_("Why? Your explanation about “%(title)s”") % {"title": item.title},
                    required=False,
                    max_length=2000,
                    widget=forms.Textarea(attrs={"rows": 2}),
                )
        elif kind == ConsultationKind.SIMULATOR:
            self.fields["measures"] = forms.MultipleChoiceField(
                choices=codes, required=False, widget=forms.CheckboxSelectMultiple
            )
            self.fields["confirm_unbalanced"] = forms.BooleanField(
                label=_("I know my package does not close the gap in every year. Send it anyway."),
                required=False,
            )
        elif consultation.ballot_type == BallotType.CUMULATIVE:
            for item in self.items:
                self.fields[f"points_{item.pk}"] = forms.IntegerField(
                    label=item.title,
                    required=False,
                    min_value=0,
                    max_value=10**6,
                    help_text=_item_text(item),
                    widget=forms.NumberInput(
                        attrs={"class": "utrecht-textbox--xs", "data-points": "", "min": 0}
                    ),
                )
        elif consultation.ballot_type == BallotType.ORDINAL:
            places = len(self.items)
            if consultation.max_choices:
                places = min(places, consultation.max_choices)
            for item in self.items:
                self.fields[f"rank_{item.pk}"] = forms.TypedChoiceField(
                    label=item.title,
                    required=False,
                    coerce=int,
                    empty_value=None,
                    choices=[("", "-"), *[(n, str(n)) for n in range(1, places + 1)]],
                    help_text=_item_text(item),
                    widget=forms.Select(attrs={"data-rank": ""}),
                )
        else:
            self.fields["projects"] = forms.MultipleChoiceField(
                choices=codes, required=False, widget=forms.CheckboxSelectMultiple
            )
        if (consultation.ask_demographics or district_required) and district_choices:
            self.fields["district"] = forms.TypedChoiceField(
                label=_("In which district do you live?"),
                choices=[("", _("(I would rather not say)")), *district_choices]
                if not district_required
                else [("", _("Choose your district")), *district_choices],
                coerce=int,
                empty_value=None,
                required=district_required,
                error_messages={
                    "required": _(
                        "Choose the district where you live. Only residents of these "
                        "districts may vote."
                    )
                },
            )
        if consultation.ask_demographics:
            self.fields["age_band"] = forms.ChoiceField(
                label=_("How old are you?"),
                choices=[("", _("(I would rather not say)")), *AgeBand.choices],
                required=False,
            )
        for field in self.fields.values():
            css = WIDGET_CLASSES.get(type(field.widget).__name__.lower())
            if css and css not in field.widget.attrs.get("class", "").split():
                field.widget.attrs["class"] = f"{css} {field.widget.attrs.get('class', '')}".strip()

    def choices(self) -> dict:
        """What the voter chose, keyed by item code, for ``services.ballot_submit``."""
        data = self.cleaned_data
        kind = self.consultation.kind
        result: dict = {}
        if kind == ConsultationKind.POLL:
            for item in self.items:
                answer = data.get(f"answer_{item.pk}") or ""
                reason = data.get(f"reason_{item.pk}") or ""
                if answer or reason:
                    result[item.code] = {"answer": answer, "reason": reason}
        elif kind == ConsultationKind.SIMULATOR:
            result = dict.fromkeys(data.get("measures") or [], True)
        elif self.consultation.ballot_type == BallotType.CUMULATIVE:
            for item in self.items:
                if data.get(f"points_{item.pk}"):
                    result[item.code] = data[f"points_{item.pk}"]
        elif self.consultation.ballot_type == BallotType.ORDINAL:
            for item in self.items:
                if data.get(f"rank_{item.pk}") is not None:
                    result[item.code] = data[f"rank_{item.pk}"]
        else:
            result = dict.fromkeys(data.get("projects") or [], True)
        return result

    def item_field(self, item) -> str:
        """The form field of one item (where its errors go)."""
        kind = self.consultation.kind
        if kind == ConsultationKind.POLL:
            return f"answer_{item.pk}"
        if kind == ConsultationKind.SIMULATOR:
            return "measures"
        if self.consultation.ballot_type == BallotType.CUMULATIVE:
            return f"points_{item.pk}"
        if self.consultation.ballot_type == BallotType.ORDINAL:
            return f"rank_{item.pk}"
        return "projects"

    @staticmethod
    def initial_from(consultation: Consultation, ballot) -> dict:
        """The form's initial values from the voter's stored ballot (to change it)."""
        if ballot is None:
            return {}
        initial: dict = {"age_band": ballot.age_band, "district": ballot.district_id}
        lines = list(ballot.choices.select_related("item"))
        kind = consultation.kind
        if kind == ConsultationKind.POLL:
            for line in lines:
                initial[f"answer_{line.item_id}"] = line.answer
                initial[f"reason_{line.item_id}"] = line.reason
        elif kind == ConsultationKind.SIMULATOR:
            initial["measures"] = [line.item.code for line in lines]
            initial["confirm_unbalanced"] = ballot.closes_gap is False
        elif consultation.ballot_type == BallotType.CUMULATIVE:
            for line in lines:
                initial[f"points_{line.item_id}"] = line.value
        elif consultation.ballot_type == BallotType.ORDINAL:
            for line in lines:
                initial[f"rank_{line.item_id}"] = line.value
        else:
            initial["projects"] = [line.item.code for line in lines]
        return initial
