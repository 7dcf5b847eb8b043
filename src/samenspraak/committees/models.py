"""Committees and lead groups: composition rules, applications, draws, members, workspaces.

A committee belongs to a process (and usually one of its themes). Its composition rule is a
set of quotas (feature, value, min, max) in the Sortition Foundation's sense. Applicants form
the pool; a draw by lot with those quotas selects the members, and the draw stores everything
needed to reproduce it (pool, quotas, seed, algorithm). A facilitator (Chef de Dossier)
guards the process of a committee, never its content.
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from samenspraak.common.models import BaseModel


class CommitteeKind(models.TextChoices):
    EXPERT_COMMITTEE = "expert_committee", _("Expert committee")
    LEAD_GROUP = "lead_group", _("Lead group (kopgroep)")
    THEME_TABLE = "theme_table", _("Theme table")


class CommitteeStatus(models.TextChoices):
    """The steps of a committee, in order; a facilitator moves it one step at a time."""

    FORMING = "forming", _("Forming")
    DRAFTING = "drafting", _("Drafting")
    REVIEWING = "reviewing", _("Reviewing")
    DELIVERED = "delivered", _("Delivered")

    @classmethod
    def after(cls, status: str) -> CommitteeStatus | None:
        """The step after ``status``, or None after the last one."""
        values = list(cls)
        index = values.index(cls(status))
        return values[index + 1] if index + 1 < len(values) else None


class Committee(BaseModel):
    process = models.ForeignKey(
        "processes.Process",
        verbose_name=_("process"),
        on_delete=models.CASCADE,
        related_name="committees",
    )
    theme = models.ForeignKey(
        "processes.Theme",
        verbose_name=_("theme"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="committees",
    )
    kind = models.CharField(
        _("kind"),
        max_length=20,
        choices=CommitteeKind.choices,
        default=CommitteeKind.EXPERT_COMMITTEE,
    )
    name = models.CharField(_("name"), max_length=150)
    slug = models.SlugField(_("web address"), max_length=80, unique=True)
    size = models.PositiveSmallIntegerField(
        _("number of seats"), help_text=_("How many members the committee has.")
    )
    mandate = models.TextField(
        _("mandate"), help_text=_("What the committee must deliver, within which frameworks.")
    )
    deliver_by = models.DateField(_("deliver by"), null=True, blank=True)
    status = models.CharField(
        _("step"), max_length=16, choices=CommitteeStatus.choices, default=CommitteeStatus.FORMING
    )
    applications_open = models.DateField(_("applications open on"), null=True, blank=True)
    applications_close = models.DateField(_("applications close on"), null=True, blank=True)
    facilitators_needed = models.PositiveSmallIntegerField(
        _("facilitators needed"), default=1, help_text=_("Usually one Chef de Dossier.")
    )
    draw_seed = models.PositiveIntegerField(
        _("announced seed"),
        null=True,
        blank=True,
        help_text=_(
            "The number the draw will use. It is public before the draw, so anyone can "
            "check the result afterwards."
        ),
    )
    # A secret in the address of the calendar feed: calendar apps cannot log in.
    calendar_token = models.UUIDField(
        _("calendar key"), default=uuid.uuid4, unique=True, editable=False
    )

    class Meta:
        ordering = ["process", "theme__position", "name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(applications_open__isnull=True)
                | Q(applications_close__isnull=True)
                | Q(applications_close__gte=models.F("applications_open")),
                name="committee_applications_close_after_open",
            ),
            models.CheckConstraint(condition=Q(size__gte=1), name="committee_has_seats"),
        ]
        verbose_name = _("committee")
        verbose_name_plural = _("committees")

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("committees:detail", kwargs={"slug": self.slug})

    @property
    def next_status(self) -> CommitteeStatus | None:
        return CommitteeStatus.after(self.status)

    def accepts_applications(self, today) -> bool:
        """Open while forming and within the application window (open ends count)."""
        if self.status != CommitteeStatus.FORMING or self.applications_open is None:
            return False
        if today < self.applications_open:
            return False
        return self.applications_close is None or today <= self.applications_close


class Quota(models.Model):
    """One row of the composition rule: at least ``minimum`` and at most ``maximum`` seats
    for members whose answer to ``feature`` is ``value`` (Sortition Foundation format)."""

    committee = models.ForeignKey(
        Committee, verbose_name=_("committee"), on_delete=models.CASCADE, related_name="quotas"
    )
    position = models.PositiveSmallIntegerField(_("order"), default=0)
    feature = models.CharField(_("feature"), max_length=60)
    value = models.CharField(_("value"), max_length=80)
    minimum = models.PositiveSmallIntegerField(_("minimum"))
    maximum = models.PositiveSmallIntegerField(_("maximum"))

    class Meta:
        ordering = ["committee", "position", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["committee", "feature", "value"], name="quota_unique_value"
            ),
            models.CheckConstraint(
                condition=Q(minimum__lte=models.F("maximum")), name="quota_minimum_not_above_max"
            ),
        ]
        verbose_name = _("quota")
        verbose_name_plural = _("quotas")

    def __str__(self) -> str:
        return f"{self.feature}={self.value} [{self.minimum}, {self.maximum}]"


class ApplicationStatus(models.TextChoices):
    APPLIED = "applied", _("Applied")
    SELECTED = "selected", _("Selected by lot")
    INVITED = "invited", _("Invited")
    DECLINED = "declined", _("Declined by staff")
    # Drawn (SELECTED) and then gave the seat up: by themselves on their status page, or
    # staff on their behalf. Not the same as DECLINED, which staff decide before the draw.
    WITHDRAWN = "withdrawn", _("Declined the seat")


class ApplicationSource(models.TextChoices):
    FORM = "form", _("Sign-up form")
    IMPORT = "import", _("Imported pool")
    INVITATION = "invitation", _("Invited by staff")


class Application(BaseModel):
    """A person who wants to sit on a committee, with their answers to its quota features."""

    committee = models.ForeignKey(
        Committee,
        verbose_name=_("committee"),
        on_delete=models.CASCADE,
        related_name="applications",
    )
    # 1, 2, 3, ... per committee: the person's id in the pool file of a draw. Numbers name
    # nobody and do not depend on the database, so the same pool gives the same file.
    number = models.PositiveIntegerField(_("number"), editable=False)
    full_name = models.CharField(_("name"), max_length=150)
    email = models.EmailField(_("e-mail address"), blank=True)
    phone = models.CharField(_("phone number"), max_length=30, blank=True)
    answers = models.JSONField(_("answers"), default=dict, blank=True)
    motivation = models.TextField(_("motivation"), blank=True)
    consent = models.BooleanField(_("consent to the privacy statement"), default=False)
    household_key = models.CharField(
        _("household"),
        max_length=120,
        blank=True,
        help_text=_("So that two people from one household are never both drawn."),
    )
    # The id of an imported person in the file it came from (Sortition Foundation people file).
    reference = models.CharField(_("id in the imported file"), max_length=60, blank=True)
    source = models.CharField(
        _("source"),
        max_length=16,
        choices=ApplicationSource.choices,
        default=ApplicationSource.FORM,
    )
    status = models.CharField(
        _("status"),
        max_length=16,
        choices=ApplicationStatus.choices,
        default=ApplicationStatus.APPLIED,
    )
    # Why staff declined the application (the audit trail keeps it too, with who and when).
    decline_reason = models.TextField(_("reason for declining"), blank=True)

    class Meta:
        ordering = ["committee", "number"]
        constraints = [
            models.UniqueConstraint(
                fields=["committee", "number"], name="application_unique_number"
            ),
            models.UniqueConstraint(
                fields=["committee", "reference"],
                condition=~Q(reference=""),
                name="application_unique_reference",
            ),
            models.CheckConstraint(condition=Q(consent=True), name="application_has_consent"),
        ]
        verbose_name = _("application")
        verbose_name_plural = _("applications")

    def __str__(self) -> str:
        return self.full_name

    @property
    def pool_id(self) -> str:
        """The id this person has in a draw's pool file: pseudonymous, stable."""
        return str(self.number)


class MemberRole(models.TextChoices):
    MEMBER = "member", _("Member")
    FACILITATOR = "facilitator", _("Facilitator (Chef de Dossier)")


class MembershipSource(models.TextChoices):
    DRAWN = "drawn", _("Drawn by lot")
    INVITED = "invited", _("Invited")
    ASSIGNED = "assigned", _("Assigned")
    OVERRIDE = "override", _("Chosen by staff (override)")


class Membership(BaseModel):
    committee = models.ForeignKey(
        Committee,
        verbose_name=_("committee"),
        on_delete=models.CASCADE,
        related_name="memberships",
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="committee_memberships",
    )
    application = models.OneToOneField(
        Application,
        verbose_name=_("application"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="membership",
    )
    display_name = models.CharField(_("name"), max_length=150)
    role = models.CharField(
        _("role"), max_length=16, choices=MemberRole.choices, default=MemberRole.MEMBER
    )
    source = models.CharField(_("how"), max_length=16, choices=MembershipSource.choices)
    override_reason = models.TextField(_("reason for the override"), blank=True)

    class Meta:
        ordering = ["committee", "role", "display_name"]
        constraints = [
            models.UniqueConstraint(
                fields=["committee", "user"],
                condition=Q(user__isnull=False),
                name="membership_unique_user",
            ),
            models.CheckConstraint(
                condition=~Q(source="override") | ~Q(override_reason=""),
                name="membership_override_has_reason",
            ),
        ]
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")

    def __str__(self) -> str:
        return f"{self.display_name} ({self.get_role_display()})"


class Draw(BaseModel):
    """One draw by lot, with everything needed to reproduce it.

    ``people_csv`` and ``categories_csv`` are the exact files the draw read (Sortition
    Foundation format, pseudonymous ids, households as codes), so anyone can run
    ``samenspraak select`` on them with the seed and get the same panel.
    """

    committee = models.ForeignKey(
        Committee, verbose_name=_("committee"), on_delete=models.CASCADE, related_name="draws"
    )
    algorithm = models.CharField(_("algorithm"), max_length=20)
    seed = models.PositiveIntegerField(_("seed"))
    panel_size = models.PositiveSmallIntegerField(_("seats drawn"))
    pool_size = models.PositiveIntegerField(_("pool size"))
    people_csv = models.TextField(_("pool file"))
    categories_csv = models.TextField(_("quota file"))
    household_column = models.CharField(_("household column"), max_length=40, blank=True)
    selected = models.JSONField(_("selected ids"), default=list)
    # Selection probabilities are shares of a lottery, not money: floats are right here.
    probabilities = models.JSONField(_("selection probabilities"), default=dict)
    min_probability = models.FloatField(_("smallest selection probability"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("drawn by"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    # A replacement draw (aanvullende loting) fills seats that became free after drawn members
    # declined; it points to the draw before it. The first draw of a committee has none.
    replaces = models.ForeignKey(
        "self",
        verbose_name=_("replacement for"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="replacements",
    )
    # The published distribution file (core.sortition.dump_distribution, JSON): the lottery
    # over panels and the SHA-256 of the two files as downloaded, so anyone can redo the draw
    # with ``samenspraak select --distribution`` without a solver. Blank for draws made before.
    distribution = models.TextField(_("distribution file"), blank=True)

    class Meta:
        ordering = ["committee", "-created_at", "-id"]
        verbose_name = _("draw")
        verbose_name_plural = _("draws")

    def __str__(self) -> str:
        return str(
            _("Draw for %(committee)s (seed %(seed)s)")
            % {
                "committee": self.committee,
                "seed": self.seed,
            }
        )

    @property
    def is_replacement(self) -> bool:
        return self.replaces_id is not None


class Meeting(BaseModel):
    committee = models.ForeignKey(
        Committee, verbose_name=_("committee"), on_delete=models.CASCADE, related_name="meetings"
    )
    title = models.CharField(_("title"), max_length=150)
    starts_at = models.DateTimeField(_("starts at"))
    ends_at = models.DateTimeField(_("ends at"))
    location = models.CharField(_("location"), max_length=200, blank=True)
    agenda = models.TextField(_("agenda"), blank=True)
    minutes = models.TextField(_("minutes"), blank=True)
    minutes_published = models.BooleanField(_("minutes published"), default=False)

    class Meta:
        ordering = ["committee", "starts_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__gt=models.F("starts_at")), name="meeting_ends_after_start"
            )
        ]
        verbose_name = _("meeting")
        verbose_name_plural = _("meetings")

    def __str__(self) -> str:
        return self.title


class Message(BaseModel):
    """A message in a committee's discussion thread."""

    committee = models.ForeignKey(
        Committee, verbose_name=_("committee"), on_delete=models.CASCADE, related_name="messages"
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("author"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="committee_messages",
    )
    body = models.TextField(_("message"))

    class Meta:
        ordering = ["committee", "created_at", "id"]
        verbose_name = _("message")
        verbose_name_plural = _("messages")

    def __str__(self) -> str:
        return self.body[:60]


class KnowledgeNetworkEntry(BaseModel):
    """Someone who agreed to be invited again on themes they chose (kennisnetwerk).

    It outlives the process it started in, so themes and districts are kept by name.
    Opting out deletes the row; the ``uuid`` in the opt-out link identifies it.
    """

    email = models.EmailField(_("e-mail address"), unique=True)
    name = models.CharField(_("name"), max_length=150)
    process = models.ForeignKey(
        "processes.Process",
        verbose_name=_("joined during"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    consent_at = models.DateTimeField(_("consent given at"))

    class Meta:
        ordering = ["name", "email"]
        verbose_name = _("knowledge network entry")
        verbose_name_plural = _("knowledge network")

    def __str__(self) -> str:
        return self.name


class KnowledgeNetworkRequest(BaseModel):
    """An opt-in that waits for its confirmation by e-mail (double opt-in).

    Only a confirmed request becomes (or adds to) a ``KnowledgeNetworkEntry``, so staff never
    see an address whose owner did not confirm it. The ``uuid`` is the secret in the
    confirmation link. Unconfirmed requests expire after
    ``services.NETWORK_CONFIRM_DAYS`` days and are then deleted (see
    ``services.knowledge_network_expire``).
    """

    email = models.EmailField(_("e-mail address"), unique=True)
    name = models.CharField(_("name"), max_length=150)
    themes = models.JSONField(_("themes"), default=list)
    districts = models.JSONField(_("districts"), default=list, blank=True)
    process = models.ForeignKey(
        "processes.Process",
        verbose_name=_("asked during"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        ordering = ["created_at"]
        verbose_name = _("knowledge network request")
        verbose_name_plural = _("knowledge network requests")

    def __str__(self) -> str:
        return self.name


class KnowledgeNetworkTheme(models.Model):
    entry = models.ForeignKey(
        KnowledgeNetworkEntry, on_delete=models.CASCADE, related_name="themes"
    )
    name = models.CharField(_("theme"), max_length=120)

    class Meta:
        ordering = ["entry", "name"]
        constraints = [
            models.UniqueConstraint(fields=["entry", "name"], name="network_theme_unique")
        ]

    def __str__(self) -> str:
        return self.name


class KnowledgeNetworkDistrict(models.Model):
    entry = models.ForeignKey(
        KnowledgeNetworkEntry, on_delete=models.CASCADE, related_name="districts"
    )
    name = models.CharField(_("district"), max_length=100)

    class Meta:
        ordering = ["entry", "name"]
        constraints = [
            models.UniqueConstraint(fields=["entry", "name"], name="network_district_unique")
        ]

    def __str__(self) -> str:
        return self.name


class DocumentCategory(models.TextChoices):
    """What a document is for. The facilitator guards the process, never the content, so they
    may upload to the process category only (see ``permissions.py``)."""

    PROCESS = "process", _("Agenda and minutes")
    WORKING = "working", _("Working document")
    REPORT = "report", _("Report or result")


def document_path(document: CommitteeDocument, filename: str) -> str:
    """A random file name under the committee's folder: the name a person chose never becomes
    a path, and files are never reachable by guessing (they are served by a view anyway)."""
    extension = filename.rsplit(".", 1)[-1].lower() if "." in filename else "bin"
    return f"committees/{document.committee.uuid}/{uuid.uuid4().hex}.{extension}"


class CommitteeDocument(BaseModel):
    """A file in the committee's workspace, downloaded only through a view that checks who
    asks (never a public media URL)."""

    committee = models.ForeignKey(
        Committee, verbose_name=_("committee"), on_delete=models.CASCADE, related_name="documents"
    )
    category = models.CharField(
        _("kind of document"),
        max_length=16,
        choices=DocumentCategory.choices,
        default=DocumentCategory.WORKING,
    )
    title = models.CharField(_("title"), max_length=200)
    file = models.FileField(_("file"), upload_to=document_path, max_length=255)
    original_name = models.CharField(_("file name"), max_length=255)
    size = models.PositiveBigIntegerField(_("size in bytes"))
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("uploaded by"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="committee_documents",
    )

    class Meta:
        ordering = ["committee", "category", "-created_at", "-id"]
        verbose_name = _("document")
        verbose_name_plural = _("documents")

    def __str__(self) -> str:
        return self.title

    @property
    def extension(self) -> str:
        return self.original_name.rsplit(".", 1)[-1].lower() if "." in self.original_name else ""
