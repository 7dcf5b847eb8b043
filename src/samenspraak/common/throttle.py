"""A small database-backed rate limit for public forms that send mail.

``throttle_hit`` counts the hits of one action (say ``committee_application``) for one key
(a client's IP address, an e-mail address) within a sliding window, and refuses the hit when
the limit is reached. It lives in the database, not in a cache, so every process of the site
shares the same count. Keys are stored only as keyed hashes (HMAC-SHA256 with the
``SECRET_KEY``): a copy of the table gives no address back. Old rows go with the next hit of
the same action.

Call it inside the service's transaction, after the input is validated and before the write:
a hit whose write is rolled back then does not count. On PostgreSQL a transaction-level
advisory lock per key makes count-and-insert one step, so requests that arrive at the same
moment cannot slip past the limit together.
"""

from __future__ import annotations

import hashlib
import hmac
from datetime import datetime, timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from samenspraak.common.models import MailThrottle


def throttle_key(action: str, key: str) -> str:
    """The keyed hash of ``key`` for ``action`` (normalised: trimmed, lower case)."""
    message = f"{action}\x00{key.strip().lower()}".encode()
    secret = f"mail-throttle:{settings.SECRET_KEY}".encode()
    return hmac.new(secret, message, hashlib.sha256).hexdigest()


def _lock(key_hash: str) -> None:
    """Serialise hits of one key on PostgreSQL (released at the end of the transaction).

    SQLite runs one write transaction at a time, so it needs no lock of its own here.
    """
    if connection.vendor != "postgresql":
        return
    number = int.from_bytes(bytes.fromhex(key_hash[:16]), "big", signed=True)
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_advisory_xact_lock(%s)", [number])


def throttle_hit(
    action: str,
    key: str,
    limit: int,
    window: timedelta,
    *,
    now: datetime | None = None,
    field: str | None = None,
    message: str | None = None,
) -> None:
    """Count one hit of ``action`` for ``key``; raise ``ValidationError`` when ``limit`` hits
    were already counted within ``window`` before ``now``.

    A refused hit is not counted, so the wait ends ``window`` after the oldest counted hit.
    ``field`` puts the error on a form field (e.g. ``email``); ``message`` replaces the
    general one. An empty key (no client address known) is never limited.
    """
    if not key or not key.strip():
        return
    hashed = throttle_key(action, key)
    with transaction.atomic():
        _lock(hashed)
        # The time is read after the lock: a request that waited for it must count the hits
        # that went before it, which carry later times than when it arrived.
        now = now or timezone.now()
        since = now - window
        MailThrottle.objects.filter(action=action, created_at__lt=since).delete()
        recent = MailThrottle.objects.filter(
            action=action, key_hash=hashed, created_at__gte=since, created_at__lte=now
        ).count()
        if recent >= limit:
            text = message or _(
                "We received too many requests from you in a short time. Please try again later."
            )
            raise ValidationError({field: text} if field else text)
        MailThrottle.objects.create(action=action, key_hash=hashed, created_at=now)
