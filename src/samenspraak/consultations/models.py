"""Consultations: a poll over proposals, a participatory-budget (PB) vote or a budget
simulator, in a phase of a process, open between two moments to the residents of chosen
districts.

Who may vote is verified per consultation (voting code, one-time e-mail link, OpenID Connect).
Every verified person has one ``voter_key`` (a hash; never the code, address or e-mail
itself) and at most one ``Ballot`` per consultation (a unique constraint): changing a ballot
replaces its choices, so exactly one ballot counts. Money is ``Decimal``.
"""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from samenspraak.common.models import BaseModel

MONEY = {"max_digits": 14, "decimal_places": 2}


class ConsultationKind(models.TextChoices):
    POLL = "poll", _("Poll")
    PB = "participatory_budget", _("Participatory budget vote")
    SIMULATOR = "budget_simulator", _("Budget simulator")


class Verification(models.TextChoices):
    CODE = "code", _("Voting code")
    EMAIL = "email", _("E-mail with a one-time link")
    OIDC = "oidc", _("Log in (OpenID Connect, e.g. DigiD)")


class BallotType(models.TextChoices):
    """PB ballot types, as in the Pabulib format (``vote_type``)."""

    APPROVAL = "approval", _("Approval: choose the projects you like")
    KNAPSACK = "knapsack", _("Approval within the budget: choose projects up to the budget")
    CUMULATIVE = "cumulative", _("Points: divide your points over the projects")
    ORDINAL = "ordinal", _("Ranking: put projects in order of preference")


class ConsultationStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    PUBLISHED = "published", _("Published")
    CLOSED = "closed", _("Closed, results published")


class Consultation(BaseModel):
    process = models.ForeignKey(
        "processes.Process",
        verbose_name=_("process"),
        on_delete=models.CASCADE,
        related_name="consultations",
    )
    phase = models.ForeignKey(
        "processes.Phase",
        verbose_name=_("phase"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="consultations",
    )
    title = models.CharField(_("title"), max_length=200)
    slug = models.SlugField(_("web address"), max_length=80, unique=True)
    description = models.TextField(_("explanation"), blank=True)
    kind = models.CharField(_("type"), max_length=24, choices=ConsultationKind.choices)
    verification = models.CharField(
        _("how voters prove who they are"),
        max_length=8,
        choices=Verification.choices,
        default=Verification.CODE,
    )
    districts = models.ManyToManyField(
        "processes.District",
        verbose_name=_("districts whose residents may take part"),
        blank=True,
        related_name="consultations",
        help_text=_("Leave empty for all districts of the process."),
    )
    opens_at = models.DateTimeField(_("opens at"))
    closes_at = models.DateTimeField(_("closes at"))
    status = models.CharField(
        _("status"),
        max_length=12,
        choices=ConsultationStatus.choices,
        default=ConsultationStatus.DRAFT,
    )
    allow_changes = models.BooleanField(
        _("voters may change their ballot until closing"),
        default=True,
        help_text=_(
            "Voting again with the same code, e-mail address or log-in then replaces the "
            "earlier ballot; otherwise a code or address votes only once."
        ),
    )
    ask_demographics = models.BooleanField(
        _("ask optional questions about the voter"),
        default=True,
        help_text=_("Age band and district, for the representativeness analysis; never required."),
    )
    # Participatory budget vote
    ballot_type = models.CharField(
        _("ballot type"), max_length=12, choices=BallotType.choices, blank=True
    )
    budget = models.DecimalField(_("budget"), null=True, blank=True, **MONEY)
    min_choices = models.PositiveSmallIntegerField(_("fewest projects to choose"), default=0)
    max_choices = models.PositiveSmallIntegerField(
        _("most projects to choose"), null=True, blank=True
    )
    points = models.PositiveIntegerField(_("points per voter"), null=True, blank=True)
    rule = models.CharField(
        _("counting rule"),
        max_length=24,
        default="mes-add1",
        help_text=_("The rule that decides the outcome (see docs/methods/pb-rules.md)."),
    )
    pb_meta = models.JSONField(
        _("extra Pabulib META"),
        default=dict,
        blank=True,
        help_text=_("META keys of an imported .pb file that have no field here."),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        ordering = ["-opens_at", "title"]
        verbose_name = _("consultation")
        verbose_name_plural = _("consultations")
        constraints = [
            models.CheckConstraint(
                condition=Q(closes_at__gt=models.F("opens_at")),
                name="consultation_closes_after_it_opens",
            ),
            models.CheckConstraint(
                condition=Q(budget__isnull=True) | Q(budget__gt=0),
                name="consultation_budget_positive",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("consultations:detail", kwargs={"slug": self.slug})

    def is_open(self, now: object = None) -> bool:
        moment = now or timezone.now()
        return (
            self.status == ConsultationStatus.PUBLISHED and self.opens_at <= moment < self.closes_at  # type: ignore[operator]
        )


class Item(models.Model):
    """What voters judge: a proposal (poll), a project with a cost (PB) or a measure with a
    saving or cost per year (simulator). ``code`` is the Pabulib ``project_id``."""

    consultation = models.ForeignKey(
        Consultation, verbose_name=_("consultation"), on_delete=models.CASCADE, related_name="items"
    )
    position = models.PositiveIntegerField(_("order"), default=0)
    code = models.CharField(_("project id"), max_length=64)
    title = models.CharField(_("title"), max_length=300)
    description = models.TextField(_("description"), blank=True)
    proposal = models.ForeignKey(
        "proposals.Proposal",
        verbose_name=_("proposal"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="consultation_items",
    )
    cost = models.DecimalField(
        _("cost"), null=True, blank=True, validators=[MinValueValidator(0)], **MONEY
    )
    district = models.ForeignKey(
        "processes.District",
        verbose_name=_("district"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    category = models.CharField(_("category"), max_length=120, blank=True)
    extra = models.JSONField(_("extra Pabulib columns"), default=dict, blank=True)

    class Meta:
        ordering = ["consultation", "position", "id"]
        verbose_name = _("item")
        verbose_name_plural = _("items")
        constraints = [
            models.UniqueConstraint(
                fields=["consultation", "code"], name="item_code_unique_in_consultation"
            ),
        ]

    def __str__(self) -> str:
        return self.title


class ItemYearAmount(models.Model):
    """A simulator measure's effect in one budget year: savings positive, costs negative."""

    item = models.ForeignKey(
        Item, verbose_name=_("measure"), on_delete=models.CASCADE, related_name="year_amounts"
    )
    year = models.PositiveSmallIntegerField(_("budget year"))
    amount = models.DecimalField(_("amount"), **MONEY)

    class Meta:
        ordering = ["item", "year"]
        constraints = [
            models.UniqueConstraint(fields=["item", "year"], name="item_year_amount_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.year}: {self.amount}"


class SimulatorGap(models.Model):
    """The gap the residents must close in one budget year (a positive amount to find)."""

    consultation = models.ForeignKey(
        Consultation, verbose_name=_("consultation"), on_delete=models.CASCADE, related_name="gaps"
    )
    year = models.PositiveSmallIntegerField(_("budget year"))
    amount = models.DecimalField(_("gap"), validators=[MinValueValidator(0)], **MONEY)

    class Meta:
        ordering = ["consultation", "year"]
        constraints = [
            models.UniqueConstraint(fields=["consultation", "year"], name="simulator_gap_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.year}: {self.amount}"


class VotingCode(models.Model):
    """One voting code (stemcode) per address. Only a hash of the code is stored; the codes
    themselves are shown once, in the export for the mail merge."""

    consultation = models.ForeignKey(
        Consultation,
        verbose_name=_("consultation"),
        on_delete=models.CASCADE,
        related_name="voting_codes",
    )
    code_hash = models.CharField(_("code hash"), max_length=64)
    batch = models.PositiveIntegerField(_("batch"), default=1)
    district = models.ForeignKey(
        "processes.District",
        verbose_name=_("district"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_("The district of the address the code was sent to, from the address list."),
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["consultation", "code_hash"], name="voting_code_unique_in_consultation"
            ),
        ]

    def __str__(self) -> str:
        return f"code {self.code_hash[:8]}…"


class EmailLink(models.Model):
    """A one-time log-in link sent by e-mail: the token is stored as a hash, works once and
    expires. ``email_hash`` identifies the voter across links."""

    consultation = models.ForeignKey(
        Consultation,
        verbose_name=_("consultation"),
        on_delete=models.CASCADE,
        related_name="email_links",
    )
    email_hash = models.CharField(_("e-mail hash"), max_length=64, db_index=True)
    token_hash = models.CharField(_("token hash"), max_length=64, unique=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    expires_at = models.DateTimeField(_("expires at"))
    used_at = models.DateTimeField(_("used at"), null=True, blank=True)

    def __str__(self) -> str:
        return f"link {self.token_hash[:8]}…"


class AgeBand(models.TextChoices):
    UNDER_18 = "0-17", _("Under 18")
    A18_29 = "18-29", _("18 to 29")
    A30_44 = "30-44", _("30 to 44")
    A45_64 = "45-64", _("45 to 64")
    A65_PLUS = "65+", _("65 or older")


class Ballot(models.Model):
    """The one ballot of one verified voter. Changing it replaces its choices and raises
    ``revision``; the unique constraint makes a second ballot impossible, whatever races."""

    consultation = models.ForeignKey(
        Consultation,
        verbose_name=_("consultation"),
        on_delete=models.CASCADE,
        related_name="ballots",
    )
    voter_key = models.CharField(_("voter key"), max_length=80)
    submitted_at = models.DateTimeField(_("first submitted at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("last changed at"), auto_now=True)
    revision = models.PositiveIntegerField(_("revision"), default=1)
    age_band = models.CharField(_("age"), max_length=8, choices=AgeBand.choices, blank=True)
    district = models.ForeignKey(
        "processes.District",
        verbose_name=_("district"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    closes_gap = models.BooleanField(_("closes the gap"), null=True, blank=True)

    class Meta:
        ordering = ["consultation", "id"]
        verbose_name = _("ballot")
        verbose_name_plural = _("ballots")
        constraints = [
            models.UniqueConstraint(
                fields=["consultation", "voter_key"], name="one_ballot_per_voter"
            ),
        ]

    def __str__(self) -> str:
        return f"ballot {self.pk} ({self.voter_key[:12]}…)"


class PollAnswer(models.TextChoices):
    SUPPORT = "support", _("Support")
    OPPOSE = "oppose", _("Oppose")
    NO_OPINION = "no_opinion", _("No opinion")


class Choice(models.Model):
    """One line of a ballot. ``value``: approval and simulator 1; cumulative the points;
    ordinal the rank (1 = most preferred). ``answer`` and ``reason`` for polls."""

    ballot = models.ForeignKey(
        Ballot, verbose_name=_("ballot"), on_delete=models.CASCADE, related_name="choices"
    )
    item = models.ForeignKey(
        Item, verbose_name=_("item"), on_delete=models.CASCADE, related_name="choices"
    )
    value = models.IntegerField(_("value"), default=1)
    answer = models.CharField(_("answer"), max_length=12, choices=PollAnswer.choices, blank=True)
    reason = models.TextField(_("reason"), blank=True, max_length=2000)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["ballot", "item"], name="one_choice_per_item"),
        ]

    def __str__(self) -> str:
        return f"{self.item_id}: {self.answer or self.value}"


class Result(models.Model):
    """The counted outcome of a closed consultation under one rule, stored when it closes
    so results pages and open data read the same numbers."""

    consultation = models.ForeignKey(
        Consultation,
        verbose_name=_("consultation"),
        on_delete=models.CASCADE,
        related_name="results",
    )
    rule = models.CharField(_("rule"), max_length=24)
    selected = models.JSONField(_("funded projects, in order"), default=list)
    total_cost = models.DecimalField(_("total cost"), null=True, blank=True, **MONEY)
    details = models.JSONField(_("details"), default=dict, blank=True)
    computed_at = models.DateTimeField(_("computed at"), auto_now_add=True)

    class Meta:
        ordering = ["consultation", "rule"]
        constraints = [
            models.UniqueConstraint(fields=["consultation", "rule"], name="one_result_per_rule"),
        ]

    def __str__(self) -> str:
        return f"{self.rule}: {len(self.selected)}"
