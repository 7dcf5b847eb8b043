"""Agreements with the winning coalition and the indicator reports: validation, who may
report what, corrections with audit, nothing stored on bad input."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from samenspraak.accounts.models import Role
from samenspraak.common.models import AuditEvent
from samenspraak.tenders import agreements, selectors, services
from samenspraak.tenders.models import Agreement, Indicator, IndicatorReport
from tests.tenders.conftest import close

TODAY = date(2027, 8, 15)


@pytest.fixture
def coalition(tender, lead, lead_rep, other_partner, other_rep):
    coalition = services.coalition_create(actor=lead_rep, lead=lead, name="Samen", tender=tender)
    member = services.coalition_add_member(
        actor=lead_rep,
        coalition=coalition,
        data={"partner": other_partner, "role": "Buurtwerk", "contribution_kind": "in_kind"},
    )
    services.coalition_member_respond(actor=other_rep, member=member, accept=True)
    return coalition


@pytest.fixture
def awarded(tender, coalition, lead_rep, make_bid, staff_user):
    bid = make_bid(lead_rep, coalition)
    services.panel_add(actor=staff_user, tender=tender, user=staff_user)
    close(tender)
    bid.tender.refresh_from_db()
    services.declare(actor=staff_user, bid=bid, has_conflict=False)
    scores = {c.pk: Decimal(7) for c in selectors.quality_criteria(tender)}
    services.score_bid(actor=staff_user, bid=bid, scores=scores)
    tender.refresh_from_db()
    return services.award(actor=staff_user, tender=tender, bid=bid)


@pytest.fixture
def agreement(awarded, staff_user):
    return agreements.agreement_create(
        actor=staff_user,
        tender=awarded,
        start_date=date(2027, 1, 1),
        end_date=date(2028, 12, 31),
    )


def indicator_data(**extra):
    data = {
        "name": "Actieve bewoners",
        "unit": "bewoners",
        "baseline": Decimal(40),
        "direction": "higher",
        "frequency": "quarterly",
        "responsible": None,
    }
    data.update(extra)
    return data


@pytest.fixture
def partner_indicator(agreement, staff_user, other_partner):
    return agreements.indicator_add(
        actor=staff_user,
        agreement=agreement,
        data=indicator_data(responsible=other_partner),
        targets={2027: Decimal(60), 2028: Decimal(80)},
    )


@pytest.fixture
def district_indicator(agreement, staff_user):
    return agreements.indicator_add(
        actor=staff_user,
        agreement=agreement,
        data=indicator_data(
            name="Eigen uitgaven gemeente", unit="euro", baseline=Decimal(500000), direction="lower"
        ),
        targets={2027: Decimal(450000)},
    )


def test_agreement_is_prefilled_from_the_winning_bid(agreement, awarded):
    assert agreement.bid == awarded.winner
    assert agreement.commitments == "10% minder eenzaam"
    assert agreement.late_after_days == 30
    assert agreement.lag_tolerance == Decimal(10)
    assert AuditEvent.objects.filter(action="agreement_create").count() == 1


def test_only_staff_make_an_agreement_and_only_for_an_awarded_tender(
    tender, awarded, lead_rep, staff_user
):
    with pytest.raises(PermissionDenied):
        agreements.agreement_create(
            actor=lead_rep, tender=awarded, start_date=date(2027, 1, 1), end_date=date(2027, 12, 31)
        )
    with pytest.raises(ValidationError) as info:
        agreements.agreement_create(
            actor=staff_user,
            tender=awarded,
            start_date=date(2027, 12, 31),
            end_date=date(2027, 1, 1),
        )
    assert "end_date" in info.value.message_dict
    assert Agreement.objects.count() == 0


def test_an_open_tender_has_no_agreement(tender, staff_user):
    with pytest.raises(ValidationError):
        agreements.agreement_create(
            actor=staff_user,
            tender=tender,
            start_date=date(2027, 1, 1),
            end_date=date(2027, 12, 31),
        )
    assert Agreement.objects.count() == 0


def test_indicator_validation_stores_nothing(agreement, staff_user, user_of_role):
    from samenspraak.partners import services as partner_services

    outsider = partner_services.partner_create(
        actor=staff_user,
        data={
            "municipality": agreement.tender.process.municipality,
            "name": "Buiten",
            "kind": "care",
        },
    )
    cases = [
        (indicator_data(responsible=outsider), {2027: Decimal(1)}, "responsible"),
        (indicator_data(baseline="veel"), {2027: Decimal(1)}, "baseline"),
        (indicator_data(), {2031: Decimal(1)}, "targets"),
        (indicator_data(), {}, "targets"),
        (indicator_data(), {2027: "x"}, "target_2027"),
    ]
    for data, targets, field in cases:
        with pytest.raises(ValidationError) as info:
            agreements.indicator_add(
                actor=staff_user, agreement=agreement, data=data, targets=targets
            )
        assert field in info.value.message_dict
    with pytest.raises(PermissionDenied):
        agreements.indicator_add(
            actor=user_of_role(Role.PARTNER, organisation="Woonstede"),
            agreement=agreement,
            data=indicator_data(),
            targets={2027: Decimal(1)},
        )
    assert Indicator.objects.count() == 0


def test_the_coalition_reports_its_indicator_and_a_correction_replaces_it(
    partner_indicator, lead_rep, other_rep
):
    first = agreements.report_save(
        actor=other_rep,
        indicator=partner_indicator,
        period_start=date(2027, 1, 1),
        value="45",
        note="Drie nieuwe vrijwilligers",
        today=TODAY,
    )
    assert first.value == Decimal(45)
    # The lead party corrects it: the same row, the new value; the audit keeps both.
    agreements.report_save(
        actor=lead_rep,
        indicator=partner_indicator,
        period_start=date(2027, 1, 1),
        value=Decimal("46.5"),
        today=TODAY,
    )
    report = IndicatorReport.objects.get()
    assert report.value == Decimal("46.5")
    assert report.reported_by == lead_rep
    correction = AuditEvent.objects.get(action="indicator_report_correct")
    assert correction.changes["value"] == ["45.00", "46.5"]


def test_report_validation_stores_nothing(partner_indicator, other_rep):
    cases = [
        (date(2026, 10, 1), "10", "period"),  # before the agreement
        (date(2029, 1, 1), "10", "period"),  # after it
        (date(2027, 2, 1), "10", "period"),  # not the start of a quarter
        (date(2027, 10, 1), "10", "period"),  # not started on TODAY
        (date(2027, 1, 1), "tien", "value"),
        (date(2027, 1, 1), "", "value"),
    ]
    for start, value, field in cases:
        with pytest.raises(ValidationError) as info:
            agreements.report_save(
                actor=other_rep,
                indicator=partner_indicator,
                period_start=start,
                value=value,
                today=TODAY,
            )
        assert field in info.value.message_dict, (start, value)
    assert IndicatorReport.objects.count() == 0


def test_who_reports_what(
    partner_indicator, district_indicator, staff_user, user_of_role, other_rep, lead_rep
):
    outsider = user_of_role(Role.PARTNER, organisation="Buiten")
    resident = user_of_role(Role.RESIDENT)
    for actor in (staff_user, outsider, resident):
        with pytest.raises(PermissionDenied):
            agreements.report_save(
                actor=actor,
                indicator=partner_indicator,
                period_start=date(2027, 1, 1),
                value="1",
                today=TODAY,
            )
    for actor in (other_rep, lead_rep, outsider):
        with pytest.raises(PermissionDenied):
            agreements.report_save(
                actor=actor,
                indicator=district_indicator,
                period_start=date(2027, 1, 1),
                value="1",
                today=TODAY,
            )
    assert IndicatorReport.objects.count() == 0
    agreements.report_save(
        actor=staff_user,
        indicator=district_indicator,
        period_start=date(2027, 1, 1),
        value="480000",
        today=TODAY,
    )
    assert district_indicator.reports.get().value == Decimal(480000)


def test_who_reads_the_monitoring(agreement, staff_user, lead_rep, other_rep, user_of_role):
    for user in (staff_user, lead_rep, other_rep, user_of_role(Role.COUNCIL_MEMBER)):
        assert user.has_perm("tenders.view_monitoring", agreement)
    for user in (user_of_role(Role.RESIDENT), user_of_role(Role.PARTNER, organisation="Buiten")):
        assert not user.has_perm("tenders.view_monitoring", agreement)
