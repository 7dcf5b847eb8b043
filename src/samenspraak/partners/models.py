"""Partners (societal organisations) and their offering: the services and activities they run.

Contact persons are not stored here: a partner's contact persons are the active users with the
partner-representative role whose ``organisation`` is the partner's name (compared without
regard to capitals or surrounding spaces). Users cannot change their own organisation (only
staff in the admin can), so this link is as trustworthy as an explicit one and needs no second
list to keep in step. See docs/methods/offering-coverage.md.
"""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.core.validators import RegexValidator
from django.db import models
from django.db.models import F, Q
from django.db.models.functions import Lower, Trim
from django.utils.translation import gettext_lazy as _

from samenspraak.accounts.models import Role
from samenspraak.common.models import BaseModel
from samenspraak.processes.models import District, Municipality


class PartnerKind(models.TextChoices):
    WELFARE = "welfare", _("Welfare")
    CARE = "care", _("Care")
    HOUSING = "housing", _("Housing corporation")
    SPORTS = "sports", _("Sports")
    CULTURE = "culture", _("Culture")
    EDUCATION = "education", _("Education")
    BUSINESS = "business", _("Business")
    RESIDENTS = "residents", _("Residents' initiative")


class Theme(models.TextChoices):
    """The themes of the social domain: one per service, the same list for every partner so
    that services can be compared across partners."""

    PARTICIPATION = "participation", _("Participation and meeting others")
    YOUTH = "youth", _("Growing up and parenting")
    HEALTH = "health", _("Health and exercise")
    SUPPORT = "support", _("Care and support at home")
    CARERS = "carers", _("Informal care and volunteering")
    MONEY = "money", _("Money matters and poverty")
    WORK = "work", _("Work and day activities")
    LANGUAGE = "language", _("Language and digital skills")
    HOUSING = "housing", _("Housing and liveability")


class TargetGroup(models.TextChoices):
    """The target groups a service can be for (one or more per service)."""

    CHILDREN = "children", _("Children (0-12)")
    YOUNG_PEOPLE = "young_people", _("Young people (12-23)")
    FAMILIES_LOW_INCOME = "families_low_income", _("Families with a low income")
    ELDERLY = "elderly", _("Older people (65+)")
    DISABILITY = "disability", _("People with a disability")
    MENTAL_HEALTH = "mental_health", _("People with mental health problems")
    INFORMAL_CARERS = "informal_carers", _("Informal carers")
    YOUNG_CARERS = "young_carers", _("Young carers")
    NEWCOMERS = "newcomers", _("Newcomers (status holders)")
    DEBTS = "debts", _("People with debts")
    JOB_SEEKERS = "job_seekers", _("Job seekers")


kvk_validator = RegexValidator(
    r"^\d{8}$", _("A KvK number has exactly 8 digits."), code="invalid_kvk"
)


class Partner(BaseModel):
    municipality = models.ForeignKey(
        Municipality,
        verbose_name=_("municipality"),
        on_delete=models.PROTECT,
        related_name="partners",
    )
    name = models.CharField(_("name"), max_length=150)
    kind = models.CharField(_("type of organisation"), max_length=16, choices=PartnerKind.choices)
    districts = models.ManyToManyField(
        District, verbose_name=_("districts served"), blank=True, related_name="partners"
    )
    kvk_number = models.CharField(
        _("KvK number"),
        max_length=8,
        blank=True,
        validators=[kvk_validator],
        help_text=_("Optional: the 8 digits of the Chamber of Commerce number."),
    )
    website = models.URLField(_("website"), blank=True)
    description = models.TextField(_("description"), blank=True)

    class Meta:
        ordering = ["municipality__name", "name"]
        constraints = [
            models.UniqueConstraint(fields=["municipality", "name"], name="partner_unique_name")
        ]
        verbose_name = _("partner")
        verbose_name_plural = _("partners")

    def __str__(self) -> str:
        return self.name

    def contacts(self):
        """The contact persons: active partner representatives of this organisation."""
        return (
            get_user_model()
            .objects.annotate(_org=Lower(Trim("organisation")))
            .filter(role=Role.PARTNER, is_active=True, _org=self.name.strip().lower())
        )


class Offering(BaseModel):
    """A service or activity of a partner (aanbod)."""

    partner = models.ForeignKey(
        Partner, verbose_name=_("partner"), on_delete=models.CASCADE, related_name="offerings"
    )
    name = models.CharField(_("name"), max_length=200)
    theme = models.CharField(_("theme"), max_length=32, choices=Theme.choices)
    target_groups = models.JSONField(_("target groups"), default=list)
    districts = models.ManyToManyField(
        District, verbose_name=_("districts"), related_name="offerings"
    )
    reach = models.PositiveIntegerField(_("reach (people per year)"), default=0)
    capacity = models.PositiveIntegerField(_("capacity"), null=True, blank=True)
    yearly_cost = models.DecimalField(_("yearly cost"), max_digits=14, decimal_places=2)
    subsidy = models.DecimalField(
        _("municipal subsidy per year"), max_digits=14, decimal_places=2, default=0
    )
    outcomes = models.TextField(_("outcomes aimed for"), blank=True)

    class Meta:
        ordering = ["partner__name", "name"]
        constraints = [
            models.UniqueConstraint(fields=["partner", "name"], name="offering_unique_name"),
            models.CheckConstraint(
                condition=Q(yearly_cost__gte=0), name="offering_cost_not_negative"
            ),
            models.CheckConstraint(
                condition=Q(subsidy__gte=0), name="offering_subsidy_not_negative"
            ),
            models.CheckConstraint(
                condition=Q(subsidy__lte=F("yearly_cost")), name="offering_subsidy_within_cost"
            ),
        ]
        verbose_name = _("service")
        verbose_name_plural = _("services")

    def __str__(self) -> str:
        return self.name

    def target_group_labels(self) -> list[str]:
        labels = dict(TargetGroup.choices)
        return [str(labels.get(code, code)) for code in self.target_groups]
