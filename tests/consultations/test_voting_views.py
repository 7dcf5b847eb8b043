"""The residents' pages: the consultation page, proving who you are, the ballot of every type,
changing a vote, and the refusals a voter can run into."""

from __future__ import annotations

import datetime
import re

import pytest
from django.core import mail
from django.utils import timezone

from samenspraak.consultations import verification
from samenspraak.consultations.models import (
    Ballot,
    BallotType,
    Choice,
    Consultation,
    ConsultationKind,
    EmailLink,
    Verification,
)

pytestmark = pytest.mark.django_db


def _url(consultation, name=""):
    return f"/raadplegingen/{consultation.slug}/{name}"


def _choices(consultation):
    return sorted(
        Choice.objects.filter(ballot__consultation=consultation).values_list(
            "item__code", flat=True
        )
    )


def test_the_consultation_page_explains_how_to_vote(client, pb):
    consultation, _codes = pb
    response = client.get(_url(consultation))
    assert response.status_code == 200
    text = response.content.decode()
    assert "Buurtbudget Dichtersbuurt" in text
    assert "Uw stemcode" in text
    assert "Speeltuin Vondelpark" in text
    assert "€ 40.000" in text
    assert "Er is € 100.000 te besteden." in text


def test_a_draft_is_not_given_away(client, make_consultation):
    consultation, _codes = make_consultation(publish=False)
    assert client.get(_url(consultation)).status_code == 404
    assert client.get(_url(consultation, "stemmen/")).status_code == 404


def test_voting_with_a_code_then_changing_the_vote(client, pb):
    consultation, codes = pb
    # A wrong code: a clear message on the field, no session.
    response = client.post(_url(consultation, "stemcode/"), {"code": "AAAA-BBBB-CCCC"})
    assert response.status_code == 400
    assert "Wij kennen deze stemcode niet" in response.content.decode()
    # The right code, typed sloppily: lower case and spaces.
    sloppy = " ".join(codes[0][i : i + 4] for i in (0, 4, 8)).lower()
    response = client.post(_url(consultation, "stemcode/"), {"code": sloppy})
    assert response.status_code == 302
    assert response["Location"] == _url(consultation, "stemmen/")
    page = client.get(_url(consultation, "stemmen/")).content.decode()
    assert 'name="projects" value="P1"' in page
    assert 'name="code"' not in page  # proven already
    response = client.post(
        _url(consultation, "stemmen/"), {"projects": ["P1", "P2"], "age_band": "45-64"}
    )
    assert response.status_code == 302
    assert response["Location"] == _url(consultation, "bedankt/")
    thanks = client.get(_url(consultation, "bedankt/")).content.decode()
    assert "Speeltuin Vondelpark" in thanks and "Samen: € 55.000." in thanks
    assert _choices(consultation) == ["P1", "P2"]
    # Back to the ballot: the earlier choices are filled in; a new vote replaces them.
    page = client.get(_url(consultation, "stemmen/")).content.decode()
    assert re.search(r'value="P1" id="project-0"[^>]*checked', page)
    assert "vervangt uw nieuwe stem de oude" in page
    response = client.post(_url(consultation, "stemmen/"), {"projects": ["P3"]})
    assert response.status_code == 302
    ballot = Ballot.objects.get(consultation=consultation)
    assert ballot.revision == 2
    assert ballot.age_band == ""
    assert _choices(consultation) == ["P3"]


def test_the_code_can_be_given_on_the_ballot_itself(client, pb):
    consultation, codes = pb
    page = client.get(_url(consultation, "stemmen/")).content.decode()
    assert 'name="code"' in page
    response = client.post(
        _url(consultation, "stemmen/"), {"projects": ["P2"], "code": "ZZZZ-ZZZZ-ZZZZ"}
    )
    assert response.status_code == 400
    assert "Wij kennen deze stemcode niet" in response.content.decode()
    assert not Ballot.objects.exists()
    response = client.post(_url(consultation, "stemmen/"), {"projects": ["P2"], "code": codes[1]})
    assert response.status_code == 302
    assert _choices(consultation) == ["P2"]


def test_a_ballot_over_budget_names_the_problem_and_stores_nothing(client, pb):
    consultation, codes = pb
    client.post(_url(consultation, "stemcode/"), {"code": codes[0]})
    response = client.post(_url(consultation, "stemmen/"), {"projects": ["P1", "P2", "P4"]})
    assert response.status_code == 400
    text = response.content.decode()
    assert 'id="error-summary"' in text
    assert 'href="#choices"' in text
    assert "€ 15.000 meer dan het budget van € 100.000" in text
    # What the voter chose stays checked, so they can fix it.
    assert re.search(r'value="P4" id="project-3"[^>]*checked', text)
    assert not Ballot.objects.exists()


def test_an_unknown_project_is_refused(client, pb):
    consultation, codes = pb
    client.post(_url(consultation, "stemcode/"), {"code": codes[0]})
    response = client.post(_url(consultation, "stemmen/"), {"projects": ["P1", "P99"]})
    assert response.status_code == 400
    assert "P99" in response.content.decode()
    assert not Ballot.objects.exists()


def test_a_closed_consultation_accepts_nothing(client, pb):
    consultation, codes = pb
    client.post(_url(consultation, "stemcode/"), {"code": codes[0]})
    Consultation.objects.filter(pk=consultation.pk).update(
        closes_at=timezone.now() - datetime.timedelta(minutes=1),
        opens_at=timezone.now() - datetime.timedelta(days=1),
    )
    response = client.get(_url(consultation, "stemmen/"))
    assert response.status_code == 302
    response = client.post(_url(consultation, "stemmen/"), {"projects": ["P1"]})
    assert response.status_code == 400
    assert "Het stemmen is gesloten" in response.content.decode()
    response = client.post(_url(consultation, "stemcode/"), {"code": codes[1]})
    assert response.status_code == 302  # back to the page, which says it is closed
    assert "Het stemmen is gesloten" in client.get(_url(consultation)).content.decode()
    assert not Ballot.objects.exists()


def test_a_used_code_is_refused_when_changes_are_not_allowed(client, make_consultation):
    consultation, codes = make_consultation(allow_changes=False)
    client.post(_url(consultation, "stemmen/"), {"projects": ["P1"], "code": codes[0]})
    assert _choices(consultation) == ["P1"]
    other = client.__class__()
    response = other.post(_url(consultation, "stemcode/"), {"code": codes[0]})
    assert response.status_code == 400
    assert "Met deze code is al gestemd" in response.content.decode()
    response = other.post(_url(consultation, "stemmen/"), {"projects": ["P2"], "code": codes[0]})
    assert response.status_code == 400
    assert _choices(consultation) == ["P1"]


def test_stop_forgets_the_voter(client, pb):
    consultation, codes = pb
    client.post(_url(consultation, "stemcode/"), {"code": codes[0]})
    client.post(_url(consultation, "stemmen/"), {"projects": ["P1"]})
    assert client.get(_url(consultation, "bedankt/")).status_code == 200
    client.post(_url(consultation, "stoppen/"))
    assert client.get(_url(consultation, "bedankt/")).status_code == 302
    assert 'name="code"' in client.get(_url(consultation, "stemmen/")).content.decode()


def test_a_code_typed_on_the_ballot_keeps_nobody_logged_in(client, pb, make_consultation):
    """The thank-you page gets a signed, short-lived key to the ballot; the session does not
    remember the voter, so changing the vote means typing the code again."""
    consultation, codes = pb
    response = client.post(_url(consultation, "stemmen/"), {"projects": ["P2"], "code": codes[0]})
    assert response.status_code == 302
    thanks_url = response["Location"]
    assert thanks_url.startswith(_url(consultation, "bedankt/?stem="))
    page = client.get(thanks_url).content.decode()
    assert "Bankjes langs de Maas" in page
    assert "Vul uw stemcode opnieuw in" in page
    assert 'name="code"' in client.get(_url(consultation, "stemmen/")).content.decode()
    assert client.get(_url(consultation, "bedankt/")).status_code == 302
    assert client.get(thanks_url + "x").status_code == 302  # tampered
    other, _codes = make_consultation(title="Andere stemming")
    token = thanks_url.split("stem=")[1]
    assert client.get(_url(other, f"bedankt/?stem={token}")).status_code == 302


# --- e-mail links -----------------------------------------------------------------------------


def _link_token(message) -> str:
    match = re.search(r"/e-mail/([A-Za-z0-9_-]+)/", message.body)
    assert match, message.body
    return match.group(1)


@pytest.fixture
def ask_link(client, django_capture_on_commit_callbacks):
    """Ask for a link; the mail goes out when the transaction commits, so run that."""

    def ask(consultation, email, the_client=None):
        with django_capture_on_commit_callbacks(execute=True):
            return (the_client or client).post(_url(consultation, "e-mail/"), {"email": email})

    return ask


def test_voting_with_an_email_link(client, make_consultation, ask_link):
    consultation, _codes = make_consultation(verification=Verification.EMAIL)
    response = ask_link(consultation, " Kiezer@Example.org ")
    assert response.status_code == 302
    assert response["Location"] == _url(consultation, "e-mail/verstuurd/")
    (message,) = mail.outbox
    assert message.to == ["kiezer@example.org"]
    assert "Buurtbudget Dichtersbuurt" in message.subject
    token = _link_token(message)
    # Nothing of the address is stored in clear.
    link = EmailLink.objects.get()
    assert "kiezer" not in link.email_hash and token not in link.token_hash
    # Opening the link shows a button; only pressing it uses the link.
    page = client.get(_url(consultation, f"e-mail/{token}/"))
    assert page.status_code == 200
    assert EmailLink.objects.get().used_at is None
    response = client.post(_url(consultation, f"e-mail/{token}/"))
    assert response.status_code == 302
    assert response["Location"] == _url(consultation, "stemmen/")
    client.post(_url(consultation, "stemmen/"), {"projects": ["P3"]})
    assert _choices(consultation) == ["P3"]
    # The link works once.
    other = client.__class__()
    response = other.post(_url(consultation, f"e-mail/{token}/"))
    assert response.status_code == 400
    assert "Deze link is al gebruikt" in response.content.decode()
    # A new link for the same address changes the same ballot.
    client.post(_url(consultation, "stoppen/"))
    ask_link(consultation, "kiezer@example.org")
    client.post(_url(consultation, f"e-mail/{_link_token(mail.outbox[-1])}/"))
    client.post(_url(consultation, "stemmen/"), {"projects": ["P1"]})
    assert Ballot.objects.get().revision == 2
    assert _choices(consultation) == ["P1"]


def test_an_expired_link_is_refused(client, make_consultation, ask_link):
    consultation, _codes = make_consultation(verification=Verification.EMAIL)
    ask_link(consultation, "kiezer@example.org")
    token = _link_token(mail.outbox[0])
    EmailLink.objects.update(expires_at=timezone.now() - datetime.timedelta(seconds=1))
    page = client.get(_url(consultation, f"e-mail/{token}/")).content.decode()
    assert "Deze link is verlopen" in page
    response = client.post(_url(consultation, f"e-mail/{token}/"))
    assert response.status_code == 400
    assert "Deze link is verlopen" in response.content.decode()
    assert client.get(_url(consultation, "stemmen/")).status_code == 302  # not proven


def test_a_bad_email_address_is_named(make_consultation, ask_link):
    consultation, _codes = make_consultation(verification=Verification.EMAIL)
    response = ask_link(consultation, "geen-adres")
    assert response.status_code == 400
    assert "Dit is geen e-mailadres" in response.content.decode()
    assert mail.outbox == []


def test_email_voters_in_restricted_districts_say_where_they_live(
    client, make_consultation, districts
):
    consultation, _codes = make_consultation(
        verification=Verification.EMAIL, districts=[districts["north"]]
    )
    voter = verification.Voter(key="mail:" + "a" * 64, method=Verification.EMAIL)
    session = client.session
    session[verification.SESSION_KEY] = {
        str(consultation.pk): {"key": voter.key, "method": voter.method, "district": None}
    }
    session.save()
    page = client.get(_url(consultation, "stemmen/")).content.decode()
    assert "In welke wijk woont u?" in page and "Dichtersbuurt" in page
    response = client.post(_url(consultation, "stemmen/"), {"projects": ["P1"]})
    assert response.status_code == 400
    assert "Kies de wijk waar u woont" in response.content.decode()
    response = client.post(
        _url(consultation, "stemmen/"),
        {"projects": ["P1"], "district": str(districts["north"].pk)},
    )
    assert response.status_code == 302
    assert Ballot.objects.get().district == districts["north"]


# --- the other ballot types -------------------------------------------------------------------


def _prove(client, consultation, code):
    response = client.post(_url(consultation, "stemcode/"), {"code": code})
    assert response.status_code == 302


def test_a_points_ballot(client, make_consultation):
    consultation, codes = make_consultation(
        ballot_type=BallotType.CUMULATIVE, points=10, max_choices=None
    )
    _prove(client, consultation, codes[0])
    page = client.get(_url(consultation, "stemmen/")).content.decode()
    assert "U hebt 10 punten." in page
    item = {i.code: i.pk for i in consultation.items.all()}
    response = client.post(
        _url(consultation, "stemmen/"), {f"points_{item['P1']}": "8", f"points_{item['P2']}": "3"}
    )
    assert response.status_code == 400
    assert "U gaf 11 punten, maar u hebt er 10" in response.content.decode()
    response = client.post(
        _url(consultation, "stemmen/"), {f"points_{item['P1']}": "7", f"points_{item['P2']}": "3"}
    )
    assert response.status_code == 302
    values = dict(Choice.objects.values_list("item__code", "value"))
    assert values == {"P1": 7, "P2": 3}
    assert (
        "U gaf 10 van uw 10 punten." in client.get(_url(consultation, "bedankt/")).content.decode()
    )


def test_a_ranking_ballot(client, make_consultation):
    consultation, codes = make_consultation(ballot_type=BallotType.ORDINAL, max_choices=3)
    _prove(client, consultation, codes[0])
    item = {i.code: i.pk for i in consultation.items.all()}
    response = client.post(
        _url(consultation, "stemmen/"), {f"rank_{item['P1']}": "1", f"rank_{item['P2']}": "1"}
    )
    assert response.status_code == 400
    assert "dezelfde plaats" in response.content.decode()
    response = client.post(
        _url(consultation, "stemmen/"),
        {f"rank_{item['P4']}": "1", f"rank_{item['P1']}": "2", f"rank_{item['P3']}": "3"},
    )
    assert response.status_code == 302
    thanks = client.get(_url(consultation, "bedankt/")).content.decode()
    order = [thanks.index(t) for t in ("Verlichting fietspad", "Speeltuin", "Buurtmoestuin")]
    assert order == sorted(order)


def test_a_poll_ballot(client, make_consultation, poll_items):
    consultation, codes = make_consultation(ConsultationKind.POLL, items=poll_items)
    _prove(client, consultation, codes[0])
    page = client.get(_url(consultation, "stemmen/")).content.decode()
    assert "Voor" in page and "Tegen" in page and "Geen mening" in page
    first, second = consultation.items.all()
    response = client.post(_url(consultation, "stemmen/"), {f"reason_{first.pk}": "Zonder keuze."})
    assert response.status_code == 400
    assert "Kies ook voor, tegen of geen mening" in response.content.decode()
    response = client.post(
        _url(consultation, "stemmen/"),
        {
            f"answer_{first.pk}": "oppose",
            f"reason_{first.pk}": "Te duur.",
            f"answer_{second.pk}": "support",
        },
    )
    assert response.status_code == 302
    answers = dict(Choice.objects.values_list("item_id", "answer"))
    assert answers == {first.pk: "oppose", second.pk: "support"}
    thanks = client.get(_url(consultation, "bedankt/")).content.decode()
    assert "Tegen" in thanks and "Te duur." in thanks


def test_a_budget_simulator_ballot(client, make_consultation):
    consultation, codes = make_consultation(ConsultationKind.SIMULATOR)
    _prove(client, consultation, codes[0])
    page = client.get(_url(consultation, "stemmen/")).content.decode()
    assert 'data-amounts="2027:60000.00;2028:60000.00"' in page
    assert "€ 200.000" in page  # the 2028 gap
    response = client.post(_url(consultation, "stemmen/"), {"measures": ["M1", "M3"]})
    assert response.status_code == 400
    text = response.content.decode()
    assert "Uw pakket sluit het tekort niet in elk jaar" in text
    # Without JavaScript the balance table shows the package sent: 130.000 saved, 70.000 to go.
    assert "€ 130.000" in text and "€ 70.000" in text
    response = client.post(
        _url(consultation, "stemmen/"), {"measures": ["M1", "M3"], "confirm_unbalanced": "on"}
    )
    assert response.status_code == 302
    assert Ballot.objects.get().closes_gap is False
    response = client.post(_url(consultation, "stemmen/"), {"measures": ["M1", "M2", "M3"]})
    assert response.status_code == 302
    ballot = Ballot.objects.get()
    assert (ballot.closes_gap, ballot.revision) == (True, 2)
    assert (
        "sluit het tekort in elk jaar"
        in client.get(_url(consultation, "bedankt/")).content.decode()
    )


def test_not_yet_open(client, make_consultation):
    now = timezone.now()
    consultation, codes = make_consultation(
        opens_at=now + datetime.timedelta(days=1), closes_at=now + datetime.timedelta(days=8)
    )
    page = client.get(_url(consultation)).content.decode()
    assert "Het stemmen is nog niet begonnen" in page
    response = client.post(_url(consultation, "stemmen/"), {"projects": ["P1"], "code": codes[0]})
    assert response.status_code == 400
    assert not Ballot.objects.exists()


def test_the_process_page_lists_its_consultations(client, pb, make_consultation, process):
    make_consultation(publish=False, title="Nog een concept")
    text = client.get(process.get_absolute_url()).content.decode()
    assert "Raadplegingen" in text
    assert "Buurtbudget Dichtersbuurt" in text and "stem nu, tot" in text
    assert "Nog een concept" not in text
