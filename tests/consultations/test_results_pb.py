"""PB votes: closing counts every rule (outcomes worked out by hand below), the consultation's
rule is the outcome, support flows into a linked proposal, the page, the open data (CSV,
JSON, .pb read back by the reader) and the API."""

from __future__ import annotations

import csv
import io
import json
from decimal import Decimal

import pytest
from django.urls import reverse

from samenspraak.accounts.models import Role
from samenspraak.consultations import adapters, results
from samenspraak.consultations.models import BallotType, ConsultationKind
from samenspraak.core.pb.pabulib import read_pb
from tests.consultations.results_helpers import (
    add_ballot,
    add_items,
    make_consultation,
    make_proposal,
)
from tests.factories import DistrictFactory

# Budget 100. Project a (60) is approved by 5 voters, b (50) and c (40) by 3, c alone by 1
# more: votes a 5, c 4, b 3.
# - greedy (by votes): a, then c (100 in all); b no longer fits.
# - mes: every voter has 100/9 = 11.11. a: 5 x 11.11 < 60; b: 3 x 11.11 < 50; c: 4 x 11.11
#   >= 40, so c (each of its voters pays 10). Then nothing is affordable: only c.
# - mes-add1: raising each voter's budget by 1 to 12.11 makes a affordable (5 x 12.11 >= 60)
#   at 0.2 per unit of satisfaction against c's 0.25, so a, then c; b needs 3 x (x - 10) >=
#   50, which would overspend; so a, c.
# - phragmen: c's voters reach 40 first (time 10), then a's voters 60 (time 12): c, a.
# - max-utilitarian: a + c gives 5 x 60 + 4 x 40 = 460, the most of any affordable set.
VOTES = [{"a": 1}] * 5 + [{"b": 1, "c": 1}] * 3 + [{"c": 1}]


@pytest.fixture
def pb(process):
    consultation = make_consultation(
        process,
        ConsultationKind.PB,
        title="Buurtbudget Bloemenbuurt",
        budget=Decimal("100.00"),
        rule="mes-add1",
    )
    speeltuin = make_proposal(process, "Speeltuin", slug="speeltuin")
    add_items(
        consultation,
        [
            {"code": "a", "title": "Speeltuin", "cost": Decimal("60"), "proposal": speeltuin},
            {"code": "b", "title": "Bankjes", "cost": Decimal("50")},
            {"code": "c", "title": "Moestuin", "cost": Decimal("40")},
        ],
    )
    district = DistrictFactory(municipality=process.municipality, name="Bloemenbuurt")
    for number, choices in enumerate(VOTES, start=1):
        add_ballot(
            consultation,
            choices,
            key=f"t:{number}",
            age_band="30-44" if number <= 4 else "",
            district=district if number % 2 else None,
        )
    add_ballot(consultation, {}, key="t:empty")  # a ballot choosing nothing
    return consultation


def test_every_rule_is_counted_and_the_consultations_rule_is_the_outcome(pb, staff_user):
    stored = {r.rule: r for r in results.consultation_close(actor=staff_user, consultation=pb)}
    assert stored["greedy"].selected == ["a", "c"]
    assert stored["mes"].selected == ["c"]
    assert stored["mes-add1"].selected == ["a", "c"]
    assert stored["phragmen"].selected == ["c", "a"]
    assert set(stored["max-utilitarian"].selected) == {"a", "c"}
    assert stored["mes"].total_cost == Decimal("40.00")
    assert stored["mes-add1"].total_cost == Decimal("100.00")
    counts = stored[results.COUNT].details
    assert counts["rules"][0] == "mes-add1"  # the outcome rule first
    assert {code: e["votes"] for code, e in counts["items"].items()} == {"a": 5, "b": 3, "c": 4}
    assert counts["ballots"] == 10 and counts["empty"] == 1
    assert counts["items"]["a"]["share"] == "0.5000"  # 5 of the 10 ballots
    assert counts["demographics"]["age_band"] == {"30-44": 4, "": 6}
    assert counts["demographics"]["district"] == {"Bloemenbuurt": 5, "": 5}
    # Fairness: under mes only c's four voters (of the nine who chose something) got a
    # funded project; under greedy all nine did.
    assert stored["mes"].details["analysis"]["share_with_funded_project"] == pytest.approx(4 / 9)
    assert stored["greedy"].details["analysis"]["share_with_funded_project"] == pytest.approx(1)


def test_the_share_of_voters_who_chose_a_linked_project_becomes_its_support(pb, staff_user):
    results.consultation_close(actor=staff_user, consultation=pb)
    proposal = pb.items.get(code="a").proposal
    proposal.refresh_from_db()
    assert proposal.support == Decimal("0.5000")


def test_the_election_numbers_voters_and_leaves_out_empty_ballots(pb):
    election = adapters.election_from_consultation(pb)
    assert [v.voter_id for v in election.votes] == [str(n) for n in range(1, 10)]
    assert election.votes[5].vote == ("b", "c")
    assert election.budget == Decimal("100")
    assert election.meta["vote_type"] == "approval" and election.meta["rule"] == "equalshares/add1"
    assert dict(election.votes[0].extra) == {"age_band": "30-44", "neighborhood": "Bloemenbuurt"}
    assert dict(election.votes[5].extra) == {}


def test_other_ballot_types_become_points_and_ranks(process):
    cumulative = make_consultation(
        process, ConsultationKind.PB, slug="punten", ballot_type=BallotType.CUMULATIVE, points=10
    )
    add_items(
        cumulative,
        [{"code": "x", "title": "X", "cost": 10}, {"code": "y", "title": "Y", "cost": 20}],
    )
    add_ballot(cumulative, {"x": 7, "y": 3}, key="t:1")
    election = adapters.election_from_consultation(cumulative)
    assert election.meta["vote_type"] == "cumulative" and election.meta["max_sum_points"] == "10"
    assert election.votes[0].vote == ("x", "y") and election.votes[0].points == (7, 3)
    ordinal = make_consultation(
        process, ConsultationKind.PB, slug="volgorde", ballot_type=BallotType.ORDINAL
    )
    add_items(
        ordinal, [{"code": "x", "title": "X", "cost": 10}, {"code": "y", "title": "Y", "cost": 20}]
    )
    add_ballot(ordinal, {"x": 2, "y": 1}, key="t:1")
    assert adapters.election_from_consultation(ordinal).votes[0].vote == ("y", "x")


def test_the_results_page_shows_the_outcome_and_every_rule(pb, staff_user, client):
    results.consultation_close(actor=staff_user, consultation=pb)
    page = client.get(reverse("consultations:results", args=[pb.slug]))
    assert page.status_code == 200
    html = page.content.decode()
    funded = html.split('id="funded-projects"')[1].split("</ol>")[0]
    assert "Speeltuin" in funded and "Moestuin" in funded and "Bankjes" not in funded
    for rule in ("greedy", "mes", "mes-add1", "phragmen", "max-utilitarian"):
        assert f'data-rule="{rule}"' in html and f'id="rule-{rule}"' in html
    assert 'id="projects-table"' in html and "<caption" in html
    figures = html.split('id="rules-table"')[1].split("</table>")[0]
    row = figures.split("Stemmers met minstens één gekozen project")[1].split("</tr>")[0]
    # Voters with a funded project they chose, per rule in the order of the columns:
    # mes-add1, greedy, mes (4 of 9), phragmen, max-utilitarian.
    assert row.count("100,0%") == 4 and "44,4%" in row
    assert "age-table" in html and "Bloemenbuurt" in html


def test_open_data_of_a_pb_vote(pb, staff_user, client):
    results.consultation_close(actor=staff_user, consultation=pb)
    response = client.get(reverse("consultations:results_csv", args=[pb.slug]))
    rows = {r["project_id"]: r for r in csv.DictReader(io.StringIO(response.content.decode()))}
    assert rows["a"]["votes"] == "5" and rows["a"]["cost"] == "60.00"
    assert rows["a"]["selected_mes"] == "0" and rows["a"]["selected_mes-add1"] == "1"
    assert rows["c"]["selected_mes"] == "1" and rows["b"]["selected_greedy"] == "0"
    data = json.loads(client.get(reverse("consultations:results_json", args=[pb.slug])).content)
    assert data["results"]["mes"]["selected"] == ["c"]
    assert data["results"]["mes-add1"]["total_cost"] == "100.00"
    assert data["consultation"]["budget"] == "100.00" and data["consultation"]["rule"] == "mes-add1"
    response = client.get(reverse("consultations:results_pb", args=[pb.slug]))
    assert response.status_code == 200
    text = response.content.decode()
    assert "t:1" not in text and "t:empty" not in text
    election = read_pb(text, filename="export.pb")
    assert len(election.votes) == 9 and election.budget == Decimal("100")
    selected = {p.id: p.extra.get("selected") for p in election.projects}
    assert selected == {"a": "1", "b": "0", "c": "1"}
    assert {p.id: p.extra["votes"] for p in election.projects} == {"a": "5", "b": "3", "c": "4"}
    assert election.votes[0].extra["age_band"] == "30-44"


def test_the_api_gives_results_only_once_closed(pb, staff_user, client, user_of_role):
    url = reverse("api:consultation-results", args=[pb.slug])
    client.force_login(user_of_role(Role.RESIDENT))
    assert client.get(url).status_code == 403
    listed = client.get(reverse("api:consultation-list"), {"process": pb.process.slug}).json()
    assert [c["slug"] for c in listed] == [pb.slug] and listed[0]["results_url"] is None
    detail = client.get(reverse("api:consultation-detail", args=[pb.slug])).json()
    assert [i["code"] for i in detail["items"]] == ["a", "b", "c"]
    assert detail["items"][0]["cost"] == "60.00"
    results.consultation_close(actor=staff_user, consultation=pb)
    data = client.get(url).json()
    assert data["results"]["greedy"]["selected"] == ["a", "c"]
    assert data["counts"]["items"]["c"]["votes"] == 4


def test_drafts_are_not_listed_for_the_public(process, client):
    make_consultation(process, ConsultationKind.POLL, slug="concept", status="draft")
    assert client.get(reverse("api:consultation-list")).json() == []
    assert client.get(reverse("api:consultation-detail", args=["concept"])).status_code == 404


def test_rules_for_approval_only_are_named_as_not_counted_for_points(process, staff_user, client):
    points = make_consultation(
        process,
        ConsultationKind.PB,
        slug="punten-uitslag",
        ballot_type=BallotType.CUMULATIVE,
        points=10,
        rule="greedy",
        budget=Decimal("50"),
    )
    add_items(
        points,
        [{"code": "x", "title": "X", "cost": 30}, {"code": "y", "title": "Y", "cost": 30}],
    )
    add_ballot(points, {"x": 2, "y": 8}, key="t:1")
    add_ballot(points, {"x": 3, "y": 7}, key="t:2")
    stored = {r.rule: r for r in results.consultation_close(actor=staff_user, consultation=points)}
    assert stored["greedy"].selected == ["y"]  # 15 points against 5; both do not fit
    assert "mes" not in stored and "phragmen" not in stored
    assert stored[results.COUNT].details["items"]["y"]["points"] == 15
    html = client.get(reverse("consultations:results", args=[points.slug])).content.decode()
    assert "is niet geteld" in html and "goedkeuringsstemmen" in html
