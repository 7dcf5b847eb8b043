"""The mail rate limits on the committees' public forms (common.throttle in use)."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from samenspraak.committees import services
from samenspraak.committees.models import Application, KnowledgeNetworkRequest

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


def _apply(committee, number: int, client: str):
    return services.application_submit(
        committee=committee,
        full_name=f"Persoon {number}",
        email=f"persoon{number}@example.org",
        answers={"rol": "inwoner", "leeftijd": "jong"},
        consent=True,
        client_address=client,
    )


def test_sign_ups_from_one_client_address_are_limited_per_hour(committee, settings):
    settings.COMMITTEE_APPLICATIONS_PER_HOUR = 2
    _apply(committee, 1, "192.0.2.7")
    _apply(committee, 2, "192.0.2.7")
    with pytest.raises(ValidationError) as caught:
        _apply(committee, 3, "192.0.2.7")
    assert "many sign-ups from your internet connection" in " ".join(caught.value.messages)
    assert committee.applications.count() == 2  # nothing stored for the refused one
    _apply(committee, 4, "192.0.2.8")  # another client is still fine
    assert Application.objects.filter(committee=committee).count() == 3


def test_a_sign_up_that_fails_its_checks_does_not_count(committee, settings):
    settings.COMMITTEE_APPLICATIONS_PER_HOUR = 1
    _apply(committee, 1, "192.0.2.7")
    with pytest.raises(ValidationError):
        _apply(committee, 1, "192.0.2.9")  # the same e-mail address again: refused first
    _apply(committee, 2, "192.0.2.9")  # so this client still has its one sign-up


def _opt_in(email: str, client: str = ""):
    return services.knowledge_network_opt_in(
        email=email, name="Kees", themes=["Zorg"], client_address=client
    )


def test_opt_ins_to_one_address_are_limited_and_the_error_names_the_field(settings):
    settings.KNOWLEDGE_NETWORK_OPT_INS_PER_HOUR = 2
    _opt_in("kees@example.org")
    _opt_in("KEES@example.org")
    with pytest.raises(ValidationError) as caught:
        _opt_in("kees@example.org")
    assert list(caught.value.message_dict) == ["email"]
    assert "several e-mails to this address" in caught.value.message_dict["email"][0]
    _opt_in("anna@example.org")
    assert KnowledgeNetworkRequest.objects.count() == 2


def test_opt_ins_from_one_client_address_are_limited(settings):
    settings.KNOWLEDGE_NETWORK_OPT_INS_PER_CLIENT_PER_HOUR = 2
    _opt_in("a@example.org", "198.51.100.1")
    _opt_in("b@example.org", "198.51.100.1")
    with pytest.raises(ValidationError):
        _opt_in("c@example.org", "198.51.100.1")
    assert not KnowledgeNetworkRequest.objects.filter(email="c@example.org").exists()
    _opt_in("c@example.org", "198.51.100.2")


def test_the_public_forms_pass_the_client_address(client, committee, settings):
    settings.COMMITTEE_APPLICATIONS_PER_HOUR = 1
    url = f"/comites/{committee.slug}/aanmelden/"
    form = {
        "full_name": "Kees",
        "email": "kees@example.org",
        "feature_0": "inwoner",
        "feature_1": "oud",
        "consent": "on",
    }
    assert client.post(url, form, REMOTE_ADDR="203.0.113.5").status_code == 302
    response = client.post(url, {**form, "email": "anna@example.org"}, REMOTE_ADDR="203.0.113.5")
    assert response.status_code == 200
    assert "Probeer het later opnieuw" in response.content.decode()
    assert committee.applications.count() == 1
    assert (
        client.post(
            url, {**form, "email": "anna@example.org"}, REMOTE_ADDR="203.0.113.6"
        ).status_code
        == 302
    )
