"""Logging in with e-mail address and password, and logging out."""

from __future__ import annotations

import html
import re

import pytest
from django.utils import translation

from samenspraak.accounts.forms import EmailAuthenticationForm
from samenspraak.accounts.models import Role, User
from tests.factories import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db

LOGIN = "/account/inloggen/"


def logged_in_as(client):
    return client.session.get("_auth_user_id")


def test_login_page_asks_for_email_and_password(client):
    content = client.get(LOGIN).content.decode()
    assert 'type="email"' in content
    assert 'name="username"' in content
    assert 'type="password"' in content


def test_staff_log_in_and_land_on_the_dashboard(client):
    user = UserFactory(email="sanne@zeist.example", role=Role.STAFF)
    response = client.post(LOGIN, {"username": "sanne@zeist.example", "password": PASSWORD})
    assert response.status_code == 302
    assert response["Location"] == "/beheer/"
    assert logged_in_as(client) == str(user.pk)


def test_residents_land_on_the_process_overview(client):
    user = UserFactory(email="rik@example.org", role=Role.RESIDENT)
    response = client.post(LOGIN, {"username": "rik@example.org", "password": PASSWORD})
    assert response["Location"] == "/processen/"
    assert logged_in_as(client) == str(user.pk)


def test_login_follows_a_safe_next(client):
    UserFactory(email="sanne@zeist.example", role=Role.STAFF)
    response = client.post(
        LOGIN, {"username": "sanne@zeist.example", "password": PASSWORD, "next": "/processen/"}
    )
    assert response["Location"] == "/processen/"


def test_login_ignores_a_next_to_another_site(client):
    UserFactory(email="sanne@zeist.example", role=Role.STAFF)
    response = client.post(
        LOGIN,
        {"username": "sanne@zeist.example", "password": PASSWORD, "next": "https://evil.example/"},
    )
    assert response["Location"] == "/beheer/"


def test_email_is_not_case_sensitive(client):
    # Addresses are stored in lower case; people type them as they like.
    user = User.objects.create_user("Sanne@Zeist.Example", PASSWORD, full_name="Sanne")
    assert user.email == "sanne@zeist.example"
    response = client.post(LOGIN, {"username": " Sanne@Zeist.Example ", "password": PASSWORD})
    assert response.status_code == 302
    assert logged_in_as(client) == str(user.pk)


@pytest.mark.parametrize(
    ("username", "password"),
    [
        ("sanne@zeist.example", "wrong-password"),
        ("nobody@zeist.example", PASSWORD),
    ],
)
def test_wrong_credentials_show_the_error_and_start_no_session(client, username, password):
    UserFactory(email="sanne@zeist.example")
    response = client.post(LOGIN, {"username": username, "password": password})
    assert response.status_code == 200
    assert logged_in_as(client) is None
    with translation.override("nl"):
        expected = str(EmailAuthenticationForm.error_messages["invalid_login"])
    content = html.unescape(response.content.decode())
    assert expected in content
    assert 'id="error-summary"' in content
    # What was typed in the e-mail box stays; the password does not.
    assert re.search(rf'name="username"[^>]*value="{re.escape(username)}"', content)
    assert password not in content


def test_inactive_user_cannot_log_in(client):
    UserFactory(email="oud@zeist.example", is_active=False)
    response = client.post(LOGIN, {"username": "oud@zeist.example", "password": PASSWORD})
    assert response.status_code == 200
    assert logged_in_as(client) is None


def test_logout_by_post(client):
    user = UserFactory()
    client.force_login(user)
    assert logged_in_as(client) == str(user.pk)
    response = client.post("/account/uitloggen/")
    assert response.status_code == 302
    assert response["Location"] == "/"
    assert logged_in_as(client) is None


def test_logout_by_get_is_refused(client):
    user = UserFactory()
    client.force_login(user)
    assert client.get("/account/uitloggen/").status_code == 405
    assert logged_in_as(client) == str(user.pk)


def test_logged_in_user_visiting_login_is_sent_on(client):
    client.force_login(UserFactory(role=Role.STAFF))
    response = client.get(LOGIN)
    assert response.status_code == 302
    assert response["Location"] == "/beheer/"


def test_addresses_are_stored_in_lower_case_however_entered():
    user = User(email="Jan.de.Vries@Zeist.Example", full_name="Jan")
    user.set_unusable_password()
    user.full_clean()  # what the admin's forms and the manager run
    assert user.email == "jan.de.vries@zeist.example"
