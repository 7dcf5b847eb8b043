"""The committee pages through the Django test client: what a person typing into them gets."""

from __future__ import annotations

import datetime
import re

import pytest
from django.core import mail
from django.utils import timezone

from samenspraak.committees.models import Application, CommitteeStatus, Membership
from tests.committees.conftest import add_applicants
from tests.committees.factories import MeetingFactory, MembershipFactory, MessageFactory
from tests.processes.test_views import input_value, tag_with_id

pytestmark = pytest.mark.django_db


def _apply_url(committee):
    return f"/comites/{committee.slug}/aanmelden/"


def _form(**overrides):
    data = {
        "full_name": "Anna de Vries",
        "email": "anna@example.org",
        "phone": "",
        "feature_0": "inwoner",
        "feature_1": "jong",
        "household_key": "3701 AB 12",
        "motivation": "Ik woon hier al dertig jaar.",
        "consent": "on",
    }
    data.update(overrides)
    return {k: v for k, v in data.items() if v is not None}


# --- the public sign-up form ---------------------------------------------------------------


def test_the_form_asks_each_quota_feature_with_its_values(client, committee):
    content = client.get(_apply_url(committee)).content.decode()
    assert "Rol" in content and "Leeftijd" in content
    select = re.search(r'<select name="feature_0".*?</select>', content, re.S).group(0)
    assert re.findall(r'<option value="([^"]*)"', select) == ["", "inwoner", "ondernemer"]
    assert 'type="checkbox" name="consent"' in content


def test_a_valid_application_is_stored_and_thanked(client, committee):
    response = client.post(_apply_url(committee), _form(), follow=True)
    assert response.redirect_chain[-1][0] == committee.get_absolute_url()
    assert "Bedankt voor uw aanmelding" in response.content.decode()
    application = Application.objects.get(committee=committee)
    assert application.answers == {"rol": "inwoner", "leeftijd": "jong"}
    assert application.household_key == "3701 AB 12"
    assert application.consent is True


def test_errors_keep_what_was_typed_and_store_nothing(client, committee):
    response = client.post(
        _apply_url(committee),
        _form(consent=None, feature_1="", email="geen-adres", full_name="Anna de Vries"),
    )
    assert response.status_code == 200
    content = response.content.decode()
    assert not Application.objects.exists()
    # One summary at the top, each error at its field, what was typed is still there.
    assert 'id="error-summary"' in content
    assert "privacyverklaring" in content  # consent refused, in Dutch
    assert 'aria-invalid="true"' in tag_with_id(content, "id_email")
    assert input_value(content, "id_email") == "geen-adres"
    assert input_value(content, "id_full_name") == "Anna de Vries"
    assert input_value(content, "id_household_key") == "3701 AB 12"
    assert 'aria-invalid="true"' in tag_with_id(content, "id_feature_1")
    chosen = re.search(r'<select name="feature_0".*?</select>', content, re.S).group(0)
    assert '<option value="inwoner" selected>' in chosen


def test_a_value_outside_the_quotas_is_refused(client, committee):
    response = client.post(_apply_url(committee), _form(feature_0="wethouder"))
    assert response.status_code == 200
    assert not Application.objects.exists()


def test_the_same_address_twice_is_refused_at_the_field(client, committee):
    client.post(_apply_url(committee), _form())
    response = client.post(_apply_url(committee), _form(full_name="Anna 2"))
    content = response.content.decode()
    assert Application.objects.count() == 1
    assert "al aangemeld" in content
    assert 'aria-invalid="true"' in tag_with_id(content, "id_email")


def test_a_closed_committee_shows_no_form_and_stores_nothing(client, committee):
    committee.applications_close = timezone.localdate() - datetime.timedelta(days=1)
    committee.save()
    response = client.post(_apply_url(committee), _form())
    assert "gesloten" in response.content.decode()
    assert '<form method="post" class="samenspraak-form"' not in response.content.decode()
    assert not Application.objects.exists()


def test_public_page_announces_the_seed_before_the_draw(client, committee):
    content = client.get(committee.get_absolute_url()).content.decode()
    assert str(committee.draw_seed) in content
    assert _apply_url(committee) in content


def test_process_page_lists_its_committees_and_the_knowledge_network(client, committee):
    content = client.get(committee.process.get_absolute_url()).content.decode()
    assert committee.get_absolute_url() in content
    assert f"/processen/{committee.process.slug}/kennisnetwerk/" in content


# --- staff pages ---------------------------------------------------------------------------


def test_staff_page_shows_the_representation_check(client, committee, staff_user):
    apps = add_applicants(committee, [("Anna", "inwoner", "jong"), ("Bas", "inwoner", "oud")])
    for application in apps:
        MembershipFactory(committee=committee, user=None, application=application)
    client.force_login(staff_user)
    content = client.get(f"/beheer/comites/{committee.slug}/").content.decode()
    # ondernemer needs at least 1 and has 0: missing; inwoner 2 of 2-3: in order.
    assert "samenspraak-representation--missing" in content
    assert "Ontbreekt: minstens 1 nodig" in content
    assert content.count("samenspraak-representation--ok") == 3


def test_staff_edit_refuses_quotas_that_cannot_add_up(client, committee, staff_user):
    client.force_login(staff_user)
    data = {
        "name": committee.name,
        "kind": committee.kind,
        "size": "4",
        "mandate": committee.mandate,
        "facilitators_needed": "1",
        "quotas-TOTAL_FORMS": "2",
        "quotas-INITIAL_FORMS": "0",
        "quotas-0-feature": "rol",
        "quotas-0-value": "inwoner",
        "quotas-0-minimum": "3",
        "quotas-0-maximum": "4",
        "quotas-1-feature": "rol",
        "quotas-1-value": "ondernemer",
        "quotas-1-minimum": "3",
        "quotas-1-maximum": "4",
    }
    response = client.post(f"/beheer/comites/{committee.slug}/bewerken/", data)
    assert response.status_code == 200
    assert "tellen op tot 6" in response.content.decode()
    assert committee.quotas.count() == 4  # unchanged


def test_invite_form_errors_stay_on_the_page(client, committee, staff_user):
    client.force_login(staff_user)
    response = client.post(
        f"/beheer/comites/{committee.slug}/aanmeldingen/uitnodigen/",
        {"full_name": "Iris", "feature_0": "inwoner"},
    )
    assert response.status_code == 200
    assert 'aria-invalid="true"' in tag_with_id(response.content.decode(), "id_feature_1")
    assert not Membership.objects.exists()


def test_import_errors_name_line_and_column_and_store_nothing(client, committee, staff_user):
    from django.core.files.uploadedfile import SimpleUploadedFile

    client.force_login(staff_user)
    text = "id,rol,leeftijd\n1,inwoner,jong\n2,wethouder,oud\n"
    upload = SimpleUploadedFile("pool.csv", text.encode(), content_type="text/csv")
    response = client.post(
        f"/beheer/comites/{committee.slug}/aanmeldingen/importeren/",
        {"file": upload, "consent": "on"},
    )
    content = response.content.decode()
    assert response.status_code == 200
    assert "regel 3" in content.lower()
    assert not Application.objects.exists()


# --- workspace -----------------------------------------------------------------------------


def test_workspace_shows_mandate_frameworks_meetings_and_thread(client, committee, facilitator):
    member = MembershipFactory(committee=committee).user
    MembershipFactory(committee=committee, user=facilitator, role="facilitator", source="assigned")
    MeetingFactory(committee=committee, title="Startbijeenkomst", agenda="1. Kaders")
    MessageFactory(committee=committee, author=member, body="Hallo allemaal")
    client.force_login(member)
    content = client.get(f"/comites/{committee.slug}/werkruimte/").content.decode()
    assert committee.mandate in content
    assert "Wat de raad vooraf heeft besloten" in content  # the process's frameworks
    assert "Startbijeenkomst" in content and "1. Kaders" in content
    assert "Hallo allemaal" in content
    assert f"agenda.ics?sleutel={committee.calendar_token}" in content
    assert 'name="body"' in content  # a member may post
    assert "Proceschecklist" not in content  # the checklist is the facilitator's


def test_facilitator_sees_the_checklist_and_moderates_but_cannot_post(
    client, committee, facilitator
):
    MembershipFactory(committee=committee, user=facilitator, role="facilitator", source="assigned")
    MessageFactory(committee=committee, body="Iets ongepasts")
    client.force_login(facilitator)
    content = client.get(f"/comites/{committee.slug}/werkruimte/").content.decode()
    assert "Proceschecklist" in content
    assert "Bericht verwijderen" in content
    assert 'name="body"' not in content
    response = client.post(f"/comites/{committee.slug}/berichten/", {"body": "Mijn mening"})
    assert response.status_code == 403


def test_facilitator_moves_the_committee_one_step(client, committee, facilitator):
    MembershipFactory(committee=committee, user=facilitator, role="facilitator", source="assigned")
    client.force_login(facilitator)
    response = client.post(f"/comites/{committee.slug}/volgende-stap/", follow=True)
    committee.refresh_from_db()
    assert committee.status == CommitteeStatus.DRAFTING
    assert "Plan schrijven" in response.content.decode()


# --- knowledge network ---------------------------------------------------------------------


def test_network_opt_in_sends_a_mail_with_the_confirmation_link(
    client, committee, django_capture_on_commit_callbacks
):
    url = f"/processen/{committee.process.slug}/kennisnetwerk/"
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            url,
            {"name": "Kees", "email": "Kees@Example.org", "themes": ["Zorg"], "consent": "on"},
        )
    assert response.status_code == 200
    assert "Kijk in uw e-mail" in response.content.decode()
    [message] = mail.outbox
    assert message.to == ["kees@example.org"]
    assert "/kennisnetwerk/bevestigen/" in message.body
    assert "/kennisnetwerk/afmelden/" not in message.body  # not in the network yet


def test_network_opt_in_needs_a_theme_and_consent(client, committee):
    url = f"/processen/{committee.process.slug}/kennisnetwerk/"
    response = client.post(url, {"name": "Kees", "email": "kees@example.org"})
    content = response.content.decode()
    assert "Kies minstens één thema" in content
    assert "als u akkoord gaat" in content
