"""Declining an application: staff take someone out of the pool with a reason (kept in the
history), can undo it until the draw, and the applicant sees a plain status page."""

from __future__ import annotations

import re

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError

from samenspraak.committees import selectors, services
from samenspraak.committees.models import Application, ApplicationStatus
from samenspraak.common.models import AuditEvent
from tests.committees.conftest import POOL, add_applicants
from tests.processes.test_views import tag_with_id

pytestmark = pytest.mark.django_db


@pytest.fixture
def pool(committee):
    return add_applicants(committee, POOL)


def _decline(staff_user, application, reason="Woont niet in de gemeente."):
    return services.application_decline(actor=staff_user, application=application, reason=reason)


# --- the service -----------------------------------------------------------------------------


def test_a_declined_application_leaves_the_pool_with_its_reason_in_the_history(
    committee, staff_user, pool
):
    anna = pool[0]
    _decline(staff_user, anna)
    anna.refresh_from_db()
    assert anna.status == ApplicationStatus.DECLINED
    assert anna.decline_reason == "Woont niet in de gemeente."
    assert anna not in selectors.pool(committee)
    assert selectors.pool(committee).count() == len(POOL) - 1
    event = AuditEvent.objects.get(action="application_decline")
    assert event.actor == staff_user
    assert event.process_id == committee.process_id
    assert event.changes == {"application": anna.number, "reason": "Woont niet in de gemeente."}
    # The history names the application by its number, never the person.
    assert "Anna" not in event.object_label and "Anna" not in str(event.changes)


def test_a_declined_applicant_is_never_drawn(committee, staff_user, pool):
    declined = pool[:2]  # Anna and Bas
    for application in declined:
        _decline(staff_user, application)
    data = services.draw_input(committee)
    assert data["pool_size"] == len(POOL) - 2
    pool_ids = {line.split(",")[0] for line in data["people_file"].splitlines()[1:]}
    assert pool_ids.isdisjoint({a.pool_id for a in declined})
    draw = services.committee_draw(actor=staff_user, committee=committee, seed=42)
    assert set(draw.selected).isdisjoint({a.pool_id for a in declined})
    assert set(draw.probabilities).isdisjoint({a.pool_id for a in declined})
    for application in declined:
        application.refresh_from_db()
        assert application.status == ApplicationStatus.DECLINED


def test_undo_puts_the_application_back_and_is_recorded(committee, staff_user, pool):
    anna = pool[0]
    _decline(staff_user, anna)
    services.application_restore(actor=staff_user, application=anna)
    anna.refresh_from_db()
    assert (anna.status, anna.decline_reason) == (ApplicationStatus.APPLIED, "")
    assert anna in selectors.pool(committee)
    event = AuditEvent.objects.get(action="application_restore")
    assert event.changes == {"application": anna.number, "reason_was": "Woont niet in de gemeente."}


def test_a_decline_needs_a_reason(staff_user, pool):
    with pytest.raises(ValidationError) as caught:
        _decline(staff_user, pool[0], reason="   ")
    assert "reason" in caught.value.message_dict
    pool[0].refresh_from_db()
    assert pool[0].status == ApplicationStatus.APPLIED
    assert not AuditEvent.objects.filter(action="application_decline").exists()


def test_only_an_application_in_the_pool_is_declined_or_restored(staff_user, pool):
    anna = pool[0]
    _decline(staff_user, anna)
    with pytest.raises(ValidationError):
        _decline(staff_user, anna, reason="Nog een keer")
    with pytest.raises(ValidationError):
        services.application_restore(actor=staff_user, application=pool[1])  # never declined
    assert AuditEvent.objects.filter(action="application_decline").count() == 1


def test_after_the_draw_the_pool_is_closed(committee, staff_user, pool):
    _decline(staff_user, pool[0])
    services.committee_draw(actor=staff_user, committee=committee, seed=42)
    still_in_pool = next(a for a in pool[1:] if selectors.pool(committee).filter(pk=a.pk).exists())
    with pytest.raises(ValidationError, match="pool"):
        _decline(staff_user, still_in_pool)
    with pytest.raises(ValidationError, match="pool"):
        services.application_restore(actor=staff_user, application=pool[0])
    pool[0].refresh_from_db()
    assert pool[0].status == ApplicationStatus.DECLINED


def test_only_who_manages_the_committee_declines(pool, other_staff, facilitator):
    for actor in (other_staff, facilitator):
        with pytest.raises(PermissionDenied):
            _decline(actor, pool[0])
    pool[0].refresh_from_db()
    assert pool[0].status == ApplicationStatus.APPLIED


# --- the staff pages -------------------------------------------------------------------------


def test_the_applications_list_shows_each_status_and_the_way_to_decline(
    client, committee, staff_user, pool
):
    _decline(staff_user, pool[1], reason="Dubbele aanmelding")
    client.force_login(staff_user)
    content = client.get(f"/beheer/comites/{committee.slug}/aanmeldingen/").content.decode()
    anna_row = re.search(r"<tr[^>]*>\s*<th[^>]*>Anna</th>.*?</tr>", content, re.S).group(0)
    bas_row = re.search(r"<tr[^>]*>\s*<th[^>]*>Bas</th>.*?</tr>", content, re.S).group(0)
    assert "Aangemeld" in anna_row
    assert f"/aanmeldingen/{pool[0].number}/afwijzen/" in anna_row
    assert "Afgewezen" in bas_row and "Dubbele aanmelding" in bas_row
    assert f"/aanmeldingen/{pool[1].number}/terugzetten/" in bas_row
    assert "csrfmiddlewaretoken" in bas_row


def test_declining_on_its_page_asks_the_reason_and_keeps_it(client, committee, staff_user, pool):
    client.force_login(staff_user)
    url = f"/beheer/comites/{committee.slug}/aanmeldingen/{pool[0].number}/afwijzen/"
    page = client.get(url).content.decode()
    assert "Anna" in page and 'name="reason"' in page

    response = client.post(url, {"reason": ""})
    content = response.content.decode()
    assert response.status_code == 200
    assert 'id="error-summary"' in content
    assert 'aria-invalid="true"' in tag_with_id(content, "id_reason")
    assert Application.objects.get(pk=pool[0].pk).status == ApplicationStatus.APPLIED

    response = client.post(url, {"reason": "Woont in Utrecht."}, follow=True)
    assert response.redirect_chain[-1][0] == f"/beheer/comites/{committee.slug}/aanmeldingen/"
    assert "wordt niet geloot" in response.content.decode()
    assert Application.objects.get(pk=pool[0].pk).decline_reason == "Woont in Utrecht."


def test_undo_from_the_list(client, committee, staff_user, pool):
    _decline(staff_user, pool[0])
    client.force_login(staff_user)
    url = f"/beheer/comites/{committee.slug}/aanmeldingen/{pool[0].number}/terugzetten/"
    response = client.post(url, follow=True)
    assert "weer in de pool" in response.content.decode()
    assert Application.objects.get(pk=pool[0].pk).status == ApplicationStatus.APPLIED


def test_after_the_draw_the_list_offers_no_decline(client, committee, staff_user, pool):
    services.committee_draw(actor=staff_user, committee=committee, seed=42)
    client.force_login(staff_user)
    content = client.get(f"/beheer/comites/{committee.slug}/aanmeldingen/").content.decode()
    assert "/afwijzen/" not in content
    page = client.get(
        f"/beheer/comites/{committee.slug}/aanmeldingen/{pool[0].number}/afwijzen/"
    ).content.decode()
    assert 'name="reason"' not in page
    assert "de pool is gesloten" in page


def test_the_history_names_the_decline(client, committee, staff_user, pool):
    _decline(staff_user, pool[0], reason="Woont niet in de gemeente.")
    client.force_login(staff_user)
    content = client.get(
        f"/beheer/processen/{committee.process.slug}/geschiedenis/"
    ).content.decode()
    assert "Aanmelding afgewezen" in content


# --- what the applicant sees -----------------------------------------------------------------


def _status_page(client, application) -> str:
    response = client.get(f"/aanmelding/{application.uuid}/")
    assert response.status_code == 200
    return response.content.decode()


def _status(content: str) -> str:
    return re.search(r'data-status="([a-z_]+)"', content).group(1)


def test_the_applicant_gets_a_mail_with_a_link_to_their_status(
    client, committee, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            f"/comites/{committee.slug}/aanmelden/",
            {
                "full_name": "Anna de Vries",
                "email": "anna@example.org",
                "feature_0": "inwoner",
                "feature_1": "jong",
                "consent": "on",
            },
        )
    application = Application.objects.get(email="anna@example.org")
    [message] = mail.outbox
    assert message.to == ["anna@example.org"]
    assert f"http://testserver/aanmelding/{application.uuid}/" in message.body
    assert committee.name in message.subject


def test_the_status_page_in_each_state_in_plain_dutch(client, committee, staff_user, pool):
    anna, bas = pool[0], pool[1]
    content = _status_page(client, anna)
    assert _status(content) == "applied"
    assert "U doet mee aan de loting" in content

    _decline(staff_user, bas, reason="Geheime reden")
    content = _status_page(client, bas)
    assert _status(content) == "declined"
    assert "doet niet mee aan de loting" in content
    assert "Geheime reden" not in content  # the reason is for staff only
    assert "Bas" not in content  # the page names nobody

    draw = services.committee_draw(actor=staff_user, committee=committee, seed=42)
    drawn = Application.objects.get(committee=committee, number=int(draw.selected[0]))
    assert _status(_status_page(client, drawn)) == "selected"
    left_out = next(a for a in pool if a.pool_id not in draw.selected and a.pk != bas.pk)
    content = _status_page(client, left_out)
    assert _status(content) == "not_drawn"
    assert f"/processen/{committee.process.slug}/kennisnetwerk/" in content


def test_an_unknown_status_link_is_not_found(client, pool):
    assert client.get("/aanmelding/00000000-0000-4000-8000-000000000000/").status_code == 404
