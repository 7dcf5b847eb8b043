"""Proposals and Programmes of Requirements (PvE), with their versions, amendments, comments
and the checks against the council's frameworks.

A proposal belongs to a process. It is a measure (with a financial effect per budget year) or a
Programme of Requirements (requirements grouped by aspect). Every content edit writes a
``ProposalVersion`` with a snapshot of all content, so any two versions can be compared and a
``FrameworkCheck`` always names the version it checked. Money is ``Decimal``: savings positive,
costs negative.
"""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from samenspraak.common.models import BaseModel

MONEY = {"max_digits": 14, "decimal_places": 2}

# A BBV taakveld code: "6.1", "0.10", "6.711", or a main area "8". A string, because
# "0.10" is not "0.1" (../shared/docs/DOMAIN.md, 2.1).
budget_area_validator = RegexValidator(
    r"^\d{1,2}(\.\d{1,3})?$",
    _("Write a BBV budget area (taakveld) code, for example 6.1 or 8.2."),
)


class ProposalKind(models.TextChoices):
    MEASURE = "measure", _("Measure")
    PROGRAMME = "programme_of_requirements", _("Programme of Requirements")


class ProposalStatus(models.TextChoices):
    """The life of a proposal, in order. ``TRANSITIONS`` says which step may follow which."""

    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Submitted")
    CHECKED = "checked", _("Checked against the frameworks")
    IN_CONSULTATION = "in_consultation", _("In consultation")
    TO_COUNCIL = "to_council", _("With the council")
    ADOPTED = "adopted", _("Adopted")
    AMENDED = "amended", _("Adopted with amendments")
    REJECTED = "rejected", _("Rejected")
    WITHDRAWN = "withdrawn", _("Withdrawn")


S = ProposalStatus
TRANSITIONS: dict[str, tuple[str, ...]] = {
    S.DRAFT: (S.SUBMITTED, S.WITHDRAWN),
    S.SUBMITTED: (S.CHECKED, S.DRAFT, S.WITHDRAWN),
    S.CHECKED: (S.IN_CONSULTATION, S.TO_COUNCIL, S.DRAFT, S.WITHDRAWN),
    S.IN_CONSULTATION: (S.TO_COUNCIL, S.DRAFT, S.WITHDRAWN),
    S.TO_COUNCIL: (S.ADOPTED, S.AMENDED, S.REJECTED),
    S.ADOPTED: (),
    S.AMENDED: (),
    S.REJECTED: (),
    S.WITHDRAWN: (),
}
# Content can change only while the authors still hold the pen.
EDITABLE_STATUSES = frozenset({S.DRAFT, S.SUBMITTED})
# The public (residents, anonymous) reads a proposal once it is put to them.
PUBLIC_STATUSES = frozenset({S.IN_CONSULTATION, S.TO_COUNCIL, S.ADOPTED, S.AMENDED, S.REJECTED})
# The council and its clerk read everything that has left the authors' desk.
COUNCIL_STATUSES = PUBLIC_STATUSES | {S.SUBMITTED, S.CHECKED, S.WITHDRAWN}
# Moving to these runs the framework check first; a failed check needs a staff override.
GATED_STATUSES = frozenset({S.IN_CONSULTATION, S.TO_COUNCIL})
FINAL_STATUSES = frozenset({S.ADOPTED, S.AMENDED, S.REJECTED, S.WITHDRAWN})


class AuthorKind(models.TextChoices):
    COMMITTEE = "committee", _("A committee or lead group")
    PARTNER = "partner", _("A partner organisation")
    RESIDENT = "resident", _("A resident")


class ProposalSettings(models.Model):
    """What the process owner allows for proposals in one process.

    Committees and partners may always propose; whether any resident may is the process
    owner's choice (the issue's "where the process allows"), so it lives with the proposals.
    """

    process = models.OneToOneField(
        "processes.Process",
        verbose_name=_("process"),
        on_delete=models.CASCADE,
        related_name="proposal_settings",
    )
    residents_may_propose = models.BooleanField(
        _("residents may write proposals"),
        default=False,
        help_text=_("Any logged-in resident may then start a proposal in this process."),
    )

    class Meta:
        verbose_name = _("proposal settings")
        verbose_name_plural = _("proposal settings")

    def __str__(self) -> str:
        return str(self.process)


class Proposal(BaseModel):
    process = models.ForeignKey(
        "processes.Process",
        verbose_name=_("process"),
        on_delete=models.CASCADE,
        related_name="proposals",
    )
    kind = models.CharField(
        _("kind"), max_length=32, choices=ProposalKind.choices, default=ProposalKind.MEASURE
    )
    title = models.CharField(_("title"), max_length=200)
    slug = models.SlugField(_("web address"), max_length=90, unique=True)
    summary = models.TextField(_("summary"), max_length=1000)
    body = models.TextField(_("full text"), blank=True)
    theme = models.ForeignKey(
        "processes.Theme",
        verbose_name=_("theme"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="proposals",
    )
    budget_area = models.CharField(
        _("budget area (taakveld)"),
        max_length=10,
        blank=True,
        validators=[budget_area_validator],
        help_text=_("BBV taakveld code, for example 6.1."),
    )
    districts = models.ManyToManyField(
        "processes.District", verbose_name=_("districts"), blank=True, related_name="proposals"
    )
    aspects = models.JSONField(
        _("aspects addressed"),
        default=list,
        blank=True,
        help_text=_("The aspects of the frameworks this proposal covers."),
    )
    target_groups = models.TextField(_("target groups"), blank=True)
    expected_reach = models.PositiveIntegerField(
        _("expected reach (people)"), null=True, blank=True
    )
    risks = models.TextField(_("risks"), blank=True)
    status = models.CharField(
        _("status"), max_length=20, choices=ProposalStatus.choices, default=ProposalStatus.DRAFT
    )
    author_kind = models.CharField(
        _("written by"), max_length=16, choices=AuthorKind.choices, default=AuthorKind.COMMITTEE
    )
    author_committee = models.ForeignKey(
        "committees.Committee",
        verbose_name=_("committee"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="proposals",
    )
    author_organisation = models.CharField(_("partner organisation"), max_length=150, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="proposals_created",
    )
    current_version = models.ForeignKey(
        "ProposalVersion",
        verbose_name=_("current version"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    # For the budget page (core.budget): set by staff, support later by a consultation.
    support = models.DecimalField(
        _("measured support"),
        max_digits=5,
        decimal_places=4,
        null=True,
        blank=True,
        validators=[MinValueValidator(0), MaxValueValidator(1)],
        help_text=_("Share of the population that backs the proposal, from 0 to 1."),
    )
    impact_score = models.DecimalField(
        _("impact score"),
        max_digits=8,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(0)],
        help_text=_("How much harm the measure does, as staff assess it (higher is worse)."),
    )
    people_affected = models.PositiveIntegerField(_("people affected"), null=True, blank=True)
    exclusive_group = models.CharField(
        _("exclusive group"),
        max_length=80,
        blank=True,
        help_text=_("Proposals in the same group exclude each other: at most one is chosen."),
    )

    class Meta:
        ordering = ["process", "title"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(author_kind="committee") | Q(author_committee__isnull=False),
                name="proposal_committee_author_has_committee",
            ),
            models.CheckConstraint(
                condition=~Q(author_kind="partner") | ~Q(author_organisation=""),
                name="proposal_partner_author_has_organisation",
            ),
            models.CheckConstraint(
                condition=Q(support__isnull=True) | (Q(support__gte=0) & Q(support__lte=1)),
                name="proposal_support_is_a_share",
            ),
        ]
        verbose_name = _("proposal")
        verbose_name_plural = _("proposals")

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("proposals:detail", kwargs={"slug": self.slug})

    @property
    def is_programme(self) -> bool:
        return self.kind == ProposalKind.PROGRAMME

    @property
    def is_editable(self) -> bool:
        return self.status in EDITABLE_STATUSES

    @property
    def is_final(self) -> bool:
        return self.status in FINAL_STATUSES

    @property
    def allowed_transitions(self) -> tuple[str, ...]:
        return TRANSITIONS.get(self.status, ())

    @property
    def author_label(self) -> str:
        if self.author_kind == AuthorKind.COMMITTEE and self.author_committee_id:
            return str(self.author_committee)
        if self.author_kind == AuthorKind.PARTNER:
            return self.author_organisation
        return str(self.created_by) if self.created_by else str(_("a resident"))


class FinancialEffect(models.Model):
    """The effect of a proposal on one budget year: savings positive, costs negative."""

    proposal = models.ForeignKey(
        Proposal, verbose_name=_("proposal"), on_delete=models.CASCADE, related_name="effects"
    )
    year = models.PositiveSmallIntegerField(
        _("budget year"), validators=[MinValueValidator(2000), MaxValueValidator(2100)]
    )
    structural = models.DecimalField(_("structural (€)"), default=0, **MONEY)
    incidental = models.DecimalField(_("incidental (€)"), default=0, **MONEY)

    class Meta:
        ordering = ["proposal", "year"]
        constraints = [
            models.UniqueConstraint(fields=["proposal", "year"], name="effect_unique_year")
        ]
        verbose_name = _("financial effect")
        verbose_name_plural = _("financial effects")

    def __str__(self) -> str:
        return f"{self.proposal} {self.year}"

    @property
    def total(self):
        return self.structural + self.incidental


class Priority(models.TextChoices):
    """MoSCoW without the won't: what the plan must, should or could do."""

    MUST = "must", _("Must")
    SHOULD = "should", _("Should")
    COULD = "could", _("Could")


class NormOperator(models.TextChoices):
    AT_LEAST = "at_least", _("at least")
    AT_MOST = "at_most", _("at most")
    EXACTLY = "exactly", _("exactly")


class Requirement(models.Model):
    """One requirement of a Programme of Requirements, with an optional measurable norm
    ("parking spaces per home at least 1.3")."""

    proposal = models.ForeignKey(
        Proposal,
        verbose_name=_("programme of requirements"),
        on_delete=models.CASCADE,
        related_name="requirements",
    )
    position = models.PositiveSmallIntegerField(_("order"), default=0)
    aspect = models.CharField(_("aspect"), max_length=100)
    title = models.CharField(_("requirement"), max_length=200)
    description = models.TextField(_("explanation"), blank=True)
    priority = models.CharField(
        _("priority"), max_length=8, choices=Priority.choices, default=Priority.MUST
    )
    cost_estimate = models.DecimalField(_("cost estimate (€)"), null=True, blank=True, **MONEY)
    norm_quantity = models.CharField(_("norm: what is measured"), max_length=100, blank=True)
    norm_operator = models.CharField(
        _("norm: how"), max_length=10, choices=NormOperator.choices, blank=True
    )
    norm_value = models.DecimalField(
        _("norm: value"), max_digits=14, decimal_places=4, null=True, blank=True
    )
    norm_unit = models.CharField(_("norm: unit"), max_length=40, blank=True)

    class Meta:
        ordering = ["proposal", "position", "id"]
        constraints = [
            # A norm is all three (quantity, operator, value) or none of them.
            models.CheckConstraint(
                condition=(Q(norm_quantity="") & Q(norm_operator="") & Q(norm_value__isnull=True))
                | (~Q(norm_quantity="") & ~Q(norm_operator="") & Q(norm_value__isnull=False)),
                name="requirement_norm_complete",
            )
        ]
        verbose_name = _("requirement")
        verbose_name_plural = _("requirements")

    def __str__(self) -> str:
        return self.title

    @property
    def has_norm(self) -> bool:
        return bool(self.norm_quantity)


class ProposalVersion(models.Model):
    """A snapshot of all content of a proposal after one edit (1, 2, 3, ...).

    The snapshot is plain JSON (amounts as strings), so an old version reads the same after
    the models change and a diff or a check can always be shown for it.
    """

    proposal = models.ForeignKey(
        Proposal, verbose_name=_("proposal"), on_delete=models.CASCADE, related_name="versions"
    )
    number = models.PositiveIntegerField(_("version"))
    snapshot = models.JSONField(_("content"))
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("made by"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    note = models.CharField(_("note"), max_length=300, blank=True)
    created_at = models.DateTimeField(_("made at"), auto_now_add=True)

    class Meta:
        ordering = ["proposal", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["proposal", "number"], name="version_unique_number"),
            models.CheckConstraint(condition=Q(number__gte=1), name="version_number_positive"),
        ]
        verbose_name = _("version")
        verbose_name_plural = _("versions")

    def __str__(self) -> str:
        return f"{self.proposal} v{self.number}"


class AmendmentStatus(models.TextChoices):
    PROPOSED = "proposed", _("Proposed")
    ACCEPTED = "accepted", _("Accepted")
    REJECTED = "rejected", _("Rejected")
    WITHDRAWN = "withdrawn", _("Withdrawn")


class Amendment(BaseModel):
    """A change to one section of a proposal, proposed against a version. The authors accept
    it (which writes a new version) or reject it, with a reason either way."""

    proposal = models.ForeignKey(
        Proposal, verbose_name=_("proposal"), on_delete=models.CASCADE, related_name="amendments"
    )
    section = models.CharField(_("section"), max_length=32)
    base_version = models.ForeignKey(
        ProposalVersion,
        verbose_name=_("based on version"),
        on_delete=models.PROTECT,
        related_name="amendments",
    )
    base_text = models.TextField(_("text it changes"), blank=True)
    proposed_text = models.TextField(_("proposed text"))
    reason = models.TextField(_("reason"))
    status = models.CharField(
        _("status"),
        max_length=12,
        choices=AmendmentStatus.choices,
        default=AmendmentStatus.PROPOSED,
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("proposed by"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="amendments",
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("decided by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    decision_reason = models.TextField(_("reason for the decision"), blank=True)
    result_version = models.ForeignKey(
        ProposalVersion,
        verbose_name=_("version it made"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        ordering = ["proposal", "-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(status__in=["accepted", "rejected"]) | ~Q(decision_reason=""),
                name="amendment_decision_has_reason",
            )
        ]
        verbose_name = _("amendment")
        verbose_name_plural = _("amendments")

    def __str__(self) -> str:
        return f"{self.proposal}: {self.section}"

    @property
    def is_open(self) -> bool:
        return self.status == AmendmentStatus.PROPOSED


class Comment(BaseModel):
    """A comment on a proposal; ``parent`` makes a thread. A moderator hides a comment with a
    reason: the thread then shows that the moderator removed it, never the text."""

    proposal = models.ForeignKey(
        Proposal, verbose_name=_("proposal"), on_delete=models.CASCADE, related_name="comments"
    )
    parent = models.ForeignKey(
        "self",
        verbose_name=_("reply to"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="replies",
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("author"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="proposal_comments",
    )
    body = models.TextField(_("comment"), max_length=5000)
    hidden_at = models.DateTimeField(_("removed at"), null=True, blank=True)
    hidden_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("removed by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    hidden_reason = models.TextField(_("reason for removal"), blank=True)

    class Meta:
        ordering = ["proposal", "created_at", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(hidden_at__isnull=True) | ~Q(hidden_reason=""),
                name="comment_hidden_has_reason",
            )
        ]
        verbose_name = _("comment")
        verbose_name_plural = _("comments")

    def __str__(self) -> str:
        return self.body[:60]

    @property
    def is_hidden(self) -> bool:
        return self.hidden_at is not None


class StoredCheck(models.Model):
    """What every stored framework check has: the report (``CheckReport.to_dict()``), whether
    it passed, who ran it and when."""

    report = models.JSONField(_("report"))
    passed = models.BooleanField(_("passed"))
    run_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("run by"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("run at"), auto_now_add=True)

    class Meta:
        abstract = True


class FrameworkCheck(StoredCheck):
    """One run of the check against the council's frameworks, stored with the version it
    checked. ``report`` is ``core.frameworks.CheckReport.to_dict()``."""

    proposal = models.ForeignKey(
        Proposal, verbose_name=_("proposal"), on_delete=models.CASCADE, related_name="checks"
    )
    version = models.ForeignKey(
        ProposalVersion,
        verbose_name=_("version checked"),
        on_delete=models.CASCADE,
        related_name="checks",
    )

    class Meta:
        ordering = ["proposal", "-created_at", "-id"]
        verbose_name = _("framework check")
        verbose_name_plural = _("framework checks")

    def __str__(self) -> str:
        return f"{self.proposal} v{self.version.number}"


class ConditionMet(models.TextChoices):
    YES = "yes", _("Met")
    NO = "no", _("Not met")
    UNKNOWN = "unknown", _("Not assessed yet")


class ConditionAssessment(models.Model):
    """Staff's judgement whether a proposal meets one condition of the frameworks.

    Conditions are lines of ``Framework.conditions``; the text is the key, so an assessment
    of a condition the council later removed no longer counts (and is shown as such).
    """

    proposal = models.ForeignKey(
        Proposal,
        verbose_name=_("proposal"),
        on_delete=models.CASCADE,
        related_name="condition_assessments",
    )
    condition = models.CharField(_("condition"), max_length=500)
    met = models.CharField(
        _("met"), max_length=8, choices=ConditionMet.choices, default=ConditionMet.UNKNOWN
    )
    note = models.TextField(_("note"), blank=True)
    assessed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("assessed by"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    updated_at = models.DateTimeField(_("assessed at"), auto_now=True)

    class Meta:
        ordering = ["proposal", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["proposal", "condition"], name="assessment_unique_condition"
            )
        ]
        verbose_name = _("condition assessment")
        verbose_name_plural = _("condition assessments")

    def __str__(self) -> str:
        return f"{self.proposal}: {self.condition[:40]}"


# --- budget packages -------------------------------------------------------------------------


class PackageStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    IN_CONSULTATION = "in_consultation", _("In consultation")
    TO_COUNCIL = "to_council", _("With the council")
    ADOPTED = "adopted", _("Adopted")
    REJECTED = "rejected", _("Rejected")


PS = PackageStatus
PACKAGE_TRANSITIONS: dict[str, tuple[str, ...]] = {
    PS.DRAFT: (PS.IN_CONSULTATION, PS.TO_COUNCIL),
    PS.IN_CONSULTATION: (PS.TO_COUNCIL, PS.DRAFT),
    PS.TO_COUNCIL: (PS.ADOPTED, PS.REJECTED),
    PS.ADOPTED: (),
    PS.REJECTED: (),
}
# Everyone who may see the process reads a package once it is put to them.
PACKAGE_PUBLIC_STATUSES = frozenset({PS.IN_CONSULTATION, PS.TO_COUNCIL, PS.ADOPTED, PS.REJECTED})
# Moving to these runs the framework check first, as for a proposal.
PACKAGE_GATED_STATUSES = frozenset({PS.IN_CONSULTATION, PS.TO_COUNCIL})


class PackageOrigin(models.TextChoices):
    OPTIMISER = "optimiser", _("Chosen on the budget page")
    STAFF = "staff", _("Composed by staff")


class BudgetPackage(BaseModel):
    """A set of measures that together should close the budget gap of a process.

    Saved by staff from the budget page (``origin`` optimiser, with the objective and the
    optimiser's harm value at that moment) or composed by staff. It is checked against the
    frameworks as a whole: the yearly effects of its proposals add up. ``conditions`` holds
    staff's assessment of the framework's conditions for the package as a whole:
    ``[{condition, met (yes/no/unknown), note}]``.
    """

    process = models.ForeignKey(
        "processes.Process",
        verbose_name=_("process"),
        on_delete=models.CASCADE,
        related_name="budget_packages",
    )
    title = models.CharField(_("title"), max_length=200)
    proposals = models.ManyToManyField(
        Proposal, verbose_name=_("proposals"), related_name="packages"
    )
    origin = models.CharField(
        _("made"), max_length=16, choices=PackageOrigin.choices, default=PackageOrigin.STAFF
    )
    objective = models.CharField(_("objective"), max_length=16, blank=True)
    harm = models.DecimalField(
        _("harm value"), max_digits=16, decimal_places=4, null=True, blank=True
    )
    status = models.CharField(
        _("status"), max_length=20, choices=PackageStatus.choices, default=PackageStatus.DRAFT
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    note = models.TextField(_("note"), blank=True)
    conditions = models.JSONField(_("conditions assessed"), default=list, blank=True)

    class Meta:
        ordering = ["process", "-created_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(origin="optimiser") | ~Q(objective=""),
                name="package_optimiser_has_objective",
            )
        ]
        verbose_name = _("budget package")
        verbose_name_plural = _("budget packages")

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("proposals:package", kwargs={"pk": self.pk})

    @property
    def is_draft(self) -> bool:
        return self.status == PackageStatus.DRAFT

    @property
    def allowed_transitions(self) -> tuple[str, ...]:
        return PACKAGE_TRANSITIONS.get(self.status, ())


class PackageCheck(StoredCheck):
    """One run of the framework check on a package. ``report`` is
    ``core.frameworks.CheckReport.to_dict()``; ``members`` the proposals it checked, each
    ``{id, slug, title, version}`` (the version number of the proposal at that moment)."""

    package = models.ForeignKey(
        BudgetPackage, verbose_name=_("package"), on_delete=models.CASCADE, related_name="checks"
    )
    members = models.JSONField(_("proposals checked"))

    class Meta:
        ordering = ["package", "-created_at", "-id"]
        verbose_name = _("package check")
        verbose_name_plural = _("package checks")

    def __str__(self) -> str:
        return f"{self.package} ({self.created_at:%Y-%m-%d})"
