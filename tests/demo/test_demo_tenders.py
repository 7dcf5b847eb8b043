"""The Oss demo tenders: Dichtersbuurt awarded to BrabantWonen's coalition after two scorers,
Megen open with a draft bid; the demo partner user sees their coalition.

Expected ranking by hand from demo/tenders.py: quality weights 30/30/10, price 30, relative.
Dichtersbuurt Samen: means 7.5, 8.5, 7.5 -> 22.5 + 25.5 + 7.5 = 55.5 quality points; price
240000 against the lowest 210000 -> 10 * 210000 / 240000 = 8.75 -> 26.25; total 81.75.
Welzijn Dichterbij: means 6.5, 4.5, 7.5 -> 19.5 + 13.5 + 7.5 = 40.5; price 10 -> 30; total 70.5.
"""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse

from samenspraak.core.scoring import rounded
from samenspraak.demo.loader import load_demo
from samenspraak.tenders import selectors
from samenspraak.tenders.models import BidStatus, Tender, TenderStatus

pytestmark = pytest.mark.django_db


def test_demo_tenders_ranking_award_and_partner_view(client):
    summary = load_demo()
    assert summary.tenders_created["tenders"] == 2
    dichtersbuurt = Tender.objects.get(title="Samen sterker in de Dichtersbuurt")
    assert dichtersbuurt.status == TenderStatus.AWARDED
    assert dichtersbuurt.winner.coalition.lead.name == "BrabantWonen"
    assert dichtersbuurt.winner.coalition.members.count() == 5
    result = selectors.result_of(dichtersbuurt)
    totals = {
        b.coalition.name: rounded(r.total)
        for r in result.ranking
        for b in dichtersbuurt.bids.all()
        if b.key == r.bid
    }
    assert totals == {
        "Dichtersbuurt Samen": Decimal("81.75"),
        "Welzijn Dichterbij": Decimal("70.50"),
    }
    megen = Tender.objects.get(title="Langer thuis in Megen")
    assert megen.coalitions.get().lead.name == "Mooiland Maasland"
    assert megen.bids.get().status == BidStatus.DRAFT

    partner = get_user_model().objects.get(email="partner@samenspraak.example")
    client.force_login(partner)
    page = client.get(reverse("tenders:list"))
    assert "Dichtersbuurt Samen" in page.content.decode()
    assert "Megen Thuis" not in page.content.decode()
    public = client.get(reverse("tenders:detail", args=[dichtersbuurt.pk])).content.decode()
    assert "Het plan met de meeste samenhang" in public

    again = load_demo()
    assert again.tenders_existing["tenders"] == 2
    assert Tender.objects.count() == 2


def test_demo_agreement_tells_the_monitoring_story(client):
    """Five indicators, a year of reports; by the demo's design (demo/tenders.py) exactly
    two warnings: Vrijwilligersuren lags (reports at 30% of the way the line asks) and
    Verbindingen tussen partners misses the last-but-one quarter."""
    load_demo()
    from samenspraak.tenders import monitoring
    from samenspraak.tenders.models import Agreement

    agreement = Agreement.objects.get(tender__title="Samen sterker in de Dichtersbuurt")
    assert agreement.bid.coalition.name == "Dichtersbuurt Samen"
    assert agreement.indicators.count() == 5
    district = agreement.indicators.get(responsible__isnull=True)
    assert district.name == "Eigen uitgaven gemeente in de wijk"
    # Four ended quarters: four quarterly reports, one missing for the late indicator.
    assert agreement.indicators.get(name="Actieve bewoners").reports.count() == 4
    late_one = agreement.indicators.get(name="Verbindingen tussen partners")
    assert late_one.reports.count() == 3
    assert district.reports.get(period_start=agreement.start_date).reported_by.role == "staff"

    warnings = {(w.indicator.name, w.kind) for w in monitoring.warnings(agreement)}
    assert warnings == {
        ("Vrijwilligersuren", "lagging"),
        ("Verbindingen tussen partners", "late"),
    }
    statuses = {s.indicator.name: s.status for s in monitoring.states(agreement)}
    assert statuses == {
        "Actieve bewoners": "on_track",
        "Vrijwilligersuren": "lagging",
        "Verbindingen tussen partners": "late",
        "Eenzame bewoners (GGD-monitor)": "on_track",
        "Eigen uitgaven gemeente in de wijk": "on_track",
    }

    staff = get_user_model().objects.get(email="medewerker.oss@samenspraak.example")
    client.force_login(staff)
    page = client.get(reverse("tenders:detail", args=[agreement.tender_id])).content.decode()
    assert 'id="warnings"' in page
    assert "Vrijwilligersuren" in page
    page = client.get(reverse("tenders:agreement", args=[agreement.pk])).content.decode()
    assert "Eigen uitgaven gemeente in de wijk" in page
    # Staff see both warnings where they start: the dashboard.
    dashboard = client.get(reverse("processes:dashboard")).content.decode()
    section = dashboard.split('id="tender-warnings-heading"', 1)[1].split("</section>", 1)[0]
    assert "Vrijwilligersuren" in section and "Verbindingen tussen partners" in section

    again = load_demo()
    assert again.tenders_existing["agreements"] == 1
    assert Agreement.objects.count() == 1


def test_demo_megen_learns_from_dichtersbuurt(client):
    """Scenario 4 step 6: the second pilot's tender (Megen) starts from the first
    (Dichtersbuurt): based_on is set, the criteria and weights are the same rows, two of the
    agreement's indicators are among its outcomes, and the tender page names its origin."""
    load_demo()
    dichtersbuurt = Tender.objects.get(title="Samen sterker in de Dichtersbuurt")
    megen = Tender.objects.get(title="Langer thuis in Megen")
    assert megen.based_on == dichtersbuurt
    assert dichtersbuurt.based_on is None
    assert selectors.criteria_of(megen) == selectors.criteria_of(dichtersbuurt)
    assert len(selectors.criteria_of(megen)) == 4
    assert megen.criteria.first().pk != dichtersbuurt.criteria.first().pk
    assert (megen.price_method, megen.eligibility, megen.residents_on_panel) == (
        dichtersbuurt.price_method,
        dichtersbuurt.eligibility,
        dichtersbuurt.residents_on_panel,
    )
    # Two of the first pilot's indicators come along as outcomes, with their unit.
    reused = dict(megen.outcome_rows())
    for name in ("Actieve bewoners", "Vrijwilligersuren"):
        indicator = dichtersbuurt.agreement.indicators.get(name=name)
        assert reused[name].startswith(f"{indicator.unit}, ")
    assert "Langer thuis wonen" in reused
    page = client.get(reverse("tenders:detail", args=[megen.pk])).content.decode()
    origin = page.split('id="based-on"', 1)[1].split("</p>", 1)[0]
    assert "Gebaseerd op" in origin and "Samen sterker in de Dichtersbuurt" in origin
