"""The /api/v1/ proposal endpoints: the same rules, services and validation as the pages."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.test import Client

from samenspraak.proposals.models import Proposal
from tests.proposals.conftest import REQUIREMENTS

pytestmark = pytest.mark.django_db


def _client(user=None) -> Client:
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


def _body(**overrides) -> dict:
    body = {
        "kind": "programme_of_requirements",
        "title": "Programma van Eisen via de API",
        "summary": "Alle eisen voor de wijk.",
        "aspects": ["Milieu"],
        "effects": [{"year": 2026, "structural": "0.00", "incidental": "-250000.00"}],
        "requirements": [
            {
                "aspect": "Parkeren",
                "title": "Parkeernorm",
                "priority": "must",
                "norm_quantity": "plaatsen per woning",
                "norm_operator": "at_least",
                "norm_value": "1.3",
                "norm_unit": "plaatsen",
            }
        ],
    }
    body.update(overrides)
    return body


def test_detail_gives_effects_and_requirements_with_exact_amounts(programme, member):
    body = _client(member).get(f"/api/v1/proposals/{programme.slug}/").json()
    assert body["slug"] == programme.slug
    assert body["status"] == "draft"
    assert body["author"]["committee"] == programme.author_committee.slug
    assert body["version"] == 1
    assert body["effects"] == [
        {"year": 2026, "structural": "-25000.00", "incidental": "-100000.00"},
        {"year": 2027, "structural": "40000.00", "incidental": "0.00"},
    ]
    assert [r["title"] for r in body["requirements"]] == [r["title"] for r in REQUIREMENTS]
    assert Decimal(body["requirements"][0]["norm_value"]) == Decimal("1.3")
    # Support and impact are for staff only.
    assert body["assessment"] is None


def test_staff_see_the_assessment(programme, staff_user):
    body = _client(staff_user).get(f"/api/v1/proposals/{programme.slug}/").json()
    assert body["assessment"] == {
        "support": None,
        "impact_score": None,
        "people_affected": None,
        "exclusive_group": "",
    }


def test_list_follows_the_reading_rules(proposal, member):
    url = f"/api/v1/processes/{proposal.process.slug}/proposals/"
    assert _client().get(url).json() == []
    assert [p["slug"] for p in _client(member).get(url).json()] == [proposal.slug]
    assert _client(member).get(url, {"status": "adopted"}).json() == []
    assert _client(member).get(url, {"status": "nonsense"}).status_code == 400


def test_create_through_the_service(committee, member, frameworks):
    url = f"/api/v1/processes/{committee.process.slug}/proposals/"
    response = _client(member).post(
        url, _body(committee=committee.slug), content_type="application/json"
    )
    assert response.status_code == 201, response.content
    proposal = Proposal.objects.get()
    assert response.json()["slug"] == proposal.slug
    assert proposal.author_committee == committee
    assert proposal.current_version.number == 1
    assert proposal.requirements.get().norm_value == Decimal("1.3")
    assert proposal.effects.get().incidental == Decimal("-250000.00")


@pytest.mark.parametrize(
    ("effects", "field"),
    [
        ([{"year": 2026, "structural": "veel"}], "structural"),
        ([{"year": 2026, "structural": "1.00"}, {"year": 2026, "structural": "2.00"}], "effects"),
    ],
    ids=["non-numeric", "two-effects-one-year"],
)
def test_bad_input_is_a_400_naming_the_field_and_nothing_is_stored(
    committee, member, frameworks, effects, field
):
    url = f"/api/v1/processes/{committee.process.slug}/proposals/"
    response = _client(member).post(
        url, _body(committee=committee.slug, effects=effects), content_type="application/json"
    )
    assert response.status_code == 400
    assert field in response.content.decode()
    assert Proposal.objects.count() == 0


def test_a_norm_without_value_is_refused(committee, member, frameworks):
    url = f"/api/v1/processes/{committee.process.slug}/proposals/"
    requirement = {**_body()["requirements"][0], "norm_value": None}
    response = _client(member).post(
        url,
        _body(committee=committee.slug, requirements=[requirement]),
        content_type="application/json",
    )
    assert response.status_code == 400
    # Dutch first, like every message of the platform: "Eis 1: ... de waarde nodig."
    message = " ".join(response.json()["errors"]["requirements"])
    assert "Eis 1" in message and "waarde" in message
    assert Proposal.objects.count() == 0


def test_update_writes_a_new_version_and_versions_lists_both(programme, member):
    url = f"/api/v1/proposals/{programme.slug}/"
    response = _client(member).put(
        url,
        _body(title=programme.title, summary="Nieuwe samenvatting.", note="Via de API"),
        content_type="application/json",
    )
    assert response.status_code == 200, response.content
    assert response.json()["version"] == 2
    versions = _client(member).get(f"{url}versions/").json()
    assert [v["number"] for v in versions] == [2, 1]
    assert versions[0]["note"] == "Via de API"
    assert versions[0]["content"]["summary"] == "Nieuwe samenvatting."
    # Left-out effects are kept; given requirements replace the old ones.
    programme.refresh_from_db()
    assert programme.effects.count() == 1  # the body gave one effect
    assert programme.requirements.count() == 1


def test_the_facilitator_cannot_write_through_the_api(programme, committee, facilitator):
    client = _client(facilitator)
    url = f"/api/v1/proposals/{programme.slug}/"
    assert client.get(url).status_code == 200  # they see everything of their committee
    assert client.put(url, _body(), content_type="application/json").status_code == 403
    created = client.post(
        f"/api/v1/processes/{committee.process.slug}/proposals/",
        _body(committee=committee.slug),
        content_type="application/json",
    )
    assert created.status_code == 403
    assert Proposal.objects.count() == 1
    programme.refresh_from_db()
    assert programme.current_version.number == 1


def test_the_openapi_schema_is_valid_and_lists_the_proposal_operations():
    from drf_spectacular.generators import SchemaGenerator
    from drf_spectacular.validation import validate_schema

    schema = SchemaGenerator().get_schema(request=None, public=True)
    validate_schema(schema)  # raises on an invalid OpenAPI 3 document
    for path in (
        "/api/v1/processes/{slug}/proposals/",
        "/api/v1/proposals/{slug}/",
        "/api/v1/proposals/{slug}/versions/",
    ):
        assert path in schema["paths"], path
    assert {"get", "post"} <= set(schema["paths"]["/api/v1/processes/{slug}/proposals/"])
    assert {"get", "put"} <= set(schema["paths"]["/api/v1/proposals/{slug}/"])
