"""The agreement and monitoring pages: staff make the agreement and add an indicator, the
coalition reports (a bad value first), the monitoring page shows it; who may see what."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from django.urls import reverse
from django.utils import timezone

from samenspraak.accounts.models import Role
from samenspraak.tenders import agreements
from samenspraak.tenders.models import Agreement, IndicatorReport
from tests.tenders.test_agreements import awarded, coalition  # noqa: F401  (fixtures)


def test_staff_make_the_agreement_from_the_award(client, awarded, staff_user):  # noqa: F811
    client.force_login(staff_user)
    detail = client.get(reverse("tenders:detail", args=[awarded.pk])).content.decode()
    assert reverse("tenders:agreement_create", args=[awarded.pk]) in detail
    form = client.get(reverse("tenders:agreement_create", args=[awarded.pk])).content.decode()
    assert "10% minder eenzaam" in form  # prefilled from the bid
    bad = client.post(
        reverse("tenders:agreement_create", args=[awarded.pk]),
        {"start_date": "2027-12-31", "end_date": "2027-01-01", "late_after_days": "30",
         "lag_tolerance": "10"},
    )  # fmt: skip
    assert bad.status_code == 200
    assert 'aria-invalid="true"' in bad.content.decode()
    assert Agreement.objects.count() == 0
    response = client.post(
        reverse("tenders:agreement_create", args=[awarded.pk]),
        {"start_date": "2027-01-01", "end_date": "2028-12-31", "commitments": "Samen",
         "late_after_days": "30", "lag_tolerance": "10"},
    )  # fmt: skip
    agreement = Agreement.objects.get()
    assert response.url == reverse("tenders:agreement", args=[agreement.pk])
    response = client.post(
        reverse("tenders:indicator_add", args=[agreement.pk]),
        {"name": "Eigen uitgaven", "unit": "euro", "baseline": "1000", "direction": "lower",
         "frequency": "quarterly", "responsible": "", "target_2027": "900",
         "target_2028": "800"},
    )  # fmt: skip
    assert response.status_code == 302
    indicator = agreement.indicators.get()
    assert indicator.is_district
    assert {t.year: t.value for t in indicator.targets.all()} == {
        2027: Decimal(900),
        2028: Decimal(800),
    }


def test_partner_reports_and_sees_it(client, awarded, staff_user, other_rep, other_partner):  # noqa: F811
    today = timezone.localdate()
    start = date(today.year - 1, 1, 1)
    agreement = agreements.agreement_create(
        actor=staff_user, tender=awarded, start_date=start, end_date=date(today.year + 1, 12, 31)
    )
    indicator = agreements.indicator_add(
        actor=staff_user,
        agreement=agreement,
        data={"name": "Actieve bewoners", "unit": "bewoners", "baseline": Decimal(40),
              "direction": "higher", "frequency": "yearly", "responsible": other_partner},
        targets={today.year + 1: Decimal(80)},
    )  # fmt: skip
    client.force_login(other_rep)
    page = client.get(reverse("tenders:agreement", args=[agreement.pk])).content.decode()
    url = reverse("tenders:indicator_report", args=[indicator.pk])
    assert url in page
    assert "Meting te laat" in page  # last year's report is missing
    bad = client.post(url, {"period": start.isoformat(), "value": "veel"})
    assert bad.status_code == 200
    assert 'aria-invalid="true"' in bad.content.decode()
    assert IndicatorReport.objects.count() == 0
    response = client.post(url, {"period": start.isoformat(), "value": "55", "note": "Goed"})
    assert response.status_code == 302
    page = client.get(reverse("tenders:agreement", args=[agreement.pk])).content.decode()
    assert "Goed" in page
    assert indicator.reports.get().value == Decimal(55)


def test_monitoring_is_not_for_everyone(client, awarded, staff_user, user_of_role):  # noqa: F811
    agreement = agreements.agreement_create(
        actor=staff_user, tender=awarded, start_date=date(2027, 1, 1), end_date=date(2027, 12, 31)
    )
    url = reverse("tenders:agreement", args=[agreement.pk])
    client.force_login(user_of_role(Role.RESIDENT))
    assert client.get(url).status_code == 403
    assert client.get(reverse("tenders:agreement_create", args=[awarded.pk])).status_code == 403
    client.force_login(user_of_role(Role.COUNCIL_MEMBER))
    assert client.get(url).status_code == 200
    assert client.get(reverse("tenders:indicator_add", args=[agreement.pk])).status_code == 403


def test_digest_mails_staff_the_warnings(awarded, staff_user, other_partner, mailoutbox):  # noqa: F811
    from io import StringIO

    from django.core.management import call_command

    today = timezone.localdate()
    agreement = agreements.agreement_create(
        actor=staff_user,
        tender=awarded,
        start_date=date(today.year - 1, 1, 1),
        end_date=date(today.year + 1, 12, 31),
    )
    out = StringIO()
    call_command("tenders_monitoring_digest", "--mail", stdout=out)
    assert "Geen waarschuwingen" in out.getvalue()
    assert mailoutbox == []
    agreements.indicator_add(
        actor=staff_user,
        agreement=agreement,
        data={"name": "Actieve bewoners", "unit": "bewoners", "baseline": Decimal(40),
              "direction": "higher", "frequency": "yearly", "responsible": other_partner},
        targets={today.year + 1: Decimal(80)},
    )  # fmt: skip
    call_command("tenders_monitoring_digest", "--mail", stdout=out)
    assert len(mailoutbox) == 1
    mail = mailoutbox[0]
    assert staff_user.email in mail.to
    assert f"Actieve bewoners: de meting over {today.year - 1} is te laat." in mail.body
    assert reverse("tenders:agreement", args=[agreement.pk]) in mail.body


def test_public_summary_on_the_tender_page(client, awarded, staff_user, other_partner):  # noqa: F811
    agreement = agreements.agreement_create(
        actor=staff_user, tender=awarded, start_date=date(2027, 1, 1), end_date=date(2028, 12, 31)
    )
    agreements.indicator_add(
        actor=staff_user,
        agreement=agreement,
        data={"name": "Actieve bewoners", "unit": "bewoners", "baseline": Decimal(40),
              "direction": "higher", "frequency": "yearly", "responsible": other_partner},
        targets={2028: Decimal(80)},
    )  # fmt: skip
    page = client.get(reverse("tenders:detail", args=[awarded.pk])).content.decode()
    assert 'id="results"' in page
    assert "Actieve bewoners (bewoners)" in page
    # The full monitoring page and the warnings are not public.
    assert reverse("tenders:agreement", args=[agreement.pk]) not in page
    assert 'id="warnings"' not in page
