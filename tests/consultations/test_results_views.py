"""The close page (staff, with confirmation), the results page per role and kind, and the
history entry of a close."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from samenspraak.accounts.models import Role
from samenspraak.common.models import AuditEvent
from samenspraak.consultations.models import ConsultationKind, ConsultationStatus
from tests.consultations.results_helpers import add_ballots, add_items, make_consultation


@pytest.fixture
def pb(process):
    consultation = make_consultation(process, ConsultationKind.PB, budget=Decimal("100.00"))
    add_items(
        consultation,
        [
            {"code": "a", "title": "Speeltuin", "cost": Decimal("60")},
            {"code": "b", "title": "Bankjes", "cost": Decimal("50")},
        ],
    )
    add_ballots(consultation, [{"a": 1}, {"a": 1}, {"b": 1}])
    return consultation


def _close_url(consultation) -> str:
    return reverse("consultations:close", args=[consultation.slug])


def test_staff_confirm_before_closing_early(pb, staff_user, client):
    client.force_login(staff_user)
    page = client.get(_close_url(pb))
    assert page.status_code == 200
    html = page.content.decode()
    assert 'id="close-early"' in html and 'name="confirm"' in html
    refused = client.post(_close_url(pb), {})
    assert refused.status_code == 400 and "error-summary" in refused.content.decode()
    pb.refresh_from_db()
    assert pb.status == ConsultationStatus.PUBLISHED and not pb.results.exists()
    done = client.post(_close_url(pb), {"confirm": "on"})
    assert done.status_code == 302
    assert done["Location"] == reverse("consultations:results", args=[pb.slug])
    pb.refresh_from_db()
    assert pb.status == ConsultationStatus.CLOSED
    assert pb.results.get(rule="greedy").selected == ["a"]
    assert AuditEvent.objects.get(action="consultation_close").changes["early"] is True
    again = client.get(_close_url(pb))
    assert again.status_code == 302  # already closed: back to the results


def test_closing_after_the_end_time_is_not_early(pb, staff_user, client):
    pb.opens_at = timezone.now() - datetime.timedelta(days=10)
    pb.closes_at = timezone.now() - datetime.timedelta(days=1)
    pb.save()
    client.force_login(staff_user)
    assert 'id="close-early"' not in client.get(_close_url(pb)).content.decode()
    client.post(_close_url(pb), {"confirm": "on"})
    assert AuditEvent.objects.get(action="consultation_close").changes["early"] is False


def test_a_draft_cannot_be_closed_from_the_page(pb, staff_user, client):
    pb.status = ConsultationStatus.DRAFT
    pb.save()
    client.force_login(staff_user)
    response = client.post(_close_url(pb), {"confirm": "on"})
    assert response.status_code == 400
    pb.refresh_from_db()
    assert pb.status == ConsultationStatus.DRAFT and not pb.results.exists()


@pytest.mark.parametrize(
    ("role", "expected"),
    [(None, 302), (Role.RESIDENT, 403), (Role.COUNCIL_MEMBER, 403), ("other_staff", 403)],
)
def test_only_managers_reach_the_close_page(pb, client, user_of_role, other_staff, role, expected):
    if role == "other_staff":
        client.force_login(other_staff)
    elif role is not None:
        client.force_login(user_of_role(role))
    assert client.get(_close_url(pb)).status_code == expected
    assert client.post(_close_url(pb), {"confirm": "on"}).status_code == expected
    pb.refresh_from_db()
    assert pb.status == ConsultationStatus.PUBLISHED


def test_results_page_per_role_before_and_after_closing(
    pb, staff_user, admin_user, client, user_of_role
):
    url = reverse("consultations:results", args=[pb.slug])
    viewers = [None, user_of_role(Role.RESIDENT), user_of_role(Role.CLERK), admin_user]
    expected_open = [403, 403, 403, 200]
    for user, status in zip(viewers, expected_open, strict=True):
        client.logout()
        if user:
            client.force_login(user)
        assert client.get(url).status_code == status, user
    client.force_login(staff_user)
    client.post(_close_url(pb), {"confirm": "on"})
    for user in viewers:
        client.logout()
        if user:
            client.force_login(user)
        page = client.get(url)
        assert page.status_code == 200
        assert 'id="funded-projects"' in page.content.decode()


def test_a_draft_is_not_found_for_the_public(pb, client):
    pb.status = ConsultationStatus.DRAFT
    pb.save()
    assert client.get(reverse("consultations:results", args=[pb.slug])).status_code == 404
    assert client.get(reverse("consultations:results_csv", args=[pb.slug])).status_code == 404
