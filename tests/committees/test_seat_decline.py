"""A drawn member declines the seat (status WITHDRAWN), by themselves or through staff, and
staff fill the free seats with a replacement draw (aanvullende loting): a new Draw with its
own seed that replaces the one before it, drawn from who is still in the pool, with the
quotas reduced by the members who kept their seat. Every draw stays reproducible."""

from __future__ import annotations

import csv
import io

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import translation

from samenspraak.accounts.models import Role
from samenspraak.committees import selectors, services
from samenspraak.committees.models import (
    Application,
    ApplicationStatus,
    Draw,
    Membership,
)
from samenspraak.common.models import AuditEvent
from tests.committees.conftest import POOL, add_applicants
from tests.committees.test_draw import _reproduce

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


@pytest.fixture
def drawn(committee, staff_user):
    """The committee of four drawn from the seven of POOL; returns the first draw."""
    add_applicants(committee, POOL)
    return services.committee_draw(actor=staff_user, committee=committee, seed=424242)


def _selected(committee) -> list[Application]:
    return list(committee.applications.filter(status=ApplicationStatus.SELECTED))


def _quota_rows(draw: Draw) -> dict[tuple[str, str], tuple[int, int]]:
    rows = csv.DictReader(io.StringIO(draw.categories_csv))
    return {(r["feature"], r["value"]): (int(r["min"]), int(r["max"])) for r in rows}


def _redraw(staff_user, committee, seed=None):
    committee.refresh_from_db()
    return services.committee_draw(
        actor=staff_user, committee=committee, seed=seed or committee.draw_seed
    )


# --- declining ------------------------------------------------------------------------------


def test_the_applicant_declines_and_the_seat_becomes_free(committee, drawn):
    member = _selected(committee)[0]
    services.seat_decline(application=member)

    member.refresh_from_db()
    assert member.status == ApplicationStatus.WITHDRAWN
    assert not Membership.objects.filter(application=member).exists()
    assert selectors.members(committee).count() == 3
    assert services.free_seats(committee) == 1
    event = AuditEvent.objects.get(action="seat_decline")
    assert event.actor is None
    assert event.changes["application"] == member.number
    assert event.changes["by"] == "applicant"
    assert member.full_name not in str(event.changes) and member.full_name not in event.object_label
    # A new seed is announced at once: the replacement draw may not reuse a known one.
    committee.refresh_from_db()
    assert committee.draw_seed != drawn.seed
    assert event.changes["new_seed"] == committee.draw_seed
    assert services.replacement_possible(committee)


def test_staff_decline_on_behalf_with_a_reason(committee, drawn, staff_user):
    member = _selected(committee)[1]
    services.seat_decline(application=member, actor=staff_user, reason="Belde: verhuist.")
    member.refresh_from_db()
    assert member.status == ApplicationStatus.WITHDRAWN
    event = AuditEvent.objects.get(action="seat_decline")
    assert event.actor == staff_user
    assert event.changes["by"] == "staff"
    assert event.changes["reason"] == "Belde: verhuist."


def test_only_a_drawn_member_declines(committee, drawn, staff_user):
    left_out = committee.applications.filter(status=ApplicationStatus.APPLIED).first()
    with pytest.raises(ValidationError, match="drawn by lot"):
        services.seat_decline(application=left_out)
    left_out.refresh_from_db()
    assert left_out.status == ApplicationStatus.APPLIED
    member = _selected(committee)[0]
    services.seat_decline(application=member)
    with pytest.raises(ValidationError, match="drawn by lot"):
        services.seat_decline(application=member)  # twice: declined once
    assert AuditEvent.objects.filter(action="seat_decline").count() == 1


def test_an_invited_member_cannot_decline_here(committee, staff_user):
    invited = services.member_invite(
        actor=staff_user,
        committee=committee,
        full_name="Ivo",
        answers={"rol": "inwoner", "leeftijd": "oud"},
    )
    with pytest.raises(ValidationError):
        services.seat_decline(application=invited.application)
    assert Membership.objects.filter(pk=invited.pk).exists()


def test_declining_is_possible_while_drafting_but_not_after(committee, drawn, staff_user):
    services.committee_advance(actor=staff_user, committee=committee)  # drafting
    first, second = _selected(committee)[:2]
    services.seat_decline(application=first)
    assert services.replacement_possible(committee)
    services.committee_advance(actor=staff_user, committee=committee)  # reviewing
    with pytest.raises(ValidationError, match="already started"):
        services.seat_decline(application=second)
    second.refresh_from_db()
    assert second.status == ApplicationStatus.SELECTED
    assert Membership.objects.filter(application=second).exists()
    assert not services.replacement_possible(committee)
    with pytest.raises(ValidationError):
        _redraw(staff_user, committee)
    assert Draw.objects.filter(committee=committee).count() == 1


def test_only_who_manages_the_committee_declines_for_someone(
    committee, drawn, other_staff, facilitator, user_of_role
):
    resident = user_of_role(Role.RESIDENT, full_name="Rik Inwoner")
    member = _selected(committee)[0]
    for actor in (other_staff, facilitator, resident):
        with pytest.raises(PermissionDenied):
            services.seat_decline(application=member, actor=actor)
    member.refresh_from_db()
    assert member.status == ApplicationStatus.SELECTED


# --- the replacement draw -------------------------------------------------------------------


def test_the_replacement_draw_fills_the_free_seat_from_who_is_still_in_the_pool(
    committee, drawn, staff_user
):
    gone = _selected(committee)[0]
    services.seat_decline(application=gone)
    keeping = list(selectors.members(committee))
    still_applied = {a.pool_id for a in committee.applications.filter(status="applied")}

    again = _redraw(staff_user, committee)

    assert again.replaces == drawn
    assert again.is_replacement and not drawn.is_replacement
    assert again.seed != drawn.seed
    assert again.panel_size == 1
    assert set(again.probabilities) == still_applied  # not the withdrawn, not the seated
    assert gone.pool_id not in again.probabilities
    assert again.pool_size == len(still_applied) == 3
    assert sum(again.probabilities.values()) == pytest.approx(1)
    # Quotas reduced by the members who kept their seat.
    taken = {}
    for m in keeping:
        for feature, value in m.application.answers.items():
            taken[(feature, value)] = taken.get((feature, value), 0) + 1
    for quota in committee.quotas.all():
        key = (quota.feature, quota.value)
        assert _quota_rows(again)[key] == (
            max(quota.minimum - taken.get(key, 0), 0),
            max(quota.maximum - taken.get(key, 0), 0),
        )
    # The committee is whole again and its quotas hold; the new member is SELECTED.
    assert selectors.members(committee).count() == committee.size
    assert selectors.representation(committee).ok
    [new] = again.selected
    assert Application.objects.get(committee=committee, number=int(new)).status == "selected"
    # Both draws reproduce from their own stored files.
    assert list(_reproduce(drawn).selected) == drawn.selected
    assert list(_reproduce(again).selected) == again.selected
    event = AuditEvent.objects.get(action="committee_draw_replacement")
    assert event.changes["seed"] == again.seed


def test_no_replacement_draw_without_free_seats_or_with_an_old_seed(committee, drawn, staff_user):
    with pytest.raises(ValidationError, match="already been drawn"):
        services.committee_draw(actor=staff_user, committee=committee, seed=111111)
    services.seat_decline(application=_selected(committee)[0])
    with pytest.raises(ValidationError) as caught:
        services.committee_draw(actor=staff_user, committee=committee, seed=drawn.seed)
    assert "seed" in caught.value.message_dict
    assert Draw.objects.filter(committee=committee).count() == 1


def test_seats_never_exceed_the_size(committee, drawn, staff_user):
    for member in _selected(committee)[:2]:
        services.seat_decline(application=member)
    again = _redraw(staff_user, committee)
    assert again.panel_size == 2
    assert selectors.members(committee).count() == committee.size
    with pytest.raises(ValidationError, match="already been drawn"):
        services.committee_draw(actor=staff_user, committee=committee, seed=222222)
    assert selectors.members(committee).count() == committee.size


def test_a_second_replacement_after_another_decline(committee, drawn, staff_user):
    services.seat_decline(application=_selected(committee)[0])
    first_replacement = _redraw(staff_user, committee)
    newcomer = Application.objects.get(
        committee=committee, number=int(first_replacement.selected[0])
    )
    services.seat_decline(application=newcomer, actor=staff_user)
    committee.refresh_from_db()
    assert committee.draw_seed not in {drawn.seed, first_replacement.seed}
    second_replacement = _redraw(staff_user, committee)

    assert second_replacement.replaces == first_replacement
    assert first_replacement.replaces == drawn
    assert newcomer.pool_id not in second_replacement.probabilities
    assert second_replacement.pool_size == 2
    assert selectors.members(committee).count() == committee.size
    assert len({drawn.seed, first_replacement.seed, second_replacement.seed}) == 3
    assert list(_reproduce(second_replacement).selected) == second_replacement.selected


def test_an_infeasible_replacement_explains_and_stores_nothing(committee, staff_user):
    # One entrepreneur only: the quota (at least one) always draws him; when he declines,
    # nobody left in the pool can take an entrepreneur's seat.
    add_applicants(
        committee,
        [
            ("Anna", "inwoner", "jong"),
            ("Bas", "inwoner", "oud"),
            ("Cor", "inwoner", "oud"),
            ("Dewi", "ondernemer", "jong"),
            ("Fenna", "inwoner", "jong"),
            ("Hans", "inwoner", "oud"),
        ],
    )
    services.committee_draw(actor=staff_user, committee=committee, seed=5)
    dewi = committee.applications.get(full_name="Dewi")
    assert dewi.status == ApplicationStatus.SELECTED
    services.seat_decline(application=dewi)
    members_before = set(selectors.members(committee).values_list("pk", flat=True))

    with pytest.raises(ValidationError) as caught:
        _redraw(staff_user, committee)

    assert "ondernemer" in " ".join(caught.value.messages)
    assert Draw.objects.filter(committee=committee).count() == 1
    assert set(selectors.members(committee).values_list("pk", flat=True)) == members_before
    assert committee.applications.filter(status=ApplicationStatus.SELECTED).count() == 3


SEED = 9


def test_a_household_member_of_a_seated_member_is_not_in_the_replacement_pool(
    committee, staff_user
):
    add_applicants(
        committee,
        [
            ("Anna", "inwoner", "jong", "Dorpsstraat 1"),
            ("Bas", "inwoner", "oud"),
            ("Cor", "inwoner", "oud"),
            ("Dewi", "ondernemer", "jong"),
            ("Emre", "ondernemer", "oud"),
            ("Fenna", "inwoner", "jong"),
            ("Anton", "inwoner", "jong", "dorpsstraat 1 "),
        ],
    )
    draw = services.committee_draw(actor=staff_user, committee=committee, seed=SEED)
    anna = committee.applications.get(full_name="Anna")
    anton = committee.applications.get(full_name="Anton")
    # With this seed Anton is drawn; Anna, of his household, is not (and stays APPLIED).
    assert anton.pool_id in draw.selected and anna.pool_id not in draw.selected
    gone = next(a for a in _selected(committee) if a.pk != anton.pk)
    services.seat_decline(application=gone)
    data = services.draw_input(committee)
    ids = {a.pool_id for a in data["pool"]}
    assert anna.pool_id not in ids
    assert gone.pool_id not in ids
    assert ids == {
        a.pool_id for a in committee.applications.filter(status="applied") if a.pk != anna.pk
    }
