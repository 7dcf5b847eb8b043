"""Users log in with their e-mail address and have one role on the platform."""

from __future__ import annotations

from django.contrib.auth.models import AbstractUser, BaseUserManager
from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    """The roles of ../shared/docs/GLOSSARY.md. A person's role decides what they may do.

    Membership of a particular committee or coalition is a relation added by later apps;
    the role is the person's place on the platform.
    """

    STAFF = "staff", _("Municipal staff (process owner)")
    FACILITATOR = "facilitator", _("Facilitator (Chef de Dossier)")
    COMMITTEE_MEMBER = "committee_member", _("Committee member")
    PARTNER = "partner", _("Partner representative")
    RESIDENT = "resident", _("Resident")
    COUNCIL_MEMBER = "council_member", _("Council member")
    CLERK = "clerk", _("Council clerk (griffier)")
    ADMIN = "admin", _("Administrator")


class UserManager(BaseUserManager):
    use_in_migrations = True

    def _create_user(self, email: str, password: str | None, **extra):
        if not email:
            raise ValueError("E-mail is required")
        user = self.model(email=self.normalize_email(email).lower(), **extra)
        user.set_password(password)
        user.full_clean(exclude=["password"])
        user.save(using=self._db)
        return user

    def create_user(self, email: str, password: str | None = None, **extra):
        extra.setdefault("is_staff", False)
        extra.setdefault("is_superuser", False)
        return self._create_user(email, password, **extra)

    def create_superuser(self, email: str, password: str | None = None, **extra):
        extra.update(is_staff=True, is_superuser=True, role=Role.ADMIN)
        return self._create_user(email, password, **extra)


class User(AbstractUser):
    username = None
    first_name = None
    last_name = None
    email = models.EmailField(_("e-mail address"), unique=True)
    full_name = models.CharField(_("full name"), max_length=150)
    role = models.CharField(_("role"), max_length=32, choices=Role.choices, default=Role.RESIDENT)
    organisation = models.CharField(
        _("organisation"),
        max_length=150,
        blank=True,
        help_text=_("For staff: the department; for partners: the organisation."),
    )

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS = ["full_name"]

    objects = UserManager()

    class Meta:
        ordering = ["full_name", "email"]
        verbose_name = _("user")
        verbose_name_plural = _("users")

    def __str__(self) -> str:
        return self.full_name or self.email

    def clean(self) -> None:
        super().clean()
        # One spelling per address, however it was entered (here, the admin or the manager),
        # so that logging in need not care about capitals.
        self.email = self.email.lower()

    def get_full_name(self) -> str:
        return self.full_name

    def get_short_name(self) -> str:
        return self.full_name.split(" ")[0] if self.full_name else self.email
