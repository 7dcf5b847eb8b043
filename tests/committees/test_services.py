"""The write services: permission first, validate before writing, one transaction, audited."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone, translation

from samenspraak.accounts.models import Role
from samenspraak.committees import selectors, services
from samenspraak.committees.models import (
    Application,
    ApplicationStatus,
    CommitteeStatus,
    KnowledgeNetworkEntry,
    KnowledgeNetworkTheme,
    MemberRole,
    Membership,
    MembershipSource,
    Message,
    Quota,
)
from samenspraak.common.models import AuditEvent
from tests.committees.conftest import ROLE_QUOTAS, add_applicants
from tests.committees.factories import MembershipFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def english():
    """Messages are asserted in English (the msgids); the pages test the Dutch."""
    with translation.override("en"):
        yield


# --- committees and quotas -----------------------------------------------------------------


def test_create_stores_quotas_in_order_with_a_public_seed(committee):
    assert [(q.feature, q.value, q.minimum, q.maximum) for q in committee.quotas.all()] == [
        (r["feature"], r["value"], r["minimum"], r["maximum"]) for r in ROLE_QUOTAS
    ]
    assert 100_000 <= committee.draw_seed <= 999_999
    assert committee.status == CommitteeStatus.FORMING
    assert selectors.committee_features(committee) == {
        "rol": ["inwoner", "ondernemer"],
        "leeftijd": ["jong", "oud"],
    }
    assert AuditEvent.objects.filter(action="committee_create", object_id=committee.pk).exists()


@pytest.mark.parametrize(
    ("quotas", "message"),
    [
        (
            [{"feature": "rol", "value": "a", "minimum": 3, "maximum": 4}] * 2,
            "already in the list",
        ),
        ([{"feature": "rol", "value": "a", "minimum": 3, "maximum": 2}], "higher than the maximum"),
        (
            [
                {"feature": "rol", "value": "a", "minimum": 3, "maximum": 4},
                {"feature": "rol", "value": "b", "minimum": 2, "maximum": 4},
            ],
            "add up to 5, more than the 4 seats",
        ),
        (
            [
                {"feature": "rol", "value": "a", "minimum": 0, "maximum": 1},
                {"feature": "rol", "value": "b", "minimum": 0, "maximum": 1},
            ],
            "add up to 2, fewer than the 4 seats",
        ),
    ],
)
def test_quotas_that_cannot_work_are_refused_and_nothing_is_stored(
    staff_user, process, quotas, message
):
    with pytest.raises(ValidationError, match=message):
        services.committee_create(
            actor=staff_user,
            process=process,
            data={"name": "Comité", "size": 4, "mandate": "Iets."},
            quotas=quotas,
        )
    assert not Quota.objects.exists()


def test_only_the_owner_or_an_administrator_creates_committees(process, other_staff, facilitator):
    for actor in (other_staff, facilitator):
        with pytest.raises(PermissionDenied):
            services.committee_create(
                actor=actor, process=process, data={"name": "X", "size": 3, "mandate": "Y"}
            )


def test_a_facilitator_cannot_change_the_mandate(committee, facilitator):
    MembershipFactory(
        committee=committee, user=facilitator, role=MemberRole.FACILITATOR, source="assigned"
    )
    with pytest.raises(PermissionDenied):
        services.committee_update(
            actor=facilitator, committee=committee, data={"mandate": "Mijn eigen opdracht"}
        )
    committee.refresh_from_db()
    assert committee.mandate == "Bedenk vier voorstellen voor de zorg."


def test_advance_walks_the_steps_in_order_and_stops_at_delivered(committee, staff_user):
    seen = []
    for _ in range(3):
        seen.append(services.committee_advance(actor=staff_user, committee=committee).status)
    assert seen == ["drafting", "reviewing", "delivered"]
    with pytest.raises(ValidationError, match="already delivered"):
        services.committee_advance(actor=staff_user, committee=committee)
    assert AuditEvent.objects.filter(action="committee_advance").count() == 3


# --- applications --------------------------------------------------------------------------


def _apply(committee, **overrides):
    data = {
        "committee": committee,
        "full_name": "Anna de Vries",
        "email": "Anna@Example.org",
        "answers": {"rol": "inwoner", "leeftijd": "jong"},
        "consent": True,
    }
    data.update(overrides)
    return services.application_submit(**data)


def test_apply_stores_the_answers_and_a_normalised_address(committee):
    application = _apply(committee, household_key=" 3701AB-12 ")
    assert application.email == "anna@example.org"
    assert application.answers == {"rol": "inwoner", "leeftijd": "jong"}
    assert application.household_key == "3701AB-12"
    assert application.status == ApplicationStatus.APPLIED


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"consent": False}, "consent"),
        ({"answers": {"rol": "inwoner"}}, "leeftijd"),
        ({"answers": {"rol": "wethouder", "leeftijd": "jong"}}, "rol"),
        ({"email": "geen-adres"}, "email"),
    ],
)
def test_a_bad_application_names_the_field_and_stores_nothing(committee, overrides, field):
    with pytest.raises(ValidationError) as caught:
        _apply(committee, **overrides)
    assert field in caught.value.message_dict
    assert not Application.objects.exists()


def test_apply_is_refused_outside_the_window(committee):
    committee.applications_open = timezone.localdate() + datetime.timedelta(days=1)
    committee.save()
    with pytest.raises(ValidationError, match="no longer sign up"):
        _apply(committee)
    assert not Application.objects.exists()


def test_invite_seats_a_member_with_answers_and_links_an_account(
    committee, staff_user, user_of_role
):
    person = user_of_role(Role.COMMITTEE_MEMBER, email="lid@example.org")
    membership = services.member_invite(
        actor=staff_user,
        committee=committee,
        full_name="Lid Uitgenodigd",
        email="LID@example.org",
        answers={"rol": "ondernemer", "leeftijd": "oud"},
    )
    assert membership.user == person
    assert membership.source == MembershipSource.INVITED
    assert membership.application.status == ApplicationStatus.INVITED
    check = selectors.representation(committee)
    counted = {(r.feature, r.value): r.actual for r in check.rows}
    assert counted[("rol", "ondernemer")] == 1 and counted[("leeftijd", "oud")] == 1


# --- representation check ------------------------------------------------------------------


def test_representation_flags_missing_and_over_represented_groups(committee):
    applicants = add_applicants(
        committee,
        [
            ("Anna", "ondernemer", "jong"),
            ("Bas", "ondernemer", "jong"),
            ("Cor", "ondernemer", "jong"),
            ("Dewi", "ondernemer", "jong"),
        ],
    )
    for a in applicants:
        MembershipFactory(committee=committee, user=None, application=a)
    check = selectors.representation(committee)
    states = {(r.feature, r.value): r.state for r in check.rows}
    assert states == {
        ("rol", "inwoner"): "missing",
        ("rol", "ondernemer"): "over",
        ("leeftijd", "jong"): "over",
        ("leeftijd", "oud"): "missing",
    }
    assert not check.ok
    assert check.member_count == 4


def test_members_without_answers_are_reported_not_guessed(committee):
    MembershipFactory(committee=committee, user=None, application=None)
    check = selectors.representation(committee)
    assert check.unknown == {"rol": 1, "leeftijd": 1}


# --- facilitators --------------------------------------------------------------------------


@pytest.fixture
def facilitators(user_of_role):
    return [
        user_of_role(
            Role.FACILITATOR,
            full_name="Mo Maatschappelijk",
            organisation="Gemeente Zeist, afdeling Maatschappelijke Ontwikkeling",
        ),
        user_of_role(
            Role.FACILITATOR, full_name="Rik Ruimte", organisation="Gemeente, afdeling Ruimte"
        ),
        user_of_role(Role.FACILITATOR, full_name="Fien Financiën", organisation="Financiën"),
    ]


def _second_committee(process, staff_user):
    return services.committee_create(
        actor=staff_user,
        process=process,
        data={
            "name": "Comité Groen",
            "theme": process.themes.get(name="Groen"),
            "size": 3,
            "mandate": "Groen.",
        },
    )


def _facilitator_of(committee):
    return {m.user.full_name for m in selectors.facilitators(committee)}


def test_no_facilitator_guides_a_theme_of_their_own_department(
    committee, process, staff_user, facilitators
):
    groen = _second_committee(process, staff_user)
    services.facilitators_assign(actor=staff_user, process=process)
    assert "Mo Maatschappelijk" not in _facilitator_of(committee)  # Zorg: owned by MO
    assert "Rik Ruimte" not in _facilitator_of(groen)  # Groen: owned by Ruimte
    assert len(_facilitator_of(committee)) == len(_facilitator_of(groen)) == 1
    assert _facilitator_of(committee) != _facilitator_of(groen)  # the load is spread
    assert AuditEvent.objects.filter(action="facilitators_assign").exists()


def test_assigning_again_replaces_assignments_and_keeps_overrides(
    committee, process, staff_user, facilitators
):
    services.facilitators_assign(actor=staff_user, process=process)
    mo = facilitators[0]
    services.facilitator_override(
        actor=staff_user,
        committee=committee,
        facilitator=mo,
        reason="Kent de partners; is er niet inhoudelijk verantwoordelijk voor.",
    )
    services.facilitators_assign(actor=staff_user, process=process)
    [seat] = selectors.facilitators(committee)
    assert (seat.user, seat.source) == (mo, MembershipSource.OVERRIDE)
    event = AuditEvent.objects.filter(action="facilitator_override").get()
    assert event.changes["reason"].startswith("Kent de partners")
    assert event.changes["same_department"] is True


def test_an_override_needs_a_reason(committee, staff_user, facilitators):
    with pytest.raises(ValidationError) as caught:
        services.facilitator_override(
            actor=staff_user, committee=committee, facilitator=facilitators[1], reason="  "
        )
    assert "reason" in caught.value.message_dict
    assert not Membership.objects.filter(role=MemberRole.FACILITATOR).exists()


def test_assignment_without_any_facilitator_says_so(committee, process, staff_user):
    with pytest.raises(ValidationError, match="Comité Zorg"):
        services.facilitators_assign(actor=staff_user, process=process)


def test_facilitators_cannot_assign_themselves(committee, process, facilitators):
    with pytest.raises(PermissionDenied):
        services.facilitators_assign(actor=facilitators[2], process=process)


# --- meetings and the discussion -----------------------------------------------------------


@pytest.fixture
def guided(committee, facilitator):
    MembershipFactory(
        committee=committee, user=facilitator, role=MemberRole.FACILITATOR, source="assigned"
    )
    return committee


def _meeting_data(**overrides):
    start = timezone.now() + datetime.timedelta(days=7)
    data = {"title": "Start", "starts_at": start, "ends_at": start + datetime.timedelta(hours=2)}
    data.update(overrides)
    return data


def test_facilitator_schedules_and_publishes_minutes(guided, facilitator):
    meeting = services.meeting_schedule(actor=facilitator, committee=guided, data=_meeting_data())
    with pytest.raises(ValidationError, match="Write the minutes"):
        services.meeting_update(actor=facilitator, meeting=meeting, data={}, publish_minutes=True)
    services.meeting_update(
        actor=facilitator, meeting=meeting, data={"minutes": "Besproken."}, publish_minutes=True
    )
    meeting.refresh_from_db()
    assert meeting.minutes_published and meeting.minutes == "Besproken."


def test_a_meeting_must_end_after_it_starts(guided, facilitator):
    start = timezone.now()
    with pytest.raises(ValidationError) as caught:
        services.meeting_schedule(
            actor=facilitator, committee=guided, data=_meeting_data(starts_at=start, ends_at=start)
        )
    assert "ends_at" in caught.value.message_dict


def test_members_post_facilitators_moderate_and_never_post(guided, facilitator):
    member = MembershipFactory(committee=guided).user
    message = services.message_post(actor=member, committee=guided, body="Mijn idee")
    with pytest.raises(PermissionDenied):
        services.message_post(actor=facilitator, committee=guided, body="Mijn mening")
    with pytest.raises(PermissionDenied):
        services.message_delete(actor=member, message=message)
    services.message_delete(actor=facilitator, message=message)
    assert not Message.objects.exists()
    assert AuditEvent.objects.filter(action="message_delete", actor=facilitator).exists()


# --- knowledge network (double opt-in: tests/committees/test_network.py) ------------------


def _join(**kwargs):
    """Opt in and confirm, as a person does with the form and the link in the e-mail."""
    request = services.knowledge_network_opt_in(**kwargs)
    return services.knowledge_network_confirm(request=request)


def test_opt_in_merges_themes_and_opt_out_deletes_everything(process):
    _join(email="Kees@Example.org", name="Kees", themes=["Zorg"], districts=["Noord"])
    entry = _join(
        email="kees@example.org", name="Kees Jansen", themes=["Groen", "Zorg"], process=process
    )
    assert KnowledgeNetworkEntry.objects.count() == 1
    assert sorted(t.name for t in entry.themes.all()) == ["Groen", "Zorg"]
    assert [d.name for d in entry.districts.all()] == ["Noord"]
    assert entry.name == "Kees Jansen"
    services.knowledge_network_opt_out(entry=entry)
    assert not KnowledgeNetworkEntry.objects.exists()
    assert not KnowledgeNetworkTheme.objects.exists()
    # Nothing of the person stays behind in the audit trail either.
    assert not AuditEvent.objects.filter(object_type="committees.knowledgenetworkentry").exists()


def test_opt_in_needs_a_theme():
    with pytest.raises(ValidationError) as caught:
        services.knowledge_network_opt_in(email="a@example.org", name="A", themes=[" "])
    assert "themes" in caught.value.message_dict
    assert not KnowledgeNetworkEntry.objects.exists()


def test_staff_search_the_network_by_theme_and_district():
    _join(email="a@example.org", name="Anna", themes=["Zorg"], districts=["Noord"])
    _join(email="b@example.org", name="Bas", themes=["Zorg", "Wonen"], districts=["West"])
    _join(email="c@example.org", name="Cor", themes=["Wonen"])

    def names(**filters):
        return [e.name for e in selectors.knowledge_network_search(**filters)]

    assert names(theme="zorg") == ["Anna", "Bas"]
    assert names(theme="Wonen", district="West") == ["Bas"]
    assert names(district="Noord") == ["Anna"]
    assert names(query="co") == ["Cor"]


def test_opt_out_page_deletes_after_confirmation(client):
    entry = _join(email="a@example.org", name="A", themes=["Zorg"])
    url = f"/kennisnetwerk/afmelden/{entry.uuid}/"
    assert client.get(url).status_code == 200
    assert KnowledgeNetworkEntry.objects.exists()
    assert client.post(url).status_code == 302
    assert not KnowledgeNetworkEntry.objects.exists()
    assert client.get(url).status_code == 404
