"""The /api/v1/ process endpoints: public reads, drafts kept private, framework writes."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.db import transaction
from django.test import Client

from samenspraak.accounts.models import User
from samenspraak.demo.loader import load_demo
from samenspraak.processes.models import Process, ProcessStatus

pytestmark = pytest.mark.django_db

OWNER = "medewerker@samenspraak.example"
OTHER_STAFF = "collega@samenspraak.example"
SLUG = "huis-ter-heide-pve"


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    """The demo, loaded once for this module inside a transaction rolled back afterwards;
    each test runs in a savepoint within it."""
    with django_db_blocker.unblock(), transaction.atomic():
        yield load_demo()
        transaction.set_rollback(True)


def _client_for(email: str | None) -> Client:
    client = Client()
    if email:
        client.force_login(User.objects.get(email=email))
    return client


def test_list_shows_public_processes_with_filters(demo):
    client = Client()
    all_public = client.get("/api/v1/processes/").json()
    assert {p["slug"] for p in all_public} == set(
        Process.objects.exclude(status=ProcessStatus.DRAFT).values_list("slug", flat=True)
    )
    zeist = client.get("/api/v1/processes/", {"municipality": "GM0355"}).json()
    assert {p["slug"] for p in zeist} == {"huis-ter-heide-pve", "bezuinigingsdialoog-zeist"}
    assert all(p["municipality"] == "Zeist" for p in zeist)
    bad = client.get("/api/v1/processes/", {"status": "draft"})
    assert bad.status_code == 400
    assert "status" in bad.json()


def test_detail_gives_frameworks_with_exact_amounts(demo):
    body = Client().get(f"/api/v1/processes/{SLUG}/").json()
    process = Process.objects.get(slug=SLUG)
    year = process.framework.years.order_by("year").first()
    first = body["framework"]["years"][0]
    assert first["year"] == year.year
    assert Decimal(first["minimum"]) == year.minimum
    assert Decimal(first["maximum"]) == year.maximum
    assert isinstance(first["minimum"], str)  # money is never a float in JSON
    assert [a["name"] for a in body["framework"]["aspects"]] == list(
        process.framework.aspects.values_list("name", flat=True)
    )
    current = [p for p in body["phases"] if p["is_current"]]
    assert [p["title"] for p in current] == [process.current_phase.title]


def test_draft_is_hidden_from_the_public_but_not_from_staff(demo):
    Process.objects.filter(slug=SLUG).update(status=ProcessStatus.DRAFT)
    assert Client().get(f"/api/v1/processes/{SLUG}/").status_code == 404
    assert SLUG not in {p["slug"] for p in Client().get("/api/v1/processes/").json()}
    assert _client_for(OWNER).get(f"/api/v1/processes/{SLUG}/").status_code == 200


def _framework_body(minimum: str, maximum: str) -> dict:
    return {
        "bandwidth_kind": "range",
        "bandwidth_subject": "Resultaat grondexploitatie",
        "years": [{"year": 2027, "minimum": minimum, "maximum": maximum}],
        "aspects": [{"name": "Milieu"}, {"name": "Groen"}],
    }


def test_owner_updates_framework_through_the_service(demo):
    response = _client_for(OWNER).put(
        f"/api/v1/processes/{SLUG}/framework/",
        _framework_body("-250000.00", "1750000.00"),
        content_type="application/json",
    )
    assert response.status_code == 200, response.content
    framework = Process.objects.get(slug=SLUG).framework
    assert list(framework.years.values_list("minimum", "maximum")) == [
        (Decimal("-250000.00"), Decimal("1750000.00"))
    ]
    assert list(framework.aspects.values_list("name", flat=True)) == ["Milieu", "Groen"]


def test_invalid_framework_is_refused_and_nothing_changes(demo):
    framework = Process.objects.get(slug=SLUG).framework
    before = list(framework.years.values_list("year", "minimum", "maximum"))
    response = _client_for(OWNER).put(
        f"/api/v1/processes/{SLUG}/framework/",
        _framework_body("2000000.00", "1500000.00"),
        content_type="application/json",
    )
    assert response.status_code == 400
    assert any("2027" in message for message in response.json()["errors"])
    assert list(framework.years.values_list("year", "minimum", "maximum")) == before


@pytest.mark.parametrize(("email", "expected"), [(None, 403), (OTHER_STAFF, 403)])
def test_framework_update_needs_the_owner(demo, email, expected):
    response = _client_for(email).put(
        f"/api/v1/processes/{SLUG}/framework/",
        _framework_body("0.00", "1.00"),
        content_type="application/json",
    )
    assert response.status_code == expected


def test_openapi_schema_lists_the_operations():
    schema = Client().get("/api/v1/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json")
    assert schema.status_code == 200
    text = schema.content.decode()
    for path in ("/api/v1/processes/", "/api/v1/processes/{slug}/framework/"):
        assert path in text
