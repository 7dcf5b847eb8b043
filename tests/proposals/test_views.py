"""Pages of proposals: parse, call the services, show errors on the field, render the result."""

from __future__ import annotations

import re
from decimal import Decimal

import pytest

from samenspraak.common.models import AuditEvent
from samenspraak.proposals import services
from samenspraak.proposals.models import (
    Amendment,
    AmendmentStatus,
    FinancialEffect,
    Proposal,
    ProposalStatus,
)
from tests.proposals.conftest import CONDITIONS

pytestmark = pytest.mark.django_db


def proposal_post(committee=None, effects=(), requirements=(), **overrides) -> dict:
    """The POST body of the proposal form, with its two formsets."""
    data = {
        "kind": "measure",
        "title": "Minder straatverlichting",
        "summary": "Na middernacht gaat de helft van de lampen uit.",
        "body": "Dit bespaart energie.",
        "budget_area": "2.1",
        "aspects": ["Milieu"],
        "other_aspects": "",
        "target_groups": "",
        "expected_reach": "",
        "risks": "",
        "note": "",
        "effects-TOTAL_FORMS": str(len(effects)),
        "effects-INITIAL_FORMS": "0",
        "requirements-TOTAL_FORMS": str(len(requirements)),
        "requirements-INITIAL_FORMS": "0",
    }
    if committee is not None:
        data["author"] = f"committee:{committee.pk}"
    for i, row in enumerate(effects):
        for key, value in row.items():
            data[f"effects-{i}-{key}"] = value
    for i, row in enumerate(requirements):
        row = {"priority": "must", **row}
        for key, value in row.items():
            data[f"requirements-{i}-{key}"] = value
    data.update(overrides)
    return data


def _text(response) -> str:
    return response.content.decode()


# --- create and edit -----------------------------------------------------------------------


def test_a_member_writes_a_proposal_with_yearly_effects(client, committee, member, frameworks):
    client.force_login(member)
    url = f"/processen/{committee.process.slug}/voorstellen/nieuw/"
    page = client.get(url)
    assert page.status_code == 200
    assert committee.name in _text(page)
    response = client.post(
        url,
        proposal_post(
            committee,
            effects=[
                {"year": "2026", "structural": "12.500", "incidental": "-3.000,50"},
                {"year": "2027", "structural": "25.000", "incidental": ""},
            ],
        ),
    )
    proposal = Proposal.objects.get()
    assert response.status_code == 302
    assert response["Location"] == proposal.get_absolute_url()
    assert proposal.author_committee == committee
    assert list(proposal.effects.values_list("year", "structural", "incidental")) == [
        (2026, Decimal("12500.00"), Decimal("-3000.50")),
        (2027, Decimal("25000.00"), Decimal("0.00")),
    ]
    assert proposal.current_version.number == 1


@pytest.mark.parametrize(
    ("effects", "requirements", "field_id", "message"),
    [
        (
            [{"year": "2026", "structural": "heel veel", "incidental": ""}],
            [],
            "id_effects-0-structural",
            "is geen bedrag",
        ),
        (
            [
                {"year": "2026", "structural": "100", "incidental": ""},
                {"year": "2026", "structural": "200", "incidental": ""},
            ],
            [],
            "id_effects-1-year",
            "Dit jaar staat al in de lijst",
        ),
        (
            [],
            [
                {
                    "aspect": "Parkeren",
                    "title": "Parkeernorm",
                    "norm_quantity": "plaatsen per woning",
                    "norm_operator": "at_least",
                    "norm_value": "",
                }
            ],
            "id_requirements-0-norm_value",
            "Een norm heeft een waarde nodig",
        ),
    ],
    ids=["non-numeric-amount", "two-effects-one-year", "norm-without-value"],
)
def test_bad_input_is_shown_on_the_field_and_nothing_is_stored(
    client, committee, member, frameworks, effects, requirements, field_id, message
):
    client.force_login(member)
    url = f"/processen/{committee.process.slug}/voorstellen/nieuw/"
    response = client.post(
        url, proposal_post(committee, effects=effects, requirements=requirements)
    )
    assert response.status_code == 200
    html = _text(response)
    assert 'id="error-summary"' in html
    assert f'href="#{field_id}"' in html
    # The field itself carries the message and is marked invalid.
    assert re.search(rf'id="{field_id}_error"[^>]*>\s*<p>[^<]*{message}', html), html[:3000]
    assert re.search(
        rf'<[^>]*aria-invalid="true"[^>]*id="{field_id}"|id="{field_id}"[^>]*aria-invalid="true"',
        html,
    )
    assert Proposal.objects.count() == 0
    assert FinancialEffect.objects.count() == 0


def test_editing_makes_version_two_and_the_diff_shows_the_change(client, proposal, member):
    client.force_login(member)
    data = proposal_post(
        title=proposal.title,
        summary=proposal.summary,
        body="Het buurthuis is open op alle dagen.",
        aspects=["Milieu"],
        **{"effects-INITIAL_FORMS": "0"},
    )
    data.pop("budget_area")
    response = client.post(f"/voorstellen/{proposal.slug}/bewerken/", data)
    assert response.status_code == 302
    proposal.refresh_from_db()
    assert proposal.current_version.number == 2
    diff = client.get(f"/voorstellen/{proposal.slug}/versies/vergelijken/?van=1&naar=2")
    html = _text(diff)
    assert diff.status_code == 200
    deleted = re.findall(r"<del>(.*?)</del>", html, re.S)
    inserted = re.findall(r"<ins>(.*?)</ins>", html, re.S)
    assert any("werkdagen" in d for d in deleted)
    assert any("alle dagen" in i for i in inserted)
    assert not any("werkdagen" in i for i in inserted)
    # Read aloud, the change is named in words, not only by colour.
    assert "[verwijderd: " in html and "[toegevoegd: " in html
    versions = client.get(f"/voorstellen/{proposal.slug}/versies/")
    assert "?van=1&amp;naar=2" in _text(versions)


def test_a_diff_of_versions_that_do_not_exist_is_404(client, proposal, member):
    client.force_login(member)
    assert (
        client.get(f"/voorstellen/{proposal.slug}/versies/vergelijken/?van=1&naar=9").status_code
        == 404
    )
    assert client.get(f"/voorstellen/{proposal.slug}/versies/vergelijken/?van=x").status_code == 404


# --- the proposal page ---------------------------------------------------------------------


def test_the_proposal_page_shows_effects_as_chart_and_table(client, proposal, member):
    client.force_login(member)
    html = _text(client.get(proposal.get_absolute_url()))
    assert '<svg role="img" aria-labelledby="effects-caption"' in html
    assert html.count('class="samenspraak-bar--structural"') == 2
    assert html.count('class="samenspraak-bar--incidental"') == 2
    table = html[html.index('id="effects-table"') :]
    table = table[: table.index("</table>")]
    assert "2026" in table and "2027" in table
    assert "€ -25.000" in table and "€ -100.000" in table and "€ 40.000" in table
    # Totals: structural -25.000 + 40.000; incidental -100.000; together -85.000.
    assert "€ 15.000" in table and "€ -85.000" in table


def test_comments_and_moderation_on_the_page(client, proposal, member, second_member, facilitator):
    client.force_login(member)
    response = client.post(f"/voorstellen/{proposal.slug}/reacties/", {"body": "Goed plan!"})
    assert response.status_code == 302
    comment = proposal.comments.get()
    client.force_login(second_member)
    client.post(
        f"/voorstellen/{proposal.slug}/reacties/", {"body": "Eens.", "parent": str(comment.pk)}
    )
    assert proposal.comments.get(body="Eens.").parent == comment
    client.force_login(facilitator)
    page = _text(client.get(proposal.get_absolute_url()))
    assert "Reactie verwijderen" in page
    assert 'name="body"' not in page  # the facilitator does not take part
    client.post(
        f"/voorstellen/{proposal.slug}/reacties/{comment.pk}/verbergen/",
        {"reason": "Scheldwoord."},
    )
    client.force_login(member)
    page = _text(client.get(proposal.get_absolute_url()))
    assert "Goed plan!" not in page
    assert "verwijderd door de moderator" in page
    assert "Eens." in page


# --- amendments ----------------------------------------------------------------------------


def test_propose_and_accept_an_amendment_through_the_pages(client, proposal, member, second_member):
    client.force_login(second_member)
    url = f"/voorstellen/{proposal.slug}/amendementen/"
    bad = client.post(url, {"section": "summary", "proposed_text": "Kort.", "reason": ""})
    assert bad.status_code == 400
    assert Amendment.objects.count() == 0
    client.post(url, {"section": "summary", "proposed_text": "Kort.", "reason": "Beter."})
    amendment = Amendment.objects.get()
    client.force_login(member)
    decide = f"/voorstellen/{proposal.slug}/amendementen/{amendment.pk}/"
    page = client.get(decide)
    assert page.status_code == 200 and "<ins>" in _text(page)
    missing_reason = client.post(decide, {"decision": "accept", "reason": ""})
    assert missing_reason.status_code == 200
    assert "Geef de reden" in _text(missing_reason)
    client.post(decide, {"decision": "accept", "reason": "Helder."})
    amendment.refresh_from_db()
    proposal.refresh_from_db()
    assert amendment.status == AmendmentStatus.ACCEPTED
    assert proposal.summary == "Kort."
    assert proposal.current_version.number == 2


# --- check and status ----------------------------------------------------------------------


def test_the_check_page_runs_the_check_and_names_the_missing_aspects(client, proposal, member):
    client.force_login(member)
    url = f"/voorstellen/{proposal.slug}/toets/"
    assert "nog niet getoetst" in _text(client.get(url))
    assert client.post(url).status_code == 302
    html = _text(client.get(url))
    assert 'samenspraak-check__item--fail" id="check-aspects"' in html
    assert "Deze verplichte aspecten ontbreken: Groen en Parkeren." in html
    assert "Versie 1" in html


def test_a_failed_check_stops_consultation_until_staff_give_a_reason(
    client, proposal, member, staff_user
):
    services.proposal_transition(actor=member, proposal=proposal, to_status="submitted")
    services.proposal_transition(actor=staff_user, proposal=proposal, to_status="checked")
    client.force_login(staff_user)
    url = f"/voorstellen/{proposal.slug}/status/"
    response = client.post(url, {"status": "in_consultation", "override_reason": ""})
    assert response["Location"] == f"/voorstellen/{proposal.slug}/toets/"
    proposal.refresh_from_db()
    assert proposal.status == ProposalStatus.CHECKED
    client.post(url, {"status": "in_consultation", "override_reason": "Raad wil reacties."})
    proposal.refresh_from_db()
    assert proposal.status == ProposalStatus.IN_CONSULTATION
    assert AuditEvent.objects.filter(
        action="proposal_status", changes__override_reason="Raad wil reacties."
    ).exists()


def test_staff_assess_conditions_and_the_budget_figures(client, proposal, staff_user):
    client.force_login(staff_user)
    data = {
        "conditions-TOTAL_FORMS": "2",
        "conditions-INITIAL_FORMS": "2",
        "conditions-0-condition": CONDITIONS[0],
        "conditions-0-met": "yes",
        "conditions-0-note": "Klopt.",
        "conditions-1-condition": CONDITIONS[1],
        "conditions-1-met": "no",
        "conditions-1-note": "",
    }
    assert client.post(f"/voorstellen/{proposal.slug}/voorwaarden/", data).status_code == 302
    assert dict(proposal.condition_assessments.values_list("condition", "met")) == {
        CONDITIONS[0]: "yes",
        CONDITIONS[1]: "no",
    }
    bad = client.post(f"/voorstellen/{proposal.slug}/beoordeling/", {"support": "1,5"})
    assert bad.status_code == 200 and "van 0 tot 1" in _text(bad)
    client.post(
        f"/voorstellen/{proposal.slug}/beoordeling/",
        {"support": "0,62", "impact_score": "3", "people_affected": "250", "exclusive_group": "A"},
    )
    proposal.refresh_from_db()
    assert proposal.support == Decimal("0.62")
    assert proposal.people_affected == 250


# --- lists, coverage, process page ---------------------------------------------------------


def test_the_list_shows_drafts_only_to_those_who_may_read_them(
    client, proposal, member, staff_user
):
    url = f"/processen/{proposal.process.slug}/voorstellen/"
    assert proposal.title not in _text(client.get(url))
    client.force_login(member)
    assert proposal.title in _text(client.get(url))
    filtered = client.get(url, {"status": "adopted"})
    assert proposal.title not in _text(filtered)
    client.force_login(staff_user)
    manage = client.get(f"/beheer/processen/{proposal.process.slug}/voorstellen/")
    assert proposal.title in _text(manage)
    client.post(
        f"/beheer/processen/{proposal.process.slug}/voorstellen/", {"residents_may_propose": "on"}
    )
    assert proposal.process.proposal_settings.residents_may_propose


def test_the_process_page_links_to_its_proposals(client, proposal, member):
    client.force_login(member)
    html = _text(client.get(proposal.process.get_absolute_url()))
    assert f'href="/processen/{proposal.process.slug}/voorstellen/"' in html
    assert proposal.title in html


def test_coverage_marks_mandatory_aspects_without_requirements(client, programme, member):
    client.force_login(member)
    html = _text(client.get(f"/processen/{programme.process.slug}/programma-van-eisen/dekking/"))
    table = html[html.index("<tbody") :]
    rows = re.findall(r"<tr class=\"utrecht-table__row[^\"]*\">(.*?)</tr>", table, re.S)
    first_cells = [re.sub(r"<[^>]+>", "", r.split("</th>")[0]).strip() for r in rows]
    assert [c.split(" (")[0] for c in first_cells[:3]] == ["Milieu", "Groen", "Parkeren"]
    assert "niet gedekt" not in table  # all three are covered by the requirements
    services.proposal_update(
        actor=member,
        proposal=programme,
        data={},
        requirements=[{"aspect": "Groen", "title": "Bomen blijven", "priority": "must"}],
    )
    html = _text(client.get(f"/processen/{programme.process.slug}/programma-van-eisen/dekking/"))
    assert "Nog niet gedekt: Milieu, Parkeren." in html
    assert html.count("✗") == 2


def test_a_norm_written_the_dutch_way_is_saved_and_shown_back(
    client, committee, member, frameworks
):
    client.force_login(member)
    response = client.post(
        f"/processen/{committee.process.slug}/voorstellen/nieuw/",
        proposal_post(
            committee,
            kind="programme_of_requirements",
            requirements=[
                {
                    "aspect": "Parkeren",
                    "title": "Parkeernorm",
                    "norm_quantity": "plaatsen per woning",
                    "norm_operator": "at_least",
                    "norm_value": "1,3",
                    "cost_estimate": "12.500",
                }
            ],
        ),
    )
    assert response.status_code == 302
    requirement = Proposal.objects.get().requirements.get()
    assert requirement.norm_value == Decimal("1.3")
    assert requirement.cost_estimate == Decimal("12500.00")
    edit = _text(client.get(f"/voorstellen/{requirement.proposal.slug}/bewerken/"))
    assert re.search(r'name="requirements-0-norm_value"[^>]*value="1,3"', edit)
    bad = client.post(
        f"/processen/{committee.process.slug}/voorstellen/nieuw/",
        proposal_post(
            committee,
            requirements=[
                {
                    "aspect": "Groen",
                    "title": "Groen",
                    "norm_quantity": "groen",
                    "norm_operator": "at_least",
                    "norm_value": "veertig",
                }
            ],
        ),
    )
    assert "is geen getal" in _text(bad)
    assert Proposal.objects.count() == 1


def test_the_committee_workspace_lists_its_proposals_and_offers_to_write_one(
    client, proposal, committee, member, facilitator
):
    client.force_login(member)
    page = client.get(f"/comites/{committee.slug}/werkruimte/").content.decode()
    assert "Onze voorstellen" in page
    assert proposal.get_absolute_url() in page
    assert f"/processen/{committee.process.slug}/voorstellen/nieuw/" in page

    client.force_login(facilitator)  # reads the list, is never offered to write
    page = client.get(f"/comites/{committee.slug}/werkruimte/").content.decode()
    assert proposal.get_absolute_url() in page
    assert "/voorstellen/nieuw/" not in page
