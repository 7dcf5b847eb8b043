"""Importing a .pb file as a closed PB consultation: items, ballots and results stored in one
go, the official rule recomputed; a malformed file gives the reader's message with the line
number and stores nothing; only staff who manage the process may import."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from samenspraak.accounts.models import Role
from samenspraak.common.models import AuditEvent
from samenspraak.consultations import pbimport, results
from samenspraak.consultations.models import (
    Ballot,
    BallotType,
    Choice,
    Consultation,
    ConsultationStatus,
    Item,
)
from tests.factories import DistrictFactory
from tests.realdata import REAL_PABULIB, needs_real_pabulib

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "pb"

REAL = REAL_PABULIB
needs_real_data = needs_real_pabulib

SMALL = """META
key;value
description;Buurtbudget Bloemenbuurt
country;Netherlands
unit;Testdorp
instance;2025
num_projects;3
num_votes;4
budget;100000
vote_type;approval
rule;greedy
date_begin;01.06.2025
date_end;15.06.2025
currency;EUR
PROJECTS
project_id;cost;votes;name;selected;neighborhood
p1;60000;3;Speeltuin;1;Bloemenbuurt
p2;50000;2;Bankjes;0;Elders
p3;30000;2;Moestuin;1;
VOTES
voter_id;vote;age;neighborhood
v1;p1,p2;34;Bloemenbuurt
v2;p1,p3;71;
v3;p1;17;Bloemenbuurt
v4;p2,p3;;Onbekend
"""


def _import(staff_user, process, text=SMALL, **kwargs):
    return pbimport.consultation_import_pb(
        actor=staff_user, process=process, source=text, filename="bloemen.pb", **kwargs
    )


def test_a_file_becomes_a_closed_counted_consultation(staff_user, process):
    DistrictFactory(municipality=process.municipality, name="Bloemenbuurt")
    report = _import(staff_user, process)
    consultation = report.consultation
    assert (report.ballots, report.items, report.choices) == (4, 3, 7)
    assert consultation.status == ConsultationStatus.CLOSED
    assert consultation.ballot_type == BallotType.APPROVAL
    assert consultation.budget == Decimal("100000.00") and consultation.rule == "mes-add1"
    assert consultation.title == "Buurtbudget Bloemenbuurt · Testdorp · 2025"
    assert consultation.opens_at.date().isoformat() == "2025-06-01"
    assert consultation.pb_meta["rule"] == "greedy"
    items = {i.code: i for i in consultation.items.all()}
    assert items["p1"].cost == Decimal("60000.00") and items["p1"].district.name == "Bloemenbuurt"
    assert items["p2"].district is None and items["p2"].extra["neighborhood"] == "Elders"
    assert items["p1"].extra["selected"] == "1"
    ballots = {b.voter_key: b for b in consultation.ballots.select_related("district")}
    assert set(ballots) == {"pb:v1", "pb:v2", "pb:v3", "pb:v4"}
    assert [ballots[k].age_band for k in ("pb:v1", "pb:v2", "pb:v3", "pb:v4")] == [
        "30-44",
        "65+",
        "0-17",
        "",
    ]
    assert ballots["pb:v1"].district.name == "Bloemenbuurt" and ballots["pb:v4"].district is None
    assert ballots["pb:v1"].submitted_at.tzinfo is not None and ballots["pb:v1"].revision == 1
    stored = results.results_for(consultation)
    # greedy by votes: p1 (3), then p2 and p3 (2 each; p2 first by id) but p2 no longer
    # fits after p1 (60,000 + 50,000 > 100,000), so p3: the file's own selection.
    assert stored["greedy"].selected == ["p1", "p3"]
    assert stored["official"].selected == ["p1", "p3"]
    assert stored["official"].details["rule_details"]["official_rule"] == "greedy"
    event = AuditEvent.objects.get(action="consultation_import_pb")
    assert event.changes["ballots"] == 4 and event.changes["file"] == "bloemen.pb"


@pytest.mark.parametrize("name", ["cumulative", "ordinal", "scoring"])
def test_other_vote_types_import_with_their_values(staff_user, process, name):
    text = (FIXTURES / f"{name}.pb").read_text(encoding="utf-8")
    report = _import(staff_user, process, text=text, rule="greedy")
    consultation = report.consultation
    expected = BallotType.ORDINAL if name == "ordinal" else BallotType.CUMULATIVE
    assert consultation.ballot_type == expected
    assert report.choices == Choice.objects.filter(ballot__consultation=consultation).count() > 0
    assert results.results_for(consultation)["greedy"].selected
    if name == "ordinal":
        # The first project of a ranking has rank 1.
        assert set(
            Choice.objects.filter(ballot__consultation=consultation).values_list("value", flat=True)
        ) >= {1, 2}


def test_a_malformed_file_names_the_line_and_stores_nothing(staff_user, process):
    broken = SMALL.replace("v3;p1;17;Bloemenbuurt", "v3;p9;17;Bloemenbuurt")
    before = (Consultation.objects.count(), Item.objects.count(), Ballot.objects.count())
    with pytest.raises(ValidationError) as caught:
        _import(staff_user, process, text=broken)
    message = " ".join(caught.value.messages)
    assert "regel 24" in message and "p9" in message
    assert (Consultation.objects.count(), Item.objects.count(), Ballot.objects.count()) == before
    with pytest.raises(ValidationError) as caught:
        _import(staff_user, process, text=SMALL.replace("budget;100000", "budget;honderd"))
    assert "regel 9" in " ".join(caught.value.messages)
    assert Consultation.objects.count() == before[0]


def test_only_the_process_manager_imports(process, other_staff, user_of_role):
    for user in (other_staff, user_of_role(Role.RESIDENT)):
        with pytest.raises(PermissionDenied):
            _import(user, process)
    assert not Consultation.objects.exists()


def test_the_import_page(staff_user, process, client, user_of_role):
    url = reverse("consultations:import_pb")
    assert client.get(url).status_code == 302  # log in first
    client.force_login(user_of_role(Role.RESIDENT))
    assert client.get(url).status_code == 403
    client.force_login(staff_user)
    page = client.get(url)
    assert page.status_code == 200 and process.title in page.content.decode()
    bad = SimpleUploadedFile("kapot.pb", SMALL.replace("v2;p1,p3", "v2;p1,p1").encode())
    response = client.post(url, {"process": process.pk, "file": bad, "rule": "mes-add1"})
    assert response.status_code == 400
    html = response.content.decode()
    assert "error-summary" in html and "regel 23" in html
    assert not Consultation.objects.exists()
    good = SimpleUploadedFile("bloemen.pb", SMALL.encode())
    response = client.post(
        url, {"process": process.pk, "file": good, "rule": "greedy", "title": "Hertelling"}
    )
    consultation = Consultation.objects.get()
    assert consultation.title == "Hertelling" and consultation.rule == "greedy"
    assert response.status_code == 302
    assert response["Location"] == reverse("consultations:results", args=[consultation.slug])
    page = client.get(response["Location"])
    assert page.status_code == 200 and "Speeltuin" in page.content.decode()


@needs_real_data
def test_a_real_file_imports_and_its_official_outcome_is_reproduced(staff_user, process):
    path = REAL / "Poland_Warszawa_2026_Bemowo.pb"
    with path.open(encoding="utf-8-sig", newline="") as stream:
        report = _import(staff_user, process, text=stream)
    consultation = report.consultation
    assert report.ballots == consultation.ballots.count() == 4714
    official = {i.code for i in consultation.items.all() if i.extra.get("selected") == "1"}
    assert set(results.results_for(consultation)["official"].selected) == official
