"""Services of proposals: versions, diffs, amendments, comments, checks and status gating.

Every test writes through the services, as the pages and the API do, and checks what ended up
in the database (and that nothing did when the input was bad).
"""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import translation

from samenspraak.common.models import AuditEvent
from samenspraak.proposals import selectors, services
from samenspraak.proposals.models import (
    Amendment,
    AmendmentStatus,
    Comment,
    FinancialEffect,
    FrameworkCheck,
    Proposal,
    ProposalStatus,
    ProposalVersion,
    Requirement,
)
from tests.proposals.conftest import CONDITIONS, EFFECTS, REQUIREMENTS, content

pytestmark = pytest.mark.django_db


def _item(check: FrameworkCheck, code: str) -> dict:
    return next(i for i in check.report["items"] if i["code"] == code)


# --- versions ------------------------------------------------------------------------------


def test_create_writes_the_first_version_with_all_content(programme, member, committee):
    assert programme.status == ProposalStatus.DRAFT
    assert programme.author_committee == committee
    assert programme.created_by == member
    version = programme.current_version
    assert version.number == 1
    snap = version.snapshot
    assert snap["title"] == "Programma van Eisen Huis ter Heide"
    assert snap["effects"] == [
        {"year": 2026, "structural": "-25000.00", "incidental": "-100000.00"},
        {"year": 2027, "structural": "40000.00", "incidental": "0.00"},
    ]
    assert [r["title"] for r in snap["requirements"]] == [r["title"] for r in REQUIREMENTS]
    assert Decimal(snap["requirements"][0]["norm_value"]) == Decimal("1.3")
    event = AuditEvent.objects.get(action="proposal_create", object_id=str(programme.pk))
    assert event.actor == member
    assert event.process_id == programme.process_id


def test_every_content_edit_makes_a_version_and_an_unchanged_save_does_not(proposal, member):
    v2 = services.proposal_update(
        actor=member,
        proposal=proposal,
        data={"summary": "Een buurthuis voor iedereen in de wijk."},
        note="Samenvatting korter",
    )
    assert v2.number == 2
    assert v2.note == "Samenvatting korter"
    proposal.refresh_from_db()
    assert proposal.current_version == v2
    assert v2.snapshot["summary"] == "Een buurthuis voor iedereen in de wijk."
    # The first version keeps what it had.
    assert proposal.versions.get(number=1).snapshot["summary"].startswith("Een buurthuis waar")
    again = services.proposal_update(
        actor=member, proposal=proposal, data={"summary": "Een buurthuis voor iedereen in de wijk."}
    )
    assert again is None
    assert proposal.versions.count() == 2
    event = AuditEvent.objects.filter(action="proposal_update").get()
    assert event.changes["sections"] == ["summary"]


def test_changing_effects_is_a_new_version_with_the_new_amounts(proposal, member):
    effects = [*EFFECTS, {"year": 2028, "structural": "60000.00", "incidental": ""}]
    version = services.proposal_update(actor=member, proposal=proposal, data={}, effects=effects)
    assert version.number == 2
    assert list(proposal.effects.values_list("year", "structural", "incidental")) == [
        (2026, Decimal("-25000.00"), Decimal("-100000.00")),
        (2027, Decimal("40000.00"), Decimal("0.00")),
        (2028, Decimal("60000.00"), Decimal("0.00")),
    ]
    diff = {s.name: s for s in selectors.version_diff(proposal.versions.get(number=1), version)}
    assert diff["effects"].changed
    assert not diff["title"].changed
    inserted = "".join(s.text for s in diff["effects"].segments if s.kind == "insert")
    assert "2028" in inserted


def test_diff_between_two_versions_marks_removed_and_added_words(proposal, member):
    services.proposal_update(
        actor=member,
        proposal=proposal,
        data={"body": "Het buurthuis is open op alle dagen.\n\nVrijwilligers doen de bar."},
    )
    old, new = proposal.versions.get(number=1), proposal.versions.get(number=2)
    body = next(s for s in selectors.version_diff(old, new) if s.name == "body")
    assert body.changed
    deleted = "".join(s.text for s in body.segments if s.kind == "delete")
    inserted = "".join(s.text for s in body.segments if s.kind == "insert")
    assert "werkdagen" in deleted and "werkdagen" not in inserted
    assert "alle dagen" in inserted
    # Equal and inserted segments give the new text back exactly.
    assert "".join(s.text for s in body.segments if s.kind != "delete") == new.snapshot["body"]


# --- bad input: a clear message on the field, nothing stored --------------------------------


@pytest.mark.parametrize(
    ("effects", "requirements", "key", "words"),
    [
        (
            [{"year": 2026, "structural": "veel", "incidental": "0"}],
            (),
            "effects",
            ["Financieel effect 1", "structureel", "“veel” is geen bedrag"],
        ),
        (
            [
                {"year": 2026, "structural": "100.00", "incidental": "0"},
                {"year": 2026, "structural": "200.00", "incidental": "0"},
            ],
            (),
            "effects",
            ["Financieel effect 2", "2026", "rij 1"],
        ),
        (
            EFFECTS,
            [
                {
                    "aspect": "Parkeren",
                    "title": "Parkeernorm",
                    "norm_quantity": "plaatsen",
                    "norm_operator": "at_least",
                }
            ],
            "requirements",
            ["Eis 1", "de waarde"],
        ),
        (
            [{"year": 2026, "structural": 1.5, "incidental": "0"}],
            (),
            "effects",
            ["niet als float"],
        ),
    ],
    ids=["non-numeric-amount", "two-effects-one-year", "norm-without-value", "float-amount"],
)
def test_bad_input_names_the_row_and_field_and_stores_nothing(
    make_proposal, frameworks, effects, requirements, key, words
):
    # Dutch first: the messages a service gives are in the active language.
    with translation.override("nl"), pytest.raises(ValidationError) as caught:
        make_proposal(effects=effects, requirements=requirements)
    messages = " ".join(caught.value.message_dict[key])
    for word in words:
        assert word in messages, messages
    assert Proposal.objects.count() == 0
    assert FinancialEffect.objects.count() == 0
    assert Requirement.objects.count() == 0
    assert ProposalVersion.objects.count() == 0
    assert not AuditEvent.objects.filter(action="proposal_create").exists()


def test_a_bad_edit_leaves_the_proposal_as_it_was(proposal, member):
    with pytest.raises(ValidationError):
        services.proposal_update(
            actor=member,
            proposal=proposal,
            data={"title": "Nieuwe titel"},
            effects=[{"year": 2026, "structural": "1.2.3", "incidental": "0"}],
        )
    proposal.refresh_from_db()
    assert proposal.title == "Buurthuis in de Dichtersbuurt"
    assert proposal.effects.count() == 2
    assert proposal.versions.count() == 1


def test_a_theme_of_another_process_is_refused(make_proposal, frameworks, theme):
    from tests.factories import ProcessFactory

    other = ProcessFactory()
    foreign = other.themes.create(name="Elders")
    with pytest.raises(ValidationError) as caught:
        make_proposal(theme=foreign)
    assert "theme" in caught.value.message_dict
    assert make_proposal(theme=theme).theme == theme


# --- amendments ----------------------------------------------------------------------------


def test_accepting_an_amendment_applies_it_as_a_new_version(proposal, member, second_member):
    amendment = services.amendment_propose(
        actor=second_member,
        proposal=proposal,
        section="summary",
        proposed_text="Een buurthuis voor jong en oud.",
        reason="Korter en duidelijker.",
    )
    assert amendment.base_version.number == 1
    with pytest.raises(ValidationError) as caught:
        services.amendment_accept(actor=member, amendment=amendment, reason="  ")
    assert "decision_reason" in caught.value.message_dict
    version = services.amendment_accept(actor=member, amendment=amendment, reason="Goed idee.")
    assert version.number == 2
    proposal.refresh_from_db()
    assert proposal.summary == "Een buurthuis voor jong en oud."
    amendment.refresh_from_db()
    assert amendment.status == AmendmentStatus.ACCEPTED
    assert amendment.result_version == version
    assert amendment.decision_reason == "Goed idee."
    assert amendment.decided_by == member


def test_rejecting_needs_a_reason_and_changes_nothing(proposal, member, second_member):
    amendment = services.amendment_propose(
        actor=second_member,
        proposal=proposal,
        section="risks",
        proposed_text="Geen risico's.",
        reason="Er zijn geen risico's.",
    )
    with pytest.raises(ValidationError):
        services.amendment_reject(actor=member, amendment=amendment, reason="")
    services.amendment_reject(actor=member, amendment=amendment, reason="Er zijn wel risico's.")
    amendment.refresh_from_db()
    proposal.refresh_from_db()
    assert amendment.status == AmendmentStatus.REJECTED
    assert proposal.risks == "Te weinig vrijwilligers."
    assert proposal.versions.count() == 1
    with pytest.raises(ValidationError):
        services.amendment_accept(actor=member, amendment=amendment, reason="Toch wel.")


def test_an_amendment_is_stale_once_its_section_changed(proposal, member, second_member):
    amendment = services.amendment_propose(
        actor=second_member,
        proposal=proposal,
        section="body",
        proposed_text="Het buurthuis is elke dag open.",
        reason="Ook in het weekend.",
    )
    assert not services.amendment_is_stale(amendment)
    services.proposal_update(
        actor=member, proposal=proposal, data={"body": "Het buurthuis is 's avonds open."}
    )
    amendment.refresh_from_db()
    assert services.amendment_is_stale(amendment)
    listed = next(a for a in selectors.amendments(proposal) if a.pk == amendment.pk)
    assert listed.stale
    with pytest.raises(ValidationError) as caught:
        services.amendment_accept(actor=member, amendment=amendment, reason="Prima.")
    assert caught.value.code == "stale"
    version = services.amendment_accept(
        actor=member, amendment=amendment, reason="Prima.", accept_stale=True
    )
    assert version.snapshot["body"] == "Het buurthuis is elke dag open."
    assert AuditEvent.objects.get(action="amendment_accept").changes["stale"] is True


def test_a_change_of_spacing_does_not_make_an_amendment_stale(proposal, member, second_member):
    amendment = services.amendment_propose(
        actor=second_member,
        proposal=proposal,
        section="risks",
        proposed_text="Geen.",
        reason="Test.",
    )
    services.proposal_update(
        actor=member, proposal=proposal, data={"risks": "Te  weinig vrijwilligers.  "}
    )
    amendment.refresh_from_db()
    assert not services.amendment_is_stale(amendment)


def test_only_the_proposer_withdraws_an_amendment(proposal, member, second_member):
    amendment = services.amendment_propose(
        actor=second_member,
        proposal=proposal,
        section="title",
        proposed_text="Buurthuis",
        reason="Korter.",
    )
    with pytest.raises(PermissionDenied):
        services.amendment_withdraw(actor=member, amendment=amendment)
    services.amendment_withdraw(actor=second_member, amendment=amendment)
    assert Amendment.objects.get(pk=amendment.pk).status == AmendmentStatus.WITHDRAWN


def test_an_amendment_needs_a_reason_and_a_real_change(proposal, second_member):
    with pytest.raises(ValidationError) as caught:
        services.amendment_propose(
            actor=second_member,
            proposal=proposal,
            section="title",
            proposed_text=proposal.title,
            reason="",
        )
    assert "reason" in caught.value.message_dict
    with pytest.raises(ValidationError) as caught:
        services.amendment_propose(
            actor=second_member,
            proposal=proposal,
            section="title",
            proposed_text=proposal.title,
            reason="Waarom niet.",
        )
    assert "proposed_text" in caught.value.message_dict
    with pytest.raises(ValidationError) as caught:
        services.amendment_propose(
            actor=second_member,
            proposal=proposal,
            section="effects",
            proposed_text="x",
            reason="y",
        )
    assert "section" in caught.value.message_dict
    assert Amendment.objects.count() == 0


# --- comments ------------------------------------------------------------------------------


def test_comments_form_threads_and_a_moderator_hides_with_a_reason(
    proposal, member, second_member, facilitator
):
    first = services.comment_post(actor=member, proposal=proposal, body="Wie doet de bar?")
    reply = services.comment_post(
        actor=second_member, proposal=proposal, body="Vrijwilligers.", parent=first
    )
    services.comment_post(actor=member, proposal=proposal, body="Dank je.", parent=reply)
    tree = selectors.comment_tree(proposal)
    assert [n.comment.body for n in tree] == ["Wie doet de bar?"]
    assert tree[0].replies[0].comment == reply
    assert tree[0].replies[0].replies[0].depth == 2
    with pytest.raises(ValidationError):
        services.comment_hide(actor=facilitator, comment=reply, reason="")
    services.comment_hide(actor=facilitator, comment=reply, reason="Persoonlijke gegevens.")
    reply.refresh_from_db()
    assert reply.is_hidden and reply.hidden_by == facilitator
    event = AuditEvent.objects.get(action="comment_hide")
    assert event.changes["reason"] == "Persoonlijke gegevens."
    # The thread keeps the hidden comment (with its replies) in place.
    tree = selectors.comment_tree(proposal)
    assert tree[0].replies[0].comment.is_hidden
    assert len(tree[0].replies[0].replies) == 1


def test_a_reply_must_belong_to_the_same_proposal(make_proposal, frameworks, member):
    one = make_proposal()
    two = make_proposal(title="Tweede voorstel")
    parent = services.comment_post(actor=member, proposal=one, body="Eerste.")
    with pytest.raises(ValidationError):
        services.comment_post(actor=member, proposal=two, body="Antwoord.", parent=parent)
    assert Comment.objects.count() == 1


# --- the framework check -------------------------------------------------------------------


def test_the_check_is_stored_with_the_version_it_checked_and_flags_missing_aspects(
    proposal, member
):
    check = services.proposal_run_check(actor=member, proposal=proposal)
    assert check.version == proposal.current_version
    assert check.run_by == member
    assert not check.passed
    aspects = _item(check, "aspects")
    assert aspects["status"] == "fail"
    assert set(aspects["details"]) == {"Groen", "Parkeren"}
    assert "Groen" in aspects["reason_nl"] and "ontbreken" in aspects["reason_nl"]
    # Conditions not assessed yet keep that item open, not failed.
    assert _item(check, "conditions")["status"] == "not_assessed"
    # After an edit the stored check still names the old version.
    services.proposal_update(
        actor=member, proposal=proposal, data={"aspects": ["Milieu", "Groen", "Parkeren"]}
    )
    proposal.refresh_from_db()
    check.refresh_from_db()
    assert check.version.number == 1
    assert proposal.current_version.number == 2
    newer = services.proposal_run_check(actor=member, proposal=proposal)
    assert _item(newer, "aspects")["status"] == "pass"
    assert selectors.latest_check(proposal) == newer


def test_requirements_cover_aspects_and_conflicting_norms_fail(make_proposal, frameworks, member):
    conflicting = [
        *REQUIREMENTS,
        {
            "aspect": "Parkeren",
            "title": "Weinig auto's",
            "priority": "should",
            "norm_quantity": "Parkeerplaatsen per woning",
            "norm_operator": "at_most",
            "norm_value": "1.0",
            "norm_unit": "plaatsen",
        },
    ]
    pve = make_proposal(kind="programme_of_requirements", aspects=[], requirements=conflicting)
    check = services.proposal_run_check(actor=member, proposal=pve)
    assert _item(check, "aspects")["status"] == "pass"
    conflicts = _item(check, "conflicts")
    assert conflicts["status"] == "fail"
    assert any("Parkeernorm bewoners" in key for key in conflicts["details"])
    assert any("Weinig auto" in key for key in conflicts["details"])


def test_condition_assessments_feed_the_check(proposal, staff_user, member):
    services.conditions_assess(
        actor=staff_user,
        proposal=proposal,
        assessments=[
            {"condition": CONDITIONS[0], "met": "yes", "note": "40% sociale huur."},
            {"condition": CONDITIONS[1], "met": "no", "note": "Bouwt in de buffer."},
        ],
    )
    check = services.proposal_run_check(actor=member, proposal=proposal)
    conditions = _item(check, "conditions")
    assert conditions["status"] == "fail"
    assert conditions["details"] == [CONDITIONS[1]]
    with pytest.raises(ValidationError):
        services.conditions_assess(
            actor=staff_user,
            proposal=proposal,
            assessments=[{"condition": "Een verzonnen voorwaarde.", "met": "yes"}],
        )
    with pytest.raises(PermissionDenied):
        services.conditions_assess(
            actor=member,
            proposal=proposal,
            assessments=[{"condition": CONDITIONS[0], "met": "no"}],
        )


def test_the_bandwidth_is_checked_per_year(make_proposal, frameworks, member):
    over = make_proposal(
        effects=[{"year": 2026, "structural": "0", "incidental": "-600000.00"}],
        aspects=["Milieu", "Groen", "Parkeren"],
    )
    check = services.proposal_run_check(actor=member, proposal=over)
    bandwidth = _item(check, "bandwidth")
    assert bandwidth["status"] == "fail"
    assert bandwidth["details"] == ["2026"]
    year = bandwidth["years"][0]
    assert Decimal(year["shortfall"]) == Decimal("100000.00")


# --- status gating -------------------------------------------------------------------------


def _ready(proposal, staff_user, member):
    """Make the proposal pass: every aspect, conditions met."""
    services.proposal_update(
        actor=member, proposal=proposal, data={"aspects": ["Milieu", "Groen", "Parkeren"]}
    )
    services.conditions_assess(
        actor=staff_user,
        proposal=proposal,
        assessments=[{"condition": c, "met": "yes"} for c in CONDITIONS],
    )


def test_the_life_cycle_with_a_passing_check(proposal, staff_user, member):
    _ready(proposal, staff_user, member)
    services.proposal_transition(actor=member, proposal=proposal, to_status="submitted")
    services.proposal_transition(actor=staff_user, proposal=proposal, to_status="checked")
    services.proposal_transition(actor=staff_user, proposal=proposal, to_status="in_consultation")
    proposal.refresh_from_db()
    assert proposal.status == ProposalStatus.IN_CONSULTATION
    checks = list(proposal.checks.all())
    assert len(checks) == 2 and all(c.passed for c in checks)
    event = AuditEvent.objects.filter(action="proposal_status").first()
    assert event.changes["status"] == ["checked", "in_consultation"]
    assert event.changes["check_passed"] is True
    assert "override_reason" not in event.changes


def test_a_failing_check_blocks_consultation_unless_staff_override_with_a_reason(
    proposal, staff_user, member
):
    services.proposal_transition(actor=member, proposal=proposal, to_status="submitted")
    services.proposal_transition(actor=staff_user, proposal=proposal, to_status="checked")
    before = proposal.checks.count()
    with pytest.raises(services.CheckFailed) as caught:
        services.proposal_transition(
            actor=staff_user, proposal=proposal, to_status="in_consultation"
        )
    proposal.refresh_from_db()
    assert proposal.status == ProposalStatus.CHECKED
    # The refused step still stored its check, for the version it checked.
    assert proposal.checks.count() == before + 1
    assert caught.value.check.version == proposal.current_version
    assert not caught.value.check.passed
    services.proposal_transition(
        actor=staff_user,
        proposal=proposal,
        to_status="in_consultation",
        override_reason="De raad wil de inwoners nu al horen.",
    )
    proposal.refresh_from_db()
    assert proposal.status == ProposalStatus.IN_CONSULTATION
    event = AuditEvent.objects.filter(action="proposal_status").first()
    assert event.changes["override_reason"] == "De raad wil de inwoners nu al horen."
    assert event.changes["check_passed"] is False


def test_steps_outside_the_life_cycle_are_refused(proposal, staff_user, member):
    with pytest.raises(ValidationError):
        services.proposal_transition(actor=staff_user, proposal=proposal, to_status="adopted")
    with pytest.raises(ValidationError):
        services.proposal_transition(actor=staff_user, proposal=proposal, to_status="nonsense")
    # Authors submit and withdraw, but never take the steps that belong to staff.
    services.proposal_transition(actor=member, proposal=proposal, to_status="submitted")
    with pytest.raises(PermissionDenied):
        services.proposal_transition(actor=member, proposal=proposal, to_status="checked")
    proposal.refresh_from_db()
    assert proposal.status == ProposalStatus.SUBMITTED


def test_a_submitted_proposal_can_still_be_edited_but_not_once_in_consultation(
    proposal, staff_user, member
):
    services.proposal_transition(actor=member, proposal=proposal, to_status="submitted")
    assert services.proposal_update(actor=member, proposal=proposal, data={"risks": "Geen."})
    services.proposal_transition(actor=staff_user, proposal=proposal, to_status="checked")
    with pytest.raises(PermissionDenied):
        services.proposal_update(actor=member, proposal=proposal, data={"risks": "Weer wat."})


# --- the facilitator never touches content -------------------------------------------------


def test_the_facilitator_is_refused_by_every_content_service(
    proposal, committee, facilitator, member
):
    amendment = services.amendment_propose(
        actor=member, proposal=proposal, section="title", proposed_text="Nieuw", reason="Kort."
    )
    attempts = {
        "create": lambda: services.proposal_create(
            actor=facilitator, process=proposal.process, data=content(), committee=committee
        ),
        "update": lambda: services.proposal_update(
            actor=facilitator, proposal=proposal, data={"title": "Door de begeleider"}
        ),
        "submit": lambda: services.proposal_transition(
            actor=facilitator, proposal=proposal, to_status="submitted"
        ),
        "withdraw": lambda: services.proposal_transition(
            actor=facilitator, proposal=proposal, to_status="withdrawn"
        ),
        "amend": lambda: services.amendment_propose(
            actor=facilitator, proposal=proposal, section="title", proposed_text="X", reason="Y"
        ),
        "accept": lambda: services.amendment_accept(
            actor=facilitator, amendment=amendment, reason="Z"
        ),
        "reject": lambda: services.amendment_reject(
            actor=facilitator, amendment=amendment, reason="Z"
        ),
        "comment": lambda: services.comment_post(
            actor=facilitator, proposal=proposal, body="Mijn mening."
        ),
        "check": lambda: services.proposal_run_check(actor=facilitator, proposal=proposal),
        "conditions": lambda: services.conditions_assess(
            actor=facilitator, proposal=proposal, assessments=[]
        ),
        "assess": lambda: services.proposal_assess(
            actor=facilitator, proposal=proposal, data={"impact_score": Decimal("1")}
        ),
    }
    for name, attempt in attempts.items():
        with pytest.raises(PermissionDenied):
            attempt()
        assert name  # each attempt raised
    proposal.refresh_from_db()
    assert proposal.title == "Buurthuis in de Dichtersbuurt"
    assert proposal.status == ProposalStatus.DRAFT
    assert Proposal.objects.count() == 1
    assert not Comment.objects.exists()
    assert not FrameworkCheck.objects.exists()
    # But they may moderate.
    comment = services.comment_post(actor=member, proposal=proposal, body="Hallo.")
    services.comment_hide(actor=facilitator, comment=comment, reason="Test van moderatie.")


# --- staff assessment and the budget page --------------------------------------------------


def test_staff_set_support_impact_people_and_the_budget_page_reads_them(
    proposal, make_proposal, staff_user, member
):
    services.proposal_assess(
        actor=staff_user,
        proposal=proposal,
        data={
            "support": Decimal("0.62"),
            "impact_score": Decimal("3.5"),
            "people_affected": 400,
            "exclusive_group": "buurthuis",
        },
    )
    with pytest.raises(ValidationError):
        services.proposal_assess(actor=staff_user, proposal=proposal, data={"support": "1.2"})
    with pytest.raises(PermissionDenied):
        services.proposal_assess(actor=member, proposal=proposal, data={"people_affected": 1})
    draft = make_proposal(title="Nog een concept")
    # Only proposals handed in are candidates.
    assert selectors.budget_candidates(proposal.process) == []
    services.proposal_transition(actor=member, proposal=proposal, to_status="submitted")
    candidates = selectors.budget_candidates(proposal.process)
    assert [c.slug for c in candidates] == [proposal.slug]
    candidate = candidates[0]
    assert candidate.effects == {
        2026: (Decimal("-25000.00"), Decimal("-100000.00")),
        2027: (Decimal("40000.00"), Decimal("0.00")),
    }
    assert candidate.support == Decimal("0.6200")
    assert candidate.impact == Decimal("3.50")
    assert candidate.people == 400
    assert candidate.group == "buurthuis"
    assert draft.slug not in [c.slug for c in candidates]


def test_partner_and_resident_authors(process, frameworks, user_of_role, staff_user):
    from samenspraak.accounts.models import Role

    partner = user_of_role(Role.PARTNER, organisation="BrabantWonen")
    made = services.proposal_create(
        actor=partner, process=process, data=content(title="Woningen voor starters")
    )
    assert made.author_kind == "partner"
    assert made.author_organisation == "BrabantWonen"
    colleague = user_of_role(Role.PARTNER, organisation="brabantwonen ")
    assert colleague.has_perm("proposals.change_proposal", made)
    other = user_of_role(Role.PARTNER, organisation="Mooiland")
    assert not other.has_perm("proposals.view_proposal", made)

    resident = user_of_role(Role.RESIDENT)
    with pytest.raises(PermissionDenied):
        services.proposal_create(actor=resident, process=process, data=content(title="Bankje"))
    services.settings_update(actor=staff_user, process=process, residents_may_propose=True)
    process.refresh_from_db()
    own = services.proposal_create(actor=resident, process=process, data=content(title="Bankje"))
    assert own.author_kind == "resident" and own.created_by == resident
    assert resident.has_perm("proposals.change_proposal", own)
    assert not user_of_role(Role.RESIDENT).has_perm("proposals.view_proposal", own)
