"""Open data: downloads only once counted, no voter keys in any file, the simulator's CSV,
and .pb files of every ballot type that the reader reads back to the same ballots."""

from __future__ import annotations

import csv
import io
import json
from decimal import Decimal

import pytest
from django.urls import reverse

from samenspraak.consultations import opendata, results
from samenspraak.consultations.models import BallotType, ConsultationKind
from samenspraak.core.pb.pabulib import read_pb
from tests.consultations.results_helpers import (
    add_ballot,
    add_ballots,
    add_gaps,
    add_items,
    make_consultation,
)


def test_managers_get_no_downloads_before_counting(process, staff_user, client):
    pb = make_consultation(process, ConsultationKind.PB)
    add_items(pb, [{"code": "a", "title": "A", "cost": Decimal("10")}])
    client.force_login(staff_user)
    for name in ("results_csv", "results_json", "results_pb"):
        assert client.get(reverse(f"consultations:{name}", args=[pb.slug])).status_code == 404


def test_the_simulator_csv_lists_amounts_and_choices(process, staff_user, client):
    simulator = make_consultation(process, ConsultationKind.SIMULATOR)
    add_items(
        simulator,
        [
            {"code": "m1", "title": "Minder subsidie", "amounts": {2027: "100.50", 2028: "200"}},
            {"code": "m2", "title": "Hogere leges", "amounts": {2027: "-20"}},
        ],
    )
    add_gaps(simulator, {2027: "50", 2028: "100"})
    add_ballots(simulator, [{"m1": 1}, {"m1": 1, "m2": 1}, {"m2": 1}, {}])
    results.consultation_close(actor=staff_user, consultation=simulator)
    response = client.get(reverse("consultations:results_csv", args=[simulator.slug]))
    rows = list(csv.DictReader(io.StringIO(response.content.decode())))
    assert rows[0] == {
        "measure": "m1",
        "title": "Minder subsidie",
        "proposal": "",
        "amount_2027": "100.50",
        "amount_2028": "200.00",
        "chosen": "2",
        "share": "0.5000",
    }
    assert rows[1]["amount_2028"] == "0.00" and rows[1]["chosen"] == "2"
    data = json.loads(
        client.get(reverse("consultations:results_json", args=[simulator.slug])).content
    )
    assert data["consultation"]["gaps"] == {"2027": "50.00", "2028": "100.00"}
    assert data["counts"]["simulator"]["closing"] == 2  # m1 alone, and m1 with m2
    assert data["items"][0]["amounts"] == {"2027": "100.50", "2028": "200.00"}


@pytest.mark.parametrize(
    ("ballot_type", "ballots", "points"),
    [
        (BallotType.APPROVAL, [{"a": 1, "b": 1}, {"c": 1}], None),
        (BallotType.KNAPSACK, [{"a": 1}, {"b": 1, "c": 1}], None),
        (BallotType.CUMULATIVE, [{"a": 7, "c": 3}, {"b": 10}], (7, 3)),
        (BallotType.ORDINAL, [{"a": 2, "c": 1}, {"b": 1, "a": 2}], None),
    ],
)
def test_the_pb_file_reads_back_to_the_same_ballots(
    process, staff_user, ballot_type, ballots, points
):
    pb = make_consultation(
        process,
        ConsultationKind.PB,
        ballot_type=ballot_type,
        points=10 if ballot_type == BallotType.CUMULATIVE else None,
        rule="greedy",
    )
    add_items(
        pb,
        [
            {"code": "a", "title": "Speeltuin", "cost": Decimal("40000")},
            {"code": "b", "title": "Bankjes; en borden", "cost": Decimal("25000.50")},
            {"code": "c", "title": "Moestuin", "cost": Decimal("30000")},
        ],
    )
    for number, choices in enumerate(ballots, start=1):
        add_ballot(pb, choices, key=f"geheim:{number}", age_band="45-64")
    results.consultation_close(actor=staff_user, consultation=pb)
    text = opendata.results_pb(pb)
    assert "geheim" not in text
    election = read_pb(text, filename="export.pb")
    assert [p.id for p in election.projects] == ["a", "b", "c"]
    assert election.project("b").cost == Decimal("25000.50")
    assert election.project("b").name == "Bankjes; en borden"
    assert election.budget == Decimal("100000")
    first = election.votes[0]
    if ballot_type == BallotType.ORDINAL:
        assert election.vote_type.value == "ordinal" and first.vote == ("c", "a")
    elif ballot_type == BallotType.CUMULATIVE:
        assert first.vote == ("a", "c") and first.points == points
        assert election.meta["max_sum_points"] == "10"
    else:
        assert election.vote_type.value == "approval"
        assert set(first.vote) == set(ballots[0])
    if ballot_type == BallotType.KNAPSACK:
        assert election.meta["max_sum_cost"] == "100000"
    assert first.extra["age_band"] == "45-64"
    assert election.meta["rule"] == "greedy" and election.meta["num_votes"] == "2"
