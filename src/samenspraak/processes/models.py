"""Processes, their phases and the council's frameworks (kaders): the hub of every other app."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from samenspraak.common.models import BaseModel

MONEY = {"max_digits": 14, "decimal_places": 2}


class Municipality(BaseModel):
    name = models.CharField(_("name"), max_length=100, unique=True)
    cbs_code = models.CharField(
        _("CBS code"), max_length=6, unique=True, help_text=_("For example GM0355 (Zeist).")
    )

    class Meta:
        ordering = ["name"]
        verbose_name = _("municipality")
        verbose_name_plural = _("municipalities")

    def __str__(self) -> str:
        return self.name


class District(BaseModel):
    """A wijk, buurt or village core, with its CBS code where it has one (WK/BU)."""

    class Kind(models.TextChoices):
        DISTRICT = "district", _("District (wijk)")
        NEIGHBOURHOOD = "neighbourhood", _("Neighbourhood (buurt)")
        VILLAGE = "village", _("Village (kern)")

    municipality = models.ForeignKey(
        Municipality,
        verbose_name=_("municipality"),
        on_delete=models.CASCADE,
        related_name="districts",
    )
    name = models.CharField(_("name"), max_length=100)
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices, default=Kind.DISTRICT)
    cbs_code = models.CharField(_("CBS code"), max_length=10, blank=True)

    class Meta:
        ordering = ["municipality__name", "name"]
        constraints = [
            models.UniqueConstraint(fields=["municipality", "name"], name="district_unique_name")
        ]
        verbose_name = _("district")
        verbose_name_plural = _("districts")

    def __str__(self) -> str:
        return self.name


class ProcessStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    ACTIVE = "active", _("Running")
    ADOPTED = "adopted", _("Adopted by the council")
    CLOSED = "closed", _("Closed")


class Process(BaseModel):
    """One interactive policy process (traject), e.g. "Bezuinigingsdialoog Zeist"."""

    title = models.CharField(_("title"), max_length=200)
    slug = models.SlugField(_("web address"), max_length=80, unique=True)
    summary = models.CharField(
        _("summary"), max_length=300, help_text=_("One or two sentences for the overview.")
    )
    challenge = models.TextField(
        _("challenge"), help_text=_("The societal challenge (opgave) this process is about.")
    )
    municipality = models.ForeignKey(
        Municipality,
        verbose_name=_("municipality"),
        on_delete=models.PROTECT,
        related_name="processes",
    )
    districts = models.ManyToManyField(
        District, verbose_name=_("districts"), blank=True, related_name="processes"
    )
    status = models.CharField(
        _("status"), max_length=16, choices=ProcessStatus.choices, default=ProcessStatus.DRAFT
    )
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("process owner"),
        on_delete=models.PROTECT,
        related_name="owned_processes",
    )
    current_phase = models.ForeignKey(
        "Phase",
        verbose_name=_("current phase"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("process")
        verbose_name_plural = _("processes")

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("processes:detail", kwargs={"slug": self.slug})

    @property
    def is_public(self) -> bool:
        return self.status != ProcessStatus.DRAFT


class PhaseKind(models.TextChoices):
    INTAKE = "intake", _("Intake")
    DRAFTING = "drafting", _("Drafting")
    DIALOGUE = "dialogue", _("Dialogue")
    CONSULTATION = "consultation", _("Consultation")
    COUNCIL = "council", _("Council decision")
    TENDER = "tender", _("Tender")
    EXECUTION = "execution", _("Execution")
    EVALUATION = "evaluation", _("Evaluation")
    OTHER = "other", _("Other")


class Phase(BaseModel):
    process = models.ForeignKey(
        Process, verbose_name=_("process"), on_delete=models.CASCADE, related_name="phases"
    )
    position = models.PositiveSmallIntegerField(_("order"), default=0)
    kind = models.CharField(_("kind"), max_length=16, choices=PhaseKind.choices)
    title = models.CharField(_("title"), max_length=120)
    description = models.TextField(_("description"), blank=True)
    start_date = models.DateField(_("start date"))
    end_date = models.DateField(_("end date"))

    class Meta:
        ordering = ["process", "position", "start_date"]
        constraints = [
            models.CheckConstraint(
                condition=Q(end_date__gte=models.F("start_date")),
                name="phase_ends_after_start",
            )
        ]
        verbose_name = _("phase")
        verbose_name_plural = _("phases")

    def __str__(self) -> str:
        return self.title


class Theme(BaseModel):
    """A theme of a process (e.g. one of the eight of the Zeist budget dialogue).

    ``owning_department`` is the department responsible for the theme's content; a
    facilitator never comes from it (assignment in the committees app).
    """

    process = models.ForeignKey(
        Process, verbose_name=_("process"), on_delete=models.CASCADE, related_name="themes"
    )
    position = models.PositiveSmallIntegerField(_("order"), default=0)
    name = models.CharField(_("name"), max_length=120)
    description = models.TextField(_("description"), blank=True)
    owning_department = models.CharField(_("owning department"), max_length=120, blank=True)

    class Meta:
        ordering = ["process", "position", "name"]
        constraints = [
            models.UniqueConstraint(fields=["process", "name"], name="theme_unique_name")
        ]
        verbose_name = _("theme")
        verbose_name_plural = _("themes")

    def __str__(self) -> str:
        return self.name


class BandwidthKind(models.TextChoices):
    RANGE = "range", _("Bandwidth: a minimum and maximum amount")
    SAVINGS = "savings", _("Savings target")


class Framework(BaseModel):
    """The council's frameworks (kaders) for one process. Every result is checked against them."""

    process = models.OneToOneField(
        Process, verbose_name=_("process"), on_delete=models.CASCADE, related_name="framework"
    )
    bandwidth_kind = models.CharField(
        _("kind of financial bandwidth"),
        max_length=16,
        choices=BandwidthKind.choices,
        default=BandwidthKind.RANGE,
    )
    bandwidth_subject = models.CharField(
        _("what the amounts are about"),
        max_length=200,
        blank=True,
        help_text=_(
            "For example: result of the land development, or savings on the social domain."
        ),
    )
    budget_areas = models.CharField(
        _("budget areas (taakvelden)"),
        max_length=200,
        blank=True,
        help_text=_("BBV taakvelden, for example 6.1, 6.21, 6.3."),
    )
    conditions = models.TextField(
        _("further conditions"),
        blank=True,
        help_text=_("Legal or policy limits, one per line."),
    )
    decision_deadline = models.DateField(_("decision deadline"), null=True, blank=True)
    council_decision_reference = models.CharField(
        _("council decision on the frameworks"),
        max_length=100,
        blank=True,
        help_text=_("Reference of the council decision that set these frameworks."),
    )

    class Meta:
        verbose_name = _("framework")
        verbose_name_plural = _("frameworks")

    def __str__(self) -> str:
        return str(_("Frameworks for %(process)s") % {"process": self.process})

    @property
    def condition_lines(self) -> list[str]:
        return [line.strip(" -•\t") for line in self.conditions.splitlines() if line.strip()]


class BandwidthYear(models.Model):
    """The financial bandwidth for one budget year, in euros (Decimal)."""

    framework = models.ForeignKey(
        Framework, verbose_name=_("framework"), on_delete=models.CASCADE, related_name="years"
    )
    year = models.PositiveSmallIntegerField(_("budget year"))
    minimum = models.DecimalField(_("minimum (€)"), null=True, blank=True, **MONEY)
    maximum = models.DecimalField(_("maximum (€)"), null=True, blank=True, **MONEY)
    savings_structural = models.DecimalField(
        _("structural saving (€)"), null=True, blank=True, **MONEY
    )
    savings_incidental = models.DecimalField(
        _("incidental saving (€)"), null=True, blank=True, **MONEY
    )

    class Meta:
        ordering = ["framework", "year"]
        constraints = [
            models.UniqueConstraint(fields=["framework", "year"], name="bandwidth_unique_year"),
            models.CheckConstraint(
                condition=Q(minimum__isnull=True)
                | Q(maximum__isnull=True)
                | Q(minimum__lte=models.F("maximum")),
                name="bandwidth_minimum_not_above_maximum",
            ),
        ]
        verbose_name = _("bandwidth per year")
        verbose_name_plural = _("bandwidth per year")

    def __str__(self) -> str:
        return str(self.year)

    @property
    def savings_total(self):
        return (self.savings_structural or 0) + (self.savings_incidental or 0)


class MandatoryAspect(models.Model):
    """An aspect a plan must cover (milieu, groen, ...); a plan is integral when it covers all."""

    framework = models.ForeignKey(
        Framework, verbose_name=_("framework"), on_delete=models.CASCADE, related_name="aspects"
    )
    position = models.PositiveSmallIntegerField(_("order"), default=0)
    name = models.CharField(_("name"), max_length=100)
    description = models.TextField(_("description"), blank=True)

    class Meta:
        ordering = ["framework", "position", "name"]
        constraints = [
            models.UniqueConstraint(fields=["framework", "name"], name="aspect_unique_name")
        ]
        verbose_name = _("mandatory aspect")
        verbose_name_plural = _("mandatory aspects")

    def __str__(self) -> str:
        return self.name
