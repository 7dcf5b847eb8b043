"""The read-only committees API: public committees of public processes, members for staff."""

from __future__ import annotations

import pytest

from samenspraak.processes.models import ProcessStatus
from tests.committees.factories import CommitteeFactory, MembershipFactory
from tests.factories import ProcessFactory

pytestmark = pytest.mark.django_db


def test_list_filters_by_process_and_hides_drafts(client, committee, municipality, staff_user):
    CommitteeFactory(process=ProcessFactory(municipality=municipality), name="Elders")
    draft = ProcessFactory(municipality=municipality, status=ProcessStatus.DRAFT)
    CommitteeFactory(process=draft, name="Concept")

    every = client.get("/api/v1/committees/").json()
    assert sorted(c["name"] for c in every) == ["Comité Zorg", "Elders"]
    [only] = client.get(f"/api/v1/committees/?process={committee.process.slug}").json()
    assert only == {
        "slug": committee.slug,
        "name": "Comité Zorg",
        "kind": "expert_committee",
        "process": committee.process.slug,
        "theme": "Zorg",
        "size": 4,
        "member_count": 0,
        "status": "forming",
        "deliver_by": None,
        "applications_open": committee.applications_open.isoformat(),
        "applications_close": committee.applications_close.isoformat(),
        "url": f"http://testserver/comites/{committee.slug}/",
    }


def test_detail_shows_quotas_seed_and_facilitators(client, committee, facilitator):
    MembershipFactory(committee=committee, user=facilitator, role="facilitator", source="assigned")
    body = client.get(f"/api/v1/committees/{committee.slug}/").json()
    assert body["quotas"][0] == {"feature": "rol", "value": "inwoner", "min": 2, "max": 3}
    assert body["seed"] == committee.draw_seed
    assert body["draw"] is None
    assert body["facilitators"] == ["Fenna Begeleider"]
    assert body["members"] is None  # members are for staff only
    assert body["mandate"].startswith("Bedenk vier voorstellen")


def test_unknown_committee_is_404(client):
    assert client.get("/api/v1/committees/bestaat-niet/").status_code == 404


def test_the_schema_documents_the_committee_endpoints(client):
    schema = client.get("/api/v1/schema/").content.decode()
    assert "/api/v1/committees/{slug}/" in schema
