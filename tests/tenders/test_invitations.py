"""A lead party invites partners and residents; only accepted members count (issue 6 point 4).

Partners answer on the coalition page (only their own representatives may); residents answer
through a one-time e-mailed link that expires, stored as a hash."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from samenspraak.accounts.models import Role
from samenspraak.common.models import AuditEvent
from samenspraak.partners.models import Partner, PartnerKind
from samenspraak.tenders import selectors, services
from samenspraak.tenders.models import CoalitionMember, MemberStatus


@pytest.fixture
def coalition(tender, lead, lead_rep):
    return services.coalition_create(actor=lead_rep, lead=lead, name="Samen Oost", tender=tender)


def invite_partner(lead_rep, coalition, partner):
    return services.coalition_add_member(
        actor=lead_rep,
        coalition=coalition,
        data={"partner": partner, "role": "Buurtwerk", "contribution_kind": "in_kind"},
    )


def invite_resident(lead_rep, coalition, capture, email="anna@example.nl"):
    with capture(execute=True):
        return services.coalition_add_member(
            actor=lead_rep,
            coalition=coalition,
            data={
                "person_name": "Anna de Buur",
                "email": email,
                "role": "Bewoner",
                "contribution_kind": "in_kind",
            },
            base_url="https://samenspraak.example",
        )


def link_in_mail() -> str:
    (message,) = mail.outbox
    match = re.search(r"https://samenspraak\.example(/uitnodiging/[^/\s]+/)", message.body)
    assert match, message.body
    return match.group(1)


def network_names(coalition):
    return selectors.coalitions_of_municipality(coalition.lead.municipality)[coalition.name]


def test_an_invited_partner_is_not_a_member_until_it_accepts(
    coalition, lead_rep, other_partner, other_rep
):
    member = invite_partner(lead_rep, coalition, other_partner)
    assert member.status == MemberStatus.INVITED
    assert network_names(coalition) == ["Woonstede"]
    assert list(selectors.accepted_members(coalition)) == [
        coalition.members.get(partner__name="Woonstede")
    ]
    assert [m.pk for m in selectors.invitations_for(other_rep)] == [member.pk]
    assert other_rep.has_perm("tenders.view_coalition", coalition)
    assert not other_rep.has_perm("tenders.change_coalition", coalition)

    services.coalition_member_respond(actor=other_rep, member=member, accept=True)
    member.refresh_from_db()
    assert member.status == MemberStatus.ACCEPTED and member.responded_at is not None
    assert network_names(coalition) == ["Woonstede", "Welzijn Oost"]
    assert selectors.invitations_for(other_rep) == []
    event = AuditEvent.objects.filter(action="coalition_member_accept").get()
    assert event.actor == other_rep
    with pytest.raises(ValidationError):
        services.coalition_member_respond(actor=other_rep, member=member, accept=False)


def test_a_partner_declines(coalition, lead_rep, other_partner, other_rep):
    member = invite_partner(lead_rep, coalition, other_partner)
    services.coalition_member_respond(actor=other_rep, member=member, accept=False)
    member.refresh_from_db()
    assert member.status == MemberStatus.DECLINED
    assert network_names(coalition) == ["Woonstede"]
    assert not other_rep.has_perm("tenders.view_coalition", coalition)
    assert AuditEvent.objects.filter(action="coalition_member_decline").count() == 1
    # The lead party may invite the partner again; the same row becomes an invitation again.
    again = invite_partner(lead_rep, coalition, other_partner)
    assert again.pk == member.pk and again.status == MemberStatus.INVITED


def test_only_the_invited_partners_representatives_answer(
    coalition, lead_rep, other_partner, user_of_role, staff_user
):
    member = invite_partner(lead_rep, coalition, other_partner)
    Partner.objects.create(
        municipality=other_partner.municipality, name="Sportclub", kind=PartnerKind.SPORTS
    )
    stranger = user_of_role(Role.PARTNER, organisation="Sportclub")
    namesake = user_of_role(Role.RESIDENT, organisation="Welzijn Oost")
    for actor in (stranger, namesake, lead_rep, staff_user):
        with pytest.raises(PermissionDenied):
            services.coalition_member_respond(actor=actor, member=member, accept=True)
    assert selectors.invitations_for(stranger) == []
    assert selectors.invitations_for(namesake) == []
    member.refresh_from_db()
    assert member.status == MemberStatus.INVITED


def test_partner_answers_on_the_coalition_page(
    client, coalition, lead_rep, other_partner, other_rep, user_of_role
):
    member = invite_partner(lead_rep, coalition, other_partner)
    client.force_login(lead_rep)
    page = client.get(reverse("tenders:coalition", args=[coalition.pk])).content.decode()
    members = page.split('id="members"')[1].split("</table>")[0]
    assert "Welzijn Oost" in members and "Uitgenodigd" in members

    stranger = user_of_role(Role.PARTNER, organisation="Woonstad")
    client.force_login(stranger)
    url = reverse("tenders:invitation_respond", args=[member.pk])
    assert client.post(url, {"answer": "accept"}).status_code == 403

    client.force_login(other_rep)
    listing = client.get(reverse("tenders:list")).content.decode()
    assert 'id="invitations"' in listing and "Samen Oost" in listing.split('id="invitations"')[1]
    page = client.get(reverse("tenders:coalition", args=[coalition.pk])).content.decode()
    assert 'id="invitation"' in page and "Ja, wij doen mee" in page
    # Before accepting, the invited partner does not see itself among the members.
    assert "Welzijn Oost" not in page.split('id="members"')[1].split("</table>")[0]
    response = client.post(url, {"answer": "accept"})
    assert response.status_code == 302
    assert response.url == reverse("tenders:coalition", args=[coalition.pk])
    member.refresh_from_db()
    assert member.status == MemberStatus.ACCEPTED
    page = client.get(reverse("tenders:coalition", args=[coalition.pk])).content.decode()
    assert 'id="invitation"' not in page
    assert "Welzijn Oost" in page.split('id="members"')[1].split("</table>")[0]


def test_only_accepted_members_are_in_the_bid(
    client,
    coalition,
    lead_rep,
    other_partner,
    other_rep,
    make_bid,
    django_capture_on_commit_callbacks,
):
    partner = invite_partner(lead_rep, coalition, other_partner)
    invite_resident(lead_rep, coalition, django_capture_on_commit_callbacks)
    bid = make_bid(lead_rep, coalition, submit=False)
    assert not other_rep.has_perm("tenders.view_bid", bid)
    client.force_login(lead_rep)
    url = reverse("tenders:bid", args=[bid.pk])
    members = client.get(url).content.decode().split('id="bid-members">')[1].split("</dd>")[0]
    assert "Woonstede" in members
    assert "Welzijn Oost" not in members and "Anna de Buur" not in members
    services.coalition_member_respond(actor=other_rep, member=partner, accept=True)
    assert other_rep.has_perm("tenders.view_bid", bid)
    members = client.get(url).content.decode().split('id="bid-members">')[1].split("</dd>")[0]
    assert "Welzijn Oost" in members


def test_resident_gets_a_one_time_link_and_accepts(
    client, coalition, lead_rep, django_capture_on_commit_callbacks
):
    member = invite_resident(lead_rep, coalition, django_capture_on_commit_callbacks)
    assert member.status == MemberStatus.INVITED
    assert mail.outbox[0].to == ["anna@example.nl"]
    path = link_in_mail()
    token = path.rstrip("/").rsplit("/", 1)[1]
    stored = CoalitionMember.objects.get(pk=member.pk)
    assert stored.token_hash and token not in stored.token_hash
    assert stored.token_expires > timezone.now() + timedelta(days=13)

    page = client.get(path)  # no account needed
    assert page.status_code == 200
    assert "Anna de Buur" in page.content.decode() and "Ja, ik doe mee" in page.content.decode()
    page = client.post(path, {"answer": "accept"})
    assert page.status_code == 200
    assert "U bent nu lid van Samen Oost" in page.content.decode()
    stored.refresh_from_db()
    assert stored.status == MemberStatus.ACCEPTED
    event = AuditEvent.objects.filter(action="coalition_member_accept").get()
    assert event.actor is None

    used = client.post(path, {"answer": "decline"})
    assert used.status_code == 410
    assert "Deze link is al gebruikt" in used.content.decode()
    stored.refresh_from_db()
    assert stored.status == MemberStatus.ACCEPTED


def test_resident_declines(client, coalition, lead_rep, django_capture_on_commit_callbacks):
    member = invite_resident(lead_rep, coalition, django_capture_on_commit_callbacks)
    page = client.post(link_in_mail(), {"answer": "decline"})
    assert "U doet niet mee met Samen Oost" in page.content.decode()
    member.refresh_from_db()
    assert member.status == MemberStatus.DECLINED
    assert AuditEvent.objects.filter(action="coalition_member_decline").count() == 1


def test_expired_or_unknown_link_is_refused(
    client, coalition, lead_rep, django_capture_on_commit_callbacks
):
    member = invite_resident(lead_rep, coalition, django_capture_on_commit_callbacks)
    path = link_in_mail()
    CoalitionMember.objects.filter(pk=member.pk).update(
        token_expires=timezone.now() - timedelta(minutes=1)
    )
    for response in (client.get(path), client.post(path, {"answer": "accept"})):
        assert response.status_code == 410
        assert "Deze link is verlopen" in response.content.decode()
    member.refresh_from_db()
    assert member.status == MemberStatus.INVITED
    with pytest.raises(ValidationError):
        services.coalition_member_respond_by_token(token=path.split("/")[-2], accept=True)

    unknown = client.post(reverse("tenders:invitation", args=["not-a-token"]), {"answer": "accept"})
    assert unknown.status_code == 404
    assert "Deze link werkt niet" in unknown.content.decode()


def test_a_resident_without_email_is_added_by_the_lead(coalition, lead_rep):
    member = services.coalition_add_member(
        actor=lead_rep,
        coalition=coalition,
        data={"person_name": "Bewonerscommissie", "role": "Stem", "contribution_kind": "in_kind"},
    )
    assert member.status == MemberStatus.ACCEPTED
    assert not member.token_hash
    assert mail.outbox == []
