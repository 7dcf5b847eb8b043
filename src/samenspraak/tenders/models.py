"""Social tenders (maatschappelijke aanbesteding): a tender for a challenge of a process, the
coalitions that bid (led by a lead party, a partner), their bids, the evaluation panel with its
conflict declarations and scores, and the award. The scoring itself is core.scoring's
(docs/methods/tender-scoring.md); tenders/adapters.py turns these rows into its values."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from samenspraak.common.models import BaseModel
from samenspraak.partners.models import Partner
from samenspraak.processes.models import District, Process
from samenspraak.proposals.models import Proposal

MONEY = {"max_digits": 14, "decimal_places": 2}


class TenderStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    PUBLISHED = "published", _("Open for bids")
    AWARDED = "awarded", _("Awarded")


class PriceMethodChoice(models.TextChoices):
    RELATIVE = "relative", _("Relative: 10 x lowest price / price")
    LINEAR = "linear", _("Linear: 10 at the lowest price, 0 at the ceiling")


class Tender(BaseModel):
    process = models.ForeignKey(
        Process, verbose_name=_("process"), on_delete=models.CASCADE, related_name="tenders"
    )
    title = models.CharField(_("title"), max_length=200)
    challenge = models.TextField(_("the challenge"))
    outcomes = models.TextField(
        _("outcomes sought"),
        help_text=_("One outcome per line, with its indicator after a | sign."),
    )
    budget_per_year = models.DecimalField(_("budget per year (€)"), **MONEY)
    budget_maximum = models.DecimalField(
        _("upper limit of the bandwidth per year (€)"), null=True, blank=True, **MONEY
    )
    first_year = models.PositiveSmallIntegerField(_("first year"))
    last_year = models.PositiveSmallIntegerField(_("last year"))
    districts = models.ManyToManyField(
        District, verbose_name=_("districts"), blank=True, related_name="tenders"
    )
    eligibility = models.TextField(_("who may bid"), blank=True)
    residents_on_panel = models.BooleanField(_("residents on the panel"), default=False)
    price_method = models.CharField(
        _("price method"),
        max_length=16,
        choices=PriceMethodChoice.choices,
        default=PriceMethodChoice.RELATIVE,
    )
    price_ceiling = models.DecimalField(_("ceiling price (€)"), null=True, blank=True, **MONEY)
    deadline = models.DateTimeField(_("deadline for bids"))
    status = models.CharField(
        _("status"), max_length=16, choices=TenderStatus.choices, default=TenderStatus.DRAFT
    )
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)
    winner = models.ForeignKey(
        "Bid",
        verbose_name=_("winning bid"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    award_reasoning = models.TextField(_("reasoning"), blank=True)
    awarded_at = models.DateTimeField(_("awarded at"), null=True, blank=True)
    based_on = models.ForeignKey(
        "self",
        verbose_name=_("based on"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="reused_by",
        help_text=_("The earlier tender whose criteria and indicators this one started from."),
    )

    class Meta:
        ordering = ["-deadline", "title"]
        verbose_name = _("tender")
        verbose_name_plural = _("tenders")
        constraints = [
            models.CheckConstraint(
                condition=Q(last_year__gte=models.F("first_year")), name="tender_years_in_order"
            )
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def is_open(self) -> bool:
        return self.status == TenderStatus.PUBLISHED and timezone.now() <= self.deadline

    def outcome_rows(self) -> list[tuple[str, str]]:
        rows = []
        for line in self.outcomes.splitlines():
            if line.strip():
                outcome, _sep, indicator = line.partition("|")
                rows.append((outcome.strip(), indicator.strip()))
        return rows


class CriterionKind(models.TextChoices):
    QUALITY = "quality", _("Quality")
    PRICE = "price", _("Price")


class TenderCriterion(models.Model):
    tender = models.ForeignKey(
        Tender, verbose_name=_("tender"), on_delete=models.CASCADE, related_name="criteria"
    )
    position = models.PositiveSmallIntegerField(_("order"), default=0)
    name = models.CharField(_("name"), max_length=120)
    weight = models.DecimalField(_("weight"), max_digits=5, decimal_places=2)
    kind = models.CharField(_("type"), max_length=8, choices=CriterionKind.choices)

    class Meta:
        ordering = ["tender", "position"]
        constraints = [
            models.UniqueConstraint(fields=["tender", "name"], name="tender_criterion_unique")
        ]
        verbose_name = _("criterion")
        verbose_name_plural = _("criteria")

    def __str__(self) -> str:
        return self.name


class Coalition(BaseModel):
    """A group of partners and residents around a challenge, led by a lead party (penvoerder).

    ``tender`` is empty for a coalition that formed on its own (right to challenge); then
    ``process`` and ``challenge`` say what it is about."""

    name = models.CharField(_("name of the coalition"), max_length=200)
    lead = models.ForeignKey(
        Partner, verbose_name=_("lead party"), on_delete=models.PROTECT, related_name="coalitions"
    )
    tender = models.ForeignKey(
        Tender,
        verbose_name=_("tender"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="coalitions",
    )
    process = models.ForeignKey(
        Process,
        verbose_name=_("process"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="coalitions",
    )
    challenge = models.TextField(_("our challenge"), blank=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("coalition")
        verbose_name_plural = _("coalitions")

    def __str__(self) -> str:
        return self.name


class ContributionKind(models.TextChoices):
    MONEY = "money", _("Money (€)")
    HOURS = "hours", _("Hours")
    IN_KIND = "in_kind", _("In kind")


class MemberStatus(models.TextChoices):
    INVITED = "invited", _("Invited")
    ACCEPTED = "accepted", _("Joined")
    DECLINED = "declined", _("Declined")


class CoalitionMember(models.Model):
    """A partner or a resident (by name and e-mail) in a coalition, with role and contribution.

    The lead party invites a member; only an accepted member counts (bid, network, agreement).
    A resident answers through a one-time link; only the hash of its token is stored."""

    coalition = models.ForeignKey(
        Coalition, verbose_name=_("coalition"), on_delete=models.CASCADE, related_name="members"
    )
    partner = models.ForeignKey(
        Partner,
        verbose_name=_("partner"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="memberships",
    )
    person_name = models.CharField(_("name of the resident"), max_length=150, blank=True)
    email = models.EmailField(_("e-mail address"), blank=True)
    role = models.CharField(_("role"), max_length=200)
    contribution_kind = models.CharField(
        _("kind of contribution"), max_length=8, choices=ContributionKind.choices
    )
    contribution_amount = models.DecimalField(
        _("amount"), null=True, blank=True, max_digits=14, decimal_places=2
    )
    contribution_note = models.CharField(_("what you contribute"), max_length=300, blank=True)
    status = models.CharField(
        _("status"), max_length=8, choices=MemberStatus.choices, default=MemberStatus.ACCEPTED
    )
    token_hash = models.CharField(max_length=64, blank=True, editable=False, db_index=True)
    token_expires = models.DateTimeField(null=True, blank=True, editable=False)
    responded_at = models.DateTimeField(null=True, blank=True, editable=False)

    class Meta:
        ordering = ["coalition", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(partner__isnull=False) | ~Q(person_name=""),
                name="coalition_member_partner_or_person",
            ),
            models.UniqueConstraint(
                fields=["coalition", "partner"], name="coalition_member_partner_once"
            ),
        ]
        verbose_name = _("coalition member")
        verbose_name_plural = _("coalition members")

    def __str__(self) -> str:
        return str(self.partner) if self.partner_id else self.person_name


class BidStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Submitted")


class Bid(BaseModel):
    tender = models.ForeignKey(
        Tender, verbose_name=_("tender"), on_delete=models.CASCADE, related_name="bids"
    )
    coalition = models.ForeignKey(
        Coalition, verbose_name=_("coalition"), on_delete=models.CASCADE, related_name="bids"
    )
    plan = models.TextField(_("plan: how the solutions work together"))
    proposals = models.ManyToManyField(
        Proposal, verbose_name=_("proposals this plan builds on"), blank=True, related_name="+"
    )
    price = models.DecimalField(_("total price (€)"), **MONEY)
    committed_outcomes = models.TextField(_("outcomes we commit to"))
    resident_involvement = models.TextField(_("how residents take part"))
    status = models.CharField(
        _("status"), max_length=16, choices=BidStatus.choices, default=BidStatus.DRAFT
    )
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)

    class Meta:
        ordering = ["tender", "id"]
        constraints = [
            models.UniqueConstraint(fields=["tender", "coalition"], name="bid_one_per_coalition"),
            models.CheckConstraint(condition=Q(price__gt=0), name="bid_price_positive"),
        ]
        verbose_name = _("bid")
        verbose_name_plural = _("bids")

    def __str__(self) -> str:
        return str(self.coalition)

    @property
    def key(self) -> str:
        """The bid's id for core.scoring (also its tie-break order)."""
        return f"B{self.pk:05d}"


class BidYear(models.Model):
    bid = models.ForeignKey(
        Bid, verbose_name=_("bid"), on_delete=models.CASCADE, related_name="years"
    )
    year = models.PositiveSmallIntegerField(_("year"))
    amount = models.DecimalField(_("amount (€)"), **MONEY)

    class Meta:
        ordering = ["bid", "year"]
        constraints = [models.UniqueConstraint(fields=["bid", "year"], name="bid_year_once")]

    def __str__(self) -> str:
        return f"{self.year}: {self.amount}"


class PanelMember(models.Model):
    tender = models.ForeignKey(
        Tender, verbose_name=_("tender"), on_delete=models.CASCADE, related_name="panel"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("panel member"),
        on_delete=models.PROTECT,
        related_name="tender_panels",
    )

    class Meta:
        ordering = ["tender", "id"]
        constraints = [models.UniqueConstraint(fields=["tender", "user"], name="panel_member_once")]

    def __str__(self) -> str:
        return str(self.user)


class ConflictDeclaration(models.Model):
    """A panel member's declaration for one bid: a conflict of interest or none."""

    member = models.ForeignKey(PanelMember, on_delete=models.CASCADE, related_name="declarations")
    bid = models.ForeignKey(Bid, on_delete=models.CASCADE, related_name="declarations")
    has_conflict = models.BooleanField(_("I have a conflict of interest"))
    note = models.CharField(_("explanation"), max_length=300, blank=True)
    declared_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["member", "bid"], name="declaration_once")]

    def __str__(self) -> str:
        return f"{self.member} / {self.bid}: {self.has_conflict}"


class Score(models.Model):
    member = models.ForeignKey(PanelMember, on_delete=models.CASCADE, related_name="scores")
    bid = models.ForeignKey(Bid, on_delete=models.CASCADE, related_name="scores")
    criterion = models.ForeignKey(TenderCriterion, on_delete=models.CASCADE, related_name="+")
    score = models.DecimalField(_("score"), max_digits=4, decimal_places=1)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["member", "bid", "criterion"], name="score_once"),
            models.CheckConstraint(
                condition=Q(score__gte=0) & Q(score__lte=10), name="score_0_to_10"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.member} / {self.bid} / {self.criterion}: {self.score}"


# --- agreements and monitoring (issue 6, point 6) ----------------------------------------


class Direction(models.TextChoices):
    HIGHER = "higher", _("Higher is better")
    LOWER = "lower", _("Lower is better")


class Frequency(models.TextChoices):
    QUARTERLY = "quarterly", _("Every quarter")
    HALF_YEARLY = "half_yearly", _("Every half year")
    YEARLY = "yearly", _("Every year")


class Agreement(BaseModel):
    """The implementation agreement (uitvoeringsovereenkomst) of an awarded tender with the
    winning coalition: its period and the outcome indicators that are monitored."""

    tender = models.OneToOneField(
        Tender, verbose_name=_("tender"), on_delete=models.CASCADE, related_name="agreement"
    )
    bid = models.ForeignKey(
        Bid, verbose_name=_("winning bid"), on_delete=models.RESTRICT, related_name="+"
    )
    start_date = models.DateField(_("start date"))
    end_date = models.DateField(_("end date"))
    commitments = models.TextField(_("what the coalition commits to"), blank=True)
    late_after_days = models.PositiveSmallIntegerField(
        _("a report is late after (days)"), default=30
    )
    lag_tolerance = models.DecimalField(
        _("tolerance for lagging (percent of the distance)"),
        max_digits=5,
        decimal_places=2,
        default=10,
    )

    class Meta:
        verbose_name = _("agreement")
        verbose_name_plural = _("agreements")
        constraints = [
            models.CheckConstraint(
                condition=Q(end_date__gte=models.F("start_date")), name="agreement_dates_in_order"
            )
        ]

    def __str__(self) -> str:
        return str(self.tender)

    @property
    def coalition(self) -> Coalition:
        return self.bid.coalition


class Indicator(models.Model):
    agreement = models.ForeignKey(
        Agreement, verbose_name=_("agreement"), on_delete=models.CASCADE, related_name="indicators"
    )
    position = models.PositiveSmallIntegerField(_("order"), default=0)
    name = models.CharField(_("indicator"), max_length=200)
    unit = models.CharField(_("unit"), max_length=60)
    baseline = models.DecimalField(_("baseline"), max_digits=14, decimal_places=2)
    direction = models.CharField(
        _("direction"), max_length=8, choices=Direction.choices, default=Direction.HIGHER
    )
    frequency = models.CharField(
        _("reporting frequency"),
        max_length=12,
        choices=Frequency.choices,
        default=Frequency.QUARTERLY,
    )
    responsible = models.ForeignKey(
        Partner,
        verbose_name=_("responsible partner"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("Leave empty for a district figure that the municipality reports."),
    )

    class Meta:
        ordering = ["agreement", "position", "id"]
        constraints = [
            models.UniqueConstraint(fields=["agreement", "name"], name="indicator_name_once")
        ]
        verbose_name = _("indicator")
        verbose_name_plural = _("indicators")

    def __str__(self) -> str:
        return self.name

    @property
    def is_district(self) -> bool:
        return self.responsible_id is None


class IndicatorTarget(models.Model):
    indicator = models.ForeignKey(Indicator, on_delete=models.CASCADE, related_name="targets")
    year = models.PositiveSmallIntegerField(_("year"))
    value = models.DecimalField(_("target"), max_digits=14, decimal_places=2)

    class Meta:
        ordering = ["indicator", "year"]
        constraints = [
            models.UniqueConstraint(fields=["indicator", "year"], name="indicator_target_once")
        ]

    def __str__(self) -> str:
        return f"{self.year}: {self.value}"


class IndicatorReport(models.Model):
    """One measurement of an indicator for one reporting period (identified by its start)."""

    indicator = models.ForeignKey(Indicator, on_delete=models.CASCADE, related_name="reports")
    period_start = models.DateField(_("period"))
    value = models.DecimalField(_("value"), max_digits=14, decimal_places=2)
    note = models.CharField(_("note"), max_length=500, blank=True)
    reported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    reported_at = models.DateTimeField(_("reported at"), default=timezone.now)

    class Meta:
        ordering = ["indicator", "period_start"]
        constraints = [
            models.UniqueConstraint(
                fields=["indicator", "period_start"], name="indicator_report_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.indicator} {self.period_start}: {self.value}"
