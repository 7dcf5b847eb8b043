"""The Oss demo tenders: Dichtersbuurt awarded to BrabantWonen's coalition after two scorers,
Megen awarded to Mooiland Maasland's coalition after a staff member and a resident scored;
the demo partner user sees their coalition.

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
from samenspraak.tenders.models import BidStatus, MemberStatus, Tender, TenderStatus

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
    assert megen.coalitions.get(name="Megen Thuis").lead.name == "Mooiland Maasland"
    assert set(megen.bids.values_list("status", flat=True)) == {BidStatus.SUBMITTED}

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
    assert again.tenders_existing["agreements"] == 2
    assert Agreement.objects.count() == 2


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
    assert (megen.price_method, megen.eligibility) == (
        dichtersbuurt.price_method,
        dichtersbuurt.eligibility,
    )
    # What Megen changed: residents may sit on its panel.
    assert megen.residents_on_panel and not dichtersbuurt.residents_on_panel
    # Two of the first pilot's indicators come along as outcomes, with their unit.
    reused = dict(megen.outcome_rows())
    for name in ("Actieve bewoners", "Vrijwilligersuren"):
        indicator = dichtersbuurt.agreement.indicators.get(name=name)
        assert reused[name].startswith(f"{indicator.unit}, ")
    assert "Langer thuis wonen" in reused
    page = client.get(reverse("tenders:detail", args=[megen.pk])).content.decode()
    origin = page.split('id="based-on"', 1)[1].split("</p>", 1)[0]
    assert "Gebaseerd op" in origin and "Samen sterker in de Dichtersbuurt" in origin


def test_demo_megen_is_scored_by_staff_and_a_resident_and_awarded():
    """Megen (demo/tenders.py): weights 30/30/10 quality, 30 price, relative.
    Megen Thuis: staff 8, 8, 7 and resident 9, 9, 7 -> means 8.5, 8.5, 7 -> 25.5 + 25.5 + 7
    = 58 quality points; price 330000 against the lowest 280000 -> 10 * 280000 / 330000
    = 8.4848... -> 25.4545...; total 83.4545... -> 83.45.
    Zorgzaam Megen: staff 6, 6, 7 and resident 6, 5, 8 -> means 6, 5.5, 7.5 -> 18 + 16.5
    + 7.5 = 42; lowest price -> 30; total 72.00. Megen Thuis ranks first and is awarded."""
    load_demo()
    from samenspraak.tenders import monitoring
    from samenspraak.tenders.models import Agreement

    megen = Tender.objects.get(title="Langer thuis in Megen")
    assert megen.status == TenderStatus.AWARDED
    assert megen.winner.coalition.name == "Megen Thuis"
    assert megen.winner.coalition.lead.name == "Mooiland Maasland"
    assert megen.award_reasoning.startswith("Wonen, zorg en ontmoeting")
    members = megen.winner.coalition.members.all()
    assert {m.status for m in members} == {MemberStatus.ACCEPTED}
    assert {m.partner.name for m in members if m.partner} == {
        "Mooiland Maasland",
        "Thuiszorg Maasland",
        "ONS welzijn",
    }
    assert {m.person_name for m in members if not m.partner} == {
        "Kees Jansen",
        "Dorpsraad Megen",
    }

    result = selectors.result_of(megen)
    names = {b.key: b.coalition.name for b in megen.bids.all()}
    assert [(names[r.bid], rounded(r.total)) for r in result.ranking] == [
        ("Megen Thuis", Decimal("83.45")),
        ("Zorgzaam Megen", Decimal("72.00")),
    ]
    # The panel: one staff member and one resident, both declared and scored both bids.
    panel = {m.user.email: m.user.role for m in megen.panel.all()}
    assert panel == {
        "medewerker.oss@samenspraak.example": "staff",
        "inwoner@samenspraak.example": "resident",
    }
    assert all(m.declarations.count() == 2 for m in megen.panel.all())
    resident = megen.panel.get(user__role="resident")
    assert resident.scores.count() == 2 * 3

    agreement = Agreement.objects.get(tender=megen)
    assert agreement.bid == megen.winner
    assert agreement.indicators.count() == 4
    for name in ("Actieve bewoners", "Aangepaste woningen", "Bezoekers dorpshuis"):
        assert agreement.indicators.get(name=name).reports.count() == 4
    district = agreement.indicators.get(responsible__isnull=True)
    assert district.frequency == "yearly"
    assert monitoring.warnings(agreement) == []
    assert {s.status for s in monitoring.states(agreement)} == {"on_track"}

    again = load_demo()
    assert again.tenders_created["bids"] == 0 and again.tenders_created["scores"] == 0
    assert megen.bids.count() == 2
