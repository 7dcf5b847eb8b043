"""Results journey: a resident votes with a voting code in the open Megen PB vote, changes the
ballot, the process owner closes the vote, and the results page lists the projects the Method
of Equal Shares (the vote's rule) funds, recounted here with the core rule from the ballot
rows. Every page axe-checked."""

from __future__ import annotations

import re
from pathlib import Path

from playwright.sync_api import expect

from samenspraak.demo.accounts import DEMO_PASSWORD
from samenspraak.demo.consultations import DEMO_CODES, OPEN_PB_SLUG
from tests.e2e.conftest import assert_accessible, login

OWNER = "medewerker@samenspraak.example"


def _expected_outcome() -> list[str]:
    """The titles the vote's rule funds, from the stored ballots and the core rule."""
    from samenspraak.consultations.models import Choice, Consultation
    from samenspraak.core.pb.model import Election, Project, Vote
    from samenspraak.core.pb.rules import tally

    consultation = Consultation.objects.get(slug=OPEN_PB_SLUG)
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
    titles = {i.code: i.title for i in items}
    return [titles[code] for code in tally(election, consultation.rule).selected]


def _choose(page, codes: set[str]) -> None:
    for box in page.locator("input[name=projects]").all():
        if (box.get_attribute("value") in codes) != box.is_checked():
            box.click()


def test_a_resident_votes_changes_the_ballot_and_staff_publish_the_results(page):
    from samenspraak.consultations.models import Ballot

    before = Ballot.objects.filter(consultation__slug=OPEN_PB_SLUG).count()
    page.goto(f"/raadplegingen/{OPEN_PB_SLUG}/")
    assert_accessible(page)
    # The results are not public while the vote is open.
    response = page.goto(f"/raadplegingen/{OPEN_PB_SLUG}/uitslag/")
    assert response.status == 403
    expect(page.locator("#results-pending")).to_be_visible()
    assert_accessible(page)

    page.goto(f"/raadplegingen/{OPEN_PB_SLUG}/")
    page.fill("#id_code", DEMO_CODES[0].lower())  # typing is forgiving
    page.locator("form[action$='/stemcode/'] button[type=submit]").click()
    expect(page).to_have_url(re.compile(r"/stemmen/$"))
    assert_accessible(page)
    _choose(page, {"MG01", "MG06"})
    page.locator("form[data-ballot] button[type=submit]").click()
    expect(page).to_have_url(re.compile(r"/bedankt/$"))
    assert_accessible(page)

    # Change the ballot with the same code: the new choice replaces the old one.
    page.goto(f"/raadplegingen/{OPEN_PB_SLUG}/")
    page.locator(f"a[href$='/raadplegingen/{OPEN_PB_SLUG}/stemmen/']").first.click()
    expect(page.locator("input[name=projects][value=MG01]")).to_be_checked()
    _choose(page, {"MG03", "MG05", "MG08"})
    page.locator("form[data-ballot] button[type=submit]").click()
    expect(page).to_have_url(re.compile(r"/bedankt/$"))
    ballots = Ballot.objects.filter(consultation__slug=OPEN_PB_SLUG)
    assert ballots.count() == before + 1
    mine = ballots.order_by("-updated_at").first()
    assert mine.revision == 2
    assert sorted(mine.choices.values_list("item__code", flat=True)) == ["MG03", "MG05", "MG08"]

    # The process owner closes the vote early, with confirmation.
    login(page, OWNER, DEMO_PASSWORD)
    page.goto(f"/raadplegingen/{OPEN_PB_SLUG}/uitslag/")
    expect(page.locator("#results-not-counted")).to_be_visible()
    assert_accessible(page)
    page.locator("#close-link").click()
    expect(page.locator("#close-early")).to_be_visible()
    assert_accessible(page)
    page.locator("main form button[type=submit]").click()  # without the tick: an error
    expect(page.locator("#error-summary")).to_be_visible()
    assert_accessible(page)
    page.locator("#id_confirm").check()
    page.locator("main form button[type=submit]").click()
    expect(page).to_have_url(re.compile(r"/uitslag/$"))

    expected = _expected_outcome()
    assert expected
    funded = page.locator("#funded-projects li")
    expect(funded).to_have_text(expected)
    expect(page.locator("#outcome-rule")).to_contain_text("Methode van Gelijke Delen")
    expect(page.get_by_role("table", name=re.compile("Projecten"))).to_be_visible()
    assert_accessible(page)

    # Anyone sees the results now, with the open data.
    page.locator("form[action$='/uitloggen/'] button").click()
    page.goto(f"/raadplegingen/{OPEN_PB_SLUG}/uitslag/")
    expect(page.locator("#funded-projects li")).to_have_text(expected)
    with page.expect_download() as download:
        page.locator("a[href$='stemmen.pb']").click()
    text = Path(download.value.path()).read_text(encoding="utf-8")
    assert text.startswith("META") and "VOTES" in text and "code:" not in text


def test_results_of_the_demo_and_a_pb_import_are_accessible(page):
    """The public results of the closed demo consultations and the staff import page."""
    page.goto("/raadplegingen/buurtbudget-dichtersbuurt-2026/uitslag/")
    expect(page.locator("#funded-projects li").first).to_be_visible()
    expect(page.get_by_role("table", name="Cijfers per regel")).to_be_visible()
    assert_accessible(page)
    page.goto("/raadplegingen/peiling-programma-van-eisen-huis-ter-heide/uitslag/")
    expect(page.locator("#poll-table tbody tr")).to_have_count(8)
    assert_accessible(page)
    page.goto("/raadplegingen/begrotingssimulator-zeist/simulator-analyse/")
    expect(page.locator("#top-packages tbody tr")).to_have_count(10)
    assert_accessible(page)

    login(page, OWNER, DEMO_PASSWORD)
    page.goto("/beheer/raadplegingen/importeren/")
    assert_accessible(page)
    fixture = Path(__file__).resolve().parents[1] / "fixtures" / "pb" / "approval.pb"
    page.locator("#id_process").select_option(label="Oss maken we samen")
    page.locator("#id_file").set_input_files(str(fixture))
    page.locator("main form button[type=submit]").click()
    expect(page).to_have_url(re.compile(r"/raadplegingen/[-a-z0-9]+/uitslag/$"))
    expect(page.locator("#funded-projects li").first).to_be_visible()
    expect(page.locator("#projects-table")).to_contain_text("Speeltuin bij de school")
    assert_accessible(page)
