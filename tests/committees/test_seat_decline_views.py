"""The pages for declining a drawn seat and the replacement draw, through the test client."""

from __future__ import annotations

import re

import pytest

from samenspraak.accounts.models import Role
from samenspraak.committees import services
from samenspraak.committees.models import Application, ApplicationStatus, Draw, Membership
from tests.committees.conftest import POOL, add_applicants
from tests.committees.factories import MembershipFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def drawn(committee, staff_user):
    add_applicants(committee, POOL)
    return services.committee_draw(actor=staff_user, committee=committee, seed=424242)


def _member(committee) -> Application:
    return committee.applications.filter(status=ApplicationStatus.SELECTED).first()


def _status(content: str) -> str:
    return re.search(r'data-status="([a-z_]+)"', content).group(1)


# --- the applicant's own pages ----------------------------------------------------------------


def test_a_drawn_applicant_declines_after_a_confirmation(client, committee, drawn):
    member = _member(committee)
    status_url = f"/aanmelding/{member.uuid}/"
    content = client.get(status_url).content.decode()
    confirm_url = f"/aanmelding/{member.uuid}/plaats-niet-aannemen/"
    assert f'href="{confirm_url}"' in content
    assert "Plaats niet aannemen" in content

    # The link only asks; opening it (a mail scanner does too) changes nothing.
    content = client.get(confirm_url).content.decode()
    assert "Weet u het zeker?" in content
    assert "Ja, ik neem de plaats niet aan" in content
    member.refresh_from_db()
    assert member.status == ApplicationStatus.SELECTED

    response = client.post(confirm_url, follow=True)
    assert response.redirect_chain[-1][0] == status_url
    content = response.content.decode()
    assert _status(content) == "withdrawn"
    assert "U hebt uw plaats niet aangenomen" in content
    assert "Plaats niet aannemen</a>" not in content  # no button any more
    member.refresh_from_db()
    assert member.status == ApplicationStatus.WITHDRAWN
    assert not Membership.objects.filter(application=member).exists()


def test_no_decline_button_for_who_was_not_drawn_and_a_post_changes_nothing(
    client, committee, drawn
):
    left_out = committee.applications.filter(status=ApplicationStatus.APPLIED).first()
    content = client.get(f"/aanmelding/{left_out.uuid}/").content.decode()
    assert "plaats-niet-aannemen" not in content
    response = client.post(f"/aanmelding/{left_out.uuid}/plaats-niet-aannemen/", follow=True)
    assert "Alleen iemand die is geloot" in response.content.decode()
    left_out.refresh_from_db()
    assert left_out.status == ApplicationStatus.APPLIED


def test_an_unknown_decline_link_is_not_found(client, drawn):
    url = "/aanmelding/00000000-0000-0000-0000-000000000000/plaats-niet-aannemen/"
    assert client.get(url).status_code == 404
    assert client.post(url).status_code == 404


# --- staff ---------------------------------------------------------------------------------


def test_staff_decline_on_behalf_and_draw_a_replacement(client, committee, staff_user, drawn):
    client.force_login(staff_user)
    member = _member(committee)
    manage = client.get(f"/beheer/comites/{committee.slug}/").content.decode()
    decline_url = f"/beheer/comites/{committee.slug}/leden/{member.number}/plaats-afmelden/"
    assert f'href="{decline_url}"' in manage
    assert "plaatsen vrij na afmelding" not in manage and "plaats vrij na afmelding" not in manage

    response = client.post(decline_url, {"reason": "Belde: verhuist."}, follow=True)
    assert response.redirect_chain[-1][0] == f"/beheer/comites/{committee.slug}/"
    content = response.content.decode()
    assert "1 plaats vrij na afmelding" in content
    assert f'href="/beheer/comites/{committee.slug}/loting/"' in content
    member.refresh_from_db()
    assert member.status == ApplicationStatus.WITHDRAWN

    # The draw page now prepares the replacement draw with the new seed.
    committee.refresh_from_db()
    page = client.get(f"/beheer/comites/{committee.slug}/loting/")
    assert page.status_code == 200
    content = page.content.decode()
    assert "Aanvullende loting" in content
    assert f'value="{committee.draw_seed}"' in content
    # The files offered are those of the replacement draw: without the one who declined.
    pool_now = client.get(f"/beheer/comites/{committee.slug}/loting/pool.csv").content.decode()
    ids = {line.split(",")[0] for line in pool_now.splitlines()[1:]}
    assert str(member.number) not in ids and len(ids) == 3

    response = client.post(
        f"/beheer/comites/{committee.slug}/loting/",
        {"seed": committee.draw_seed, "algorithm": "leximin"},
        follow=True,
    )
    content = response.content.decode()
    assert "De aanvullende loting is gedaan" in content
    first, second = Draw.objects.filter(committee=committee).order_by("created_at", "id")
    assert second.replaces == first
    # Both draws in order, each with its seed, chances and files to reproduce it.
    assert content.index('id="draw-seed"') < content.index('id="draw-seed-2"')
    assert re.search(rf'id="draw-seed">{first.seed}<', content)
    assert re.search(rf'id="draw-seed-2">{second.seed}<', content)
    assert 'id="probabilities"' in content and 'id="probabilities-2"' in content
    assert f"--size 1 --seed {second.seed}" in content
    assert f"{committee.slug}-aanvulling-1-pool.csv" in content
    assert "nam de plaats niet aan" in content
    second_file = client.get(f"/beheer/comites/{committee.slug}/loting/2/pool.csv")
    assert second_file.content.decode() == second.people_csv
    assert "aanvulling-1-pool.csv" in second_file["Content-Disposition"]
    first_file = client.get(f"/beheer/comites/{committee.slug}/loting/1/quota.csv")
    assert first_file.content.decode() == first.categories_csv
    assert client.get(f"/beheer/comites/{committee.slug}/loting/3/pool.csv").status_code == 404
    # No more free seats: the draw page shows the result again.
    again = client.get(f"/beheer/comites/{committee.slug}/loting/")
    assert again.status_code == 302 and again["Location"].endswith("/loting/uitslag/")


def test_the_public_page_announces_the_seed_of_the_replacement_draw(
    client, committee, staff_user, drawn
):
    services.seat_decline(application=_member(committee))
    committee.refresh_from_db()
    content = client.get(committee.get_absolute_url()).content.decode()
    assert "1 plaats is vrijgekomen" in content
    assert f"lotingsgetal {committee.draw_seed}" in content


def test_an_infeasible_replacement_draw_explains_on_the_page(client, committee, staff_user):
    add_applicants(
        committee,
        [
            ("Anna", "inwoner", "jong"),
            ("Bas", "inwoner", "oud"),
            ("Cor", "inwoner", "oud"),
            ("Dewi", "ondernemer", "jong"),
            ("Fenna", "inwoner", "jong"),
        ],
    )
    services.committee_draw(actor=staff_user, committee=committee, seed=5)
    services.seat_decline(application=committee.applications.get(full_name="Dewi"))
    committee.refresh_from_db()
    client.force_login(staff_user)
    response = client.post(
        f"/beheer/comites/{committee.slug}/loting/",
        {"seed": committee.draw_seed, "algorithm": "leximin"},
    )
    assert response.status_code == 422
    content = response.content.decode()
    alert = re.search(r'<div[^>]*id="infeasible".*?</div>', content, re.S).group(0)
    assert "ondernemer" in alert
    assert Draw.objects.filter(committee=committee).count() == 1


# --- who may ---------------------------------------------------------------------------------


@pytest.mark.parametrize("who", ["facilitator", "resident", "other_staff"])
def test_others_cannot_decline_for_someone_or_draw(
    client, committee, staff_user, drawn, who, facilitator, other_staff, user_of_role
):
    services.seat_decline(application=_member(committee))  # a free seat: a redraw is possible
    committee.refresh_from_db()
    actor = {
        "facilitator": facilitator,
        "resident": user_of_role(Role.RESIDENT, full_name="Rik Inwoner"),
        "other_staff": other_staff,
    }[who]
    MembershipFactory(committee=committee, user=facilitator, role="facilitator", source="assigned")
    client.force_login(actor)
    member = _member(committee)
    decline_url = f"/beheer/comites/{committee.slug}/leden/{member.number}/plaats-afmelden/"
    assert client.get(decline_url).status_code == 403
    assert client.post(decline_url, {"reason": "x"}).status_code == 403
    draw_url = f"/beheer/comites/{committee.slug}/loting/"
    assert client.post(draw_url, {"seed": committee.draw_seed}).status_code == 403
    member.refresh_from_db()
    assert member.status == ApplicationStatus.SELECTED
    assert Draw.objects.filter(committee=committee).count() == 1


def test_anonymous_visitors_are_sent_to_log_in(client, committee, drawn):
    member = _member(committee)
    url = f"/beheer/comites/{committee.slug}/leden/{member.number}/plaats-afmelden/"
    response = client.post(url)
    assert response.status_code == 302 and "inloggen" in response["Location"]
    member.refresh_from_db()
    assert member.status == ApplicationStatus.SELECTED
