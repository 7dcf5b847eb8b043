"""The mail throttle holds under concurrent requests: real threads, each with its own
database connection, released together on PostgreSQL (SQLite serialises every write, so a
race there proves nothing; `make test` runs on both, CI on PostgreSQL too)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError

from samenspraak.common.models import MailThrottle
from samenspraak.common.throttle import throttle_hit
from tests.consultations.test_races import ON_POSTGRES, THREADS, race

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        not ON_POSTGRES,
        reason="Race tests need PostgreSQL (SQLite locks the whole file): "
        "run with DATABASE_URL=postgres://…",
    ),
]


def test_requests_at_the_same_moment_cannot_slip_past_the_limit_together():
    limit = 3

    def hit(_: int) -> str:
        throttle_hit("race_test", "203.0.113.7", limit, timedelta(hours=1))
        return "counted"

    results, errors = race(hit)
    assert results.count("counted") == limit
    assert len(errors) == THREADS - limit
    assert all(isinstance(error, ValidationError) for error in errors)
    assert MailThrottle.objects.filter(action="race_test").count() == limit


def test_different_keys_do_not_wait_for_each_other():
    def hit(i: int) -> str:
        throttle_hit("race_test", f"198.51.100.{i}", 1, timedelta(hours=1))
        return "counted"

    results, errors = race(hit)
    assert errors == []
    assert results == ["counted"] * THREADS
    assert MailThrottle.objects.filter(action="race_test").count() == THREADS
