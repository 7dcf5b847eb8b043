"""Staff set a consultation up: the services (validation first, one transaction, an audit
event) and the pages that call them (settings, items of each kind, voting codes, publishing,
the running count)."""

from __future__ import annotations

import csv
import datetime
import io
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from samenspraak.common.models import AuditEvent
from samenspraak.consultations import services, verification
from samenspraak.consultations.models import (
    Ballot,
    BallotType,
    Consultation,
    ConsultationKind,
    ConsultationStatus,
    Item,
    Verification,
    VotingCode,
)
from samenspraak.processes import services as process_services
from samenspraak.proposals.models import Proposal, ProposalStatus
from tests.consultations.conftest import PROJECTS, settings_data

pytestmark = pytest.mark.django_db


# --- services ---------------------------------------------------------------------------------


def test_create_validates_everything_first(staff_user, process):
    bad = settings_data(
        budget=None,
        ballot_type="",
        closes_at=timezone.now() - datetime.timedelta(days=1),
        max_choices=0,
    )
    with pytest.raises(ValidationError) as excinfo:
        services.consultation_create(actor=staff_user, process=process, data=bad)
    errors = excinfo.value.message_dict
    assert set(errors) == {"budget", "ballot_type", "closes_at", "max_choices"}
    assert not Consultation.objects.exists()
    assert not AuditEvent.objects.filter(action="consultation_create").exists()


def test_create_records_an_audit_event(staff_user, process):
    consultation = services.consultation_create(
        actor=staff_user, process=process, data=settings_data()
    )
    assert consultation.status == ConsultationStatus.DRAFT
    assert consultation.slug == "buurtbudget-dichtersbuurt"
    assert consultation.rule == "mes-add1"
    event = AuditEvent.objects.get(action="consultation_create")
    assert event.process_id == process.pk and event.actor == staff_user


def test_only_the_process_owner_and_admins_create(other_staff, admin_user, process):
    with pytest.raises(PermissionDenied):
        services.consultation_create(actor=other_staff, process=process, data=settings_data())
    made = services.consultation_create(actor=admin_user, process=process, data=settings_data())
    assert made.pk


def test_a_poll_forgets_the_pb_settings(staff_user, process):
    consultation = services.consultation_create(
        actor=staff_user,
        process=process,
        data=settings_data(ConsultationKind.POLL, ballot_type="knapsack", budget=Decimal("5")),
    )
    assert (consultation.ballot_type, consultation.budget) == ("", None)


def test_oidc_is_offered_only_when_configured(staff_user, process, settings):
    settings.OIDC_VOTING_ENABLED = False
    with pytest.raises(ValidationError) as excinfo:
        services.consultation_create(
            actor=staff_user, process=process, data=settings_data(verification=Verification.OIDC)
        )
    assert "verification" in excinfo.value.message_dict
    settings.OIDC_VOTING_ENABLED = True
    made = services.consultation_create(
        actor=staff_user, process=process, data=settings_data(verification=Verification.OIDC)
    )
    assert made.verification == Verification.OIDC


def test_items_are_checked_row_by_row(staff_user, make_consultation):
    consultation, _codes = make_consultation(publish=False)
    rows = [
        {"code": "A", "title": "Eerste", "cost": Decimal("10.00")},
        {"code": "A", "title": "", "cost": "12,5"},
        {"code": "C", "title": "Derde"},
        {"code": "met spatie", "title": "Vierde", "cost": Decimal("-1.00")},
    ]
    with pytest.raises(ValidationError) as excinfo:
        services.items_replace(actor=staff_user, consultation=consultation, items=rows)
    text = " ".join(excinfo.value.message_dict["items"])
    assert "Onderdeel 2: geef een titel" in text
    assert "“A” hoort ook bij onderdeel 1" in text
    assert "Onderdeel 2, kosten: “12,5” is geen bedrag" in text
    assert "Onderdeel 3: geef de kosten" in text
    assert "Onderdeel 4: het project-id “met spatie”" in text
    assert "Onderdeel 4, kosten: het bedrag kan niet negatief zijn" in text
    # Nothing was replaced.
    assert sorted(consultation.items.values_list("code", flat=True)) == ["P1", "P2", "P3", "P4"]


def test_publishing_needs_a_complete_consultation(staff_user, make_consultation):
    consultation, _codes = make_consultation(publish=False, codes=0, items=PROJECTS[:1])
    with pytest.raises(ValidationError) as excinfo:
        services.consultation_publish(actor=staff_user, consultation=consultation)
    text = " ".join(excinfo.value.messages)
    assert "minstens twee projecten" in text
    assert "Maak eerst de stemcodes" in text
    assert Consultation.objects.get(pk=consultation.pk).status == ConsultationStatus.DRAFT


def test_after_publishing_the_rules_are_fixed(staff_user, pb):
    consultation, _codes = pb
    with pytest.raises(ValidationError, match="kan dit niet meer veranderen: budget"):
        services.consultation_update(
            actor=staff_user, consultation=consultation, data={"budget": Decimal("1.00")}
        )
    with pytest.raises(ValidationError):
        services.items_replace(actor=staff_user, consultation=consultation, items=PROJECTS)
    later = consultation.closes_at + datetime.timedelta(days=3)
    services.consultation_update(
        actor=staff_user,
        consultation=consultation,
        data={"title": "Buurtbudget 2027", "closes_at": later},
    )
    consultation.refresh_from_db()
    assert (consultation.title, consultation.closes_at) == ("Buurtbudget 2027", later)
    event = AuditEvent.objects.filter(action="consultation_update").latest("pk")
    assert event.changes["title"] == ["Buurtbudget Dichtersbuurt", "Buurtbudget 2027"]


def test_back_to_draft_only_while_nobody_voted(staff_user, pb):
    consultation, codes = pb
    services.consultation_unpublish(actor=staff_user, consultation=consultation)
    services.consultation_publish(actor=staff_user, consultation=consultation)
    consultation.refresh_from_db()
    voter = verification.verify_code(consultation, codes[0])
    services.ballot_submit(consultation=consultation, voter=voter, choices={"P1": True})
    with pytest.raises(ValidationError, match="al gestemd"):
        services.consultation_unpublish(actor=staff_user, consultation=consultation)


def test_publishing_a_poll_puts_checked_proposals_in_consultation(
    staff_user, member, make_consultation, poll_items, make_proposal
):
    """Through the proposals service: one proposal passes the framework check and moves; the
    other fails it and is named with the reason; a submitted one cannot move yet."""
    from samenspraak.proposals import services as proposal_services
    from tests.proposals.conftest import ASPECTS, CONDITIONS

    passing, failing = (row["proposal"] for row in poll_items)
    Proposal.objects.filter(pk=passing.pk).update(status=ProposalStatus.DRAFT)  # to edit it
    passing.refresh_from_db()
    proposal_services.proposal_update(actor=member, proposal=passing, data={"aspects": ASPECTS})
    proposal_services.conditions_assess(
        actor=staff_user,
        proposal=passing,
        assessments=[{"condition": c, "met": "yes"} for c in CONDITIONS],
    )
    Proposal.objects.filter(pk=passing.pk).update(status=ProposalStatus.CHECKED)
    passing.refresh_from_db()
    submitted = make_proposal(title="Nog maar ingediend")
    Proposal.objects.filter(pk=submitted.pk).update(status=ProposalStatus.SUBMITTED)
    submitted.refresh_from_db()
    rows = [*poll_items, {"title": submitted.title, "proposal": submitted, "code": "s"}]
    consultation, _codes = make_consultation(ConsultationKind.POLL, items=rows, publish=False)
    published = services.consultation_publish(actor=staff_user, consultation=consultation)
    statuses = dict(Proposal.objects.values_list("pk", "status"))
    assert [p.pk for p in published.moved] == [passing.pk]
    assert statuses[passing.pk] == ProposalStatus.IN_CONSULTATION
    assert [(p.pk, "kaders" in reason) for p, reason in published.not_moved] == [(failing.pk, True)]
    assert statuses[failing.pk] == ProposalStatus.CHECKED
    assert statuses[submitted.pk] == ProposalStatus.SUBMITTED
    event = AuditEvent.objects.get(action="consultation_publish")
    assert event.changes["proposals_in_consultation"] == [passing.slug]


def test_a_pve_can_be_asked_about_chapter_by_chapter(staff_user, make_consultation, make_proposal):
    from tests.proposals.conftest import REQUIREMENTS

    pve = make_proposal(
        kind="programme_of_requirements",
        title="Programma van Eisen",
        aspects=[],
        requirements=REQUIREMENTS,
    )
    Proposal.objects.filter(pk=pve.pk).update(status=ProposalStatus.CHECKED)
    consultation, _codes = make_consultation(ConsultationKind.POLL, publish=False, items=[])
    options = {value: label for value, label, _p in services.poll_options(consultation.process)}
    chapters = [v for v in options if v.startswith(f"{pve.pk}:")]
    assert sorted(options[v].split(": ")[1] for v in chapters) == ["Groen", "Milieu", "Parkeren"]
    services.poll_items_from_proposals(
        actor=staff_user, consultation=consultation, selections=chapters
    )
    items = list(consultation.items.all())
    assert len(items) == 3
    parking = next(i for i in items if i.extra == {"chapter": "Parkeren"})
    assert parking.proposal == pve
    assert "Parkeernorm bewoners" in parking.description


def test_the_simulator_is_filled_from_the_process(staff_user, make_consultation, make_proposal):
    consultation, _codes = make_consultation(ConsultationKind.SIMULATOR, publish=False)
    process_services.framework_update(
        actor=staff_user,
        process=consultation.process,
        data={"bandwidth_kind": "savings"},
        years=[
            {
                "year": 2027,
                "savings_structural": Decimal("300000.00"),
                "savings_incidental": Decimal("50000.00"),
            }
        ],
        aspects=[],
    )
    measure = make_proposal(
        title="Zwembad later open",
        effects=[{"year": 2027, "structural": Decimal("90000.00"), "incidental": Decimal("10000")}],
    )
    Proposal.objects.filter(pk=measure.pk).update(status=ProposalStatus.SUBMITTED)
    years, measures = services.simulator_prefill(actor=staff_user, consultation=consultation)
    assert (years, measures) == (1, 1)
    assert dict(consultation.gaps.values_list("year", "amount")) == {2027: Decimal("350000.00")}
    (item,) = consultation.items.all()
    assert item.proposal == measure
    assert dict(item.year_amounts.values_list("year", "amount")) == {2027: Decimal("100000.00")}


def test_codes_are_stored_only_as_hashes(staff_user, make_consultation):
    consultation, _codes = make_consultation(publish=False, codes=0)
    made = services.codes_generate(actor=staff_user, consultation=consultation, count=50)
    codes = [c.code for c in made]
    assert len(set(codes)) == 50
    assert all(verification.looks_like_code(c) for c in codes)
    stored = set(VotingCode.objects.values_list("code_hash", flat=True))
    assert not any(code in h.upper() for code in codes for h in stored)
    assert stored == {verification.code_hash(consultation.pk, c) for c in codes}
    event = AuditEvent.objects.get(action="codes_generate")
    assert event.changes == {"batch": 1, "count": 50, "from_address_list": False}
    assert not any(code in str(event.changes) for code in codes)


def test_an_address_list_with_an_unknown_district_imports_nothing(
    staff_user, make_consultation, districts
):
    consultation, _codes = make_consultation(
        publish=False, codes=0, districts=[districts["north"], districts["south"]]
    )
    text = "adres;postcode;wijk\nDorpsstraat 1;5000 AA;Megen\nKerkplein 2;5000 AB;Ruwaard\n"
    _header, rows = verification.parse_address_list(text, "adressen.csv")
    with pytest.raises(ValidationError) as excinfo:
        services.codes_generate(
            actor=staff_user, consultation=consultation, addresses=rows, filename="adressen.csv"
        )
    assert "Regel 3 van adressen.csv: de wijk “Ruwaard”" in " ".join(excinfo.value.messages)
    assert not VotingCode.objects.exists()


# --- pages ------------------------------------------------------------------------------------


def _formset(prefix: str, rows: list[dict], initial: int = 0) -> dict:
    data = {
        f"{prefix}-TOTAL_FORMS": str(len(rows)),
        f"{prefix}-INITIAL_FORMS": str(initial),
        f"{prefix}-MIN_NUM_FORMS": "0",
        f"{prefix}-MAX_NUM_FORMS": "1000",
    }
    for i, row in enumerate(rows):
        for key, value in row.items():
            data[f"{prefix}-{i}-{key}"] = value
    return data


def test_staff_set_up_and_publish_a_pb_vote_through_the_pages(client, staff_user, process):
    client.force_login(staff_user)
    page = client.get(f"/beheer/processen/{process.slug}/raadplegingen/nieuw/")
    assert page.status_code == 200
    now = timezone.localtime()
    response = client.post(
        f"/beheer/processen/{process.slug}/raadplegingen/nieuw/",
        {
            "title": "Buurtbudget Megen",
            "description": "Kies mee.",
            "kind": "participatory_budget",
            "verification": "code",
            "opens_at": (now - datetime.timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M"),
            "closes_at": (now + datetime.timedelta(days=14)).strftime("%Y-%m-%dT%H:%M"),
            "allow_changes": "on",
            "ballot_type": "approval",
            "budget": "50.000",
            "min_choices": "1",
            "max_choices": "2",
            "rule": "mes-add1",
        },
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    consultation = Consultation.objects.get()
    assert response["Location"] == f"/beheer/raadplegingen/{consultation.slug}/onderdelen/"
    assert consultation.budget == Decimal("50000.00")
    # Projects
    items_url = f"/beheer/raadplegingen/{consultation.slug}/onderdelen/"
    assert client.get(items_url).status_code == 200
    response = client.post(
        items_url,
        _formset(
            "projects",
            [
                {"code": "1", "title": "Jeu-de-boulesbaan", "cost": "12.500"},
                {"code": "2", "title": "Bloembakken", "cost": "8.000,50", "category": "Groen"},
                {"code": "", "title": "", "cost": ""},
            ],
        ),
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    assert list(consultation.items.values_list("code", "cost")) == [
        ("1", Decimal("12500.00")),
        ("2", Decimal("8000.50")),
    ]
    # The overview says codes are missing; publishing is refused with that reason.
    overview = client.get(f"/beheer/raadplegingen/{consultation.slug}/overzicht/")
    assert "Maak eerst de stemcodes" in overview.content.decode()
    response = client.post(f"/beheer/raadplegingen/{consultation.slug}/publiceren/", follow=True)
    assert "Maak eerst de stemcodes" in response.content.decode()
    # Codes, once, as a CSV for the mail merge.
    upload = io.BytesIO(
        b"adres;postcode;naam\nDorpsstraat 1;5394 AA;Fam. Jansen\nKerkstraat 3;5394 AB;=SOM(1)\n"
    )
    upload.name = "adressen.csv"
    response = client.post(
        f"/beheer/raadplegingen/{consultation.slug}/stemcodes/", {"addresses": upload}
    )
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    assert response["Cache-Control"] == "no-store"
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";"))
    assert rows[0] == ["adres", "postcode", "naam", "stemcode", "stemadres"]
    assert rows[1][:3] == ["Dorpsstraat 1", "5394 AA", "Fam. Jansen"]
    assert rows[2][2] == "'=SOM(1)"  # no formula in the spreadsheet
    code = rows[1][3]
    assert verification.looks_like_code(verification.normalise_code(code))
    assert rows[1][4] == f"http://testserver/raadplegingen/{consultation.slug}/"
    assert VotingCode.objects.filter(consultation=consultation).count() == 2
    # Now it publishes.
    response = client.post(f"/beheer/raadplegingen/{consultation.slug}/publiceren/", follow=True)
    assert "De raadpleging is gepubliceerd" in response.content.decode()
    consultation.refresh_from_db()
    assert consultation.status == ConsultationStatus.PUBLISHED
    # A resident votes; staff see the count.
    voter = verification.verify_code(consultation, code)
    services.ballot_submit(consultation=consultation, voter=voter, choices={"1": True})
    fragment = client.get(f"/beheer/raadplegingen/{consultation.slug}/aantal/")
    assert fragment.status_code == 200
    assert "<strong>1</strong> stem" in fragment.content.decode()


def test_a_bad_address_list_names_the_line(client, staff_user, make_consultation):
    consultation, _codes = make_consultation(publish=False, codes=0)
    client.force_login(staff_user)
    upload = io.BytesIO(b"adres,postcode\nDorpsstraat 1,5394 AA\nKerkstraat 3,\n")
    upload.name = "lijst.csv"
    response = client.post(
        f"/beheer/raadplegingen/{consultation.slug}/stemcodes/", {"addresses": upload}
    )
    assert response.status_code == 400
    assert "Regel 3 van lijst.csv: de postcode is leeg" in response.content.decode()
    assert not VotingCode.objects.exists()


def test_codes_by_number(client, staff_user, make_consultation):
    consultation, _codes = make_consultation(publish=False, codes=0)
    client.force_login(staff_user)
    response = client.post(f"/beheer/raadplegingen/{consultation.slug}/stemcodes/", {"count": "3"})
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";"))
    assert [r[0] for r in rows] == ["nummer", "1", "2", "3"]
    assert VotingCode.objects.count() == 3


def test_the_poll_items_page(client, staff_user, make_consultation, poll_items):
    consultation, _codes = make_consultation(ConsultationKind.POLL, publish=False, items=[])
    client.force_login(staff_user)
    url = f"/beheer/raadplegingen/{consultation.slug}/onderdelen/"
    page = client.get(url).content.decode()
    assert "Buurthuis open" in page
    response = client.post(url, {"proposals": [str(poll_items[0]["proposal"].pk)]})
    assert response.status_code == 302
    assert list(consultation.items.values_list("title", flat=True)) == ["Buurthuis open"]


def test_the_simulator_items_page(client, staff_user, make_consultation):
    consultation, _codes = make_consultation(ConsultationKind.SIMULATOR, publish=False)
    client.force_login(staff_user)
    url = f"/beheer/raadplegingen/{consultation.slug}/onderdelen/"
    page = client.get(url).content.decode()
    assert 'name="measures-0-amount_2027"' in page
    data = {
        **_formset(
            "gaps",
            [{"year": "2027", "amount": "100.000"}, {"year": "2027", "amount": "5"}],
            initial=2,
        ),
        **_formset(
            "measures",
            [{"code": "M1", "title": "Minder maaien", "amount_2027": "1", "amount_2028": "2"}],
            initial=1,
        ),
    }
    response = client.post(url, data)
    assert response.status_code == 400
    assert "het jaar 2027 staat al in de lijst" in response.content.decode()
    data["gaps-1-year"] = "2029"
    response = client.post(url, data)
    assert response.status_code == 302
    assert sorted(consultation.gaps.values_list("year", flat=True)) == [2027, 2029]
    (item,) = Item.objects.filter(consultation=consultation)
    assert dict(item.year_amounts.values_list("year", "amount")) == {
        2027: Decimal("1.00"),
        2028: Decimal("2.00"),
    }


def test_settings_after_publishing_show_the_fixed_fields_disabled(client, staff_user, pb):
    consultation, _codes = pb
    client.force_login(staff_user)
    page = client.get(f"/beheer/raadplegingen/{consultation.slug}/instellingen/").content.decode()
    assert 'name="budget"' in page and "disabled" in page
    data = {
        "title": "Nieuwe titel",
        "description": "",
        "closes_at": timezone.localtime(consultation.closes_at).strftime("%Y-%m-%dT%H:%M"),
        "budget": "1",  # disabled: ignored
    }
    response = client.post(f"/beheer/raadplegingen/{consultation.slug}/instellingen/", data)
    assert response.status_code == 302, response.context["form"].errors
    consultation.refresh_from_db()
    assert (consultation.title, consultation.budget) == ("Nieuwe titel", Decimal("100000.00"))


def test_the_count_counts_ballots_not_revisions(client, staff_user, pb):
    consultation, codes = pb
    for code in codes[:2]:
        voter = verification.verify_code(consultation, code)
        services.ballot_submit(consultation=consultation, voter=voter, choices={"P1": True})
        services.ballot_submit(consultation=consultation, voter=voter, choices={"P2": True})
    client.force_login(staff_user)
    text = client.get(f"/beheer/raadplegingen/{consultation.slug}/overzicht/").content.decode()
    assert "<strong>2</strong> stemmen" in text
    assert "2 kiezers wijzigden hun stem." in text
    assert Ballot.objects.count() == 2
    assert consultation.ballot_type == BallotType.KNAPSACK


@pytest.mark.parametrize("ballot_type", [BallotType.CUMULATIVE, BallotType.ORDINAL])
def test_an_approval_only_rule_is_refused_for_points_or_a_ranking(staff_user, process, ballot_type):
    data = settings_data(ballot_type=ballot_type, rule="mes-add1", points=10)
    with pytest.raises(ValidationError) as raised:
        services.consultation_create(actor=staff_user, process=process, data=data)
    assert "rule" in raised.value.message_dict
    assert "mes-add1" in raised.value.message_dict["rule"][0]
    made = services.consultation_create(
        actor=staff_user, process=process, data={**data, "rule": "greedy"}
    )
    assert made.rule == "greedy"
    assert made.ballot_type == ballot_type
