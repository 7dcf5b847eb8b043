"""Polls: the support share support ÷ (support + oppose) with a 95% Wilson interval, the
support flowing into the linked proposal, closing rules, the page and its open data."""

from __future__ import annotations

import csv
import io
import json
import math

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from samenspraak.accounts.models import Role
from samenspraak.common.models import AuditEvent
from samenspraak.consultations import results
from samenspraak.consultations.models import ConsultationKind, ConsultationStatus, PollAnswer
from tests.consultations.results_helpers import (
    add_ballot,
    add_items,
    make_consultation,
    make_proposal,
)

FOR, AGAINST, NEUTRAL = PollAnswer.SUPPORT, PollAnswer.OPPOSE, PollAnswer.NO_OPINION


def test_wilson_interval_against_a_hand_computed_value():
    # 8 of 10, z = 1.96: centre (0.8 + 0.19208) / 1.38416 = 0.716737,
    # half width 1.96 * sqrt(0.016 + 0.009604) / 1.38416 = 0.226581.
    low, high = results.wilson_interval(8, 10)
    assert low == pytest.approx(0.490156, abs=2e-5)
    assert high == pytest.approx(0.943318, abs=2e-5)


def test_wilson_interval_edges():
    assert results.wilson_interval(0, 0) is None
    low, high = results.wilson_interval(0, 5)
    assert low == 0.0 and high == pytest.approx(0.434482, abs=2e-5)  # 3.8415/(5+3.8415)
    low, high = results.wilson_interval(5, 5)
    assert high == 1.0 and low == pytest.approx(1 - 0.434482, abs=2e-5)
    with pytest.raises(ValueError):
        results.wilson_interval(6, 5)


@pytest.fixture
def poll(process):
    consultation = make_consultation(process, ConsultationKind.POLL, title="Peiling PvE")
    pve = make_proposal(process, "Programma van Eisen", slug="pve")
    add_items(
        consultation,
        [
            {"code": "pve", "title": "Het hele Programma van Eisen", "proposal": pve},
            {"code": "groen", "title": "Hoofdstuk groen"},
        ],
    )
    answers = [FOR] * 6 + [AGAINST] * 2 + [NEUTRAL] * 2
    for number, answer in enumerate(answers, start=1):
        add_ballot(consultation, {"pve": answer}, key=f"t:{number}", age_band="30-44")
    return consultation


def test_closing_counts_shares_and_stores_support_with_the_proposal(poll, staff_user):
    stored = results.consultation_close(actor=staff_user, consultation=poll)
    assert [r.rule for r in stored] == [results.COUNT]
    poll.refresh_from_db()
    assert poll.status == ConsultationStatus.CLOSED
    entry = results.counts_for(poll)["items"]["pve"]
    assert (entry["support"], entry["oppose"], entry["no_opinion"]) == (6, 2, 2)
    assert entry["share"] == "0.7500"  # 6 / (6 + 2); no opinion does not count
    low, high = results.wilson_interval(6, 8)
    assert entry["ci"] == [round(low, 6), round(high, 6)]
    assert 0.40 < low < 0.75 < high < 0.95
    nothing = results.counts_for(poll)["items"]["groen"]
    assert nothing["share"] is None and nothing["ci"] is None and nothing["unanswered"] == 10
    pve = poll.items.get(code="pve").proposal
    pve.refresh_from_db()
    assert str(pve.support) == "0.7500"
    event = AuditEvent.objects.get(action="consultation_close")
    assert event.changes["status"] == ["published", "closed"]
    assert event.changes["support"] == {"pve": "0.7500"} and event.changes["early"] is True
    assert AuditEvent.objects.filter(action="proposal_assess", object_id=str(pve.pk)).exists()


def test_a_draft_or_closed_consultation_cannot_be_closed(poll, staff_user):
    poll.status = ConsultationStatus.DRAFT
    poll.save()
    with pytest.raises(ValidationError):
        results.consultation_close(actor=staff_user, consultation=poll)
    assert not poll.results.exists()
    poll.status = ConsultationStatus.PUBLISHED
    poll.save()
    results.consultation_close(actor=staff_user, consultation=poll)
    with pytest.raises(ValidationError):
        results.consultation_close(actor=staff_user, consultation=poll)


def test_only_a_manager_closes(poll, other_staff, user_of_role):
    for user in (other_staff, user_of_role(Role.RESIDENT), user_of_role(Role.COUNCIL_MEMBER)):
        with pytest.raises(PermissionDenied):
            results.consultation_close(actor=user, consultation=poll)
    poll.refresh_from_db()
    assert poll.status == ConsultationStatus.PUBLISHED and not poll.results.exists()


def test_results_are_hidden_from_the_public_until_closed(poll, client, staff_user, user_of_role):
    url = reverse("consultations:results", args=[poll.slug])
    hidden = client.get(url)
    assert hidden.status_code == 403
    html = hidden.content.decode()
    assert "results-pending" in html and "poll-table" not in html
    for name in ("results_csv", "results_json"):
        assert client.get(reverse(f"consultations:{name}", args=[poll.slug])).status_code == 302
    client.force_login(user_of_role(Role.RESIDENT))
    assert client.get(url).status_code == 403
    assert client.get(reverse("consultations:results_csv", args=[poll.slug])).status_code == 403
    client.force_login(staff_user)
    own = client.get(url)
    assert own.status_code == 200
    html = own.content.decode()
    # The manager sees running figures, counted on the spot and not stored.
    assert "results-not-counted" in html and "75,0%" in html and 'id="close-link"' in html
    assert "downloads-heading" not in html and not poll.results.exists()


def test_the_closed_poll_page_shows_shares_and_intervals(poll, client, staff_user):
    results.consultation_close(actor=staff_user, consultation=poll)
    page = client.get(reverse("consultations:results", args=[poll.slug]))
    assert page.status_code == 200
    html = page.content.decode()
    assert "75,0%" in html
    low, high = results.wilson_interval(6, 8)
    assert f"{100 * low:.1f}%".replace(".", ",") in html
    assert f"{100 * high:.1f}%".replace(".", ",") in html
    assert 'id="support-explained"' in html
    assert "age-table" in html and "district-table" in html


def test_poll_open_data(poll, client, staff_user):
    results.consultation_close(actor=staff_user, consultation=poll)
    response = client.get(reverse("consultations:results_csv", args=[poll.slug]))
    assert response.status_code == 200
    assert response["Content-Disposition"].endswith(f'"{poll.slug}.csv"')
    rows = list(csv.DictReader(io.StringIO(response.content.decode())))
    assert [r["item"] for r in rows] == ["pve", "groen"]
    assert rows[0]["support"] == "6" and rows[0]["support_share"] == "0.7500"
    assert math.isclose(float(rows[0]["ci95_low"]), results.wilson_interval(6, 8)[0], abs_tol=1e-4)
    data = json.loads(client.get(reverse("consultations:results_json", args=[poll.slug])).content)
    assert data["consultation"]["kind"] == "poll"
    assert data["counts"]["items"]["pve"]["oppose"] == 2
    assert data["counts"]["demographics"]["age_band"] == {"30-44": 10}
    assert "t:1" not in json.dumps(data)  # no voter keys in open data
    assert client.get(reverse("consultations:results_pb", args=[poll.slug])).status_code == 404
