"""The database-backed mail rate limit (common.throttle)."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone, translation

from samenspraak.common.models import MailThrottle
from samenspraak.common.throttle import throttle_hit, throttle_key

pytestmark = pytest.mark.django_db

HOUR = datetime.timedelta(hours=1)


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


def test_the_limit_is_reached_and_then_refused_with_a_message():
    now = timezone.now()
    for minute in range(3):
        throttle_hit(
            "test", "Kees@Example.org", 3, HOUR, now=now + datetime.timedelta(minutes=minute)
        )
    with pytest.raises(ValidationError) as caught:
        throttle_hit("test", "kees@example.org", 3, HOUR, now=now + datetime.timedelta(minutes=5))
    assert "too many requests" in " ".join(caught.value.messages)
    # A refused hit is not counted.
    assert MailThrottle.objects.filter(action="test").count() == 3


def test_an_error_can_name_its_field_and_carry_its_own_message():
    now = timezone.now()
    throttle_hit("test", "a@example.org", 1, HOUR, now=now)
    with pytest.raises(ValidationError) as caught:
        throttle_hit("test", "a@example.org", 1, HOUR, now=now, field="email", message="Wait.")
    assert caught.value.message_dict == {"email": ["Wait."]}


def test_another_key_and_another_action_are_still_fine():
    now = timezone.now()
    throttle_hit("test", "10.0.0.1", 1, HOUR, now=now)
    throttle_hit("test", "10.0.0.2", 1, HOUR, now=now)  # another key
    throttle_hit("other", "10.0.0.1", 1, HOUR, now=now)  # another action
    with pytest.raises(ValidationError):
        throttle_hit("test", "10.0.0.1", 1, HOUR, now=now)


def test_after_the_window_it_is_allowed_again_and_old_rows_are_deleted():
    start = timezone.now()
    throttle_hit("test", "10.0.0.1", 2, HOUR, now=start)
    throttle_hit("test", "10.0.0.1", 2, HOUR, now=start + datetime.timedelta(minutes=30))
    with pytest.raises(ValidationError):
        throttle_hit("test", "10.0.0.1", 2, HOUR, now=start + datetime.timedelta(minutes=59))
    # The first hit leaves the window: one place free again, and its row is gone.
    throttle_hit("test", "10.0.0.1", 2, HOUR, now=start + datetime.timedelta(minutes=61))
    assert MailThrottle.objects.filter(action="test").count() == 2
    assert not MailThrottle.objects.filter(created_at=start).exists()
    with pytest.raises(ValidationError):
        throttle_hit("test", "10.0.0.1", 2, HOUR, now=start + datetime.timedelta(minutes=62))


def test_keys_are_stored_as_keyed_hashes_only(settings):
    throttle_hit("test", "Kees@Example.org", 5, HOUR)
    row = MailThrottle.objects.get()
    assert "kees" not in row.key_hash.lower()
    assert row.key_hash == throttle_key("test", "kees@example.org")
    assert len(row.key_hash) == 64
    settings.SECRET_KEY = "another-secret-key-for-this-test-only-0123456789"
    assert throttle_key("test", "kees@example.org") != row.key_hash  # keyed, not a plain hash


def test_an_empty_key_is_not_limited():
    for _ in range(3):
        throttle_hit("test", "", 1, HOUR)
    assert not MailThrottle.objects.exists()
