"""A resident's first visit: home page, language switch, the process overview and a process page."""

from __future__ import annotations

import re

from playwright.sync_api import expect

from tests.e2e.conftest import assert_accessible

DEMO_TITLES = [
    "Huis ter Heide: Programma van Eisen nieuwe woonwijk",
    "Bezuinigen met beleid in het sociaal domein",
    "Bezuinigingsdialoog Zeist",
    "Oss maken we samen",
]


def test_home_page_is_dutch_and_shows_running_processes(page):
    page.goto("/")
    expect(page.locator("html")).to_have_attribute("lang", "nl")
    expect(page.get_by_role("heading", level=1)).to_have_text("Samen beleid maken")
    for title in DEMO_TITLES:
        expect(page.get_by_role("link", name=title)).to_be_visible()
    assert_accessible(page)


def test_switching_language_to_english_and_back(page):
    page.goto("/processen/")
    page.get_by_role("button", name="English").click()
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page).to_have_url(re.compile(r"/processen/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Processes")
    assert_accessible(page)
    page.get_by_role("button", name="Nederlands").click()
    expect(page.locator("html")).to_have_attribute("lang", "nl")
    expect(page.get_by_role("heading", level=1)).to_have_text("Processen")


def test_filtering_the_overview_by_municipality(page):
    page.goto("/processen/")
    page.get_by_label("Gemeente").select_option(label="Oss")
    # With JavaScript, htmx swaps in the results and updates the address.
    expect(page).to_have_url(re.compile(r"gemeente=GM0828"))
    results = page.locator("#process-results")
    expect(results.get_by_role("link", name="Oss maken we samen")).to_be_visible()
    expect(results.get_by_role("link", name="Bezuinigingsdialoog Zeist")).to_have_count(0)
    assert_accessible(page)


def test_process_page_shows_phases_and_frameworks_in_plain_language(page):
    page.goto("/processen/")
    page.get_by_role("link", name="Bezuinigingsdialoog Zeist").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Bezuinigingsdialoog Zeist")
    timeline = page.locator(".samenspraak-timeline")
    expect(timeline.locator("[aria-current=step]")).to_have_count(1)
    table = page.get_by_role("table", name=re.compile("Besparing per jaar"))
    expect(table.get_by_role("row")).to_have_count(5)  # header + 2027..2030
    expect(table).to_contain_text("2030")
    themes = page.locator("#themes-heading + ul > li")
    expect(themes).to_have_count(8)
    assert_accessible(page)


def test_process_page_works_without_javascript(browser, live_server, demo):
    context = browser.new_context(base_url=live_server.url, java_script_enabled=False)
    try:
        page = context.new_page()
        page.goto("/processen/?gemeente=GM0439")
        results = page.locator("#process-results")
        expect(results.get_by_role("link")).to_have_count(1)
        results.get_by_role("link").click()
        expect(page.get_by_role("heading", level=1)).to_have_text(
            "Bezuinigen met beleid in het sociaal domein"
        )
    finally:
        context.close()
