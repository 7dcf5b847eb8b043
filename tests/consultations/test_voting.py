"""Voting through ``services.ballot_submit``: one ballot per voter that a change replaces,
nothing stored from a bad ballot, nothing accepted outside the voting period."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from samenspraak.consultations import services, verification
from samenspraak.consultations.models import (
    Ballot,
    BallotType,
    Choice,
    Consultation,
    ConsultationKind,
    ConsultationStatus,
    Verification,
)

pytestmark = pytest.mark.django_db


def _voter(consultation, code):
    return verification.verify_code(consultation, code)


def _stored(consultation):
    return {
        ballot.voter_key: sorted(c.item.code for c in ballot.choices.all())
        for ballot in Ballot.objects.filter(consultation=consultation)
    }


def test_a_code_votes_and_a_second_vote_replaces_the_first(pb):
    consultation, codes = pb
    voter = _voter(consultation, codes[0])
    first = services.ballot_submit(
        consultation=consultation, voter=voter, choices={"P1": True, "P2": True}
    )
    assert first.created
    assert first.ballot.revision == 1
    second = services.ballot_submit(
        consultation=consultation, voter=voter, choices={"P3": True}, age_band="30-44"
    )
    assert not second.created
    assert second.ballot.pk == first.ballot.pk
    assert second.ballot.revision == 2
    assert second.ballot.age_band == "30-44"
    assert _stored(consultation) == {voter.key: ["P3"]}
    assert Choice.objects.filter(ballot__consultation=consultation).count() == 1


def test_each_code_is_its_own_voter(pb):
    consultation, codes = pb
    for code, choice in zip(codes[:3], ["P1", "P2", "P3"], strict=True):
        services.ballot_submit(
            consultation=consultation, voter=_voter(consultation, code), choices={choice: True}
        )
    assert sorted(c for chosen in _stored(consultation).values() for c in chosen) == [
        "P1",
        "P2",
        "P3",
    ]
    assert Ballot.objects.filter(consultation=consultation).count() == 3


def test_the_voter_key_holds_no_code(pb):
    consultation, codes = pb
    voter = _voter(consultation, codes[0])
    services.ballot_submit(consultation=consultation, voter=voter, choices={"P1": True})
    key = Ballot.objects.get(consultation=consultation).voter_key
    assert codes[0] not in key
    assert verification.normalise_code(codes[0]) not in key.upper()
    assert key.startswith("code:") and len(key) == len("code:") + 64


@pytest.mark.parametrize(
    ("choices", "field", "words"),
    [
        ({"P1": True, "P4": True, "P2": True}, "choices", "meer dan het budget"),  # 115.000
        ({"P1": True, "P2": True, "P3": True, "P4": True}, "choices", "maximaal 3"),
        ({}, "choices", "minstens 1"),
        ({"P9": True}, "choices", "P9"),
    ],
)
def test_a_bad_ballot_is_refused_and_nothing_is_stored(pb, choices, field, words):
    consultation, codes = pb
    voter = _voter(consultation, codes[0])
    services.ballot_submit(consultation=consultation, voter=voter, choices={"P2": True})
    with pytest.raises(ValidationError) as excinfo:
        services.ballot_submit(consultation=consultation, voter=voter, choices=choices)
    assert field in excinfo.value.message_dict
    assert words in " ".join(excinfo.value.message_dict[field])
    # The earlier ballot is untouched: same choices, same revision.
    ballot = Ballot.objects.get(consultation=consultation)
    assert ballot.revision == 1
    assert _stored(consultation) == {voter.key: ["P2"]}


def test_the_budget_is_compared_exactly(make_consultation):
    """€ 100.000,00 fits a budget of € 100.000,00; one cent more does not."""
    items = [
        {"code": "A", "title": "A", "cost": Decimal("33333.33")},
        {"code": "B", "title": "B", "cost": Decimal("66666.67")},
        {"code": "C", "title": "C", "cost": Decimal("66666.68")},
    ]
    consultation, codes = make_consultation(items=items)
    voter = _voter(consultation, codes[0])
    services.ballot_submit(consultation=consultation, voter=voter, choices={"A": 1, "B": 1})
    with pytest.raises(ValidationError, match="0,01"):
        services.ballot_submit(consultation=consultation, voter=voter, choices={"A": 1, "C": 1})


@pytest.mark.parametrize(
    ("opens", "closes", "status", "words"),
    [
        (-48, -1, ConsultationStatus.PUBLISHED, "gesloten"),
        (2, 48, ConsultationStatus.PUBLISHED, "nog niet begonnen"),
        (-48, 48, ConsultationStatus.CLOSED, "gesloten"),
        (-48, 48, ConsultationStatus.DRAFT, "nog niet gepubliceerd"),
    ],
)
def test_outside_the_voting_period_nothing_is_accepted(pb, opens, closes, status, words):
    consultation, codes = pb
    voter = _voter(consultation, codes[0])
    services.ballot_submit(consultation=consultation, voter=voter, choices={"P1": True})
    now = timezone.now()
    Consultation.objects.filter(pk=consultation.pk).update(
        opens_at=now + datetime.timedelta(hours=opens),
        closes_at=now + datetime.timedelta(hours=closes),
        status=status,
    )
    consultation.refresh_from_db()
    with pytest.raises(ValidationError, match=words):
        services.ballot_submit(consultation=consultation, voter=voter, choices={"P2": True})
    other = _voter(consultation, codes[1])
    with pytest.raises(ValidationError):
        services.ballot_submit(consultation=consultation, voter=other, choices={"P2": True})
    assert _stored(consultation) == {voter.key: ["P1"]}


def test_a_consultation_closed_after_it_was_read_refuses(pb):
    """The service looks at the consultation again inside its transaction."""
    consultation, codes = pb
    voter = _voter(consultation, codes[0])
    Consultation.objects.filter(pk=consultation.pk).update(status=ConsultationStatus.CLOSED)
    # ``consultation`` still says published, as when a page read it a moment earlier.
    with pytest.raises(ValidationError, match="gesloten"):
        services.ballot_submit(consultation=consultation, voter=voter, choices={"P1": True})
    assert not Ballot.objects.exists()


def test_without_changes_allowed_a_used_code_is_refused(make_consultation):
    consultation, codes = make_consultation(allow_changes=False)
    voter = _voter(consultation, codes[0])
    services.ballot_submit(consultation=consultation, voter=voter, choices={"P1": True})
    with pytest.raises(ValidationError, match="al gestemd"):
        services.ballot_submit(consultation=consultation, voter=voter, choices={"P2": True})
    assert _stored(consultation) == {voter.key: ["P1"]}
    assert Ballot.objects.get().revision == 1


def test_a_voter_verified_another_way_is_refused(pb):
    consultation, _codes = pb
    voter = verification.Voter(key="mail:" + "0" * 64, method=Verification.EMAIL)
    with pytest.raises(ValidationError):
        services.ballot_submit(consultation=consultation, voter=voter, choices={"P1": True})
    assert not Ballot.objects.exists()


def test_cumulative_points(make_consultation):
    consultation, codes = make_consultation(
        ballot_type=BallotType.CUMULATIVE, points=10, max_choices=None
    )
    voter = _voter(consultation, codes[0])
    with pytest.raises(ValidationError, match="11 punten"):
        services.ballot_submit(consultation=consultation, voter=voter, choices={"P1": 6, "P2": 5})
    services.ballot_submit(consultation=consultation, voter=voter, choices={"P1": 6, "P2": 4})
    values = dict(
        Choice.objects.filter(ballot__consultation=consultation).values_list("item__code", "value")
    )
    assert values == {"P1": 6, "P2": 4}


def test_ordinal_ranks(make_consultation):
    consultation, codes = make_consultation(ballot_type=BallotType.ORDINAL, max_choices=3)
    voter = _voter(consultation, codes[0])
    with pytest.raises(ValidationError, match="zonder een nummer over te slaan"):
        services.ballot_submit(consultation=consultation, voter=voter, choices={"P1": 1, "P2": 3})
    with pytest.raises(ValidationError, match="dezelfde plaats"):
        services.ballot_submit(consultation=consultation, voter=voter, choices={"P1": 1, "P2": 1})
    services.ballot_submit(
        consultation=consultation, voter=voter, choices={"P3": 1, "P1": 2, "P4": 3}
    )
    values = dict(
        Choice.objects.filter(ballot__consultation=consultation).values_list("item__code", "value")
    )
    assert values == {"P3": 1, "P1": 2, "P4": 3}


def test_poll_answers_and_reasons(make_consultation, poll_items):
    consultation, codes = make_consultation(ConsultationKind.POLL, items=poll_items)
    voter = _voter(consultation, codes[0])
    first, second = (item.code for item in consultation.items.all())
    with pytest.raises(ValidationError, match="ten minste één"):
        services.ballot_submit(consultation=consultation, voter=voter, choices={})
    services.ballot_submit(
        consultation=consultation,
        voter=voter,
        choices={
            first: {"answer": "support", "reason": "Goed voor de buurt."},
            second: {"answer": "", "reason": ""},
        },
    )
    (line,) = Choice.objects.filter(ballot__consultation=consultation)
    assert (line.item.code, line.answer, line.reason) == (first, "support", "Goed voor de buurt.")


def test_simulator_records_whether_the_package_closes_the_gap(make_consultation):
    consultation, codes = make_consultation(ConsultationKind.SIMULATOR)
    voter = _voter(consultation, codes[0])
    # M1 + M3 save 130.000 in both years: 2027 gap 100.000 closed, 2028 gap 200.000 not.
    with pytest.raises(ValidationError) as excinfo:
        services.ballot_submit(
            consultation=consultation, voter=voter, choices={"M1": True, "M3": True}
        )
    assert "confirm_unbalanced" in excinfo.value.message_dict
    assert not Ballot.objects.exists()
    unbalanced = services.ballot_submit(
        consultation=consultation,
        voter=voter,
        choices={"M1": True, "M3": True},
        confirm_unbalanced=True,
    )
    assert unbalanced.ballot.closes_gap is False
    # M1 + M2 + M3: 2027 = 110.000 >= 100.000 and 2028 = 280.000 >= 200.000.
    balanced = services.ballot_submit(
        consultation=consultation, voter=voter, choices={"M1": 1, "M2": 1, "M3": 1}
    )
    assert balanced.ballot.closes_gap is True
    assert balanced.ballot.revision == 2


def test_districts_from_the_address_list_and_from_the_voter(make_consultation, districts):
    # E-mail voting limited to two districts: the voter must say which.
    consultation, _codes = make_consultation(
        verification=Verification.EMAIL, districts=[districts["north"], districts["south"]]
    )
    voter = verification.Voter(key="mail:" + "1" * 64, method=Verification.EMAIL)
    with pytest.raises(ValidationError) as excinfo:
        services.ballot_submit(consultation=consultation, voter=voter, choices={"P1": True})
    assert "district" in excinfo.value.message_dict
    with pytest.raises(ValidationError) as excinfo:
        services.ballot_submit(
            consultation=consultation,
            voter=voter,
            choices={"P1": True},
            district_id=districts["other"].pk,
        )
    assert "district" in excinfo.value.message_dict
    assert not Ballot.objects.exists()
    services.ballot_submit(
        consultation=consultation,
        voter=voter,
        choices={"P1": True},
        district_id=districts["south"].pk,
    )
    assert Ballot.objects.get().district == districts["south"]


def test_a_code_from_the_address_list_fixes_the_district(staff_user, make_consultation, districts):
    consultation, _codes = make_consultation(publish=False, codes=0)
    rows = verification.parse_address_list(
        "adres;postcode;wijk\nKeizersgracht 1;5341 AB;Megen\n", "adressen.csv"
    )[1]
    (new,) = services.codes_generate(actor=staff_user, consultation=consultation, addresses=rows)
    services.consultation_publish(actor=staff_user, consultation=consultation)
    consultation.refresh_from_db()
    voter = _voter(consultation, new.code)
    assert voter.district_id == districts["south"].pk
    services.ballot_submit(
        consultation=consultation,
        voter=voter,
        choices={"P1": True},
        district_id=districts["north"].pk,  # what the voter says does not count
    )
    assert Ballot.objects.get().district == districts["south"]
