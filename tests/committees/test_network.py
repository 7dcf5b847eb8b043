"""The knowledge network's double opt-in: an opt-in counts (and staff find it) only after the
link in the e-mail is confirmed; unconfirmed opt-ins expire after a week; opting out deletes
everything."""

from __future__ import annotations

import datetime
import io
import re

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.utils import timezone

from samenspraak.committees import selectors, services
from samenspraak.committees.models import (
    KnowledgeNetworkEntry,
    KnowledgeNetworkRequest,
    KnowledgeNetworkTheme,
)
from samenspraak.common.models import AuditEvent

pytestmark = pytest.mark.django_db

DAYS = services.NETWORK_CONFIRM_DAYS


def _opt_in(**kwargs):
    data = {"email": "kees@example.org", "name": "Kees", "themes": ["Zorg"]}
    data.update(kwargs)
    return services.knowledge_network_opt_in(**data)


def _age(request, days: float) -> None:
    """Pretend the opt-in was made ``days`` ago (created_at is set on insert only)."""
    KnowledgeNetworkRequest.objects.filter(pk=request.pk).update(
        created_at=timezone.now() - datetime.timedelta(days=days)
    )
    request.refresh_from_db()


def _link(body: str, kind: str) -> str:
    return re.search(rf"https?://[^\s]+/kennisnetwerk/{kind}/[0-9a-f-]+/", body).group(0)


# --- the service -----------------------------------------------------------------------------


def test_an_opt_in_is_not_in_the_network_until_confirmed(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        request = _opt_in(email="Kees@Example.org", base_url="https://gemeente.example")
    assert isinstance(request, KnowledgeNetworkRequest)
    assert request.email == "kees@example.org"
    assert not KnowledgeNetworkEntry.objects.exists()
    assert list(selectors.knowledge_network_search(theme="Zorg")) == []
    [message] = mail.outbox
    assert message.to == ["kees@example.org"]
    assert f"https://gemeente.example/kennisnetwerk/bevestigen/{request.uuid}/" in message.body
    assert str(DAYS) in message.body


def test_confirming_adds_the_person_and_mails_the_opt_out_link(
    django_capture_on_commit_callbacks,
):
    request = _opt_in(themes=["Zorg", "Wonen"], districts=["Noord"])
    with django_capture_on_commit_callbacks(execute=True):
        entry = services.knowledge_network_confirm(request=request, base_url="https://g.example")
    assert [e.email for e in selectors.knowledge_network_search(theme="Wonen")] == [
        "kees@example.org"
    ]
    assert sorted(t.name for t in entry.themes.all()) == ["Wonen", "Zorg"]
    assert [d.name for d in entry.districts.all()] == ["Noord"]
    assert not KnowledgeNetworkRequest.objects.exists()  # used up
    [message] = mail.outbox
    assert f"https://g.example/kennisnetwerk/afmelden/{entry.uuid}/" in message.body
    # No trail of the person: opting out must leave nothing behind.
    assert not AuditEvent.objects.exists()


def test_a_new_opt_in_replaces_the_one_still_waiting():
    first = _opt_in(themes=["Zorg"])
    second = _opt_in(name="Kees Jansen", themes=["Groen"])
    assert KnowledgeNetworkRequest.objects.get().pk == second.pk
    assert services.knowledge_network_request_for(token=first.uuid) is None
    entry = services.knowledge_network_confirm(request=second)
    assert (entry.name, [t.name for t in entry.themes.all()]) == ("Kees Jansen", ["Groen"])


def test_an_opt_in_for_someone_already_in_adds_themes_only_when_confirmed():
    entry = services.knowledge_network_confirm(request=_opt_in(themes=["Zorg"]))
    request = _opt_in(name="Iemand Anders", themes=["Groen"])
    entry.refresh_from_db()
    assert entry.name == "Kees"  # someone typing this address changes nothing yet
    assert [t.name for t in entry.themes.all()] == ["Zorg"]
    services.knowledge_network_confirm(request=request)
    assert sorted(t.name for t in entry.themes.all()) == ["Groen", "Zorg"]
    assert KnowledgeNetworkEntry.objects.count() == 1


def test_an_expired_opt_in_cannot_be_confirmed_and_is_deleted():
    request = _opt_in()
    _age(request, DAYS + 0.01)
    with pytest.raises(ValidationError, match="verlopen"):
        services.knowledge_network_confirm(request=request)
    assert not KnowledgeNetworkEntry.objects.exists()
    assert services.knowledge_network_request_for(token=request.uuid) is None
    assert not KnowledgeNetworkRequest.objects.exists()


def test_expiry_deletes_only_what_is_older_than_a_week():
    old, fresh = _opt_in(email="oud@example.org"), _opt_in(email="nieuw@example.org")
    _age(old, DAYS + 1)
    _age(fresh, DAYS - 1)
    assert services.knowledge_network_expire() == 1
    assert list(KnowledgeNetworkRequest.objects.values_list("email", flat=True)) == [
        "nieuw@example.org"
    ]


def test_the_management_command_expires_unconfirmed_opt_ins():
    old = _opt_in(email="oud@example.org")
    _opt_in(email="nieuw@example.org")
    _age(old, DAYS + 2)
    out = io.StringIO()
    call_command("committees_expire_network", stdout=out)
    assert out.getvalue().startswith("1 ")
    assert KnowledgeNetworkRequest.objects.count() == 1


def test_each_opt_in_clears_expired_ones_lazily():
    old = _opt_in(email="oud@example.org")
    _age(old, DAYS + 1)
    _opt_in(email="nieuw@example.org")
    assert list(KnowledgeNetworkRequest.objects.values_list("email", flat=True)) == [
        "nieuw@example.org"
    ]


def test_opting_out_deletes_the_entry_and_anything_waiting():
    entry = services.knowledge_network_confirm(request=_opt_in(themes=["Zorg"]))
    _opt_in(themes=["Groen"])  # a second opt-in, not confirmed
    services.knowledge_network_opt_out(entry=entry)
    assert not KnowledgeNetworkEntry.objects.exists()
    assert not KnowledgeNetworkTheme.objects.exists()
    assert not KnowledgeNetworkRequest.objects.exists()


def test_consent_given_elsewhere_joins_at_once_without_mail(django_capture_on_commit_callbacks):
    """The demo's invented people (or a signed paper form): ``notify=False``."""
    with django_capture_on_commit_callbacks(execute=True):
        entry = _opt_in(notify=False)
    assert isinstance(entry, KnowledgeNetworkEntry)
    assert selectors.knowledge_network_search(theme="Zorg").get() == entry
    assert mail.outbox == []


# --- the pages -------------------------------------------------------------------------------


def test_the_whole_double_opt_in_through_the_pages(
    client, committee, staff_user, django_capture_on_commit_callbacks
):
    process = committee.process
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            f"/processen/{process.slug}/kennisnetwerk/",
            {"name": "Kees", "email": "kees@example.org", "themes": ["Zorg"], "consent": "on"},
        )
    assert "Kijk in uw e-mail" in response.content.decode()
    confirm = _link(mail.outbox[0].body, "bevestigen")

    staff = client.__class__()
    staff.force_login(staff_user)
    search = staff.get("/beheer/kennisnetwerk/?theme=Zorg").content.decode()
    assert "kees@example.org" not in search  # not confirmed: staff do not see it

    # Opening the link (as a mail scanner does) only shows a button.
    page = client.get(confirm)
    assert page.status_code == 200
    assert "kees@example.org" in page.content.decode()
    assert not KnowledgeNetworkEntry.objects.exists()

    with django_capture_on_commit_callbacks(execute=True):
        joined = client.post(confirm)
    assert "U zit in het kennisnetwerk" in joined.content.decode()
    entry = KnowledgeNetworkEntry.objects.get()
    assert f"/kennisnetwerk/afmelden/{entry.uuid}/" in joined.content.decode()
    assert _link(mail.outbox[1].body, "afmelden").endswith(f"/kennisnetwerk/afmelden/{entry.uuid}/")

    search = staff.get("/beheer/kennisnetwerk/?theme=Zorg").content.decode()
    assert "kees@example.org" in search
    assert "<table" in search

    # The link works once.
    again = client.get(confirm)
    assert again.status_code == 404
    assert "werkt niet meer" in again.content.decode()


def test_an_expired_link_says_so(client):
    request = _opt_in()
    _age(request, DAYS + 1)
    response = client.post(f"/kennisnetwerk/bevestigen/{request.uuid}/")
    assert response.status_code == 404
    assert "werkt niet meer" in response.content.decode()
    assert not KnowledgeNetworkEntry.objects.exists()
    assert not KnowledgeNetworkRequest.objects.exists()


def test_staff_search_clears_expired_opt_ins(client, staff_user):
    request = _opt_in()
    _age(request, DAYS + 1)
    client.force_login(staff_user)
    assert client.get("/beheer/kennisnetwerk/").status_code == 200
    assert not KnowledgeNetworkRequest.objects.exists()
