"""A drawn resident declines the seat on their own status page (after "Weet u het zeker?"),
and staff fill the free seat with a replacement draw that has its own seed. Every page
visited is checked with axe-core."""

from __future__ import annotations

from playwright.sync_api import expect

from samenspraak.demo.accounts import DEMO_PASSWORD
from tests.e2e.conftest import assert_accessible, login
from tests.e2e.test_committee_journey import OWNER, POOL, theme_table


def _drawn_committee():
    """A theme table of the Zeist dialogue, its pool imported and drawn with a fixed seed."""
    from samenspraak.committees import services

    owner, committee = theme_table(
        "Thematafel Groen",
        "Bedenk voorstellen voor meer groen in de wijken.",
        opened_days_ago=20,
        closes_in_days=1,
    )
    services.pool_import(actor=owner, committee=committee, text=POOL, filename="pool.csv")
    draw = services.committee_draw(actor=owner, committee=committee, seed=424242)
    return committee, draw


def test_a_drawn_resident_declines_and_staff_draw_a_replacement(page):
    from samenspraak.committees.models import Application, Draw

    committee, draw = _drawn_committee()
    member = Application.objects.filter(committee=committee, status="selected").first()

    # 1. The resident opens the link from the e-mail: drawn, with a way to decline.
    page.goto(f"/aanmelding/{member.uuid}/")
    expect(page.locator("#application-status")).to_contain_text("U bent ingeloot")
    assert_accessible(page)
    page.get_by_role("link", name="Plaats niet aannemen").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Weet u het zeker?")
    assert_accessible(page)
    page.get_by_role("button", name="Ja, ik neem de plaats niet aan").click()
    expect(page.locator(".utrecht-alert--ok")).to_contain_text("Bedankt")
    expect(page.locator("#application-status")).to_contain_text("U hebt uw plaats niet aangenomen")
    expect(page.get_by_role("link", name="Plaats niet aannemen")).to_have_count(0)
    assert_accessible(page)

    # 2. Staff see the free seat and draw it again, with a new seed.
    committee.refresh_from_db()
    assert committee.draw_seed != draw.seed
    login(page, OWNER, DEMO_PASSWORD)
    page.goto(f"/beheer/comites/{committee.slug}/")
    expect(page.locator("#free-seats")).to_contain_text("1 plaats vrij na afmelding")
    assert_accessible(page)
    page.get_by_role("link", name="Aanvullende loting voorbereiden").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Aanvullende loting")
    expect(page.get_by_label("Lotingsgetal")).to_have_value(str(committee.draw_seed))
    assert_accessible(page)
    page.get_by_role("button", name="De vrije plaatsen loten").click()

    expect(page.locator(".utrecht-alert--ok")).to_contain_text("aanvullende loting is gedaan")
    expect(page.locator("#draw-seed")).to_have_text(str(draw.seed))
    expect(page.locator("#draw-seed-2")).to_have_text(str(committee.draw_seed))
    expect(page.get_by_role("heading", name="Aanvullende loting 1")).to_be_visible()
    replacement = page.get_by_role(
        "table", name="Kans om geloot te worden in aanvullende loting 1, per aanmelder"
    )
    expect(replacement.locator("tbody tr")).to_have_count(3)  # seven, minus four drawn
    expect(page.locator("#draw pre")).to_contain_text(f"--seed {draw.seed}")
    expect(page.locator("#draw-2 pre")).to_contain_text(
        f"samenspraak select --people {committee.slug}-aanvulling-1-pool.csv"
    )
    expect(page.locator("#draw-2 pre")).to_contain_text("--size 1")
    assert_accessible(page)
    assert Draw.objects.filter(committee=committee).count() == 2
