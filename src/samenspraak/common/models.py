"""The base model and the audit trail shared by every app."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class BaseModel(models.Model):
    """Every row has a public uuid and creation/update times."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        abstract = True


class AuditEvent(models.Model):
    """Who did what to which object, and when: the trail behind every write of a service.

    Kept as plain references (content type + id + a text label) so that the trail survives
    the deletion of the object it describes.
    """

    created_at = models.DateTimeField(_("time"), auto_now_add=True, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("actor"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="audit_events",
    )
    action = models.CharField(_("action"), max_length=64)
    object_type = models.CharField(_("object type"), max_length=100)
    object_id = models.CharField(_("object id"), max_length=64)
    object_label = models.CharField(_("object"), max_length=255)
    process_id = models.BigIntegerField(_("process"), null=True, blank=True, db_index=True)
    changes = models.JSONField(_("changes"), default=dict, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("audit event")
        verbose_name_plural = _("audit trail")

    def __str__(self) -> str:
        return f"{self.created_at:%Y-%m-%d %H:%M} {self.action} {self.object_label}"


class MailThrottle(models.Model):
    """One request that made the platform send mail to an address anyone can type in.

    ``common.throttle.throttle_hit`` counts these per action and key within a time window, so
    that nobody can use a public form to flood an address (or the mail server). The key (an
    e-mail address or a client's IP address) is kept only as a keyed hash (HMAC-SHA256 with
    the ``SECRET_KEY``), never in clear; rows older than the window are deleted by the next
    hit of the same action, so the table stays small.
    """

    action = models.CharField(_("action"), max_length=40)
    key_hash = models.CharField(_("key (keyed hash)"), max_length=64)
    created_at = models.DateTimeField(_("time"))

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["action", "key_hash", "created_at"], name="mailthrottle_lookup"),
            models.Index(fields=["action", "created_at"], name="mailthrottle_expiry"),
        ]
        verbose_name = _("mail throttle entry")
        verbose_name_plural = _("mail throttle")

    def __str__(self) -> str:
        return f"{self.action} {self.created_at:%Y-%m-%d %H:%M}"
