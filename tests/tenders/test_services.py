from __future__ import annotations

from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from samenspraak.accounts.models import Role
from samenspraak.core.scoring import (
    BidPrice,
    Criterion,
    CriterionType,
    PriceMethod,
    QualityScore,
    score_tender,
)
from samenspraak.tenders import selectors, services
from samenspraak.tenders.models import Bid, BidStatus, Tender
from tests.tenders.conftest import CRITERIA, close, tender_data


def test_weights_not_100_names_the_field_and_stores_nothing(staff_user, process):
    wrong = [("Plan", Decimal(40), "quality"), ("Price", Decimal(50), "price")]
    with pytest.raises(ValidationError) as info:
        services.tender_create(
            actor=staff_user, process=process, data=tender_data(), criteria=wrong
        )
    assert "criteria" in info.value.message_dict
    assert "90" in info.value.message_dict["criteria"][0]
    assert Tender.objects.count() == 0


def test_only_staff_create_tenders(lead_rep, process):
    with pytest.raises(PermissionDenied):
        services.tender_create(
            actor=lead_rep, process=process, data=tender_data(), criteria=CRITERIA
        )


def test_draft_tender_is_not_public(staff_user, process, user_of_role):
    draft = services.tender_create(
        actor=staff_user, process=process, data=tender_data(), criteria=CRITERIA
    )
    resident = user_of_role(Role.RESIDENT)
    assert not resident.has_perm("tenders.view_tender", draft)
    services.tender_publish(actor=staff_user, tender=draft)
    assert resident.has_perm("tenders.view_tender", draft)


def test_only_the_lead_partner_forms_its_coalition(tender, lead, lead_rep, other_rep):
    with pytest.raises(PermissionDenied):
        services.coalition_create(actor=other_rep, lead=lead, name="Kaping", tender=tender)
    coalition = services.coalition_create(actor=lead_rep, lead=lead, name="Samen", tender=tender)
    assert coalition.members.get().partner == lead


def test_members_partner_and_resident(tender, lead, lead_rep, other_partner, other_rep):
    coalition = services.coalition_create(actor=lead_rep, lead=lead, name="Samen", tender=tender)
    services.coalition_add_member(
        actor=lead_rep,
        coalition=coalition,
        data={
            "partner": other_partner,
            "role": "Activiteiten",
            "contribution_kind": "hours",
            "contribution_amount": Decimal(200),
        },
    )
    services.coalition_add_member(
        actor=lead_rep,
        coalition=coalition,
        data={
            "person_name": "Fatima",
            "email": "fatima@example.nl",
            "role": "Buurtkok",
            "contribution_kind": "in_kind",
        },
    )
    assert coalition.members.count() == 3
    assert other_rep.has_perm("tenders.view_coalition", coalition)
    assert not other_rep.has_perm("tenders.change_coalition", coalition)
    with pytest.raises(PermissionDenied):
        services.coalition_add_member(
            actor=other_rep,
            coalition=coalition,
            data={"person_name": "X", "role": "Y", "contribution_kind": "in_kind"},
        )


def test_right_to_challenge_needs_a_challenge(lead, lead_rep, process):
    with pytest.raises(ValidationError) as info:
        services.coalition_create(actor=lead_rep, lead=lead, name="Uitdagers", process=process)
    assert "challenge" in info.value.message_dict
    coalition = services.coalition_create(
        actor=lead_rep, lead=lead, name="Uitdagers", process=process, challenge="Wij doen het"
    )
    assert coalition.tender is None


def test_draft_bid_visible_only_to_own_coalition(
    tender, lead, lead_rep, other_rep, staff_user, make_bid
):
    coalition = services.coalition_create(actor=lead_rep, lead=lead, name="Samen", tender=tender)
    bid = make_bid(lead_rep, coalition, submit=False)
    assert lead_rep.has_perm("tenders.view_bid", bid)
    assert not other_rep.has_perm("tenders.view_bid", bid)
    assert not staff_user.has_perm("tenders.view_bid", bid)
    assert selectors.visible_bids(other_rep, tender) == []
    services.bid_submit(actor=lead_rep, bid=bid)
    assert staff_user.has_perm("tenders.view_bid", bid)
    assert not other_rep.has_perm("tenders.view_bid", bid)


def test_bid_after_deadline_is_refused(tender, lead, lead_rep, make_bid):
    coalition = services.coalition_create(actor=lead_rep, lead=lead, name="Samen", tender=tender)
    bid = make_bid(lead_rep, coalition, submit=False)
    close(tender)
    bid.tender.refresh_from_db()
    with pytest.raises(ValidationError) as info:
        services.bid_submit(actor=lead_rep, bid=bid)
    # The message names the deadline that passed.
    assert timezone.localtime(tender.deadline).strftime("%d-%m-%Y %H:%M") in str(info.value)
    assert Bid.objects.get().status == BidStatus.DRAFT


def test_bid_years_outside_the_period(tender, lead, lead_rep):
    coalition = services.coalition_create(actor=lead_rep, lead=lead, name="Samen", tender=tender)
    with pytest.raises(ValidationError) as info:
        services.bid_save(
            actor=lead_rep,
            coalition=coalition,
            data={
                "plan": "p",
                "price": Decimal(10),
                "committed_outcomes": "o",
                "resident_involvement": "r",
            },
            years={2030: Decimal(10)},
        )
    assert "years" in info.value.message_dict
    assert Bid.objects.count() == 0


@pytest.fixture
def evaluated(tender, lead, lead_rep, other_partner, other_rep, staff_user, other_staff, make_bid):
    """Two submitted bids, a panel of two staff members, deadline passed."""
    a = make_bid(
        lead_rep,
        services.coalition_create(actor=lead_rep, lead=lead, name="A", tender=tender),
        "90000",
    )
    b = make_bid(
        other_rep,
        services.coalition_create(actor=other_rep, lead=other_partner, name="B", tender=tender),
        "60000",
    )
    services.panel_add(actor=staff_user, tender=tender, user=staff_user)
    services.panel_add(actor=staff_user, tender=tender, user=other_staff)
    close(tender)
    for bid in (a, b):
        bid.tender.refresh_from_db()
    return tender, a, b


def _scores(tender, plan, residents):
    criteria = {c.name: c.pk for c in selectors.quality_criteria(tender)}
    return {criteria["Plan"]: Decimal(plan), criteria["Residents"]: Decimal(residents)}


def test_conflict_blocks_scoring(evaluated, staff_user):
    tender, a, _b = evaluated
    services.declare(actor=staff_user, bid=a, has_conflict=True, note="Mijn zus werkt daar")
    with pytest.raises(PermissionDenied):
        services.score_bid(actor=staff_user, bid=a, scores=_scores(tender, 8, 7))
    assert a.scores.count() == 0


def test_score_before_declaring_is_refused(evaluated, staff_user):
    tender, a, _b = evaluated
    with pytest.raises(ValidationError):
        services.score_bid(actor=staff_user, bid=a, scores=_scores(tender, 8, 7))


def test_resident_not_on_staff_only_panel(tender, staff_user, user_of_role):
    with pytest.raises(ValidationError):
        services.panel_add(actor=staff_user, tender=tender, user=user_of_role(Role.RESIDENT))


def test_ranking_hidden_until_all_scored_and_equals_core(evaluated, staff_user, other_staff):
    tender, a, b = evaluated
    for bid in (a, b):
        services.declare(actor=staff_user, bid=bid, has_conflict=False)
    services.score_bid(actor=staff_user, bid=a, scores=_scores(tender, 9, 8))
    services.score_bid(actor=staff_user, bid=b, scores=_scores(tender, 5, 6))
    assert not selectors.all_scored(tender)
    services.declare(actor=other_staff, bid=a, has_conflict=False)
    services.declare(actor=other_staff, bid=b, has_conflict=False)
    services.score_bid(actor=other_staff, bid=a, scores=_scores(tender, 3, 8))
    assert not selectors.all_scored(tender)
    with pytest.raises(ValidationError):
        services.award(actor=staff_user, tender=tender, bid=a)
    services.score_bid(actor=other_staff, bid=b, scores=_scores(tender, 6, 6))
    assert selectors.all_scored(tender)

    result = selectors.result_of(tender)
    s1, s2 = (
        f"P{tender.panel.get(user=staff_user).pk}",
        f"P{tender.panel.get(user=other_staff).pk}",
    )
    expected = score_tender(
        [
            Criterion("Plan", Decimal(40), CriterionType.QUALITY),
            Criterion("Residents", Decimal(30), CriterionType.QUALITY),
            Criterion("Price", Decimal(30), CriterionType.PRICE),
        ],
        [
            QualityScore(a.key, s1, "Plan", Decimal(9)),
            QualityScore(a.key, s1, "Residents", Decimal(8)),
            QualityScore(b.key, s1, "Plan", Decimal(5)),
            QualityScore(b.key, s1, "Residents", Decimal(6)),
            QualityScore(a.key, s2, "Plan", Decimal(3)),
            QualityScore(a.key, s2, "Residents", Decimal(8)),
            QualityScore(b.key, s2, "Plan", Decimal(6)),
            QualityScore(b.key, s2, "Residents", Decimal(6)),
        ],
        [BidPrice(a.key, Decimal(90000)), BidPrice(b.key, Decimal(60000))],
        price_method=PriceMethod.RELATIVE,
    )
    assert [r.bid for r in result.ranking] == [r.bid for r in expected.ranking]
    assert [r.total for r in result.ranking] == [r.total for r in expected.ranking]
    # Plan on bid A: 9 against 3, a spread of 6: consensus needed.
    assert [(s.bid, s.criterion) for s in result.needing_consensus()] == [(a.key, "Plan")]

    top = next(bid for bid in (a, b) if bid.key == result.ranking[0].bid)
    other = b if top is a else a
    with pytest.raises(ValidationError) as info:
        services.award(actor=staff_user, tender=tender, bid=other)
    assert "reasoning" in info.value.message_dict
    services.award(actor=staff_user, tender=tender, bid=other, reasoning="Meer bewoners doen mee")
    tender.refresh_from_db()
    assert tender.winner == other
    assert tender.award_reasoning == "Meer bewoners doen mee"
