"""The demo committees: eight Zeist expert committees and the Huis ter Heide lead group,
drawn by lot with a stored seed, each guided by a facilitator from another department."""

from __future__ import annotations

import pytest
from django.apps import apps
from django.db import transaction

from samenspraak.committees import adapters, selectors
from samenspraak.committees.models import (
    ApplicationStatus,
    Committee,
    CommitteeKind,
    KnowledgeNetworkEntry,
    Membership,
)
from samenspraak.demo.committees import COMMITTEES, SEAT_DECLINE, generate_pool
from samenspraak.demo.loader import load_demo

pytestmark = pytest.mark.django_db

ZEIST, HTH = "bezuinigingsdialoog-zeist", "huis-ter-heide-pve"


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    """The demo, loaded once for this module inside a transaction rolled back afterwards;
    each test runs in a savepoint within it."""
    with django_db_blocker.unblock(), transaction.atomic():
        yield load_demo()
        transaction.set_rollback(True)


def test_zeist_has_one_committee_per_theme_drawn_with_its_quotas(demo):
    committees = Committee.objects.filter(process__slug=ZEIST).select_related("theme", "process")
    themes = {t.name for t in committees.first().process.themes.all()}
    assert {c.theme.name for c in committees} == themes
    assert committees.count() == 8
    for committee in committees:
        assert 10 <= committee.size <= 14
        assert list(selectors.committee_features(committee)) == ["rol", "wijkdeel", "leeftijd"]
        assert selectors.committee_features(committee)["rol"] == [
            "inwoner",
            "organisatie",
            "ondernemer",
        ]
        draw = committee.draws.first()  # the latest: a replacement draw where there is one
        assert draw.seed == committee.draw_seed
        assert selectors.members(committee).count() == committee.size
        assert selectors.representation(committee).ok, committee
        assert selectors.pool(committee).count() >= committee.size  # the rest of the pool


def test_the_lead_group_of_huis_ter_heide(demo):
    group = Committee.objects.get(process__slug=HTH)
    assert group.kind == CommitteeKind.LEAD_GROUP
    assert 9 <= group.size <= 12
    assert list(selectors.committee_features(group)) == ["leeftijd", "wijkdeel", "woonsituatie"]
    assert selectors.members(group).count() == group.size
    assert selectors.representation(group).ok


def test_every_demo_draw_is_reproducible_from_its_stored_files(demo):
    draws = [draw for committee in Committee.objects.all() for draw in committee.draws.all()]
    assert len(draws) == Committee.objects.count() + 1  # one replacement draw
    for draw in draws:
        committee = draw.committee
        again = adapters.draw.__wrapped__(
            people_file=draw.people_csv,
            categories_file=draw.categories_csv,
            household_column=draw.household_column,
            panel_size=draw.panel_size,
            seed=draw.seed,
            algorithm=draw.algorithm,
        )
        assert list(again.selected) == draw.selected, committee


def test_one_drawn_member_declined_and_a_replacement_draw_filled_the_seat(demo):
    committee = Committee.objects.get(slug=SEAT_DECLINE["committee"])
    first, replacement = committee.draws.order_by("created_at", "id")
    assert first.replaces is None and replacement.replaces == first
    assert replacement.seed == SEAT_DECLINE["seed"] == committee.draw_seed != first.seed
    assert replacement.panel_size == 1
    declined = committee.applications.get(status=ApplicationStatus.WITHDRAWN)
    assert declined.pool_id in first.selected
    assert declined.pool_id not in replacement.selected
    assert not Membership.objects.filter(application=declined).exists()
    assert selectors.members(committee).count() == committee.size
    assert replacement.distribution  # published, as every draw


def test_each_committee_has_a_facilitator_from_another_department(demo):
    for committee in Committee.objects.select_related("theme"):
        [seat] = selectors.facilitators(committee)
        owner = adapters.department_of(committee.theme.owning_department).lower()
        assert adapters.department_of(seat.user.organisation).lower() != owner, committee
        assert committee.status == "drafting"
        assert committee.meetings.filter(minutes_published=True).exists()
    loads = [
        Committee.objects.filter(process__slug=ZEIST, memberships__user=user).count()
        for user in selectors.facilitator_users()
    ]
    assert max(loads) == 1  # eight committees, eleven facilitators: nobody guides two


def test_the_demo_log_ins_have_their_committee(demo):
    guided = Committee.objects.filter(
        memberships__user__email="begeleider@samenspraak.example",
        memberships__role="facilitator",
    )
    assert guided.exists()
    seated = Committee.objects.get(
        memberships__user__email="comitelid@samenspraak.example", memberships__role="member"
    )
    assert seated.slug == "zeist-zorg-en-welzijn"
    assert seated.messages.filter(author__email="comitelid@samenspraak.example").exists()


def test_the_knowledge_network_has_people_per_theme(demo):
    assert KnowledgeNetworkEntry.objects.count() >= 5
    assert selectors.knowledge_network_search(theme="Zorg en welzijn").count() >= 2


def test_loading_again_adds_nothing(demo):
    before = {m._meta.label: m.objects.count() for m in apps.get_models()}
    second = load_demo()
    assert {m._meta.label: m.objects.count() for m in apps.get_models()} == before
    assert not second.created_anything
    assert second.committees_existing["committees"] == len(COMMITTEES)


def test_the_generated_pools_are_the_same_on_every_load():
    for data in COMMITTEES:
        quotas = (("rol", "inwoner", 1, 2),) if data.process_slug == ZEIST else ()
        assert generate_pool(data, quotas) == generate_pool(data, quotas)
