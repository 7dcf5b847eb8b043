"""Monitoring in the browser: the lead party's representative opens the Dichtersbuurt
agreement, reports a figure for an indicator (a wrong value first) and sees it on the
monitoring page; staff see the warnings on the tender page. Axe on every page."""

from __future__ import annotations

from playwright.sync_api import expect

from samenspraak.demo.accounts import DEMO_PASSWORD
from samenspraak.tenders.models import Agreement
from tests.e2e.conftest import assert_accessible, login

PARTNER = "partner@samenspraak.example"
STAFF = "medewerker.oss@samenspraak.example"


def test_partner_reports_an_indicator(page):
    agreement = Agreement.objects.get(tender__title="Samen sterker in de Dichtersbuurt")
    indicator = agreement.indicators.get(name="Actieve bewoners")
    before = indicator.reports.count()
    login(page, PARTNER, DEMO_PASSWORD)
    page.goto(f"/aanbestedingen/{agreement.tender_id}/")
    assert_accessible(page)
    page.get_by_role("link", name="Overeenkomst en monitoring").click()
    expect(page.locator("#indicators")).to_contain_text("Vrijwilligersuren")
    expect(page.locator("#indicators")).to_contain_text("Loopt achter")
    # Staff warnings are for staff only.
    expect(page.locator("#warnings")).to_have_count(0)
    assert_accessible(page)

    page.get_by_role("link", name="Meting doorgeven voor Actieve bewoners").click()
    assert_accessible(page)
    page.get_by_label("Waarde").fill("veel")
    page.get_by_role("button", name="Cijfer bewaren").click()
    expect(page.locator("#error-summary")).to_be_visible()
    expect(page.get_by_label("Waarde")).to_have_attribute("aria-invalid", "true")
    assert_accessible(page)
    page.get_by_label("Waarde").fill("72")
    page.get_by_label("Toelichting (niet verplicht)").fill("Nieuwe groep in de Byronstraat")
    page.get_by_role("button", name="Cijfer bewaren").click()
    expect(page.locator("main")).to_contain_text("Uw cijfer is bewaard")
    expect(page.locator(f"#chart-{indicator.pk}")).to_contain_text("Nieuwe groep in de Byronstraat")
    assert_accessible(page)
    assert indicator.reports.count() == before + 1

    page.context.clear_cookies()
    login(page, STAFF, DEMO_PASSWORD)
    page.goto(f"/aanbestedingen/{agreement.tender_id}/")
    expect(page.locator("#warnings")).to_contain_text("Verbindingen tussen partners")
    expect(page.locator("#warnings")).to_contain_text("Vrijwilligersuren")
    assert_accessible(page)
