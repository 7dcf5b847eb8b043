"""The issue-4 demo: the Huis ter Heide Programme of Requirements, the proposals of the eight
Zeist expert committees and the Purmerend partners' scenarios, written through the services."""

from __future__ import annotations

from collections import Counter
from decimal import Decimal

import pytest
from django.apps import apps
from django.db import transaction

from samenspraak.committees.models import Committee
from samenspraak.common.models import AuditEvent
from samenspraak.demo.loader import load_demo
from samenspraak.demo.proposals import PURMEREND_MEASURES, PVE_SLUG, ZEIST_MEASURES
from samenspraak.processes.models import Process
from samenspraak.proposals import budget, selectors
from samenspraak.proposals.models import (
    AmendmentStatus,
    AuthorKind,
    Proposal,
    ProposalKind,
    ProposalStatus,
)

pytestmark = pytest.mark.django_db

HTH, ZEIST, PURMEREND = (
    "huis-ter-heide-pve",
    "bezuinigingsdialoog-zeist",
    "purmerend-sociaal-domein",
)


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    """The demo, loaded once for this module (loading takes a while) inside a transaction
    that is rolled back afterwards; each test runs in a savepoint within it."""
    with django_db_blocker.unblock(), transaction.atomic():
        yield load_demo()
        transaction.set_rollback(True)


def _counts() -> dict[str, int]:
    return {model._meta.label: model.objects.count() for model in apps.get_models()}


def _optimise(slug: str, **choices) -> budget.Outcome:
    process = Process.objects.get(slug=slug)
    gaps = budget.gap_rows(process)
    assert gaps
    pool = selectors.budget_candidates(process)
    rows = budget.candidate_rows(
        process=process,
        user=process.owner,
        years=[g.year for g in gaps],
        whole=True,
        candidates=pool,
    )
    options = {**vars(budget.DEFAULT_CHOICES), **choices}
    return budget.close_gap(gaps=gaps, candidates=rows, choices=budget.Choices(**options))


def test_loading_again_creates_nothing(demo):
    assert demo.proposals_created["proposals"] == Proposal.objects.count() > 40
    before = _counts()
    again = load_demo()
    assert _counts() == before
    assert not again.created_anything
    assert again.proposals_existing["proposals"] == Proposal.objects.count()


def test_the_huis_ter_heide_programme_covers_every_aspect_and_passes_its_check(demo):
    pve = Proposal.objects.get(slug=PVE_SLUG)
    assert pve.kind == ProposalKind.PROGRAMME and pve.process.slug == HTH
    assert pve.author_kind == AuthorKind.COMMITTEE and pve.author_committee.process == pve.process
    document = selectors.pve_document(pve)
    mandatory = selectors.mandatory_aspects(pve.process)
    assert len(mandatory) == 7
    assert document.missing == []
    assert {g.aspect for g in document.groups} >= set(mandatory)
    # Every aspect has a "must"; norms where measurable (parking per home among them).
    for group in document.groups:
        assert any(r.priority == "must" for r in group.requirements), group.aspect
    assert pve.requirements.filter(
        norm_quantity="parkeerplaatsen per woning",
        norm_operator="at_least",
        norm_value=Decimal("1.3"),
    ).exists()
    # The latest check ran on the current version and passed; the first one flagged the
    # aspect that was still missing.
    latest = selectors.latest_check(pve)
    assert latest.passed and latest.version == pve.current_version
    first = pve.checks.order_by("created_at", "id").first()
    assert not first.passed
    aspects = next(i for i in first.report["items"] if i["code"] == "aspects")
    assert aspects["status"] == "fail" and aspects["details"] == ["Uitstraling"]
    # Within the bandwidth: the stored report says so per year, and the effect is in range.
    bandwidth = next(i for i in latest.report["items"] if i["code"] == "bandwidth")
    assert bandwidth["status"] == "pass"
    assert bandwidth["notes_nl"] == []  # the cost estimates fit the room the range leaves
    year = pve.process.framework.years.get()
    total = sum((e.total for e in pve.effects.filter(year=year.year)), Decimal(0))
    assert year.minimum <= total <= year.maximum


def test_the_programme_grew_in_versions_with_an_amendment_and_comments(demo):
    pve = Proposal.objects.get(slug=PVE_SLUG)
    assert pve.versions.count() >= 2
    accepted = pve.amendments.filter(status=AmendmentStatus.ACCEPTED)
    assert accepted.count() == 1
    assert accepted.get().result_version.snapshot["summary"] == pve.summary
    comments = list(pve.comments.select_related("author"))
    assert len(comments) >= 2 and any(c.parent_id for c in comments)
    assert len({c.author_id for c in comments}) >= 2


def test_every_zeist_committee_authored_proposals(demo):
    process = Process.objects.get(slug=ZEIST)
    committees = Committee.objects.filter(process=process)
    assert committees.count() == 8
    for committee in committees:
        assert Proposal.objects.filter(
            author_kind=AuthorKind.COMMITTEE, author_committee=committee
        ).exists(), committee.name


def test_zeist_statuses_are_spread_and_one_is_rejected(demo):
    statuses = Counter(
        Proposal.objects.filter(process__slug=ZEIST).values_list("status", flat=True)
    )
    for status in (
        ProposalStatus.SUBMITTED,
        ProposalStatus.CHECKED,
        ProposalStatus.IN_CONSULTATION,
        ProposalStatus.TO_COUNCIL,
        ProposalStatus.ADOPTED,
        ProposalStatus.AMENDED,
    ):
        assert statuses[status] >= 1, status
    assert statuses[ProposalStatus.REJECTED] == 1


def test_zeist_proposals_offer_more_than_the_gap_in_every_year(demo):
    process = Process.objects.get(slug=ZEIST)
    gaps = budget.gap_rows(process)
    candidates = selectors.budget_candidates(process)
    assert len(candidates) == len(ZEIST_MEASURES) - 1  # all but the rejected one
    for gap in gaps:
        structural = sum((c.effects[gap.year][0] for c in candidates), Decimal(0))
        total = sum((sum(c.effects[gap.year]) for c in candidates), Decimal(0))
        assert structural > gap.structural and total > gap.total, gap.year
    assert len({c.group for c in candidates if c.group}) >= 2  # exclusive groups


@pytest.mark.parametrize("objective", ["support", "impact", "people"])
def test_the_optimiser_closes_the_zeist_gap_with_choices(demo, objective):
    from samenspraak.core.budget import Objective

    outcome = _optimise(ZEIST, objective=Objective(objective), alternatives=2)
    assert outcome.feasible and outcome.error == ""
    assert len(outcome.packages) == 3  # a real choice: alternatives exist
    for package in outcome.packages:
        assert package.closes
        assert all(row.balance_structural >= 0 and row.balance_total >= 0 for row in package.rows)
    # Not everything is needed: the council chooses.
    assert len(outcome.best.proposals) < len(ZEIST_MEASURES) - 1


def test_purmerend_partners_offer_scenarios_within_the_savings_target(demo):
    process = Process.objects.get(slug=PURMEREND)
    proposals = Proposal.objects.filter(process=process)
    assert proposals.count() == len(PURMEREND_MEASURES)
    assert set(proposals.values_list("author_kind", flat=True)) == {AuthorKind.PARTNER}
    assert len(set(proposals.values_list("author_organisation", flat=True))) >= 6
    groups = Counter(p.exclusive_group for p in proposals if p.exclusive_group)
    assert groups and all(n >= 2 for n in groups.values())  # alternatives to choose between
    outcome = _optimise(PURMEREND)
    assert outcome.feasible and outcome.best.closes
    # Each chosen package takes one scenario of each group at most.
    for package in outcome.packages:
        chosen = [row.candidate.group for row in package.proposals if row.candidate.group]
        assert len(chosen) == len(set(chosen))


def test_the_demo_was_written_by_demo_accounts_through_the_services(demo):
    events = AuditEvent.objects.filter(action="proposal_create")
    assert events.count() == Proposal.objects.count()
    actors = set(events.values_list("actor__email", flat=True))
    assert actors == {"medewerker@samenspraak.example", "comitelid@samenspraak.example"}
    for action in ("proposal_status", "proposal_check", "proposal_assess", "comment_post"):
        assert AuditEvent.objects.filter(action=action).exists(), action
    # Every proposal has a version, and the gated steps left their check in the trail.
    assert not Proposal.objects.filter(current_version__isnull=True).exists()


def test_the_zeist_package_for_the_council_is_the_best_package_and_passes_its_check(demo):
    from samenspraak.demo.proposals import ZEIST_PACKAGE_TITLE
    from samenspraak.proposals.models import BudgetPackage, PackageStatus

    package = BudgetPackage.objects.get(process__slug=ZEIST, title=ZEIST_PACKAGE_TITLE)
    best = _optimise(ZEIST).best
    assert best is not None
    assert {p.slug for p in package.proposals.all()} == {row.slug for row in best.proposals}
    assert package.status == PackageStatus.TO_COUNCIL and package.objective == "support"
    check = package.checks.first()
    assert check is not None and check.passed
    assert {m["id"] for m in check.members} == {p.pk for p in package.proposals.all()}
