"""Voting codes, address lists and e-mail links (verification.py), without the pages."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone
from hypothesis import given
from hypothesis import strategies as st

from samenspraak.consultations import verification
from samenspraak.consultations.models import EmailLink, Verification

ALPHABET = set(verification.ALPHABET)


def test_codes_have_no_look_alikes_and_are_grouped():
    assert not ALPHABET & set("0O1IL")
    codes = {verification.new_code() for _ in range(2000)}
    assert len(codes) == 2000
    assert all(len(c) == 12 and set(c) <= ALPHABET for c in codes)
    code = next(iter(codes))
    printed = verification.format_code(code)
    assert printed.count("-") == 2 and printed.replace("-", "") == code


@given(st.text(alphabet=sorted(ALPHABET), min_size=12, max_size=12), st.data())
def test_typing_is_forgiving(code, data):
    """Lower case, spaces, dashes and dots do not matter; the code itself does."""
    typed = "".join(
        data.draw(st.sampled_from([ch, ch.lower()])) + data.draw(st.sampled_from(["", " ", "-"]))
        for ch in code
    )
    assert verification.normalise_code(typed) == code
    assert verification.normalise_code(" " + verification.format_code(code).lower() + ".") == code


def test_code_hashes_depend_on_the_consultation_and_the_pepper(settings):
    code = "ABCDEFGHJKMN"
    first = verification.code_hash(1, code)
    assert first == verification.code_hash(1, "abcd efgh jkmn")
    assert first != verification.code_hash(2, code)
    settings.VOTER_KEY_PEPPER = "een-andere-peper"
    assert first != verification.code_hash(1, code)


# --- address lists ----------------------------------------------------------------------------


def test_an_address_list_keeps_every_column_for_the_mail_merge():
    text = "\ufeffNaam;Adres;Postcode;Wijk\nFam. de Vries;Dorpsstraat 1;5394 AA;Megen\n"
    header, rows = verification.parse_address_list(text, "a.csv")
    assert header == ["Naam", "Adres", "Postcode", "Wijk"]
    (row,) = rows
    assert (row.line, row.address, row.postcode, row.district) == (
        2,
        "Dorpsstraat 1",
        "5394 AA",
        "Megen",
    )
    assert row.cells["Naam"] == "Fam. de Vries"


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ("", "is leeg"),
        ("naam,plaats\nA,B\n", "Regel 1 van a.csv: de kolommen “adres”"),
        ("adres,postcode\n", "geen adressen"),
        ("adres,postcode\nDorpsstraat 1,5394 AA,extra\n", "Regel 2 van a.csv: 3 cellen"),
        ("adres,postcode\n,5394 AA\n", "Regel 2 van a.csv: het adres is leeg"),
        (
            "adres,postcode\nA 1,1111 AA\n\nA  1,1111AA\n",
            "Regel 4 van a.csv: dit adres staat ook op regel 2",
        ),
    ],
)
def test_a_bad_address_list_names_the_line(text, words):
    with pytest.raises(ValidationError) as excinfo:
        verification.parse_address_list(text, "a.csv")
    assert words in " ".join(excinfo.value.messages)


# --- codes against the database ---------------------------------------------------------------


@pytest.mark.django_db
def test_verify_code_says_what_is_wrong(pb):
    consultation, codes = pb
    for typed, words in [
        ("", "Vul uw stemcode in"),
        ("ABC", "Dit is geen stemcode"),
        ("0000-1111-IIII", "Dit is geen stemcode"),
        ("ABCD-EFGH-JKMN", "Wij kennen deze stemcode niet"),
    ]:
        with pytest.raises(ValidationError) as excinfo:
            verification.verify_code(consultation, typed)
        assert words in " ".join(excinfo.value.message_dict["code"])
    voter = verification.verify_code(consultation, codes[0].lower())
    assert voter.method == Verification.CODE
    assert voter.key == "code:" + verification.code_hash(consultation.pk, codes[0])


@pytest.mark.django_db
def test_a_code_of_another_consultation_does_not_work(make_consultation):
    first, first_codes = make_consultation()
    second, _codes = make_consultation(title="Andere stemming")
    with pytest.raises(ValidationError, match="Wij kennen deze stemcode niet"):
        verification.verify_code(second, first_codes[0])
    assert verification.verify_code(first, first_codes[0])


# --- e-mail links -----------------------------------------------------------------------------


@pytest.fixture
def email_vote(make_consultation):
    consultation, _codes = make_consultation(verification=Verification.EMAIL)
    return consultation


def _ask(consultation, email="kiezer@example.org", now=None):
    tokens = []
    verification.request_email_link(
        consultation=consultation,
        email=email,
        link_for=lambda token: tokens.append(token) or "https://example.org/" + token,
        now=now,
    )
    return tokens[0]


@pytest.mark.django_db
def test_a_link_works_once_and_expires(email_vote, settings):
    settings.CONSULTATION_EMAIL_LINK_HOURS = 2
    token = _ask(email_vote)
    link = EmailLink.objects.get()
    assert link.expires_at - link.created_at == pytest.approx(
        datetime.timedelta(hours=2), abs=datetime.timedelta(seconds=5)
    )
    assert verification.email_link_state(email_vote, token) == "valid"
    voter = verification.open_email_link(consultation=email_vote, token=token)
    assert voter.key == "mail:" + verification.email_hash(email_vote.pk, "KIEZER@example.org ")
    assert verification.email_link_state(email_vote, token) == "used"
    with pytest.raises(ValidationError, match="al gebruikt"):
        verification.open_email_link(consultation=email_vote, token=token)
    later = _ask(email_vote)
    in_three_hours = timezone.now() + datetime.timedelta(hours=3)
    assert verification.email_link_state(email_vote, later, in_three_hours) == "expired"
    with pytest.raises(ValidationError, match="verlopen"):
        verification.open_email_link(consultation=email_vote, token=later, now=in_three_hours)
    with pytest.raises(ValidationError, match="kennen deze link niet"):
        verification.open_email_link(consultation=email_vote, token="verzonnen")


@pytest.mark.django_db
def test_links_per_hour_are_limited(email_vote, settings):
    settings.CONSULTATION_EMAIL_LINKS_PER_HOUR = 2
    _ask(email_vote)
    _ask(email_vote, "Kiezer@Example.org")
    with pytest.raises(ValidationError, match="al een paar links"):
        _ask(email_vote)
    _ask(email_vote, "buurvrouw@example.org")  # another address is not limited
    assert EmailLink.objects.count() == 3


@pytest.mark.django_db
def test_no_link_while_voting_is_closed(email_vote):
    with pytest.raises(ValidationError, match="niet open"):
        _ask(email_vote, now=email_vote.closes_at + datetime.timedelta(seconds=1))
    assert not EmailLink.objects.exists()


@pytest.mark.django_db
def test_a_link_of_one_consultation_does_not_open_another(email_vote, make_consultation):
    other, _codes = make_consultation(verification=Verification.EMAIL, title="Andere")
    token = _ask(email_vote)
    with pytest.raises(ValidationError):
        verification.open_email_link(consultation=other, token=token)
    assert verification.open_email_link(consultation=email_vote, token=token)
