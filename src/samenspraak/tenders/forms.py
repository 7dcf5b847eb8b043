"""Forms for tenders, coalitions, bids and the evaluation: parse and show errors per field;
the services write."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

from django import forms
from django.contrib.auth import get_user_model
from django.utils.translation import gettext_lazy as _

from samenspraak.accounts.models import Role
from samenspraak.common.forms import EuroField, NLDesignFormMixin
from samenspraak.partners.models import Partner
from samenspraak.processes.models import District, Process
from samenspraak.proposals.models import Proposal
from samenspraak.tenders.models import (
    ContributionKind,
    CriterionKind,
    Direction,
    Frequency,
    MemberStatus,
    PriceMethodChoice,
    Tender,
    TenderStatus,
)


class TenderForm(NLDesignFormMixin, forms.Form):
    process = forms.ModelChoiceField(label=_("Process"), queryset=Process.objects.order_by("title"))
    title = forms.CharField(label=_("Title"), max_length=200)
    challenge = forms.CharField(label=_("The challenge"), widget=forms.Textarea(attrs={"rows": 4}))
    outcomes = forms.CharField(
        label=_("Outcomes sought"),
        help_text=_("One outcome per line, with its indicator after a | sign."),
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    budget_per_year = EuroField(label=_("Budget per year (€)"))
    budget_maximum = EuroField(
        label=_("Upper limit of the bandwidth per year (€)"),
        required=False,
        help_text=_("Only for a bandwidth: then the budget above is the lower limit."),
    )
    first_year = forms.IntegerField(label=_("First year"), min_value=2000, max_value=2100)
    last_year = forms.IntegerField(label=_("Last year"), min_value=2000, max_value=2100)
    districts = forms.ModelMultipleChoiceField(
        label=_("Districts"),
        queryset=District.objects.select_related("municipality").order_by(
            "municipality__name", "name"
        ),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    eligibility = forms.CharField(
        label=_("Who may bid"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    criteria = forms.CharField(
        label=_("Quality criteria"),
        help_text=_("One criterion per line: the name, a colon and its weight. Example: Plan: 40"),
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    price_weight = forms.DecimalField(
        label=_("Weight of the price"),
        min_value=0,
        max_digits=5,
        decimal_places=2,
        help_text=_("0 for no price criterion. All weights together make 100."),
    )
    price_method = forms.ChoiceField(label=_("Price method"), choices=PriceMethodChoice.choices)
    price_ceiling = EuroField(label=_("Ceiling price (€)"), required=False)
    residents_on_panel = forms.BooleanField(label=_("Residents on the panel"), required=False)
    deadline = forms.DateTimeField(
        label=_("Deadline for bids"),
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
    )

    based_on = forms.ModelChoiceField(
        queryset=Tender.objects.none(), required=False, widget=forms.HiddenInput
    )

    def __init__(self, *args, earlier=None, **kwargs):
        """``earlier``: the tenders this user may start from (selectors.tenders_for)."""
        super().__init__(*args, **kwargs)
        self.fields["districts"].label_from_instance = lambda d: f"{d.name} ({d.municipality})"
        if earlier is not None:
            self.fields["based_on"].queryset = earlier

    def clean_criteria(self) -> list[tuple[str, Decimal, str]]:
        rows = []
        for number, line in enumerate(self.cleaned_data["criteria"].splitlines(), start=1):
            if not line.strip():
                continue
            name, sep, weight = line.rpartition(":")
            try:
                value = Decimal(weight.strip().replace(",", "."))
            except InvalidOperation:
                value = None
            if not sep or not name.strip() or value is None:
                raise forms.ValidationError(
                    _("Line %(line)s: write the name, a colon and the weight, like Plan: 40.")
                    % {"line": number}
                )
            rows.append((name.strip(), value, CriterionKind.QUALITY.value))
        return rows

    def criteria_rows(self) -> list[tuple[str, Decimal, str]]:
        rows = list(self.cleaned_data["criteria"])
        if self.cleaned_data["price_weight"]:
            # Started from an earlier tender: its price criterion keeps its name.
            source = self.cleaned_data.get("based_on")
            earlier = source.criteria.filter(kind=CriterionKind.PRICE).first() if source else None
            name = earlier.name if earlier is not None else str(_("Price"))
            rows.append((name, self.cleaned_data["price_weight"], CriterionKind.PRICE.value))
        return rows


class ReuseForm(NLDesignFormMixin, forms.Form):
    """Step one of a new tender (a GET form, works without JS): start from an earlier one."""

    van = forms.ModelChoiceField(
        label=_("Start from an earlier tender"),
        queryset=Tender.objects.none(),
        required=False,
        empty_label=_("No, start empty"),
        help_text=_(
            "We copy its criteria and weights, price method, outcomes and indicators, and who may"
            " bid. You fill in the title, challenge, budget, districts, period and deadline."
        ),
    )

    def __init__(self, *args, earlier, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["van"].queryset = earlier


class PanelForm(NLDesignFormMixin, forms.Form):
    user = forms.ModelChoiceField(label=_("Panel member"), queryset=get_user_model().objects.none())

    def __init__(self, *args, tender: Tender, **kwargs):
        super().__init__(*args, **kwargs)
        roles = [Role.STAFF, Role.ADMIN] + ([Role.RESIDENT] if tender.residents_on_panel else [])
        self.fields["user"].queryset = (
            get_user_model()
            .objects.filter(role__in=roles, is_active=True)
            .exclude(tender_panels__tender=tender)
            .order_by("full_name")
        )


class CoalitionForm(NLDesignFormMixin, forms.Form):
    name = forms.CharField(label=_("Name of the coalition"), max_length=200)
    lead = forms.ModelChoiceField(label=_("Lead party"), queryset=Partner.objects.all())
    tender = forms.ModelChoiceField(
        label=_("Tender"),
        queryset=Tender.objects.filter(status=TenderStatus.PUBLISHED),
        required=False,
        help_text=_("Leave empty if you take up a challenge yourself (right to challenge)."),
    )
    process = forms.ModelChoiceField(
        label=_("Process"),
        queryset=Process.objects.order_by("title"),
        required=False,
        help_text=_("Only without a tender: the process your challenge belongs to."),
    )
    challenge = forms.CharField(
        label=_("Our challenge"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Only without a tender: what do you want to take up?"),
    )

    def __init__(self, *args, lead: Partner | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        if lead is not None:
            # A partner leads its own coalition.
            del self.fields["lead"]


class MemberForm(NLDesignFormMixin, forms.Form):
    partner = forms.ModelChoiceField(
        label=_("Partner"),
        queryset=Partner.objects.none(),
        required=False,
        help_text=_("Choose a partner, or fill in the name of a resident below."),
    )
    person_name = forms.CharField(label=_("Name of the resident"), max_length=150, required=False)
    email = forms.EmailField(
        label=_("E-mail address of the resident"),
        required=False,
        help_text=_(
            "We send the resident a link to say yes or no. "
            "Without an e-mail address, you add the resident yourself."
        ),
    )
    role = forms.CharField(label=_("Role in the coalition"), max_length=200)
    contribution_kind = forms.ChoiceField(
        label=_("Kind of contribution"), choices=ContributionKind.choices
    )
    contribution_amount = forms.DecimalField(
        label=_("Amount (euros or hours)"), required=False, min_value=0, decimal_places=2
    )
    contribution_note = forms.CharField(
        label=_("What they contribute"), max_length=300, required=False
    )

    def __init__(self, *args, municipality=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["partner"].queryset = Partner.objects.filter(municipality=municipality)


class BidForm(NLDesignFormMixin, forms.Form):
    plan = forms.CharField(
        label=_("Your plan"),
        help_text=_("Which solutions do you offer, and how do they work together?"),
        widget=forms.Textarea(attrs={"rows": 6}),
    )
    proposals = forms.ModelMultipleChoiceField(
        label=_("Proposals from this process that your plan builds on"),
        queryset=Proposal.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    price = EuroField(label=_("Total price (€)"), help_text=_("The total for all years."))
    committed_outcomes = forms.CharField(
        label=_("Outcomes you commit to"), widget=forms.Textarea(attrs={"rows": 3})
    )
    resident_involvement = forms.CharField(
        label=_("How residents take part"), widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(self, *args, tender: Tender, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["proposals"].queryset = Proposal.objects.filter(process=tender.process_id)
        self.years = list(range(tender.first_year, tender.last_year + 1))
        for year in self.years:
            self.fields[f"year_{year}"] = EuroField(
                label=_("Budget %(year)s (€)") % {"year": year}, required=False
            )
        for year in self.years:
            self.fields[f"year_{year}"].widget.attrs.setdefault("class", "utrecht-textbox")

    def year_amounts(self) -> dict[int, Decimal]:
        return {
            year: self.cleaned_data[f"year_{year}"]
            for year in self.years
            if self.cleaned_data.get(f"year_{year}") is not None
        }


class DeclareForm(NLDesignFormMixin, forms.Form):
    has_conflict = forms.TypedChoiceField(
        label=_("Do you have a conflict of interest with this bid?"),
        choices=[("no", _("No")), ("yes", _("Yes"))],
        coerce=lambda v: v == "yes",
        widget=forms.RadioSelect,
        help_text=_("For example: you work for, or are family of, someone in the coalition."),
    )
    note = forms.CharField(label=_("Explanation"), max_length=300, required=False)


class ScoreForm(NLDesignFormMixin, forms.Form):
    def __init__(self, *args, criteria, **kwargs):
        super().__init__(*args, **kwargs)
        for criterion in criteria:
            self.fields[f"c{criterion.pk}"] = forms.DecimalField(
                label=_("%(name)s (0 to 10)") % {"name": criterion.name},
                min_value=0,
                max_value=10,
                decimal_places=1,
            )
        self.criteria = list(criteria)

    def values(self) -> dict[int, Decimal]:
        return {c.pk: self.cleaned_data[f"c{c.pk}"] for c in self.criteria}


class AwardForm(NLDesignFormMixin, forms.Form):
    bid = forms.ChoiceField(label=_("Winning bid"), widget=forms.RadioSelect)
    reasoning = forms.CharField(
        label=_("Reasoning"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Required when you do not choose the top-ranked bid. It is published."),
    )

    def __init__(self, *args, bids, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["bid"].choices = [(str(b.pk), str(b)) for b in bids]


# --- agreements and monitoring -----------------------------------------------------------


class AgreementForm(NLDesignFormMixin, forms.Form):
    start_date = forms.DateField(
        label=_("Start date"), widget=forms.DateInput(attrs={"type": "date"})
    )
    end_date = forms.DateField(label=_("End date"), widget=forms.DateInput(attrs={"type": "date"}))
    commitments = forms.CharField(
        label=_("What the coalition commits to"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    late_after_days = forms.IntegerField(
        label=_("A report is late after (days)"),
        min_value=0,
        max_value=365,
        initial=30,
        help_text=_("Days after the end of a period without a report."),
    )
    lag_tolerance = forms.DecimalField(
        label=_("Tolerance for lagging (%)"),
        min_value=0,
        max_value=100,
        decimal_places=2,
        initial=10,
        localize=True,
        help_text=_("How far a value may be behind the line, as a share of the whole way."),
    )


class IndicatorForm(NLDesignFormMixin, forms.Form):
    name = forms.CharField(label=_("Indicator"), max_length=200)
    unit = forms.CharField(
        label=_("Unit"), max_length=60, help_text=_("For example: residents, hours, euro.")
    )
    baseline = forms.DecimalField(
        label=_("Baseline"), max_digits=14, decimal_places=2, localize=True
    )
    direction = forms.ChoiceField(label=_("Direction"), choices=Direction.choices)
    frequency = forms.ChoiceField(label=_("Reporting frequency"), choices=Frequency.choices)
    responsible = forms.ModelChoiceField(
        label=_("Responsible partner"),
        queryset=Partner.objects.none(),
        required=False,
        empty_label=_("None: a district figure that the municipality reports"),
    )

    def __init__(self, *args, agreement, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["responsible"].queryset = Partner.objects.filter(
            memberships__coalition=agreement.bid.coalition,
            memberships__status=MemberStatus.ACCEPTED,
        ).order_by("name")
        self.years = list(range(agreement.start_date.year, agreement.end_date.year + 1))
        for year in self.years:
            self.fields[f"target_{year}"] = forms.DecimalField(
                label=_("Target at the end of %(year)s") % {"year": year},
                max_digits=14,
                decimal_places=2,
                localize=True,
                required=False,
            )

    def targets(self) -> dict[int, Decimal]:
        return {
            year: self.cleaned_data[f"target_{year}"]
            for year in self.years
            if self.cleaned_data.get(f"target_{year}") is not None
        }


class ReportForm(NLDesignFormMixin, forms.Form):
    period = forms.ChoiceField(label=_("Reporting period"))
    value = forms.DecimalField(label=_("Value"), max_digits=14, decimal_places=2, localize=True)
    note = forms.CharField(
        label=_("Note (optional)"),
        max_length=500,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def __init__(self, *args, periods, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["period"].choices = [(p.start.isoformat(), p.label) for p in periods]
