"""The issue-5 demo: a completed PB vote in the Oss Dichtersbuurt, a poll over the Huis ter
Heide PvE with its support in the proposal, the Zeist budget simulator with packages, and an
open PB vote in Megen with demo codes. The expected numbers are recounted here from the
ballot rows, without the code under test."""

from __future__ import annotations

from collections import Counter
from decimal import Decimal

import pytest
from django.apps import apps
from django.db import transaction
from django.urls import reverse

from samenspraak.consultations import results, verification
from samenspraak.consultations.models import (
    Choice,
    Consultation,
    ConsultationStatus,
    PollAnswer,
    VotingCode,
)
from samenspraak.core.pb.model import Election, Project, Vote
from samenspraak.core.pb.rules import tally
from samenspraak.demo.consultations import (
    DEMO_CODES,
    OPEN_PB_SLUG,
    PB_SLUG,
    POLL_SLUG,
    PVE_SLUG,
    SIMULATOR_SLUG,
)
from samenspraak.demo.loader import load_demo
from samenspraak.proposals.models import Proposal

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock(), transaction.atomic():
        yield load_demo()
        transaction.set_rollback(True)


def _counts() -> dict[str, int]:
    return {model._meta.label: model.objects.count() for model in apps.get_models()}


def test_the_four_consultations_load_once(demo):
    assert demo.consultations_created["consultations"] == 4
    before = _counts()
    again = load_demo()
    assert _counts() == before
    assert again.consultations_existing["consultations"] == 4 and not again.created_anything


def test_the_dichtersbuurt_vote_is_closed_with_the_mes_outcome(demo):
    consultation = Consultation.objects.get(slug=PB_SLUG)
    assert consultation.status == ConsultationStatus.CLOSED
    assert consultation.ballots.count() >= 2000
    assert consultation.process.slug == "oss-maken-we-samen"
    stored = results.results_for(consultation)
    assert {"greedy", "mes", "mes-add1", "phragmen", "max-utilitarian"} <= set(stored)
    # Recount the outcome from the rows with the core rule directly.
    items = list(consultation.items.order_by("position"))
    votes: dict[int, list[str]] = {}
    for ballot_id, code in Choice.objects.filter(ballot__consultation=consultation).values_list(
        "ballot_id", "item__code"
    ):
        votes.setdefault(ballot_id, []).append(code)
    election = Election(
        meta={"budget": str(consultation.budget), "vote_type": "approval"},
        projects=tuple(Project(id=i.code, cost=i.cost, name=i.title) for i in items),
        votes=tuple(Vote(voter_id=str(k), vote=tuple(v)) for k, v in sorted(votes.items())),
    )
    outcome = tally(election, "mes-add1")
    assert stored["mes-add1"].selected == list(outcome.selected)
    assert Decimal(0) < stored["mes-add1"].total_cost <= consultation.budget
    assert len(stored["mes-add1"].selected) >= 5  # a real choice among fifteen plans
    ages = results.counts_for(consultation)["demographics"]["age_band"]
    assert len([band for band in ages if band]) == 5


def test_the_pve_poll_gives_the_pve_its_measured_support(demo):
    consultation = Consultation.objects.get(slug=POLL_SLUG)
    assert consultation.status == ConsultationStatus.CLOSED
    pve = Proposal.objects.get(slug=PVE_SLUG)
    whole = consultation.items.get(code=str(pve.pk))
    answers = Counter(whole.choices.values_list("answer", flat=True))
    support, oppose = answers[PollAnswer.SUPPORT], answers[PollAnswer.OPPOSE]
    assert support + oppose > 500
    expected = (Decimal(support) / Decimal(support + oppose)).quantize(Decimal("0.0001"))
    assert pve.support == expected
    chapters = consultation.items.exclude(pk=whole.pk)
    assert chapters.count() == 7 and all(item.proposal_id == pve.pk for item in chapters)
    assert whole.choices.exclude(reason="").exists()  # some residents explain their answer


def test_the_zeist_simulator_has_packages_and_its_analysis(demo):
    consultation = Consultation.objects.get(slug=SIMULATOR_SLUG)
    assert consultation.status == ConsultationStatus.CLOSED
    gaps = dict(consultation.gaps.values_list("year", "amount"))
    assert gaps[2029] == Decimal("4350000.00")  # 4.2 million structural + 150,000 incidental
    amounts: dict[str, dict[int, Decimal]] = {}
    for item in consultation.items.prefetch_related("year_amounts"):
        amounts[item.code] = {a.year: a.amount for a in item.year_amounts.all()}
    closing = 0
    packages = 0
    for ballot in consultation.ballots.prefetch_related("choices__item"):
        codes = [c.item.code for c in ballot.choices.all()]
        packages += 1
        closes = all(
            sum((amounts[c].get(year, Decimal(0)) for c in codes), Decimal(0)) >= gap
            for year, gap in gaps.items()
        )
        closing += closes
        assert ballot.closes_gap == closes
    analysis = results.counts_for(consultation)["simulator"]
    assert analysis["packages"] == packages >= 300
    assert analysis["closing"] == closing and 0 < closing < packages
    assert analysis["top"][0]["count"] > 1  # residents' packages cluster


def test_the_megen_vote_is_open_with_demo_codes(demo, client):
    consultation = Consultation.objects.get(slug=OPEN_PB_SLUG)
    assert consultation.is_open()
    hashes = set(
        VotingCode.objects.filter(consultation=consultation).values_list("code_hash", flat=True)
    )
    assert all(verification.code_hash(consultation.pk, code) in hashes for code in DEMO_CODES)
    assert all(verification.looks_like_code(verification.normalise_code(c)) for c in DEMO_CODES)
    assert not consultation.results.exists()
    page = client.get(reverse("consultations:results", args=[consultation.slug]))
    assert page.status_code == 403  # results wait for the close
